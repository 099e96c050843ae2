/**
 * The contract's legal cases with their clocks, 20 at a time, and the legal
 * duties its page opens: a violation report, a force-majeure declaration and
 * its proof, a violation's finding or dismissal; serving a breach notice is on
 * the legal board.
 */
import { useState } from 'react';
import type { CaseListView } from '../../../../../api/routes/cases.types';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import { apiGet, can, type Role } from '../../../api';
import { Countdown, ErrorBox, Loading, Notice, Pager, Section, StatusBadge, useLoad, usePastTheEnd } from '../../../components';
import { formatDateTime, formatDue } from '../../../format';
import { partyWord } from '../../../forms';
import { useI18n } from '../../../i18n';
import { Link } from '../../../router';
import { ActionForm } from '../../legal/ActionForm';
import { ACTIONS, actionById } from '../../legal/caseActions';
import { CaseFlags } from '../../legal/CaseFlags';
import { ForceMajeureForm } from '../../legal/ForceMajeureForm';
import { ProofForm } from '../../legal/ProofForm';
import { SuspendForm } from '../../legal/SuspendForm';
import { ViolationReportForm } from '../../legal/ViolationReportForm';
import { ViolationReportLine } from '../../legal/ViolationReportLine';

/** The case actions offered on the contract's page (the legal board offers them all); the proof has a form of its own here. */
const CASE_ACTIONS = new Set(['confirm', 'dismiss', 'rectification', 'extension']);
const PROOF = actionById('proof');
const CASES_PAGE = 20;

export function CasesSection({ contract, role, onChanged }: { contract: ContractDetailView; role: Role; onChanged: () => void }) {
  const { t, tx, lang } = useI18n();
  const contractId = contract.id;
  const [offset, setOffset] = useState(0);
  const cases = useLoad((signal) => apiGet<CaseListView>(`/api/cases?contract=${contractId}&status=all&limit=${CASES_PAGE}&offset=${offset}`, { signal }), [contractId, offset]);
  usePastTheEnd(cases.data, offset, CASES_PAGE, setOffset);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const active = contract.status === 'active';
  const canReport = active && can(role, 'post', '/api/contracts/:id/violations');
  const canDeclare = active && can(role, 'post', '/api/contracts/:id/force-majeure');
  const canSuspend = active && can(role, 'post', '/api/contracts/:id/suspensions');
  const toggle = (id: string) => {
    setOpen(open === id ? null : id);
    setDone(null);
  };
  const finish = (message: string) => {
    setOpen(null);
    setDone(message);
    cases.reload();
    onChanged();
  };
  return (
    <Section
      title={t('detail.cases')}
      id="cases"
      actions={
        <span className="head-actions">
          {canReport && (
            <button type="button" className={`btn btn-small ${open === 'violation' ? 'active' : ''}`} onClick={() => toggle('violation')} data-testid="report-violation">
              {t('violation.report')}
            </button>
          )}
          {canDeclare && (
            <button type="button" className={`btn btn-small ${open === 'fm' ? 'active' : ''}`} onClick={() => toggle('fm')} data-testid="declare-fm">
              {t('fm.declare')}
            </button>
          )}
          {canSuspend && (
            <button type="button" className={`btn btn-small ${open === 'suspend' ? 'active' : ''}`} onClick={() => toggle('suspend')} data-testid="suspend">
              {t('suspend.title')}
            </button>
          )}
          {can(role, 'post', '/api/contracts/:id/breach-notices') && (
            <Link to={`/legal?serve=1&contract=${contractId}`} className="btn btn-small">
              {t('detail.serveBreach')}
            </Link>
          )}
          <Link to={`/legal?contract=${contractId}&status=all`} className="btn btn-small btn-ghost">
            {t('detail.allCases')}
          </Link>
        </span>
      }
    >
      {done && <Notice kind="ok">{done}</Notice>}
      {open === 'violation' && <ViolationReportForm contract={contract} role={role} onCancel={() => setOpen(null)} onDone={() => finish(t('violation.reported'))} />}
      {open === 'suspend' && <SuspendForm contract={contract} onCancel={() => setOpen(null)} onDone={() => finish(t('suspend.done'))} />}
      {open === 'fm' && <ForceMajeureForm contract={contract} role={role} onCancel={() => setOpen(null)} onDone={() => finish(t('fm.declared'))} />}
      <ErrorBox error={cases.error} onRetry={cases.reload} />
      {!cases.data ? (
        cases.error ? null : <Loading />
      ) : cases.data.items.length === 0 ? (
        <p className="muted">{t('detail.noCases')}</p>
      ) : (
        <ul className="deadlines" data-testid="contract-cases">
          {cases.data.items.map((c) => {
            const actions = ACTIONS.filter((a) => CASE_ACTIONS.has(a.id) && a.applies(c, role) && can(role, 'post', a.route));
            const canProve = PROOF.applies(c, role) && can(role, 'post', PROOF.route);
            return (
              <li key={c.id} className="deadline" data-case-id={c.id} data-kind={c.kind}>
                <div className="deadline-main">
                  <strong>{tx(`caseKind.${c.kind}`)}</strong>
                  <StatusBadge status={c.status} kind="caseStatus" />
                  <span className="muted small">{c.clause}</span>
                  {c.open && c.secondsLeft !== null && <Countdown secondsLeft={c.secondsLeft} fetchedAt={cases.fetchedAt} label={c.deadline ? tx(`deadline.${c.deadline.kind}`) : undefined} />}
                </div>
                <div className="muted small">
                  {formatDateTime(c.openedAt, lang)} · {c.description}
                  {c.deadline && c.open ? ` · ${tx(`deadline.${c.deadline.kind}`)} ${formatDue(c.deadline.dueAt, lang)}` : ''}
                </div>
                {c.kind === 'violation' && <ViolationReportLine c={c} />}
                {c.kind === 'force_majeure' && c.servedBy && typeof c.details?.occurredAt === 'string' && (
                  <div className="small" data-testid="fm-line">
                    {t('fm.line', { party: partyWord(t, c.servedBy), at: formatDateTime(c.details.occurredAt, lang), event: String(c.details.event ?? '') })}
                  </div>
                )}
                <CaseFlags flags={c.flags} />
                {(actions.length > 0 || canProve) && (
                  <div className="case-actions">
                    {canProve && (
                      <button type="button" className={`btn btn-small ${open === `proof:${c.id}` ? 'active' : ''}`} onClick={() => toggle(`proof:${c.id}`)} data-testid="action-proof">
                        {t('legal.proof')}
                      </button>
                    )}
                    {actions.map((a) => (
                      <button
                        key={a.id}
                        type="button"
                        className={`btn btn-small ${a.confirm ? 'btn-danger-outline' : ''} ${open === `${a.id}:${c.id}` ? 'active' : ''}`}
                        onClick={() => toggle(`${a.id}:${c.id}`)}
                        data-testid={`action-${a.id}`}
                      >
                        {t(a.label)}
                      </button>
                    ))}
                  </div>
                )}
                {open === `proof:${c.id}` && <ProofForm c={c} onDone={() => finish(t('fm.proofFiled'))} />}
                {actions.map((a) => open === `${a.id}:${c.id}` && <ActionForm key={a.id} action={a} c={c} onDone={() => finish(t('legal.done', { action: t(a.label) }))} />)}
              </li>
            );
          })}
        </ul>
      )}
      {cases.data && cases.data.total > CASES_PAGE && (
        <Pager offset={offset} limit={CASES_PAGE} total={cases.data.total} shown={cases.data.items.length} onPage={setOffset} testId="contract-cases-pager" />
      )}
    </Section>
  );
}
