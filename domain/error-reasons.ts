/**
 * Why a request was refused, as data: a stable reason id with typed
 * parameters, carried by an AppError (and by a workflow's ApplicationFailure
 * in its details) next to its code and English message. The API answers
 * `{ error: { code, message, reason, params } }`; the console words each
 * reason in the chosen language from the parameters (dates as ISO 8601
 * instants, money as integer fen), never from the English message.
 *
 * A reason belongs to one error code (ERROR_REASONS), so a reason id tells the
 * HTTP status too.
 */
import { AppError, type ErrorCode, type FieldIssue } from './errors';

/** What a "not found" names, when it is not a contract, an invoice or a supplemental agreement (which have reasons of their own). */
export const RECORD_KINDS = [
  'case',
  'breach_case',
  'violation_case',
  'force_majeure_case',
  'outage_case',
  'outage',
  'document',
  'submission',
  'user',
  'customer_operator',
  'token',
  'webhook_subscription',
  'work_item',
  'calendar_subscription',
  'calendar_year',
  'digest',
  'signature_application',
  'template_application',
  'record',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** What an organisation frozen for good may no longer have (Art.8 §5). */
export const FROZEN_REFUSALS = ['new_contract', 'import', 'amendment', 'amendment_signing', 'sms', 'other'] as const;
export type FrozenRefusal = (typeof FROZEN_REFUSALS)[number];

/** Each reason's parameters. Instants are ISO 8601 strings, amounts integer fen, parties 'A' or 'B'. */
export interface ErrorReasonParams {
  'contract.not_found': Record<string, never>;
  'invoice.not_found': { number: string };
  'amendment.not_found': { seq: number | null };
  'record.not_found': { kind: RecordKind };
  'signature.already_signed': { party: 'A' | 'B'; signedAt: string; signer: string };
  'amendment.already_signed': { seq: number; party: 'A' | 'B' };
  'contract.not_awaiting_signatures': { number: string; status: string };
  /** an act possible only while the contract is in force (active, neither being terminated nor frozen) */
  'contract.not_in_term': { number: string; status: string; terminating: boolean };
  'contract.never_effective': { number: string; status: string };
  'contract.already_frozen': { number: string };
  'contract.already_suspended': { number: string; caseId: string | null };
  /** the contract's workflow has ended: nothing more can be done through it */
  'contract.process_ended': Record<string, never>;
  /** Art.4 §9: the service is suspended pending rectification, until the end of the period (null when unknown) */
  'contract.suspended': { number: string; caseId: string; reason: string; until: string | null; lapsed: boolean };
  'case.invalid_state': { caseId: string; status: string; allowed: string[] };
  'case.closed': Record<string, never>;
  'payment.amount_mismatch': { reference: string; recordedFen: number; givenFen: number };
  'payment.overpayment': { invoiceNumber: string; outstandingFen: number; givenFen: number };
  'invoice.already_paid': { number: string };
  'invoice.none_unpaid': Record<string, never>;
  'input.in_future': { field: 'signedAt' | 'paidAt' | 'confirmedAt' };
  'delivery.already_confirmed': { confirmedAt: string; signer: string | null };
  'delivery.nothing_to_confirm': { number: string };
  'renewal.already_objected': { party: 'A' | 'B'; at: string };
  'renewal.term_ended': { termEndsAt: string };
  'termination.after_term_end': { termEndsAt: string };
  'amendment.pending': { seq: number };
  'amendment.completed': { seq: number };
  'organisation.frozen': { organisation: string; caseId: string; contractNumber: string; frozenAt: string; matchedBy: 'credit_code' | 'name'; refused: FrozenRefusal };
  'idempotency.key_reused': Record<string, never>;
  'idempotency.in_progress': Record<string, never>;
  'rate.limited': { retryAfterSeconds: number };
  'auth.required': Record<string, never>;
  'auth.token_invalid': Record<string, never>;
  /** a user name and password that do not sign in: the same for an unknown user name and a wrong password */
  'auth.credentials_invalid': Record<string, never>;
  /** the session cookie names a session that ended (signed out, expired, the user deactivated or their password reset) */
  'auth.session_invalid': Record<string, never>;
  /** a cookie-session request that changes something without the session's X-CSRF-Token */
  'auth.csrf_invalid': Record<string, never>;
  'password.too_short': { minLength: number };
  /** a password change whose current password is wrong */
  'password.current_wrong': Record<string, never>;
  'username.taken': { username: string };
  'role.forbidden': { roles: string[]; role: string };
  'contract.forbidden': Record<string, never>;
}

export type ErrorReasonId = keyof ErrorReasonParams;

/** Every reason with the code it is refused with (the runtime list of reason ids). */
export const ERROR_REASONS = {
  'contract.not_found': 'NOT_FOUND',
  'invoice.not_found': 'NOT_FOUND',
  'amendment.not_found': 'NOT_FOUND',
  'record.not_found': 'NOT_FOUND',
  'signature.already_signed': 'ALREADY_SIGNED',
  'amendment.already_signed': 'ALREADY_SIGNED',
  'contract.not_awaiting_signatures': 'NOT_AWAITING_SIGNATURES',
  'contract.not_in_term': 'INVALID_STATE',
  'contract.never_effective': 'INVALID_STATE',
  'contract.already_frozen': 'INVALID_STATE',
  'contract.already_suspended': 'INVALID_STATE',
  'contract.process_ended': 'INVALID_STATE',
  'contract.suspended': 'CONTRACT_SUSPENDED',
  'case.invalid_state': 'INVALID_STATE',
  'case.closed': 'INVALID_STATE',
  'payment.amount_mismatch': 'CONFLICT',
  'payment.overpayment': 'CONFLICT',
  'invoice.already_paid': 'CONFLICT',
  'invoice.none_unpaid': 'CONFLICT',
  'input.in_future': 'VALIDATION_FAILED',
  'delivery.already_confirmed': 'CONFLICT',
  'delivery.nothing_to_confirm': 'INVALID_STATE',
  'renewal.already_objected': 'CONFLICT',
  'renewal.term_ended': 'INVALID_STATE',
  'termination.after_term_end': 'VALIDATION_FAILED',
  'amendment.pending': 'CONFLICT',
  'amendment.completed': 'CONFLICT',
  'organisation.frozen': 'ORGANISATION_FROZEN',
  'idempotency.key_reused': 'IDEMPOTENCY_KEY_REUSED',
  'idempotency.in_progress': 'CONFLICT',
  'rate.limited': 'RATE_LIMITED',
  'auth.required': 'UNAUTHENTICATED',
  'auth.token_invalid': 'UNAUTHENTICATED',
  'auth.credentials_invalid': 'UNAUTHENTICATED',
  'auth.session_invalid': 'UNAUTHENTICATED',
  'auth.csrf_invalid': 'CSRF_TOKEN_INVALID',
  'password.too_short': 'PASSWORD_TOO_SHORT',
  'password.current_wrong': 'FORBIDDEN',
  'username.taken': 'CONFLICT',
  'role.forbidden': 'FORBIDDEN',
  'contract.forbidden': 'FORBIDDEN',
} as const satisfies { [K in ErrorReasonId]: ErrorCode };

export const ERROR_REASON_IDS = Object.keys(ERROR_REASONS) as ErrorReasonId[];

export const isErrorReasonId = (value: unknown): value is ErrorReasonId =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_REASONS, value);

/** One reason with its parameters (a union over every reason id, so `params` is typed by `id`). */
export type ErrorReason = { [K in ErrorReasonId]: { id: K; params: ErrorReasonParams[K] } }[ErrorReasonId];

/** What a workflow or an activity puts in its ApplicationFailure's details: read back by platform/temporal.ts businessFailureOf. */
export type ReasonDetails = { [K in ErrorReasonId]: { reason: K; params: ErrorReasonParams[K] } }[ErrorReasonId];

export function reasonDetails<K extends ErrorReasonId>(id: K, params: ErrorReasonParams[K]): { reason: K; params: ErrorReasonParams[K] } {
  return { reason: id, params };
}

/** The reason carried by a failure's details, or null when they carry none (or one this build does not know). */
export function reasonOfDetails(details: unknown): ErrorReason | null {
  const d = details as { reason?: unknown; params?: unknown } | null | undefined;
  if (!d || !isErrorReasonId(d.reason) || typeof d.params !== 'object' || d.params === null) return null;
  return { id: d.reason, params: d.params } as ErrorReason;
}

/** An AppError refusing for `id`, with its code, its English message (for API clients and logs) and any further details. */
export function refusal<K extends ErrorReasonId>(
  id: K,
  params: ErrorReasonParams[K],
  message: string,
  details?: { issues?: FieldIssue[]; [key: string]: unknown },
): AppError {
  return new AppError(ERROR_REASONS[id], message, details, { id, params } as ErrorReason);
}

/** The English words of a "… not found" (api/errors.ts notFound) as a record kind. */
const NOT_FOUND_WORDS: Record<string, RecordKind> = {
  case: 'case',
  'breach case': 'breach_case',
  'violation case': 'violation_case',
  'force majeure case': 'force_majeure_case',
  'force_majeure case': 'force_majeure_case',
  'outage case': 'outage_case',
  outage: 'outage',
  document: 'document',
  submission: 'submission',
  user: 'user',
  'webhook subscription': 'webhook_subscription',
  'work item': 'work_item',
  'signature application': 'signature_application',
  'template application': 'template_application',
};

/** The reason of "<what> not found". */
export function notFoundReason(what: string): ErrorReason {
  if (what === 'contract') return { id: 'contract.not_found', params: {} };
  return { id: 'record.not_found', params: { kind: NOT_FOUND_WORDS[what] ?? 'record' } };
}
