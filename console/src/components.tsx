/**
 * Small shared pieces: live countdowns, status badges, errors, loading state,
 * and a data hook that refetches on demand.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { useNow } from './clock';
import { splitDuration, urgencyOf } from './format';
import { useI18n } from './i18n';
import { localizeMessage } from './zod-messages';

/** Time left, live, from the server's secondsLeft at the moment it was read (so the browser's clock does not matter). */
export function Countdown({ secondsLeft, fetchedAt, label }: { secondsLeft: number; fetchedAt: number; label?: string }) {
  const { t } = useI18n();
  const now = useNow();
  const left = Math.floor(secondsLeft - Math.max(0, now - fetchedAt) / 1000);
  const urgency = urgencyOf(left);
  const { days, clock } = splitDuration(left);
  const text = `${days > 0 ? `${t('countdown.days', { d: days })} ` : ''}${clock}`;
  return (
    <span className={`countdown u-${urgency}`} data-testid="countdown" data-seconds-left={left} aria-label={label ? `${label}: ${text}` : undefined} role="timer">
      {left < 0 ? t('countdown.overdue', { time: text }) : text}
    </span>
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

/** A deadline counted over a year whose State Council notice is not out yet (statutory holidays only). */
export function ProvisionalBadge() {
  const { t } = useI18n();
  return (
    <span className="badge s-provisional" title={t('deadline.provisionalHint')} data-testid="provisional">
      {t('deadline.provisional')}
    </span>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const message = api?.code === 'NETWORK' ? t('error.network') : t('error.generic', { message: (error as Error).message ?? String(error) });
  return (
    <div className="error-box" role="alert">
      <p>{message}</p>
      {api && api.issues.length > 0 && (
        <ul>
          {api.issues.map((issue) => (
            <li key={issue.path + issue.message}>
              <code>{issue.path}</code> {localizeMessage(issue.message, lang)}
            </li>
          ))}
        </ul>
      )}
      {api?.requestId && (
        <p className="muted small">
          {t('common.requestId')}: {api.requestId}
        </p>
      )}
      {onRetry && (
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
