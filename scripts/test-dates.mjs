#!/usr/bin/env node
// The date-sensitive suites, run as if the day were another: the next
// Thursday (day 30 of a payment period started then falls on a Saturday) and
// the next 31 December late in the evening (deadlines cross into January and
// the New Year holiday). The tests and a Postgres of the run's own (embedded,
// started under the same clock) see the shifted clock through libfaketime
// (Debian's `faketime`); the time-skipping Temporal server, which would run
// many times slower under it, starts without it and is skipped ahead to that
// clock by the test harness (test/support/harness.ts). A test that depends on the day or hour it runs
// fails here.
import { spawnSync } from 'node:child_process';

const SUITES = [
  'test/workflows/payment-deadline.test.ts',
  'test/workflows/legal-breach.test.ts',
  'test/workflows/renewal.test.ts',
  'test/api/contract-signing.test.ts',
  'test/api/sms-windows.test.ts',
];

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The next instant after `now` that is the given weekday (0 = Sunday) at HH:00 in Asia/Shanghai. */
function nextWeekdayAt(now, weekday, hour) {
  const local = new Date(now + SHANGHAI_MS);
  let target = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour) - SHANGHAI_MS;
  while (target <= now || new Date(target + SHANGHAI_MS).getUTCDay() !== weekday) target += DAY_MS;
  return target;
}

/** The next 31 December at HH:00 in Asia/Shanghai after `now`. */
function nextNewYearsEveAt(now, hour) {
  const year = new Date(now + SHANGHAI_MS).getUTCFullYear();
  const thisYear = Date.UTC(year, 11, 31, hour) - SHANGHAI_MS;
  return thisYear > now ? thisYear : Date.UTC(year + 1, 11, 31, hour) - SHANGHAI_MS;
}

const now = Date.now();
const days = [
  { name: 'a Thursday, 15:00 Beijing time', at: nextWeekdayAt(now, 4, 15) },
  { name: '31 December, 22:00 Beijing time', at: nextNewYearsEveAt(now, 22) },
];

for (const day of days) {
  const offsetSeconds = Math.round((day.at - Date.now()) / 1000);
  console.log(`[test-dates] as if on ${day.name}: ${new Date(day.at).toISOString()} (clock +${offsetSeconds} s)`);
  const run = spawnSync('faketime', ['-f', `+${offsetSeconds}`, 'npx', 'vitest', 'run', ...SUITES], {
    stdio: 'inherit',
    // timers and timeouts keep the real monotonic clock; only the date moves
    env: { ...process.env, FAKETIME_DONT_FAKE_MONOTONIC: '1', TEST_POSTGRES: 'embedded' },
  });
  if (run.status !== 0) {
    console.error(`[test-dates] the date-sensitive suites failed as if on ${day.name}`);
    process.exit(run.status ?? 1);
  }
}
console.log(`[test-dates] the date-sensitive suites pass on ${days.map((d) => d.name).join(' and on ')}`);
