/**
 * Builds the worker: one task queue, the workflows bundle, and the activities
 * over their injected dependencies.
 */
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type BundleOptions, type WorkerOptions } from '@temporalio/worker';
import { DefinePlugin } from 'webpack';
import { createActivities, type ActivityDeps } from '../activities';

export type CreateWorkerOptions = {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** a prebuilt bundle (tests build it once, with `workflowBundleOptions`); otherwise bundled from workflows/ */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** the actor assertion key (hex, platform/actor-key.ts) compiled into the bundle; needed unless `workflowBundle` */
  actorAssertionKey?: string;
  /** the payload codec (platform/payload-codec.ts `encryptingDataConverter`): the same as the clients' that start and query these workflows */
  dataConverter?: DataConverter;
  overrides?: Partial<WorkerOptions>;
};

export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

const INTERCEPTORS_PATH = join(__dirname, '..', 'workflows', 'interceptors.ts');

/** Bundler options for every bundle of workflows/: see workflows/shared-modules.ts */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: [join(__dirname, '..', 'workflows', 'shared-modules.ts')],
};

/**
 * The product's bundle: workflows/ with the inbound interceptor that checks
 * every update's actor assertion (workflows/interceptors.ts), the key compiled
 * in (the sandbox reads no environment).
 */
export function workflowBundleOptions(actorAssertionKeyHex: string): Pick<BundleOptions, 'workflowsPath' | 'workflowInterceptorModules' | 'webpackConfigHook'> & { preloadModules: string[] } {
  return {
    ...WORKFLOW_BUNDLE_OPTIONS,
    workflowInterceptorModules: [INTERCEPTORS_PATH],
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [...(config.plugins ?? []), new DefinePlugin({ __ACTOR_ASSERTION_KEY_HEX__: JSON.stringify(actorAssertionKeyHex) })],
    }),
  };
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : bundledFromSource(options.actorAssertionKey)),
    activities: createActivities({ taskQueue: options.taskQueue, ...options.deps }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    // drain: activities in flight get this long to finish on shutdown
    shutdownGraceTime: '20 seconds',
    ...options.overrides,
  });
}

function bundledFromSource(actorAssertionKey: string | undefined): Partial<WorkerOptions> {
  if (!actorAssertionKey) throw new Error('createWorker: an actor assertion key is needed to bundle workflows/ (platform/actor-key.ts)');
  const bundle = workflowBundleOptions(actorAssertionKey);
  return {
    workflowsPath: bundle.workflowsPath,
    interceptors: { workflowModules: bundle.workflowInterceptorModules },
    bundlerOptions: { preloadModules: bundle.preloadModules, webpackConfigHook: bundle.webpackConfigHook },
  };
}
