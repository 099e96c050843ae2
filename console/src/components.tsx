/**
 * Small shared pieces: live countdowns, status badges, errors, loading state,
 * a loaded list's states, tables with sortable heads, a pager and its page in
 * the URL, a debounced search box's text, segmented filters, and a data hook
 * that refetches on demand.
 */
import { useCallback, useEffect, useId, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';
import { ApiError } from './api';
import { useNow } from './clock';
import { durationParts, urgencyOf } from './format';
import { SEARCH_MAX_LENGTH } from '../../domain/contract-list';
import { isErrorCode, type ErrorCode } from '../../domain/errors';
import type { Matter } from '../../domain/risk';
import { useI18n, type MessageKey, type Translate } from './i18n';
import { Link } from './router';
import { localizeMessage } from './zod-messages';
import { reasonSentence, wordsOf } from './error-reasons';
import type { Lang } from './lang';

/** Time left (or overdue) in words: "剩余 3 天" beyond 48 hours, "剩余 5 小时 12 分钟" below; never a ticking clock. */
export function durationText(t: Translate, seconds: number): string {
  const parts = durationParts(seconds);
  const late = seconds < 0;
  if (parts.unit === 'days') return t(late ? 'countdown.overdueDays' : 'countdown.daysLeft', { d: parts.days });
  if (parts.unit === 'hours') return t(late ? 'countdown.overdueHours' : 'countdown.hoursLeft', { h: parts.hours, m: parts.minutes });
  if (parts.minutes === 0) return t(late ? 'countdown.overdueJust' : 'countdown.underMinute');
  return t(late ? 'countdown.overdueMinutes' : 'countdown.minutesLeft', { m: parts.minutes });
}

/** Time left, live, from the server's secondsLeft at the moment it was read (so the browser's clock does not matter). */
export function Countdown({ secondsLeft, fetchedAt, label }: { secondsLeft: number; fetchedAt: number; label?: string }) {
  const { t } = useI18n();
  const now = useNow();
  const left = Math.floor(secondsLeft - Math.max(0, now - fetchedAt) / 1000);
  const urgency = urgencyOf(left);
  const text = durationText(t, left);
  return (
    <span className={`countdown u-${urgency}`} data-testid="countdown" data-seconds-left={left} aria-label={label ? `${label}: ${text}` : undefined} role="timer">
      {text}
    </span>
  );
}

/**
 * The confirmation of an irreversible act, in place of its button: the
 * consequence in one sentence, the act in the danger colour, and a cancel
 * button that has the focus (Enter does not confirm by accident).
 */
export function ConfirmStep({ consequence, action, onConfirm, onCancel, busy = false }: { consequence: string; action: string; onConfirm: () => void; onCancel: () => void; busy?: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="confirm-step wide" role="alertdialog" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} data-testid="confirm">
      <p>
        <strong id={`${id}-t`}>{t('confirm.title')}</strong> <span id={`${id}-d`} data-testid="confirm-consequence">{consequence}</span>
      </p>
      <div className="confirm-actions">
        <button type="button" className="btn btn-danger" onClick={onConfirm} disabled={busy} data-testid="confirm-yes">
          {busy ? t('confirm.working') : action}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy} ref={cancel} data-testid="confirm-no">
          {t('confirm.cancel')}
        </button>
      </div>
    </div>
  );
}

export function StatusBadge({ status, kind = 'status' }: { status: string; kind?: 'status' | 'invoiceStatus' | 'caseStatus' | 'amendmentStatus' | 'msgStatus' }) {
  const { tx } = useI18n();
  return (
    <span className={`badge s-${status}`} data-testid="status" data-status={status}>
      {tx(`${kind}.${status}`, status)}
    </span>
  );
}

/** Where a person acts on a contract's open matter (as the API computes it, domain/risk.ts): the contract's invoices, or its cases on the legal page. */
const actOn = (matter: Matter, contractId: string): { to: string; label: 'risk.act.invoice' | 'risk.act.case' } | null =>
  matter.invoiceNumber
    ? { to: `/contracts/${contractId}#invoices`, label: 'risk.act.invoice' }
    : matter.caseId
      ? { to: `/legal?contract=${encodeURIComponent(contractId)}`, label: 'risk.act.case' }
      : null;

/** The contract's worst open matter, first thing on its page: words, a colour by severity, and where to act. */
export function RiskBanner({ matters, contractId }: { matters: Matter[]; contractId: string }) {
  const { t, lang } = useI18n();
  const worst = matters[0];
  if (!worst) return null;
  const act = actOn(worst, contractId);
  return (
    <div className={`risk risk-${worst.severity}`} role={worst.severity === 'low' ? 'status' : 'alert'} data-testid="risk-banner" data-kind={worst.kind} data-severity={worst.severity}>
      <strong>{t(`risk.severity.${worst.severity}`)}</strong>
      <span>{lang === 'zh' ? worst.zh : worst.en}</span>
      {act && (
        <Link to={act.to} className="btn btn-small" data-testid="risk-act">
          {t(act.label)}
        </Link>
      )}
      {matters.length > 1 && (
        <ul className="risk-more" data-testid="risk-more">
          {matters.slice(1).map((m, i) => (
            <li key={i} data-kind={m.kind}>
              {lang === 'zh' ? m.zh : m.en}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The worst open matter in a list row, before the status. */
export function RiskChip({ matter, contractId }: { matter: Matter | null; contractId: string }) {
  const { lang } = useI18n();
  if (!matter) return null;
  const act = actOn(matter, contractId);
  const words = lang === 'zh' ? matter.zh : matter.en;
  const chip = (
    <span className={`badge risk-chip risk-${matter.severity}`} data-testid="risk-chip" data-kind={matter.kind} data-severity={matter.severity} title={words}>
      {words}
    </span>
  );
  return act ? <Link to={act.to}>{chip}</Link> : chip;
}

/** A deadline counted over a year whose State Council notice is not out yet (statutory holidays only). */
export function ProvisionalBadge() {
  const { t } = useI18n();
  return (
    <span className="badge s-provisional" title={t('deadline.provisionalHint')} data-testid="provisional">
      {t('deadline.provisional')}
    </span>
  );
}

/** Every code the API answers with, in the chosen language (the type makes sure none is missing). */
const ERROR_TITLES: Record<ErrorCode | 'NETWORK', MessageKey> = {
  VALIDATION_FAILED: 'errorCode.VALIDATION_FAILED',
  WEBHOOK_DESTINATION_REFUSED: 'errorCode.WEBHOOK_DESTINATION_REFUSED',
  PASSWORD_TOO_SHORT: 'errorCode.PASSWORD_TOO_SHORT',
  UNAUTHENTICATED: 'errorCode.UNAUTHENTICATED',
  FORBIDDEN: 'errorCode.FORBIDDEN',
  CSRF_TOKEN_INVALID: 'errorCode.CSRF_TOKEN_INVALID',
  NOT_FOUND: 'errorCode.NOT_FOUND',
  METHOD_NOT_ALLOWED: 'errorCode.METHOD_NOT_ALLOWED',
  CONFLICT: 'errorCode.CONFLICT',
  ALREADY_SIGNED: 'errorCode.ALREADY_SIGNED',
  NOT_AWAITING_SIGNATURES: 'errorCode.NOT_AWAITING_SIGNATURES',
  INVALID_STATE: 'errorCode.INVALID_STATE',
  ORGANISATION_FROZEN: 'errorCode.ORGANISATION_FROZEN',
  CONTRACT_SUSPENDED: 'errorCode.CONTRACT_SUSPENDED',
  SMS_TEMPLATE_NOT_APPROVED: 'errorCode.SMS_TEMPLATE_NOT_APPROVED',
  SMS_FREE_TEXT_NOT_ALLOWED: 'errorCode.SMS_FREE_TEXT_NOT_ALLOWED',
  ALREADY_REVIEWED: 'errorCode.ALREADY_REVIEWED',
  PAYLOAD_TOO_LARGE: 'errorCode.PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'errorCode.UNSUPPORTED_MEDIA_TYPE',
  IDEMPOTENCY_KEY_REUSED: 'errorCode.IDEMPOTENCY_KEY_REUSED',
  BUSINESS_RULE: 'errorCode.BUSINESS_RULE',
  RATE_LIMITED: 'errorCode.RATE_LIMITED',
  INTERNAL: 'errorCode.INTERNAL',
  UNAVAILABLE: 'errorCode.UNAVAILABLE',
  NETWORK: 'errorCode.NETWORK',
};
/** Errors a retry may get past (the network, a service down, a rate limit); retrying a missing contract or a refused act only repeats the error. */
const TRANSIENT = new Set<string>(['NETWORK', 'UNAVAILABLE', 'RATE_LIMITED']);

/**
 * An error in the chosen language: the reason's own sentence (domain/error-reasons.ts) when the answer
 * carries one, else the code's text, with the server's sentence only where the console knows its words
 * (console/src/zod-messages.ts) or the English screen is shown. `detail` is the server's own message,
 * for support, when the sentence shown is not it.
 */
export function errorText(error: unknown, lang: Lang, t: Translate, label: (key: string) => string | null): { code: ErrorCode | 'NETWORK' | null; message: string; detail: string | null } {
  const api = error instanceof ApiError ? error : null;
  const code = api && (isErrorCode(api.code) || api.code === 'NETWORK') ? (api.code as ErrorCode | 'NETWORK') : null;
  const raw = (error as Error)?.message ?? String(error);
  if (code === 'NETWORK') return { code, message: t('error.network'), detail: null };
  if (api?.reason) return { code, message: reasonSentence(api.reason, lang, wordsOf(lang, label)), detail: raw };
  if (code) {
    if (lang === 'en') return { code, message: `${t(ERROR_TITLES[code])}: ${raw}`, detail: null };
    const known = localizeMessage(raw, lang);
    return known !== raw ? { code, message: `${t(ERROR_TITLES[code])}：${known}`, detail: raw } : { code, message: t(ERROR_TITLES[code]), detail: raw };
  }
  // the console's own checks (forms.tsx parseError) are written in the chosen language already; an answer with no known code is not
  if (!api || lang === 'en') return { code, message: t('error.generic', { message: raw }), detail: null };
  return { code, message: t('error.unknown'), detail: raw };
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang, has } = useI18n();
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const label = (key: string) => (has(key) ? t(key) : null);
  const { code, message, detail } = errorText(error, lang, t, label);
  const mayRetry = !code || TRANSIENT.has(code);
  return (
    <div className="error-box" role="alert" data-code={code ?? undefined} data-reason={api?.reason?.id}>
      <p data-testid="error-message">{message}</p>
      {api && api.issues.length > 0 && (
        <ul>
          {api.issues.map((issue) => (
            <li key={issue.path + issue.message}>
              <code>{issue.path}</code> {localizeMessage(issue.message, lang)}
            </li>
          ))}
        </ul>
      )}
      {(api?.requestId || detail) && (
        <details className="muted small" data-testid="error-details">
          <summary>{t('error.details')}</summary>
          {detail && <p lang="en">{detail}</p>}
          {api?.requestId && (
            <p>
              {t('common.requestId')}: {api.requestId}
            </p>
          )}
        </details>
      )}
      {onRetry && mayRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" aria-busy="true">
      {t('common.loading')}
    </p>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <section className="card" aria-labelledby={id ? `${id}-h` : undefined} data-section={id}>
      <header className="card-head">
        <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'ok' | 'warn'; children: ReactNode }) {
  return (
    <div className={`notice n-${kind}`} role="status">
      {children}
    </div>
  );
}

/** A column of a DataTable: its head, and each row's cell. */
export type Column<R> = {
  /** the column's head; in a responsive table also each cell's label on a narrow screen */
  head: string;
  cell: (row: R) => ReactNode;
  /** the cells' class ('mono', 'small', …) */
  className?: string;
  /** a column of numbers: head and cells aligned right */
  num?: boolean;
  /** a cell's tooltip */
  title?: (row: R) => string | undefined;
  /** a column the list can be sorted by: its head is a button, and says how the rows are sorted (aria-sort) */
  sort?: ColumnSort;
};

/** A sortable column's state: sorted by it ascending or descending, or not; `onSort` asks for the next order. */
export type ColumnSort = { direction: 'asc' | 'desc' | null; onSort: () => void; testId?: string };

function SortableHead({ head, sort }: { head: string; sort: ColumnSort }) {
  const { t } = useI18n();
  return (
    <button type="button" className="sort-head" onClick={sort.onSort} title={t('sort.by', { column: head })} data-testid={sort.testId}>
      {head}
      <span className="sort-mark" aria-hidden="true">
        {sort.direction === 'asc' ? '▲' : sort.direction === 'desc' ? '▼' : '↕'}
      </span>
    </button>
  );
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | number | undefined };

/**
 * A table in its scrolling wrapper, its heads and cells from one list of
 * columns. A responsive table shows each row as a block of labelled cells on
 * a narrow screen; `card` puts the table on a card of its own.
 */
export function DataTable<R>({
  rows,
  columns,
  rowKey,
  rowProps,
  testId,
  responsive = false,
  card = false,
  foot,
}: {
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string | number;
  rowProps?: (row: R) => RowAttributes;
  testId?: string;
  responsive?: boolean;
  card?: boolean;
  /** the footer's rows (totals) */
  foot?: ReactNode;
}) {
  const classOf = (column: Column<R>) => [column.num ? 'num' : null, column.className].filter(Boolean).join(' ') || undefined;
  return (
    <div className={card ? 'card table-wrap' : 'table-wrap'}>
      <table className={responsive ? 'table responsive' : 'table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} className={column.num ? 'num' : undefined} aria-sort={column.sort ? (column.sort.direction ? ARIA_SORT[column.sort.direction] : 'none') : undefined}>
                {column.sort ? <SortableHead head={column.head} sort={column.sort} /> : column.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column, i) => (
                <td key={i} data-label={responsive ? column.head : undefined} className={classOf(column)} title={column.title?.(row)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {foot && <tfoot>{foot}</tfoot>}
      </table>
    </div>
  );
}

/**
 * A list's pager: which rows of how many are shown ("第 51–100 条，共 230 条"),
 * and the previous and next pages; `onPage` gets the offset to show.
 */
export function Pager({ offset, limit, total, shown, onPage, testId }: { offset: number; limit: number; total: number; shown: number; onPage: (offset: number) => void; testId?: string }) {
  const { t } = useI18n();
  const from = shown === 0 ? 0 : offset + 1;
  return (
    <nav className="pager" aria-label={t('pager.label')} data-testid={testId}>
      <span className="muted" data-testid={testId ? `${testId}-range` : undefined}>
        {t('pager.range', { from, to: offset + shown, total })}
      </span>
      <button type="button" className="btn" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))} data-testid={testId ? `${testId}-prev` : undefined}>
        {t('pager.prev')}
      </button>
      <button type="button" className="btn" disabled={offset + limit >= total} onClick={() => onPage(offset + limit)} data-testid={testId ? `${testId}-next` : undefined}>
        {t('pager.next')}
      </button>
    </nav>
  );
}

/** The first row a paged list shows, from the URL query: a whole number, anything else the first page. */
export function offsetOf(query: URLSearchParams, key = 'offset'): number {
  const offset = Number(query.get(key) ?? 0);
  return Number.isSafeInteger(offset) && offset > 0 ? offset : 0;
}

/**
 * A page found empty though it is not the first (its rows were closed since,
 * or the URL points past the end): `onPage` gets the offset of the last page
 * that has rows, or 0.
 */
export function usePastTheEnd(page: { items: readonly unknown[]; total: number } | null, offset: number, limit: number, onPage: (offset: number) => void): void {
  const onPageRef = useRef(onPage);
  onPageRef.current = onPage;
  useEffect(() => {
    if (page && page.items.length === 0 && offset > 0) onPageRef.current(page.total > 0 ? Math.floor((page.total - 1) / limit) * limit : 0);
  }, [page, offset, limit]);
}

/** How long typing must pause before a search box's text is searched. */
export const SEARCH_DELAY_MS = 300;

/**
 * A search box's text over the search a list shows (`current`, from the URL):
 * `search` gets the trimmed text once typing pauses; a change of `current`
 * (back, forward, a link) puts its text in the box.
 */
export function useSearchText(current: string, search: (text: string) => void): [string, (text: string) => void] {
  const [text, setText] = useState(current);
  const searchRef = useRef(search);
  searchRef.current = search;
  useEffect(() => setText(current), [current]);
  useEffect(() => {
    const next = text.trim();
    if (next === current) return undefined;
    const timer = setTimeout(() => searchRef.current(next), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, current]);
  return [text, setText];
}

/** A search box: at most SEARCH_MAX_LENGTH characters, no autocomplete; `ariaLabel` when no <label> wraps it. */
export function SearchInput({ value, onChange, placeholder, ariaLabel, testId }: { value: string; onChange: (text: string) => void; placeholder: string; ariaLabel?: string; testId: string }) {
  return (
    <input
      type="search"
      name="q"
      value={value}
      maxLength={SEARCH_MAX_LENGTH}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      aria-label={ariaLabel}
      autoComplete="off"
      data-testid={testId}
    />
  );
}

/** Buttons choosing one of a few values (a list's filter), the chosen one pressed. */
export function Segmented<V extends string>({ label, options, value, onChoose }: { label: string; options: readonly { value: V; text: string }[]; value: string; onChoose: (value: V) => void }) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value || 'all'}
          type="button"
          className={`btn btn-small ${option.value === value ? 'active' : ''}`}
          aria-pressed={option.value === value}
          onClick={() => onChoose(option.value)}
        >
          {option.text}
        </button>
      ))}
    </div>
  );
}

/** A loaded list's states: its error (with a retry), loading the first time, a line saying it is empty, else the list itself. */
export function ListBody({ list, empty, emptyText, children }: { list: Loaded<unknown>; empty: boolean; emptyText: string; children: ReactNode }) {
  return (
    <>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading /> : empty ? <p className="card muted">{emptyText}</p> : children}
    </>
  );
}

export type Loaded<T> = { data: T | null; error: unknown; loading: boolean; fetchedAt: number; reload: () => void };

/** Runs `load` on mount and when `deps` change; `reload` runs it again. Stale answers are dropped. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean; fetchedAt: number }>({ data: null, error: null, loading: true, fetchedAt: 0 });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, error: null, loading: false, fetchedAt: Date.now() }),
      (error: unknown) => !controller.signal.aborted && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function useT() {
  return useI18n().t;
}
