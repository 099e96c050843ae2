/**
 * What a submission of messages answers (services/sms.ts), as types only:
 * the API's response types (api/routes/sms.types.ts) name these, and the web
 * console's typecheck loads them, so this module imports nothing but domain/
 * types.
 */
import type { RecipientOutcome } from '../domain/sms/dispatch';
import type { SmsCategory } from '../domain/sms/windows';

/** One recipient's outcome in a submission. */
export type RecipientResult = {
  index: number;
  /** as the caller wrote it (invalid numbers only) */
  input?: string;
  recipient?: string;
  status: RecipientOutcome;
  reason?: string;
  message?: string;
  messageEn?: string;
  sendAt?: string;
  messageId?: string;
  duplicateOf?: number | null;
};

export type SubmissionResponse = {
  submissionId: string;
  workflowId: string;
  replayed: boolean;
  contractId: string;
  category: SmsCategory;
  content: string;
  appendedUnsubscribe: boolean;
  encoding: 'GSM7' | 'UCS2';
  partsPerMessage: number;
  senderAddress: string;
  keywordListVersion: string;
  window: { held: boolean; sendAt: string | null; reason: string | null; reasonZh: string | null };
  counts: Record<RecipientOutcome, number> & { total: number };
  debitedParts: number;
  quota: { contractYear: number; totalParts: number; usedParts: number; remainingParts: number };
  results: RecipientResult[];
};
