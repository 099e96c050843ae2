import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsActivities } from '../../activities/sms';
import { findContract } from '../../db/contracts';
import { insertMessages, insertSubmission, releaseAndClaimParts } from '../../db/sms';
import { messageIdOf, partRefOf } from '../../domain/sms/dispatch';
import { createSmsGateway } from '../../sms/gateway';
import { activeContract, number, onTheWire, SIGNATURE, startSmsRig, statusCounts, waitUntil, type SmsRig } from './dispatch-rig';

let rig: SmsRig;
let contractId: string;

beforeAll(async () => {
  rig = await startSmsRig();
  // the 24-hour permit lifts the window for notifications: these tests run at any hour
  contractId = (await activeContract(rig.h, { sms: { permit24h: true } })).id;
});
afterAll(async () => {
  await rig?.close();
});

const BULLETIN = '地震速报：阿拉善盟发生3.2级地震，震源深度10千米，请注意防范余震。请各旗县做好地震应急值守工作，保持通讯畅通，如遇紧急情况及时上报。';

async function submit(key: string, recipients: string[], content = `${SIGNATURE}${BULLETIN}`) {
  const res = await rig.h.api('customer').post(`/api/contracts/${contractId}/messages`, { category: 'notification', content, recipients, idempotencyKey: key });
  expect(res.status, JSON.stringify(res.body).slice(0, 2000)).toBe(202);
  return res.body as { submissionId: string; partsPerMessage: number; counts: Record<string, number>; content: string };
}

/** A submission written straight to the ledger, no workflow: the activity is driven by hand. */
async function seedSubmission(key: string, numbers: number[], content: string, partsPerMessage: number): Promise<string> {
  const contract = (await findContract(rig.h.database.db, contractId))!;
  const submissionId = `sms-${contractId}-${key}`;
  await rig.h.database.db.withTransaction(async (tx) => {
    await insertSubmission(tx, {
      id: submissionId, contractId, customer: contract.partyAName, idempotencyKey: key, requestHash: 'x', category: 'notification', content,
      appendedUnsubscribe: false, encoding: 'UCS2', partsPerMessage, sourceAddr: '1065759999', keywordListVersion: '1', contractYear: 1, unlisted: [], requestedBy: 'test',
    });
    await insertMessages(tx, {
      submissionId, contractId, customer: contract.partyAName, category: 'notification', contentHash: key, parts: partsPerMessage, contractYear: 1,
      messages: numbers.map((n, seq) => ({ seq, recipient: `+86${number(n)}`, member: null, decision: 'accepted', reason: null, debitedParts: partsPerMessage })),
    });
  });
  return submissionId;
}

/** Every part the SMSC accepted for these recipients, counted per (destination, part text). */
function perPartCounts(recipients: number[]) {
  const wire = new Set(recipients.map(onTheWire));
  const counts = new Map<string, number>();
  for (const a of rig.smsc.accepted()) {
    if (!wire.has(a.destination)) continue;
    const key = `${a.destination}|${a.concat?.sequence ?? 1}|${a.text}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('SMS dispatch over SMPP, exactly once per part', () => {
  it('delivers a two-part message to each recipient once, with receipts matched to the messages', async () => {
    const numbers = [1, 2, 3, 4, 5];
    const sub = await submit('smoke-1', numbers.map(number));
    expect(sub.partsPerMessage).toBe(2);
    expect(sub.counts.accepted).toBe(5);
    await waitUntil(async () => (await statusCounts(rig.h, sub.submissionId)).delivered === 5, 20_000, 'five delivered messages');
    const counts = perPartCounts(numbers);
    expect(counts.size).toBe(10);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const { rows } = await rig.h.database.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT smsc_message_id)::int AS ids FROM sms_parts p JOIN sms_messages m ON m.id = p.message_id
        WHERE m.submission_id = $1 AND p.state = 'delivered'`,
      [sub.submissionId],
    );
    expect(rows[0]).toEqual({ n: 10, ids: 10 });
  });

  it('loses the SMPP link twice mid-batch (once before a response) and still delivers every part exactly once, counted at the simulator', async () => {
    const numbers = Array.from({ length: 40 }, (_, i) => 101 + i);
    // the 15th accepted submit never gets its response: ambiguous, resolved by its receipt after the rebind
    rig.smsc.dropAfter(15, { beforeResponse: true });
    let binds = 0;
    const onBind = () => {
      binds += 1;
      // after the first reconnect, drop again after 30 more accepted submits (this time after the response)
      if (binds === 1) rig.smsc.dropAfter(30);
    };
    rig.smsc.events.on('bind', onBind);
    const connectsBefore = rig.gateway.transport.stats().connects;
    try {
      const sub = await submit('drop-1', numbers.map(number));
      await waitUntil(async () => (await statusCounts(rig.h, sub.submissionId)).delivered === 40, 30_000, 'forty delivered messages');
    } finally {
      rig.smsc.events.off('bind', onBind);
    }
    expect(rig.gateway.transport.stats().connects - connectsBefore).toBeGreaterThanOrEqual(2);
    const counts = perPartCounts(numbers);
    expect(counts.size).toBe(80);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // the simulator reassembled every message whole
    const assembled = rig.smsc.messages().filter((m) => numbers.map(onTheWire).includes(m.destination));
    expect(assembled).toHaveLength(40);
  });

  it('is slowed by throttling (ESME_RTHROTTLED) but loses nothing and duplicates nothing', async () => {
    const numbers = Array.from({ length: 20 }, (_, i) => 201 + i);
    const throttledBefore = rig.gateway.transport.stats().throttled;
    rig.smsc.throttleNext(25);
    const sub = await submit('throttle-1', numbers.map(number));
    await waitUntil(async () => (await statusCounts(rig.h, sub.submissionId)).delivered === 20, 30_000, 'twenty delivered messages');
    expect(rig.gateway.transport.stats().throttled - throttledBefore).toBe(25);
    const counts = perPartCounts(numbers);
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('an SMSC that stops answering (responses time out) still ends with every part accepted once', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => 301 + i);
    rig.smsc.stall(2_500);
    const sub = await submit('stall-1', numbers.map(number), `${SIGNATURE}请各单位于今日17时前报送值班表。`);
    await waitUntil(async () => (await statusCounts(rig.h, sub.submissionId)).delivered === 12, 30_000, 'twelve delivered messages');
    const counts = perPartCounts(numbers);
    expect(counts.size).toBe(12);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('the send activity', () => {
  it('hands nothing over once the sending window has closed on Temporal\'s clock, and everything while it is open', async () => {
    const submissionId = await seedSubmission('window-test', [501, 502], `${SIGNATURE}今晚值班安排已发布。`, 1);
    const acts = createSmsActivities({ db: rig.h.database.db, smsSettings: rig.h.deps.smsSettings, sms: rig.gateway });
    const scheduledAt = Date.parse('2026-05-14T13:59:59.990Z'); // 21:59:59.990 Asia/Shanghai
    const closed = new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: scheduledAt + 20 });
    expect(await closed.run(acts.sendSmsChunk, { submissionId, releasedAt: '2026-05-14T14:00:00.010Z', windowEndsAt: '2026-05-14T14:00:00.000Z' })).toEqual({ handedOver: 0, ended: 0, remaining: 2 });
    expect(perPartCounts([501, 502]).size).toBe(0);
    const open = new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: Date.parse('2026-05-15T00:00:00.000Z') }); // 08:00 the next day
    expect(await open.run(acts.sendSmsChunk, { submissionId, releasedAt: '2026-05-15T00:00:00.000Z', windowEndsAt: '2026-05-15T14:00:00.000Z' })).toEqual({ handedOver: 2, ended: 0, remaining: 0 });
    expect(perPartCounts([501, 502]).size).toBe(2);
  });
});

describe('a retried send activity', () => {
  it('never submits a part again that the SMSC accepted before the previous attempt died', async () => {
    const numbers = [401, 402, 403];
    const submissionId = await seedSubmission('retry-test', numbers, `${SIGNATURE}${BULLETIN}`, 2);
    const acts = createSmsActivities({ db: rig.h.database.db, smsSettings: rig.h.deps.smsSettings, sms: rig.gateway });
    const env = new MockActivityEnvironment();
    // receipts come late, so the second attempt has to decide before it sees them
    rig.smsc.setReceipts('DELIVRD', { delayMs: 800 });
    try {
      const first = await env.run(acts.sendSmsChunk, { submissionId, releasedAt: new Date().toISOString() });
      expect(first).toMatchObject({ handedOver: 3, remaining: 0 });
      // as if the first attempt had crashed after the SMSC accepted every part but before recording the answers
      await rig.h.database.db.query(
        `UPDATE sms_parts SET state = 'submitting', smsc_message_id = NULL, submitted_at = NULL WHERE message_id LIKE $1 || ':%'`,
        [submissionId],
      );
      await rig.h.database.db.query(`UPDATE sms_messages SET status = 'sending', submitted_at = NULL WHERE submission_id = $1`, [submissionId]);
      const second = await env.run(acts.sendSmsChunk, { submissionId, releasedAt: new Date().toISOString() });
      expect(second).toMatchObject({ handedOver: 3, remaining: 0 });
    } finally {
      rig.smsc.setReceipts('DELIVRD', { delayMs: 20 });
    }
    const counts = perPartCounts(numbers);
    expect(counts.size).toBe(6);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // the late receipts were adopted by the ambiguous parts, which now carry the SMSC's ids
    await waitUntil(async () => (await statusCounts(rig.h, submissionId)).delivered === 3, 10_000, 'three delivered messages');
    const { rows } = await rig.h.database.db.query(`SELECT count(DISTINCT smsc_message_id)::int AS ids, max(attempts)::int AS attempts FROM sms_parts WHERE message_id LIKE $1 || ':%'`, [submissionId]);
    expect(rows[0]).toEqual({ ids: 6, attempts: 1 });
  });

  it('resubmits once the parts an attempt claimed but died before the link carried (no receipt within the grace period)', async () => {
    const numbers = [701, 702];
    const submissionId = await seedSubmission('claimed-test', numbers, `${SIGNATURE}${BULLETIN}`, 2);
    // as if an attempt had claimed the first message's parts and died before writing them to the link
    const first = messageIdOf(submissionId, 0);
    const parts = [1, 2].map((partNo) => ({ messageId: first, partNo, ref: partRefOf(submissionId, 0, partNo), recipient: `+86${number(701)}` }));
    expect(await releaseAndClaimParts(rig.h.database.db, { messageIds: [first], releasedAt: new Date().toISOString(), parts })).toHaveLength(2);
    const acts = createSmsActivities({ db: rig.h.database.db, smsSettings: rig.h.deps.smsSettings, sms: rig.gateway });
    expect(await new MockActivityEnvironment().run(acts.sendSmsChunk, { submissionId, releasedAt: new Date().toISOString() })).toMatchObject({ handedOver: 2, remaining: 0 });
    const counts = perPartCounts(numbers);
    expect(counts.size).toBe(4);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const { rows } = await rig.h.database.db.query(`SELECT attempts FROM sms_parts WHERE message_id LIKE $1 || ':%' ORDER BY message_id, part_no`, [submissionId]);
    expect(rows.map((r) => r.attempts)).toEqual([2, 2, 1, 1]);
  });
});

describe('one send attempt', () => {
  it('sends chunk after chunk of a submission, each part once', async () => {
    const numbers = Array.from({ length: 10 }, (_, i) => 801 + i);
    const submissionId = await seedSubmission('chunks-test', numbers, `${SIGNATURE}${BULLETIN}`, 2);
    const gateway = createSmsGateway({ transport: rig.gateway.transport, settings: { ...rig.gateway.settings, chunkMessages: 4 } });
    const acts = createSmsActivities({ db: rig.h.database.db, smsSettings: rig.h.deps.smsSettings, sms: gateway });
    expect(await new MockActivityEnvironment().run(acts.sendSmsChunk, { submissionId, releasedAt: new Date().toISOString() })).toEqual({ handedOver: 10, ended: 0, remaining: 0 });
    const counts = perPartCounts(numbers);
    expect(counts.size).toBe(20);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    await waitUntil(async () => (await statusCounts(rig.h, submissionId)).delivered === 10, 10_000, 'ten delivered messages');
  });
});
