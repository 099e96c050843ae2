/**
 * The console's cookie session: the `sid` cookie (HttpOnly, SameSite=Strict,
 * Path=/, Secure when the request came over TLS, as express reads it under
 * the app's `trust proxy` setting) and its CSRF token. The CSRF token is an
 * HMAC of a fixed label keyed by the session id: only a holder of the id (the
 * server, which reads it from the cookie) can compute it, and a page of
 * another origin can neither read the cookie nor the token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'sid';
export const CSRF_HEADER = 'x-csrf-token';
/** Methods that change nothing: no CSRF token needed. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The session id the request's cookie carries, or null (none, or not the shape of one). */
export function sessionIdOf(req: Request): string | null {
  const header = req.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return SESSION_ID_PATTERN.test(value) ? value : null;
  }
  return null;
}

export const csrfTokenOf = (sessionId: string): string => createHmac('sha256', sessionId).update('csrf-token/v1').digest('base64url');

/** Whether the request's X-CSRF-Token is the session's token (compared in constant time). */
export function csrfTokenMatches(sessionId: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenOf(sessionId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const cookieAttributes = (req: Request) => ({ httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure });

/** Sets the session cookie; it lasts as long as the session may (the server ends it sooner when unused). */
export function setSessionCookie(req: Request, res: Response, sessionId: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, sessionId, { ...cookieAttributes(req), expires: expiresAt });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieAttributes(req));
}

/** The session the request was authenticated with (api/auth.ts), or undefined for a bearer token. */
export type RequestSession = { id: string; idHash: string; expiresAt: Date };
export const requestSessionOf = (res: Response): RequestSession | undefined => res.locals.session as RequestSession | undefined;
