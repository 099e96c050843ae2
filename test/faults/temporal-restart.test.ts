/**
 * The Temporal dev server restarted with its persistent database while
 * contracts and timers wait: afterwards every timer still fires at its due
 * time and every contract's deadlines are intact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noop } from '../../workflows/noop';
import { getDeadlinesQuery } from '../../workflows/messages/deadlines';
import { activeContract, contractDetail, freePort, waitFor } from '../support/flows';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temporal-restart-'));
  h = await createHarness({ server: 'dev', devServer: { port: await freePort(), dbFilename: join(dir, 'temporal.sqlite') } });
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Temporal dev server restart', () => {
  it('keeps every timer: they fire at their due time after the restart, and contracts keep their deadlines', { timeout: 120_000 }, async () => {
    const contracts = [await activeContract(h), await activeContract(h)];
    // settled: the payment deadline, the term end, the renewal objection window and the delivery confirmation are all held
    const before = await Promise.all(
      contracts.map(async (c) => (await waitFor(() => contractDetail(h, c.id), (d) => d.deadlines.length === 4, 'the contract settling into its term')).deadlines),
    );

    const TIMER_MS = 12_000;
    const started = Date.now();
    const timers = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        h.env.client.workflow.start(noop, { workflowId: `timer-probe-${i}-${started}`, taskQueue: h.taskQueue, args: [{ timerMs: TIMER_MS }] }),
      ),
    );
    const dueAt = started + TIMER_MS;

    await h.restartTemporal();
    expect(Date.now()).toBeLessThan(dueAt); // the restart happened while the timers waited

    for (const timer of timers) {
      const handle = h.env.client.workflow.getHandle(timer.workflowId);
      await handle.result();
      const { closeTime } = await handle.describe();
      expect(closeTime!.getTime()).toBeGreaterThanOrEqual(dueAt - 1_000);
      expect(closeTime!.getTime()).toBeLessThan(dueAt + 15_000);
    }

    for (const [i, c] of contracts.entries()) {
      const live = await h.env.client.workflow.getHandle(c.workflowId).query(getDeadlinesQuery);
      expect(live.map((d) => [d.kind, d.dueAt]).sort()).toEqual(
        before[i]!.filter((d: { kind: string }) => d.kind !== 'payment').map((d: { kind: string; dueAt: string }) => [d.kind, d.dueAt]).sort(),
      );
      const after = await contractDetail(h, c.id);
      expect(after.status).toBe('active');
      expect(after.deadlines.map((d: { kind: string; dueAt: string }) => [d.kind, d.dueAt]).sort()).toEqual(
        before[i]!.map((d: { kind: string; dueAt: string }) => [d.kind, d.dueAt]).sort(),
      );
      expect((await h.env.client.workflow.getHandle(c.payment.workflowId).describe()).status.name).toBe('RUNNING');
    }
  });
});
