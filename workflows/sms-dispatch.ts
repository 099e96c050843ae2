/**
 * One submission's dispatch (DESIGN.md: SMS dispatch): the workflow
 * `sms-<contract id>-<hash of the idempotency key>`.
 *
 * 1. Window (Art.5 §2, Art.8 §4): outside the sending window the messages are
 *    held and a durable timer releases them at the next opening
 *    (`nextSendingInstant`, 08:00, or 09:00 for marketing). Alerts go out at
 *    any hour only with the 24-hour permit. No polling: one timer.
 * 2. Sending: chunks of messages through `sendSmsChunk`, which hands every
 *    part to the SMPP transport exactly once (see activities/sms.ts). The
 *    activity stops taking messages when the window closes, and the window is
 *    checked again before each chunk, so a batch still sending at 22:00 waits
 *    for the morning.
 * 3. Receipts: the receiver in the worker applies delivery receipts and
 *    signals here; the workflow re-counts the open messages after letting
 *    receipts gather, and with no outcome within the validity (72 h by
 *    default) the rest expire.
 *
 * `cancelSmsDispatchSignal` ends what has not been handed over yet (quota
 * credited back). Deterministic: activity types only, no Node built-ins.
 */
import { setHandler, sleep } from '@temporalio/workflow';
import { receiptSettleMs, windowEndsAt } from '../domain/sms/dispatch';
import { nextSendingInstant, type SmsCategory, type SmsWindowTerms } from '../domain/sms/windows';
import { acts, sending } from './activity-proxies';
import {
  cancelSmsDispatchSignal,
  getSmsDispatchQuery,
  smsReceiptsSignal,
  type CancelSmsDispatchInput,
  type SmsDispatchStatus,
} from './messages/sms-dispatch';
import { nowIso, waitUntil } from './shared';

export type SmsDispatchInput = {
  submissionId: string;
  contractId: string;
  category: SmsCategory;
  /** the contract's window terms when the messages were submitted */
  sms: SmsWindowTerms;
  /** accepted messages (for the view) */
  messages: number;
  /** no delivery receipt this long after sending: expired (default 72 h) */
  validityMs?: number;
};

export type SmsDispatchResult = { submissionId: string; status: 'completed' | 'cancelled'; handedOver: number; expired: number; endedBeforeSending: number };

export const DEFAULT_VALIDITY_MS = 72 * 3_600_000;

export async function smsDispatch(input: SmsDispatchInput): Promise<SmsDispatchResult> {
  const { submissionId } = input;
  const validityMs = input.validityMs ?? DEFAULT_VALIDITY_MS;
  const plan = nextSendingInstant({ now: new Date(), category: input.category, sms: input.sms });
  let status: SmsDispatchStatus = plan.held ? 'held' : 'sending';
  let releasedAt: string | null = null;
  let waitingUntil: string | null = plan.held ? plan.sendAt.toISOString() : null;
  let handedOver = 0;
  let endedBeforeSending = 0;
  let openMessages: number | null = null;
  let expiresAt: string | null = null;
  let receiptsArrived = false;
  let cancelRequest = null as CancelSmsDispatchInput | null;

  setHandler(getSmsDispatchQuery, () => ({
    submissionId,
    status,
    held: plan.held,
    sendAt: plan.sendAt.toISOString(),
    reason: plan.reason,
    reasonZh: plan.reasonZh,
    releasedAt,
    waitingUntil,
    messages: input.messages,
    handedOver,
    endedBeforeSending,
    openMessages,
    expiresAt,
    cancelled: cancelRequest !== null,
  }));
  setHandler(smsReceiptsSignal, () => {
    receiptsArrived = true;
  });
  setHandler(cancelSmsDispatchSignal, (request) => {
    cancelRequest ??= request;
  });

  if (plan.held) await acts.holdSms({ submissionId, sendAt: plan.sendAt.toISOString(), reason: plan.reason });

  for (;;) {
    const slot = nextSendingInstant({ now: new Date(), category: input.category, sms: input.sms });
    if (cancelRequest) break;
    if (slot.held) {
      status = 'held';
      waitingUntil = slot.sendAt.toISOString();
      // one durable timer to the next opening (or a cancel)
      await waitUntil(() => cancelRequest !== null, slot.sendAt.getTime());
      continue;
    }
    status = 'sending';
    waitingUntil = null;
    releasedAt = nowIso();
    const closesAt = windowEndsAt(new Date(), slot.window);
    const chunk = await sending.sendSmsChunk({ submissionId, releasedAt, windowEndsAt: closesAt ? closesAt.toISOString() : null });
    handedOver += chunk.handedOver;
    endedBeforeSending += chunk.ended;
    if (chunk.remaining === 0) break;
    // nothing could be handed over (the window closed on the activity's clock): do not spin, look again shortly
    if (chunk.handedOver === 0 && chunk.ended === 0) await sleep('1 minute');
  }

  if (cancelRequest) {
    endedBeforeSending += await acts.cancelSms({ submissionId, reason: cancelRequest.reason ?? 'cancelled', actorId: cancelRequest.actorId });
  }

  // receipts: wake on the receiver's signals, let them gather, count what is open
  const sentAt = Date.now();
  const expiry = sentAt + validityMs;
  expiresAt = new Date(expiry).toISOString();
  status = 'awaiting_receipts';
  let expired = 0;
  for (;;) {
    receiptsArrived = false;
    openMessages = await acts.countOpenSms({ submissionId });
    if (openMessages === 0) break;
    const elapsed = Date.now() - sentAt;
    // a lost signal only delays the count: re-count anyway, less often as time goes by
    const recheckAt = Math.min(expiry, Date.now() + Math.max(60_000, Math.round(elapsed / 4)));
    const woke = await waitUntil(() => receiptsArrived, recheckAt);
    if (Date.now() >= expiry) {
      expired = await acts.expireSms({ submissionId });
      openMessages = await acts.countOpenSms({ submissionId });
      break;
    }
    if (woke) {
      const settle = Math.min(receiptSettleMs(Date.now() - sentAt), expiry - Date.now());
      if (settle > 0) await sleep(settle);
    }
  }

  status = cancelRequest ? 'cancelled' : 'completed';
  return { submissionId, status, handedOver, expired, endedBeforeSending };
}
