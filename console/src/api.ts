/**
 * The console's HTTP client: the cookie session (its CSRF token kept in
 * memory and sent as X-CSRF-Token on every POST, PUT and DELETE) or a pasted
 * API token as a bearer token, JSON in and out, the API's error shape
 * ({ error: { code, message, reason?, params?, issues?, requestId } }) turned
 * into an ApiError the pages can show.
 */
import routes from 'virtual:api-routes';
import type { MeView, RoleView } from '../../api/routes/users.types';
import type { FieldIssue } from '../../domain/errors';
import { reasonOfAnswer } from './error-reasons';
import type { ErrorReason } from '../../domain/error-reasons';

/** who is signed in (GET /api/me) and their role: the API's own types (type-only: nothing of the server is bundled) */
export type User = MeView;
export type Role = RoleView;
export type { FieldIssue };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly requestId: string | null = null,
    /** why, as data (domain/error-reasons.ts): the console words it in the chosen language */
    readonly reason: ErrorReason | null = null,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'console.token';

export const session = {
  token(): string | null {
    try {
      return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  save(token: string, remember: boolean): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    if (remember) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
  },
};

const COOKIE_SESSION_KEY = 'console.cookieSession';

/**
 * The cookie session's side of the console: its CSRF token (in memory only:
 * a reloaded page asks GET /api/session for it again) and a flag that a
 * session was begun in this browser, so a page without one shows the
 * sign-in form without asking the server first.
 */
export const cookieSession = {
  csrfToken: null as string | null,
  begun(): boolean {
    try {
      return localStorage.getItem(COOKIE_SESSION_KEY) === '1';
    } catch {
      return false;
    }
  },
  begin(csrfToken: string): void {
    cookieSession.csrfToken = csrfToken;
    localStorage.setItem(COOKIE_SESSION_KEY, '1');
  },
  end(): void {
    cookieSession.csrfToken = null;
    localStorage.removeItem(COOKIE_SESSION_KEY);
  },
};

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'DELETE']);

/** Called when the server says the token is no longer valid. */
let onUnauthenticated: () => void = () => undefined;
export const setUnauthenticatedHandler = (fn: () => void) => {
  onUnauthenticated = fn;
};

type RequestOptions = {
  body?: unknown;
  idempotencyKey?: string;
  token?: string;
  signal?: AbortSignal;
  /** a 401 is the answer itself (a wrong password), not a sign-in that ended */
  expectUnauthenticated?: boolean;
};

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const token = options.token ?? session.token();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  else if (UNSAFE_METHODS.has(method) && cookieSession.csrfToken) headers['x-csrf-token'] = cookieSession.csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'network error');
  }
  if (!response.ok) {
    let payload: { error?: { code?: string; message?: string; issues?: FieldIssue[]; requestId?: string; reason?: unknown; params?: unknown } } = {};
    try {
      payload = await response.json();
    } catch {
      // not JSON
    }
    const error = new ApiError(
      response.status,
      payload.error?.code ?? `HTTP_${response.status}`,
      payload.error?.message ?? response.statusText,
      payload.error?.issues ?? [],
      payload.error?.requestId ?? response.headers.get('x-request-id'),
      reasonOfAnswer(payload.error?.reason, payload.error?.params),
    );
    if (response.status === 401 && !options.token && !options.expectUnauthenticated) onUnauthenticated();
    throw error;
  }
  return response;
}

export async function apiGet<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await send('GET', path, options)).json() as Promise<T>;
}

export async function apiPost<T>(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
  return (await send('POST', path, { ...options, body })).json() as Promise<T>;
}

export async function apiPut<T>(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
  return (await send('PUT', path, { ...options, body })).json() as Promise<T>;
}

export async function apiDelete<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await send('DELETE', path, options)).json() as Promise<T>;
}

export async function apiBlob(path: string): Promise<Blob> {
  return (await send('GET', path)).blob();
}

export async function apiText(path: string): Promise<string> {
  return (await send('GET', path)).text();
}

export const newIdempotencyKey = () => `console-${crypto.randomUUID()}`;

/**
 * The API's route table, read at build time from api/app.ts `allRoutes`:
 * whether an endpoint exists and the role may call it.
 */
export type RouteInfo = { method: string; path: string; roles: readonly string[] | 'public'; summary: string };
const ROUTES: readonly RouteInfo[] = routes;

export function routeExists(method: string, path: string): boolean {
  return ROUTES.some((r) => r.method === method && r.path === path);
}

export function can(role: Role | undefined, method: string, path: string): boolean {
  if (!role) return false;
  const route = ROUTES.find((r) => r.method === method && r.path === path);
  if (!route) return false;
  return route.roles === 'public' || route.roles.includes(role);
}
