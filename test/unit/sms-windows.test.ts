import { describe, expect, it } from 'vitest';
import { nextSendingInstant, type SmsCategory } from '../../domain/sms/windows';
import { REFERENCE_TERMS, type ContractTerms } from '../../domain/terms';

const SMS = REFERENCE_TERMS.sms; // 08:00–22:00, marketing 09:00–20:00, no 24-hour permit
const PERMIT: ContractTerms['sms'] = { ...SMS, permit24h: true };

/** an Asia/Shanghai wall-clock time (UTC+8) as an instant */
const cst = (local: string) => new Date(`${local}+08:00`);

function next(local: string, category: SmsCategory, sms: ContractTerms['sms'] = SMS) {
  return nextSendingInstant({ now: cst(local), category, sms });
}

describe('sending windows (Art.5 §2, Art.8 §4), Asia/Shanghai', () => {
  it('holds a notification submitted at 22:30 until 08:00 the next day', () => {
    const result = next('2024-05-14T22:30:00', 'notification');
    expect(result).toMatchObject({ held: true, window: { start: '08:00', end: '22:00' } });
    expect(result.sendAt.toISOString()).toBe('2024-05-15T00:00:00.000Z'); // 08:00 CST
    expect(result.reason).toContain('2024-05-15 08:00');
    expect(result.reasonZh).toContain('次日08:00');
  });

  it('holds marketing submitted at 20:30 until 09:00 the next day', () => {
    const result = next('2024-05-14T20:30:00', 'marketing');
    expect(result.held).toBe(true);
    expect(result.sendAt).toEqual(cst('2024-05-15T09:00:00'));
    expect(result.reasonZh).toContain('次日09:00');
  });

  it('holds marketing submitted at 07:00 until 09:00 the same day', () => {
    const result = next('2024-05-14T07:00:00', 'marketing');
    expect(result.held).toBe(true);
    expect(result.sendAt).toEqual(cst('2024-05-14T09:00:00'));
    expect(result.reasonZh).toContain('当日09:00');
  });

  it('holds marketing submitted at 08:30, inside the general window but before the marketing one', () => {
    expect(next('2024-05-14T08:30:00', 'marketing').sendAt).toEqual(cst('2024-05-14T09:00:00'));
  });

  it('sends at once inside the window', () => {
    const now = cst('2024-05-14T10:20:00');
    const result = nextSendingInstant({ now, category: 'notification', sms: SMS });
    expect(result).toMatchObject({ held: false, sendAt: now });
  });

  it.each([
    ['notification', '2024-05-14T08:00:00', false],
    ['notification', '2024-05-14T07:59:59', true],
    ['notification', '2024-05-14T21:59:59', false],
    ['notification', '2024-05-14T22:00:00', true],
    ['marketing', '2024-05-14T09:00:00', false],
    ['marketing', '2024-05-14T19:59:59', false],
    ['marketing', '2024-05-14T20:00:00', true],
  ] as const)('%s at %s: held %s (start inclusive, end exclusive)', (category, local, held) => {
    expect(next(local, category).held).toBe(held);
  });

  it('holds a notification submitted just after midnight until 08:00 that same day', () => {
    const result = next('2024-05-15T00:30:00', 'notification'); // 2024-05-14T16:30Z
    expect(result.sendAt.toISOString()).toBe('2024-05-15T00:00:00.000Z');
    expect(result.reasonZh).toContain('当日08:00');
  });

  it('rolls over a month and a year end', () => {
    expect(next('2024-05-31T23:00:00', 'notification').sendAt).toEqual(cst('2024-06-01T08:00:00'));
    expect(next('2024-12-31T23:00:00', 'notification').sendAt).toEqual(cst('2025-01-01T08:00:00'));
  });

  it('keeps the holding instant to the minute, dropping the submission seconds', () => {
    expect(next('2024-05-14T22:30:45.123', 'notification').sendAt.toISOString()).toBe('2024-05-15T00:00:00.000Z');
  });

  it('treats an alert like a notification without a 24-hour permit', () => {
    const result = next('2024-05-14T23:00:00', 'alert');
    expect(result).toMatchObject({ held: true, window: { start: '08:00', end: '22:00' } });
    expect(result.sendAt).toEqual(cst('2024-05-15T08:00:00'));
  });

  it('sends an alert at any hour with the 24-hour permit', () => {
    const now = cst('2024-05-14T03:12:00');
    const result = nextSendingInstant({ now, category: 'alert', sms: PERMIT });
    expect(result).toMatchObject({ held: false, sendAt: now, window: null });
    expect(result.reasonZh).toContain('24小时');
  });

  it('lets the 24-hour permit cover notifications too (Art.5 §2 names no category)', () => {
    expect(next('2024-05-14T23:30:00', 'notification', PERMIT)).toMatchObject({ held: false, window: null });
  });

  it('never lets the permit lift the marketing window (Art.8 §4)', () => {
    const result = next('2024-05-14T21:00:00', 'marketing', PERMIT);
    expect(result.held).toBe(true);
    expect(result.sendAt).toEqual(cst('2024-05-15T09:00:00'));
  });

  it('follows windows agreed differently in the terms', () => {
    const custom = { ...SMS, windowStart: '07:30', windowEnd: '21:30' };
    expect(next('2024-05-14T07:29:00', 'notification', custom).sendAt).toEqual(cst('2024-05-14T07:30:00'));
    expect(next('2024-05-14T21:30:00', 'notification', custom).sendAt).toEqual(cst('2024-05-15T07:30:00'));
    expect(next('2024-05-14T23:59:00', 'notification', { ...SMS, windowStart: '00:00', windowEnd: '24:00' }).held).toBe(false);
  });

  it('refuses an invalid date', () => {
    expect(() => nextSendingInstant({ now: new Date(Number.NaN), category: 'notification', sms: SMS })).toThrow(RangeError);
  });
});
