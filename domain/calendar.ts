/**
 * The statutory holiday calendar of the PRC (State Council notices), for
 * Art. 203 of the Civil Code. Base data is the `chinese-days` package's JSON
 * (2004–2026); admins add overrides for years the package does not cover yet
 * or for late State Council changes. Only the JSON is imported, never the
 * package's code, so this module stays pure and bundles into workflows.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { isWeekend, parseLocalDate, yearOf, type LocalDate } from './time';

export type HolidayOverride = { date: string; kind: 'rest' | 'work'; name?: string };

export type Language = 'zh' | 'en';

/**
 * working: an ordinary weekday; weekend: Saturday or Sunday; holiday: a public
 * holiday day (including the weekend days inside a holiday block);
 * makeUpWorkday: a weekend day the State Council made a working day (调休).
 */
export type DayKind = 'working' | 'weekend' | 'holiday' | 'makeUpWorkday';

export interface HolidayCalendar {
  /** Weekend or public holiday, except make-up working days (调休). */
  isRestDay(date: LocalDate): boolean;
  classifyDay(date: LocalDate): DayKind;
  /** Whether the calendar knows the holidays of the year; elsewhere only weekends are rest days. */
  covers(year: number): boolean;
  /** The holiday the date belongs to (for a make-up working day, the holiday it serves), or null. */
  holidayName(date: LocalDate, language?: Language): string | null;
}

/** chinese-days values read 'English name,中文名,statutory day count', keyed by 'YYYY-MM-DD'. */
type ChineseDaysData = {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
};

type DayEntry = { kind: 'rest' | 'work'; names: Record<Language, string> | null };

const BASE_DATA: ChineseDaysData = chineseDaysData;
const BASE_DAYS = indexBaseData(BASE_DATA);

/** The years the package's data covers, ascending. */
export const BASE_CALENDAR_YEARS: readonly number[] = collectYears(BASE_DAYS.keys());

export function createHolidayCalendar(overrides: HolidayOverride[] = []): HolidayCalendar {
  const overrideDays = indexOverrides(overrides);
  const coveredYears = new Set([...BASE_CALENDAR_YEARS, ...collectYears(overrideDays.keys())]);
  const entryFor = (date: LocalDate): DayEntry | undefined => overrideDays.get(date) ?? BASE_DAYS.get(date);

  const classifyDay = (date: LocalDate): DayKind => {
    parseLocalDate(date);
    return classifyEntry(entryFor(date), isWeekend(date));
  };

  return {
    classifyDay,
    isRestDay: (date) => {
      const kind = classifyDay(date);
      return kind === 'holiday' || kind === 'weekend';
    },
    covers: (year) => coveredYears.has(year),
    holidayName: (date, language = 'zh') => {
      parseLocalDate(date);
      return entryFor(date)?.names?.[language] ?? null;
    },
  };
}

export const DEFAULT_CALENDAR: HolidayCalendar = createHolidayCalendar();

function classifyEntry(entry: DayEntry | undefined, weekend: boolean): DayKind {
  if (entry?.kind === 'rest') return 'holiday';
  if (entry?.kind === 'work') return weekend ? 'makeUpWorkday' : 'working';
  return weekend ? 'weekend' : 'working';
}

function indexBaseData(data: ChineseDaysData): Map<LocalDate, DayEntry> {
  const days = new Map<LocalDate, DayEntry>();
  for (const [date, value] of Object.entries(data.holidays)) days.set(date, { kind: 'rest', names: parseNames(value) });
  // inLieuDays (the weekdays given off in exchange) are already among the holidays.
  for (const [date, value] of Object.entries(data.workdays)) days.set(date, { kind: 'work', names: parseNames(value) });
  return days;
}

function parseNames(value: string): Record<Language, string> {
  const parts = value.split(',');
  const zh = parts.at(-2) ?? value;
  const en = parts.slice(0, -2).join(',') || value;
  return { zh, en };
}

/** A later override of the same date wins, so an admin can correct an earlier entry by appending. */
function indexOverrides(overrides: HolidayOverride[]): Map<LocalDate, DayEntry> {
  const days = new Map<LocalDate, DayEntry>();
  for (const { date, kind, name } of overrides) {
    parseLocalDate(date);
    if (kind !== 'rest' && kind !== 'work') throw new RangeError(`override kind must be 'rest' or 'work', got ${String(kind)}`);
    const trimmed = name?.trim();
    days.set(date, { kind, names: trimmed ? { zh: trimmed, en: trimmed } : null });
  }
  return days;
}

function collectYears(dates: Iterable<LocalDate>): number[] {
  const years = new Set<number>();
  for (const date of dates) years.add(yearOf(date));
  return [...years].sort((a, b) => a - b);
}
