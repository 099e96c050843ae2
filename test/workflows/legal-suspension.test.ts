/**
 * Suspension pending rectification (Art.4 §9), time-skipped from fixed
 * instants: while the service is suspended every submission is refused
 * (409 CONTRACT_SUSPENDED, with the reason and the end of the period) until
 * the rectification is confirmed; the period lapsing leaves the service
 * suspended and alerts legal, who may extend it once more.
 *
 * The periods, counted by hand (Civil Code arts. 201, 203; 'act' rule: the
 * day of the act is not counted, the period ends at 24:00 of its last day,
 * a last day that is a rest day moves to the next working day):
 * - suspended Thu 2028-06-15 10:00 (Beijing), 10 days: day 1 is Fri 06-16,
 *   day 10 Sun 06-25, a rest day → Mon 06-26 24:00 = 2028-06-26T16:00:00Z;
 * - suspended the same moment, 5 days: day 5 is Tue 06-20 → 2028-06-20T16:00:00Z;
 *   extended on Wed 06-21 01:00 (Beijing) by 3 days: day 1 Thu 06-22, day 3
 *   Sat 06-24, a rest day → Mon 06-26 24:00 = 2028-06-26T16:00:00Z.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness';
import { activeContract, auditTypes, caseStatus, HOUR_MS, notificationsOf, ownServer, serverNow, sleepUntil, waitFor } from './legal-helpers';

const SUSPENDED_AT = '2028-06-15T02:00:00.000Z';
const TEN_DAYS_END = '2028-06-26T16:00:00.000Z';
const FIVE_DAYS_END = '2028-06-20T16:00:00.000Z';
const EXTENDED_END = '2028-06-26T16:00:00.000Z';

const REASON = '主管部门通报：短信含未经同意的商业广告内容';

/** The server's clock to the fixed moment (the test server starts at the wall clock). */
async function atSuspensionMoment(h: Harness): Promise<void> {
  const now = await serverNow(h);
  if (now > Date.parse(SUSPENDED_AT)) throw new Error(`this test's fixed instants lie in the past (${new Date(now).toISOString()}): move them forward`);
  await sleepUntil(h, SUSPENDED_AT);
}

let sent = 0;
const send = (h: Harness, contractId: string) =>
  h.api('customer').post(`/api/contracts/${contractId}/messages`, {
    category: 'notification',
    content: '【内蒙古自治区地震局】地震速报：请注意防范余震。',
    recipients: ['13800000011'],
    idempotencyKey: `suspension-test-${++sent}`,
  });

const suspend = (h: Harness, role: Parameters<Harness['api']>[0], contractId: string, body: unknown) => h.api(role).post(`/api/contracts/${contractId}/suspensions`, body);

describe('suspension until rectification (Art.4 §9)', () => {
  const server = ownServer();
  it('refuses every submission with the reason and the end of the period until the rectification is confirmed, then sends again', async () => {
    const h = server.get();
    // signed now (a contract's signing period runs from its creation on the wall clock), then on to the fixed moment, within its first term
    const c = await activeContract(h);
    await atSuspensionMoment(h);
    const before = await send(h, c.id);
    expect(before.status, JSON.stringify(before.body)).toBe(202);

    // input and roles
    const bad = await suspend(h, 'legal', c.id, { reason: '', source: 'rumour', rectificationDays: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.reason', 'body.rectificationDays', 'body.source']);
    for (const role of ['sales', 'finance', 'customer'] as const) expect((await suspend(h, role, c.id, { reason: REASON, source: 'report' })).status).toBe(403);

    const suspended = await suspend(h, 'operations', c.id, { reason: REASON, source: 'authority_notice' });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(201);
    expect(suspended.body).toMatchObject({ kind: 'suspension', status: 'suspended', open: true, servedBy: 'B', clause: '第四条第9款' });
    expect(suspended.body.details).toMatchObject({ source: 'authority_notice', reason: REASON, rectificationDays: 10 });
    expect(Date.parse(suspended.body.details.suspendedAt) - Date.parse(SUSPENDED_AT)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(suspended.body.details.suspendedAt) - Date.parse(SUSPENDED_AT)).toBeLessThan(60_000);
    // terms without rectificationDays (every stored contract): 10 days
    expect(suspended.body.deadline).toMatchObject({ kind: 'rectification', dueAt: TEN_DAYS_END });
    expect(suspended.body.deadline.explanation).toContain('2028-06-25');
    expect(suspended.body.workflowId).toBe(`suspension-${suspended.body.id}`);

    // a second suspension of a suspended contract
    const again = await suspend(h, 'legal', c.id, { reason: '再次暂停', source: 'own_finding' });
    expect(again.status).toBe(409);
    expect(again.body.error.caseId).toBe(suspended.body.id);

    // the deadline is the contract's, and the notice went to Party A
    const detail = await waitFor(async () => {
      const d = (await h.api('legal').get(`/api/contracts/${c.id}`).expect(200)).body;
      return d.deadlines.some((x: { kind: string }) => x.kind === 'rectification') && d;
    }, "the rectification deadline among the contract's");
    expect(detail.deadlines.find((x: { kind: string }) => x.kind === 'rectification')).toMatchObject({ ref: suspended.body.id, dueAt: TEN_DAYS_END });
    const notice = await waitFor(async () => {
      const d = (await h.api('legal').get(`/api/cases/${suspended.body.id}`).expect(200)).body;
      return d.documents.find((x: { role: string }) => x.role === 'suspension_notice');
    }, 'the suspension notice PDF');
    expect(notice.title).toBe('暂停服务通知');
    const pdf = await h.api('customer').get(notice.url).expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const told = await waitFor(async () => {
      const n = await notificationsOf(h, { contractId: c.id, reason: 'suspension_notice' });
      return n.length >= 4 && n;
    }, 'Party A told of the suspension');
    expect(told.map((n) => n.audience).sort()).toEqual(['legal', 'operations', 'owner', 'party_a_contact']);

    // sending is refused, saying why and until when
    const refused = await send(h, c.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONTRACT_SUSPENDED');
    expect(refused.body.error.message).toContain(REASON);
    expect(refused.body.error.message).toContain(TEN_DAYS_END);
    expect(refused.body.error.suspension).toMatchObject({ caseId: suspended.body.id, status: 'suspended', reason: REASON, source: 'authority_notice', rectificationDueAt: TEN_DAYS_END });

    // the rectification is confirmed by legal or operations only (no clock moves here: the dispatch accepted before the
    // suspension holds its sending activity open, and the time-skipping server does not skip while an activity runs)
    expect((await h.api('sales').post(`/api/suspensions/${suspended.body.id}/rectification`, { note: '已整改' })).status).toBe(403);
    expect((await h.api('customer').post(`/api/suspensions/${suspended.body.id}/rectification`, { note: '已整改' })).status).toBe(403);
    expect((await h.api('legal').post(`/api/suspensions/${suspended.body.id}/rectification`, {})).status).toBe(400);
    // no extension before the period lapsed
    expect((await h.api('legal').post(`/api/suspensions/${suspended.body.id}/extension`, { days: 5, reason: '延长' })).status).toBe(409);
    const rectified = await h.api('legal').post(`/api/suspensions/${suspended.body.id}/rectification`, { note: '甲方已删除违规内容并建立内容审核制度' });
    expect(rectified.status, JSON.stringify(rectified.body)).toBe(200);
    expect(rectified.body).toMatchObject({ status: 'rectified', open: false, deadline: null });
    expect(rectified.body.timeline.map((e: { type: string }) => e.type)).toEqual(['suspended', 'rectified']);
    expect((await h.api('legal').post(`/api/suspensions/${suspended.body.id}/rectification`, { note: '再次确认' })).status).toBe(409);

    const after = await send(h, c.id);
    expect(after.status, JSON.stringify(after.body)).toBe(202);
    const { rows } = await h.database.db.query('SELECT status FROM deadlines WHERE workflow_id = $1', [suspended.body.workflowId]);
    expect(rows).toEqual([{ status: 'met' }]);
    expect(await auditTypes(h, c.id)).toEqual(expect.arrayContaining(['case.opened', 'contract.suspended', 'contract.resumed']));
    await h.env.client.workflow.getHandle(suspended.body.workflowId).result();
  }, 180_000);
});

describe('suspension lapsing (Art.4 §9)', () => {
  const server = ownServer();
  it('keeps the service suspended when the period lapses, alerts legal, and lets legal extend it by N days', async () => {
    const h = server.get();
    // signed now (a contract's signing period runs from its creation on the wall clock), then on to the fixed moment, within its first term
    const c = await activeContract(h);
    await atSuspensionMoment(h);
    const suspended = await suspend(h, 'legal', c.id, { reason: REASON, source: 'report', rectificationDays: 5 });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(201);
    expect(suspended.body.deadline).toMatchObject({ kind: 'rectification', dueAt: FIVE_DAYS_END });
    const id = suspended.body.id as string;

    await sleepUntil(h, FIVE_DAYS_END, -HOUR_MS);
    expect(await caseStatus(h, id)).toBe('suspended');
    await sleepUntil(h, FIVE_DAYS_END, HOUR_MS);
    await waitFor(async () => (await caseStatus(h, id)) === 'lapsed', 'the period lapsed');
    const alert = await waitFor(async () => {
      const n = await notificationsOf(h, { contractId: null, reason: 'suspension_rectification_lapsed' });
      return n.length > 0 && n;
    }, 'the legal alert');
    expect(alert.map((n) => n.audience)).toEqual(['legal']);
    expect(alert[0]!.subject).toContain(c.number);
    expect(alert[0]!.body).toContain('终止合同');

    // still suspended
    const lapsed = (await h.api('legal').get(`/api/cases/${id}`).expect(200)).body;
    expect(lapsed).toMatchObject({ status: 'lapsed', open: true });
    expect(lapsed.flags).toContain('rectification_lapsed');
    const refused = await send(h, c.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONTRACT_SUSPENDED', suspension: { status: 'lapsed', rectificationDueAt: FIVE_DAYS_END } });
    // the console words it from its reason: the end of the period, lapsed
    expect(refused.body.error).toMatchObject({ reason: 'contract.suspended', params: { until: FIVE_DAYS_END, lapsed: true } });
    const { rows } = await h.database.db.query('SELECT status FROM deadlines WHERE workflow_id = $1', [suspended.body.workflowId]);
    expect(rows).toEqual([{ status: 'lapsed' }]);

    // legal extends by 3 days (operations may not; the input is checked)
    expect((await h.api('operations').post(`/api/suspensions/${id}/extension`, { days: 3, reason: '给予补充整改期' })).status).toBe(403);
    expect((await h.api('legal').post(`/api/suspensions/${id}/extension`, { days: 0, reason: '' })).status).toBe(400);
    const extended = await h.api('legal').post(`/api/suspensions/${id}/extension`, { days: 3, reason: '甲方已提交整改方案，给予补充整改期' });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(extended.body).toMatchObject({ status: 'suspended', open: true, deadline: { kind: 'rectification', dueAt: EXTENDED_END } });
    expect(extended.body.timeline.map((e: { type: string }) => e.type)).toEqual(['suspended', 'rectification_lapsed', 'extended']);
    expect((await send(h, c.id)).body.error.suspension).toMatchObject({ status: 'suspended', rectificationDueAt: EXTENDED_END });
    expect(await auditTypes(h, c.id)).toEqual(expect.arrayContaining(['contract.suspended', 'case.rectification_lapsed', 'case.suspension_extended']));

    const rectified = await h.api('operations').post(`/api/suspensions/${id}/rectification`, { note: '整改完成' });
    expect(rectified.status, JSON.stringify(rectified.body)).toBe(200);
    expect((await send(h, c.id)).status).toBe(202);
    await h.env.client.workflow.getHandle(suspended.body.workflowId).result();
  }, 180_000);
});
