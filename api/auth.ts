/**
 * Authentication (bearer tokens for integrations, the console's cookie
 * sessions with their CSRF token) and the checks every route applies.
 */
import type { NextFunction, Request, Response } from 'express';
import { findUserByToken, type Role, type User } from '../db/users';
import { DEFAULT_SESSION_TIMES, findSession } from '../db/sessions';
import type { Db } from '../db/pool';
import type { ContractRow } from '../db/contracts';
import { refusal } from '../domain/error-reasons';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { mayOnContract, type ContractAction } from './policy';
import { clearSessionCookie, csrfTokenMatches, SAFE_METHODS, sessionIdOf, type RequestSession } from './sessions';

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
  /** how long a session may go unused (db/sessions.ts) */
  sessionIdleMs?: number;
  /** the clock sessions are checked against */
  now?: () => Date;
};

export const AUTH_FAILURE_LIMIT = 10;
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/**
 * Bearer or cookie-session authentication. A request with an Authorization
 * header is authenticated by its bearer token alone (a cookie beside it is
 * not read); one without, by its `sid` cookie, and then every unsafe method
 * (POST, PUT, DELETE) needs the session's CSRF token in X-CSRF-Token (403
 * CSRF_TOKEN_INVALID). A client IP that sent `failureLimit` wrong or
 * malformed tokens or session ids within the window gets 429 with
 * Retry-After for every attempt until the window ends (a correct one
 * included, so a guess cannot be confirmed while blocked). A request with
 * neither is a plain 401 and is not counted.
 */
export function authenticate(db: Db, options: AuthenticateOptions = {}) {
  const limiter =
    options.limiter ?? createRateLimiter({ limit: options.failureLimit ?? AUTH_FAILURE_LIMIT, windowMs: options.failureWindowMs ?? AUTH_FAILURE_WINDOW_MS });
  const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_TIMES.idleMs;
  const now = options.now ?? (() => new Date());
  const refuse = (res: Response, retryAfterSeconds: number) => {
    res.set('Retry-After', String(retryAfterSeconds));
    return refusal('rate.limited', { retryAfterSeconds }, `too many failed authentication attempts from this address; retry in ${retryAfterSeconds} s`);
  };
  const required = () => refusal('auth.required', {}, 'authentication required: sign in (POST /api/session) or send Authorization: Bearer <token>');
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    const sessionId = header ? null : sessionIdOf(req);
    if (!header && !sessionId) throw required();
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const state = limiter.check(client);
    if (state.blocked) throw refuse(res, state.retryAfterSeconds);
    if (sessionId) {
      const session = await findSession(db, sessionId, { now: now(), idleMs });
      if (!session) {
        clearSessionCookie(req, res);
        const after = limiter.fail(client);
        if (after.blocked) throw refuse(res, after.retryAfterSeconds);
        throw refusal('auth.session_invalid', {}, 'the session has ended (signed out, expired or its user deactivated): sign in again');
      }
      if (!SAFE_METHODS.has(req.method) && !csrfTokenMatches(sessionId, req.get('x-csrf-token'))) {
        throw refusal('auth.csrf_invalid', {}, 'this request needs the session\'s CSRF token in the X-CSRF-Token header (GET /api/session gives it)');
      }
      res.locals.user = session.user;
      res.locals.session = { id: sessionId, idHash: session.idHash, expiresAt: session.expiresAt } satisfies RequestSession;
      return next();
    }
    const token = bearerTokenOf(req);
    const user = token ? await findUserByToken(db, token) : null;
    if (!user) {
      const after = limiter.fail(client);
      if (after.blocked) throw refuse(res, after.retryAfterSeconds);
      throw token ? refusal('auth.token_invalid', {}, 'the bearer token is unknown, expired or revoked (or its user deactivated)') : required();
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
