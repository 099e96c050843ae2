/**
 * Idempotency-Key on every POST: the same key and body give the same
 * response with no second effect; the same key with another body is refused
 * (422). Concurrent requests with one key wait for the first to finish.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../db/pool';
import { stableStringify } from '../domain/stable-json';
import { AppError } from './errors';

const WAIT_FOR_FIRST_MS = 15_000;
const POLL_MS = 50;
/** a key still pending after this long belongs to a request that died; a retry takes it over */
const ABANDONED_AFTER_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function idempotencyKeyOf(req: Request): string | null {
  const key = req.get('idempotency-key');
  if (key === undefined) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 200 printable ASCII characters');
  }
  return key;
}

export function idempotency(db: Db) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = idempotencyKeyOf(req);
    if (req.method !== 'POST' || !key) return next();
    const actorId: string = res.locals.user.id;
    const route = `${req.method} ${req.baseUrl}${req.path}`;
    const requestHash = createHash('sha256').update(`${route}\n${stableStringify(req.body ?? null)}`).digest('hex');

    const claimed = await db.query(
      `INSERT INTO idempotency_keys (actor_id, key, route, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (actor_id, key) DO UPDATE SET created_at = now()
         WHERE idempotency_keys.completed_at IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
           AND idempotency_keys.created_at < now() - make_interval(secs => $5)
       RETURNING key`,
      [actorId, key, route, requestHash, ABANDONED_AFTER_MS / 1000],
    );
    if (claimed.rowCount === 1) {
      captureResponse(db, res, actorId, key);
      res.locals.idempotencyKey = key;
      return next();
    }

    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const { rows } = await db.query(
        'SELECT request_hash, status_code, response, completed_at FROM idempotency_keys WHERE actor_id = $1 AND key = $2',
        [actorId, key],
      );
      const row = rows[0];
      if (!row) {
        // the first request failed with a 5xx and released the key: this one may run
        return idempotency(db)(req, res, next);
      }
      if (row.request_hash !== requestHash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request body or route');
      }
      if (row.completed_at) {
        res.set('Idempotent-Replayed', 'true').status(row.status_code).json(row.response);
        return;
      }
      if (Date.now() > deadline) {
        throw new AppError('CONFLICT', 'a request with this Idempotency-Key is still in progress; retry later');
      }
      await sleep(POLL_MS);
    }
  };
}

/** Stores the response once it is sent; a 5xx releases the key so the client can retry. */
function captureResponse(db: Db, res: Response, actorId: string, key: string): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const status = res.statusCode;
    const store =
      status >= 500
        ? db.query('DELETE FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND completed_at IS NULL', [actorId, key])
        : db.query('UPDATE idempotency_keys SET status_code = $3, response = $4, completed_at = now() WHERE actor_id = $1 AND key = $2', [
            actorId,
            key,
            status,
            JSON.stringify(body ?? null),
          ]);
    // the stored response must be durable before the client sees it
    store.then(
      () => json(body),
      () => json(body),
    );
    return res;
  };
}
