/**
 * Messages of one submission's SMS dispatch (workflows/sms-dispatch.ts).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export type SmsDispatchStatus = 'held' | 'sending' | 'awaiting_receipts' | 'completed' | 'cancelled';

export type SmsDispatchView = {
  submissionId: string;
  status: SmsDispatchStatus;
  /** the decision taken at submission (workflow time) */
  held: boolean;
  sendAt: string;
  reason: string;
  reasonZh: string;
  /** when the messages were (last) released to the transport, workflow time */
  releasedAt: string | null;
  /** the next opening while waiting for the window */
  waitingUntil: string | null;
  messages: number;
  handedOver: number;
  endedBeforeSending: number;
  openMessages: number | null;
  expiresAt: string | null;
  cancelled: boolean;
};

/** Some of the submission's messages reached a final status. */
export type SmsReceiptsInput = { finalized: number };
export type CancelSmsDispatchInput = { actorId: string; reason?: string };

export const getSmsDispatchQuery = defineQuery<SmsDispatchView>('getSmsDispatchQuery');
/** from the receiver: some of this submission's messages reached a final status */
export const smsReceiptsSignal = defineSignal<[SmsReceiptsInput]>('smsReceiptsSignal');
export const cancelSmsDispatchSignal = defineSignal<[CancelSmsDispatchInput]>('cancelSmsDispatchSignal');
