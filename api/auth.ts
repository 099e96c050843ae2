/**
 * Authentication (bearer tokens; the console's session tokens are bearer
 * tokens too) and the checks every route applies.
 */
import type { NextFunction, Request, Response } from 'express';
import { findUserByToken, type Role, type User } from '../db/users';
import type { Db } from '../db/pool';
import type { ContractRow } from '../db/contracts';
import { refusal } from '../domain/error-reasons';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { mayOnContract, type ContractAction } from './policy';

export function bearerTokenOf(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,256})$/i.exec(header.trim());
  return match ? match[1]! : null;
}

export type AuthenticateOptions = {
  /** failed bearer attempts allowed per client IP and window before 429 */
  failureLimit?: number;
  failureWindowMs?: number;
  limiter?: RateLimiter;
};

export const AUTH_FAILURE_LIMIT = 10;
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/**
 * Bearer authentication. A client IP that sent `failureLimit` wrong or
 * malformed tokens within the window gets 429 with Retry-After for every
 * bearer attempt until the window ends (a correct token included, so a
 * guess cannot be confirmed while blocked). A request without any
 * Authorization header is a plain 401 and is not counted.
 */
export function authenticate(db: Db, options: AuthenticateOptions = {}) {
  const limiter =
    options.limiter ?? createRateLimiter({ limit: options.failureLimit ?? AUTH_FAILURE_LIMIT, windowMs: options.failureWindowMs ?? AUTH_FAILURE_WINDOW_MS });
  const refuse = (res: Response, retryAfterSeconds: number) => {
    res.set('Retry-After', String(retryAfterSeconds));
    return refusal('rate.limited', { retryAfterSeconds }, `too many failed authentication attempts from this address; retry in ${retryAfterSeconds} s`);
  };
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    if (!header) throw refusal('auth.required', {}, 'authentication required: send Authorization: Bearer <token>');
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const state = limiter.check(client);
    if (state.blocked) throw refuse(res, state.retryAfterSeconds);
    const token = bearerTokenOf(req);
    const user = token ? await findUserByToken(db, token) : null;
    if (!user) {
      const after = limiter.fail(client);
      if (after.blocked) throw refuse(res, after.retryAfterSeconds);
      throw token
        ? refusal('auth.token_invalid', {}, 'the bearer token is unknown, expired or revoked (or its user deactivated)')
        : refusal('auth.required', {}, 'authentication required: send Authorization: Bearer <token>');
    }
    res.locals.user = user;
    next();
  };
}

export function requireRole(user: User, roles: readonly Role[]): void {
  if (!roles.includes(user.role)) {
    throw refusal('role.forbidden', { roles: [...roles], role: user.role }, `this action needs one of the roles: ${roles.join(', ')} (you are ${user.role})`);
  }
}

/** Whether the user may see the contract (api/policy.ts). */
export function canSeeContract(user: User, contract: Pick<ContractRow, 'partyAName' | 'partyACreditCode' | 'ownerId'>): boolean {
  return mayOnContract(user, 'read', contract);
}

/**
 * The policy's answer for the contract (api/policy.ts): a contract the caller
 * may not see is reported as absent, not as forbidden; one they may see but
 * not change answers 403 naming who may.
 */
export function assertContractAccess(user: User, contract: Pick<ContractRow, 'partyAName' | 'partyACreditCode' | 'ownerId'>, action: ContractAction = 'read'): void {
  if (!mayOnContract(user, 'read', contract)) throw refusal('contract.not_found', {}, 'contract not found');
  if (action !== 'read' && !mayOnContract(user, action, contract)) {
    throw refusal('contract.forbidden', {}, user.role === 'sales' ? "only the contract's owner (or their team lead), legal, finance or an admin may act on this contract" : 'your role may not do this on this contract');
  }
}
