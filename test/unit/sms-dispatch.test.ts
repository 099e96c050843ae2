import { describe, expect, it } from 'vitest';
import { applyFrequencyCap, concatReferenceOf, fitQuota, partRefOf, receiptSettleMs, screenRecipients, windowEndsAt } from '../../domain/sms/dispatch';

describe('screening recipients', () => {
  it('normalises numbers, rejects invalid ones on their own and collapses repeats into the first occurrence', () => {
    const screened = screenRecipients(['13800000001', '+86 138 0000 0001', '１３８０００００００２', '0471-1234567', '1380000000', 'abc'], 'notification');
    expect(screened.map((s) => [s.outcome, 'e164' in s ? s.e164 : null, 'reason' in s ? s.reason : null])).toEqual([
      ['candidate', '+8613800000001', null],
      ['duplicate', '+8613800000001', null],
      ['candidate', '+8613800000002', null],
      ['invalid', null, 'landline'],
      ['invalid', null, 'length'],
      ['invalid', null, 'letters'],
    ]);
    expect(screened[1]).toMatchObject({ duplicateOf: 0 });
  });

  it('sends marketing to members only (Art.8 §4): a number without member: true is not a candidate', () => {
    const screened = screenRecipients([{ number: '13800000001', member: true }, { number: '13800000002', member: false }, { number: '13800000003' }, '13800000004'], 'marketing');
    expect(screened.map((s) => s.outcome)).toEqual(['candidate', 'not_member', 'not_member', 'not_member']);
    expect(screenRecipients(['13800000004'], 'notification')[0]!.outcome).toBe('candidate');
  });
});

describe('frequency caps', () => {
  const caps = { perHour: 5 };
  it('refuses the same content again within the window, and more than five messages an hour', () => {
    expect(applyFrequencyCap('notification', undefined, caps)).toEqual({ outcome: 'ok' });
    expect(applyFrequencyCap('notification', { sameContentRecent: true, lastHour: 1 }, caps)).toEqual({ outcome: 'rejected', reason: 'frequency_cap_same_content' });
    expect(applyFrequencyCap('marketing', { sameContentRecent: false, lastHour: 4 }, caps)).toEqual({ outcome: 'ok' });
    expect(applyFrequencyCap('marketing', { sameContentRecent: false, lastHour: 5 }, caps)).toEqual({ outcome: 'rejected', reason: 'frequency_cap_hourly' });
  });

  it('does not cap alerts but collapses an identical one sent moments ago', () => {
    expect(applyFrequencyCap('alert', { sameContentRecent: false, lastHour: 50 }, caps)).toEqual({ outcome: 'ok' });
    expect(applyFrequencyCap('alert', { sameContentRecent: true, lastHour: 0 }, caps)).toEqual({ outcome: 'duplicate' });
  });
});

describe('quota fit', () => {
  it('takes a batch that fits, refuses one that does not with the numbers, or takes what fits when partial sending is allowed', () => {
    expect(fitQuota({ messages: 3, partsPerMessage: 2, remainingParts: 6, allowPartial: false })).toEqual({ outcome: 'fits', accepted: 3, parts: 6 });
    expect(fitQuota({ messages: 4, partsPerMessage: 2, remainingParts: 7, allowPartial: false })).toEqual({ outcome: 'refused', requestedParts: 8, remainingParts: 7 });
    expect(fitQuota({ messages: 4, partsPerMessage: 2, remainingParts: 7, allowPartial: true })).toEqual({ outcome: 'partial', accepted: 3, parts: 6, left: 1 });
    expect(fitQuota({ messages: 1, partsPerMessage: 1, remainingParts: -3, allowPartial: false })).toEqual({ outcome: 'refused', requestedParts: 1, remainingParts: 0 });
  });
});

describe('derived references', () => {
  it('gives a message the same concatenation reference every time, and each part its own reference', () => {
    const id = 'sms-6f1c0a52-1b7e-4d1f-9a55-0b3c2f1d9e77-0123456789abcdef0123:17';
    expect(concatReferenceOf(id)).toBe(concatReferenceOf(id));
    expect(concatReferenceOf(id)).toBeGreaterThanOrEqual(0);
    expect(concatReferenceOf(id)).toBeLessThan(256);
    const spread = new Set(Array.from({ length: 1000 }, (_, i) => concatReferenceOf(`sub:${i}`)));
    expect(spread.size).toBeGreaterThan(200);
    expect(partRefOf('sms-x', 17, 2)).toBe('sms-x:17:2');
  });

  it('lets receipts gather 2 s at first, then a twentieth of the time since sending, at most an hour', () => {
    expect(receiptSettleMs(0)).toBe(2_000);
    expect(receiptSettleMs(3_600_000)).toBe(180_000);
    expect(receiptSettleMs(72 * 3_600_000)).toBe(3_600_000);
  });
});

describe('the end of the sending window', () => {
  it('is the window end clock on the Asia/Shanghai day of the instant, or none with the permit', () => {
    expect(windowEndsAt(new Date('2026-05-14T13:59:00Z'), { start: '08:00', end: '22:00' })?.toISOString()).toBe('2026-05-14T14:00:00.000Z');
    expect(windowEndsAt(new Date('2026-05-14T01:00:00Z'), { start: '09:00', end: '20:00' })?.toISOString()).toBe('2026-05-14T12:00:00.000Z');
    // 00:30 on the 15th in Shanghai is still the 14th in UTC
    expect(windowEndsAt(new Date('2026-05-14T16:30:00Z'), { start: '08:00', end: '24:00' })?.toISOString()).toBe('2026-05-15T16:00:00.000Z');
    expect(windowEndsAt(new Date(), null)).toBeNull();
  });
});
