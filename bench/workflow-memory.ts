/**
 * Live JS heap per cached workflow, by bundle: what one workflow waiting in
 * the worker's cache holds, measured after full garbage collections.
 *
 * The workflows run in debug mode (on the main thread, where
 * process.memoryUsage() and gc() reach them; normally they run in a worker
 * thread, same heap objects). K bare timer workflows (`noop` with a timer)
 * are started on a worker built from (a) workflows/noop.ts alone and (b) the
 * product bundle, workflows/index.ts: with reuseV8Context each workflow gets
 * its own instance of every module of the bundle, so (b) - (a) is what the
 * project's modules cost per workflow.
 *
 *   node --expose-gc --import tsx bench/workflow-memory.ts [K]      prints one JSON line
 */
import { join } from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../worker';
import { benchDataConverter, cleanup, ROOT, startDevServer } from './env';
import { sleep } from './stats';

type Gc = () => void;

type BundleChoice = { workflowsPath: string; preloadModules?: string[] };

async function perWorkflow(choice: BundleChoice, count: number, server: Awaited<ReturnType<typeof startDevServer>>): Promise<{ kib: number; bundleKiB: number }> {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const noop = () => undefined;
  const bundle = await bundleWorkflowCode({ ...choice, logger: { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop } });
  const taskQueue = `memory-${Math.random().toString(36).slice(2, 8)}`;
  const worker = await Worker.create({ connection: server.env.nativeConnection, taskQueue, workflowBundle: bundle, debugMode: true, maxCachedWorkflows: count + 50, dataConverter: benchDataConverter() });
  let kib = 0;
  await worker.runUntil(async () => {
    await server.env.client.workflow.execute('noop', { taskQueue, workflowId: `${taskQueue}-warm`, args: [{}] });
    const timers = () => server.counter('command', { commandType: 'StartTimer' });
    const before = await timers();
    gc();
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) {
      await server.env.client.workflow.start('noop', { taskQueue, workflowId: `${taskQueue}-${i}`, args: [{ timerMs: 30 * 86_400_000 }] });
    }
    while ((await timers()) < before + count) await sleep(250);
    gc();
    gc();
    kib = (process.memoryUsage().heapUsed - heap0) / 1024 / count;
  });
  return { kib, bundleKiB: bundle.code.length / 1024 };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 300);
  const server = await startDevServer();
  const sdkOnly = await perWorkflow({ workflowsPath: join(ROOT, 'workflows', 'noop.ts') }, count, server);
  const product = await perWorkflow(WORKFLOW_BUNDLE_OPTIONS, count, server);
  const unshared = await perWorkflow({ workflowsPath: WORKFLOW_BUNDLE_OPTIONS.workflowsPath }, count, server);
  process.stdout.write(`${JSON.stringify({ count, sdkOnly, product, unshared })}\n`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
