/**
 * Route definitions as data: method, path, the roles allowed, the zod schemas
 * of body and query, and the handler. The permission matrix is derived from
 * this table, so a route cannot exist without its roles.
 */
import type { NextFunction, Request, Response } from 'express';
import type { ContractAction } from './policy';
import type { z } from 'zod';
import type { ContractRow } from '../db/contracts';
import type { Role, User } from '../db/users';
import { AppError, zodIssues } from './errors';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export type RequestContext<B = unknown, Q = unknown> = {
  req: Request;
  res: Response;
  user: User;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** the contract the route's `contract` gate loaded and checked (api/contract-access.ts); reading it on a route without one throws */
  contract: ContractRow;
  requestId: string;
  idempotencyKey: string | null;
};

export type RouteDef<B = unknown, Q = unknown> = {
  method: HttpMethod;
  path: string;
  /** who may call it; 'public' needs no authentication */
  roles: readonly Role[] | 'public';
  summary: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** top-level response fields that carry a secret shown once (a token): never stored with the idempotency key */
  secrets?: readonly string[];
  /**
   * the contract the route acts on (the path parameter naming it) and what it
   * does to it: checked against the policy (api/policy.ts) before the body is
   * read, so a contract the caller may not see is absent whatever they send
   */
  contract?: { param: string; action: ContractAction };
  /**
   * a heavy write (an SMS to up to 10,000 recipients, an import of up to
   * 1,000 contracts with their documents): besides the write budgets it
   * spends the stricter heavy ones (api/write-limits.ts)
   */
  heavy?: boolean;
  /** returns the JSON body (status 200 unless `status` is set on ctx.res), or undefined when it wrote the response itself */
  handler: (ctx: RequestContext<B, Q>) => Promise<unknown>;
};

export const defineRoute = <B, Q>(route: RouteDef<B, Q>): RouteDef<B, Q> => route;

export function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query'): T {
  if (!schema) return value as T;
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success && where === 'body' && value === undefined) {
    // no body at all: say what to send, not "expected object, received undefined"
    throw new AppError('VALIDATION_FAILED', `request body is missing: send a JSON object as ${BODY_MEDIA_TYPE}`, { issues: [{ path: 'body', message: 'must be a JSON object' }] });
  }
  if (!parsed.success && where === 'body' && Array.isArray(value)) {
    // the JSON parser lets arrays through (null and scalars it refuses itself: api/errors.ts says the same of them)
    throw new AppError('VALIDATION_FAILED', 'request body must be a JSON object, not an array', { issues: [{ path: 'body', message: 'must be a JSON object' }] });
  }
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `${where} is invalid`, { issues: zodIssues(parsed.error, where) });
  }
  return parsed.data;
}

export type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/** The media type every body route takes. */
export const BODY_MEDIA_TYPE = 'application/json';

/**
 * A request that carries a body must say it is JSON: valid JSON sent as
 * text/plain, form-encoded (curl -d without a header) or with no Content-Type
 * is a 415 naming the accepted type, not a validation error about a missing
 * body. A request with no body at all goes on to the schema, which says what
 * is missing.
 */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (!hasBody || req.is([BODY_MEDIA_TYPE, 'application/*+json'])) return next();
  res.set(req.method === 'PATCH' ? 'Accept-Patch' : 'Accept-Post', BODY_MEDIA_TYPE);
  const sent = req.get('content-type');
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `the body must be sent as ${BODY_MEDIA_TYPE}${sent ? `, not ${sent.split(';')[0]!.trim()}` : ' (the request has no Content-Type)'}`, {
    accepted: [BODY_MEDIA_TYPE],
  });
}
