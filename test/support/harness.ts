/**
 * The one shared test setup: a fresh Postgres database, a Temporal server
 * (time-skipping by default, or a dev server), a worker on its own task queue
 * running the real activities, the API app over them, and a user per role.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';
import { Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import pino from 'pino';
import supertest from 'supertest';
import { expect, inject } from 'vitest';
import { createActivities, type Activities, type ActivityDeps } from '../../activities';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import { AfterResponseStarts } from '../../services/workflow-starts';
import { issueToken, upsertUser, type Role } from '../../db/users';
import { loadActorAssertionKey } from '../../platform/actor-key';
import { loadConfig } from '../../platform/config';
import { loadSmsSettings } from '../../platform/sms-config';
import { temporalExecutable } from '../../platform/temporal-binaries';
import { createWorker } from '../../worker';
import { createStartedWorkflows, productDataConverter, replayStartedWorkflows } from './histories';
import { createTestDatabase, type TestDatabase } from './postgres';

export type HarnessOptions = {
  server?: 'time-skipping' | 'dev';
  /** dev server only: a fixed port and a database file, so the server can be restarted with its state */
  devServer?: { port: number; dbFilename: string };
  /** extra worker dependencies (e.g. `sms`: an SMPP transport over an in-process simulator) */
  activityDeps?: Partial<ActivityDeps>;
  /** wraps the real activities (e.g. to hold one at a chosen step); the worker runs what it returns */
  wrapActivities?: (real: Activities) => Activities;
  /** a Postgres server of the test's own (e.g. one it restarts): the admin URL and a migrated template database on it */
  postgres?: { adminUrl: string; templateDb: string };
  /** the worker's workflow cache; default: WORKER_MAX_CACHED_WORKFLOWS when set, else the SDK's */
  maxCachedWorkflows?: number;
  /** owed workflow starts made after the response, as api/main.ts makes them; default: the request makes its start before answering */
  afterResponseStarts?: boolean;
  /** how outages walk their cases (AppDeps.outagePaging) */
  outagePaging?: AppDeps['outagePaging'];
};

export type Harness = {
  database: TestDatabase;
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  tokens: Record<Role, string>;
  users: Record<Role, string>;
  api: (role: Role | null) => {
    get: (path: string) => supertest.Test;
    post: (path: string, body?: unknown) => supertest.Test;
    put: (path: string, body?: unknown) => supertest.Test;
    delete: (path: string) => supertest.Test;
  };
  /** dev server with `devServer` set: stops the worker and the server, starts both again on the same port and database */
  restartTemporal: () => Promise<void>;
  close: () => Promise<void>;
};

/** WORKER_MAX_CACHED_WORKFLOWS as the product reads it; unset keeps the SDK's default for tests. */
function workerCacheOverride(): { maxCachedWorkflows?: number } {
  const raw = process.env.WORKER_MAX_CACHED_WORKFLOWS;
  if (raw === undefined || raw === '') return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`WORKER_MAX_CACHED_WORKFLOWS must be a whole number ≥ 0, got ${raw}`);
  return { maxCachedWorkflows: n };
}

/**
 * Under libfaketime (npm run test:dates) the time-skipping server would run
 * many times slower, or crash: it starts through a wrapper without it, and the
 * harness skips it ahead to the shifted clock instead.
 */
function withoutFaketime(executable: EphemeralServerExecutable): EphemeralServerExecutable {
  if (!process.env.LD_PRELOAD?.includes('faketime') || executable.type !== 'existing-path') return executable;
  const wrapper = join(tmpdir(), `temporal-test-server-unfaked-${process.pid}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nunset LD_PRELOAD FAKETIME FAKETIME_ONLY_CMDS\nexec '${executable.path}' "$@"\n`, { mode: 0o755 });
  return { type: 'existing-path', path: wrapper };
}

let runtimeInstalled = false;

function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // already installed in this process
  }
}

/** write budgets no test reaches unless it means to */
export const UNREACHED_RATE_LIMITS = { userWritesPerMinute: 1_000_000, organisationWritesPerMinute: 1_000_000, userHeavyPerMinute: 1_000_000, organisationHeavyPerMinute: 1_000_000 };

export const ROLE_LIST: Role[] = ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'];

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  installQuietRuntime();
  const database = await createTestDatabase(options.postgres?.adminUrl ?? inject('adminUrl'), options.postgres?.templateDb ?? inject('templateDb'));
  // every workflow this file starts is replayed from its first event when the harness closes
  const started = createStartedWorkflows();
  // the product's payload codec on both sides, as worker/main.ts and api/main.ts have it: Temporal holds only ciphertext
  const dataConverter = productDataConverter();
  const client = { interceptors: { workflow: [started.interceptor] }, dataConverter };
  const startServer = () =>
    options.server === 'dev'
      ? TestWorkflowEnvironment.createLocal({ server: { executable: temporalExecutable('temporal'), ip: '127.0.0.1', ...options.devServer }, client })
      : TestWorkflowEnvironment.createTimeSkipping({ server: { executable: withoutFaketime(temporalExecutable('temporal-test-server')) }, client });
  const testFile = relative(process.cwd(), expect.getState().testPath ?? 'unknown test file');
  let env = await startServer();
  if (options.server !== 'dev') {
    // the test server starts at the wall clock; a run on a shifted clock (npm run test:dates) brings it to its own
    const behind = Date.now() - (await env.currentTimeMs());
    if (behind > 60_000) await env.sleep(behind);
  }
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // read once, as worker/main.ts and api/main.ts do at their entry
  const smsSettings = loadSmsSettings();
  const startWorker = async () => {
    // lifecycle notices go out as SMS only where a test asks (activityDeps.systemSms, with an SMSC in activityDeps.sms)
    const activityDeps: ActivityDeps = { db: database.db, logger, temporal: env.client, smsSettings, systemSms: false, ...options.activityDeps };
    const w = await createWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: activityDeps,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter,
      overrides: {
        // 0 = no workflow cache: every workflow task replays the history from its first event
        ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : workerCacheOverride()),
        ...(options.wrapActivities ? { activities: options.wrapActivities(createActivities({ taskQueue, ...activityDeps })) } : {}),
      },
    });
    return { worker: w, running: w.run() };
  };
  let { worker, running } = await startWorker();

  const deps: AppDeps = { db: database.db, temporal: env.client, taskQueue, logger, bodyLimit: '256kb', smsSettings, queryTimeoutMs: 5_000,
    actorAssertionKey: loadActorAssertionKey(loadConfig()),
    // updates are stamped with the server's clock, which the time-skipping server runs ahead
    ...(options.server === 'dev' ? {} : { temporalClock: () => env.currentTimeMs() }),
    // the write budgets run on every write (api/write-limits.ts) but tests that are not about them never reach them
    // (one test user makes thousands of writes a minute); test/security/write-rate-limits.test.ts sets small ones
    rateLimits: UNREACHED_RATE_LIMITS,
    webhookDestinations: loadConfig().webhookDestinations,
    ...(options.afterResponseStarts ? { afterResponseStarts: new AfterResponseStarts() } : {}),
    ...(options.outagePaging ? { outagePaging: options.outagePaging } : {}),
  };
  const app = createApp(deps);

  const tokens = {} as Record<Role, string>;
  const users = {} as Record<Role, string>;
  for (const role of ROLE_LIST) {
    const id = `test-${role}`;
    await upsertUser(database.db, { id, name: `测试${role}`, role, organisation: role === 'customer' ? '内蒙古自治区地震局' : null });
    tokens[role] = await issueToken(database.db, id);
    users[role] = id;
  }

  const api = (role: Role | null) => {
    const auth = (t: supertest.Test) => (role ? t.set('Authorization', `Bearer ${tokens[role]}`) : t);
    return {
      get: (path: string) => auth(supertest(app).get(path)),
      post: (path: string, body?: unknown) => {
        const t = auth(supertest(app).post(path));
        return body === undefined ? t : t.send(body as object);
      },
      put: (path: string, body?: unknown) => {
        const t = auth(supertest(app).put(path));
        return body === undefined ? t : t.send(body as object);
      },
      delete: (path: string) => auth(supertest(app).delete(path)),
    };
  };

  const harness: Harness = {
    database,
    env,
    worker,
    taskQueue,
    deps,
    app,
    tokens,
    users,
    api,
    restartTemporal: async () => {
      if (!options.devServer) throw new Error('restartTemporal needs a dev server with a fixed port and database file');
      worker.shutdown();
      await running.catch(() => undefined);
      await env.teardown();
      env = await startServer();
      ({ worker, running } = await startWorker());
      // the app reads deps.temporal per request: point it at the new connection
      deps.temporal = env.client;
      harness.env = env;
      harness.worker = worker;
    },
    close: async () => {
      await deps.afterResponseStarts?.drain();
      worker.shutdown();
      await running.catch(() => undefined);
      const replay = await replayStartedWorkflows(env.client, started.ids, inject('workflowBundlePath'), testFile, dataConverter).finally(async () => {
        await env.teardown();
        await database.drop();
      });
      console.log(
        `[replay] ${testFile}: ${replay.workflows} workflows, ${replay.runs} runs, ${replay.events} events replayed from the first event; ${replay.failures.length} nondeterministic`,
      );
      if (replay.failures.length > 0) {
        throw new Error(`nondeterminism on replay in ${testFile}:\n${replay.failures.map((f) => `  ${f.workflowId} (${f.runId}): ${f.error}`).join('\n')}`);
      }
    },
  };
  return harness;
}
