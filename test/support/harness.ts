/**
 * The one shared test setup: a fresh Postgres database, a Temporal server
 * (time-skipping by default, or a dev server), a worker on its own task queue
 * running the real activities, the API app over them, and a user per role.
 */
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import pino from 'pino';
import supertest from 'supertest';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import { issueToken, upsertUser, type Role } from '../../db/users';
import { temporalExecutable } from '../../platform/temporal-binaries';
import { createWorker } from '../../worker';
import { createTestDatabase, type TestDatabase } from './postgres';

export type HarnessOptions = {
  server?: 'time-skipping' | 'dev';
  /** extra worker dependencies (e.g. `sms`: an SMPP transport over an in-process simulator) */
  activityDeps?: Partial<ActivityDeps>;
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
  };
  close: () => Promise<void>;
};

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

export const ROLE_LIST: Role[] = ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'];

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  installQuietRuntime();
  const database = await createTestDatabase(inject('adminUrl'), inject('templateDb'));
  const env =
    options.server === 'dev'
      ? await TestWorkflowEnvironment.createLocal({ server: { executable: temporalExecutable('temporal'), ip: '127.0.0.1' } })
      : await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalExecutable('temporal-test-server') } });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const worker = await createWorker({
    connection: env.nativeConnection,
    taskQueue,
    // lifecycle notices go out as SMS only where a test asks (activityDeps.systemSms, with an SMSC in activityDeps.sms)
    deps: { db: database.db, logger, temporal: env.client, systemSms: false, ...options.activityDeps },
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  const running = worker.run();

  const deps: AppDeps = { db: database.db, temporal: env.client, taskQueue, logger, bodyLimit: '256kb', queryTimeoutMs: 5_000 };
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
    };
  };

  return {
    database,
    env,
    worker,
    taskQueue,
    deps,
    app,
    tokens,
    users,
    api,
    close: async () => {
      worker.shutdown();
      await running.catch(() => undefined);
      await env.teardown();
      await database.drop();
    },
  };
}
