/**
 * Measuring helpers: percentiles, a closed-loop and an open-loop load
 * generator, and a sampler of how busy the machine is.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The q-quantile (0..1) of the samples, nearest-rank. */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function mean(samples: number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type ClosedLoopResult = { completed: number; failed: number; seconds: number; perSecond: number; latenciesMs: number[]; firstError?: string };

/**
 * `concurrency` loops each running `op` back to back until `durationMs` has
 * passed (ops in flight at the end are awaited and counted).
 */
export async function closedLoop(op: (i: number) => Promise<void>, options: { concurrency: number; durationMs: number }): Promise<ClosedLoopResult> {
  let next = 0;
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const latenciesMs: number[] = [];
  const started = performance.now();
  const until = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < until) {
        const i = next++;
        const t = performance.now();
        try {
          await op(i);
          completed += 1;
          latenciesMs.push(performance.now() - t);
        } catch (error) {
          failed += 1;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { completed, failed, seconds, perSecond: completed / seconds, latenciesMs, firstError };
}

export type OpenLoopResult = {
  offeredPerSecond: number;
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  /** how late the generator itself sent, p99 (ms): large values mean the load generator was starved */
  sendLagP99: number;
  firstError?: string;
};

/**
 * Open loop: request i is due at start + i / rate whatever happened to the
 * earlier ones; its latency counts from when it was due, so a stalled server
 * cannot hide behind a slowed generator (no coordinated omission).
 */
export async function openLoop(op: (i: number) => Promise<void>, options: { perSecond: number; durationMs: number }): Promise<OpenLoopResult> {
  const total = Math.round((options.perSecond * options.durationMs) / 1000);
  const interval = 1000 / options.perSecond;
  const latencies: number[] = [];
  const lags: number[] = [];
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    lags.push(Math.max(0, performance.now() - due));
    inFlight.push(
      op(i).then(
        () => {
          ok += 1;
          latencies.push(performance.now() - due);
        },
        (error: unknown) => {
          failed += 1;
          latencies.push(performance.now() - due);
          firstError ??= (error as Error).message;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return {
    offeredPerSecond: options.perSecond,
    sent: total,
    ok,
    failed,
    seconds: (performance.now() - started) / 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: Math.max(...latencies),
    sendLagP99: percentile(lags, 0.99),
    firstError,
  };
}

/** Times `fn` over `runs` runs (after `warmup` unmeasured ones); ms per run. */
export async function timeRuns(fn: (i: number) => Promise<unknown> | unknown, options: { runs: number; warmup?: number; maxMs?: number }): Promise<number[]> {
  for (let i = 0; i < (options.warmup ?? 0); i++) await fn(-1 - i);
  const samples: number[] = [];
  const until = performance.now() + (options.maxMs ?? Number.POSITIVE_INFINITY);
  for (let i = 0; i < options.runs && (i < 20 || performance.now() < until); i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return samples;
}

/** Total CPU time counters of the machine (all cores), from /proc/stat. */
function cpuTimes(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

export type MachineLoad = { loadAvg1: number[]; cpuBusyPercent: number | null };

/** Samples the 1-minute load average every few seconds, and the machine's CPU use over the whole span. */
export function startLoadSampler(everyMs = 5_000): { stop: () => MachineLoad } {
  const samples: number[] = [loadavg()[0]!];
  const first = cpuTimes();
  const timer = setInterval(() => samples.push(loadavg()[0]!), everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(loadavg()[0]!);
      const last = cpuTimes();
      const cpuBusyPercent = first && last && last.total > first.total ? (100 * (last.busy - first.busy)) / (last.total - first.total) : null;
      return { loadAvg1: samples, cpuBusyPercent };
    },
  };
}
