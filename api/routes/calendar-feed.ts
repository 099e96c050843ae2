/**
 * Calendar subscriptions: calendar apps (Apple Calendar, Google Calendar,
 * Outlook) poll a URL and cannot send an Authorization header, so each user
 * may hold one secret feed URL, /api/calendar/<token>.ics, that answers their
 * deadline calendar (the same as GET /api/calendar.ics with their token) and
 * nothing else. Issued (shown once) and revoked by its owner; a new one
 * replaces the old; stored hashed (db/calendar-feeds.ts); a deactivated
 * user's feed stops at once. The token in the path is never logged
 * (api/app.ts redacts it).
 */
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { findCalendarFeed, findUserByCalendarFeed, issueCalendarFeed, revokeCalendarFeed } from '../../db/calendar-feeds';
import { ROLES } from '../../db/users';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { defineRoute } from '../http';
import { createRateLimiter } from '../rate-limit';
import { AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_MS } from '../auth';
import { deadlineCalendar, sendDeadlineCalendar } from './digests';

export const CALENDAR_FEED_PATH = '/api/calendar/:token.ics';

/** `/api/calendar/<token>.ics` with the token hidden, for logs */
export const redactCalendarFeedUrl = (url: string) => url.replace(/^\/api\/calendar\/[^/?#]+\.ics/, '/api/calendar/[token].ics');

const baseOf = (req: { protocol: string; get(name: string): string | undefined }) => `${req.protocol}://${req.get('host')}`;

export function calendarFeedRoutes(deps: AppDeps) {
  // wrong feed tokens count like wrong bearer tokens: 10 a minute per address, then 429 until the window ends
  const failures = createRateLimiter({ limit: AUTH_FAILURE_LIMIT, windowMs: AUTH_FAILURE_WINDOW_MS });
  return [
    defineRoute({
      method: 'get',
      path: '/api/calendar-feed',
      roles: ROLES,
      summary: "whether the caller has a calendar subscription URL (when it was issued and last polled; never the URL itself)",
      handler: async ({ user }) => {
        const feed = await findCalendarFeed(deps.db, user.id);
        return { active: feed !== null, createdAt: feed?.createdAt ?? null, lastUsedAt: feed?.lastUsedAt ?? null };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/calendar-feed',
      roles: ROLES,
      summary: 'issue the caller a calendar subscription URL (shown once; replaces any earlier one) that calendar apps poll without a token header',
      body: z.strictObject({}),
      secrets: ['url', 'webcalUrl'],
      handler: async ({ user, req, res, requestId }) => {
        const issued = await deps.db.withTransaction(async (tx) => {
          const feed = await issueCalendarFeed(tx, user.id);
          await appendAudit(tx, { type: 'calendar_feed.issued', actor: { id: user.id, role: user.role, requestId }, data: { userId: user.id, replaced: feed.replaced } });
          return feed;
        });
        const url = `${baseOf(req)}/api/calendar/${issued.token}.ics`;
        res.status(201);
        return {
          url,
          webcalUrl: url.replace(/^https?:/, 'webcal:'),
          createdAt: issued.createdAt,
          replaced: issued.replaced,
          note: 'shown once: subscribe to it in your calendar app. It opens your deadline calendar and nothing else; DELETE /api/calendar-feed revokes it',
        };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/api/calendar-feed',
      roles: ROLES,
      summary: "revoke the caller's calendar subscription URL",
      handler: async ({ user, requestId }) => {
        const revoked = await deps.db.withTransaction(async (tx) => {
          const done = await revokeCalendarFeed(tx, user.id);
          if (done) await appendAudit(tx, { type: 'calendar_feed.revoked', actor: { id: user.id, role: user.role, requestId }, data: { userId: user.id } });
          return done;
        });
        if (!revoked) throw new AppError('NOT_FOUND', 'you have no calendar subscription URL');
        return { revoked: true };
      },
    }),

    defineRoute({
      method: 'get',
      path: CALENDAR_FEED_PATH,
      roles: 'public',
      summary: "a user's deadline calendar for calendar apps: the secret in the path is the only credential, and it opens nothing else",
      handler: async ({ params, req, res }) => {
        const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        const state = failures.check(client);
        if (state.blocked) {
          res.set('Retry-After', String(state.retryAfterSeconds));
          throw new AppError('RATE_LIMITED', `too many unknown calendar URLs from this address; retry in ${state.retryAfterSeconds} s`);
        }
        const user = await findUserByCalendarFeed(deps.db, params.token ?? '');
        if (!user) {
          failures.fail(client);
          throw new AppError('NOT_FOUND', 'no such calendar: the URL was revoked or replaced, or its user deactivated');
        }
        sendDeadlineCalendar(res, await deadlineCalendar(deps, user, baseOf(req)), 'inline');
        return undefined;
      },
    }),
  ];
}
