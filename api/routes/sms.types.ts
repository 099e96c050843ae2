/**
 * What the SMS routes answer, as types only (no runtime code): the web
 * console imports them (`import type`); api/routes/views.check.ts proves they
 * match what the handlers in sms.ts (and services/sms.ts) return.
 */
import type { MessageRow, PartRow } from '../../db/sms';
import type { RecipientOutcome } from '../../domain/sms/dispatch';
import type { SmsCategory } from '../../domain/sms/windows';

/** A message as listed (the recipient masked for roles that do not need the number). */
export type MessageView = MessageRow & { partsDetail?: Omit<PartRow, 'messageId'>[] };

/** GET /api/contracts/:id/messages */
export type MessageListView = { senderAddress: string | null; total: number; byStatus: Record<string, number>; dispatch?: unknown; items: MessageView[] };

type LedgerCounts = { messages: number; parts: number; debitedParts: number };

/** One Asia/Shanghai day of the reconciliation ledger. */
export type LedgerDayView = LedgerCounts & { date: string; byStatus: Record<string, LedgerCounts> };

/** GET /api/contracts/:id/ledger */
export type LedgerView = { contractId: string; number: string; from: string; to: string; timeZone: string; days: LedgerDayView[]; totals: LedgerCounts };

/** One recipient's outcome in a submission. */
export type RecipientResultView = {
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

/** POST /api/contracts/:id/messages (services/sms.ts SubmissionResponse) */
export type SubmissionView = {
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
  results: RecipientResultView[];
};
