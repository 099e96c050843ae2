/**
 * Temporal client side: connecting, and mapping what the server says into the
 * system's error codes.
 */
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isErrorCode, type ErrorCode } from '../domain/errors';

export type TemporalOptions = { address: string; namespace: string };

export async function connectClient(options: TemporalOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address, connectTimeout: '5 seconds' });
  return new Client({ connection, namespace: options.namespace });
}

export { WorkflowExecutionAlreadyStartedError };

/** A business failure thrown by a workflow (validator or handler), as an error code and message. */
export function businessFailureOf(error: unknown): { code: ErrorCode; message: string } | null {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) return { code: cause.type, message: cause.message };
    if (cause instanceof ApplicationFailure) return { code: 'BUSINESS_RULE', message: cause.message };
  }
  if (error instanceof WorkflowNotFoundError) return { code: 'INVALID_STATE', message: 'the contract process is no longer running' };
  return null;
}

/** True for errors that mean "Temporal is not reachable right now" (→ 503). */
export function isTemporalUnavailable(error: unknown): boolean {
  const e = error as { code?: number; message?: string } | undefined;
  // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4)
  return Boolean(e && (e.code === 14 || e.code === 4 || /UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect/i.test(e.message ?? '')));
}
