/**
 * One error type with a code; the code → HTTP status table lives in
 * domain/errors.ts and is applied here, once.
 */
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { isDatabaseUnavailable, isTransactionConflict } from '../db/pool';
import { AppError, type FieldIssue } from '../domain/errors';
import { notFoundReason } from '../domain/error-reasons';
import type { Logger } from '../platform/logger';
import { businessFailureOf, isTemporalUnavailable } from '../platform/temporal';
import { WorkflowStartOwedError } from '../services/workflow-starts';

export { AppError, type FieldIssue } from '../domain/errors';

/** "<what> not found", with its reason (contract.not_found, or record.not_found naming the kind of record). */
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`, undefined, notFoundReason(what));

export function zodIssues(error: ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/** The message for a body the JSON parser refused: valid JSON that is not an object (null, a number, a string) is named as such. */
function notAnObject(raw: unknown): string {
  try {
    const value: unknown = JSON.parse(String(raw ?? ''));
    return `request body must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}`;
  } catch {
    return 'request body is not valid JSON';
  }
}

/** Turns anything thrown into an AppError, or null for a genuine internal error. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return new AppError('VALIDATION_FAILED', 'request is invalid', { issues: zodIssues(error, '') });
  const bodyError = error as { type?: string; status?: number; message?: string };
  if (bodyError?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
  if (bodyError?.type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', notAnObject((error as { body?: unknown }).body));
  if (bodyError?.type === 'encoding.unsupported' || bodyError?.type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', bodyError.message ?? 'unsupported encoding');
  }
  const business = businessFailureOf(error);
  if (business) return new AppError(business.code, business.message, undefined, business.reason ?? undefined);
  if (isDatabaseUnavailable(error)) return new AppError('UNAVAILABLE', 'the database is not reachable right now; retry shortly');
  // e.g. two appends to the audit chain crossing row locks (docs/security.md): nothing was written, a retry runs
  if (isTransactionConflict(error)) return new AppError('UNAVAILABLE', 'a concurrent change got in the way; retry shortly');
  if (isTemporalUnavailable(error)) return new AppError('UNAVAILABLE', 'the workflow service is not reachable right now; retry shortly');
  // a contract's workflow that its creation still owes could not be started for this request: nothing was recorded
  if (error instanceof WorkflowStartOwedError) return new AppError('UNAVAILABLE', 'the contract process is being started; retry shortly');
  return null;
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const requestId = String(res.locals.requestId ?? '');
    const appError = toAppError(error);
    if (res.headersSent) {
      logger.error({ err: error, requestId }, 'error after the response started');
      return;
    }
    if (!appError) {
      logger.error({ err: error, requestId, route: req.route?.path }, 'unhandled error');
      res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error', requestId } });
      return;
    }
    if (appError.code === 'UNAVAILABLE') res.set('Retry-After', '5');
    // the reason and its parameters (domain/error-reasons.ts) let clients word the refusal in their own language
    const reason = appError.reason ? { reason: appError.reason.id, params: appError.reason.params } : {};
    res.status(appError.status).json({ error: { code: appError.code, message: appError.message, ...appError.details, ...reason, requestId } });
  };
}
