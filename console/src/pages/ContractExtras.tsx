/**
 * The parts of the contract detail page that come from other endpoints: the
 * contract's legal cases, its SMS and reconciliation ledger, and the acts of
 * the term (renewal objection, termination, supplemental agreements). Each
 * appears only when its endpoint exists and the role may call it.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ZSignContractRequest } from '../../../domain/contract';
import { ZProposeAmendmentRequest, ZRenewalObjectionRequest, ZTerminationRequest } from '../../../domain/lifecycle';
import { apiGet, apiPost, apiText, can, newIdempotencyKey, type Role } from '../api';
import { ConfirmStep, Countdown, ErrorBox, Loading, Notice, Section, StatusBadge, useLoad } from '../components';
import { formatDate, formatDateTime, formatDue, formatYuan, fromShanghaiInput, parseYuan } from '../format';
import { useI18n, type Lang } from '../i18n';
import { localizeMessage } from '../zod-messages';
import { Link } from '../router';
import type { ContractDetail } from './ContractDetail';
import { ForceMajeureForm, ProofForm, ViolationReportForm, ViolationReportLine } from './CaseForms';
import { ACTIONS, ActionForm, type CaseView } from './Legal';

/** The case actions offered on the contract's page (the legal board offers them all). */
const CASE_ACTIONS = new Set(['confirm', 'dismiss']);
/** customer operators act for Party A only */
const actsFor = (role: Role, party: 'A' | 'B' | null) => role !== 'customer' || party === 'A';

export function CasesSection({ contract, role, onChanged }: { contract: ContractDetail; role: Role; onChanged: () => void }) {
  const { t, tx, lang } = useI18n();
  const contractId = contract.id;
  const cases = useLoad((signal) => apiGet<{ items: CaseView[] }>(`/api/cases?contract=${contractId}&status=all&limit=50`, { signal }), [contractId]);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const active = contract.status === 'active';
  const canReport = active && can(role, 'post', '/api/contracts/:id/violations');
  const canDeclare = active && can(role, 'post', '/api/contracts/:id/force-majeure');
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
            const canProve = c.kind === 'force_majeure' && (c.status === 'declared' || c.status === 'proof_overdue') && can(role, 'post', '/api/force-majeure/:id/proof') && actsFor(role, c.servedBy);
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
                    {t('fm.line', { party: t(c.servedBy === 'A' ? 'detail.partyA' : 'detail.partyB'), at: formatDateTime(c.details.occurredAt, lang), event: String(c.details.event ?? '') })}
                  </div>
                )}
                {c.flags.length > 0 && (
                  <p className="flags">
                    {c.flags.map((f) => (
                      <span key={f} className="badge s-overdue">
                        {tx(`flag.${f}`, f)}
                      </span>
                    ))}
                  </p>
                )}
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
    </Section>
  );
}

type MessageRow = { id: string; recipient: string; category: string; parts: number; status: string; reason: string | null; sendAt: string | null; submittedAt: string | null; finalAt: string | null; createdAt: string };
type Ledger = { from: string; to: string; days: { date: string; messages: number; parts: number; debitedParts: number; byStatus: Record<string, { messages: number }> }[]; totals: { messages: number; parts: number; debitedParts: number } };

export function MessagesSection({ contract, role }: { contract: ContractDetail; role: Role }) {
  const { t, tx, lang } = useI18n();
  const canList = can(role, 'get', '/api/contracts/:id/messages');
  const canLedger = can(role, 'get', '/api/contracts/:id/ledger');
  const messages = useLoad(
    (signal) => (canList ? apiGet<{ total: number; byStatus: Record<string, number>; items: MessageRow[] }>(`/api/contracts/${contract.id}/messages?limit=20`, { signal }) : Promise.resolve(null)),
    [contract.id, canList],
  );
  const ledger = useLoad((signal) => (canLedger ? apiGet<Ledger>(`/api/contracts/${contract.id}/ledger`, { signal }) : Promise.resolve(null)), [contract.id, canLedger]);
  const [error, setError] = useState<unknown>(null);

  const csv = async () => {
    setError(null);
    try {
      const text = await apiText(`/api/contracts/${contract.id}/ledger?format=csv`);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `sms-ledger-${contract.number}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Section
      title={t('detail.messages')}
      id="messages"
      actions={
        canLedger ? (
          <button type="button" className="btn btn-small" onClick={() => void csv()}>
            {t('messages.csv')}
          </button>
        ) : undefined
      }
    >
      <ErrorBox error={messages.error ?? ledger.error ?? error} />
      {messages.data && (
        <>
          <p className="small">
            {t('messages.total', { n: messages.data.total })}
            {Object.entries(messages.data.byStatus ?? {}).map(([status, n]) => (
              <span key={status} className={`badge s-${status}`}>
                {tx(`msgStatus.${status}`, status)} {n}
              </span>
            ))}
          </p>
          {messages.data.items.length === 0 ? (
            <p className="muted">{t('detail.noMessages')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table responsive" data-testid="messages">
                <thead>
                  <tr>
                    <th>{t('messages.recipient')}</th>
                    <th>{t('messages.category')}</th>
                    <th>{t('messages.parts')}</th>
                    <th>{t('messages.status')}</th>
                    <th>{t('messages.when')}</th>
                  </tr>
                </thead>
                <tbody>
                  {messages.data.items.map((m) => (
                    <tr key={m.id}>
                      <td data-label={t('messages.recipient')} className="mono">
                        {m.recipient}
                      </td>
                      <td data-label={t('messages.category')}>{tx(`compose.category.${m.category}`, m.category)}</td>
                      <td data-label={t('messages.parts')}>{m.parts}</td>
                      <td data-label={t('messages.status')}>
                        <span className={`badge s-${m.status}`}>{tx(`msgStatus.${m.status}`, m.status)}</span>
                        {m.reason && <span className="muted small block">{m.reason}</span>}
                      </td>
                      <td data-label={t('messages.when')}>{formatDateTime(m.finalAt ?? m.submittedAt ?? m.sendAt ?? m.createdAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {ledger.data && ledger.data.days.length > 0 && (
        <>
          <h3>{t('messages.ledger')}</h3>
          <div className="table-wrap">
            <table className="table" data-testid="ledger">
              <thead>
                <tr>
                  <th>{t('messages.when')}</th>
                  <th>{t('detail.messages')}</th>
                  <th>{t('messages.parts')}</th>
                  <th>{t('messages.status')}</th>
                </tr>
              </thead>
              <tbody>
                {ledger.data.days.map((d) => (
                  <tr key={d.date}>
                    <td>{d.date}</td>
                    <td>{d.messages}</td>
                    <td>{d.debitedParts}</td>
                    <td className="small">
                      {Object.entries(d.byStatus)
                        .map(([s, v]) => `${tx(`msgStatus.${s}`, s)} ${v.messages}`)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

type Amendment = {
  seq: number;
  description: string;
  changes: { yearlyFeeFen?: number; smsPerYear?: number; permit24h?: boolean; renewalYears?: number };
  status: string;
  signatures: unknown;
  proposed_at?: string;
  signed_at?: string | null;
};

function signaturesOf(value: unknown): { party: string; signer: string }[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value as Record<string, unknown>) : [];
  return list.filter((s): s is { party: string; signer: string } => !!s && typeof s === 'object' && 'party' in s);
}

/**
 * One small form: fields, a zod schema and a POST. An irreversible act
 * (`confirm`: its consequence in one sentence) is checked first, then asked
 * in the danger colour; the fields stay locked while it is asked.
 */
function ActForm({
  title,
  onSubmit,
  check,
  confirm,
  children,
  testId,
}: {
  title: string;
  onSubmit: () => Promise<void>;
  check?: () => Error | null;
  confirm?: string;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
    } catch (e) {
      setError(e);
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!confirm) return void send();
    const problem = check?.() ?? null;
    if (problem) return setError(problem);
    setAsking(true);
  };
  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid={testId}>
      <fieldset className="contents" disabled={asking || busy}>
        {children}
      </fieldset>
      <ErrorBox error={error} />
      {asking && confirm ? (
        <ConfirmStep consequence={confirm} action={title} busy={busy} onConfirm={() => void send()} onCancel={() => setAsking(false)} />
      ) : (
        <div className="form-actions wide">
          <button type="submit" className={`btn btn-small ${confirm ? 'btn-danger' : 'btn-primary'}`} disabled={busy} data-testid={testId ? `${testId}-submit` : undefined}>
            {confirm ? `${title}…` : `${t('legal.confirm')} · ${title}`}
          </button>
        </div>
      )}
    </form>
  );
}

function zodMessage(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, lang: Lang): Error | null {
  if (result.success) return null;
  const issue = result.error!.issues[0]!;
  return new Error(`${issue.path.map(String).join('.')}: ${localizeMessage(issue.message, lang)}`);
}

export function LifecycleSection({ contract, role, onChanged }: { contract: ContractDetail; role: Role; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const canObject = can(role, 'post', '/api/contracts/:id/renewal-objections');
  const canTerminate = can(role, 'post', '/api/contracts/:id/termination');
  const canPropose = can(role, 'post', '/api/contracts/:id/amendments');
  const canSignAmendment = can(role, 'post', '/api/contracts/:id/amendments/:seq/signatures');
  const canList = can(role, 'get', '/api/contracts/:id/amendments');
  const amendments = useLoad((signal) => (canList ? apiGet<{ items: Amendment[] }>(`/api/contracts/${contract.id}/amendments`, { signal }) : Promise.resolve(null)), [contract.id, canList]);

  // a customer operator objects for Party A; staff choose the party (never assumed)
  const [party, setParty] = useState<'' | 'A' | 'B'>(role === 'customer' ? 'A' : '');
  const [reason, setReason] = useState('');
  // no default: the moment a contract ends is chosen, never assumed
  const [effective, setEffective] = useState('');
  const [description, setDescription] = useState('');
  const [fee, setFee] = useState('');
  const [sms, setSms] = useState('');
  const [permit, setPermit] = useState<'' | 'true' | 'false'>('');
  const [renewalYears, setRenewalYears] = useState('');
  const [signer, setSigner] = useState('');
  const [signerTitle, setSignerTitle] = useState('');

  const active = contract.status === 'active';
  if (!active && (amendments.data?.items.length ?? 0) === 0) return null;
  const finish = (message: string) => {
    setDone(message);
    setOpen(null);
    setReason('');
    onChanged();
    amendments.reload();
  };
  const toggle = (id: string) => setOpen(open === id ? null : id);

  return (
    <Section title={t('life.title')} id="lifecycle">
      {done && <Notice kind="ok">{done}</Notice>}
      {amendments.data && amendments.data.items.length > 0 && (
        <ul className="deadlines" data-testid="amendments">
          {amendments.data.items.map((a) => {
            const signed = signaturesOf(a.signatures);
            return (
              <li key={a.seq} className="deadline">
                <div className="deadline-main">
                  <strong>{t('life.amendmentNo', { n: a.seq })}</strong>
                  <StatusBadge status={a.status} kind="amendmentStatus" />
                  <span className="small">{a.description}</span>
                </div>
                <div className="muted small">
                  {[
                    a.changes.yearlyFeeFen !== undefined ? `${t('f.yearlyFee')} ${formatYuan(a.changes.yearlyFeeFen)}` : null,
                    a.changes.smsPerYear !== undefined ? `${t('f.smsPerYear')} ${a.changes.smsPerYear.toLocaleString()}` : null,
                    a.changes.permit24h !== undefined ? `${t('f.permit24h')}: ${a.changes.permit24h ? t('common.yes') : t('common.no')}` : null,
                    a.changes.renewalYears !== undefined ? `${t('f.renewalYears')} ${a.changes.renewalYears}` : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                  {signed.length > 0 && ` · ${signed.map((s) => `${s.party}: ${s.signer}`).join('，')}`}
                  {a.signed_at ? ` · ${formatDate(a.signed_at, lang)}` : ''}
                </div>
                {a.status === 'proposed' && active && canSignAmendment && (
                  <div className="case-actions">
                    {(['A', 'B'] as const)
                      .filter((p) => !signed.some((s) => s.party === p))
                      .map((p) => (
                        <button key={p} type="button" className="btn btn-small" onClick={() => toggle(`sign-${a.seq}-${p}`)}>
                          {t('life.signAmendment', { party: t(p === 'A' ? 'detail.partyA' : 'detail.partyB') })}
                        </button>
                      ))}
                  </div>
                )}
                {(['A', 'B'] as const).map(
                  (p) =>
                    open === `sign-${a.seq}-${p}` && (
                      <ActForm
                        key={p}
                        title={t('sign.submit')}
                        confirm={t('life.signAmendmentConsequence', { party: t(p === 'A' ? 'detail.partyA' : 'detail.partyB'), n: a.seq })}
                        testId={`amendment-sign-${a.seq}-${p}`}
                        onSubmit={async () => {
                          const body = { party: p, signer: signer || (p === 'A' ? contract.parties.A.representative : contract.parties.B.representative), title: signerTitle || (p === 'A' ? '授权代表' : '负责人'), sealed: true as const };
                          const err = zodMessage(ZSignContractRequest.omit({ signedAt: true }).safeParse(body), lang);
                          if (err) throw err;
                          await apiPost(`/api/contracts/${contract.id}/amendments/${a.seq}/signatures`, body, { idempotencyKey: newIdempotencyKey() });
                          finish(t('sign.done', { party: t(p === 'A' ? 'detail.partyA' : 'detail.partyB') }));
                        }}
                      >
                        <label className="field">
                          <span>{t('sign.signer')}</span>
                          <input value={signer} placeholder={p === 'A' ? contract.parties.A.representative : contract.parties.B.representative} onChange={(e) => setSigner(e.target.value)} />
                        </label>
                        <label className="field">
                          <span>{t('sign.signerTitle')}</span>
                          <input value={signerTitle} placeholder={p === 'A' ? '授权代表' : '负责人'} onChange={(e) => setSignerTitle(e.target.value)} />
                        </label>
                      </ActForm>
                    ),
                )}
              </li>
            );
          })}
        </ul>
      )}
      {active && (
        <div className="case-actions">
          {canPropose && (
            <button type="button" className={`btn btn-small ${open === 'amend' ? 'active' : ''}`} onClick={() => toggle('amend')}>
              {t('life.propose')}
            </button>
          )}
          {canObject && (
            <button type="button" className={`btn btn-small ${open === 'object' ? 'active' : ''}`} onClick={() => toggle('object')}>
              {t('life.object')}
            </button>
          )}
          {canTerminate && (
            <button type="button" className={`btn btn-small btn-danger-outline ${open === 'terminate' ? 'active' : ''}`} onClick={() => toggle('terminate')} data-testid="terminate">
              {t('life.terminate')}
            </button>
          )}
        </div>
      )}
      {open === 'object' && (
        <ActForm
          title={t('life.object')}
          testId="objection-form"
          check={() => (party ? zodMessage(ZRenewalObjectionRequest.safeParse({ party, reason }), lang) : new Error(`${t('sign.party')}: ${t('common.choose')}`))}
          confirm={t('life.objectConsequence', { party: t(party === 'A' ? 'detail.partyA' : 'detail.partyB'), end: formatDue(contract.termEndsAt, lang) })}
          onSubmit={async () => {
            const body = { party, reason };
            const err = zodMessage(ZRenewalObjectionRequest.safeParse(body), lang);
            if (err) throw err;
            await apiPost(`/api/contracts/${contract.id}/renewal-objections`, body, { idempotencyKey: newIdempotencyKey() });
            finish(t('life.objected'));
          }}
        >
          <label className="field">
            <span>{t('sign.party')}</span>
            <select value={party} onChange={(e) => setParty(e.target.value as '' | 'A' | 'B')} disabled={role === 'customer'}>
              <option value="">{t('common.choose')}</option>
              <option value="A">{t('detail.partyA')}</option>
              <option value="B">{t('detail.partyB')}</option>
            </select>
          </label>
          <label className="field wide">
            <span>{t('legal.reason')}</span>
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        </ActForm>
      )}
      {open === 'terminate' && (
        <ActForm
          title={t('life.terminate')}
          testId="termination-form"
          check={() => (effective ? zodMessage(ZTerminationRequest.safeParse({ reason, effectiveAt: fromShanghaiInput(effective) }), lang) : new Error(`${t('life.effective')}: ${t('life.effectiveRequired')}`))}
          confirm={t('life.terminateConsequence', { number: contract.number, at: effective ? formatDateTime(fromShanghaiInput(effective), lang) : '' })}
          onSubmit={async () => {
            const body = { reason, effectiveAt: fromShanghaiInput(effective) };
            const err = zodMessage(ZTerminationRequest.safeParse(body), lang);
            if (err) throw err;
            await apiPost(`/api/contracts/${contract.id}/termination`, body, { idempotencyKey: newIdempotencyKey() });
            finish(t('life.terminated'));
          }}
        >
          <label className="field">
            <span>{t('life.effective')}</span>
            <input type="datetime-local" value={effective} onChange={(e) => setEffective(e.target.value)} data-testid="termination-effective" />
          </label>
          <label className="field wide">
            <span>{t('legal.reason')}</span>
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="termination-reason" />
          </label>
        </ActForm>
      )}
      {open === 'amend' && (
        <ActForm
          title={t('life.propose')}
          onSubmit={async () => {
            const feeFen = fee.trim() ? parseYuan(fee) : undefined;
            if (feeFen === null) throw new Error(`${t('f.yearlyFee')}: ${lang === 'zh' ? '请输入金额（元）' : 'must be an amount in CNY'}`);
            const body = {
              description,
              changes: {
                ...(feeFen !== undefined ? { yearlyFeeFen: feeFen } : {}),
                ...(sms.trim() ? { smsPerYear: Number(sms) } : {}),
                ...(permit ? { permit24h: permit === 'true' } : {}),
                ...(renewalYears.trim() ? { renewalYears: Number(renewalYears) } : {}),
              },
            };
            const err = zodMessage(ZProposeAmendmentRequest.safeParse(body), lang);
            if (err) throw err;
            await apiPost(`/api/contracts/${contract.id}/amendments`, body, { idempotencyKey: newIdempotencyKey() });
            finish(t('life.proposed'));
          }}
        >
          <label className="field wide">
            <span>{t('life.description')}</span>
            <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('f.yearlyFee')}</span>
            <input inputMode="decimal" value={fee} placeholder={formatYuan(contract.terms.package.yearlyFeeFen)} onChange={(e) => setFee(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('f.smsPerYear')}</span>
            <input inputMode="numeric" value={sms} placeholder={String(contract.terms.package.smsPerYear)} onChange={(e) => setSms(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('f.permit24h')}</span>
            <select value={permit} onChange={(e) => setPermit(e.target.value as '' | 'true' | 'false')}>
              <option value="">—</option>
              <option value="true">{t('common.yes')}</option>
              <option value="false">{t('common.no')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('f.renewalYears')}</span>
            <input inputMode="numeric" value={renewalYears} placeholder={String(contract.terms.term.renewalYears)} onChange={(e) => setRenewalYears(e.target.value)} />
          </label>
        </ActForm>
      )}
    </Section>
  );
}
