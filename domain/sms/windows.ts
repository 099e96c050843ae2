/**
 * When may a message go out? (Art.5 §2, Art.8 §4)
 *
 * - notification: within the sending window (08:00–22:00 on the reference
 *   contract); submitted outside, it is held until the next opening
 *   ("次日8:00后发送").
 * - marketing (member messages): within the marketing window (09:00–20:00),
 *   always, whatever permit the customer holds.
 * - alert: like a notification, but any hour when the customer holds an
 *   approved 24-hour sending permit (24小时开通申请).
 *
 * Art.5 §2's permit is not limited to a message category, so it also lifts
 * the window for notifications: with `permit24h`, notification and alert
 * both go out at any hour; marketing never does.
 *
 * Clocks are Asia/Shanghai, which is UTC+8 all year (no daylight saving), so a
 * fixed offset is exact. A window includes its start and excludes its end:
 * 08:00:00 is inside, 22:00:00 is outside. "24:00" as an end means midnight.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import type { ContractTerms } from '../terms';

export type SmsCategory = 'notification' | 'marketing' | 'alert';
export type SmsWindowTerms = ContractTerms['sms'];

export type SendingInstant = {
  /** when the message may be handed to the SMSC: `now` when inside the window, else the next opening */
  sendAt: Date;
  held: boolean;
  reason: string;
  reasonZh: string;
  /** the window applied, as written in the terms; null when the permit allows any hour */
  window: { start: string; end: string } | null;
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 60 * MINUTE_MS;

function clockMinutes(clock: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!match) throw new RangeError(`not a time of day: ${clock}`);
  return Math.min(24 * 60, Number(match[1]) * 60 + Number(match[2]));
}

function windowFor(category: SmsCategory, sms: SmsWindowTerms): { start: string; end: string } | null {
  if (category === 'marketing') return { start: sms.marketingWindowStart, end: sms.marketingWindowEnd };
  if (sms.permit24h) return null;
  return { start: sms.windowStart, end: sms.windowEnd };
}

const CATEGORY_ZH: Record<SmsCategory, string> = { notification: '通知类短信', marketing: '会员营销类短信', alert: '预警类短信' };

/** 2024-05-14T14:30:00.000Z → "2024-05-14 22:30" (Asia/Shanghai) */
export function formatShanghai(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

export function nextSendingInstant(input: { now: Date; category: SmsCategory; sms: SmsWindowTerms }): SendingInstant {
  const { now, category, sms } = input;
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now is not a valid date');
  const window = windowFor(category, sms);
  if (window === null) {
    return {
      sendAt: new Date(nowMs),
      held: false,
      reason: `${category} with an approved 24-hour sending permit: sent at any hour (Art.5 §2)`,
      reasonZh: `${CATEGORY_ZH[category]}：已开通24小时发送，随时发送（第五条第2款）`,
      window,
    };
  }
  const start = clockMinutes(window.start);
  const end = clockMinutes(window.end);
  const clause = category === 'marketing' ? 'Art.8 §4' : 'Art.5 §2';
  const clauseZh = category === 'marketing' ? '第八条第4款' : '第五条第2款';
  const range = `${window.start}–${window.end}`;

  const localMs = nowMs + SHANGHAI_OFFSET_MS;
  const localDayStart = Math.floor(localMs / DAY_MS) * DAY_MS;
  const minuteOfDay = (localMs - localDayStart) / MINUTE_MS;

  if (minuteOfDay >= start && minuteOfDay < end) {
    return {
      sendAt: new Date(nowMs),
      held: false,
      reason: `${category} inside the sending window ${range} Asia/Shanghai: sent now (${clause})`,
      reasonZh: `${CATEGORY_ZH[category]}：在发送时段${range}内，立即发送（${clauseZh}）`,
      window,
    };
  }
  const sameDay = minuteOfDay < start;
  const openingLocalMs = localDayStart + (sameDay ? 0 : DAY_MS) + start * MINUTE_MS;
  const sendAt = new Date(openingLocalMs - SHANGHAI_OFFSET_MS);
  const when = formatShanghai(sendAt);
  return {
    sendAt,
    held: true,
    reason: `${category} submitted at ${formatShanghai(now)}, outside the sending window ${range} Asia/Shanghai: held until ${sameDay ? 'today' : 'the next day'} ${window.start} (${when}) (${clause})`,
    reasonZh: `${CATEGORY_ZH[category]}于${formatShanghai(now)}提交，不在发送时段${range}内，顺延至${sameDay ? '当日' : '次日'}${window.start}（${when}）发送（${clauseZh}）`,
    window,
  };
}
