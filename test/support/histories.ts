/**
 * Workflow histories in tests.
 *
 * - Recorded histories (`test/histories/`): set RECORD_HISTORIES=1 when
 *   running the tests that record them to (re)write them after an intended
 *   change; the replay test runs every committed history against the current
 *   code.
 * - Every history a test file produces: the harness's client notes each
 *   workflow it starts (through the API, an activity or the test itself);
 *   when the file's harness closes, every run of each of them (following
 *   continue-as-new back to the first run) is fetched and replayed against the
 *   current workflow bundle, with no cache, from its first event. A
 *   nondeterminism fails the file, and the offending histories are written to
 *   `test-results/nondeterministic/` for a look.
 * - Payloads are encrypted by the product's codec (platform/payload-codec.ts,
 *   the run's PAYLOAD_KEY from vitest.config.mts): every replay decodes with
 *   `productDataConverter()`; histories recorded before the codec carry plain
 *   payloads, which it passes through.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client, WorkflowClientInterceptor, WorkflowHandle } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../platform/config';
import { encryptingDataConverter } from '../../platform/payload-codec';
import { loadPayloadKeys } from '../../platform/payload-key';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');
const NONDETERMINISTIC_DIR = join(__dirname, '..', '..', 'test-results', 'nondeterministic');

/** The data converter the worker and the API use (the payload codec with the run's keys): for test clients, workers and replays. */
export function productDataConverter(): DataConverter {
  return encryptingDataConverter(loadPayloadKeys(loadConfig()));
}

export async function recordHistoryIfAsked(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const history = await handle.fetchHistory();
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
}

type History = temporal.api.history.v1.IHistory;

/** Notes the id of every workflow a client starts. */
export function createStartedWorkflows() {
  const ids = new Set<string>();
  const interceptor: WorkflowClientInterceptor = {
    start: (input, next) => (ids.add(input.options.workflowId), next(input)),
    startWithDetails: (input, next) => (ids.add(input.options.workflowId), next(input)),
    signalWithStart: (input, next) => (ids.add(input.options.workflowId), next(input)),
    startUpdateWithStart: (input, next) => (ids.add(input.workflowStartOptions.workflowId), next(input)),
  };
  return { ids, interceptor };
}

/** Every run of the workflow, first run first (continue-as-new links each run to the one before). */
async function allRuns(client: Client, workflowId: string): Promise<{ runId: string; history: History }[]> {
  const runs: { runId: string; history: History }[] = [];
  let runId: string | undefined;
  for (;;) {
    const handle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runs.unshift({ runId: runId ?? (await handle.describe()).runId, history });
    runId = started?.continuedExecutionRunId || undefined;
    if (!runId) return runs;
  }
}

export type ReplaySummary = { workflows: number; runs: number; events: number; failures: { workflowId: string; runId: string; error: string }[] };

/** Replays every run of every workflow against the bundle; never throws for a nondeterminism, reports it. */
export async function replayStartedWorkflows(client: Client, workflowIds: Iterable<string>, bundlePath: string, label: string, dataConverter: DataConverter = productDataConverter()): Promise<ReplaySummary> {
  const summary: ReplaySummary = { workflows: 0, runs: 0, events: 0, failures: [] };
  const histories: { workflowId: string; runId: string; history: History }[] = [];
  for (const workflowId of workflowIds) {
    // a workflow the server never accepted (a rejected start) has nothing to replay
    const runs = await allRuns(client, workflowId).catch((e: Error) => (e.name === 'WorkflowNotFoundError' ? [] : Promise.reject(e)));
    if (runs.length === 0) continue;
    summary.workflows += 1;
    for (const run of runs) histories.push({ workflowId, ...run });
  }
  if (histories.length === 0) return summary;
  // the replayer answers one result per history, in the order given
  const results = Worker.runReplayHistories(
    { workflowBundle: { codePath: bundlePath }, replayName: label, dataConverter },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  for await (const result of results) {
    const replayed = histories[summary.runs]!;
    summary.runs += 1;
    summary.events += replayed.history.events?.length ?? 0;
    if (result.error) {
      summary.failures.push({ workflowId: replayed.workflowId, runId: replayed.runId, error: result.error.message });
      mkdirSync(NONDETERMINISTIC_DIR, { recursive: true });
      writeFileSync(join(NONDETERMINISTIC_DIR, `${replayed.workflowId}-${replayed.runId}.json`), historyToJSON(replayed.history));
    }
  }
  return summary;
}
