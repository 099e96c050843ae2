/**
 * Service interruptions (Art.5 §8): declaring one over the contracts chosen
 * by customer name or number (or every contract in service), then one card
 * per outage — how many customers were notified, are held, were late, the
 * 24-hour notice deadline in words — with the release of every held notice
 * at once and the restoration. Bodies are validated with the API's schemas
 * (domain/legal); the acts that reach many customers ask first.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { OUTAGE_CAUSES, ZHoldRequest, ZOutageRequest, ZReleaseRequest, ZResolutionRequest } from '../../../domain/legal';
import { apiGet, apiPost, can, newIdempotencyKey, type Role } from '../api';
import { useAuth } from '../auth';
import { ConfirmStep, Countdown, ErrorBox, Loading, Notice, StatusBadge, useLoad } from '../components';
import { formatDateTime, formatDue, fromShanghaiInput, shanghaiInputValue, urgencyOf } from '../format';
import { useI18n, type Lang } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { localizeMessage } from '../zod-messages';
import type { ContractListItem } from './Contracts';
import type { CaseView } from './Legal';

export type OutageSummary = {
  id: string;
  startedAt: string;
  learnedAt: string;
  cause: string;
  description: string;
  scope: 'all' | 'listed';
  status: string;
  noticeDueAt: string;
  noticeExplanation: string;
  heldBy: string | null;
  heldAt: string | null;
  holdReason: string | null;
  alertedAt: string | null;
  lateAt: string | null;
  notifiedAt: string | null;
  notifiedBy: string | null;
  restoredAt: string | null;
  reportedBy: string;
  createdAt: string;
  noticeSecondsLeft: number | null;
  contracts: number;
  notified: number;
  unsent: number;
  held: number;
  late: number;
};
type OutageDetail = Omit<OutageSummary, 'contracts' | 'notified' | 'unsent' | 'held' | 'late'> & { cases: CaseView[] };

/** What the role may do here, from the API's route table. */
const rights = (role: Role) => ({
  declare: can(role, 'post', '/api/outages'),
  hold: can(role, 'post', '/api/outages/:id/hold'),
  release: can(role, 'post', '/api/outages/:id/release'),
  resolve: can(role, 'post', '/api/outages/:id/resolution'),
});

/** Every contract in service, page by page (the list answers at most 200 at a time). */
async function activeContracts(signal: AbortSignal): Promise<ContractListItem[]> {
  const all: ContractListItem[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await apiGet<{ total: number; items: ContractListItem[] }>(`/api/contracts?status=active&limit=200&offset=${offset}`, { signal });
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.total) return all;
  }
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.')] ??= localizeMessage(issue.message, lang);
  return out;
}

function DeclareOutageForm({ onDeclared }: { onDeclared: (o: OutageDetail) => void }) {
  const { t, tx, lang } = useI18n();
  const contracts = useLoad(activeContracts, []);
  const [startedAt, setStartedAt] = useState('');
  const [learnedAt, setLearnedAt] = useState('');
  const [cause, setCause] = useState('');
  const [description, setDescription] = useState('');
  const [scope, setScope] = useState<'' | 'listed' | 'all'>('');
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [hold, setHold] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [asking, setAsking] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const items = useMemo(() => contracts.data ?? [], [contracts.data]);
  const needle = search.trim().toLowerCase();
  const matches = useMemo(
    () => (needle ? items.filter((c) => c.number.toLowerCase().includes(needle) || c.partyA.toLowerCase().includes(needle)) : items),
    [items, needle],
  );
  const shown = matches.slice(0, 50);
  const count = scope === 'all' ? items.length : picked.length;
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      startedAt: startedAt ? fromShanghaiInput(startedAt) : '',
      learnedAt: learnedAt ? fromShanghaiInput(learnedAt) : '',
      cause,
      description,
      ...(scope === 'all' ? { all: true as const } : { contractIds: picked }),
      ...(hold ? { holdForReview: true } : {}),
    };
    const parsed = ZOutageRequest.safeParse(body);
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (scope === '') next.contractIds = t('outage.scopeRequired');
    else if (scope === 'listed' && picked.length === 0) next.contractIds = t('outage.pickOne');
    if (!cause) next.cause = t('outage.causeRequired');
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    setAsking(parsed.data);
  };

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      onDeclared(await apiPost<OutageDetail>('/api/outages', asking, { idempotencyKey: newIdempotencyKey() }));
    } catch (e) {
      setError(e);
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string) => `field ${errors[name] ? 'has-error' : ''}`;
  return (
    <form className="card form-grid" onSubmit={submit} noValidate data-testid="outage-form">
      <h2 className="wide">{t('outage.declare')}</h2>
      <p className="wide muted small">{t('outage.declareIntro')}</p>
      <fieldset className="contents" disabled={asking !== null}>
        <label className={field('startedAt')}>
          <span>{t('outage.startedAt')}</span>
          <input type="datetime-local" value={startedAt} onChange={(e) => setStartedAt(e.target.value)} data-testid="outage-started" />
          {errors.startedAt && <span className="field-error">{errors.startedAt}</span>}
        </label>
        <label className={field('learnedAt')}>
          <span>{t('outage.learnedAt')}</span>
          <input type="datetime-local" value={learnedAt} max={shanghaiInputValue(new Date())} onChange={(e) => setLearnedAt(e.target.value)} data-testid="outage-learned" />
          {errors.learnedAt && <span className="field-error">{errors.learnedAt}</span>}
        </label>
        <label className={field('cause')}>
          <span>{t('outage.cause')}</span>
          <select value={cause} onChange={(e) => setCause(e.target.value)} data-testid="outage-cause">
            <option value="">{t('common.choose')}</option>
            {OUTAGE_CAUSES.map((c) => (
              <option key={c} value={c}>
                {tx(`outageCause.${c}`, c)}
              </option>
            ))}
          </select>
          {errors.cause && <span className="field-error">{errors.cause}</span>}
        </label>
        <label className={`${field('description')} wide`}>
          <span>{t('outage.description')}</span>
          <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="outage-description" />
          {errors.description && <span className="field-error">{errors.description}</span>}
        </label>
        <fieldset className={`${field('contractIds')} wide`}>
          <legend>{t('outage.affected')}</legend>
          <div className="segmented">
            <label className="radio">
              <input type="radio" name="scope" checked={scope === 'listed'} onChange={() => setScope('listed')} data-testid="scope-listed" />
              <span>{t('outage.scopeListed')}</span>
            </label>
            <label className="radio">
              <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} data-testid="scope-all" />
              <span>{t('outage.scopeAll', { n: contracts.data ? items.length : '…' })}</span>
            </label>
          </div>
          {errors.contractIds && <span className="field-error">{errors.contractIds}</span>}
        </fieldset>
        {scope === 'listed' && (
          <div className="picker wide" data-testid="contract-picker">
            <ErrorBox error={contracts.error} onRetry={contracts.reload} />
            <input type="search" value={search} placeholder={t('outage.search')} aria-label={t('outage.search')} onChange={(e) => setSearch(e.target.value)} data-testid="contract-search" />
            <p className="muted small" data-testid="picked-count">
              {t('outage.picked', { n: picked.length })}
              {picked.length > 0 && (
                <>
                  {' '}
                  <button type="button" className="link" onClick={() => setPicked([])}>
                    {t('list.filter.clear')}
                  </button>
                </>
              )}
            </p>
            {!contracts.data ? (
              contracts.error ? null : <Loading />
            ) : (
              <ul className="picker-list">
                {shown.map((c) => (
                  <li key={c.id}>
                    <label className="check">
                      <input type="checkbox" checked={picked.includes(c.id)} onChange={() => toggle(c.id)} data-testid="pick" data-contract-id={c.id} />
                      <span className="mono">{c.number}</span>
                      <span>{c.partyA}</span>
                    </label>
                  </li>
                ))}
                {matches.length === 0 && <li className="muted">{t('outage.noMatch')}</li>}
                {matches.length > shown.length && <li className="muted small">{t('outage.more', { n: matches.length - shown.length })}</li>}
              </ul>
            )}
          </div>
        )}
        <label className="check field wide">
          <input type="checkbox" checked={hold} onChange={(e) => setHold(e.target.checked)} data-testid="outage-hold" />
          <span>{t('outage.holdForReview')}</span>
        </label>
      </fieldset>
      <ErrorBox error={error} />
      {asking !== null ? (
        <ConfirmStep
          consequence={t(hold ? 'outage.confirmHeld' : 'outage.confirmSend', { n: count })}
          action={t('outage.confirmDeclare', { n: count })}
          busy={busy}
          onConfirm={() => void send()}
          onCancel={() => setAsking(null)}
        />
      ) : (
        <div className="form-actions wide">
          <button type="submit" className="btn btn-primary" data-testid="outage-submit">
            {t('outage.declareSubmit')}
          </button>
        </div>
      )}
    </form>
  );
}

/** The contracts of one outage, read when opened. */
function OutageContracts({ id, version }: { id: string; version: number }) {
  const { t, tx } = useI18n();
  const detail = useLoad((signal) => apiGet<OutageDetail>(`/api/outages/${encodeURIComponent(id)}`, { signal }), [id, version]);
  if (detail.error) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading />;
  return (
    <ul className="outage-contracts" data-testid="outage-contracts">
      {detail.data.cases.map((c) => (
        <li key={c.id} data-case-id={c.id}>
          {c.contract && (
            <Link to={`/contracts/${c.contract.id}`} className="mono">
              {c.contract.number}
            </Link>
          )}
          <span>{c.contract?.partyA}</span>
          <StatusBadge status={c.status} kind="caseStatus" />
          {c.flags.map((f) => (
            <span key={f} className="badge s-overdue">
              {tx(`flag.${f}`, f)}
            </span>
          ))}
        </li>
      ))}
      {detail.data.cases.length === 0 && <li className="muted">{t('outage.noContracts')}</li>}
    </ul>
  );
}

type Act = 'release' | 'hold' | 'resolve';
/** the reason the API records for notices held from the moment of reporting (services/cases.ts) */
const HELD_WHEN_REPORTED = 'held for review when reported';

function OutageCard({ o, fetchedAt, role, onChanged }: { o: OutageSummary; fetchedAt: number; role: Role; onChanged: () => void }) {
  const { t, tx, lang } = useI18n();
  const may = rights(role);
  const [open, setOpen] = useState<Act | null>(null);
  const [asking, setAsking] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [restoredAt, setRestoredAt] = useState('');
  const [issue, setIssue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  const heldNow = o.held > 0;
  const acts: Act[] = [
    ...(heldNow && may.release ? (['release'] as const) : []),
    ...(o.unsent > 0 && !heldNow && o.notifiedAt === null && may.hold ? (['hold'] as const) : []),
    ...(o.notifiedAt !== null && o.restoredAt === null && may.resolve ? (['resolve'] as const) : []),
  ];
  const urgency = o.noticeSecondsLeft === null ? 'none' : urgencyOf(o.noticeSecondsLeft);
  const choose = (act: Act) => {
    setOpen(open === act ? null : act);
    setAsking(null);
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
      setIssue(localizeMessage(parsed.error.issues[0]?.message ?? 'invalid', lang));
      return;
    }
    setIssue(null);
    if (open === 'hold') void send(parsed.data);
    else setAsking(parsed.data);
  };

  const send = async (body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      const path = { release: 'release', hold: 'hold', resolve: 'resolution' }[open!];
      await apiPost(`/api/outages/${encodeURIComponent(o.id)}/${path}`, body, { idempotencyKey: newIdempotencyKey() });
      setOpen(null);
      setAsking(null);
      setVersion((v) => v + 1);
      onChanged();
    } catch (e) {
      setError(e);
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

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
              onCancel={() => setAsking(null)}
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

export function OutagesPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const status = query.get('status') === 'all' ? 'all' : 'open';
  const [declaring, setDeclaring] = useState(false);
  const [declared, setDeclared] = useState<OutageDetail | null>(null);
  const list = useLoad((signal) => apiGet<{ total: number; items: OutageSummary[] }>(`/api/outages?status=${status}&limit=100`, { signal }), [status]);

  // notices on their way (reported, not held, not yet sent): look again soon
  const sending = list.data?.items.some((o) => o.unsent > 0 && o.held === 0) ?? false;
  const reload = list.reload;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, sending ? 3_000 : 30_000);
    return () => clearInterval(timer);
  }, [sending, reload]);

  return (
    <div className="page" data-testid="outages-page">
      <div className="page-head">
        <div>
          <h1>{t('outage.title')}</h1>
          <p className="muted">{t('outage.intro')}</p>
        </div>
        {rights(user.role).declare && (
          <button type="button" className="btn btn-primary" onClick={() => setDeclaring(!declaring)} data-testid="declare-outage">
            {t('outage.declare')}
          </button>
        )}
      </div>
      {declaring && (
        <DeclareOutageForm
          onDeclared={(o) => {
            setDeclared(o);
            setDeclaring(false);
            list.reload();
          }}
        />
      )}
      {declared && <Notice kind="ok">{t('outage.declared', { id: declared.id, n: declared.cases.length })}</Notice>}
      <div className="filters card">
        <div className="segmented" role="group" aria-label={t('legal.state')}>
          {(['open', 'all'] as const).map((s) => (
            <button key={s} type="button" className={`btn btn-small ${s === status ? 'active' : ''}`} aria-pressed={s === status} onClick={() => navigate(s === 'open' ? '/outages' : '/outages?status=all')}>
              {t(s === 'open' ? 'outage.filter.open' : 'legal.status.all')}
            </button>
          ))}
        </div>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data && list.data.items.length === 0 ? (
        <p className="card muted">{t('outage.empty')}</p>
      ) : (
        <div className="cases" data-testid="outages">
          {list.data?.items.map((o) => <OutageCard key={o.id} o={o} fetchedAt={list.fetchedAt} role={user.role} onChanged={list.reload} />)}
        </div>
      )}
    </div>
  );
}
