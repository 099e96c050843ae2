/**
 * GET /api/outages, the outages screen's list: one row per outage (not one
 * per affected contract), unresolved and unsent first, with how many
 * customers were notified, are held or unsent, and were notified late, and
 * the time left to the 24-hour notice deadline while notices are unsent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { activeContract, HOUR_MS, serverNow, waitFor } from '../workflows/legal-helpers';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

const OUTAGE = { cause: 'network', description: '核心网设备故障导致短信下发中断，正在抢修。' };

type Listed = { id: string; status: string; contracts: number; notified: number; unsent: number; held: number; late: number; noticeDueAt: string; noticeSecondsLeft: number | null; workflowId?: string };

const list = async (query = '') => (await h.api('legal').get(`/api/outages${query}`).expect(200)).body as { total: number; items: Listed[] };

describe('the list of outages', () => {
  it('counts notified, held, unsent and late customers per outage, lists the unsent first, and hides the restored unless asked', async () => {
    const [c1, c2, c3] = [await activeContract(h), await activeContract(h), await activeContract(h)];
    const now = await serverNow(h);

    // held for review over two contracts: nobody notified yet, both held, 24 hours from learning
    const learnedAt = new Date(now - HOUR_MS).toISOString();
    const held = await h.api('operations').post('/api/outages', { ...OUTAGE, startedAt: learnedAt, learnedAt, contractIds: [c1.id, c2.id], holdForReview: true });
    expect(held.status, JSON.stringify(held.body)).toBe(201);

    // reported 25 hours after learning of it: sent at once, and late
    const lateLearned = new Date(now - 25 * HOUR_MS).toISOString();
    const late = await h.api('operations').post('/api/outages', { ...OUTAGE, cause: 'equipment', startedAt: lateLearned, learnedAt: lateLearned, contractIds: [c3.id] });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    // the outage itself is marked notified (late) after its case: wait for both, the order of the list depends on it
    await waitFor(async () => (await list()).items.find((o) => o.id === late.body.id && o.notified === 1 && o.status === 'notified_late'), 'the late notice to be sent');

    const first = await list();
    const ids = first.items.map((o) => o.id);
    expect(ids.indexOf(held.body.id)).toBeLessThan(ids.indexOf(late.body.id));
    const heldRow = first.items.find((o) => o.id === held.body.id)!;
    expect(heldRow).toMatchObject({ status: 'held', contracts: 2, notified: 0, unsent: 2, held: 2, late: 0 });
    expect(heldRow.noticeDueAt).toBe(new Date(Date.parse(learnedAt) + 24 * HOUR_MS).toISOString());
    expect(Math.abs(heldRow.noticeSecondsLeft! - Math.floor((Date.parse(heldRow.noticeDueAt) - Date.now()) / 1000))).toBeLessThan(5);
    expect(heldRow.workflowId).toBeUndefined();
    expect(first.items.find((o) => o.id === late.body.id)).toMatchObject({ status: 'notified_late', contracts: 1, notified: 1, unsent: 0, held: 0, late: 1, noticeSecondsLeft: null });

    // the release sends both held notices at once
    const released = await h.api('legal').post(`/api/outages/${encodeURIComponent(held.body.id)}/release`, {});
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect((await list()).items.find((o) => o.id === held.body.id)).toMatchObject({ status: 'notified', notified: 2, unsent: 0, held: 0, late: 0, noticeSecondsLeft: null });

    // restored: gone from the default (unresolved) list, still in status=all
    const resolved = await h.api('operations').post(`/api/outages/${encodeURIComponent(late.body.id)}/resolution`, { restoredAt: new Date(await serverNow(h)).toISOString() });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect((await list()).items.map((o) => o.id)).not.toContain(late.body.id);
    const all = await list('?status=all');
    expect(all.items.find((o) => o.id === late.body.id)).toMatchObject({ status: 'restored', notified: 1, late: 1 });
    expect(all.total).toBeGreaterThanOrEqual(2);
  });

  it('is for staff only and refuses an unknown filter', async () => {
    expect((await h.api('customer').get('/api/outages')).status).toBe(403);
    expect((await h.api('operations').get('/api/outages?status=closed')).status).toBe(400);
    expect((await h.api('operations').get('/api/outages?limit=1')).body.items.length).toBeLessThanOrEqual(1);
  });
});
