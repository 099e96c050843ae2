/**
 * iCalendar (RFC 5545) for deadlines, so they show up in calendar apps.
 *
 * A deadline is an instant (most are "24:00 Asia/Shanghai of day X", the end
 * of that day by the Civil Code count; notice deadlines fall at any minute).
 * Each is a timed event in Beijing time (DTSTART/DTEND with
 * TZID=Asia/Shanghai and its VTIMEZONE) that ENDS at the deadline and starts
 * an hour before it: a deadline at 24:00 of 31 December shows on 31 December,
 * 23:00–24:00, never as 00:00 of 1 January, and at the right moment in any
 * time zone the calendar app is set to (an all-day event would float with the
 * viewer's zone and end 8 hours late in Europe). The description states the
 * due moment in Beijing time and in UTC. STATUS:TENTATIVE marks a deadline
 * counted over a provisional holiday calendar. UIDs are the deadline's own
 * id, so a moved deadline updates its event instead of adding one. The alarm
 * rings at 09:00 Beijing time on the last day of a 24:00 deadline, else an
 * hour before the deadline.
 */
import { SHANGHAI_ZONE } from './time';

export type CalendarEvent = {
  uid: string;
  /** the deadline: the instant the event ends (ISO 8601) */
  due: string;
  summary: string;
  description: string;
  url?: string;
  updatedAt: string;
  /** counted over a provisional calendar year: STATUS:TENTATIVE until the State Council's notice is entered */
  tentative?: boolean;
};

/** how long before its deadline an event starts */
export const DEADLINE_EVENT_MINUTES = 60;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // fixed UTC+8, no daylight saving since 1991 (domain/time.ts)

/** Asia/Shanghai has had one offset and no daylight saving since 1991: one STANDARD rule describes every deadline. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${SHANGHAI_ZONE}`,
  `X-LIC-LOCATION:${SHANGHAI_ZONE}`,
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const escapeText = (value: string) => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
const stamp = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const pad = (n: number) => String(n).padStart(2, '0');

/** Beijing wall-clock fields of an instant. */
function shanghaiParts(ms: number) {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** `20261231T230000`: a DATE-TIME in Beijing time, for `;TZID=Asia/Shanghai:` */
function shanghaiDateTime(ms: number): string {
  const p = shanghaiParts(ms);
  return `${p.year}${pad(p.month)}${pad(p.day)}T${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

/** "2026-12-31 24:00" for the end of a Beijing day, else "2026-12-15 14:23" (seconds when there are any). */
export function beijingDueText(iso: string): string {
  const ms = new Date(iso).getTime();
  const p = shanghaiParts(ms);
  if (p.hour === 0 && p.minute === 0 && p.second === 0) {
    const day = shanghaiParts(ms - 1);
    return `${day.year}-${pad(day.month)}-${pad(day.day)} 24:00`;
  }
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}${p.second ? `:${pad(p.second)}` : ''}`;
}

/** Lines longer than 75 octets are folded (RFC 5545 §3.1), without splitting a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = new TextEncoder().encode(ch).length;
    if (bytes + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function toIcs(name: string, events: CalendarEvent[], now: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//sms-contract-lifecycle//deadlines//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    `X-WR-TIMEZONE:${SHANGHAI_ZONE}`,
    // how often a subscribed calendar should poll (RFC 7986, and the older Apple/Outlook property)
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...VTIMEZONE,
  ];
  for (const e of events) {
    const due = new Date(e.due).getTime();
    const dueText = beijingDueText(e.due);
    const description = `截止：${dueText}（北京时间）\nDue: ${dueText} Beijing time (UTC+8) = ${new Date(due).toISOString()}\n${e.description}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp(now)}`,
      `LAST-MODIFIED:${stamp(e.updatedAt)}`,
      `DTSTART;TZID=${SHANGHAI_ZONE}:${shanghaiDateTime(due - DEADLINE_EVENT_MINUTES * 60_000)}`,
      `DTEND;TZID=${SHANGHAI_ZONE}:${shanghaiDateTime(due)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `STATUS:${e.tentative ? 'TENTATIVE' : 'CONFIRMED'}`,
      // a deadline does not make anyone busy
      'TRANSP:TRANSPARENT',
      `DESCRIPTION:${escapeText(description)}`,
      ...(e.url ? [`URL:${e.url}`] : []),
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      // the last day's morning for a deadline at 24:00 (09:00 Beijing), else an hour before it
      `TRIGGER;RELATED=END:${dueText.endsWith(' 24:00') ? '-PT15H' : '-PT1H'}`,
      `DESCRIPTION:${escapeText(`${e.summary}（${dueText} 截止）`)}`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
