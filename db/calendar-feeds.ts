/**
 * Calendar subscription URLs: one secret per user that opens that user's
 * deadline feed (GET /api/calendar/<token>.ics) and nothing else. Like API
 * tokens, only the SHA-256 of the 256-bit token is stored; unlike them it is
 * never read by authentication, so it cannot stand in for a bearer token.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from './pool';
import { hashToken, TEAM_MEMBER_IDS, type User } from './users';

export const CALENDAR_FEED_PREFIX = 'smcal_';
export const generateCalendarFeedToken = () => `${CALENDAR_FEED_PREFIX}${randomBytes(32).toString('base64url')}`;

export type CalendarFeedInfo = { createdAt: string; lastUsedAt: string | null };

/** A new feed token for the user, replacing (and so revoking) any earlier one. */
export async function issueCalendarFeed(db: Queryable, userId: string): Promise<{ token: string; createdAt: string; replaced: boolean }> {
  const token = generateCalendarFeedToken();
  const { rows } = await db.query(
    `INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now(), last_used_at = NULL
     RETURNING created_at, (xmax <> 0) AS replaced`,
    [userId, hashToken(token)],
  );
  return { token, createdAt: (rows[0]!.created_at as Date).toISOString(), replaced: rows[0]!.replaced as boolean };
}

export async function findCalendarFeed(db: Queryable, userId: string): Promise<CalendarFeedInfo | null> {
  const { rows } = await db.query('SELECT created_at, last_used_at FROM calendar_feeds WHERE user_id = $1', [userId]);
  if (!rows[0]) return null;
  return { createdAt: (rows[0].created_at as Date).toISOString(), lastUsedAt: rows[0].last_used_at ? (rows[0].last_used_at as Date).toISOString() : null };
}

export async function revokeCalendarFeed(db: Queryable, userId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM calendar_feeds WHERE user_id = $1', [userId]);
  return rowCount === 1;
}

/** The active user a feed token belongs to (noting the poll), with the team they lead, or null: unknown, replaced, revoked, or the user deactivated. */
export async function findUserByCalendarFeed(db: Queryable, token: string): Promise<User | null> {
  if (!token.startsWith(CALENDAR_FEED_PREFIX)) return null;
  const { rows } = await db.query(
    `WITH feed AS (UPDATE calendar_feeds SET last_used_at = now() WHERE token_hash = $1 RETURNING user_id)
     SELECT u.id, u.name, u.role, u.organisation, u.organisation_credit_code AS "organisationCreditCode", ${TEAM_MEMBER_IDS}
       FROM feed JOIN users u ON u.id = feed.user_id WHERE u.deactivated_at IS NULL`,
    [hashToken(token)],
  );
  return (rows[0] as User | undefined) ?? null;
}
