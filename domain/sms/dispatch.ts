/**
 * What happens to each recipient of a submission, as pure rules
 * shared by the API, the dispatch workflow and the console:
 *
 * - numbers are normalised to E.164; an invalid one is rejected on its own,
 *   a repeated one is collapsed into its first occurrence (`duplicate`);
 * - marketing goes to members only (Art.8 §4): a recipient without
 *   `member: true` is rejected;
 * - a suppressed number (opted out or complained, Art.4 §6) is `suppressed`,
 *   alerts included: the clause has no exception, and public earthquake
 *   warnings reach everyone through the operators' cell broadcast, not
 *   through a customer's enterprise SMS;
 * - frequency caps stop loops: the same content to one number at most once
 *   per `sameContentMs`, at most `perHour` messages per rolling hour; alerts
 *   are not capped but an identical alert within `alertDedupMs` is collapsed
 *   as a `duplicate`;
 * - quota: the accepted recipients' parts must fit what is left of the
 *   contract year; otherwise the batch is refused whole, or (allowPartial)
 *   the recipients that fit are taken in request order.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import { normalizeRecipient, type RecipientRejection } from './phone';
import type { SmsCategory } from './windows';

export const SMS_CATEGORIES = ['notification', 'marketing', 'alert'] as const satisfies readonly SmsCategory[];

/** A message's life: queued/held → sending → submitted → delivered | failed | expired; or rejected, suppressed, cancelled. */
export const SMS_MESSAGE_STATUSES = ['queued', 'held', 'sending', 'submitted', 'delivered', 'failed', 'expired', 'rejected', 'suppressed', 'cancelled'] as const;
export type SmsMessageStatus = (typeof SMS_MESSAGE_STATUSES)[number];
export const FINAL_SMS_STATUSES: readonly SmsMessageStatus[] = ['delivered', 'failed', 'expired', 'rejected', 'suppressed', 'cancelled'];
/** Statuses of a message the dispatcher still owes an outcome. */
export const OPEN_SMS_STATUSES: readonly SmsMessageStatus[] = ['queued', 'held', 'sending', 'submitted'];

/** What the submission answered for one input. */
export type RecipientOutcome = 'accepted' | 'held' | 'rejected' | 'suppressed' | 'duplicate';

export type RejectionReason = RecipientRejection | 'not_member' | 'frequency_cap_same_content' | 'frequency_cap_hourly' | 'quota_exceeded';

export const REJECTION_MESSAGES: Record<Exclude<RejectionReason, RecipientRejection>, [zh: string, en: string]> = {
  not_member: ['会员营销类短信只能发送给会员（第八条第4款）', 'marketing goes to members only (Art.8 §4)'],
  frequency_cap_same_content: ['同一内容短时间内重复发送给同一号码', 'the same content was sent to this number moments ago'],
  frequency_cap_hourly: ['一小时内发送给该号码的短信已达上限', 'this number has had the most messages allowed in an hour'],
  quota_exceeded: ['本合同年度短信余量不足', "the contract year's SMS quota is used up"],
};

export type RecipientInput = string | { number: string; member?: boolean | undefined };

export type ScreenedRecipient =
  | { index: number; input: string; outcome: 'candidate'; e164: string; member: boolean | null }
  | { index: number; input: string; outcome: 'invalid'; reason: RecipientRejection; message: string; messageEn: string }
  | { index: number; input: string; outcome: 'duplicate'; e164: string; duplicateOf: number }
  | { index: number; input: string; outcome: 'not_member'; e164: string; member: boolean | null };

/** Normalises, collapses duplicates, and applies the members-only rule of marketing. */
export function screenRecipients(inputs: readonly RecipientInput[], category: SmsCategory): ScreenedRecipient[] {
  const firstIndex = new Map<string, number>();
  return inputs.map((raw, index) => {
    const input = typeof raw === 'string' ? raw : raw.number;
    const member = typeof raw === 'string' ? null : (raw.member ?? null);
    const normalized = normalizeRecipient(input);
    if (!normalized.ok) return { index, input, outcome: 'invalid', reason: normalized.reason, message: normalized.message, messageEn: normalized.messageEn };
    const first = firstIndex.get(normalized.e164);
    if (first !== undefined) return { index, input, outcome: 'duplicate', e164: normalized.e164, duplicateOf: first };
    firstIndex.set(normalized.e164, index);
    if (category === 'marketing' && member !== true) return { index, input, outcome: 'not_member', e164: normalized.e164, member };
    return { index, input, outcome: 'candidate', e164: normalized.e164, member };
  });
}

/** What was sent to one number by this customer lately (non-final decisions only: accepted or held). */
export type RecipientHistory = {
  /** the same content within the same-content window (alerts: within the alert dedup window) */
  sameContentRecent: boolean;
  /** messages other than alerts in the last rolling hour */
  lastHour: number;
};

export type CapDecision = { outcome: 'ok' } | { outcome: 'rejected'; reason: 'frequency_cap_same_content' | 'frequency_cap_hourly' } | { outcome: 'duplicate' };

export function applyFrequencyCap(category: SmsCategory, history: RecipientHistory | undefined, caps: { perHour: number }): CapDecision {
  if (!history) return { outcome: 'ok' };
  if (category === 'alert') return history.sameContentRecent ? { outcome: 'duplicate' } : { outcome: 'ok' };
  if (history.sameContentRecent) return { outcome: 'rejected', reason: 'frequency_cap_same_content' };
  if (history.lastHour >= caps.perHour) return { outcome: 'rejected', reason: 'frequency_cap_hourly' };
  return { outcome: 'ok' };
}

export type QuotaFit =
  | { outcome: 'fits'; accepted: number; parts: number }
  | { outcome: 'partial'; accepted: number; parts: number; left: number }
  | { outcome: 'refused'; requestedParts: number; remainingParts: number };

/** How many of `messages` (each `partsPerMessage` parts) fit in `remainingParts`. */
export function fitQuota(input: { messages: number; partsPerMessage: number; remainingParts: number; allowPartial: boolean }): QuotaFit {
  const requestedParts = input.messages * input.partsPerMessage;
  const remaining = Math.max(0, input.remainingParts);
  if (requestedParts <= remaining) return { outcome: 'fits', accepted: input.messages, parts: requestedParts };
  if (!input.allowPartial) return { outcome: 'refused', requestedParts, remainingParts: remaining };
  const accepted = Math.floor(remaining / input.partsPerMessage);
  return { outcome: 'partial', accepted, parts: accepted * input.partsPerMessage, left: input.messages - accepted };
}

/** FNV-1a, 32 bits: a stable small hash without Node's crypto. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The concatenation reference (UDH, 0..255) of a message's parts, derived
 * from the message id: a part resubmitted by a retried activity carries the
 * same reference as its siblings, so the handset still joins them.
 */
export const concatReferenceOf = (messageId: string): number => fnv1a(messageId) & 0xff;

/** The per-part reference recorded before the part is handed over: workflow, message, part. */
export const partRefOf = (workflowId: string, seq: number, partNo: number): string => `${workflowId}:${seq}:${partNo}`;

export const messageIdOf = (submissionId: string, seq: number): string => `${submissionId}:${seq}`;

/**
 * When the window a message is being sent in closes (Asia/Shanghai, UTC+8
 * all year): the end clock of the window on the day `now` falls in, or null
 * when the permit allows any hour. A batch still sending then stops and waits
 * for the next opening.
 */
export function windowEndsAt(now: Date, window: { start: string; end: string } | null): Date | null {
  if (!window) return null;
  const [hours, minutes] = window.end.split(':').map(Number) as [number, number];
  const offset = 8 * 3_600_000;
  const dayStart = Math.floor((now.getTime() + offset) / 86_400_000) * 86_400_000;
  return new Date(dayStart + (hours * 60 + minutes) * 60_000 - offset);
}

/**
 * How long the dispatch workflow lets delivery receipts gather before it
 * counts what is still open: 2 s at first, then a twentieth of the time since
 * sending, so a trickle of receipts over the 72 h validity wakes it a few
 * hundred times at most.
 */
export function receiptSettleMs(sinceSendingMs: number): number {
  return Math.min(3_600_000, Math.max(2_000, Math.round(sinceSendingMs / 20)));
}
