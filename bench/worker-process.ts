/**
 * The worker the bench runs for (6): worker/main.ts's worker (createWorker,
 * the same activities over the same dependencies, the ledger billing, the
 * same database role; not the webhook dispatcher loop nor the digest
 * Schedule, which (6) does not exercise) with two knobs worker/main.ts does
 * not expose:
 *
 *   BENCH_MAX_CACHED_WORKFLOWS   the SDK's workflow cache size (unset: the SDK default)
 *   BENCH_WORKFLOWS_PATH         bundle these workflows instead of workflows/index.ts
 *                                (the bare-timer baseline bundles workflows/noop.ts only)
 *
 *   node --import tsx bench/worker-process.ts   (DATABASE_URL, TEMPORAL_ADDRESS, TASK_QUEUE as for the worker)
 *
 * SIGTERM/SIGINT stop it like the real worker.
 */
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { createLedgerBilling } from '../billing';
import { createDb } from '../db/pool';
import { loadActorAssertionKey } from '../platform/actor-key';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { encryptingDataConverter } from '../platform/payload-codec';
import { loadPayloadKeys } from '../platform/payload-key';
import { loadSmsSettings } from '../platform/sms-config';
import { createWorker } from '../worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const smsSettings = loadSmsSettings();
  const logger = createLogger({ level: config.logLevel, name: 'bench-worker' });
  if (!config.databaseUrl || !config.temporal.address) throw new Error('DATABASE_URL and TEMPORAL_ADDRESS must be set');
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } }, shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  // the payload codec, as worker/main.ts has it
  const dataConverter = encryptingDataConverter(loadPayloadKeys(config));
  const temporal = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter });
  const db = createDb({ connectionString: config.databaseUrl, applicationName: 'sms-contracts-bench-worker', role: config.databaseRole });
  const maxCached = process.env.BENCH_MAX_CACHED_WORKFLOWS;
  const workflowsPath = process.env.BENCH_WORKFLOWS_PATH;
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { db, logger, temporal, billing: createLedgerBilling(), smsSettings },
    actorAssertionKey: loadActorAssertionKey(config),
    dataConverter,
    overrides: {
      ...(maxCached ? { maxCachedWorkflows: Number(maxCached) } : {}),
      ...(workflowsPath ? { workflowsPath: resolve(workflowsPath), bundlerOptions: {} } : {}),
    },
  });
  const stop = () => {
    try {
      worker.shutdown();
    } catch {
      // already stopping
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await worker.run();
  await connection.close();
  await clientConnection.close();
  await db.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
