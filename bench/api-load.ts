/**
 * (1) Contracts created per second end-to-end through the API, against bare
 * no-op workflow starts on the same server and worker; (2) API latency under
 * a fixed open-loop load, against GET /healthz on the same process.
 */
import { withActorAssertions } from '../platform/temporal';
import { noopTouchUpdate, type noop } from '../workflows/noop';
import { benchActorAssertionKey, cpuSecondsOf, say } from './env';
import { collectServerTiming, resetServerTimings, serverTimingNote, serverTimingRaw } from './server-timing';
import { row, type Row } from './report';
import type { Stack } from './stack';
import { closedLoop, openLoop, percentile, sleep, type OpenLoopResult } from './stats';

export type StartsOptions = { concurrency: number; durationMs: number };

export type StartsResult = { rows: Row[]; contractIds: string[]; bareStartsPerSecond: number; raw: Record<string, unknown> };

/** Waits until every contract's PDF, and every active contract's signed PDF, has been rendered (the worker's backlog is empty); seconds waited. */
async function drainDocuments(stack: Stack, timeoutMs: number): Promise<{ seconds: number; pending: number }> {
  const t = performance.now();
  for (;;) {
    const { rows } = await stack.database.db.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM contracts c
        WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.contract_id = c.id AND d.kind = 'contract')
           OR (c.status = 'active' AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.contract_id = c.id AND d.kind = 'signed_contract'))`,
    );
    const pending = rows[0]!.pending;
    if (pending === 0 || performance.now() - t > timeoutMs) return { seconds: (performance.now() - t) / 1000, pending };
    await sleep(250);
  }
}

export async function benchStarts(stack: Stack, options: StartsOptions): Promise<StartsResult> {
  // warm-up: the worker's workflow context, the API's pools and the worker's fonts (first render)
  for (let i = 0; i < 20; i++) await stack.runNoop(`bench-noop-warm-${i}`);
  for (let i = 0; i < 3; i++) await stack.awaitLifecycleQuery(await stack.createContract());
  await drainDocuments(stack, 60_000);

  say(`(1) bare no-op starts, ${options.concurrency} in flight, ${options.durationMs / 1000} s`);
  const bare = await closedLoop((i) => stack.runNoop(`bench-noop-${i}`), options);
  if (bare.failed > 0) say(`    ${bare.failed} no-op runs failed: ${bare.firstError}`);

  say(`(1) contracts through the API, ${options.concurrency} in flight, ${options.durationMs / 1000} s`);
  const contractIds: string[] = [];
  const created = await closedLoop(async () => {
    const id = await stack.createContract();
    contractIds.push(id);
    await stack.awaitLifecycleQuery(id);
  }, options);
  if (created.failed > 0) say(`    ${created.failed} creations failed: ${created.firstError}`);
  const drain = await drainDocuments(stack, 120_000);
  say(`    worker backlog (contract PDFs) drained ${drain.seconds.toFixed(1)} s after the window${drain.pending ? `; ${drain.pending} still pending` : ''}`);

  // diagnostic: the same no-op on a worker whose bundle holds workflows/noop.ts only (no project modules to instantiate per workflow)
  say(`(1) bare no-op starts on a worker bundling workflows/noop.ts only`);
  const sdkQueue = `${stack.taskQueue}-sdk-only`;
  const sdkWorker = await stack.spawnWorker('worker-sdk-only', sdkQueue, { script: 'bench/worker-process.ts', env: { BENCH_WORKFLOWS_PATH: 'workflows/noop.ts' } });
  for (let i = 0; i < 20; i++) await stack.env.client.workflow.execute('noop', { taskQueue: sdkQueue, workflowId: `bench-noop-sdk-warm-${i}`, args: [{}] });
  const sdkOnly = await closedLoop((i) => stack.env.client.workflow.execute('noop', { taskQueue: sdkQueue, workflowId: `bench-noop-sdk-${i}`, args: [{}] }), options);
  await sdkWorker.stop(2_000);

  const rows = [
    row({
      id: '1',
      measure: 'contracts created/s (HTTP → Postgres → workflow started, first task done)',
      value: created.perSecond,
      unit: '/s',
      baseline: { measure: 'bare no-op workflow starts/s, same server and worker', value: bare.perSecond, unit: '/s' },
      target: '≥ 0.7× baseline',
      check: ({ ratio }) => ratio !== null && ratio >= 0.7,
      note: `closed loop, ${options.concurrency} in flight for ${options.durationMs / 1000} s; ${created.completed} contracts (p50 ${percentile(created.latenciesMs, 0.5).toFixed(0)} ms, p99 ${percentile(created.latenciesMs, 0.99).toFixed(0)} ms each) vs ${bare.completed} no-ops (p50 ${percentile(bare.latenciesMs, 0.5).toFixed(0)} ms); the contract PDFs queued behind them took ${drain.seconds.toFixed(1)} s more to render`,
    }),
    row({
      id: '1b',
      measure: 'bare no-op starts/s, product worker (diagnostic)',
      value: bare.perSecond,
      unit: '/s',
      baseline: { measure: 'same on a worker bundling workflows/noop.ts only', value: sdkOnly.perSecond, unit: '/s' },
      target: null,
      note: `what the product bundle costs a new workflow beyond the SDK's own (its workflow modules; the domain modules are shared: workflows/shared-modules.ts); no-op p50 ${percentile(sdkOnly.latenciesMs, 0.5).toFixed(0)} ms there`,
    }),
  ];
  return {
    rows,
    contractIds,
    bareStartsPerSecond: bare.perSecond,
    raw: {
      bare: { ...bare, latenciesMs: undefined, p50: percentile(bare.latenciesMs, 0.5), p99: percentile(bare.latenciesMs, 0.99) },
      bareSdkOnlyBundle: { ...sdkOnly, latenciesMs: undefined, p50: percentile(sdkOnly.latenciesMs, 0.5), p99: percentile(sdkOnly.latenciesMs, 0.99) },
      created: { ...created, latenciesMs: undefined, p50: percentile(created.latenciesMs, 0.5), p99: percentile(created.latenciesMs, 0.99) },
      pdfBacklogDrainSeconds: drain.seconds,
    },
  };
}

export type LatencyOptions = { perSecond: number; signPerSecond: number; durationMs: number; runs: number };

/** One route's open-loop runs: every run's figures, and the spread the table reports. */
type Runs = { runs: OpenLoopResult[]; p50: number; p99Worst: number; p99s: number[]; failed: number; firstError?: string };

const runsOf = (runs: OpenLoopResult[]): Runs => ({
  runs,
  p50: percentile(
    runs.map((r) => r.p50),
    0.5,
  ),
  p99Worst: Math.max(...runs.map((r) => r.p99)),
  p99s: runs.map((r) => r.p99),
  failed: runs.reduce((n, r) => n + r.failed, 0),
  firstError: runs.find((r) => r.firstError)?.firstError,
});

const spread = (r: Runs) => `p99 per run ${r.p99s.map((v) => v.toFixed(1)).join(', ')} ms`;

/**
 * (2) Each route at a fixed offered rate, `runs` times over, one route at a
 * time, in rounds (healthz, read, create, sign, bare update): every latency
 * row is the worst p99 of its runs, beside the same statistic of its
 * baseline, with every run's figure in the note.
 */
export async function benchLatency(stack: Stack, contractIds: string[], options: LatencyOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const auth = { authorization: `Bearer ${stack.salesToken}` };
  const expect = async (res: Response, status: number, what: string) => {
    const text = await res.text();
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${text.slice(0, 200)}`);
    return text;
  };
  let live = 0;
  let readModel = 0;
  /** CPU cores each process used during a route's runs (API, worker, Temporal server), summed over runs then averaged */
  const cores: Record<string, { api: number; worker: number; temporal: number; seconds: number }> = {};
  const run = async (what: string, op: (i: number) => Promise<void>, perSecond = options.perSecond): Promise<OpenLoopResult> => {
    // each route on its own: what the previous one set going (the contract PDFs of a creation run, an activation's documents) finishes first
    const drained = await drainDocuments(stack, 120_000);
    if (drained.seconds > 1) say(`    (waited ${drained.seconds.toFixed(1)} s for the worker's document backlog)`);
    say(`(2) ${what}: ${perSecond}/s open loop for ${options.durationMs / 1000} s`);
    const pids = { api: stack.api.pid, worker: stack.worker.pid, temporal: stack.server.pid ?? 0 };
    const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf(pid)]));
    const result = await openLoop(op, { perSecond, durationMs: options.durationMs });
    const used = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, Math.max(0, cpuSecondsOf(pid) - before[k]!)])) as { api: number; worker: number; temporal: number };
    const total = (cores[what] ??= { api: 0, worker: 0, temporal: 0, seconds: 0 });
    total.api += used.api;
    total.worker += used.worker;
    total.temporal += used.temporal;
    total.seconds += result.seconds;
    if (result.failed > 0) say(`    ${result.failed} failed: ${result.firstError}`);
    const per = (x: number) => (x / result.seconds).toFixed(2);
    say(`    p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; cores used: API ${per(used.api)}, worker ${per(used.worker)}, Temporal ${per(used.temporal)}`);
    await sleep(1_000);
    return result;
  };
  const coresNote = (what: string) => {
    const c = cores[what];
    return c ? `cores used: API ${(c.api / c.seconds).toFixed(2)}, worker ${(c.worker / c.seconds).toFixed(2)}, Temporal server ${(c.temporal / c.seconds).toFixed(2)}` : '';
  };

  // the baseline of a signature: the cheapest update this server and worker take, on no-op workflows held open, signed as the API signs
  const updater = withActorAssertions(stack.env.client, benchActorAssertionKey());
  const held = await Promise.all(
    Array.from({ length: 20 }, async (_, i) =>
      updater.workflow.start<typeof noop>('noop', { taskQueue: stack.taskQueue, workflowId: `bench-noop-held-${i}-${Date.now()}`, args: [{ timerMs: 3_600_000 }] }),
    ),
  );
  for (const handle of held) await handle.executeUpdate(noopTouchUpdate);

  resetServerTimings();
  const signing = Math.round((options.signPerSecond * options.durationMs) / 1000);
  const results = { health: [] as OpenLoopResult[], read: [] as OpenLoopResult[], create: [] as OpenLoopResult[], sign: [] as OpenLoopResult[], update: [] as OpenLoopResult[] };
  for (let round = 0; round < options.runs; round++) {
    say(`(2) round ${round + 1} of ${options.runs}`);
    results.health.push(
      await run('GET /healthz', async () => {
        await expect(await fetch(`${stack.apiBase}/healthz`), 200, 'GET /healthz');
      }),
    );
    results.read.push(
      await run('GET /api/contracts/:id', async (i) => {
        const id = contractIds[i % contractIds.length]!;
        const res = await fetch(`${stack.apiBase}/api/contracts/${id}`, { headers: auth });
        collectServerTiming('GET /api/contracts/:id', res);
        const text = await expect(res, 200, 'GET /api/contracts/:id');
        if ((JSON.parse(text) as { deadlinesSource: string }).deadlinesSource === 'workflow') live += 1;
        else readModel += 1;
      }),
    );
    const fresh: string[] = [];
    results.create.push(
      await run('POST /api/contracts', async () => {
        fresh.push(await stack.createContract());
      }),
    );
    // each contract of this round's creations signed by A, then (half the window later) by B, which puts it in force
    const toSign = fresh.slice(0, Math.ceil(signing / 2));
    results.sign.push(
      await run(
        'POST /api/contracts/:id/signatures',
        async (i) => {
          const id = toSign[i % toSign.length]!;
          const party = i < toSign.length ? 'A' : 'B';
          const res = await fetch(`${stack.apiBase}/api/contracts/${id}/signatures`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ party, signer: '压测签署人', title: '代表', sealed: true }),
          });
          collectServerTiming('POST /api/contracts/:id/signatures', res);
          await expect(res, 200, 'POST /api/contracts/:id/signatures');
        },
        options.signPerSecond,
      ),
    );
    results.update.push(
      await run(
        'bare workflow update',
        async (i) => {
          await held[i % held.length]!.executeUpdate(noopTouchUpdate);
        },
        options.signPerSecond,
      ),
    );
  }
  const timings = {
    read: serverTimingNote('GET /api/contracts/:id'),
    create: serverTimingNote('POST /api/contracts'),
    sign: serverTimingNote('POST /api/contracts/:id/signatures'),
    raw: serverTimingRaw(),
  };
  // the live query alone, from a client beside the API: Temporal → the worker's workflow thread → back
  const query = await run('workflow query alone', async (i) => {
    await stack.awaitLifecycleQuery(contractIds[i % contractIds.length]!);
  });
  // the API's own path, without the worker competing for the CPU (its workflows wait for a worker that is gone)
  await stack.worker.stop(2_000);
  const createAlone = await run('POST /api/contracts with the worker stopped', async () => {
    await stack.createContract();
  });

  const [health, read, create, sign, update] = [results.health, results.read, results.create, results.sign, results.update].map(runsOf) as [Runs, Runs, Runs, Runs, Runs];
  const n = options.runs;
  const baseline = { measure: `GET /healthz p99, same process and load (worst of ${n} runs)`, value: health.p99Worst, unit: 'ms' };
  const baselineP50 = { measure: `GET /healthz p50 (median of ${n} runs)`, value: health.p50, unit: 'ms' };
  const errors = (r: Runs | OpenLoopResult) => (r.failed ? `; ${r.failed} failed (${r.firstError})` : '');
  const rows = [
    row({ id: '2a', measure: `GET /api/contracts/:id p50 (live workflow query; median of ${n} runs)`, value: read.p50, unit: 'ms', baseline: baselineP50, target: null }),
    row({
      id: '2b',
      measure: `GET /api/contracts/:id p99 (live workflow query; worst of ${n} runs)`,
      value: read.p99Worst,
      unit: 'ms',
      baseline,
      target: '< 30 ms in every run',
      check: ({ value }) => value < 30 && read.failed === 0,
      note: `${options.perSecond}/s for ${options.durationMs / 1000} s per run over ${contractIds.length} contracts; ${spread(read)} (healthz: ${spread(health)}); ${live} answered live by the workflow, ${readModel} from the read model${errors(read)}; ${coresNote('GET /api/contracts/:id')} (healthz: ${coresNote('GET /healthz')}); ${timings.read}`,
    }),
    row({
      id: '2f',
      measure: 'the workflow query alone (getContractStateQuery) p99 (diagnostic)',
      value: query.p99,
      unit: 'ms',
      baseline,
      target: null,
      note: `one run, same contracts and rate, from a Temporal client beside the API: the part of a read that goes through Temporal to the worker; p50 ${query.p50.toFixed(1)} ms; ${coresNote('workflow query alone')}`,
    }),
    row({ id: '2c', measure: `POST /api/contracts p50 (median of ${n} runs)`, value: create.p50, unit: 'ms', baseline: baselineP50, target: null }),
    row({
      id: '2d',
      measure: `POST /api/contracts p99 (worst of ${n} runs)`,
      value: create.p99Worst,
      unit: 'ms',
      baseline,
      target: '< 100 ms',
      check: ({ value }) => value < 100 && create.failed === 0,
      note: `${options.perSecond}/s for ${options.durationMs / 1000} s per run; ${spread(create)}; the workflow starts after the response, each one also queues a contract PDF in the worker's render process${errors(create)}; ${coresNote('POST /api/contracts')}; ${timings.create}`,
    }),
    row({
      id: '2e',
      measure: 'POST /api/contracts p99, worker stopped (diagnostic: the API path alone)',
      value: createAlone.p99,
      unit: 'ms',
      baseline,
      target: null,
      note: `one run, the same load with no worker running: Postgres writes and the workflow start only, nothing rendered; p50 ${createAlone.p50.toFixed(1)} ms${errors(createAlone)}; ${coresNote('POST /api/contracts with the worker stopped')}`,
    }),
    row({ id: '2g', measure: `POST /api/contracts/:id/signatures p50 (median of ${n} runs)`, value: sign.p50, unit: 'ms', baseline: { measure: `bare workflow update p50 (median of ${n} runs)`, value: update.p50, unit: 'ms' }, target: null }),
    row({
      id: '2h',
      measure: `POST /api/contracts/:id/signatures p99 (worst of ${n} runs)`,
      value: sign.p99Worst,
      unit: 'ms',
      baseline: { measure: `bare workflow update p99: no-op workflow, same server, worker and rate (worst of ${n} runs)`, value: update.p99Worst, unit: 'ms' },
      target: '< 200 ms',
      check: ({ value }) => value < 200 && sign.failed === 0,
      note: `${options.signPerSecond}/s for ${options.durationMs / 1000} s per run over the contracts that run created: party A, then party B (which puts the contract in force: invoice, payment workflow, signed PDF); ${spread(sign)} (bare update: ${spread(update)})${errors(sign)}; ${coresNote('POST /api/contracts/:id/signatures')} (bare update: ${coresNote('bare workflow update')}); ${timings.sign}; generator send lag p99 ${Math.max(...[...results.health, ...results.read, ...results.create, ...results.sign].map((r) => r.sendLagP99)).toFixed(1)} ms`,
    }),
  ];
  return { rows, raw: { health, read: { ...read, live, readModel }, query, create, createAlone, sign, update, cores, serverTiming: timings.raw } };
}
