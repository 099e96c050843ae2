/**
 * The daily renewal digest runs from a Temporal Schedule (09:00 Asia/Shanghai);
 * Schedules need the dev server (the time-skipping server has none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDigestSchedule, ensureStaffDeliverySchedule } from '../../services/workflow-starts';
import { DIGEST_SCHEDULE_ID } from '../../workflows/renewal-digest';
import { STAFF_DELIVERY_SCHEDULE_ID } from '../../workflows/staff-deliveries';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ server: 'dev' });
});
afterAll(async () => {
  await h?.close();
});

describe('renewal digest and calendar', () => {
  it('creates the daily 09:00 Asia/Shanghai schedule once, and a triggered run stores a digest grouped by owner', async () => {
    expect(await ensureDigestSchedule(h.env.client, h.taskQueue)).toBe('created');
    expect(await ensureDigestSchedule(h.env.client, h.taskQueue)).toBe('exists');
    const schedule = h.env.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 9, end: 9, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });

    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const created = await h.api('sales').post('/api/contracts', template).expect(201);
    for (const party of ['A', 'B']) {
      await h.api('sales').post(`/api/contracts/${created.body.id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true }).expect(200);
    }
    // the payment deadline (30 days) lies inside the 60-day horizon
    for (let i = 0; i < 100; i++) {
      const { rowCount } = await h.database.db.query(`SELECT 1 FROM deadlines WHERE contract_id = $1 AND kind = 'payment'`, [created.body.id]);
      if (rowCount) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    // before the first run: no digest, and when the next comes (a 09:00 Beijing time within a day), not a 404
    const before = (await h.api('legal').get('/api/digests').expect(200)).body;
    expect(before.latest).toBeNull();
    expect(before.nextRunAt).toMatch(/T01:00:00\.000Z$/);
    const wait = Date.parse(before.nextRunAt) - Date.now();
    expect(wait > 0 && wait <= 86_400_000).toBe(true);

    await schedule.trigger();
    let digest: any;
    for (let i = 0; i < 100; i++) {
      const res = await h.api('legal').get('/api/digests/latest');
      if (res.status === 200) {
        digest = res.body;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(digest).toBeDefined();
    const group = digest.groups.find((g: { ownerId: string }) => g.ownerId === h.users.sales);
    expect(group.payments.map((p: { contractId: string }) => p.contractId)).toContain(created.body.id);
    const own = (await h.api('sales').get('/api/digests/latest').expect(200)).body;
    expect(own.groups.every((g: { ownerId: string }) => g.ownerId === h.users.sales)).toBe(true);
    const overview = (await h.api('sales').get('/api/digests').expect(200)).body;
    expect(overview.latest).toEqual(own);
    await schedule.delete();

    const ics = await h.api('sales').get('/api/calendar.ics').expect(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.text).toContain('BEGIN:VCALENDAR');
    expect(ics.text).toContain('付款期限');
    expect(ics.text.match(/BEGIN:VEVENT/g)!.length).toBeGreaterThanOrEqual(2);
    const customer = await h.api('customer').get('/api/calendar.ics').expect(200);
    expect(customer.text).toContain('BEGIN:VCALENDAR');
  });

  it('creates the staff deliverer\'s schedule once: every minute, a late run skipped rather than stacked', async () => {
    expect(await ensureStaffDeliverySchedule(h.env.client, h.taskQueue)).toBe('created');
    expect(await ensureStaffDeliverySchedule(h.env.client, h.taskQueue)).toBe('exists');
    const schedule = h.env.client.schedule.getHandle(STAFF_DELIVERY_SCHEDULE_ID);
    const described = await schedule.describe();
    expect(described.spec.intervals?.map((i) => i.every)).toEqual([60_000]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'staffDeliveries', taskQueue: h.taskQueue });
    expect(described.policies.overlap).toBe('SKIP');
    await schedule.delete();
  });
});
