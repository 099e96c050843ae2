/**
 * (1) Contracts created per second end-to-end through the API, against bare
 * no-op workflow starts on the same server and worker; (2) API latency under
 * a fixed open-loop load, against GET /healthz on the same process.
 */
import { cpuSecondsOf, say } from './env';
import { row, type Row } from './report';
import type { Stack } from './stack';
import { closedLoop, openLoop, percentile, sleep, type OpenLoopResult } from './stats';

export type StartsOptions = { concurrency: number; durationMs: number };

export type StartsResult = { rows: Row[]; contractIds: string[]; bareStartsPerSecond: number; raw: Record<string, unknown> };

/** Waits until every contract's PDF has been rendered (the worker's backlog is empty); seconds waited. */
async function drainDocuments(stack: Stack, timeoutMs: number): Promise<{ seconds: number; pending: number }> {
  const t = performance.now();
  for (;;) {
    const { rows } = await stack.database.db.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM contracts c
        WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.contract_id = c.id AND d.kind = 'contract')`,
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
      target: '≥ 0.5× baseline',
      check: ({ ratio }) => ratio !== null && ratio >= 0.5,
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

export type LatencyOptions = { perSecond: number; durationMs: number };

export async function benchLatency(stack: Stack, contractIds: string[], options: LatencyOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const auth = { authorization: `Bearer ${stack.salesToken}` };
  const expect = async (res: Response, status: number, what: string) => {
    const text = await res.text();
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${text.slice(0, 200)}`);
    return text;
  };
  let live = 0;
  let readModel = 0;
  /** CPU cores each process used during a run (API, worker, Temporal server) */
  const cores: Record<string, { api: number; worker: number; temporal: number }> = {};
  const run = async (what: string, op: (i: number) => Promise<void>): Promise<OpenLoopResult> => {
    say(`(2) ${what}: ${options.perSecond}/s open loop for ${options.durationMs / 1000} s`);
    const pids = { api: stack.api.pid, worker: stack.worker.pid, temporal: stack.server.pid ?? 0 };
    const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf(pid)]));
    const result = await openLoop(op, options);
    const used = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, Math.max(0, cpuSecondsOf(pid) - before[k]!) / result.seconds])) as (typeof cores)[string];
    cores[what] = used;
    if (result.failed > 0) say(`    ${result.failed} failed: ${result.firstError}`);
    say(`    p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; cores used: API ${used.api.toFixed(2)}, worker ${used.worker.toFixed(2)}, Temporal ${used.temporal.toFixed(2)}`);
    await sleep(1_000);
    return result;
  };
  const coresNote = (what: string) => {
    const c = cores[what];
    return c ? `cores used: API ${c.api.toFixed(2)}, worker ${c.worker.toFixed(2)}, Temporal server ${c.temporal.toFixed(2)}` : '';
  };

  const health = await run('GET /healthz', async () => {
    await expect(await fetch(`${stack.apiBase}/healthz`), 200, 'GET /healthz');
  });
  const read = await run('GET /api/contracts/:id', async (i) => {
    const id = contractIds[i % contractIds.length]!;
    const text = await expect(await fetch(`${stack.apiBase}/api/contracts/${id}`, { headers: auth }), 200, 'GET /api/contracts/:id');
    if ((JSON.parse(text) as { deadlinesSource: string }).deadlinesSource === 'workflow') live += 1;
    else readModel += 1;
  });
  // the live query alone, from a client beside the API: Temporal → the worker's workflow thread → back
  const query = await run('workflow query alone', async (i) => {
    await stack.awaitLifecycleQuery(contractIds[i % contractIds.length]!);
  });
  const create = await run('POST /api/contracts', async () => {
    await stack.createContract();
  });
  // the API's own path, without the worker competing for the CPU (its workflows wait for a worker that is gone)
  await stack.worker.stop(2_000);
  const createAlone = await run('POST /api/contracts with the worker stopped', async () => {
    await stack.createContract();
  });

  const baseline = { measure: 'GET /healthz p99, same process and load', value: health.p99, unit: 'ms' };
  const errors = (r: OpenLoopResult) => (r.failed ? `; ${r.failed} of ${r.sent} failed (${r.firstError})` : '');
  const rows = [
    row({
      id: '2a',
      measure: 'GET /api/contracts/:id p50 (live workflow query)',
      value: read.p50,
      unit: 'ms',
      baseline: { measure: 'GET /healthz p50', value: health.p50, unit: 'ms' },
      target: null,
    }),
    row({
      id: '2b',
      measure: 'GET /api/contracts/:id p99 (live workflow query)',
      value: read.p99,
      unit: 'ms',
      baseline,
      target: '< 50 ms',
      check: ({ value }) => value < 50 && read.failed === 0,
      note: `${options.perSecond}/s for ${options.durationMs / 1000} s over ${Math.min(contractIds.length, read.sent)} contracts; ${live} answered live by the workflow, ${readModel} from the read model${errors(read)}; ${coresNote('GET /api/contracts/:id')} (healthz: ${coresNote('GET /healthz')})`,
    }),
    row({
      id: '2f',
      measure: 'the workflow query alone (getContractStateQuery) p99 (diagnostic)',
      value: query.p99,
      unit: 'ms',
      baseline,
      target: null,
      note: `same contracts and rate, from a Temporal client beside the API: the part of a read that goes through Temporal to the worker; p50 ${query.p50.toFixed(1)} ms; ${coresNote('workflow query alone')}`,
    }),
    row({
      id: '2c',
      measure: 'POST /api/contracts p50',
      value: create.p50,
      unit: 'ms',
      baseline: { measure: 'GET /healthz p50', value: health.p50, unit: 'ms' },
      target: null,
    }),
    row({
      id: '2d',
      measure: 'POST /api/contracts p99',
      value: create.p99,
      unit: 'ms',
      baseline,
      target: '< 150 ms',
      check: ({ value }) => value < 150 && create.failed === 0,
      note: `${options.perSecond}/s for ${options.durationMs / 1000} s (each one also queues a contract PDF in the worker's render process)${errors(create)}; ${coresNote('POST /api/contracts')}; generator send lag p99 ${Math.max(health.sendLagP99, read.sendLagP99, create.sendLagP99).toFixed(1)} ms`,
    }),
    row({
      id: '2e',
      measure: 'POST /api/contracts p99, worker stopped (diagnostic: the API path alone)',
      value: createAlone.p99,
      unit: 'ms',
      baseline,
      target: null,
      note: `the same load with no worker running: Postgres writes and the workflow start only, nothing rendered; p50 ${createAlone.p50.toFixed(1)} ms${errors(createAlone)}; ${coresNote('POST /api/contracts with the worker stopped')}`,
    }),
  ];
  return { rows, raw: { health, read: { ...read, live, readModel }, query, create, createAlone, cores } };
}
