/**
 * Asia/Shanghai calendar arithmetic. China has used a fixed UTC+8 offset with
 * no daylight saving since 1991, so local dates are plain arithmetic on UTC
 * milliseconds: no Intl time zones, no date library, nothing that depends on
 * the machine's own zone. Safe inside the Temporal workflow sandbox.
 */

/** A Shanghai local calendar date, 'YYYY-MM-DD'. */
export type LocalDate = string;

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const SHANGHAI_ZONE = 'Asia/Shanghai';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * MS_PER_HOUR;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{2}):(\d{2})$/;
// A date-time string must say which zone it is in; otherwise Date would read it
// in the process's zone and the result would depend on the machine.
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

type DateParts = { year: number; month: number; day: number };

/** How far ahead of the clock that judges it a stated moment may lie and still count as now (clients' clocks drift). */
export const CLOCK_SKEW_MS = 60_000;

/** Whether a stated moment (a signature, a service, a learning) lies in the future of `now`, beyond the clock skew. */
export const isInFuture = (instant: string, now: number): boolean => Date.parse(instant) > now + CLOCK_SKEW_MS;

/**
 * Reads an instant. Strings are ISO 8601 with 'Z' or an offset; a bare
 * 'YYYY-MM-DD' means the start of that Shanghai day.
 */
export function toInstant(instant: Date | string): Date {
  if (instant instanceof Date) return requireValidInstant(new Date(instant.getTime()), String(instant));
  if (LOCAL_DATE.test(instant)) return startOfShanghaiDay(instant);
  if (!ZONED_DATE_TIME.test(instant)) {
    throw new RangeError(`not an ISO 8601 instant with a zone (e.g. 2024-05-14T10:00:00+08:00): ${instant}`);
  }
  parseLocalDate(instant.slice(0, 10)); // Date would roll 02-30 over into March
  return requireValidInstant(new Date(instant), instant);
}

export function shanghaiDate(instant: Date | string): LocalDate {
  return formatShiftedDate(toInstant(instant).getTime() + SHANGHAI_OFFSET_MS);
}

/** 'HH:MM' on the Shanghai wall clock. */
export function shanghaiClock(instant: Date | string): string {
  const msIntoDay = mod(toInstant(instant).getTime() + SHANGHAI_OFFSET_MS, MS_PER_DAY);
  const hours = Math.floor(msIntoDay / MS_PER_HOUR);
  const minutes = Math.floor((msIntoDay % MS_PER_HOUR) / MS_PER_MINUTE);
  return `${pad2(hours)}:${pad2(minutes)}`;
}

/** 00:00 Asia/Shanghai of the date. */
export function startOfShanghaiDay(date: LocalDate): Date {
  return new Date(localMidnightAsUtcMs(date) - SHANGHAI_OFFSET_MS);
}

/** 24:00 Asia/Shanghai of the date, the instant a last day ends (Art. 203). */
export function endOfShanghaiDay(date: LocalDate): Date {
  return new Date(startOfShanghaiDay(date).getTime() + MS_PER_DAY);
}

/** The instant of a Shanghai wall-clock time 'HH:MM' (00:00–23:59, or 24:00) on the date. */
export function atShanghaiTime(date: LocalDate, clock: string): Date {
  return new Date(startOfShanghaiDay(date).getTime() + parseClockMs(clock));
}

export function addDays(date: LocalDate, days: number): LocalDate {
  requireInteger(days, 'days');
  return formatShiftedDate(localMidnightAsUtcMs(date) + days * MS_PER_DAY);
}

/** The corresponding day n months later; the month's last day when it has no such day (Art. 202). */
export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  requireInteger(months, 'months');
  const { year, month, day } = parseLocalDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = mod(monthIndex, 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return formatDateParts({ year: targetYear, month: targetMonth, day: targetDay });
}

/** The corresponding day n years later; 29 February becomes 28 February in common years (Art. 202). */
export function addYearsClamped(date: LocalDate, years: number): LocalDate {
  requireInteger(years, 'years');
  return addMonthsClamped(date, years * 12);
}

export function dayOfWeek(date: LocalDate): Weekday {
  return new Date(localMidnightAsUtcMs(date)).getUTCDay() as Weekday;
}

export function isWeekend(date: LocalDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

export function yearOf(date: LocalDate): number {
  return parseLocalDate(date).year;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Throws RangeError unless the string is a real calendar date 'YYYY-MM-DD'. */
export function parseLocalDate(date: LocalDate): DateParts {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`not a date as YYYY-MM-DD: ${date}`);
  const parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > daysInMonth(parts.year, parts.month)) {
    throw new RangeError(`no such calendar date: ${date}`);
  }
  return parts;
}

/** The local date's midnight, expressed as if it were UTC, for day arithmetic. */
function localMidnightAsUtcMs(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // Date.UTC would map years 0–99 to 1900–1999
  return utc.getTime();
}

function formatShiftedDate(shiftedMs: number): LocalDate {
  const shifted = requireValidInstant(new Date(shiftedMs), String(shiftedMs));
  return formatDateParts({ year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() });
}

function formatDateParts({ year, month, day }: DateParts): LocalDate {
  if (year < 0 || year > 9999) throw new RangeError(`year ${year} is outside 0000–9999`);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function parseClockMs(clock: string): number {
  const match = CLOCK.exec(clock);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  const valid = match !== null && minutes < 60 && (hours < 24 || (hours === 24 && minutes === 0));
  if (!valid) throw new RangeError(`not a time of day as HH:MM (00:00–24:00): ${clock}`);
  return hours * MS_PER_HOUR + minutes * MS_PER_MINUTE;
}

function requireValidInstant(instant: Date, source: string): Date {
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not a valid instant: ${source}`);
  return instant;
}

function requireInteger(value: number, what: string): void {
  if (!Number.isInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** The next moment after `now` (strictly) that reads `clock` (HH:MM) in Beijing: when a daily 09:00 schedule runs next. */
export function nextShanghaiClock(now: Date, clock: string): Date {
  const today = atShanghaiTime(shanghaiDate(now), clock);
  return today.getTime() > now.getTime() ? today : atShanghaiTime(addDays(shanghaiDate(now), 1), clock);
}
