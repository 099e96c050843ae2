/**
 * Dates are shown in Asia/Shanghai (the contract's time zone) whatever the
 * browser's zone; money is integer fen, shown with the domain's formatter.
 */
import { formatYuan } from '../../domain/money';
import type { Lang } from './lang';

export { formatYuan };

const dateTime = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}:${withTime}`;
  let f = dateTime.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    dateTime.set(key, f);
  }
  return f;
}

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatter(lang, true).format(d);
}

export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatter(lang, false).format(d);
}

/** fen from a yuan amount typed by a person ("2,997.00" → 299700), or null */
export function parseYuan(text: string): number | null {
  const cleaned = text.replace(/[,\s，]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, cents = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

export type Urgency = 'overdue' | 'critical' | 'high' | 'medium' | 'low';

export function urgencyOf(secondsLeft: number): Urgency {
  if (secondsLeft < 0) return 'overdue';
  if (secondsLeft < 86_400) return 'critical';
  if (secondsLeft < 3 * 86_400) return 'high';
  if (secondsLeft < 7 * 86_400) return 'medium';
  return 'low';
}

/**
 * A time span in words' parts, never a ticking clock: whole days beyond 48
 * hours (a three-year term reads "1095 days", not seconds), hours and minutes
 * below. Rounded down: "2 days" means at least two full days.
 */
export type DurationParts = { unit: 'days'; days: number } | { unit: 'hours'; hours: number; minutes: number } | { unit: 'minutes'; minutes: number };

export function durationParts(totalSeconds: number): DurationParts {
  const s = Math.max(0, Math.floor(Math.abs(totalSeconds)));
  if (s >= 48 * 3600) return { unit: 'days', days: Math.floor(s / 86_400) };
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours > 0 ? { unit: 'hours', hours, minutes } : { unit: 'minutes', minutes };
}

/** Local "YYYY-MM-DDTHH:MM" for a datetime-local input, in Asia/Shanghai. */
export function shanghaiInputValue(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** A datetime-local value read as Asia/Shanghai → ISO with +08:00. */
export function fromShanghaiInput(value: string): string {
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}

/** A datetime-local value (Asia/Shanghai) as an instant, or null while it is empty or unreadable. */
export function instantOf(value: string): number | null {
  if (!value) return null;
  const ms = Date.parse(fromShanghaiInput(value));
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A deadline's instant: one that falls exactly on midnight Asia/Shanghai is
 * the end of the day before (Civil Code Art. 203 "24:00"), shown that way.
 */
export function formatDue(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  if ((ms + 8 * 3_600_000) % 86_400_000 === 0) return `${formatDate(new Date(ms - 1).toISOString(), lang)} 24:00`;
  return formatDateTime(iso, lang);
}
