/**
 * Console sessions: a 256-bit random id in an HttpOnly cookie, of which only
 * the SHA-256 is stored (as API tokens are). A session ends when unused for
 * the idle time, at its absolute expiry however often used, when its user
 * signs out (this one, or everywhere), is deactivated or has their password
 * reset. Every instant is passed in, so expiry is decided by the caller's clock.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from './pool';
import { hashToken, TEAM_MEMBER_IDS, type User } from './users';

/** A session unused this long ends. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** A session ends this long after it began, however often used. */
export const SESSION_ABSOLUTE_MS = 7 * 86_400_000;
/** last-seen is written at most this often per session (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export type SessionTimes = { idleMs: number; absoluteMs: number };
export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: SESSION_IDLE_MS, absoluteMs: SESSION_ABSOLUTE_MS };

export const hashSessionId = hashToken;

/** Begins a session for the user and returns its id (for the cookie; never stored) and when it ends at the latest. */
export async function createSession(
  db: Queryable,
  input: { userId: string; now: Date; absoluteMs: number; userAgent: string | null; ip: string | null },
): Promise<{ id: string; idHash: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const idHash = hashSessionId(id);
  const expiresAt = new Date(input.now.getTime() + input.absoluteMs);
  await db.query(
    `INSERT INTO user_sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip) VALUES ($1, $2, $3, $3, $4, $5, $6)`,
    [idHash, input.userId, input.now, expiresAt, input.userAgent?.slice(0, 256) ?? null, input.ip],
  );
  return { id, idHash, expiresAt };
}

export type LiveSession = { idHash: string; user: User; createdAt: Date; expiresAt: Date };

/**
 * The live session of this id with its active user (and the team they lead),
 * noting its use; null when unknown, ended, unused for `idleMs` or past its
 * absolute expiry at `now`, or its user deactivated.
 */
export async function findSession(db: Queryable, sessionId: string, input: { now: Date; idleMs: number }): Promise<LiveSession | null> {
  const idHash = hashSessionId(sessionId);
  const { rows } = await db.query(
    `SELECT u.id, u.name, u.role, u.organisation, u.organisation_credit_code AS "organisationCreditCode", ${TEAM_MEMBER_IDS},
            s.created_at, s.last_seen_at, s.expires_at
       FROM user_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $2 - make_interval(secs => $3) AND u.deactivated_at IS NULL`,
    [idHash, input.now, input.idleMs / 1000],
  );
  const row = rows[0];
  if (!row) return null;
  if (input.now.getTime() - (row.last_seen_at as Date).getTime() >= TOUCH_EVERY_MS) {
    await db.query(`UPDATE user_sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id_hash = $1`, [idHash, input.now]);
  }
  const { created_at: createdAt, expires_at: expiresAt, last_seen_at: _seen, ...user } = row;
  return { idHash, user: user as User, createdAt, expiresAt };
}

/** Ends one session; false when it had ended already (or never was). */
export async function endSession(db: Queryable, input: { idHash: string; by: string }): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE user_sessions SET ended_at = now(), ended_by = $2 WHERE id_hash = $1 AND ended_at IS NULL`, [input.idHash, input.by]);
  return (rowCount ?? 0) > 0;
}

/** Ends every session of the user (but `except`, the caller's own, when given); how many ended. */
export async function endUserSessions(db: Queryable, input: { userId: string; by: string; except?: string }): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE user_sessions SET ended_at = now(), ended_by = $2 WHERE user_id = $1 AND ended_at IS NULL AND ($3::text IS NULL OR id_hash <> $3)`,
    [input.userId, input.by, input.except ?? null],
  );
  return rowCount ?? 0;
}
