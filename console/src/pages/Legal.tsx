/**
 * Legal board: every open case (breach, outage, violation, force majeure)
 * soonest deadline first (the API's order), coloured by urgency, with the
 * actions each case allows in its status and the role may take; and serving
 * a breach notice. An outage is one card for all its contracts, acted on in
 * the outages screen. Bodies are validated with the API's schemas
 * (domain/legal); irreversible acts ask first, stating the consequence.
 */
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import {
  CASE_KINDS,
  ZBreachNoticeRequest,
  ZConfirmViolationRequest,
  ZCureRequest,
  ZDismissViolationRequest,
  ZObjectionRequest,
  ZProofRequest,
  ZSettlementRequest,
  ZWithdrawalRequest,
} from '../../../domain/legal';
import { apiBlob, apiGet, apiPost, can, newIdempotencyKey, type Role } from '../api';
import { features, useAuth } from '../App';
import { ConfirmStep, Countdown, ErrorBox, Loading, Notice, StatusBadge, useLoad } from '../components';
import { formatDateTime, formatDue, urgencyOf } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { localizeMessage } from '../zod-messages';
import type { ContractListItem } from './Contracts';

export type CaseView = {
  id: string;
  kind: 'breach' | 'outage' | 'violation' | 'force_majeure';
  status: string;
  open: boolean;
  contract: { id: string; number: string | null; ownerId: string | null; partyA: string | null } | null;
  servedBy: 'A' | 'B' | null;
  clause: string | null;
  description: string;
  openedAt: string;
  openedBy: string;
  deadline: { kind: string; dueAt: string; explanation: string; secondsLeft: number | null } | null;
  secondsLeft: number | null;
  flags: string[];
  /** what the case's kind records (a violation's report: learnedAt, dueAt, onTime…) */
  details?: Record<string, unknown>;
  outageId: string | null;
  closedAt: string | null;
  timeline: { at: string; type: string; actor: { id: string; role: string | null; name: string }; data: Record<string, unknown> }[];
  documents: { id: string; title: string; kind?: string; url: string }[];
};

export type ActionDef = {
  id: string;
  label: MessageKey;
  /** the API path, with :id for the case */
  route: string;
  field: MessageKey;
  schema: z.ZodType;
  body: (text: string) => unknown;
  applies: (c: CaseView, role: Role) => boolean;
  optional?: boolean;
  /** an irreversible act: its consequence, asked before it is sent */
  confirm?: MessageKey;
};

const written = (text: string) => ({ text });
/** customer operators act for Party A only */
const actsFor = (role: Role, party: 'A' | 'B' | null) => role !== 'customer' || party === 'A';
const breaching = (c: CaseView) => (c.servedBy === 'A' ? 'B' : 'A');

export const ACTIONS: ActionDef[] = [
  {
    id: 'cure',
    label: 'legal.cure',
    route: '/api/breach-cases/:id/cure',
    field: 'legal.cureText',
    schema: ZCureRequest,
    body: (text) => ({ confirmation: written(text) }),
    applies: (c, role) => c.kind === 'breach' && c.status === 'served' && actsFor(role, breaching(c)),
  },
  {
    id: 'objection',
    label: 'legal.objection',
    route: '/api/breach-cases/:id/objection',
    field: 'legal.reason',
    schema: ZObjectionRequest,
    body: (text) => ({ reason: text }),
    applies: (c, role) => c.kind === 'breach' && c.status === 'served' && actsFor(role, breaching(c)),
  },
  {
    id: 'settlement',
    label: 'legal.settlement',
    route: '/api/breach-cases/:id/settlement',
    field: 'legal.summary',
    schema: ZSettlementRequest,
    body: (text) => ({ summary: text }),
    applies: (c) => c.kind === 'breach' && (c.status === 'negotiating' || c.status === 'escalated'),
  },
  {
    id: 'withdrawal',
    label: 'legal.withdrawal',
    route: '/api/breach-cases/:id/withdrawal',
    field: 'legal.reason',
    schema: ZWithdrawalRequest,
    body: (text) => ({ reason: text }),
    applies: (c, role) => c.kind === 'breach' && ['served', 'negotiating', 'escalated'].includes(c.status) && actsFor(role, c.servedBy),
  },
  {
    id: 'proof',
    label: 'legal.proof',
    route: '/api/force-majeure/:id/proof',
    field: 'legal.proofText',
    schema: ZProofRequest,
    body: (text) => ({ document: written(text) }),
    applies: (c, role) => c.kind === 'force_majeure' && (c.status === 'declared' || c.status === 'proof_overdue') && actsFor(role, c.servedBy),
  },
  {
    id: 'confirm',
    label: 'legal.confirmViolation',
    route: '/api/violations/:id/confirmation',
    field: 'legal.finding',
    schema: ZConfirmViolationRequest,
    body: (text) => ({ finding: text }),
    applies: (c) => c.kind === 'violation' && (c.status === 'reported' || c.status === 'detected'),
    confirm: 'violation.confirmConsequence',
  },
  {
    id: 'dismiss',
    label: 'legal.dismissViolation',
    route: '/api/violations/:id/dismissal',
    field: 'legal.reason',
    schema: ZDismissViolationRequest,
    body: (text) => ({ reason: text }),
    applies: (c) => c.kind === 'violation' && (c.status === 'reported' || c.status === 'detected'),
  },
];

export function ActionForm({ action, c, onDone }: { action: ActionDef; c: CaseView; onDone: (c: CaseView) => void }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [issue, setIssue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<unknown>(null);
  const send = async (body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      const path = action.route.replace(':id', encodeURIComponent(c.id));
      onDone(await apiPost<CaseView>(path, body, { idempotencyKey: newIdempotencyKey() }));
    } catch (e) {
      setError(e);
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = action.schema.safeParse(action.body(text));
    if (!parsed.success) {
      setIssue(localizeMessage(parsed.error.issues[0]?.message ?? 'invalid', lang));
      return;
    }
    setIssue(null);
    if (action.confirm) setAsking(parsed.data);
    else void send(parsed.data);
  };
  return (
    <form className="action-form" onSubmit={submit} noValidate data-action={action.id}>
      <label className="field">
        <span>{t(action.field)}</span>
        <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} required={!action.optional} disabled={asking !== null} />
        {issue && <span className="field-error">{issue}</span>}
      </label>
      <ErrorBox error={error} />
      {asking !== null && action.confirm ? (
        <ConfirmStep consequence={t(action.confirm, { number: c.contract?.number ?? '' })} action={t(action.label)} busy={busy} onConfirm={() => void send(asking)} onCancel={() => setAsking(null)} />
      ) : (
        <button type="submit" className={`btn btn-small ${action.confirm ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
          {t('legal.confirm')} · {t(action.label)}
        </button>
      )}
    </form>
  );
}

function CaseCard({ c: initial, role }: { c: CaseView; role: Role }) {
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
      const blob = await apiBlob(doc.url);
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${doc.title || doc.id}.pdf`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
        {c.servedBy && <span className="muted small">{t(c.kind === 'force_majeure' ? 'legal.declaredBy' : 'legal.servedByParty', { party: t(c.servedBy === 'A' ? 'detail.partyA' : 'detail.partyB') })} · </span>}
        {c.clause && <span className="muted small">{c.clause} · </span>}
        {c.description}
      </p>
      {c.deadline && (
        <p className="muted small">
          {formatDue(c.deadline.dueAt, lang)} · {c.deadline.explanation}
        </p>
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

/**
 * Serving a breach notice: nothing about its object is chosen for the person
 * (no contract — unless they came from that contract's page —, no serving
 * party, no clause), and it is served only after they confirm.
 */
function ServeBreachForm({ onServed }: { onServed: (c: CaseView) => void }) {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const contracts = useLoad((signal) => apiGet<{ items: ContractListItem[] }>('/api/contracts?status=active&limit=200', { signal }), []);
  // only the contract page's own "serve a breach notice" link names the contract (?serve=1&contract=…)
  const [contractId, setContractId] = useState(query.get('serve') === '1' ? (query.get('contract') ?? '') : '');
  const [servedBy, setServedBy] = useState<'' | 'A' | 'B'>('');
  const [clause, setClause] = useState('');
  const [description, setDescription] = useState('');
  const [evidence, setEvidence] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<z.infer<typeof ZBreachNoticeRequest> | null>(null);
  const chosen = contracts.data?.items.find((c) => c.id === contractId) ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZBreachNoticeRequest.safeParse({ servedBy, clause, description, ...(evidence.trim() ? { evidence } : {}) });
    const next: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) next[issue.path.join('.')] ??= localizeMessage(issue.message, lang);
    if (!chosen) next.contract = t('legal.chooseContract');
    if (!servedBy) next.servedBy = t('legal.chooseServedBy');
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    setAsking(parsed.data);
  };

  const send = async () => {
    if (!chosen || !asking) return;
    setBusy(true);
    setError(null);
    try {
      onServed(await apiPost<CaseView>(`/api/contracts/${chosen.id}/breach-notices`, asking, { idempotencyKey: newIdempotencyKey() }));
      setDescription('');
      setEvidence('');
      setAsking(null);
    } catch (e) {
      setError(e);
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  if (contracts.error) return <ErrorBox error={contracts.error} onRetry={contracts.reload} />;
  if (!contracts.data) return <Loading />;
  const notified = servedBy === 'B' ? `${t('detail.partyA')}（${chosen?.partyA ?? ''}）` : `${t('detail.partyB')}（${chosen?.partyB ?? ''}）`;
  return (
    <form className="card form-grid" onSubmit={submit} noValidate data-testid="breach-form">
      <h2 className="wide">{t('legal.serve')}</h2>
      <fieldset className="contents" disabled={asking !== null}>
        <label className={`field ${errors.contract ? 'has-error' : ''}`}>
          <span>{t('legal.contract')}</span>
          <select value={chosen?.id ?? ''} onChange={(e) => setContractId(e.target.value)} data-testid="breach-contract">
            <option value="">{t('common.choose')}</option>
            {contracts.data.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} · {c.partyA}
              </option>
            ))}
          </select>
          {errors.contract && <span className="field-error">{errors.contract}</span>}
        </label>
        <label className={`field ${errors.servedBy ? 'has-error' : ''}`}>
          <span>{t('legal.servedBy')}</span>
          <select value={servedBy} onChange={(e) => setServedBy(e.target.value as '' | 'A' | 'B')} data-testid="breach-served-by">
            <option value="">{t('common.choose')}</option>
            <option value="B">{t('detail.partyB')}</option>
            <option value="A">{t('detail.partyA')}</option>
          </select>
          {errors.servedBy && <span className="field-error">{errors.servedBy}</span>}
        </label>
        <label className={`field ${errors.clause ? 'has-error' : ''}`}>
          <span>{t('legal.clause')}</span>
          <input value={clause} onChange={(e) => setClause(e.target.value)} placeholder={t('legal.clauseHint')} data-testid="breach-clause" />
          {errors.clause && <span className="field-error">{errors.clause}</span>}
        </label>
        <label className={`field wide ${errors.description ? 'has-error' : ''}`}>
          <span>{t('legal.description')}</span>
          <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="breach-description" />
          {errors.description && <span className="field-error">{errors.description}</span>}
        </label>
        <label className="field wide">
          <span>{t('legal.evidence')}</span>
          <textarea rows={2} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
        </label>
      </fieldset>
      <ErrorBox error={error} />
      {asking && chosen ? (
        <ConfirmStep
          consequence={t('legal.serveConsequence', { number: chosen.number, party: notified, clause: asking.clause })}
          action={t('legal.submit')}
          busy={busy}
          onConfirm={() => void send()}
          onCancel={() => setAsking(null)}
        />
      ) : (
        <div className="form-actions wide">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="breach-submit">
            {t('legal.submit')}
          </button>
        </div>
      )}
    </form>
  );
}

/** All the cases of one outage (one per affected contract) as one card; the acts are on the outages screen. */
function OutageGroupCard({ cases, fetchedAt, role }: { cases: CaseView[]; fetchedAt: number; role: Role }) {
  const { t, tx } = useI18n();
  const first = cases[0]!;
  const timed = cases.find((c) => c.open && c.secondsLeft !== null);
  const byStatus = new Map<string, number>();
  for (const c of cases) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  const urgency = timed?.secondsLeft == null ? 'none' : urgencyOf(timed.secondsLeft - (Date.now() - fetchedAt) / 1000);
  return (
    <article className={`case card urg-${urgency}`} data-testid="case" data-kind="outage" data-outage-id={first.outageId}>
      <header className="case-head">
        <span className="badge kind">{tx('caseKind.outage')}</span>
        <span className="small">{t('legal.outageContracts', { n: cases.length })}</span>
        {[...byStatus].map(([status, n]) => (
          <span key={status} className={`badge s-${status}`} data-status={status}>
            {tx(`caseStatus.${status}`, status)} {n}
          </span>
        ))}
        {timed?.deadline && timed.secondsLeft !== null && (
          <span className="case-countdown">
            <span className="muted small">{tx(`deadline.${timed.deadline.kind}`)}</span> <Countdown secondsLeft={timed.secondsLeft} fetchedAt={fetchedAt} />
          </span>
        )}
      </header>
      <p className="case-desc">{first.description}</p>
      <p className="muted small">
        {cases
          .slice(0, 6)
          .map((c) => `${c.contract?.number ?? ''} ${c.contract?.partyA ?? ''}`.trim())
          .join('，')}
        {cases.length > 6 ? ` ${t('legal.andMore', { n: cases.length - 6 })}` : ''}
      </p>
      {features.outages(role) && (
        <div className="case-actions">
          <Link to="/outages" className="btn btn-small">
            {t('legal.toOutages')}
          </Link>
        </div>
      )}
    </article>
  );
}

/** The list in its order, the cases of one outage gathered where its first one stands. */
function groupOutages(items: CaseView[]): (CaseView | CaseView[])[] {
  const groups = new Map<string, CaseView[]>();
  const out: (CaseView | CaseView[])[] = [];
  for (const c of items) {
    if (c.kind !== 'outage' || !c.outageId) {
      out.push(c);
      continue;
    }
    const group = groups.get(c.outageId);
    if (group) group.push(c);
    else {
      const created = [c];
      groups.set(c.outageId, created);
      out.push(created);
    }
  }
  return out;
}

export function LegalPage() {
  const { t, tx } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const kind = query.get('kind') ?? '';
  const status = query.get('status') ?? 'open';
  const contract = query.get('contract') ?? '';
  const [serving, setServing] = useState(query.get('serve') === '1');
  const [served, setServed] = useState<string | null>(null);
  const qs = new URLSearchParams({ status, limit: '200' });
  if (kind) qs.set('kind', kind);
  if (contract) qs.set('contract', contract);
  const list = useLoad((signal) => apiGet<{ total: number; items: CaseView[] }>(`/api/cases?${qs.toString()}`, { signal }), [qs.toString()]);

  const go = (next: Record<string, string>) => {
    const q = new URLSearchParams({ ...(kind ? { kind } : {}), ...(status !== 'open' ? { status } : {}), ...(contract ? { contract } : {}), ...next });
    for (const [k, v] of [...q.entries()]) if (!v || (k === 'status' && v === 'open')) q.delete(k);
    navigate(`/legal${q.toString() ? `?${q}` : ''}`);
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t(user.role === 'legal' || user.role === 'admin' ? 'legal.title' : 'legal.casesTitle')}</h1>
          <p className="muted">{t('legal.intro')}</p>
        </div>
        {features.serveBreach(user.role) && (
          <button type="button" className="btn btn-primary" onClick={() => setServing(!serving)} data-testid="serve-breach">
            {t('legal.serve')}
          </button>
        )}
      </div>
      {serving && (
        <ServeBreachForm
          onServed={(c) => {
            setServed(c.id);
            setServing(false);
            list.reload();
          }}
        />
      )}
      {served && <Notice kind="ok">{t('legal.served')}</Notice>}
      <div className="filters card">
        <div className="segmented" role="group" aria-label={t('legal.kind')}>
          {['', ...CASE_KINDS].map((k) => (
            <button key={k || 'all'} type="button" className={`btn btn-small ${k === kind ? 'active' : ''}`} aria-pressed={k === kind} onClick={() => go({ kind: k })}>
              {k ? tx(`caseKind.${k}`) : t('common.all')}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label={t('legal.state')}>
          {(['open', 'closed', 'all'] as const).map((s) => (
            <button key={s} type="button" className={`btn btn-small ${s === status ? 'active' : ''}`} aria-pressed={s === status} onClick={() => go({ status: s })}>
              {t(`legal.status.${s}`)}
            </button>
          ))}
        </div>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data && list.data.items.length === 0 ? (
        <p className="card muted">{t('legal.empty')}</p>
      ) : (
        <div className="cases" data-testid="cases">
          {groupOutages(list.data?.items ?? []).map((entry) =>
            Array.isArray(entry) ? (
              <OutageGroupCard key={`${entry[0]!.outageId}:${list.fetchedAt}`} cases={entry} fetchedAt={list.fetchedAt} role={user.role} />
            ) : (
              <CaseCard key={`${entry.id}:${list.fetchedAt}`} c={entry} role={user.role} />
            ),
          )}
        </div>
      )}
    </div>
  );
}
