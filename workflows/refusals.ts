/**
 * An update refused for a reason of domain/error-reasons.ts: the error code as
 * the failure's type, the reason and its parameters as its details (read back
 * by platform/temporal.ts businessFailureOf), the English message for logs.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { ERROR_REASONS, reasonDetails, type ErrorReasonId, type ErrorReasonParams } from '../domain/error-reasons';

export function refuse<K extends ErrorReasonId>(id: K, params: ErrorReasonParams[K], message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, ERROR_REASONS[id], reasonDetails(id, params));
}
