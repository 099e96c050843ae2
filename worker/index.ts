/**
 * Builds the worker: one task queue, the workflows bundle, and the activities
 * over their injected dependencies.
 */
import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export type CreateWorkerOptions = {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** a prebuilt bundle (tests build it once); otherwise bundled from workflows/ */
  workflowBundle?: WorkerOptions['workflowBundle'];
  overrides?: Partial<WorkerOptions>;
};

export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

/** Bundler options for every bundle of workflows/: see workflows/shared-modules.ts */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: [join(__dirname, '..', 'workflows', 'shared-modules.ts')],
};

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules } }),
    activities: createActivities({ taskQueue: options.taskQueue, ...options.deps }),
    // drain: activities in flight get this long to finish on shutdown
    shutdownGraceTime: '20 seconds',
    ...options.overrides,
  });
}
