/**
 * The time-skipping stack of (3) and (11), in this process: a fresh database,
 * the time-skipping server, a worker with the real activities (notices
 * recorded, not also sent as SMS, as in the workflow tests) and the API app
 * listening on a local port, with a bearer token per role asked for.
 */
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createApp } from '../api/app';
import type { Db } from '../db/pool';
import { issueToken, upsertUser, type Role } from '../db/users';
import { loadConfig } from '../platform/config';
import { loadSmsSettings } from '../platform/sms-config';
import { createWorker } from '../worker';
import { BENCH_RATE_LIMITS, benchActorAssertionKey, benchDataConverter, createBenchDatabase, startTimeSkippingServer, workflowBundle } from './env';

export type InProcessStack = {
  db: Db;
  env: TestWorkflowEnvironment;
  /** the worker's task queue */
  taskQueue: string;
  /** the API's base URL */
  base: string;
  tokens: Partial<Record<Role, string>>;
  /** the API, the worker, the server and the database, in that order */
  stop: () => Promise<void>;
};

export async function startInProcessStack(options: { label: string; poolSize?: number; roles: readonly Role[] }): Promise<InProcessStack> {
  const database = await createBenchDatabase(options.label, options.poolSize);
  const { env, stop: stopServer } = await startTimeSkippingServer();
  const taskQueue = `bench-${options.label}-${randomBytes(3).toString('hex')}`;
  const logger = pino({ level: 'silent' });
  const smsSettings = loadSmsSettings();
  const worker = await createWorker({
    connection: env.nativeConnection,
    taskQueue,
    deps: { db: database.db, logger, temporal: env.client, smsSettings, systemSms: false },
    workflowBundle: await workflowBundle(),
    dataConverter: benchDataConverter(),
  });
  const running = worker.run();
  const app = createApp({ db: database.db, temporal: env.client, taskQueue, logger, bodyLimit: '256kb', smsSettings, queryTimeoutMs: 5_000, actorAssertionKey: benchActorAssertionKey(), temporalClock: () => env.currentTimeMs(), rateLimits: BENCH_RATE_LIMITS, webhookDestinations: loadConfig().webhookDestinations });
  const server: Server = await new Promise((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const tokens: Partial<Record<Role, string>> = {};
  for (const role of options.roles) {
    await upsertUser(database.db, { id: `bench-${role}`, name: `压测${role}`, role, organisation: null });
    tokens[role] = await issueToken(database.db, `bench-${role}`);
  }
  return {
    db: database.db,
    env,
    taskQueue,
    base,
    tokens,
    stop: async () => {
      await new Promise((done) => server.close(() => done(undefined)));
      worker.shutdown();
      await running.catch(() => undefined);
      await stopServer();
      await database.drop();
    },
  };
}
