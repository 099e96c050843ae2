/**
 * The top bar's inbox link with the count of unread work items
 * (GET /api/inbox/unread-count): counted on sign-in, every 30 seconds, on
 * navigation and whenever the inbox page acts on an item (INBOX_CHANGED).
 */
import { useEffect, useState } from 'react';
import type { UnreadCountView } from '../../api/routes/inbox.types';
import { apiGet } from './api';
import { useI18n } from './i18n';
import { Link, useLocation } from './router';

/** Dispatched on window after an item was acknowledged or closed: the badge counts again. */
export const INBOX_CHANGED = 'inbox-changed';
const REFRESH_MS = 30_000;

export function InboxBadge() {
  const { t } = useI18n();
  const { path } = useLocation();
  const [unread, setUnread] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const again = () => setTick((n) => n + 1);
    const timer = setInterval(again, REFRESH_MS);
    window.addEventListener(INBOX_CHANGED, again);
    return () => {
      clearInterval(timer);
      window.removeEventListener(INBOX_CHANGED, again);
    };
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    apiGet<UnreadCountView>('/api/inbox/unread-count', { signal: controller.signal }).then(
      (r) => !controller.signal.aborted && setUnread(r.unread),
      () => undefined,
    );
    return () => controller.abort();
  }, [tick, path]);
  const n = unread ?? 0;
  return (
    <Link to="/inbox" className="btn btn-ghost inbox-link" data-testid="inbox-badge-link" aria-label={t('inbox.badge', { n })}>
      {t('nav.inbox')}
      {n > 0 && (
        <span className="badge inbox-count" data-testid="inbox-badge">
          {n}
        </span>
      )}
    </Link>
  );
}
