/**
 * Party B's own SMS ("every message the system sends goes through
 * one dispatcher"): lifecycle notices to the parties' contact persons go out
 * through the same dispatcher as customer messages, signed as the provider,
 * never debited from the customer's quota.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */

/** The provider's signature on its own messages (Art.5 §1 binds customers to theirs; this one is Party B's). */
export const SYSTEM_SMS_SIGNATURE = '【中国联通】';

/**
 * The "customer" Party B's own messages are recorded under: its suppression
 * list and caps are separate from every customer's (a contact person who
 * replied TD to a customer's marketing still receives contractual notices).
 */
export const SYSTEM_SMS_CUSTOMER = '中国联通';

/** Longest notice text, signature included (a few parts, never a runaway body). */
export const SYSTEM_NOTICE_MAX_CHARS = 300;

/** The dispatch idempotency key of one recorded notification (id `<workflow>:<step>:<audience>`). */
export const systemNoticeKey = (notificationId: string): string => `notice:${notificationId}`;

/**
 * The text of a notice: signature, subject, then the body, cut to
 * `SYSTEM_NOTICE_MAX_CHARS` (by code point, so a surrogate pair is never split).
 * 【 and 】 in the subject or body would read as a second signature: they become [ ].
 */
export function systemNoticeText(subject: string, body: string, maxChars = SYSTEM_NOTICE_MAX_CHARS): string {
  const clean = (s: string) => s.replace(/【/g, '[').replace(/】/g, ']').replace(/\s+/g, ' ').trim();
  const text = `${SYSTEM_SMS_SIGNATURE}${clean(subject)}：${clean(body)}`;
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : chars.slice(0, maxChars).join('');
}
