import { describe, expect, it } from 'vitest';
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { BASE_CALENDAR_YEARS, DEFAULT_CALENDAR, createHolidayCalendar } from '../../domain/calendar';
import { addDays, isWeekend } from '../../domain/time';

const listDates = (from: string, count: number) => Array.from({ length: count }, (_, i) => addDays(from, i));

describe('the base holiday data (chinese-days 1.5.7)', () => {
  it('covers every year from 2004 to 2026 and no other', () => {
    expect(BASE_CALENDAR_YEARS).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(DEFAULT_CALENDAR.covers(2003)).toBe(false);
    expect(DEFAULT_CALENDAR.covers(2004)).toBe(true);
    expect(DEFAULT_CALENDAR.covers(2026)).toBe(true);
    expect(DEFAULT_CALENDAR.covers(2027)).toBe(false);
  });

  it('places every make-up working day on a weekend and never on a holiday', () => {
    const { holidays, workdays } = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };
    for (const date of Object.keys(workdays)) {
      expect(isWeekend(date), date).toBe(true);
      expect(holidays[date], date).toBeUndefined();
    }
  });
});

describe('rest days', () => {
  it('treats the whole National Day week 2024-10-01..07 as rest days, including its weekend', () => {
    for (const date of listDates('2024-10-01', 7)) {
      expect(DEFAULT_CALENDAR.isRestDay(date), date).toBe(true);
      expect(DEFAULT_CALENDAR.classifyDay(date), date).toBe('holiday');
      expect(DEFAULT_CALENDAR.holidayName(date), date).toBe('国庆节');
      expect(DEFAULT_CALENDAR.holidayName(date, 'en'), date).toBe('National Day');
    }
    expect(DEFAULT_CALENDAR.isRestDay('2024-10-08')).toBe(false);
  });

  it('makes the make-up Saturday 2024-10-12 and the make-up Sunday 2025-09-28 working days', () => {
    for (const date of ['2024-10-12', '2024-09-29', '2025-09-28', '2025-10-11']) {
      expect(isWeekend(date), date).toBe(true);
      expect(DEFAULT_CALENDAR.isRestDay(date), date).toBe(false);
      expect(DEFAULT_CALENDAR.classifyDay(date), date).toBe('makeUpWorkday');
      expect(DEFAULT_CALENDAR.holidayName(date, 'en'), date).toBe('National Day');
    }
  });

  it('treats ordinary weekends as rest days and ordinary weekdays as working days', () => {
    expect(DEFAULT_CALENDAR.classifyDay('2024-06-15')).toBe('weekend');
    expect(DEFAULT_CALENDAR.isRestDay('2024-06-16')).toBe(true);
    expect(DEFAULT_CALENDAR.classifyDay('2024-06-13')).toBe('working');
    expect(DEFAULT_CALENDAR.isRestDay('2024-06-13')).toBe(false);
    expect(DEFAULT_CALENDAR.holidayName('2024-06-13')).toBeNull();
  });

  it('knows one-off holidays: the 2020 Spring Festival extension and the 2015-09-03 victory day', () => {
    expect(DEFAULT_CALENDAR.isRestDay('2020-01-31')).toBe(true);
    expect(DEFAULT_CALENDAR.holidayName('2020-01-31')).toBe('春节');
    expect(DEFAULT_CALENDAR.isRestDay('2015-09-03')).toBe(true);
  });

  it('treats only weekends as rest days in a year it does not cover', () => {
    expect(DEFAULT_CALENDAR.isRestDay('2027-01-01')).toBe(false);
    expect(DEFAULT_CALENDAR.isRestDay('2027-01-02')).toBe(true);
  });
});

describe('admin overrides', () => {
  it('extend coverage to a year with at least one override and are honoured there', () => {
    const calendar = createHolidayCalendar([{ date: '2027-02-08', kind: 'rest', name: '春节' }]);
    expect(calendar.covers(2027)).toBe(true);
    expect(calendar.covers(2028)).toBe(false);
    expect(calendar.isRestDay('2027-02-08')).toBe(true);
    expect(calendar.holidayName('2027-02-08')).toBe('春节');
    expect(calendar.holidayName('2027-02-08', 'en')).toBe('春节');
  });

  it('win over the base data in both directions', () => {
    const calendar = createHolidayCalendar([
      { date: '2024-10-03', kind: 'work' },
      { date: '2024-10-12', kind: 'rest' },
    ]);
    expect(calendar.isRestDay('2024-10-03')).toBe(false);
    expect(calendar.classifyDay('2024-10-03')).toBe('working');
    expect(calendar.holidayName('2024-10-03')).toBeNull();
    expect(calendar.isRestDay('2024-10-12')).toBe(true);
    expect(DEFAULT_CALENDAR.isRestDay('2024-10-03')).toBe(true);
  });

  it('can make a weekend a make-up working day', () => {
    const calendar = createHolidayCalendar([{ date: '2027-02-20', kind: 'work', name: 'Spring Festival' }]);
    expect(calendar.classifyDay('2027-02-20')).toBe('makeUpWorkday');
    expect(calendar.isRestDay('2027-02-20')).toBe(false);
  });

  it('let a later override of the same date win', () => {
    const calendar = createHolidayCalendar([
      { date: '2027-02-08', kind: 'rest' },
      { date: '2027-02-08', kind: 'work' },
    ]);
    expect(calendar.isRestDay('2027-02-08')).toBe(false);
  });

  it('reject dates that are not real calendar dates', () => {
    expect(() => createHolidayCalendar([{ date: '2027-02-30', kind: 'rest' }])).toThrow(RangeError);
    expect(() => createHolidayCalendar([{ date: '2027/02/08', kind: 'rest' }])).toThrow(RangeError);
    expect(() => DEFAULT_CALENDAR.isRestDay('2024-13-01')).toThrow(RangeError);
  });
});
