/**
 * Clock rules in Beijing time, against instants written out by hand
 * (Beijing is UTC+8 all year: 09:00 there is 01:00Z).
 */
import { describe, expect, it } from 'vitest';
import { isInFuture, nextShanghaiClock } from '../../domain/time';

describe('the next daily run at 09:00 Beijing time', () => {
  it('is today at 09:00 before it, tomorrow from 09:00 on (never the same instant twice)', () => {
    expect(nextShanghaiClock(new Date('2026-12-07T00:59:59.999Z'), '09:00').toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(nextShanghaiClock(new Date('2026-12-07T01:00:00.000Z'), '09:00').toISOString()).toBe('2026-12-08T01:00:00.000Z');
    // 23:30 in Beijing (15:30Z): the next morning
    expect(nextShanghaiClock(new Date('2026-12-07T15:30:00Z'), '09:00').toISOString()).toBe('2026-12-08T01:00:00.000Z');
    // across a year end
    expect(nextShanghaiClock(new Date('2026-12-31T02:00:00Z'), '09:00').toISOString()).toBe('2027-01-01T01:00:00.000Z');
  });
});

describe('a stated moment in the future', () => {
  const now = Date.parse('2026-12-07T02:00:00Z');
  it('allows 60 seconds of clock skew and refuses more', () => {
    expect(isInFuture('2026-12-07T02:01:00Z', now)).toBe(false);
    expect(isInFuture('2026-12-07T02:01:00.001Z', now)).toBe(true);
    expect(isInFuture('2026-12-07T10:00:00+08:00', now)).toBe(false);
  });
});
