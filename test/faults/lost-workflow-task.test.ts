/**
 * A workflow task lost while one of its local activities runs (the worker
 * dropped the workflow from its cache: a restart, cache pressure, or here a
 * query that has to replay it) times out, and its retry can record the
 * local activity's result in a workflow task of its own. The lifecycle reached
 * `patched('term-renewal')` right after that local activity, so on replay
 * the SDK resolved the local activity before it had announced the patch of
 * the next task: the branch flipped and the history no longer replayed
 * ("Non-deprecated patch marker encountered for change term-renewal").
 *
 * A run now takes every version decision at its first activation, before any
 * local activity. This test provokes the lost task on purpose and requires
 * the history it produces to replay; the marker-alone shape itself is
 * test/histories/lifecycle-lost-task-v5.json, replayed on every run.
 */
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { describe, expect, inject, it } from 'vitest';
import type { Activities } from '../../activities';
import { getContractStateQuery } from '../../workflows/messages/contract-lifecycle';
import { activeContract, contractDetail, harnessPerBlock, waitFor } from '../support/flows';
import { productDataConverter, recordHistoryIfAsked } from '../support/histories';

/** Holds the lifecycle's bookkeeping right after activation (the term end open, with at most the delivery confirmation beside it) while armed, until released. */
function holdActivationBookkeeping() {
  type Gate = { entered: boolean; release: () => void; released: Promise<void> };
  let gate: Gate | null = null;
  const arm = (): Gate => {
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    gate = { entered: false, release, released };
    return gate;
  };
  const wrap = (real: Activities): Activities => ({
    ...real,
    syncDeadlines: async (input) => {
      const g = gate;
      const kinds = input.open.map((d) => d.kind);
      if (g && !g.entered && kinds.includes('term_end') && kinds.every((k) => k === 'term_end' || k === 'delivery_confirmation')) {
        g.entered = true;
        await g.released;
      }
      return real.syncDeadlines(input);
    },
  });
  return { arm, wrap };
}

/** Workflow tasks that, right after a timed-out attempt, record a local activity's result and nothing else. */
function lonelyMarkersAfterTimeout(types: string[]): number {
  const shape = ['WORKFLOW_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'MARKER_RECORDED', 'WORKFLOW_TASK_SCHEDULED'];
  return types.filter((_, i) => shape.every((t, k) => types[i + k] === `EVENT_TYPE_${t}`)).length;
}

describe('a workflow task lost while a local activity runs', () => {
  const hold = holdActivationBookkeeping();
  const ref = harnessPerBlock({ server: 'dev', maxCachedWorkflows: 0, wrapActivities: hold.wrap });

  it('leaves a history that replays, and the contract settles into its term', { timeout: 300_000 }, async () => {
    const { h } = ref;
    // how the retried task is recorded varies (the local activity's marker alone in a task, or an empty task first):
    // provoke the loss until the marker-alone shape shows, or three times; every history must replay
    const lost: number[] = [];
    let alone = 0;
    for (let attempt = 1; attempt <= 3 && alone === 0; attempt++) {
      const gate = hold.arm();
      const c = await activeContract(h);
      await waitFor(async () => gate.entered, (v) => v, 'the bookkeeping after activation to start');
      // with no workflow cache a query replays the workflow beside its running task, which loses that task
      await h.env.client.workflow.getHandle(c.workflowId).query(getContractStateQuery).catch(() => undefined);
      gate.release();

      // the term end, the renewal objection, the first payment and the delivery confirmation
      const settled = await waitFor(() => contractDetail(h, c.id), (d) => d.deadlines.length === 4, 'the contract settling into its term', 60_000);
      expect(settled.status).toBe('active');
      const handle = h.env.client.workflow.getHandle(c.workflowId);
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: productDataConverter() }, history, c.workflowId);
      // the live workflow answers queries after replaying from its first event
      expect((await handle.query(getContractStateQuery)).status).toBe('active');
      const types = (JSON.parse(historyToJSON(history)) as { events: { eventType: string }[] }).events.map((e) => e.eventType);
      lost.push(types.filter((t) => t === 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT').length);
      alone = lonelyMarkersAfterTimeout(types);
      if (alone > 0) await recordHistoryIfAsked('lifecycle-lost-task-v5', handle);
    }
    // the provocation worked: a task was lost while the local activity ran (test/histories/lifecycle-lost-task-v5.json
    // holds the marker-alone shape and replays on every run)
    expect(Math.max(...lost), `timed-out tasks per attempt: ${lost.join(', ')}`).toBeGreaterThanOrEqual(1);
    console.info(`[faults] lost task: ${lost.length} attempt(s), timed-out tasks ${lost.join(', ')}; local-activity marker alone after a timeout: ${alone > 0 ? 'yes' : 'no'}`);
  });
});
