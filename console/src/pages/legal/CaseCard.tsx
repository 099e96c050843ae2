/**
 * One case on the legal board, coloured by urgency: its contract, deadline
 * with a live countdown, flags, history and documents, and the acts its
 * status allows the role.
 */
import { useState } from 'react';
import type { CaseView } from '../../../../api/routes/cases.types';
import { apiBlob, can, type Role } from '../../api';
import { Countdown, ErrorBox, StatusBadge } from '../../components';
import { saveFile } from '../../download';
import { formatDateTime, formatDue, urgencyOf } from '../../format';
import { partyWord } from '../../forms';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { ActionForm } from './ActionForm';
import { ACTIONS } from './caseActions';
import { CaseFlags } from './CaseFlags';

export function CaseCard({ c: initial, role }: { c: CaseView; role: Role }) {
  const { t, tx, lang } = useI18n();
  const [c, setC] = useState(initial);
  const [fetchedAt, setFetchedAt] = useState(() => Date.now());
  const [open, setOpen] = useState<string | null>(null);
  const [docError, setDocError] = useState<unknown>(null);
  const actions = ACTIONS.filter((a) => a.applies(c, role) && can(role, 'post', a.route));
  const left = c.secondsLeft;
  const urgency = left === null ? 'none' : urgencyOf(left - (Date.now() - fetchedAt) / 1000);

  const download = async (doc: CaseView['documents'][number]) => {
    try {
      saveFile(await apiBlob(doc.url), 'application/pdf', `${doc.title || doc.id}.pdf`);
    } catch (e) {
      setDocError(e);
    }
  };

  return (
    <article className={`case card urg-${urgency}`} data-case-id={c.id} data-kind={c.kind} data-testid="case">
      <header className="case-head">
        <span className="badge kind">{tx(`caseKind.${c.kind}`)}</span>
        <StatusBadge status={c.status} kind="caseStatus" />
        {c.contract && (
          <Link to={`/contracts/${c.contract.id}`} className="mono">
            {c.contract.number}
          </Link>
        )}
        <span className="muted small">{c.contract?.partyA}</span>
        {c.deadline && left !== null && (
          <span className="case-countdown">
            <span className="muted small">{tx(`deadline.${c.deadline.kind}`)}</span> <Countdown secondsLeft={left} fetchedAt={fetchedAt} label={tx(`deadline.${c.deadline.kind}`)} />
          </span>
        )}
      </header>
      <p className="case-desc">
        {c.servedBy && <span className="muted small">{t(c.kind === 'force_majeure' ? 'legal.declaredBy' : 'legal.servedByParty', { party: partyWord(t, c.servedBy) })} · </span>}
        {c.clause && <span className="muted small">{c.clause} · </span>}
        {c.description}
      </p>
      {c.deadline && (
        <p className="muted small">
          {formatDue(c.deadline.dueAt, lang)} · {c.deadline.explanation}
        </p>
      )}
      <CaseFlags flags={c.flags} />
      <details className="case-more">
        <summary>
          {t('legal.history')} ({c.timeline.length}) · {t('detail.documents')} ({c.documents.length})
        </summary>
        <ol className="timeline">
          {[...c.timeline].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
              <div>
                <strong>{tx(`caseEvent.${e.type}`, e.type)}</strong>
                <div className="muted small">{t('audit.by', { actor: e.actor.name, role: tx(`role.${e.actor.role ?? ''}`, e.actor.role ?? '') })}</div>
              </div>
            </li>
          ))}
        </ol>
        <ul className="documents">
          {c.documents.map((d) => (
            <li key={d.id}>
              <span className="doc-icon" aria-hidden="true">
                PDF
              </span>
              <span className="doc-title">{d.title}</span>
              <button type="button" className="btn btn-small" onClick={() => void download(d)}>
                {t('detail.download')}
              </button>
            </li>
          ))}
        </ul>
        <ErrorBox error={docError} />
      </details>
      {actions.length > 0 && (
        <div className="case-actions">
          {actions.map((a) => (
            <button key={a.id} type="button" className={`btn btn-small ${open === a.id ? 'active' : ''}`} onClick={() => setOpen(open === a.id ? null : a.id)} data-testid={`action-${a.id}`}>
              {t(a.label)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <ActionForm
          key={open}
          action={actions.find((a) => a.id === open)!}
          c={c}
          onDone={(updated) => {
            setC({ ...c, ...updated });
            setFetchedAt(Date.now());
            setOpen(null);
          }}
        />
      )}
    </article>
  );
}
