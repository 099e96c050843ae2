/**
 * Write budgets counted in Postgres (table `rate_limits`, migration 017)
 * with rate-limiter-flexible's RateLimiterPostgres over the application's
 * pool: every API process counts against the same rows, so the budget holds
 * however many processes serve the API. A budget is a fixed one-minute
 * window per key; its upsert is one statement, atomic under concurrency.
 */
import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from './pool';

export type BudgetState = {
  allowed: boolean;
  /** points left in this window */
  remaining: number;
  /** until the window ends */
  msBeforeNext: number;
};

export type WriteBudget = {
  readonly pointsPerMinute: number;
  /** spends one point of `key`'s budget; refused (allowed: false) once the window's points are spent */
  consume(key: string): Promise<BudgetState>;
};

export const RATE_LIMIT_TABLE = 'rate_limits';

/** Keys are at most 255 characters: a long one (an organisation's full name) is replaced by its hash. */
function storedKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** A budget of `pointsPerMinute` per key; `name` keeps budgets apart in the one table (`writes:…`, `heavy:…`). */
export function createWriteBudget(db: Db, options: { name: string; pointsPerMinute: number }): WriteBudget {
  const limiter = new RateLimiterPostgres({
    storeClient: db.pool,
    storeType: 'pool',
    tableName: RATE_LIMIT_TABLE,
    // the table is the migration's: the store never runs CREATE TABLE (the application's role may not)
    tableCreated: true,
    keyPrefix: options.name,
    points: options.pointsPerMinute,
    duration: 60,
    clearExpiredByTimeout: true,
  });
  return {
    pointsPerMinute: options.pointsPerMinute,
    async consume(key) {
      try {
        const res = await limiter.consume(storedKey(key), 1);
        return { allowed: true, remaining: res.remainingPoints, msBeforeNext: res.msBeforeNext };
      } catch (error) {
        // the store rejects with a RateLimiterRes when the points are spent, with an Error when Postgres failed
        if (error instanceof RateLimiterRes) return { allowed: false, remaining: 0, msBeforeNext: error.msBeforeNext };
        throw error;
      }
    },
  };
}
