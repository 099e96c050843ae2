/**
 * What the SMS routes answer, as types only (no runtime code): the web
 * console imports them (`import type`); a submission's answer is defined once,
 * in services/sms.types.ts (types only, like this module).
 */
import type { MessageRow, PartRow } from '../../db/sms';
import type { RecipientResult, SubmissionResponse } from '../../services/sms.types';

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
export type RecipientResultView = RecipientResult;

/** POST /api/contracts/:id/messages */
export type SubmissionView = SubmissionResponse;
