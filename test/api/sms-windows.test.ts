/**
 * Sending windows (Art.5 §2, Art.8 §4) on the time-skipping server: held
 * messages are released by the dispatch workflow's timer, never earlier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsDispatch } from '../../workflows/sms-dispatch';
import { activeContract, nextShanghai, number, onTheWire, SIGNATURE, skipToShanghai, startSmsRig, statusCounts, waitUntil, type SmsRig } from '../sms/dispatch-rig';

let rig: SmsRig;

/** Each block gets its own simulator and time-skipping server: the clock only moves forward. */
function ownRig() {
  beforeAll(async () => {
    rig = await startSmsRig();
  });
  afterAll(async () => {
    await rig?.close();
  });
}

async function submit(contractId: string, body: Record<string, unknown>) {
  const res = await rig.h.api('customer').post(`/api/contracts/${contractId}/messages`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as {
    submissionId: string;
    window: { held: boolean; sendAt: string | null; reason: string | null };
    results: { status: string; sendAt?: string; recipient?: string }[];
  };
}

async function releasedAt(submissionId: string): Promise<number[]> {
  const { rows } = await rig.h.database.db.query('SELECT released_at FROM sms_messages WHERE submission_id = $1 ORDER BY seq', [submissionId]);
  return rows.map((r) => (r.released_at as Date | null)?.getTime() ?? NaN);
}

const sentTo = (n: number) => rig.smsc.submitCount({ destination: onTheWire(n) });

async function skipTo(instant: number) {
  const now = await rig.h.env.currentTimeMs();
  if (instant > now) await rig.h.env.sleep(instant - now);
}

describe('a notification submitted at 22:30', () => {
  ownRig();
  it('is held and leaves at 08:00 the next day (time-skipped)', async () => {
    const c = await activeContract(rig.h);
    const at = await skipToShanghai(rig.h, '22:30');
    const opening = nextShanghai(at, '08:00');
    const sub = await submit(c.id, { category: 'notification', content: `${SIGNATURE}明日8时起进行地震应急演练，请相关人员准时到岗。`, recipients: [number(1)], idempotencyKey: 'night-1' });
    expect(sub.window).toMatchObject({ held: true, sendAt: new Date(opening).toISOString() });
    expect(sub.window.reason).toContain('held until the next day 08:00');
    expect(sub.results).toEqual([expect.objectContaining({ status: 'held', sendAt: new Date(opening).toISOString(), recipient: `+86${number(1)}` })]);
    expect(await statusCounts(rig.h, sub.submissionId)).toEqual({ held: 1 });

    await skipTo(opening - 60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(1)).toBe(0);
    expect(await statusCounts(rig.h, sub.submissionId)).toEqual({ held: 1 });

    await skipTo(opening + 30_000);
    await waitUntil(async () => (await statusCounts(rig.h, sub.submissionId)).delivered === 1, 20_000, 'the held message delivered');
    expect(sentTo(1)).toBe(1);
    const [released] = await releasedAt(sub.submissionId);
    expect(released).toBeGreaterThanOrEqual(opening);
    expect(released).toBeLessThan(opening + 60_000);
  });
});

describe('a marketing message submitted at 20:30', () => {
  ownRig();
  it('waits until 09:00, past the 08:00 opening of other messages (time-skipped)', async () => {
    // marketing free text, which the terms must allow (the default is templates only)
    const c = await activeContract(rig.h, { sms: { freeText: { marketing: true } } });
    const at = await skipToShanghai(rig.h, '20:30');
    const opening = nextShanghai(at, '09:00');
    const sub = await submit(c.id, {
      category: 'marketing',
      content: `${SIGNATURE}防震减灾科普馆本周六开放参观，欢迎会员预约。`,
      appendUnsubscribe: true,
      recipients: [{ number: number(2), member: true }],
      idempotencyKey: 'evening-marketing-1',
    });
    expect(sub.window).toMatchObject({ held: true, sendAt: new Date(opening).toISOString() });
    expect(sub.window.reason).toContain('09:00–20:00');

    await skipTo(nextShanghai(at, '08:30'));
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(2)).toBe(0);

    await skipTo(opening + 30_000);
    await waitUntil(async () => (await statusCounts(rig.h, sub.submissionId)).delivered === 1, 20_000, 'the marketing message delivered');
    expect(rig.smsc.messages().find((m) => m.destination === onTheWire(2))?.text).toBe(`${SIGNATURE}防震减灾科普馆本周六开放参观，欢迎会员预约。回TD退订`);
    const [released] = await releasedAt(sub.submissionId);
    expect(released).toBeGreaterThanOrEqual(opening);
    expect(released).toBeLessThan(opening + 60_000);
  });
});

describe('an alert at 03:00', () => {
  ownRig();
  it('leaves at once only when the contract holds the 24-hour permit; without it, it waits until 08:00 (time-skipped)', async () => {
    const withPermit = await activeContract(rig.h, { sms: { permit24h: true } });
    const without = await activeContract(rig.h);
    const at = await skipToShanghai(rig.h, '03:00');
    const content = `${SIGNATURE}地震预警：预计30秒后有震感，请立即避险。`;
    const permitted = await submit(withPermit.id, { category: 'alert', content, recipients: [number(3)], idempotencyKey: 'alert-permit' });
    expect(permitted.window.held).toBe(false);
    expect(permitted.results[0]?.status).toBe('accepted');
    await waitUntil(async () => (await statusCounts(rig.h, permitted.submissionId)).delivered === 1, 20_000, 'the permitted alert delivered');
    const [released] = await releasedAt(permitted.submissionId);
    expect(released).toBeGreaterThanOrEqual(at);
    expect(released).toBeLessThan(at + 60_000);

    const opening = nextShanghai(at, '08:00');
    const held = await submit(without.id, { category: 'alert', content, recipients: [number(4)], idempotencyKey: 'alert-no-permit' });
    expect(held.window).toMatchObject({ held: true, sendAt: new Date(opening).toISOString() });
    await skipTo(opening - 60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(4)).toBe(0);
    await skipTo(opening + 30_000);
    await waitUntil(async () => (await statusCounts(rig.h, held.submissionId)).delivered === 1, 20_000, 'the held alert delivered');
    expect(sentTo(3)).toBe(1);
    expect(sentTo(4)).toBe(1);
  });
});

describe('a message without a delivery receipt', () => {
  ownRig();
  it('expires when the 72-hour validity runs out (time-skipped), and the dispatch completes', async () => {
    const c = await activeContract(rig.h, { sms: { permit24h: true } });
    rig.smsc.setReceipts('DELIVRD', { delayMs: 3_600_000 });
    const sub = await submit(c.id, { category: 'notification', content: `${SIGNATURE}值班表已更新，请登录系统查看。`, recipients: [number(5), number(6)], idempotencyKey: 'no-receipt-1' });
    await waitUntil(async () => (await statusCounts(rig.h, sub.submissionId)).submitted === 2, 20_000, 'both messages handed over');
    const handle = rig.h.env.client.workflow.getHandle<typeof smsDispatch>(sub.submissionId);
    await rig.h.env.sleep('71 hours');
    expect(await statusCounts(rig.h, sub.submissionId)).toEqual({ submitted: 2 });
    await rig.h.env.sleep('90 minutes');
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', handedOver: 2, expired: 2 });
    expect(await statusCounts(rig.h, sub.submissionId)).toEqual({ expired: 2 });
  });
});

describe('a held submission', () => {
  ownRig();
  it('can be cancelled before the window opens: nothing is sent and the parts are credited back', async () => {
    const c = await activeContract(rig.h);
    const at = await skipToShanghai(rig.h, '23:00');
    const sub = await submit(c.id, { category: 'notification', content: `${SIGNATURE}明早7时停电检修，请提前做好准备。`, recipients: [number(7), number(8)], idempotencyKey: 'cancel-me' });
    expect(sub.window.held).toBe(true);
    const quotaUsed = async () => (await rig.h.database.db.query('SELECT used_parts FROM sms_quota_usage WHERE contract_id = $1', [c.id])).rows[0]!.used_parts as number;
    expect(await quotaUsed()).toBe(2);
    const cancelled = await rig.h.api('customer').post(`/api/contracts/${c.id}/messages/cancel`, { idempotencyKey: 'cancel-me', reason: '演练取消' });
    expect(cancelled.status).toBe(202);
    const result = await rig.h.env.client.workflow.getHandle<typeof smsDispatch>(sub.submissionId).result();
    expect(result).toMatchObject({ status: 'cancelled', handedOver: 0, endedBeforeSending: 2 });
    expect(await statusCounts(rig.h, sub.submissionId)).toEqual({ cancelled: 2 });
    expect(await quotaUsed()).toBe(0);
    await skipTo(nextShanghai(at, '08:30'));
    expect(sentTo(7) + sentTo(8)).toBe(0);
  });
});
