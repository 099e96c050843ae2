/**
 * The calendar as maintained data: provisional years know the statutory
 * holidays (dates from the Hong Kong Observatory's Gregorian–lunar tables and
 * published almanacs, typed in here by hand, never computed by the code under
 * test); official years come from the State Council notices (make-up working
 * days as the notices list them); an entered notice replaces a year.
 */
import { describe, expect, it } from 'vitest';
import { bundledYearDays, calendarOfYears, createHolidayCalendar, type CalendarYear } from '../../domain/calendar';
import { checkNoticeDays, fromHolidayCn, normaliseDays } from '../../domain/calendar-notice';
import { computeDeadline } from '../../domain/periods';
import { calendarYearsAround, statutoryHolidays } from '../../domain/statutory-holidays';

/** Lunar New Year (初一), Qingming, Dragon Boat (五月初五), Mid-Autumn (八月十五), as published. */
const PUBLISHED = {
  2027: { springFestival: '2027-02-06', eve: '2027-02-05', qingming: '2027-04-05', dragonBoat: '2027-06-09', midAutumn: '2027-09-15' },
  2028: { springFestival: '2028-01-26', eve: '2028-01-25', qingming: '2028-04-04', dragonBoat: '2028-05-28', midAutumn: '2028-10-03' },
  2029: { springFestival: '2029-02-13', eve: '2029-02-12', qingming: '2029-04-04', dragonBoat: '2029-06-16', midAutumn: '2029-09-22' },
  2030: { springFestival: '2030-02-03', eve: '2030-02-02', qingming: '2030-04-05', dragonBoat: '2030-06-05', midAutumn: '2030-09-12' },
} as const;

const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('a provisional year: the statutory holidays of the amended 全国年节及纪念日放假办法 (from 2025)', () => {
  for (const [year, p] of Object.entries(PUBLISHED)) {
    it(`knows the 13 statutory days of ${year}`, () => {
      const expected = [
        `${year}-01-01`,
        p.eve,
        p.springFestival,
        plusDays(p.springFestival, 1),
        plusDays(p.springFestival, 2),
        p.qingming,
        `${year}-05-01`,
        `${year}-05-02`,
        p.dragonBoat,
        p.midAutumn,
        `${year}-10-01`,
        `${year}-10-02`,
        `${year}-10-03`,
      ];
      // 2028: Mid-Autumn falls on 3 October, a day National Day already rests
      const unique = [...new Set(expected)].sort();
      const days = statutoryHolidays(Number(year));
      expect(days.map((d) => d.date)).toEqual(unique);
      expect(days.every((d) => d.kind === 'rest')).toBe(true);
    });
  }

  it('names each day as the notices do', () => {
    const names = Object.fromEntries(statutoryHolidays(2027).map((d) => [d.date, d.name]));
    expect(names).toMatchObject({ '2027-01-01': '元旦', '2027-02-05': '春节', '2027-04-05': '清明节', '2027-05-02': '劳动节', '2027-06-09': '端午节', '2027-09-15': '中秋节', '2027-10-03': '国庆节' });
  });

  it('agrees with the official 2025 and 2026 notices: every statutory day is a rest day there', () => {
    for (const year of [2025, 2026]) {
      const official = new Set(bundledYearDays(year).filter((d) => d.kind === 'rest').map((d) => d.date));
      for (const day of statutoryHolidays(year)) expect(official.has(day.date), `${day.date} (${day.name})`).toBe(true);
    }
  });

  it('refuses years before the amended rules', () => {
    expect(() => statutoryHolidays(2024)).toThrow(/2025/);
  });

  it('makes the years after the bundled data provisional, up to three years ahead', () => {
    const years = calendarYearsAround([], 2026);
    expect(years.map((y) => [y.year, y.status])).toEqual([
      [2027, 'provisional'],
      [2028, 'provisional'],
      [2029, 'provisional'],
    ]);
  });
});

describe('official years: the bundled State Council notices', () => {
  // make-up working days (调休上班) as listed in 国办发明电〔2023〕7号, 〔2024〕12号 and 〔2025〕7号
  const MAKE_UP = {
    2024: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
    2025: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
    2026: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  };
  for (const [year, days] of Object.entries(MAKE_UP)) {
    it(`has the make-up working days of ${year}`, () => {
      expect(bundledYearDays(Number(year)).filter((d) => d.kind === 'work').map((d) => d.date)).toEqual(days);
      const calendar = createHolidayCalendar();
      for (const day of days) expect(calendar.classifyDay(day)).toBe('makeUpWorkday');
    });
  }
});

describe('a year entered from a notice replaces the year', () => {
  const notice2027: CalendarYear = {
    year: 2027,
    status: 'official',
    revision: 1,
    title: '国务院办公厅关于2027年部分节假日安排的通知',
    days: [
      { date: '2027-01-01', kind: 'rest', name: '元旦' },
      { date: '2027-01-02', kind: 'rest', name: '元旦' },
      { date: '2027-01-03', kind: 'rest', name: '元旦' },
      { date: '2027-01-04', kind: 'rest', name: '元旦' },
      { date: '2027-01-09', kind: 'work', name: '元旦' },
    ],
  };

  it('counts a payment from 2 December 2026 to Monday 4 January 2027 while 2027 is provisional', () => {
    const provisional = calendarOfYears(calendarYearsAround([], 2026));
    const due = computeDeadline({ from: '2026-12-02T10:00:00+08:00', period: { unit: 'days', amount: 30 }, rule: 'act', calendar: provisional });
    // day 30 is Friday 1 January (New Year's Day), then Saturday and Sunday
    expect(due).toMatchObject({ lastDay: '2027-01-04', extendedFrom: '2027-01-01', provisional: true, calendarYears: [2027], uncoveredYears: [] });
    expect(due.explanation).toContain('暂定：国务院尚未公布 2027 年节假日安排');
  });

  it('moves it to Tuesday 5 January once the notice makes the 4th a rest day, and is no longer provisional', () => {
    const official = calendarOfYears(calendarYearsAround([notice2027], 2026));
    const due = computeDeadline({ from: '2026-12-02T10:00:00+08:00', period: { unit: 'days', amount: 30 }, rule: 'act', calendar: official });
    expect(due).toMatchObject({ lastDay: '2027-01-05', provisional: false, calendarRevisions: { 2027: 1 } });
    expect(official.classifyDay('2027-01-09')).toBe('makeUpWorkday');
    // the notice replaces the year: the statutory Spring Festival days are not assumed any more
    expect(official.classifyDay('2027-02-08')).toBe('working');
  });
});

describe('checking a notice', () => {
  it('lists every bad day with its path', () => {
    const issues = checkNoticeDays(2027, [
      { date: '2026-12-31', kind: 'rest', name: '元旦' },
      { date: '2027-01-01', kind: 'rest', name: '元旦' },
      { date: '2027-01-01', kind: 'rest', name: '元旦' },
      { date: '2027-01-06', kind: 'work', name: '元旦' },
      { date: '2027-02-30', kind: 'rest', name: '春节' },
    ]);
    expect(issues).toEqual([
      { path: 'body.days[0].date', message: '2026-12-31 is not in 2027' },
      { path: 'body.days[2].date', message: '2027-01-01 appears twice (also days[1])' },
      { path: 'body.days[3].kind', message: '2027-01-06 is a weekday: a make-up working day (work) must be a Saturday or Sunday' },
      { path: 'body.days[4].date', message: '2027-02-30 is not a calendar date (YYYY-MM-DD)' },
    ]);
  });

  it('reads the holiday-cn shape and gives the same digest in any order', () => {
    const notice = fromHolidayCn({
      year: 2026,
      papers: ['https://www.gov.cn/zhengce/'],
      days: [
        { name: '元旦', date: '2026-01-04', isOffDay: false },
        { name: '元旦', date: '2026-01-01', isOffDay: true },
      ],
    });
    expect(notice.days).toEqual([
      { date: '2026-01-04', kind: 'work', name: '元旦' },
      { date: '2026-01-01', kind: 'rest', name: '元旦' },
    ]);
    expect(notice.source.url).toBe('https://www.gov.cn/zhengce/');
    expect(normaliseDays(notice.days).digest).toBe(normaliseDays([...notice.days].reverse()).digest);
  });
});
