/**
 * kill -9 of the worker process in the middle of an SMS batch: the SMSC has
 * accepted some parts, others are on the wire or claimed, the rest wait.
 * A new worker finishes the batch and every part reaches the SMSC exactly
 * once, counted at the SMSC (an SMPP simulator in this process, so the kill
 * does not touch it; receipts for the dead session wait for the next bind,
 * as an SMSC's store-and-forward does).
 */
import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { startSmscSimulator, type AcceptedSubmit, type SmscSimulator } from '../../tools/smsc/simulator';
import { activeContract, number, onTheWire, SIGNATURE, statusCounts } from '../sms/dispatch-rig';
import { waitFor } from '../support/flows';
import { createHarness, type Harness } from '../support/harness';
import { createChildren } from '../support/processes';

const RECIPIENTS = 1_000;
const KILL_AFTER_ACCEPTED = 300;
const CONTENT = `${SIGNATURE}地震速报：阿拉善盟发生3.2级地震，震源深度10千米，请注意防范余震。请各旗县做好地震应急值守工作，保持通讯畅通，如遇紧急情况及时上报。`;

let h: Harness;
let smsc: SmscSimulator;
const children = createChildren();

beforeAll(async () => {
  smsc = await startSmscSimulator({ port: 0, receiptDelayMs: 20 });
  h = await createHarness({ server: 'dev' });
});
afterAll(async () => {
  children.killAll();
  await h?.close();
  await smsc?.stop();
});

describe('kill -9 of the worker in the middle of an SMS batch', () => {
  it('a new worker finishes the batch: every part reaches the SMSC exactly once', { timeout: 240_000 }, async () => {
    const taskQueue = `sms-kill-${randomBytes(4).toString('hex')}`;
    const workerEnv = {
      TASK_QUEUE: taskQueue,
      SMPP_URL: smsc.url(),
      // a part claimed but never carried waits this long for a receipt before it is sent again
      SMS_AMBIGUOUS_GRACE_SECONDS: '5',
      SMS_SYSTEM_NOTICES: 'off',
    };
    // the contract's lifecycle runs on the harness's worker; the batch on the worker process about to die
    const contract = await activeContract(h, { sms: { permit24h: true } });
    const app = createApp({ ...h.deps, taskQueue });
    const first = children.spawnMain('worker/main.ts', h, workerEnv);
    await waitFor(async () => first.output(), (o) => o.includes('worker running'), 'the first worker running', 90_000);

    const indexes = Array.from({ length: RECIPIENTS }, (_, i) => 5_000 + i);
    const recipients = indexes.map(number);
    const wire = new Set(indexes.map(onTheWire));
    let killedAt: number | null = null;
    const onSubmit = (submit: AcceptedSubmit) => {
      if (killedAt !== null || !wire.has(submit.destination)) return;
      if (smsc.acceptedCount() >= KILL_AFTER_ACCEPTED) {
        first.process.kill('SIGKILL');
        killedAt = smsc.acceptedCount();
      }
    };
    smsc.events.on('submit', onSubmit);
    const submitted = await supertest(app)
      .post(`/api/contracts/${contract.id}/messages`)
      .set('Authorization', `Bearer ${h.tokens.customer}`)
      .send({ category: 'notification', content: CONTENT, recipients, idempotencyKey: 'kill-9-batch' });
    expect(submitted.status, JSON.stringify(submitted.body).slice(0, 500)).toBe(202);
    const { submissionId, partsPerMessage } = submitted.body as { submissionId: string; partsPerMessage: number };
    expect(partsPerMessage).toBe(2);

    expect((await first.exited).signal).toBe('SIGKILL');
    smsc.events.off('submit', onSubmit);
    const acceptedAtKill = smsc.accepted().filter((a) => wire.has(a.destination)).length;
    expect(acceptedAtKill).toBeLessThan(RECIPIENTS * 2);

    const second = children.spawnMain('worker/main.ts', h, workerEnv);
    const started = Date.now();
    await waitFor(() => statusCounts(h, submissionId), (c) => c.delivered === RECIPIENTS, 'every message delivered after the restart', 180_000);
    const finishMs = Date.now() - started;

    const perPart = new Map<string, number>();
    for (const a of smsc.accepted()) {
      if (!wire.has(a.destination)) continue;
      const key = `${a.destination}|${a.concat?.sequence ?? 1}`;
      perPart.set(key, (perPart.get(key) ?? 0) + 1);
    }
    expect(perPart.size).toBe(RECIPIENTS * 2);
    expect([...perPart.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // the SMSC reassembled every message whole, and the ledger agrees with it
    const whole = smsc.messages().filter((m) => wire.has(m.destination));
    expect(whole).toHaveLength(RECIPIENTS);
    expect(whole.every((m) => m.text === CONTENT && m.parts === 2)).toBe(true);
    const { rows } = await h.database.db.query(
      `SELECT count(*)::int AS parts, count(DISTINCT p.smsc_message_id)::int AS ids FROM sms_parts p JOIN sms_messages m ON m.id = p.message_id WHERE m.submission_id = $1 AND p.state = 'delivered'`,
      [submissionId],
    );
    expect(rows[0]).toEqual({ parts: RECIPIENTS * 2, ids: RECIPIENTS * 2 });
    console.info(
      `[faults] kill -9 mid-batch: ${RECIPIENTS * 2} parts, ${acceptedAtKill} accepted by the SMSC before the kill, the rest by a new worker in ${finishMs} ms; each part accepted exactly once`,
    );
    second.process.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
