/**
 * The system as `npm start` runs it, on the bench's own database and dev
 * server: the real worker (worker/main.ts) and API (api/main.ts) as child
 * processes, a sales user with a token, and a client for the bench itself.
 */
import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issueToken, upsertUser } from '../db/users';
import { REFERENCE_TERMS } from '../domain/terms';
import { startSmscSimulator } from '../tools/smsc/simulator';
import { collectServerTiming } from './server-timing';
import { getContractStateQuery } from '../workflows/messages/contract-lifecycle';
import type { noop } from '../workflows/noop';
import { createBenchDatabase, freePort, onCleanup, say, serviceEnv, spawnService, startDevServer, waitForHttp, type BenchDatabase, type DevServer, type ServiceProcess } from './env';

export type Stack = {
  database: BenchDatabase;
  env: TestWorkflowEnvironment;
  server: DevServer;
  taskQueue: string;
  apiBase: string;
  salesToken: string;
  worker: ServiceProcess;
  api: ServiceProcess;
  /** POST /api/contracts with the reference terms; the new contract's id */
  createContract: (idempotencyKey?: string) => Promise<string>;
  /** resolves once the workflow contract-<id> answers a query (its first workflow task is done) */
  awaitLifecycleQuery: (contractId: string) => Promise<void>;
  /** runs a no-op workflow to completion on the stack's task queue */
  runNoop: (workflowId: string) => Promise<void>;
  /** a worker process on another task queue of the same server and database (worker/main.ts unless `script`) */
  spawnWorker: (name: string, taskQueue: string, options?: { script?: string; env?: Record<string, string> }) => Promise<ServiceProcess>;
  stopServices: () => Promise<void>;
};

export async function startStack(options: { cpuProfile?: boolean } = {}): Promise<Stack> {
  const database = await createBenchDatabase('main');
  const server = await startDevServer();
  const env = server.env;
  await upsertUser(database.db, { id: 'bench-sales', name: '压测销售', role: 'sales', organisation: null });
  const salesToken = await issueToken(database.db, 'bench-sales', 'bench');
  const taskQueue = `bench-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const apiBase = `http://127.0.0.1:${port}`;
  // the bench's own SMSC, so nothing the bench runs can reach another SMSC on this machine (npm start's on 2775)
  const smsc = await startSmscSimulator({ port: 0 });
  onCleanup('SMSC simulator', () => smsc.stop());
  const envFor = (queue: string, apiPort?: number) => ({
    ...serviceEnv({ databaseUrl: database.url, temporalAddress: env.address, taskQueue: queue, port: apiPort }),
    SMPP_URL: smsc.url(),
    // every response says where its time went (api/request-timing.ts): read by bench/server-timing.ts
    SERVER_TIMING: 'on',
  });
  const worker = spawnService('worker', 'worker/main.ts', envFor(taskQueue), options);
  const api = spawnService('api', 'api/main.ts', envFor(taskQueue, port), options);
  await waitForHttp(`${apiBase}/healthz`);

  const runNoop = async (workflowId: string) => {
    await env.client.workflow.execute<typeof noop>('noop', { taskQueue, workflowId, args: [{}] });
  };
  const waitForWorker = async (queue: string, name: string) => {
    const t = performance.now();
    // the worker bundles workflows/ at start: the first task waits for it
    await env.client.workflow.execute<typeof noop>('noop', { taskQueue: queue, workflowId: `bench-ready-${name}-${randomBytes(3).toString('hex')}`, args: [{}] });
    say(`${name} ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await waitForWorker(taskQueue, 'worker');

  const body = JSON.stringify({ terms: REFERENCE_TERMS });
  const createContract = async (idempotencyKey = `bench-${randomBytes(8).toString('hex')}`) => {
    const res = await fetch(`${apiBase}/api/contracts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${salesToken}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body,
    });
    collectServerTiming('POST /api/contracts', res);
    const json = (await res.json()) as { id?: string; error?: unknown };
    if (res.status !== 201 || !json.id) throw new Error(`POST /api/contracts: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
    return json.id;
  };
  const awaitLifecycleQuery = async (contractId: string) => {
    // the server holds a query until the workflow's first task has completed
    const handle = env.client.workflow.getHandle(`contract-${contractId}`);
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        await handle.query(getContractStateQuery);
        return;
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };

  return {
    database,
    env,
    server,
    taskQueue,
    apiBase,
    salesToken,
    worker,
    api,
    createContract,
    awaitLifecycleQuery,
    runNoop,
    spawnWorker: async (name, queue, options = {}) => {
      const child = spawnService(name, options.script ?? 'worker/main.ts', { ...envFor(queue), ...options.env });
      await waitForWorker(queue, name);
      return child;
    },
    stopServices: async () => {
      // profiles are written on a clean exit; otherwise the worker's PDF backlog need not drain
      const grace = options.cpuProfile ? 60_000 : 2_000;
      await api.stop(grace);
      await worker.stop(grace);
    },
  };
}
