/**
 * The benchmark's environment, from the same pieces as the test harness but
 * without vitest: a fresh Postgres database migrated from db/migrations, the
 * Temporal dev server (or the time-skipping test server) started through
 * TestWorkflowEnvironment with the project's pinned binaries, and the real
 * worker and API entry points (worker/main.ts, api/main.ts) as child
 * processes, exactly as `npm start` runs them.
 *
 * Postgres: TEST_DATABASE_URL, else 127.0.0.1:5432 (else an embedded one, as
 * in the tests). Every database, server and process started here is stopped
 * by `cleanup()`, also on Ctrl-C.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { migrate } from '../db/migrate';
import { createDb, type Db } from '../db/pool';
import { temporalExecutable } from '../platform/temporal-binaries';
import { resolveAdminUrl, withAdminClient } from '../test/support/postgres';
import type { DataConverter } from '@temporalio/common';
import { loadActorAssertionKey } from '../platform/actor-key';
import { loadConfig } from '../platform/config';
import { encryptingDataConverter, type PayloadKeyRing } from '../platform/payload-codec';
import { loadPayloadKeys } from '../platform/payload-key';
import { workflowBundleOptions } from '../worker';

export const ROOT = resolve(__dirname, '..');
/** Child process logs (gitignored: .data/). */
export const LOG_DIR = join(ROOT, '.data', 'bench');

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export { say };

type Cleanup = { name: string; run: () => Promise<void> };
const cleanups: Cleanup[] = [];

/** Registers something to stop at the end (last registered, first stopped). */
export function onCleanup(name: string, run: () => Promise<void>): () => Promise<void> {
  const entry = { name, run };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i === -1) return;
    cleanups.splice(i, 1);
    await run();
  };
}

/** Stops everything still registered, newest first (each step given at most 30 s). */
export async function cleanup(): Promise<void> {
  while (cleanups.length > 0) {
    const entry = cleanups.pop()!;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, fail) => {
      timer = setTimeout(() => fail(new Error('did not stop within 30 s')), 30_000);
    });
    await Promise.race([entry.run(), timeout]).catch((error) => say(`cleanup ${entry.name}: ${(error as Error).message}`));
    clearTimeout(timer);
  }
}

let runtimeInstalled = false;
/** The SDK's native runtime, quiet (warnings only), without its own signal handlers. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
      shutdownSignals: [],
    });
  } catch {
    // already installed in this process
  }
}

/** Makes sure the pinned Temporal binaries are there (prints nothing when they are). */
export function ensureTemporalBinaries(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts/install-temporal.mjs')], { stdio: 'inherit' });
}

let adminUrlPromise: Promise<string> | undefined;
/** TEST_DATABASE_URL, else 127.0.0.1:5432, else an embedded Postgres (stopped at cleanup). */
export function adminUrl(): Promise<string> {
  adminUrlPromise ??= resolveAdminUrl().then(({ adminUrl: url, stop }) => {
    onCleanup('embedded postgres', stop);
    return url;
  });
  return adminUrlPromise;
}

export type BenchDatabase = { db: Db; url: string; name: string; drop: () => Promise<void> };

/** A fresh database migrated with every migration in db/migrations; dropped at cleanup. */
export async function createBenchDatabase(label: string, poolSize = 10): Promise<BenchDatabase> {
  const admin = await adminUrl();
  const name = `sms_contracts_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb({ connectionString: url, max: poolSize, applicationName: 'sms-contracts-bench' });
  const drop = onCleanup(`database ${name}`, async () => {
    await db.close().catch(() => undefined);
    await withAdminClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  await migrate(db);
  return { db, url, name, drop };
}

export type DevServer = {
  env: TestWorkflowEnvironment;
  /** the server's Prometheus endpoint */
  metricsUrl: string;
  /** sum of the server's Prometheus samples of `metric` whose labels contain every `labels` pair */
  counter: (metric: string, labels?: Record<string, string>) => Promise<number>;
  /** the server process (for its CPU time and memory) */
  pid: number | undefined;
  stop: () => Promise<void>;
};

/** The Temporal dev server (in-memory SQLite persistence), as the e2e tests start it, with its metrics on a known port. */
export async function startDevServer(): Promise<DevServer> {
  installQuietRuntime();
  const metricsPort = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalExecutable('temporal'),
      ip: '127.0.0.1',
      extraArgs: ['--log-level', 'error', '--metrics-port', String(metricsPort)],
    },
    // the payload codec, as the worker and the API have it (they encrypt what this client reads)
    client: { dataConverter: benchDataConverter() },
  });
  const stop = onCleanup('temporal dev server', () => env.teardown());
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const counter = async (metric: string, labels: Record<string, string> = {}) => {
    const text = await (await fetch(metricsUrl)).text();
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
      if (!wanted.every((pair) => line.includes(pair))) continue;
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  };
  const port = env.address.split(':').at(-1)!;
  return { env, metricsUrl, counter, pid: findPid(['start-dev', `--port ${port}`]), stop };
}

/** The time-skipping test server, as the workflow tests start it; `stop` tears it down early. */
export async function startTimeSkippingServer(): Promise<{ env: TestWorkflowEnvironment; stop: () => Promise<void> }> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalExecutable('temporal-test-server') }, client: { dataConverter: benchDataConverter() } });
  return { env, stop: onCleanup('temporal time-skipping server', () => env.teardown()) };
}

/** The actor assertion key of this checkout (platform/actor-key.ts): the in-process API signs with it, the bundle checks it. */
export const benchActorAssertionKey = () => loadActorAssertionKey(loadConfig());

/** The payload keys of this checkout (platform/payload-key.ts): the children get them as PAYLOAD_KEY, the in-process clients and workers their codec. */
export const benchPayloadKeys = (): PayloadKeyRing => loadPayloadKeys(loadConfig());

/** The product's data converter (platform/payload-codec.ts) with this checkout's keys: every bench client and worker uses it. */
export const benchDataConverter = (): DataConverter => encryptingDataConverter(benchPayloadKeys());

const asSetting = (k: { id: string; key: Buffer }) => `${k.id}:${k.key.toString('base64')}`;

let bundlePromise: Promise<WorkflowBundleWithSourceMap> | undefined;
/** workflows/ bundled once per process (for in-process workers). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const noop = () => undefined;
  bundlePromise ??= bundleWorkflowCode({
    ...workflowBundleOptions(benchActorAssertionKey()),
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => say(m), log: noop },
  });
  return bundlePromise;
}

export type ServiceProcess = {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** resident set size now, bytes (from /proc) */
  rssBytes: () => number;
  /** SIGTERM, then SIGKILL after `graceMs` */
  stop: (graceMs?: number) => Promise<void>;
};

/**
 * Runs a project entry point (`worker/main.ts`, `api/main.ts`) as `npm start`
 * does: `node --import tsx <script>` with the given environment; output to
 * .data/bench/<name>.log.
 */
export function spawnService(name: string, script: string, env: NodeJS.ProcessEnv, options: { cpuProfile?: boolean } = {}): ServiceProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const fd = openSync(logFile, 'w');
  // one file per thread (main, workflow thread, tsx's loader thread) in .data/bench/profiles/<name>/
  const profiling = options.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', join(LOG_DIR, 'profiles', name)] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));
  const stop = async (graceMs = 5_000) => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  };
  const unregister = onCleanup(name, () => stop());
  return {
    name,
    pid: child.pid!,
    logFile,
    child,
    rssBytes: () => rssOf(child.pid!),
    stop: async (graceMs) => {
      await stop(graceMs);
      await unregister();
    },
  };
}

/** VmRSS of a process, bytes (0 when it is gone). */
export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, all threads) a process has used so far, seconds. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime in clock ticks (USER_HZ = 100 on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The pid of the process whose command line contains every one of `parts` (e.g. the dev server on a port). */
export function findPid(parts: string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (parts.every((p) => cmdline.includes(p))) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Environment for a child worker or API against the bench's Postgres and Temporal. */
/** The bench is one user doing what many do: the write budgets (api/write-limits.ts) still run, sized so it never reaches them. */
export const BENCH_RATE_LIMITS = { userWritesPerMinute: 1_000_000, organisationWritesPerMinute: 1_000_000, userHeavyPerMinute: 1_000_000, organisationHeavyPerMinute: 1_000_000 };

export function serviceEnv(options: { databaseUrl: string; temporalAddress: string; taskQueue: string; port?: number; adminToken?: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    // production wants the key set: the checkout's own, so the in-process clients and bundles agree with the children
    ACTOR_ASSERTION_KEY: Buffer.from(benchActorAssertionKey(), 'hex').toString('base64'),
    // and the payload key: the children encrypt with the key the in-process clients decrypt with
    PAYLOAD_KEY: asSetting(benchPayloadKeys().current),
    PAYLOAD_PREVIOUS_KEYS: benchPayloadKeys().previous.map(asSetting).join(','),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TASK_QUEUE: options.taskQueue,
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    RATE_LIMIT_USER_WRITES_PER_MIN: String(BENCH_RATE_LIMITS.userWritesPerMinute),
    RATE_LIMIT_ORG_WRITES_PER_MIN: String(BENCH_RATE_LIMITS.organisationWritesPerMinute),
    RATE_LIMIT_USER_HEAVY_PER_MIN: String(BENCH_RATE_LIMITS.userHeavyPerMinute),
    RATE_LIMIT_ORG_HEAVY_PER_MIN: String(BENCH_RATE_LIMITS.organisationHeavyPerMinute),
    ...(options.adminToken ? { ADMIN_TOKEN: options.adminToken } : {}),
  };
}
