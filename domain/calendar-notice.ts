/**
 * A State Council holiday notice as entered for one year: each day lies in
 * that year and appears once, and a working day (`work`) is a Saturday or
 * Sunday (a make-up working day, 调休) — a weekday is a working day anyway.
 * Accepts the community's per-year JSON (the `holiday-cn` shape) too.
 */
import { createHash } from 'node:crypto';
import type { CalendarDay, CalendarSource } from './calendar';
import { isWeekend, parseLocalDate, yearOf, type LocalDate } from './time';

export type NoticeIssue = { path: string; message: string };
export type Notice = { source: CalendarSource; days: CalendarDay[] };

/** The shape of https://github.com/NateScarlet/holiday-cn (one file per year). */
export type HolidayCnYear = { year: number; papers: string[]; days: { name: string; date: string; isOffDay: boolean }[] };

export function fromHolidayCn(file: HolidayCnYear, publishedAt?: string): Notice {
  return {
    source: {
      title: `${file.year} 年部分节假日安排（holiday-cn）`,
      ...(file.papers[0] ? { url: file.papers[0] } : {}),
      ...(publishedAt ? { publishedAt } : {}),
    },
    days: file.days.map((d) => ({ date: d.date, kind: d.isOffDay ? 'rest' : 'work', name: d.name })),
  };
}

/** Every bad day of the notice for `year`, each with its path; empty when it may be entered. */
export function checkNoticeDays(year: number, days: readonly CalendarDay[]): NoticeIssue[] {
  const issues: NoticeIssue[] = [];
  const seen = new Map<LocalDate, number>();
  days.forEach((day, index) => {
    const path = `body.days[${index}]`;
    try {
      parseLocalDate(day.date);
    } catch {
      issues.push({ path: `${path}.date`, message: `${day.date} is not a calendar date (YYYY-MM-DD)` });
      return;
    }
    if (yearOf(day.date) !== year) issues.push({ path: `${path}.date`, message: `${day.date} is not in ${year}` });
    const first = seen.get(day.date);
    if (first !== undefined) issues.push({ path: `${path}.date`, message: `${day.date} appears twice (also days[${first}])` });
    else seen.set(day.date, index);
    if (day.kind === 'work' && !isWeekend(day.date)) {
      issues.push({ path: `${path}.kind`, message: `${day.date} is a weekday: a make-up working day (work) must be a Saturday or Sunday` });
    }
  });
  return issues;
}

/** The days in a stable order and their digest: the same notice entered twice has the same digest. */
export function normaliseDays(days: readonly CalendarDay[]): { days: CalendarDay[]; digest: string } {
  const sorted = days.map((d) => ({ date: d.date, kind: d.kind, name: d.name.trim() })).sort((a, b) => a.date.localeCompare(b.date));
  return { days: sorted, digest: createHash('sha256').update(JSON.stringify(sorted)).digest('hex') };
}
