/**
 * One outage: how many customers were notified, are held, were late, the
 * 24-hour notice deadline in words, its contracts, and the acts the role may
 * take — release every held notice at once (asked first), hold them, record
 * the restoration (asked first). Bodies are validated with the API's schemas.
 */
import { useState, type FormEvent } from 'react';
import type { OutageListItemView } from '../../../../api/routes/cases.types';
import { ZHoldRequest, ZReleaseRequest, ZResolutionRequest } from '../../../../domain/legal';
import { apiPost, newIdempotencyKey, type Role } from '../../api';
import { ConfirmStep, Countdown, ErrorBox, StatusBadge } from '../../components';
import { formatDateTime, formatDue, fromShanghaiInput, shanghaiInputValue, urgencyOf } from '../../format';
import { firstIssue, useAct } from '../../forms';
import { useI18n } from '../../i18n';
import { OutageContracts } from './OutageContracts';
import { outageRights } from './rights';

type OutageAct = 'release' | 'hold' | 'resolve';
/** the reason the API records for notices held from the moment of reporting (services/cases.ts) */
const HELD_WHEN_REPORTED = 'held for review when reported';

export function OutageCard({ o, fetchedAt, role, onChanged }: { o: OutageListItemView; fetchedAt: number; role: Role; onChanged: () => void }) {
  const { t, tx, lang } = useI18n();
  const may = outageRights(role);
  const [open, setOpen] = useState<OutageAct | null>(null);
  const [text, setText] = useState('');
  const [restoredAt, setRestoredAt] = useState('');
  const [issue, setIssue] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const { asking, ask, busy, error, setError, run } = useAct();

  const heldNow = o.held > 0;
  const acts: OutageAct[] = [
    ...(heldNow && may.release ? (['release'] as const) : []),
    ...(o.unsent > 0 && !heldNow && o.notifiedAt === null && may.hold ? (['hold'] as const) : []),
    ...(o.notifiedAt !== null && o.restoredAt === null && may.resolve ? (['resolve'] as const) : []),
  ];
  const urgency = o.noticeSecondsLeft === null ? 'none' : urgencyOf(o.noticeSecondsLeft);
  const choose = (act: OutageAct) => {
    setOpen(open === act ? null : act);
    ask(null);
    setText('');
    setIssue(null);
    setError(null);
  };

  const prepare = (event: FormEvent) => {
    event.preventDefault();
    const parsed =
      open === 'release'
        ? ZReleaseRequest.safeParse(text.trim() ? { note: text } : {})
        : open === 'hold'
          ? ZHoldRequest.safeParse({ reason: text })
          : ZResolutionRequest.safeParse({ restoredAt: restoredAt ? fromShanghaiInput(restoredAt) : '', ...(text.trim() ? { description: text } : {}) });
    if (!parsed.success) {
      setIssue(firstIssue(parsed.error, lang));
      return;
    }
    setIssue(null);
    if (open === 'hold') void send(parsed.data);
    else ask(parsed.data);
  };

  const send = (body: unknown) =>
    run(async () => {
      const path = { release: 'release', hold: 'hold', resolve: 'resolution' }[open!];
      await apiPost(`/api/outages/${encodeURIComponent(o.id)}/${path}`, body, { idempotencyKey: newIdempotencyKey() });
      setOpen(null);
      ask(null);
      setVersion((v) => v + 1);
      onChanged();
    });

  return (
    <article className={`case card outage urg-${urgency}`} data-testid="outage" data-outage-id={o.id} data-status={o.status}>
      <header className="case-head">
        <span className="badge kind">{tx(`outageCause.${o.cause}`, o.cause)}</span>
        <StatusBadge status={o.status} kind="caseStatus" />
        <span className="muted small mono">{o.id}</span>
        {o.noticeSecondsLeft !== null && (
          <span className="case-countdown">
            <span className="muted small">{t('deadline.outage_notice')}</span> <Countdown secondsLeft={o.noticeSecondsLeft} fetchedAt={fetchedAt} label={t('deadline.outage_notice')} />
          </span>
        )}
      </header>
      <p className="case-desc">{o.description}</p>
      <p className="muted small">
        {t('outage.times', { started: formatDateTime(o.startedAt, lang), learned: formatDateTime(o.learnedAt, lang) })} · {t('outage.noticeDue', { due: formatDue(o.noticeDueAt, lang) })}
      </p>
      <dl className="outage-stats" data-testid="outage-stats">
        <div data-stat="contracts">
          <dt>{t('outage.stat.customers')}</dt>
          <dd>{o.contracts}</dd>
        </div>
        <div data-stat="notified" className={o.notified === o.contracts && o.contracts > 0 ? 'ok' : undefined}>
          <dt>{t('outage.stat.notified')}</dt>
          <dd>{o.notified}</dd>
        </div>
        <div data-stat="held" className={o.held > 0 ? 'warn' : undefined}>
          <dt>{t('outage.stat.held')}</dt>
          <dd>{o.held}</dd>
        </div>
        <div data-stat="late" className={o.late > 0 ? 'bad' : undefined}>
          <dt>{t('outage.stat.late')}</dt>
          <dd>{o.late}</dd>
        </div>
      </dl>
      {heldNow && o.heldAt && (
        <p className="small warn-text">{t('outage.heldBy', { by: o.heldBy ?? '', at: formatDateTime(o.heldAt, lang), reason: o.holdReason === HELD_WHEN_REPORTED ? t('outage.heldWhenReported') : (o.holdReason ?? '') })}</p>
      )}
      {o.notifiedAt && <p className="small">{t('outage.notifiedAt', { at: formatDateTime(o.notifiedAt, lang), by: o.notifiedBy ?? '' })}</p>}
      {o.restoredAt && <p className="small ok">{t('outage.restoredAt', { at: formatDateTime(o.restoredAt, lang) })}</p>}
      <details className="case-more">
        <summary>{t('outage.contractsOf', { n: o.contracts })}</summary>
        <OutageContracts id={o.id} version={version} />
      </details>
      {acts.length > 0 && (
        <div className="case-actions">
          {acts.map((a) => (
            <button key={a} type="button" className={`btn btn-small ${a === 'release' ? 'btn-danger-outline' : ''} ${open === a ? 'active' : ''}`} onClick={() => choose(a)} data-testid={`outage-${a}`}>
              {a === 'release' ? t('outage.releaseAll', { n: o.held }) : a === 'hold' ? t('legal.hold') : t('outage.resolve')}
            </button>
          ))}
        </div>
      )}
      {open && (
        <form className="action-form" onSubmit={prepare} noValidate data-action={open}>
          <fieldset className="contents" disabled={asking !== null || busy}>
            {open === 'resolve' && (
              <label className="field">
                <span>{t('outage.restoredAtField')}</span>
                <input type="datetime-local" value={restoredAt} max={shanghaiInputValue(new Date())} onChange={(e) => setRestoredAt(e.target.value)} data-testid="restored-at" />
              </label>
            )}
            <label className="field">
              <span>{t(open === 'hold' ? 'legal.reason' : open === 'resolve' ? 'outage.restoredNote' : 'legal.note')}</span>
              <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} />
            </label>
            {issue && <span className="field-error">{issue}</span>}
          </fieldset>
          <ErrorBox error={error} />
          {asking !== null ? (
            <ConfirmStep
              consequence={t(open === 'release' ? 'outage.confirmRelease' : 'outage.confirmResolve', { n: open === 'release' ? o.held : o.contracts })}
              action={t(open === 'release' ? 'outage.releaseAll' : 'outage.resolve', { n: o.held })}
              busy={busy}
              onConfirm={() => void send(asking)}
              onCancel={() => ask(null)}
            />
          ) : (
            <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="outage-act-submit">
              {open === 'release' ? t('outage.releaseAll', { n: o.held }) : open === 'hold' ? t('legal.hold') : t('outage.resolve')}
            </button>
          )}
        </form>
      )}
    </article>
  );
}
