/**
 * Every error a client can cause, with its HTTP status: one table, used by the
 * API's error middleware and by workflows (as ApplicationFailure types).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  /** a webhook URL whose host is, or resolves to, an address webhooks may not reach (domain/destinations.ts); `reason` says which rule */
  WEBHOOK_DESTINATION_REFUSED: 400,
  /** a password shorter than the policy's minimum (platform/passwords.ts) */
  PASSWORD_TOO_SHORT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  /** a cookie-session request that changes something without the session's CSRF token (X-CSRF-Token) */
  CSRF_TOKEN_INVALID: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ALREADY_SIGNED: 409,
  NOT_AWAITING_SIGNATURES: 409,
  INVALID_STATE: 409,
  /** Art.8 §5, appendix: the organisation (Party A, by its credit code) was frozen for a content violation and may never open again; `freeze` names the case and contract */
  ORGANISATION_FROZEN: 409,
  /** Art.4 §9: the contract's service is suspended pending rectification; `suspension` gives the case, reason, source and the end of the rectification period */
  CONTRACT_SUSPENDED: 409,
  /** the appendix: a message names a template that is not approved (applied for and waiting, or rejected); `template` gives its id and status */
  SMS_TEMPLATE_NOT_APPROVED: 409,
  /** the contract's terms (`sms.freeText`) allow this category only from an approved template */
  SMS_FREE_TEXT_NOT_ALLOWED: 409,
  /** a signature or template application was already decided: `review` gives the decision */
  ALREADY_REVIEWED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  BUSINESS_RULE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);

export type FieldIssue = { path: string; message: string };

/** Why, as data: a reason id of domain/error-reasons.ts with its parameters (build one with `refusal` there). */
export type AppErrorReason = { id: string; params: Record<string, unknown> };

/** An error a client caused, with its stable code (the console translates it), for bad input every issue, and where known its reason with parameters. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { issues?: FieldIssue[]; [key: string]: unknown },
    readonly reason?: AppErrorReason,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
