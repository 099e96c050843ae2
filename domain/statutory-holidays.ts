/**
 * The public holidays the law itself fixes, for a year whose State Council
 * arrangement (放假安排通知) is not published yet: 《全国年节及纪念日放假办法》
 * as amended with effect from 1 January 2025 (State Council Decree No. 795),
 * Art. 2:
 *
 *   New Year's Day 1 day (1 January); Spring Festival 4 days (New Year's Eve
 *   and days 1–3 of the first lunar month); Qingming 1 day (the day of the
 *   solar term); Labour Day 2 days (1–2 May); Dragon Boat 1 day (5th day of
 *   the 5th lunar month); Mid-Autumn 1 day (15th of the 8th lunar month);
 *   National Day 3 days (1–3 October).
 *
 * What the law does not fix, and only the yearly notice can say, are the
 * swaps (调休) and bridging days: a provisional year knows these days only.
 * The lunar dates come from `date-chinese` (astronomical computation for the
 * 120°E meridian, as the Chinese calendar is defined). Not imported by
 * workflows: they receive provisional years as data (db/calendar.ts).
 */
import { CalendarChinese } from 'date-chinese';
import { BASE_CALENDAR_YEARS, type CalendarDay, type CalendarYear } from './calendar';
import { addDays, type LocalDate } from './time';

/** The first year the 2025 amendment (Spring Festival 4 days, Labour Day 2 days) applies to. */
export const STATUTORY_RULES_FROM = 2025;

const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (year: number, month: number, day: number): LocalDate => `${year}-${pad(month)}-${pad(day)}`;

/** The Gregorian date of a day of the lunar year that starts in `gregorianYear`. */
function lunarDate(gregorianYear: number, month: number, day: number): LocalDate {
  const calendar = new CalendarChinese();
  calendar.fromJDE(calendar.newYear(gregorianYear));
  const [cycle, year] = calendar.get();
  const target = new CalendarChinese(cycle, year, month, false, day).toGregorian();
  return dateOf(target.year, target.month, target.day);
}

/** The local (UTC+8) date of the Qingming solar term: date-chinese gives the JDE of its midnight in China. */
function qingmingDate(gregorianYear: number): LocalDate {
  const jde = new CalendarChinese().qingming(gregorianYear);
  // JD 2440587.5 is 1970-01-01T00:00Z; one hour of margin absorbs ΔT (about 70 s) and rounding
  const ms = (jde - 2_440_587.5) * 86_400_000 + 8 * 3_600_000 + 3_600_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The statutory rest days of a year (from 2025 on), ascending by date. */
export function statutoryHolidays(year: number): CalendarDay[] {
  if (!Number.isInteger(year) || year < STATUTORY_RULES_FROM || year > 2100) {
    throw new RangeError(`statutory holidays are computed for ${STATUTORY_RULES_FROM}–2100 (the amended rules), got ${year}`);
  }
  const rest = (date: LocalDate, name: string): CalendarDay => ({ date, kind: 'rest', name });
  const springFestival = lunarDate(year, 1, 1);
  const days: CalendarDay[] = [
    rest(dateOf(year, 1, 1), '元旦'),
    rest(addDays(springFestival, -1), '春节'),
    rest(springFestival, '春节'),
    rest(addDays(springFestival, 1), '春节'),
    rest(addDays(springFestival, 2), '春节'),
    rest(qingmingDate(year), '清明节'),
    rest(dateOf(year, 5, 1), '劳动节'),
    rest(dateOf(year, 5, 2), '劳动节'),
    rest(lunarDate(year, 5, 5), '端午节'),
    rest(lunarDate(year, 8, 15), '中秋节'),
    rest(dateOf(year, 10, 1), '国庆节'),
    rest(dateOf(year, 10, 2), '国庆节'),
    rest(dateOf(year, 10, 3), '国庆节'),
  ];
  // New Year's Eve of a Spring Festival in late January can fall in the year before; Mid-Autumn can meet National Day
  const seen = new Set<LocalDate>();
  return days
    .filter((d) => d.date.startsWith(`${year}-`) && !seen.has(d.date) && seen.add(d.date))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The calendar years a workflow counts with around `centreYear`: every year a
 * notice was entered for (official), and each year from the one before to
 * three after that has neither a notice nor bundled data, as provisional.
 */
export function calendarYearsAround(entered: readonly CalendarYear[], centreYear: number): CalendarYear[] {
  const years = new Map(entered.map((y) => [y.year, y]));
  for (let year = Math.max(centreYear - 1, STATUTORY_RULES_FROM); year <= centreYear + 3; year += 1) {
    if (years.has(year) || BASE_CALENDAR_YEARS.includes(year)) continue;
    years.set(year, { year, status: 'provisional', revision: 0, title: `${year} 年法定节假日（暂定，国务院通知尚未发布）`, days: statutoryHolidays(year) });
  }
  return [...years.values()].sort((a, b) => a.year - b.year);
}
