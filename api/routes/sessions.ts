/**
 * Signing in with a user name and password: a cookie session for the console
 * (api/sessions.ts), signing out of it or of every session, and changing
 * one's own password. Bearer tokens stay for integrations.
 */
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { createSession, DEFAULT_SESSION_TIMES, endSession, endUserSessions, findSession } from '../../db/sessions';
import { findPasswordHash, findPasswordLogin, findUsername, ROLES, setPasswordHash } from '../../db/users';
import { refusal } from '../../domain/error-reasons';
import { assertPasswordPolicy, hashPassword, PASSWORD_MAX_LENGTH, verifyPassword } from '../../platform/passwords';
import { AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_MS } from '../auth';
import type { AppDeps } from '../deps';
import { defineRoute } from '../http';
import { createRateLimiter } from '../rate-limit';
import { clearSessionCookie, csrfTokenOf, requestSessionOf, setSessionCookie } from '../sessions';

/** Failed sign-ins allowed per user name within the window, whichever address they come from. */
export const SIGN_IN_FAILURES_PER_USERNAME = 5;
export const SIGN_IN_USERNAME_WINDOW_MS = 15 * 60_000;

export const ZSignInRequest = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const ZChangeOwnPasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: z.string().max(PASSWORD_MAX_LENGTH),
});

export function sessionRoutes(deps: AppDeps) {
  const times = { ...DEFAULT_SESSION_TIMES, ...deps.sessions?.times };
  const now = deps.sessions?.now ?? (() => new Date());
  const byAddress = createRateLimiter({ limit: AUTH_FAILURE_LIMIT, windowMs: AUTH_FAILURE_WINDOW_MS });
  const byName = createRateLimiter({ limit: SIGN_IN_FAILURES_PER_USERNAME, windowMs: SIGN_IN_USERNAME_WINDOW_MS });
  const limited = (res: Parameters<typeof setSessionCookie>[1], retryAfterSeconds: number) => {
    res.set('Retry-After', String(retryAfterSeconds));
    return refusal('rate.limited', { retryAfterSeconds }, `too many failed sign-ins; retry in ${retryAfterSeconds} s`);
  };

  return [
    defineRoute({
      method: 'post',
      path: '/api/session',
      roles: 'public',
      summary:
        'sign in with a user name and password: sets the session cookie (sid: HttpOnly, SameSite=Strict, Secure over TLS) and answers the user and the CSRF token every POST, PUT and DELETE of the session sends as X-CSRF-Token; an unknown user name and a wrong password get the same 401',
      body: ZSignInRequest,
      handler: async ({ req, res, body }) => {
        const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        for (const [limiter, key] of [
          [byAddress, address],
          [byName, body.username],
        ] as const) {
          const state = limiter.check(key);
          if (state.blocked) throw limited(res, state.retryAfterSeconds);
        }
        const login = await findPasswordLogin(deps.db, body.username);
        // an unknown user name (or one without a password) verifies a dummy hash: the same answer in about the same time
        const valid = await verifyPassword(login?.passwordHash ?? null, body.password);
        if (!login || !valid) {
          const after = [byAddress.fail(address), byName.fail(body.username)].find((s) => s.blocked);
          if (after) throw limited(res, after.retryAfterSeconds);
          throw refusal('auth.credentials_invalid', {}, 'the user name or password is not correct');
        }
        byName.reset(body.username);
        const at = now();
        const created = await createSession(deps.db, { userId: login.userId, now: at, absoluteMs: times.absoluteMs, userAgent: req.get('user-agent') ?? null, ip: address });
        const session = await findSession(deps.db, created.id, { now: at, idleMs: times.idleMs });
        if (!session) throw refusal('auth.session_invalid', {}, 'the session ended as it began');
        setSessionCookie(req, res, created.id, created.expiresAt);
        res.status(201);
        return { user: session.user, csrfToken: csrfTokenOf(created.id), expiresAt: created.expiresAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/session',
      roles: ROLES,
      summary: "who is signed in, with the session's CSRF token (null for a bearer token) and when the session ends at the latest",
      handler: async ({ res, user }) => {
        const session = requestSessionOf(res);
        return { user, csrfToken: session ? csrfTokenOf(session.id) : null, expiresAt: session ? session.expiresAt.toISOString() : null };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/session',
      roles: ROLES,
      summary: 'sign out: ends this session and clears its cookie',
      handler: async ({ req, res, user }) => {
        const session = requestSessionOf(res);
        if (session) await endSession(deps.db, { idHash: session.idHash, by: `signed out by ${user.id}` });
        clearSessionCookie(req, res);
        return { signedOut: session !== undefined };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/session/sign-out-everywhere',
      roles: ROLES,
      summary: "sign out everywhere: ends every session of the caller's, this one included (API tokens are revoked one by one: DELETE /api/tokens/:tokenId)",
      body: z.strictObject({}),
      handler: async ({ req, res, user }) => {
        const ended = await endUserSessions(deps.db, { userId: user.id, by: `signed out everywhere by ${user.id}` });
        clearSessionCookie(req, res);
        return { sessionsEnded: ended };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/me/password',
      roles: ROLES,
      summary: "change one's own password (the current one is asked): every other session of the caller's ends, this one goes on",
      body: ZChangeOwnPasswordRequest,
      handler: async ({ res, body, user, requestId }) => {
        assertPasswordPolicy(body.newPassword, 'newPassword');
        const key = `user:${user.id}`;
        const state = byName.check(key);
        if (state.blocked) throw limited(res, state.retryAfterSeconds);
        if (!(await verifyPassword(await findPasswordHash(deps.db, user.id), body.currentPassword))) {
          const after = byName.fail(key);
          if (after.blocked) throw limited(res, after.retryAfterSeconds);
          throw refusal('password.current_wrong', {}, 'the current password is not correct');
        }
        const passwordHash = await hashPassword(body.newPassword);
        const session = requestSessionOf(res);
        const ended = await deps.db.withTransaction(async (tx) => {
          await setPasswordHash(tx, { userId: user.id, passwordHash });
          const count = await endUserSessions(tx, { userId: user.id, by: `password changed by ${user.id}`, except: session?.idHash });
          await appendAudit(tx, { type: 'user.password_set', actor: { id: user.id, role: user.role, requestId }, data: { userId: user.id, username: await findUsername(tx, user.id), by: 'self', sessionsEnded: count } });
          return count;
        });
        return { id: user.id, passwordChanged: true, sessionsEnded: ended };
      },
    }),
  ];
}
