/**
 * Idempotency-Key on every POST: the same key and body give the same
 * response with no second effect; the same key with another body is refused
 * (422). Concurrent requests with one key wait for the first to finish. Keys
 * expire after a day (db/idempotency.ts); a secret a route issues (its
 * `secrets` fields) is never stored: a replay answers that it was shown once.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { claimIdempotencyKey, completeIdempotencyKey, findIdempotencyKey, releaseIdempotencyKey } from '../db/idempotency';
import type { Db } from '../db/pool';
import { refusal } from '../domain/error-reasons';
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

    if (await claimIdempotencyKey(db, { actorId, key, route, requestHash, abandonedAfterMs: ABANDONED_AFTER_MS })) {
      captureResponse(db, res, actorId, key);
      res.locals.idempotencyKey = key;
      return next();
    }

    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const row = await findIdempotencyKey(db, actorId, key);
      if (!row) {
        // the first request failed with a 5xx and released the key: this one may run
        return idempotency(db)(req, res, next);
      }
      if (row.requestHash !== requestHash) {
        throw refusal('idempotency.key_reused', {}, 'this Idempotency-Key was already used with a different request body or route');
      }
      if (row.completedAt) {
        res.set('Idempotent-Replayed', 'true').status(row.statusCode ?? 200).json(row.response);
        return;
      }
      if (Date.now() > deadline) {
        throw refusal('idempotency.in_progress', {}, 'a request with this Idempotency-Key is still in progress; retry later');
      }
      await sleep(POLL_MS);
    }
  };
}

/** Stores the response once it is sent; a 5xx or a 429 (api/write-limits.ts) releases the key so the client can retry. */
function captureResponse(db: Db, res: Response, actorId: string, key: string): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const status = res.statusCode;
    const store =
      status >= 500 || status === 429
        ? releaseIdempotencyKey(db, actorId, key)
        : completeIdempotencyKey(db, { actorId, key, statusCode: status, response: withoutSecrets(body, res.locals.secretFields as readonly string[] | undefined) });
    // the stored response must be durable before the client sees it
    store.then(
      () => json(body),
      () => json(body),
    );
    return res;
  };
}

/**
 * The response as stored: each secret field (a token, a signing secret) is
 * replaced by null and named in `secretsShownOnce`, so a replay says the
 * secret was shown once instead of showing it again.
 */
export function withoutSecrets(body: unknown, fields: readonly string[] | undefined): unknown {
  if (!fields?.length || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  const present = fields.filter((f) => Object.hasOwn(body, f));
  if (present.length === 0) return body;
  return { ...body, ...Object.fromEntries(present.map((f) => [f, null])), secretsShownOnce: present };
}
