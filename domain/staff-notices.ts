/**
 * Work items and the daily digest outside the console: each staff member
 * with an e-mail address gets them by e-mail, each with a mobile number by
 * SMS (Party B's own message through the one dispatcher). This module holds
 * the rules both channels share: a staff member's contact details, the text
 * of a message, and how often a delivery is tried.
 *
 * Pure: imported by db/, activities/ and the API.
 */
import { z } from 'zod';
import { maskRecipient, normalizeRecipient } from './sms/phone';
import { addDays, shanghaiClock, shanghaiDate } from './time';

export const STAFF_CHANNELS = ['email', 'sms'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export const STAFF_DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'unknown'] as const;
export type StaffDeliveryStatus = (typeof STAFF_DELIVERY_STATUSES)[number];

/** Attempts before a delivery is given up as failed. */
export const STAFF_DELIVERY_MAX_ATTEMPTS = 8;
/** How long a claimed delivery is the claimer's: a deliverer that died gives it back after this. */
export const STAFF_DELIVERY_LEASE_MS = 5 * 60_000;
/** Rows one run of the deliverer takes at most. */
export const STAFF_DELIVERY_BATCH = 100;

/** The wait before attempt n + 1 after n failed ones: 1, 2, 4 … minutes, at most an hour. */
export function staffRetryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

const EMAIL = /^[^@\s<>",;:()[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An e-mail address as stored: trimmed, the domain in lower case; null when it is not one. */
export function normaliseStaffEmail(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length > 254 || !EMAIL.test(trimmed)) return null;
  const at = trimmed.lastIndexOf('@');
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

/**
 * PUT /api/users/:id/contact: either field may be left out (kept as it is)
 * or null (cleared). The phone is a mainland mobile in any written shape,
 * stored in E.164 (the dispatcher's own rule, domain/sms/phone.ts).
 */
export const ZStaffContactRequest = z
  .strictObject({
    email: z
      .string()
      .max(254)
      .transform((value, ctx) => {
        const email = normaliseStaffEmail(value);
        if (email === null) ctx.addIssue({ code: 'custom', message: 'must be an e-mail address' });
        return email ?? value;
      })
      .nullable()
      .optional(),
    phone: z
      .string()
      .max(32)
      .transform((value, ctx) => {
        const normalised = normalizeRecipient(value);
        if (!normalised.ok) {
          ctx.addIssue({ code: 'custom', message: `must be a mainland mobile number: ${normalised.messageEn}` });
          return value;
        }
        return normalised.e164;
      })
      .nullable()
      .optional(),
  })
  .refine((body) => body.email !== undefined || body.phone !== undefined, { message: 'give email, phone or both (null clears one)' });
export type StaffContactRequest = z.infer<typeof ZStaffContactRequest>;

export type StaffContact = { email: string | null; phone: string | null };

/** For the audit log and logs: the address's first letter and domain, the number's ends. */
export function maskStaffContact(contact: StaffContact): StaffContact {
  const email = contact.email ? `${contact.email.slice(0, 1)}***${contact.email.slice(contact.email.lastIndexOf('@'))}` : null;
  return { email, phone: contact.phone ? maskRecipient(contact.phone) : null };
}

/** A deadline in words, Beijing time: the end of a day reads as that day's 24:00 (Civil Code art. 203). */
export function dueInWords(dueAt: string): string {
  const clock = shanghaiClock(dueAt);
  const [date, time] = clock === '00:00' ? [addDays(shanghaiDate(dueAt), -1), '24:00'] : [shanghaiDate(dueAt), clock];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日 ${time}（北京时间）`;
}

/** What a staff notification is: a work item (something to do) or the daily digest (something to read). */
export type StaffMessageInput = { workItem: boolean; subject: string; body: string; dueAt: string | null };

export const WORK_ITEM_MAIL_PREFIX = '【待办】';

/** The e-mail's subject and plain text (UTF-8; the transport encodes the headers). */
export function staffEmail(input: StaffMessageInput): { subject: string; text: string } {
  const subject = input.workItem ? `${WORK_ITEM_MAIL_PREFIX}${input.subject}` : input.subject;
  const lines = [input.subject, '', input.body, ''];
  if (input.dueAt) lines.push(`办理期限：${dueInWords(input.dueAt)}`);
  lines.push(input.workItem ? '请登录合同管理系统，在“待办”中查看和处理。' : '详情请登录合同管理系统查看。', '', '此邮件由系统自动发送，请勿直接回复。');
  return { subject, text: `${lines.join('\n')}\n` };
}

/** The SMS: the subject (with 待办 for an item) and the body; the dispatcher adds Party B's signature and cuts it to size. */
export function staffSms(input: StaffMessageInput): { subject: string; body: string } {
  const due = input.dueAt ? `（期限${dueInWords(input.dueAt).replace('（北京时间）', '')}）` : '';
  return { subject: input.workItem ? `待办：${input.subject}` : input.subject, body: `${input.body}${due}` };
}
