/**
 * Templates (domain/sms/templates.ts): the ${name} syntax, the lint at
 * application, filling with values that cannot smuggle content, the terms'
 * defaults, and the review deadline in working days over the published
 * holiday calendars (expected dates worked out by hand from the State
 * Council notices, not from the function under test).
 */
import { describe, expect, it } from 'vitest';
import { calendarOfYears, DEFAULT_CALENDAR } from '../../domain/calendar';
import { calendarYearsAround } from '../../domain/statutory-holidays';
import { ZContractTerms, REFERENCE_TERMS } from '../../domain/terms';
import { reviewDeadline } from '../../domain/sms/review-deadline';
import { fillTemplate, freeTextAllowed, lintTemplate, parseTemplate, templateTermsOf } from '../../domain/sms/templates';

const SIGNATURE = '【内蒙古自治区地震局】';
const QUAKE = '地震速报：${place}发生${magnitude}级地震，请注意防范。';

describe('template syntax', () => {
  it('finds the variables once each, in order, and refuses bad names and unclosed variables', () => {
    expect(parseTemplate('${a}与${b_2}，再次${a}').variables).toEqual(['a', 'b_2']);
    const bad = parseTemplate('你好${1abc}，${ok}，${中文}，${x');
    expect(bad.ok).toBe(false);
    expect(bad.issues.map((i) => i.code)).toEqual(['VARIABLE_NAME_INVALID', 'VARIABLE_NAME_INVALID', 'VARIABLE_SYNTAX']);
    expect(parseTemplate(`\${${'a'.repeat(32)}}`).ok).toBe(true);
    expect(parseTemplate(`\${${'a'.repeat(33)}}`).issues[0]!.code).toBe('VARIABLE_NAME_INVALID');
  });
});

describe('linting a template at application', () => {
  it('passes a clean notification template, with the bound signature added in front', () => {
    const lint = lintTemplate({ content: QUAKE, category: 'notification', signature: SIGNATURE });
    expect(lint).toMatchObject({ ok: true, variables: ['place', 'magnitude'] });
    expect(lint.lint!.content).toBe(`${SIGNATURE}地震速报：某发生某级地震，请注意防范。`);
  });

  it('refuses a forbidden symbol and a forbidden word with the message lint codes, at their positions in the template', () => {
    const content = '${name}您好，本店★股票内幕';
    const lint = lintTemplate({ content, category: 'notification', signature: SIGNATURE });
    expect(lint.ok).toBe(false);
    const symbol = lint.issues.find((i) => i.code === 'UNSUPPORTED_SYMBOL')!;
    expect([symbol.start, symbol.end]).toEqual([content.indexOf('★'), content.indexOf('★') + 1]);
    const word = lint.issues.find((i) => i.code === 'FORBIDDEN_CATEGORY')!;
    expect(content.slice(word.start, word.end)).toBe('股票');
  });

  it('requires a marketing template to end with its own unsubscribe instruction', () => {
    expect(lintTemplate({ content: '会员日${day}举行', category: 'marketing', signature: SIGNATURE }).issues.map((i) => i.code)).toEqual(['UNSUBSCRIBE_MISSING']);
    expect(lintTemplate({ content: '会员日${day}举行，回TD退订', category: 'marketing', signature: SIGNATURE }).ok).toBe(true);
  });

  it('refuses a link variable the template does not have', () => {
    expect(lintTemplate({ content: '详见${url}', category: 'notification', signature: SIGNATURE, urlVariables: ['link'] }).issues.map((i) => i.code)).toEqual(['URL_VARIABLE_UNKNOWN']);
  });
});

describe('filling a template', () => {
  const fill = (values: Record<string, string>, extra: { content?: string; category?: 'notification' | 'marketing'; urlVariables?: string[] } = {}) =>
    fillTemplate({ content: extra.content ?? QUAKE, category: extra.category ?? 'notification', signature: SIGNATURE, urlVariables: extra.urlVariables ?? [], values });
  const codes = (r: ReturnType<typeof fill>) => (r.ok ? [] : r.issues.map((i) => i.code));

  it('makes the signed text, with full-width digits made ASCII', () => {
    const filled = fill({ place: '锡林郭勒盟', magnitude: '４.５' });
    expect(filled).toMatchObject({ ok: true, text: `${SIGNATURE}地震速报：锡林郭勒盟发生4.5级地震，请注意防范。` });
  });

  it('refuses missing, unknown, empty and over-long (36 > 35 characters) values', () => {
    expect(codes(fill({ place: '包头' }))).toEqual(['VARIABLE_MISSING']);
    expect(codes(fill({ place: '包头', magnitude: '3', extra: 'x' }))).toEqual(['VARIABLE_UNKNOWN']);
    expect(codes(fill({ place: ' ', magnitude: '3' }))).toEqual(['VARIABLE_EMPTY']);
    expect(codes(fill({ place: '包'.repeat(35), magnitude: '3' }))).toEqual([]);
    expect(codes(fill({ place: '包'.repeat(36), magnitude: '3' }))).toEqual(['VARIABLE_TOO_LONG']);
  });

  it('refuses values smuggling unsubscribe words, forbidden words, symbols, signature brackets or links', () => {
    expect(codes(fill({ place: '包头回TD退订', magnitude: '3' }))).toContain('VARIABLE_UNSUBSCRIBE');
    expect(codes(fill({ place: '包头退订', magnitude: '3' }))).toEqual(['VARIABLE_UNSUBSCRIBE']);
    expect(codes(fill({ place: '包头', magnitude: '回复Ｔ' }))).toEqual(['VARIABLE_UNSUBSCRIBE']);
    const stock = fill({ place: '内部荐股', magnitude: '3' });
    expect(codes(stock)).toEqual(['VARIABLE_FORBIDDEN_CONTENT']);
    expect(stock.ok ? null : stock.issues[0]!.lint).toMatchObject({ code: 'FORBIDDEN_CATEGORY', category: 'stocks' });
    expect(codes(fill({ place: '股 票', magnitude: '3' }))).toEqual(['VARIABLE_FORBIDDEN_CONTENT']);
    expect(codes(fill({ place: '包头★', magnitude: '3' }))).toEqual(['VARIABLE_FORBIDDEN_CONTENT']);
    expect(codes(fill({ place: '【某某公司】', magnitude: '3' }))).toContain('VARIABLE_SIGNATURE');
    expect(codes(fill({ place: 'www.example.com', magnitude: '3' }))).toEqual(['VARIABLE_URL']);
    expect(codes(fill({ place: 'ＨＴＴＰＳ://t.cn/abc', magnitude: '3' }))).toEqual(['VARIABLE_URL']);
    expect(codes(fill({ place: 'bit.ly', magnitude: '3' }))).toEqual(['VARIABLE_URL']);
    // a link where the template names a link variable
    expect(fill({ url: 'https://www.eq-nm.gov.cn/k/1' }, { content: '应急指南：${url}', urlVariables: ['url'] }).ok).toBe(true);
  });

  it('lints the filled text again: a forbidden word split between the template and a value is caught', () => {
    const split = fill({ a: '股' }, { content: '今日${a}票提示' });
    expect(codes(split)).toEqual(['FORBIDDEN_CATEGORY']);
  });
});

describe('the terms', () => {
  it('default to 1 working day and free text for notifications (and alerts) only; stored terms without the fields still parse', () => {
    const parsed = ZContractTerms.safeParse(REFERENCE_TERMS);
    expect(parsed.success).toBe(true);
    const terms = templateTermsOf(REFERENCE_TERMS.sms);
    expect(terms).toEqual({ reviewWorkingDays: 1, freeText: { notification: true, marketing: false } });
    expect([freeTextAllowed(terms, 'notification'), freeTextAllowed(terms, 'alert'), freeTextAllowed(terms, 'marketing')]).toEqual([true, true, false]);
    const custom = templateTermsOf({ ...REFERENCE_TERMS.sms, templateReviewWorkingDays: 3, freeText: { notification: false } });
    expect(custom).toEqual({ reviewWorkingDays: 3, freeText: { notification: false, marketing: false } });
    expect(ZContractTerms.safeParse({ ...REFERENCE_TERMS, sms: { ...REFERENCE_TERMS.sms, templateReviewWorkingDays: 0 } }).success).toBe(false);
  });
});

describe('the review deadline in working days', () => {
  // 国办发明电〔2025〕7号 (2026): 春节 2月15日（周日）至23日（周一）放假，2月14日（周六）、2月28日（周六）上班；
  // 国庆节 10月1日（周四）至7日（周三）放假，9月20日（周日）、10月10日（周六）上班.
  it('counts from the day after the application, a make-up Saturday counting (Spring Festival 2026)', () => {
    // applied Friday 2026-02-13 10:00 Beijing: 1 working day → Saturday 02-14 (调休 working day), 24:00
    expect(reviewDeadline('2026-02-13T02:00:00Z', 1).dueAt).toBe('2026-02-14T16:00:00.000Z');
    // 2 working days: 02-14, then the holiday 02-15..02-23 is skipped → Tuesday 02-24
    const two = reviewDeadline('2026-02-13T02:00:00Z', 2);
    expect(two.dueAt).toBe('2026-02-24T16:00:00.000Z');
    expect(two.explanation).toContain('跳过9个休息日');
    expect(two.provisional).toBe(false);
  });

  it('skips the National Day holiday (2026) and an ordinary weekend', () => {
    // applied Wednesday 2026-09-30 15:00 Beijing → 10-01..10-07 rest → Thursday 10-08
    expect(reviewDeadline('2026-09-30T07:00:00Z', 1).dueAt).toBe('2026-10-08T16:00:00.000Z');
    // applied Friday 2026-12-04 23:30 Beijing (15:30Z, still Friday in Beijing) → Monday 12-07
    expect(reviewDeadline('2026-12-04T15:30:00Z', 1).dueAt).toBe('2026-12-07T16:00:00.000Z');
    // applied Friday 2026-12-04 16:30Z = Saturday 00:30 in Beijing → Monday 12-07 all the same
    expect(reviewDeadline('2026-12-04T16:30:00Z', 1).dueAt).toBe('2026-12-07T16:00:00.000Z');
  });

  it('counts 2027 (not in the bundled data) by its statutory days while no notice is entered, and by the notice once entered', () => {
    // 全国年节及纪念日放假办法 (from 2025): 春节 = 除夕 and 正月初一至初三; 正月初一 2027 is Saturday 02-06,
    // so 02-05 (Fri), 02-06, 02-07, 02-08 (Mon) are rest days; applied Thursday 02-04 → Tuesday 02-09, provisional
    const provisional = reviewDeadline('2027-02-04T03:00:00Z', 1, calendarOfYears(calendarYearsAround([], 2027)));
    expect(provisional.dueAt).toBe('2027-02-09T16:00:00.000Z');
    expect(provisional.provisional).toBe(true);
    expect(provisional.explanation).toContain('暂定');
    // an entered notice (test data, not the State Council's text): rest 02-05..02-13, Sunday 02-14 a make-up working day
    const days = [
      ...['05', '06', '07', '08', '09', '10', '11', '12', '13'].map((d) => ({ date: `2027-02-${d}`, kind: 'rest' as const, name: '春节' })),
      { date: '2027-02-14', kind: 'work' as const, name: '春节' },
    ];
    const entered = calendarOfYears([{ year: 2027, status: 'official', revision: 1, title: '2027', days }]);
    const counted = reviewDeadline('2027-02-04T03:00:00Z', 1, entered);
    expect(counted.dueAt).toBe('2027-02-14T16:00:00.000Z');
    expect(counted.provisional).toBe(false);
    expect(DEFAULT_CALENDAR.covers(2026)).toBe(true);
  });
});
