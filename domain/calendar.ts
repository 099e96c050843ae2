/**
 * The statutory holiday calendar of the PRC (State Council notices), for
 * Art. 203 of the Civil Code. Base data is the `chinese-days` package's JSON
 * (2004–2026). A year is a record (`CalendarYear`): `official` when a State
 * Council notice was entered for it (it replaces the bundled days of that
 * year), `provisional` when only the statutory days the law fixes are known
 * (domain/statutory-holidays.ts). Only the JSON is imported, never the
 * package's code, so this module stays pure and bundles into workflows.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { isWeekend, parseLocalDate, yearOf, type LocalDate } from './time';

/** A day of an entered override list (the holiday_overrides table, before calendar years existed). */
export type HolidayOverride = { date: string; kind: 'rest' | 'work'; name?: string };

/** A rest day (holiday) or a make-up working day (调休) of a year's arrangement. */
export type CalendarDay = { date: LocalDate; kind: 'rest' | 'work'; name: string };

export type CalendarYearStatus = 'official' | 'provisional';

/** Where an official year's arrangement comes from: a State Council notice, or the bundled data. */
export type CalendarSource = { title: string; url?: string; documentNumber?: string; publishedAt?: string };

/**
 * A calendar year as workflows receive it: its days replace the bundled data
 * of that year. `revision` grows each time the year's days change.
 */
export type CalendarYear = { year: number; status: CalendarYearStatus; revision: number; title: string; days: CalendarDay[] };

/** The recount of the open deadlines after a year's revision was entered: how far it got, and how many deadlines it moved (db/calendar.ts). */
export type CalendarRecount = { id: string; year: number; revision: number; status: 'running' | 'done'; signalled: number; passes: number; startedAt: string; finishedAt: string | null; moved: number };

/** The recount after a year's revision was entered (workflows/calendar-recount.ts): one per year and revision. */
export const calendarRecountWorkflowId = (year: number, revision: number) => `calendar-${year}-r${revision}`;

/** The package the bundled years come from, as their provenance. */
export const BUNDLED_SOURCE: CalendarSource = {
  title: 'chinese-days 1.5.7 (国务院办公厅历年部分节假日安排的通知)',
  url: 'https://github.com/vsme/chinese-days',
};

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
  /** Whether the year is known only provisionally (statutory days, no notice yet). */
  isProvisional(year: number): boolean;
  /** The revision of the year the calendar was built with (0 for bundled or unknown years). */
  revisionOf(year: number): number;
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

/**
 * The calendar of the bundled data and the given overrides (runs that started
 * before calendar years existed: an override date marks its year as covered).
 */
export function createHolidayCalendar(overrides: HolidayOverride[] = []): HolidayCalendar {
  const overrideDays = indexOverrides(overrides);
  const coveredYears = new Set([...BASE_CALENDAR_YEARS, ...collectYears(overrideDays.keys())]);
  return buildCalendar((date) => overrideDays.get(date) ?? BASE_DAYS.get(date), coveredYears, new Map());
}

/**
 * The calendar of the bundled data with the given years laid over it: a
 * year's record replaces the bundled days of that year; overrides (the old
 * table) apply last. Years neither bundled nor given count weekends only.
 */
export function calendarOfYears(years: readonly CalendarYear[], overrides: HolidayOverride[] = []): HolidayCalendar {
  const byYear = new Map(years.map((y) => [y.year, y]));
  const yearDays = new Map<LocalDate, DayEntry>();
  for (const record of byYear.values()) {
    for (const day of record.days) {
      if (yearOf(day.date) === record.year) yearDays.set(day.date, entryOf(day.kind, day.name));
    }
  }
  const overrideDays = indexOverrides(overrides);
  const coveredYears = new Set([...BASE_CALENDAR_YEARS, ...byYear.keys()]);
  const entryFor = (date: LocalDate): DayEntry | undefined => {
    const override = overrideDays.get(date);
    if (override) return override;
    return byYear.has(yearOf(date)) ? yearDays.get(date) : BASE_DAYS.get(date);
  };
  return buildCalendar(entryFor, coveredYears, byYear);
}

function buildCalendar(entryFor: (date: LocalDate) => DayEntry | undefined, coveredYears: Set<number>, years: Map<number, CalendarYear>): HolidayCalendar {
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
    isProvisional: (year) => years.get(year)?.status === 'provisional',
    revisionOf: (year) => years.get(year)?.revision ?? 0,
  };
}

/** The bundled days of a year (official, from the package's data), ascending; empty when not bundled. */
export function bundledYearDays(year: number): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (const [date, entry] of BASE_DAYS) {
    if (yearOf(date) === year) days.push({ date, kind: entry.kind, name: entry.names?.zh ?? '' });
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

/** English names of the holidays as the State Council's notices name them, for explanations. */
const HOLIDAY_NAMES_EN: Record<string, string> = {
  元旦: "New Year's Day",
  春节: 'Spring Festival',
  清明节: 'Tomb-sweeping Day',
  劳动节: 'Labour Day',
  端午节: 'Dragon Boat Festival',
  中秋节: 'Mid-autumn Festival',
  国庆节: 'National Day',
};

function entryOf(kind: 'rest' | 'work', name: string): DayEntry {
  const zh = name.trim();
  return { kind, names: zh ? { zh, en: HOLIDAY_NAMES_EN[zh] ?? zh } : null };
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
