/**
 * `npm run bench`: how fast the system does its job on this machine, every
 * figure beside a baseline measured in the same run. Prints one table (stdout;
 * progress goes to stderr) and writes bench/results.json (gitignored); the
 * plans of (7) go to bench/plans/ (checked in). docs/performance.md explains
 * each figure and what limits it.
 *
 *   (4) contract PDF rendering          in this process
 *   (5) SMS                             bench/sms.ts as a child process (its own dev server, SMSC simulator);
 *                                       bench/sms-lint.ts when that is missing or fails
 *   (7) the contract list query         a database of 100,000 synthetic contracts
 *   (3) the full lifecycle              time-skipping server, worker and API in this process
 *   (11) an "all" outage                time-skipping server, worker and API in this process, 20,000 contracts
 *   (6c) live heap per cached workflow  bench/workflow-memory.ts as a child process (--expose-gc)
 *   (8) a holiday notice's recount      on the same stack as (1) (2), a fresh worker for the payment workflows
 *   (9) a contract book imported        on the same stack, through its API (POST /api/contract-imports)
 *   (1) (2) (6)                         the Temporal dev server, worker/main.ts and api/main.ts as child
 *                                       processes (as `npm start` runs them), on a fresh database; (6) on
 *                                       fresh workers from bench/worker-process.ts
 *
 * Settings (environment):
 *   BENCH_TIMERS=10000          (6) how many workflows wait on timers (≈ 5 min of the run on 2 cores for the
 *                               lifecycles, ≈ 2 min for the bare baseline)
 *   BENCH_MAX_CACHED_WORKFLOWS  (6) the worker's workflow cache (default: the product's, WORKER_MAX_CACHED_WORKFLOWS; `default`: the SDK's)
 *   BENCH_TIMERS_IN_FLIGHT=500  (6) most workflows started but not yet waiting on their timer
 *   BENCH_DURATION_S=10         (1) and (2) window per measurement
 *   BENCH_CONCURRENCY=16        (1) requests / starts in flight
 *   BENCH_RATE=50               (2) offered requests per second (reads, creations)
 *   BENCH_SIGN_RATE=20          (2) offered signatures per second
 *   BENCH_LATENCY_RUNS=5        (2) runs of each latency measurement (the table reports the worst p99)
 *   BENCH_CONTRACTS=100000      (7) synthetic contracts
 *   BENCH_CALENDAR=10000        (8) open payment deadlines a holiday notice moves
 *   BENCH_IMPORT=1000           (9) contracts in the imported book
 *   BENCH_OUTAGE=20000          (11) contracts an "all" outage affects
 *   BENCH_ONLY=1,2,7            run only these sections
 *   BENCH_CPU_PROF=1            run the worker and API with --cpu-prof (profiles in .data/bench/profiles)
 *   TEST_DATABASE_URL           the Postgres to create the bench databases in (else 127.0.0.1:5432)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../platform/config';
import { benchLatency, benchStarts } from './api-load';
import { benchCalendar } from './calendar';
import { benchConsoleLoad } from './console-load';
import { benchImports } from './imports';
import { cleanup, ensureTemporalBinaries, LOG_DIR, ROOT, say } from './env';
import { benchLifecycle } from './lifecycle';
import { benchListQuery } from './list-query';
import { benchOutage } from './outage';
import { benchPdf } from './pdf';
import { fmt, renderTable, row, type Row } from './report';
import { benchSmsLint } from './sms-lint';
import { startStack } from './stack';
import { startLoadSampler, type MachineLoad } from './stats';
import { benchTimers } from './timers';

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
};

const settings = {
  timers: num('BENCH_TIMERS', 10_000),
  maxCachedWorkflows: process.env.BENCH_MAX_CACHED_WORKFLOWS === 'default' ? ('default' as const) : num('BENCH_MAX_CACHED_WORKFLOWS', loadConfig({}).temporal.maxCachedWorkflows),
  maxWaiting: num('BENCH_TIMERS_IN_FLIGHT', 500),
  durationMs: num('BENCH_DURATION_S', 10) * 1000,
  concurrency: num('BENCH_CONCURRENCY', 16),
  rate: num('BENCH_RATE', 50),
  signRate: num('BENCH_SIGN_RATE', 20),
  latencyRuns: num('BENCH_LATENCY_RUNS', 5),
  contracts: num('BENCH_CONTRACTS', 100_000),
  calendar: num('BENCH_CALENDAR', 10_000),
  imports: num('BENCH_IMPORT', 1_000),
  outage: num('BENCH_OUTAGE', 20_000),
  only: process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null,
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
};
const wanted = (section: string) => !settings.only || settings.only.has(section);

type SmsFigures = { lint: number; endToEnd: number; delivered: number; raw: number; ratio: number; messages: number };

/** Runs bench/sms.ts (npm run bench:sms) as a child and reads its summary. */
async function runSmsBench(): Promise<{ figures: SmsFigures | null; output: string; seconds: number }> {
  const t = performance.now();
  const output = await new Promise<string>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sms.ts'], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('exit', (code) => done(code === 0 ? text : `${text}\n(exit code ${code})`));
  });
  const grab = (label: RegExp) => {
    const m = label.exec(output);
    return m ? Number(m[1]!.replace(/,/g, '')) : Number.NaN;
  };
  const figures = {
    lint: grab(/lint \+ segment alone\s+([\d,.]+)/),
    endToEnd: grab(/end to end, to the SMSC\s+([\d,.]+)/),
    delivered: grab(/end to end, delivered\s+([\d,.]+)/),
    raw: grab(/raw SMPP client, same parts\s+([\d,.]+)/),
    ratio: grab(/ratio end to end \/ raw\s+([\d.]+)/),
    messages: grab(/SMS throughput \(([\d,]+) messages/),
  };
  const ok = Object.values(figures).every(Number.isFinite);
  return { figures: ok ? figures : null, output, seconds: (performance.now() - t) / 1000 };
}

/** bench/workflow-memory.ts in a child with --expose-gc: live heap per cached workflow, by bundle. */
async function runWorkflowMemory(count: number): Promise<{ sdkOnly: { kib: number }; product: { kib: number }; unshared?: { kib: number } } | null> {
  const output = await new Promise<string>((done) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/workflow-memory.ts', String(count)], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('exit', () => done(text));
  });
  const line = output.split('\n').find((l) => l.startsWith('{"count"'));
  return line ? JSON.parse(line) : null;
}

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  const overall = startLoadSampler();
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const load: Record<string, MachineLoad & { seconds: number }> = {};
  const section = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const sampler = startLoadSampler(2_000);
    const s = performance.now();
    try {
      return await fn();
    } finally {
      load[name] = { ...sampler.stop(), seconds: (performance.now() - s) / 1000 };
    }
  };
  say(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  ensureTemporalBinaries();

  if (wanted('10')) {
    const consoleLoad = await section('10', () => benchConsoleLoad({ runs: 5 }));
    rows.push(...consoleLoad.rows);
    raw.consoleLoad = consoleLoad.raw;
  }

  let msPerDocument: number | undefined;
  if (wanted('4')) {
    const pdf = await section('4', () => benchPdf({ runs: 20 }));
    rows.push(...pdf.rows);
    raw.pdf = pdf.raw;
    msPerDocument = pdf.msPerDocument;
  }

  if (wanted('5')) {
    if (existsSync(join(ROOT, 'bench', 'sms.ts'))) {
      say('(5) SMS: npm run bench:sms (bench/sms.ts) as a child process');
      const sms = await section('5', runSmsBench);
      raw.sms = { ...sms.figures, seconds: sms.seconds, output: sms.output };
      if (sms.figures) {
        const f = sms.figures;
        rows.push(
          row({
            id: '5a',
            measure: 'SMS lint + segment, msgs/s (bench/sms.ts)',
            value: f.lint,
            unit: '/s',
            baseline: { measure: 'raw SMPP client to the simulator, msgs/s', value: f.raw, unit: '/s' },
            target: null,
            note: 'domain/sms lintMessage (counts the parts too) on one core, vs what one raw SMPP session pushes',
          }),
          row({
            id: '5b',
            measure: 'SMS end to end to the SMSC, msgs/s (POST → dispatch workflow → SMPP)',
            value: f.endToEnd,
            unit: '/s',
            baseline: { measure: 'raw SMPP client, same parts, same simulator', value: f.raw, unit: '/s' },
            target: '≥ 0.8× baseline',
            check: ({ ratio }) => ratio !== null && ratio >= 0.8,
            note: `${f.messages.toLocaleString('en-US')} two-part UCS-2 messages in one POST, SMPP window 10; every receipt written back: ${fmt(f.delivered)}/s; bench/sms.ts's own ratio ${f.ratio}`,
          }),
        );
      } else {
        say('    bench/sms.ts gave no summary; falling back to lint + segment here');
        const lint = benchSmsLint({ durationMs: 2_000 });
        rows.push(...lint.rows, pendingSmpp('bench/sms.ts failed (its output is in results.json)'));
        raw.smsLint = lint.raw;
      }
    } else {
      const lint = await section('5', async () => benchSmsLint({ durationMs: 2_000 }));
      rows.push(...lint.rows, pendingSmpp('bench/sms.ts (npm run bench:sms) is not there yet'));
      raw.smsLint = lint.raw;
    }
  }

  if (wanted('7')) {
    const list = await section('7', () => benchListQuery({ count: settings.contracts, runs: 300, maxMsPerSet: 6_000 }));
    rows.push(...list.rows);
    raw.listQuery = list.raw;
  }

  if (wanted('3')) {
    const lifecycle = await section('3', () => benchLifecycle({ msPerDocument }));
    rows.push(...lifecycle.rows);
    raw.lifecycle = lifecycle.raw;
  }

  if (wanted('11')) {
    const outage = await section('11', () => benchOutage({ contracts: settings.outage, timeoutMs: Math.max(10 * 60_000, settings.outage * 60) }));
    rows.push(...outage.rows);
    raw.outage = outage.raw;
  }

  if (wanted('6')) {
    say('(6) live heap per cached workflow, by bundle (bench/workflow-memory.ts)');
    const memory = await section('6-heap', () => runWorkflowMemory(300));
    raw.workflowMemory = memory;
    rows.push(
      memory
        ? row({
            id: '6c',
            measure: 'live JS heap per cached workflow, product bundle (workflows/index.ts)',
            value: memory.product.kib,
            unit: 'KiB',
            baseline: { measure: 'same, bundle of workflows/noop.ts only', value: memory.sdkOnly.kib, unit: 'KiB' },
            target: null,
            note: `300 bare timer workflows per bundle, heap after full GCs; the same bundle without sharing its domain modules (workflows/shared-modules.ts): ${memory.unshared ? Math.round(memory.unshared.kib).toLocaleString('en-US') : '?'} KiB`,
          })
        : row({ id: '6c', measure: 'live JS heap per cached workflow', value: null, unit: 'KiB', baseline: null, target: null, note: 'bench/workflow-memory.ts failed' }),
    );
  }

  if (wanted('1') || wanted('2') || wanted('6') || wanted('8') || wanted('9')) {
    say('starting the dev server, worker and API (as npm start runs them)');
    const stack = await startStack({ cpuProfile: settings.cpuProfile });
    raw.stack = { taskQueue: stack.taskQueue, database: stack.database.name, temporal: stack.env.address };
    let contractIds: string[] = [];
    if (wanted('1') || wanted('2')) {
      const starts = await section('1', () => benchStarts(stack, { concurrency: settings.concurrency, durationMs: settings.durationMs }));
      rows.push(...starts.rows);
      raw.starts = starts.raw;
      contractIds = starts.contractIds;
    }
    if (wanted('2')) {
      const latency = await section('2', () => benchLatency(stack, contractIds, { perSecond: settings.rate, signPerSecond: settings.signRate, durationMs: settings.durationMs, runs: settings.latencyRuns }));
      rows.push(...latency.rows);
      raw.latency = latency.raw;
    }
    if (wanted('8')) {
      const calendar = await section('8', () => benchCalendar(stack, { count: settings.calendar, concurrency: 32, timeoutMs: Math.max(10 * 60_000, settings.calendar * 200) }));
      rows.push(...calendar.rows);
      raw.calendar = calendar.raw;
    }
    if (wanted('9')) {
      const imports = await section('9', () => benchImports(stack, { count: settings.imports, timeoutMs: 10 * 60_000 }));
      rows.push(...imports.rows);
      raw.imports = imports.raw;
    }
    await stack.stopServices();
    if (wanted('6')) {
      const timers = await section('6', () => benchTimers(stack, { count: settings.timers, concurrency: 32, maxWaiting: settings.maxWaiting, maxCachedWorkflows: settings.maxCachedWorkflows, timeoutMs: 6 * 60_000 }));
      rows.push(...timers.rows);
      raw.timers = timers.raw;
    }
  }

  await cleanup();
  const order = (id: string) => [Number.parseInt(id, 10), id] as const;
  rows.sort((a, b) => order(a.id)[0] - order(b.id)[0] || order(a.id)[1].localeCompare(order(b.id)[1]));
  const machine = overall.stop();
  const seconds = (performance.now() - t0) / 1000;
  const table = renderTable(rows);
  const busy = `load average during the run ${Math.min(...machine.loadAvg1).toFixed(2)}–${Math.max(...machine.loadAvg1).toFixed(2)} on ${cpus().length} cores, CPU busy ${machine.cpuBusyPercent?.toFixed(0) ?? '?'}% (all processes)`;
  console.log(`\n${table}\n\n${rows.filter((r) => r.note).map((r) => `(${r.id}) ${r.note}`).join('\n')}\n\n${started.toISOString()}, ${seconds.toFixed(0)} s; ${busy}\n`);

  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results.json'),
    `${JSON.stringify(
      {
        startedAt: started.toISOString(),
        seconds,
        machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: totalmem() / 2 ** 30, node: process.version, ...machine, sections: load },
        settings: { ...settings, only: settings.only ? [...settings.only] : null },
        rows,
        table,
        raw,
        logs: LOG_DIR,
      },
      null,
      2,
    )}\n`,
  );
  say(`wrote bench/results.json (${seconds.toFixed(0)} s)`);
}

function pendingSmpp(why: string): Row {
  return row({
    id: '5b',
    measure: 'SMS end to end over SMPP vs a raw SMPP client',
    value: null,
    unit: '/s',
    baseline: null,
    target: '≥ 0.8× raw SMPP',
    note: `pending: ${why}`,
  });
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping everything the bench started`);
  void cleanup().finally(() => process.exit(130));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

main().catch(async (error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  await cleanup();
  process.exit(1);
});
