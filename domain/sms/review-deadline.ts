/**
 * When a signature or template application is due for review (the appendix;
 * domain/sms/templates.ts): the end (24:00 Asia/Shanghai) of the N-th working
 * day after the day of application, by the holiday calendar (rest days and
 * make-up working days 调休 as the calendar has them). Apart from the template
 * rules so the console's composer does not load the holiday data.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import { DEFAULT_CALENDAR, type HolidayCalendar } from '../calendar';
import { addDays, endOfShanghaiDay, shanghaiDate, yearOf, type LocalDate } from '../time';

export type ReviewDeadline = {
  dueAt: string;
  lastDay: LocalDate;
  /** counted over a year the calendar knows only provisionally, or not at all (weekends only) */
  provisional: boolean;
  calendarYears: number[];
  explanation: string;
  explanationEn: string;
};

/**
 * The end of the N-th working day after the day of application (24:00 Asia/Shanghai):
 * the day of application itself does not count, rest days (weekends, public
 * holidays) are skipped and make-up working days (调休) count.
 */
export function reviewDeadline(appliedAt: Date | string, workingDays: number, calendar: HolidayCalendar = DEFAULT_CALENDAR): ReviewDeadline {
  if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > 30) throw new RangeError(`working days must be a whole number from 1 to 30, not ${workingDays}`);
  const applied = shanghaiDate(appliedAt);
  let day = applied;
  let counted = 0;
  let skipped = 0;
  const years = new Set<number>();
  while (counted < workingDays) {
    day = addDays(day, 1);
    years.add(yearOf(day));
    if (calendar.isRestDay(day)) skipped += 1;
    else counted += 1;
    if (skipped > 120) throw new RangeError(`no working day found after ${applied}: the holiday calendar is broken`);
  }
  const calendarYears = [...years].sort();
  const provisional = calendarYears.some((year) => calendar.isProvisional(year) || !calendar.covers(year));
  const dueAt = endOfShanghaiDay(day).toISOString();
  const skippedZh = skipped > 0 ? `，跳过${skipped}个休息日` : '';
  const skippedEn = skipped > 0 ? `, skipping ${skipped} rest day${skipped === 1 ? '' : 's'}` : '';
  return {
    dueAt,
    lastDay: day,
    provisional,
    calendarYears,
    explanation: `审核期限：申请日（${applied}）后第${workingDays}个工作日${skippedZh}，即${day} 24:00（北京时间）${provisional ? '（节假日安排尚未公布，按暂定日历计算）' : ''}`,
    explanationEn: `review due: the ${ordinal(workingDays)} working day after the day of application (${applied})${skippedEn}, i.e. ${day} 24:00 Beijing time${provisional ? ' (counted over a provisional holiday calendar)' : ''}`,
  };
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
