/**
 * (6) N contracts waiting on durable timers: how long until all N are started
 * and waiting, and the worker's resident memory then.
 *
 * What runs: the real `contractLifecycle` workflow on a fresh worker process
 * (bench/worker-process.ts: worker/main.ts's createWorker with the real
 * activities), for N contract rows inserted directly in Postgres (not through
 * the API), each with its contract document row already stored (a 9-byte
 * placeholder), so the `produceDocument` activity finds it and does not
 * render a PDF: rendering 10,000 contracts would add ~10 min of CPU (≈ 56 ms
 * each) to a section that is slow enough already, and is measured in (4). Every other step is the product's: the
 * start, `loadHolidayOverrides`, `produceDocument` (lookup), the Civil Code
 * signing deadline, `syncDeadlines` (the read-model row), then the wait on the
 * first signing-reminder timer (23 days ahead).
 *
 * The worker's workflow cache is set to `maxCachedWorkflows` (default: the
 * product's, WORKER_MAX_CACHED_WORKFLOWS): past it, workflows are evicted and
 * replayed from history when their timer fires.
 *
 * Baseline: the same N bare timer workflows (`noop` with `timerMs`) on a
 * fresh worker that bundles workflows/noop.ts only (the SDK's own floor),
 * same cache size.
 *
 * "All started and waiting": the server's own counter of StartTimer commands
 * (its Prometheus endpoint) has grown by N: one timer per workflow (the
 * lifecycle's first signing reminder, the noop's sleep). For the lifecycles
 * the signing deadline rows are counted too, as a check.
 */
import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import { REFERENCE_TERMS } from '../domain/terms';
import type { ContractLifecycleInput, contractLifecycle } from '../workflows/contract-lifecycle';
import type { noop } from '../workflows/noop';
import { cpuSecondsOf, say, type ServiceProcess } from './env';
import { row, type Row } from './report';
import type { Stack } from './stack';
import { sleep } from './stats';

const MiB = 1024 * 1024;

/**
 * The server's StartTimer counter, scraped twice a second by one loop (a
 * scrape of the dev server's /metrics is ~450 KB and ~30 ms of its CPU, so it
 * is not polled any faster).
 */
function timerWatch(stack: Stack, base: number): { reached: () => number; stop: () => void; changed: () => Promise<void> } {
  let reached = 0;
  let stopped = false;
  let wake: (() => void)[] = [];
  void (async () => {
    while (!stopped) {
      reached = (await startedTimers(stack).catch(() => base + reached)) - base;
      const waiting = wake;
      wake = [];
      for (const w of waiting) w();
      await sleep(500);
    }
  })();
  return {
    reached: () => reached,
    stop: () => {
      stopped = true;
    },
    changed: () => new Promise<void>((r) => wake.push(r)),
  };
}

/**
 * Starts `count` workflows with `concurrency` start calls in flight, holding
 * back while more than `maxWaiting` started workflows have not reached their
 * timer yet (so a burst does not outgrow the worker's cache: an evicted
 * workflow is replayed at its next task); seconds taken by the start calls.
 */
async function startAll(
  count: number,
  options: { concurrency: number; maxWaiting: number; watch: ReturnType<typeof timerWatch> },
  start: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        while (i - options.watch.reached() >= options.maxWaiting) await options.watch.changed();
        await start(i);
      }
    }),
  );
  return (performance.now() - t) / 1000;
}

/** StartTimer commands the server has recorded so far (its Prometheus counter). */
const startedTimers = (stack: Stack) => stack.server.counter('command', { commandType: 'StartTimer' });

/** Waits until `count` timers were reached; false when it gave up (`timeoutMs`). */
async function untilTimers(watch: ReturnType<typeof timerWatch>, count: number, worker: ServiceProcess, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  let lastReport = performance.now();
  while (performance.now() < until) {
    if (watch.reached() >= count) return true;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      say(`    ${count - watch.reached()} still to start; worker RSS ${(worker.rssBytes() / MiB).toFixed(0)} MiB`);
    }
    await watch.changed();
  }
  say(`    gave up waiting after ${timeoutMs / 1000} s`);
  return false;
}

/** RSS after the worker has settled: the last of a few samples a second apart. */
async function settledRss(worker: ServiceProcess, seconds = 5): Promise<number> {
  let rss = worker.rssBytes();
  for (let i = 0; i < seconds; i++) {
    await sleep(1_000);
    rss = worker.rssBytes();
  }
  return rss;
}

/** The worker SDK's default workflow cache size for this process's heap limit (worker-options.js, reuseV8Context). */
export function defaultMaxCachedWorkflows(): number {
  const heapMiB = v8.getHeapStatistics().heap_size_limit / MiB;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

export type TimersOptions = { count: number; concurrency: number; maxWaiting: number; maxCachedWorkflows: number | 'default'; timeoutMs: number };

type Variant = { idleRss: number; rss: number; seconds: number; startCallSeconds: number; workerCpuSeconds: number; serverCpuSeconds: number; complete: boolean };

async function runVariant(
  stack: Stack,
  options: TimersOptions,
  name: string,
  workerEnv: Record<string, string>,
  start: (queue: string, i: number) => Promise<unknown>,
): Promise<Variant> {
  const queue = `${stack.taskQueue}-${name}`;
  const worker = await stack.spawnWorker(`worker-${name}`, queue, { script: 'bench/worker-process.ts', env: workerEnv });
  try {
    const idleRss = await settledRss(worker, 3);
    const watch = timerWatch(stack, await startedTimers(stack));
    const cpu0 = cpuSecondsOf(worker.pid);
    const serverCpu0 = stack.server.pid ? cpuSecondsOf(stack.server.pid) : 0;
    const t0 = performance.now();
    const startCallSeconds = await startAll(options.count, { concurrency: options.concurrency, maxWaiting: options.maxWaiting, watch }, (i) => start(queue, i));
    const complete = await untilTimers(watch, options.count, worker, options.timeoutMs);
    watch.stop();
    const seconds = (performance.now() - t0) / 1000;
    const workerCpuSeconds = cpuSecondsOf(worker.pid) - cpu0;
    const serverCpuSeconds = stack.server.pid ? cpuSecondsOf(stack.server.pid) - serverCpu0 : Number.NaN;
    const rss = await settledRss(worker);
    say(`    ${complete ? 'all' : 'NOT all'} waiting after ${seconds.toFixed(1)} s (start calls ${startCallSeconds.toFixed(1)} s); worker RSS ${(idleRss / MiB).toFixed(0)} → ${(rss / MiB).toFixed(0)} MiB`);
    return { idleRss, rss, seconds, startCallSeconds, workerCpuSeconds, serverCpuSeconds, complete };
  } finally {
    await worker.stop(2_000);
  }
}

export async function benchTimers(stack: Stack, options: TimersOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const { count } = options;
  const cacheEnv: Record<string, string> = options.maxCachedWorkflows === 'default' ? {} : { BENCH_MAX_CACHED_WORKFLOWS: String(options.maxCachedWorkflows) };
  const cache = options.maxCachedWorkflows === 'default' ? defaultMaxCachedWorkflows() : options.maxCachedWorkflows;
  const timerMs = 30 * 86_400_000;

  say(`(6) ${count} bare timer workflows on a fresh worker bundling workflows/noop.ts only`);
  const bare = await runVariant(stack, options, 'timers-bare', { ...cacheEnv, BENCH_WORKFLOWS_PATH: 'workflows/noop.ts' }, (queue, i) =>
    stack.env.client.workflow.start<typeof noop>('noop', { taskQueue: queue, workflowId: `bench-timer-${i}`, args: [{ timerMs }] }),
  );

  say(`(6) ${count} contract lifecycles (rows pre-inserted, contract PDF pre-stored) on a fresh worker`);
  const placeholder = Buffer.from('%PDF-stub');
  const { rows: contracts } = await stack.database.db.query<{ id: string; number: string; created_at: Date }>(
    `WITH ids AS (SELECT gen_random_uuid()::text AS id, g FROM generate_series(1, $1::int) g)
     INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, workflow_id, workflow_started_at)
     SELECT id, 'SMS-TIMERS-' || lpad(g::text, 6, '0'), 'bench-sales', 'awaiting_signatures', $2::jsonb, $3, $4, 'contract-' || id, now() FROM ids
     RETURNING id, number, created_at`,
    [count, JSON.stringify(REFERENCE_TERMS), REFERENCE_TERMS.partyA.name, REFERENCE_TERMS.partyB.name],
  );
  await stack.database.db.query(
    `INSERT INTO documents (id, contract_id, kind, title, sha256, size_bytes, content)
     SELECT id || ':contract:1', id, 'contract', '产品服务合同', $1, $2, $3 FROM contracts WHERE number LIKE 'SMS-TIMERS-%'`,
    [createHash('sha256').update(placeholder).digest('hex'), placeholder.length, placeholder],
  );
  const lifecycle = await runVariant(stack, options, 'timers-lifecycle', cacheEnv, (queue, i) => {
    const c = contracts[i]!;
    const input: ContractLifecycleInput = { contractId: c.id, number: c.number, ownerId: 'bench-sales', createdAt: c.created_at.toISOString(), terms: REFERENCE_TERMS };
    return stack.env.client.workflow.start<typeof contractLifecycle>('contractLifecycle', {
      taskQueue: queue,
      workflowId: `contract-${c.id}`,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  });
  const { rows: waitingRows } = await stack.database.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM deadlines d JOIN contracts c ON c.id = d.contract_id
      WHERE c.number LIKE 'SMS-TIMERS-%' AND d.kind = 'signing' AND d.status = 'open'`,
  );
  const deadlineRows = waitingRows[0]!.n;

  const cached = Math.min(count, cache);
  const perCached = (v: Variant) => `${((v.rss - v.idleRss) / 1024 / cached).toFixed(0)} KiB`;
  const n = count.toLocaleString('en-US');
  const rows = [
    row({
      id: '6a',
      measure: `worker RSS, ${n} contract lifecycles waiting on timers`,
      value: lifecycle.rss / MiB,
      unit: 'MiB',
      baseline: { measure: `worker RSS, ${n} bare timer workflows (SDK-only bundle)`, value: bare.rss / MiB, unit: 'MiB' },
      target: null,
      note: `maxCachedWorkflows ${cache}${options.maxCachedWorkflows === 'default' ? ' (SDK default)' : ` (SDK default here: ${defaultMaxCachedWorkflows()})`}: ${cached.toLocaleString('en-US')} stay cached, the rest are evicted and replayed when their timer fires; idle worker ${(lifecycle.idleRss / MiB).toFixed(0)} MiB (bare ${(bare.idleRss / MiB).toFixed(0)} MiB); ≈ ${perCached(lifecycle)} per cached lifecycle vs ${perCached(bare)} per cached bare workflow`,
    }),
    row({
      id: '6b',
      measure: `time until all ${n} lifecycles are started and waiting`,
      value: lifecycle.complete ? lifecycle.seconds : null,
      unit: 's',
      baseline: { measure: `same for ${n} bare timer workflows`, value: bare.seconds, unit: 's' },
      ratio: lifecycle.complete && bare.complete ? lifecycle.seconds / bare.seconds : null,
      target: null,
      note: `${(count / lifecycle.seconds).toFixed(0)}/s vs ${(count / bare.seconds).toFixed(0)}/s, ${options.concurrency} start calls in flight, at most ${options.maxWaiting} started and not yet waiting (the start calls alone: ${lifecycle.startCallSeconds.toFixed(1)} s vs ${bare.startCallSeconds.toFixed(1)} s); per lifecycle 2 workflow tasks, 1 activity and 2 local activities vs 1 workflow task; CPU worker ${lifecycle.workerCpuSeconds.toFixed(0)} s vs ${bare.workerCpuSeconds.toFixed(0)} s, Temporal server ${lifecycle.serverCpuSeconds.toFixed(0)} s vs ${bare.serverCpuSeconds.toFixed(0)} s; ${deadlineRows.toLocaleString('en-US')} signing deadline rows${lifecycle.complete ? '' : `; NOT all waiting after ${options.timeoutMs / 1000} s`}`,
    }),
  ];
  return { rows, raw: { count, concurrency: options.concurrency, maxWaiting: options.maxWaiting, maxCachedWorkflows: cache, sdkDefaultMaxCachedWorkflows: defaultMaxCachedWorkflows(), bare, lifecycle, deadlineRows } };
}
