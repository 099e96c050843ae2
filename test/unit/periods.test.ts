import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, createHolidayCalendar } from '../../domain/calendar';
import { computeDeadline, secondsLeft, termEnd, type DeadlineInput } from '../../domain/periods';
import {
  addDays,
  addMonthsClamped,
  addYearsClamped,
  atShanghaiTime,
  dayOfWeek,
  endOfShanghaiDay,
  shanghaiClock,
  shanghaiDate,
  startOfShanghaiDay,
} from '../../domain/time';

const thirtyDaysAct = (from: Date | string, extra: Partial<DeadlineInput> = {}) =>
  computeDeadline({ from, period: { unit: 'days', amount: 30 }, rule: 'act', ...extra });

describe('Asia/Shanghai calendar helpers', () => {
  it('read the local date of an instant, which can differ from the UTC date', () => {
    expect(shanghaiDate('2024-05-14T15:30:00Z')).toBe('2024-05-14');
    expect(shanghaiDate('2024-05-14T16:30:00Z')).toBe('2024-05-15');
    expect(shanghaiDate(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(shanghaiDate('2024-05-14')).toBe('2024-05-14');
  });

  it('place the start and the 24:00 end of a local day', () => {
    expect(startOfShanghaiDay('2024-06-13').toISOString()).toBe('2024-06-12T16:00:00.000Z');
    expect(endOfShanghaiDay('2024-06-13').toISOString()).toBe('2024-06-13T16:00:00.000Z');
  });

  it('convert between wall-clock times and instants', () => {
    expect(shanghaiClock('2024-05-14T15:30:00Z')).toBe('23:30');
    expect(shanghaiClock('2024-05-14T16:30:00Z')).toBe('00:30');
    expect(atShanghaiTime('2024-06-13', '08:00').toISOString()).toBe('2024-06-13T00:00:00.000Z');
    expect(atShanghaiTime('2024-06-13', '24:00')).toEqual(endOfShanghaiDay('2024-06-13'));
    expect(() => atShanghaiTime('2024-06-13', '24:01')).toThrow(RangeError);
    expect(() => atShanghaiTime('2024-06-13', '8:00')).toThrow(RangeError);
  });

  it('add days across month and year ends', () => {
    expect(addDays('2024-05-14', 30)).toBe('2024-06-13');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('add months and years to the corresponding day, clamped to the month end', () => {
    expect(addMonthsClamped('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2024-08-31', 1)).toBe('2024-09-30');
    expect(addMonthsClamped('2024-11-15', 3)).toBe('2025-02-15');
    expect(addMonthsClamped('2024-03-31', -1)).toBe('2024-02-29');
    expect(addYearsClamped('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYearsClamped('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('name the day of the week, Sunday being 0', () => {
    expect(dayOfWeek('2024-06-13')).toBe(4);
    expect(dayOfWeek('2024-10-12')).toBe(6);
    expect(dayOfWeek('2025-09-28')).toBe(0);
  });

  it('refuse impossible dates and date-times without a zone', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow(RangeError);
    expect(() => shanghaiDate('2024-05-14T10:00:00')).toThrow(RangeError);
    expect(() => shanghaiDate('2024-02-30T10:00:00Z')).toThrow(RangeError);
    expect(() => shanghaiDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('periods in days (Arts. 201 and 203)', () => {
  it('makes a 30-day payment after signing on 2024-05-14 due 2024-06-13 24:00 (the DESIGN.md example)', () => {
    const deadline = thirtyDaysAct('2024-05-14T10:00:00+08:00', { trigger: { zh: '签署', en: 'signing' } });
    expect(deadline).toMatchObject({
      dueAt: '2024-06-13T16:00:00.000Z',
      lastDay: '2024-06-13',
      extendedFrom: null,
      uncoveredYears: [],
    });
    expect(deadline.explanationEn).toBe(
      '30 days from signing on 2024-05-14 (counted from 2024-05-15): day 30 is 2024-06-13 (Thu, a working day); ' +
        'due 2024-06-13 24:00 Asia/Shanghai.',
    );
    expect(deadline.explanation).toBe(
      '自签署之日（2024-05-14）起 30 日（自 2024-05-15 起算）：第 30 日为 2024-06-13（周四，工作日）；截止于 2024-06-13 24:00（北京时间）。',
    );
  });

  it('counts from the Shanghai date of a signing at 23:30 local, still 2024-05-14', () => {
    const deadline = thirtyDaysAct('2024-05-14T23:30:00+08:00');
    expect(deadline.dueAt).toBe('2024-06-13T16:00:00.000Z');
    expect(thirtyDaysAct(new Date('2024-05-14T15:30:00Z')).dueAt).toBe('2024-06-13T16:00:00.000Z');
  });

  it('counts from the Shanghai date of a signing at 00:30 local, which is the previous day in UTC', () => {
    const deadline = thirtyDaysAct('2024-05-14T16:30:00Z');
    expect(deadline.lastDay).toBe('2024-06-14');
    expect(deadline.dueAt).toBe('2024-06-14T16:00:00.000Z');
    expect(deadline.explanationEn).toContain('from 2024-05-15 (counted from 2024-05-16)');
  });

  it('moves day 30 on a Saturday to the Monday after', () => {
    const deadline = thirtyDaysAct('2024-05-16T09:00:00+08:00');
    expect(deadline).toMatchObject({ lastDay: '2024-06-17', extendedFrom: '2024-06-15', dueAt: '2024-06-17T16:00:00.000Z' });
    expect(deadline.explanationEn).toContain('day 30 is 2024-06-15 (Sat, a weekend rest day); moved to the next working day 2024-06-17 (Mon)');
  });

  it('moves day 30 in the National Day week (2024-10-03) to 2024-10-08 and says why', () => {
    const deadline = thirtyDaysAct('2024-09-03T09:00:00+08:00', { what: { zh: '付款', en: 'payment' } });
    expect(deadline).toMatchObject({ lastDay: '2024-10-08', extendedFrom: '2024-10-03', dueAt: '2024-10-08T16:00:00.000Z' });
    expect(deadline.explanationEn).toBe(
      '30 days from 2024-09-03 (counted from 2024-09-04): day 30 is 2024-10-03 (Thu, National Day holiday); ' +
        'moved to the next working day 2024-10-08 (Tue); payment due 2024-10-08 24:00 Asia/Shanghai.',
    );
    expect(deadline.explanation).toBe(
      '自 2024-09-03 起 30 日（自 2024-09-04 起算）：第 30 日为 2024-10-03（周四，国庆节假期），' +
        '顺延至其后第一个工作日 2024-10-08（周二）；付款截止于 2024-10-08 24:00（北京时间）。',
    );
  });

  it('keeps day 30 on the make-up working Saturday 2024-10-12', () => {
    const deadline = thirtyDaysAct('2024-09-12T09:00:00+08:00');
    expect(deadline).toMatchObject({ lastDay: '2024-10-12', extendedFrom: null, dueAt: '2024-10-12T16:00:00.000Z' });
    expect(deadline.explanationEn).toContain('2024-10-12 (Sat, a make-up working day for National Day)');
    expect(deadline.explanation).toContain('国庆节调休工作日');
  });

  it('keeps day 30 on the make-up working Sunday 2025-09-28', () => {
    expect(thirtyDaysAct('2025-08-29T09:00:00+08:00')).toMatchObject({ lastDay: '2025-09-28', extendedFrom: null });
  });

  it('never extends a term, even on a holiday', () => {
    const deadline = computeDeadline({ from: '2024-09-03T09:00:00+08:00', period: { unit: 'days', amount: 30 }, rule: 'term' });
    expect(deadline).toMatchObject({ lastDay: '2024-10-03', extendedFrom: null, dueAt: '2024-10-03T16:00:00.000Z' });
    expect(deadline.explanationEn).toContain('a term is not extended for rest days');
  });
});

describe('periods in months and years (Art. 202)', () => {
  it('ends one month after 2025-01-31 on 2025-02-28, the month having no 31st', () => {
    const deadline = computeDeadline({ from: '2025-01-31T12:00:00+08:00', period: { unit: 'months', amount: 1 }, rule: 'act' });
    expect(deadline).toMatchObject({ lastDay: '2025-02-28', dueAt: '2025-02-28T16:00:00.000Z', extendedFrom: null });
    expect(deadline.explanationEn).toContain('the corresponding day is 2025-02-28 (no day 31 that month, so its last day; Fri, a working day)');
    expect(deadline.explanation).toContain('该月无 31 日，以月末日为准');
  });

  it('ends a 3-year term from 29 February 2024 on 2027-02-28 24:00 local, although a Sunday', () => {
    const deadline = termEnd('2024-02-29T10:00:00+08:00', 3);
    expect(deadline).toMatchObject({
      lastDay: '2027-02-28',
      dueAt: '2027-02-28T16:00:00.000Z',
      extendedFrom: null,
      uncoveredYears: [],
    });
    expect(deadline.explanationEn).toContain('the contract term ends 2027-02-28 24:00 Asia/Shanghai');
    expect(deadline.explanation).toContain('合同期限届满于 2027-02-28 24:00');
  });

  it('moves an act due on the same Sunday to Monday and flags 2027 as not covered', () => {
    const deadline = computeDeadline({ from: '2024-02-29T10:00:00+08:00', period: { unit: 'years', amount: 3 }, rule: 'act' });
    expect(deadline).toMatchObject({ lastDay: '2027-03-01', extendedFrom: '2027-02-28', uncoveredYears: [2027] });
  });

  it('ends a one-year term from 2024-01-01 on 2025-01-01, the corresponding day', () => {
    expect(termEnd('2024-01-01T00:00:00+08:00', 1).dueAt).toBe('2025-01-01T16:00:00.000Z');
  });
});

describe('periods in hours (Art. 201)', () => {
  it('runs 24 hours from the exact moment of learning, across midnight', () => {
    const deadline = computeDeadline({
      from: '2024-05-14T23:30:00+08:00',
      period: { unit: 'hours', amount: 24 },
      rule: 'act',
      what: { zh: '中断通知', en: 'notice' },
      trigger: { zh: '知悉中断', en: 'learning of the outage' },
    });
    expect(deadline).toEqual({
      dueAt: '2024-05-15T15:30:00.000Z',
      lastDay: null,
      extendedFrom: null,
      uncoveredYears: [],
      // hours never look at the calendar, so no notice can move them
      calendarYears: [],
      provisional: false,
      calendarRevisions: {},
      explanation:
        '自知悉中断时（2024-05-14 23:30，北京时间）起 24 小时（按小时计算的期间自该时刻起算，不因休息日顺延）；中断通知截止于 2024-05-15 23:30（北京时间）。',
      explanationEn:
        '24 hours from learning of the outage at 2024-05-14 23:30 Asia/Shanghai (hours run from that moment; rest days do not extend them); ' +
        'notice due 2024-05-15 23:30 Asia/Shanghai.',
    });
  });

  it('runs 1 hour from the exact moment, even on a public holiday, keeping the seconds', () => {
    const deadline = computeDeadline({ from: '2024-10-01T09:15:20+08:00', period: { unit: 'hours', amount: 1 }, rule: 'act' });
    expect(deadline.dueAt).toBe('2024-10-01T02:15:20.000Z');
    expect(deadline.explanationEn).toContain('1 hour from 2024-10-01 09:15:20 Asia/Shanghai');
    expect(deadline.explanationEn).toContain('due 2024-10-01 10:15:20 Asia/Shanghai');
  });
});

describe('years the calendar does not cover', () => {
  const from = '2027-01-09T10:00:00+08:00'; // day 30 is Monday 2027-02-08

  it('flags 2027 and says only weekends were applied', () => {
    const deadline = thirtyDaysAct(from);
    expect(deadline).toMatchObject({ lastDay: '2027-02-08', uncoveredYears: [2027] });
    expect(deadline.explanationEn).toContain('The holiday calendar does not cover 2027, so only weekends were treated as rest days there.');
    expect(deadline.explanation).toContain('节假日日历尚未覆盖 2027 年');
  });

  it('honours an admin override declaring 2027-02-08 a rest day', () => {
    const calendar = createHolidayCalendar([{ date: '2027-02-08', kind: 'rest', name: '春节' }]);
    const deadline = thirtyDaysAct(from, { calendar });
    expect(deadline).toMatchObject({ lastDay: '2027-02-09', extendedFrom: '2027-02-08', uncoveredYears: [] });
    expect(deadline.explanation).toContain('2027-02-08（周一，春节假期），顺延至其后第一个工作日 2027-02-09');
  });

  it('does not flag a covered year', () => {
    expect(thirtyDaysAct('2026-09-01T10:00:00+08:00', { calendar: DEFAULT_CALENDAR }).uncoveredYears).toEqual([]);
  });
});

describe('explanations', () => {
  it('use a single-string label in both languages', () => {
    const deadline = thirtyDaysAct('2024-05-14T10:00:00+08:00', { what: 'INV-7' });
    expect(deadline.explanationEn).toContain('INV-7 due 2024-06-13');
    expect(deadline.explanation).toContain('INV-7截止于 2024-06-13');
  });

  it('stay on one line and mention the trigger, first counted and last days', () => {
    const deadline = thirtyDaysAct('2024-09-03T09:00:00+08:00');
    for (const text of [deadline.explanation, deadline.explanationEn]) {
      expect(text).not.toContain('\n');
      for (const date of ['2024-09-03', '2024-09-04', '2024-10-03', '2024-10-08']) expect(text).toContain(date);
    }
  });
});

describe('invalid input', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses an amount of %s', (amount) => {
    expect(() => computeDeadline({ from: '2024-05-14T10:00:00Z', period: { unit: 'days', amount }, rule: 'act' })).toThrow(RangeError);
  });

  it.each(['2024-02-30T10:00:00Z', 'yesterday', '2024-05-14T10:00:00', ''])('refuses the start %j', (from) => {
    expect(() => thirtyDaysAct(from)).toThrow(RangeError);
  });

  it('refuses an invalid Date', () => {
    expect(() => thirtyDaysAct(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('seconds left', () => {
  const dueAt = '2024-06-13T16:00:00.000Z';

  it('counts whole seconds to the due instant, floored', () => {
    expect(secondsLeft(dueAt, new Date('2024-06-13T15:00:00.000Z'))).toBe(3600);
    expect(secondsLeft(dueAt, Date.parse('2024-06-13T15:59:59.400Z'))).toBe(0);
    expect(secondsLeft(dueAt, Date.parse(dueAt))).toBe(0);
  });

  it('turns negative once the deadline has passed', () => {
    expect(secondsLeft(dueAt, Date.parse('2024-06-13T16:00:00.001Z'))).toBe(-1);
    expect(secondsLeft(dueAt, new Date('2024-06-14T16:00:00.000Z'))).toBe(-86_400);
  });
});

describe('properties over many dates', () => {
  const instants = fc.date({ min: new Date('2004-01-02T00:00:00Z'), max: new Date('2026-06-01T00:00:00Z'), noInvalidDate: true });
  const amounts = fc.integer({ min: 1, max: 180 });

  it('ends an act deadline at 24:00 local of a working day, never before the term would end', () => {
    fc.assert(
      fc.property(instants, amounts, (from, amount) => {
        const act = computeDeadline({ from, period: { unit: 'days', amount }, rule: 'act' });
        const term = computeDeadline({ from, period: { unit: 'days', amount }, rule: 'term' });
        const lastDay = act.lastDay ?? '';
        expect(DEFAULT_CALENDAR.isRestDay(lastDay)).toBe(false);
        expect(act.dueAt).toBe(endOfShanghaiDay(lastDay).toISOString());
        expect(term.lastDay).toBe(addDays(shanghaiDate(from), amount));
        expect(Date.parse(act.dueAt)).toBeGreaterThanOrEqual(Date.parse(term.dueAt));
      }),
      { numRuns: 300 },
    );
  });
});
