/**
 * iCalendar (RFC 5545) for deadlines, so they show up in calendar apps.
 */
export type CalendarEvent = {
  uid: string;
  start: string;
  summary: string;
  description: string;
  url?: string;
  updatedAt: string;
  /** counted over a provisional calendar year: STATUS:TENTATIVE until the State Council's notice is entered */
  tentative?: boolean;
};

const escapeText = (value: string) => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

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
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//sms-contract-lifecycle//deadlines//ZH', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`, 'X-WR-TIMEZONE:Asia/Shanghai'];
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp(now)}`,
      `LAST-MODIFIED:${stamp(e.updatedAt)}`,
      `DTSTART:${stamp(e.start)}`,
      `DTEND:${stamp(e.start)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `STATUS:${e.tentative ? 'TENTATIVE' : 'CONFIRMED'}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      ...(e.url ? [`URL:${escapeText(e.url)}`] : []),
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER:-P1D',
      `DESCRIPTION:${escapeText(e.summary)}`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
