/**
 * The idempotency keys of POST requests (api/idempotency.ts): one row per
 * actor and key, the stored response once it was sent. Rows expire after
 * IDEMPOTENCY_TTL_MS: an older key may be used again, and the purge deletes
 * them. A response that issued a secret is stored without it (the route
 * names the fields; api/http.ts `secrets`).
 */
import type { Queryable } from './pool';

/** How long a key and its stored response are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export type IdempotencyRow = { requestHash: string; statusCode: number | null; response: unknown; completedAt: Date | null };

/**
 * Takes the key for this request: new, expired, or abandoned by a request
 * that died (pending past `abandonedAfterMs`, same body). False when someone
 * else holds it (finished or in flight).
 */
export async function claimIdempotencyKey(
  db: Queryable,
  input: { actorId: string; key: string; route: string; requestHash: string; abandonedAfterMs: number },
): Promise<boolean> {
  const claimed = await db.query(
    `INSERT INTO idempotency_keys (actor_id, key, route, request_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (actor_id, key) DO UPDATE SET created_at = now(), route = EXCLUDED.route, request_hash = EXCLUDED.request_hash,
         status_code = NULL, response = NULL, completed_at = NULL
       WHERE (idempotency_keys.completed_at IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
              AND idempotency_keys.created_at < now() - make_interval(secs => $5))
          OR idempotency_keys.created_at < now() - make_interval(secs => $6)
     RETURNING key`,
    [input.actorId, input.key, input.route, input.requestHash, input.abandonedAfterMs / 1000, IDEMPOTENCY_TTL_MS / 1000],
  );
  return claimed.rowCount === 1;
}

export async function findIdempotencyKey(db: Queryable, actorId: string, key: string): Promise<IdempotencyRow | null> {
  const { rows } = await db.query('SELECT request_hash, status_code, response, completed_at FROM idempotency_keys WHERE actor_id = $1 AND key = $2', [actorId, key]);
  const row = rows[0];
  return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response, completedAt: row.completed_at } : null;
}

export async function completeIdempotencyKey(db: Queryable, input: { actorId: string; key: string; statusCode: number; response: unknown }): Promise<void> {
  await db.query('UPDATE idempotency_keys SET status_code = $3, response = $4, completed_at = now() WHERE actor_id = $1 AND key = $2', [
    input.actorId,
    input.key,
    input.statusCode,
    JSON.stringify(input.response ?? null),
  ]);
}

/** A 5xx releases the key: the client may retry with it. */
export async function releaseIdempotencyKey(db: Queryable, actorId: string, key: string): Promise<void> {
  await db.query('DELETE FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND completed_at IS NULL', [actorId, key]);
}

/** Deletes the keys past their time; how many. */
export async function purgeExpiredIdempotencyKeys(db: Queryable): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)', [IDEMPOTENCY_TTL_MS / 1000]);
  return rowCount ?? 0;
}
