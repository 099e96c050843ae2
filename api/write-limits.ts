/**
 * Per-user and per-organisation budgets on every write route (POST, PUT,
 * DELETE), counted in Postgres (db/rate-limits.ts) so they hold across API
 * processes. Each write spends one point of the caller's budget
 * (RATE_LIMIT_USER_WRITES_PER_MIN) and, for an operator of a customer, one of
 * their organisation's (RATE_LIMIT_ORG_WRITES_PER_MIN), shared by all its
 * operators; a heavy route (`heavy` in the route table: an SMS to up to
 * 10,000 recipients, an import of up to 1,000 contracts) also spends the
 * stricter heavy budgets. Past a budget: 429 RATE_LIMITED with Retry-After
 * (seconds until the window ends) and which budget it was.
 *
 * The budgets run after the idempotency layer: a replay answered from a
 * stored response is not counted again, and a 429 is not stored under the
 * key (api/idempotency.ts releases it), so the retry the client is told to
 * make runs. A user past their own budget spends nothing of their
 * organisation's, so one operator's flood does not lock out the others for
 * longer than the organisation's own budget says.
 */
import type { NextFunction, Request, Response } from 'express';
import { createWriteBudget, type WriteBudget } from '../db/rate-limits';
import type { Db } from '../db/pool';
import type { User } from '../db/users';
import { refusal } from '../domain/error-reasons';
import type { WriteRateLimits } from '../platform/config';

type Budgets = { user: WriteBudget; organisation: WriteBudget; userHeavy: WriteBudget; organisationHeavy: WriteBudget };

export type WriteLimitScope = 'user' | 'organisation';

export function writeLimits(db: Db, limits: WriteRateLimits) {
  // built on first use: an app that never writes (console serving with inert dependencies) needs no pool
  let budgets: Budgets | null = null;
  const budgetsOf = (): Budgets =>
    (budgets ??= {
      user: createWriteBudget(db, { name: 'writes', pointsPerMinute: limits.userWritesPerMinute }),
      organisation: createWriteBudget(db, { name: 'writes', pointsPerMinute: limits.organisationWritesPerMinute }),
      userHeavy: createWriteBudget(db, { name: 'heavy', pointsPerMinute: limits.userHeavyPerMinute }),
      organisationHeavy: createWriteBudget(db, { name: 'heavy', pointsPerMinute: limits.organisationHeavyPerMinute }),
    });

  /** the middleware for one route: `heavy` routes spend the heavy budgets too */
  return (heavy: boolean) =>
    async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
      const b = budgetsOf();
      const user: User = res.locals.user;
      // the organisation by its credit code; by its name while an operator has none (docs/security.md)
      const org = user.organisationCreditCode ?? user.organisation;
      const checks: [WriteBudget, string, WriteLimitScope, string][] = [
        [b.user, `user:${user.id}`, 'user', 'writes'],
        ...(org ? [[b.organisation, `org:${org}`, 'organisation', 'writes'] as [WriteBudget, string, WriteLimitScope, string]] : []),
        ...(heavy
          ? [
              [b.userHeavy, `user:${user.id}`, 'user', 'heavy writes (SMS submissions, imports)'] as [WriteBudget, string, WriteLimitScope, string],
              ...(org ? [[b.organisationHeavy, `org:${org}`, 'organisation', 'heavy writes (SMS submissions, imports)'] as [WriteBudget, string, WriteLimitScope, string]] : []),
            ]
          : []),
      ];
      for (const [budget, key, scope, what] of checks) {
        const state = await budget.consume(key);
        if (state.allowed) continue;
        const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
        res.set('Retry-After', String(retryAfterSeconds));
        const whose = scope === 'user' ? 'you' : 'your organisation';
        throw refusal('rate.limited', { retryAfterSeconds }, `too many ${what}: ${whose} may make ${budget.pointsPerMinute} a minute; retry in ${retryAfterSeconds} s`, {
          scope,
          limitPerMinute: budget.pointsPerMinute,
          retryAfterSeconds,
        });
      }
      next();
    };
}
