import { describe, expect, it } from 'vitest';
import { lapsedBeforeKnown, reminderStillDue, servedAt, supersededAt } from '../../domain/catch-up';

const H = 3_600_000;

describe('moments that passed while nobody acted', () => {
  // three reminders at 10:00, 11:00 and 12:00 (as hours), a due instant at 13:00
  const reminders = [10 * H, 11 * H, 12 * H];

  it('acts on a moment on time when the next one is still ahead', () => {
    expect(supersededAt(reminders, 0, 10 * H)).toBe(false);
    expect(supersededAt(reminders, 1, 11 * H + 1)).toBe(false);
  });

  it('skips every missed moment but the last when woken late', () => {
    // woken at 11:30: the 10:00 one is superseded by 11:00, which is taken
    expect([0, 1, 2].map((i) => supersededAt(reminders, i, 11.5 * H))).toEqual([true, false, false]);
    // woken at 12:30: only 12:00 is taken
    expect([0, 1, 2].map((i) => supersededAt(reminders, i, 12.5 * H))).toEqual([true, true, false]);
  });

  it('sends no reminder before a due instant that has already passed', () => {
    expect(reminderStillDue(reminders, 2, 13 * H, 12.5 * H)).toBe(true);
    expect(reminderStillDue(reminders, 2, 13 * H, 13 * H)).toBe(false);
    expect(reminderStillDue(reminders, 0, 13 * H, 11.5 * H)).toBe(false);
  });

  it('knows a lapse before the contract entered the system, and none when it is unknown', () => {
    expect(lapsedBeforeKnown('2025-07-10T16:00:00.000Z', '2026-12-10T02:00:00.000Z')).toBe(true);
    expect(lapsedBeforeKnown('2027-01-10T16:00:00.000Z', '2026-12-10T02:00:00.000Z')).toBe(false);
    expect(lapsedBeforeKnown('2025-07-10T16:00:00.000Z', undefined)).toBe(false);
  });

  it('serves a late notice when it is sent', () => {
    expect(servedAt(10 * H, 12 * H)).toBe(12 * H);
    expect(servedAt(10 * H, 10 * H)).toBe(10 * H);
  });
});
