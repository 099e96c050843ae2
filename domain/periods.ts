/**
 * Every deadline of the system is computed here, by the PRC Civil Code's
 * rules on periods (Arts. 200–204; DESIGN.md "How periods are counted"), and
 * carries a one-line explanation in Chinese and English. Pure: safe inside
 * Temporal workflows.
 */
import { DEFAULT_CALENDAR, type DayKind, type HolidayCalendar } from './calendar';
import {
  addDays,
  addMonthsClamped,
  addYearsClamped,
  dayOfWeek,
  endOfShanghaiDay,
  parseLocalDate,
  shanghaiClock,
  shanghaiDate,
  toInstant,
  yearOf,
  type LocalDate,
} from './time';

export type PeriodUnit = 'hours' | 'days' | 'months' | 'years';
export type Period = { unit: PeriodUnit; amount: number };

/**
 * act: a deadline for doing something (paying, curing, objecting, filing
 * proof, signing), extended past rest days (Art. 203).
 * term: the duration of a right or contract, ending on its day (Art. 202).
 */
export type DeadlineRule = 'act' | 'term';

/** A phrase for the explanation: one string for both languages, or one per language. */
export type Label = string | { zh: string; en: string };

/** What a deadline was counted from: enough to count it again over a changed calendar (plain JSON). */
export type DeadlineBasis = {
  from: string;
  period: Period;
  rule: DeadlineRule;
  what?: Label;
  trigger?: Label;
};

export type DeadlineInput = {
  from: Date | string;
  period: Period;
  rule: DeadlineRule;
  calendar?: HolidayCalendar;
  /** What is due, e.g. { zh: '付款', en: 'payment' }. */
  what?: Label;
  /** What started the period, e.g. { zh: '签署', en: 'signing' }. */
  trigger?: Label;
};

export type Deadline = {
  /** ISO 8601 UTC. */
  dueAt: string;
  /** Asia/Shanghai local date of the last day; null for hours. */
  lastDay: LocalDate | null;
  /** The unextended last day when Art. 203 moved it past rest days. */
  extendedFrom: LocalDate | null;
  /** Years of examined dates the calendar does not cover (only weekends were rest days there). */
  uncoveredYears: number[];
  /** The calendar years whose days the count examined (the last day and the rest days it moved past); empty for terms and hours. */
  calendarYears: number[];
  /** Whether any of those years is known only provisionally (no State Council notice yet). */
  provisional: boolean;
  /** The revision of each of those years the count used (0: bundled or statutory). */
  calendarRevisions: Record<string, number>;
  explanation: string;
  explanationEn: string;
};

// Art. 203 never needs more than a few weeks; a longer run means a broken override list.
const MAX_REST_DAYS_IN_A_ROW = 60;
const MS_PER_HOUR = 3_600_000;

const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;
const UNIT_ZH: Record<PeriodUnit, string> = { hours: '小时', days: '日', months: '个月', years: '年' };

export function computeDeadline(input: DeadlineInput): Deadline {
  requirePositiveWholeAmount(input.period);
  requireKnownRule(input.rule);
  const from = toInstant(input.from);
  if (input.period.unit === 'hours') return computeHoursDeadline(from, input);
  return computeDayBasedDeadline(shanghaiDate(from), input);
}

/** The end of a contract term of whole years from its effective moment (Art. 202, never extended). */
export function termEnd(effectiveAt: Date | string, years: number): Deadline {
  return computeDeadline({
    from: effectiveAt,
    period: { unit: 'years', amount: years },
    rule: 'term',
    what: { zh: '合同期限', en: 'the contract term' },
    trigger: { zh: '生效', en: 'taking effect' },
  });
}

/**
 * What a deadline to do something (pay, cure, negotiate, file proof, sign,
 * report) is counted from: `period` from `from` by the rule for acts; what is
 * due and what started the period word its explanation.
 */
export const actBasis = (from: string, period: Period, what: Label, trigger: Label): DeadlineBasis => ({ from, period, rule: 'act', what, trigger });

/** Whole seconds until dueAt, floored; negative once it has passed. */
export function secondsLeft(dueAt: string, now: Date | number): number {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const diffMs = toInstant(dueAt).getTime() - nowMs;
  if (!Number.isFinite(diffMs)) throw new RangeError(`not a valid moment: ${String(now)}`);
  return Math.floor(diffMs / 1000) + 0; // + 0 turns -0 into 0
}

// ---------------------------------------------------------------- hours

function computeHoursDeadline(from: Date, input: DeadlineInput): Deadline {
  // Art. 201: a period in hours starts at the stated moment; Art. 203 does not apply.
  const due = new Date(from.getTime() + input.period.amount * MS_PER_HOUR);
  const dueAt = due.toISOString();
  return {
    dueAt,
    lastDay: null,
    extendedFrom: null,
    uncoveredYears: [],
    calendarYears: [],
    provisional: false,
    calendarRevisions: {},
    explanation: explainHoursZh(from, due, input),
    explanationEn: explainHoursEn(from, due, input),
  };
}

function explainHoursEn(from: Date, due: Date, { period, what, trigger }: DeadlineInput): string {
  const start = trigger ? `${labelEn(trigger)} at ${formatMoment(from)}` : formatMoment(from);
  const subject = what ? `${labelEn(what)} ` : '';
  return (
    `${period.amount} ${pluralize(period.amount, 'hour')} from ${start} Asia/Shanghai ` +
    `(hours run from that moment; rest days do not extend them); ${subject}due ${formatMoment(due)} Asia/Shanghai.`
  );
}

function explainHoursZh(from: Date, due: Date, { period, what, trigger }: DeadlineInput): string {
  const start = trigger ? `${labelZh(trigger)}时（${formatMoment(from)}，北京时间）` : ` ${formatMoment(from)}（北京时间）`;
  const subject = what ? labelZh(what) : '';
  return (
    `自${start}起 ${period.amount} 小时（按小时计算的期间自该时刻起算，不因休息日顺延）；` +
    `${subject}截止于 ${formatMoment(due)}（北京时间）。`
  );
}

// ---------------------------------------------------------------- days, months, years

type DayBasedFacts = {
  input: DeadlineInput;
  calendar: HolidayCalendar;
  triggerDate: LocalDate;
  countFrom: LocalDate;
  nominalDay: LocalDate;
  /** The trigger's day of month when the target month has no such day (Art. 202). */
  missingDay: number | null;
  lastDay: LocalDate;
  uncoveredYears: number[];
  provisionalYears: number[];
};

function computeDayBasedDeadline(triggerDate: LocalDate, input: DeadlineInput): Deadline {
  const calendar = input.calendar ?? DEFAULT_CALENDAR;
  // Art. 201: counting starts on the day after the trigger's local date.
  const countFrom = addDays(triggerDate, 1);
  const nominalDay = correspondingLastDay(triggerDate, input.period);
  const { lastDay, examined } =
    input.rule === 'act' ? findFirstWorkingDay(nominalDay, calendar) : { lastDay: nominalDay, examined: [] };
  const facts: DayBasedFacts = {
    input,
    calendar,
    triggerDate,
    countFrom,
    nominalDay,
    missingDay: findMissingDay(triggerDate, nominalDay, input.period.unit),
    lastDay,
    uncoveredYears: listUncoveredYears(examined, calendar),
    provisionalYears: listYears(examined).filter((year) => calendar.isProvisional(year)),
  };
  return {
    dueAt: endOfShanghaiDay(lastDay).toISOString(),
    lastDay,
    extendedFrom: lastDay === nominalDay ? null : nominalDay,
    uncoveredYears: facts.uncoveredYears,
    calendarYears: listYears(examined),
    provisional: facts.provisionalYears.length > 0,
    calendarRevisions: Object.fromEntries(listYears(examined).map((year) => [String(year), calendar.revisionOf(year)])),
    explanation: explainDayBasedZh(facts),
    explanationEn: explainDayBasedEn(facts),
  };
}

/** Days: the N-th day counted from the day after the trigger. Months/years: the corresponding day (Art. 202). */
function correspondingLastDay(triggerDate: LocalDate, { unit, amount }: Period): LocalDate {
  if (unit === 'days') return addDays(triggerDate, amount);
  if (unit === 'months') return addMonthsClamped(triggerDate, amount);
  return addYearsClamped(triggerDate, amount);
}

function findMissingDay(triggerDate: LocalDate, nominalDay: LocalDate, unit: PeriodUnit): number | null {
  const wanted = parseLocalDate(triggerDate).day;
  return unit !== 'days' && parseLocalDate(nominalDay).day !== wanted ? wanted : null;
}

/** Art. 203: a last day that is a rest day moves to the first working day after it (make-up days count as working). */
function findFirstWorkingDay(date: LocalDate, calendar: HolidayCalendar): { lastDay: LocalDate; examined: LocalDate[] } {
  const examined = [date];
  let day = date;
  while (calendar.isRestDay(day)) {
    if (examined.length > MAX_REST_DAYS_IN_A_ROW) {
      throw new RangeError(`more than ${MAX_REST_DAYS_IN_A_ROW} rest days in a row from ${date}: check the holiday overrides`);
    }
    day = addDays(day, 1);
    examined.push(day);
  }
  return { lastDay: day, examined };
}

function listUncoveredYears(dates: LocalDate[], calendar: HolidayCalendar): number[] {
  return listYears(dates).filter((year) => !calendar.covers(year));
}

function listYears(dates: LocalDate[]): number[] {
  return [...new Set(dates.map(yearOf))].sort((a, b) => a - b);
}

/** Counts a deadline again from its basis, over another calendar (a notice entered or changed). */
export function recountDeadline(basis: DeadlineBasis, calendar: HolidayCalendar): Deadline {
  return computeDeadline({ ...basis, calendar });
}

function explainDayBasedEn(facts: DayBasedFacts): string {
  const { input, triggerDate, countFrom, nominalDay, lastDay, uncoveredYears } = facts;
  const { period, what, trigger, rule } = input;
  const start = trigger ? `${labelEn(trigger)} on ${triggerDate}` : triggerDate;
  const reached = period.unit === 'days' ? `day ${period.amount} is` : 'the corresponding day is';
  const outcome =
    rule === 'term'
      ? '; a term is not extended for rest days'
      : lastDay === nominalDay
        ? ''
        : `; moved to the next working day ${lastDay} (${WEEKDAYS_EN[dayOfWeek(lastDay)]})`;
  const subject = what ? `${labelEn(what)} ` : '';
  const verb = rule === 'term' ? 'ends' : 'due';
  return (
    `${period.amount} ${pluralize(period.amount, singularUnit(period.unit))} from ${start} (counted from ${countFrom}): ` +
    `${reached} ${nominalDay} (${describeNominalDayEn(facts)})${outcome}; ${subject}${verb} ${lastDay} 24:00 Asia/Shanghai.` +
    explainUncoveredEn(uncoveredYears) +
    explainProvisionalEn(facts.provisionalYears)
  );
}

function explainDayBasedZh(facts: DayBasedFacts): string {
  const { input, triggerDate, countFrom, nominalDay, lastDay, uncoveredYears } = facts;
  const { period, what, trigger, rule } = input;
  const start = trigger ? `${labelZh(trigger)}之日（${triggerDate}）` : ` ${triggerDate} `;
  const reached = period.unit === 'days' ? `第 ${period.amount} 日为` : '对应日为';
  const outcome =
    rule === 'term'
      ? '；期限不因休息日顺延'
      : lastDay === nominalDay
        ? ''
        : `，顺延至其后第一个工作日 ${lastDay}（${WEEKDAYS_ZH[dayOfWeek(lastDay)]}）`;
  const subject = what ? labelZh(what) : '';
  const verb = rule === 'term' ? '届满于' : '截止于';
  return (
    `自${start}起 ${period.amount} ${UNIT_ZH[period.unit]}（自 ${countFrom} 起算）：` +
    `${reached} ${nominalDay}（${describeNominalDayZh(facts)}）${outcome}；${subject}${verb} ${lastDay} 24:00（北京时间）。` +
    explainUncoveredZh(uncoveredYears) +
    explainProvisionalZh(facts.provisionalYears)
  );
}

/** e.g. "no day 31 that month, so its last day; Fri, a working day". Terms are not checked against the calendar. */
function describeNominalDayEn({ input, calendar, nominalDay, missingDay }: DayBasedFacts): string {
  const weekday = WEEKDAYS_EN[dayOfWeek(nominalDay)];
  const day = input.rule === 'term' ? weekday : `${weekday}, ${describeDayKindEn(calendar, nominalDay)}`;
  return missingDay === null ? day : `no day ${missingDay} that month, so its last day; ${day}`;
}

function describeNominalDayZh({ input, calendar, nominalDay, missingDay }: DayBasedFacts): string {
  const weekday = WEEKDAYS_ZH[dayOfWeek(nominalDay)];
  const day = input.rule === 'term' ? weekday : `${weekday}，${describeDayKindZh(calendar, nominalDay)}`;
  return missingDay === null ? day : `该月无 ${missingDay} 日，以月末日为准；${day}`;
}

function describeDayKindEn(calendar: HolidayCalendar, date: LocalDate): string {
  const name = calendar.holidayName(date, 'en');
  const phrases: Record<DayKind, string> = {
    working: 'a working day',
    weekend: 'a weekend rest day',
    holiday: name ? `${name} holiday` : 'a rest day',
    makeUpWorkday: name ? `a make-up working day for ${name}` : 'a make-up working day',
  };
  return phrases[calendar.classifyDay(date)];
}

function describeDayKindZh(calendar: HolidayCalendar, date: LocalDate): string {
  const name = calendar.holidayName(date, 'zh');
  const phrases: Record<DayKind, string> = {
    working: '工作日',
    weekend: '周末休息日',
    holiday: name ? `${name}假期` : '休息日',
    makeUpWorkday: name ? `${name}调休工作日` : '调休工作日',
  };
  return phrases[calendar.classifyDay(date)];
}

function explainUncoveredEn(years: number[]): string {
  if (years.length === 0) return '';
  return ` The holiday calendar does not cover ${years.join(', ')}, so only weekends were treated as rest days there.`;
}

function explainProvisionalEn(years: number[]): string {
  if (years.length === 0) return '';
  return ` Provisional: the State Council has not published the ${years.join(', ')} holiday arrangement yet, so only the statutory holidays and weekends were rest days; the deadline is recounted when it is published.`;
}

function explainProvisionalZh(years: number[]): string {
  if (years.length === 0) return '';
  return `暂定：国务院尚未公布 ${years.join('、')} 年节假日安排，暂按法定节假日和周末认定休息日；通知发布后将重新计算。`;
}

function explainUncoveredZh(years: number[]): string {
  if (years.length === 0) return '';
  return `节假日日历尚未覆盖 ${years.join('、')} 年，该年仅按周末认定休息日。`;
}

// ---------------------------------------------------------------- validation and wording

function requirePositiveWholeAmount({ unit, amount }: Period): void {
  if (!Object.hasOwn(UNIT_ZH, unit)) throw new RangeError(`unknown period unit: ${String(unit)}`);
  if (!Number.isInteger(amount) || amount <= 0) {
    throw new RangeError(`a period must be a positive whole number of ${unit}, got ${amount}`);
  }
}

function requireKnownRule(rule: DeadlineRule): void {
  if (rule !== 'act' && rule !== 'term') throw new RangeError(`unknown deadline rule: ${String(rule)}`);
}

function singularUnit(unit: PeriodUnit): string {
  return unit.slice(0, -1);
}

function pluralize(amount: number, singular: string): string {
  return amount === 1 ? singular : `${singular}s`;
}

function labelEn(label: Label): string {
  return typeof label === 'string' ? label : label.en;
}

function labelZh(label: Label): string {
  return typeof label === 'string' ? label : label.zh;
}

/** 'YYYY-MM-DD HH:MM' on the Shanghai clock, with ':SS' only when the seconds are not zero. */
function formatMoment(instant: Date): string {
  const seconds = ((Math.floor(instant.getTime() / 1000) % 60) + 60) % 60;
  const clock = shanghaiClock(instant) + (seconds === 0 ? '' : `:${String(seconds).padStart(2, '0')}`);
  return `${shanghaiDate(instant)} ${clock}`;
}
