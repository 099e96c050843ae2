/**
 * The work queue's remaining alert kinds through the API, on a real Postgres
 * and the time-skipping Temporal server running the real workflows and
 * activities: each lands in the right inbox, due when it should be, nobody
 * else sees it, and it closes itself (done by the system, closed_reason
 * 'resolved') when its cause is resolved.
 *
 * - a suspension's rectification period lapsing: legal, due at the end of the
 *   period that lapsed; extending the period closes it; the extended period
 *   lapsing raises another, which confirming the rectification closes;
 * - force majeure proof not filed within its period: legal, due at the
 *   period's end; filing the proof (late) closes it;
 * - a violation's freeze not delivered (the contract's lifecycle workflow is
 *   gone: the test terminates it, then legal confirms the violation through
 *   the API, so the violation workflow's own signal fails): legal and
 *   operations; the contract becoming frozen (the lifecycle's own
 *   `changeStatus` activity, called directly since that workflow no longer
 *   runs) closes it;
 * - an SMS signature or template application: operations, due at its review
 *   deadline, raised in the application's transaction and keyed by it; the
 *   review (approval or rejection) closes it.
 *
 * The periods, counted by hand (Civil Code arts. 201, 203; 'act' rule: the day
 * of the act is not counted, the period ends at 24:00 Beijing time of its last
 * day, a last day that is a rest day moves to the next working day):
 * - suspended Thu 2028-06-15 10:00 (Beijing) for 5 days: day 1 Fri 06-16,
 *   day 5 Tue 06-20 → 2028-06-20T16:00:00Z; extended on Wed 06-21 01:00
 *   (Beijing) by 3 days: day 1 Thu 06-22, day 3 Sat 06-24, a rest day → Mon
 *   06-26 24:00 = 2028-06-26T16:00:00Z;
 * - force majeure on Mon 2026-11-02 10:00 (Beijing), 15 days to prove it: day
 *   1 Tue 11-03, day 15 Tue 11-17 → 2026-11-17T16:00:00Z (already over when it
 *   is declared: the event is declared late).
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { recordNotification } from '../../db/notifications';
import { smsReviewNotificationId } from '../../db/sms-templates';
import { contractWorkflowId } from '../../domain/contract';
import type { Inbox, WorkItem } from '../../services/inbox.types';
import type { Harness } from '../support/harness';
import { activeContract, caseStatus, HOUR_MS, ownServer, serverNow, sleepUntil, waitFor } from '../workflows/legal-helpers';

type Role = Parameters<Harness['api']>[0];

const SUSPENDED_AT = '2028-06-15T02:00:00.000Z';
const FIVE_DAYS_END = '2028-06-20T16:00:00.000Z';
const EXTENDED_END = '2028-06-26T16:00:00.000Z';
const EVENT_AT = '2026-11-02T02:00:00.000Z';
const PROOF_END = '2026-11-17T16:00:00.000Z';

/** the smallest PDF a reader opens */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');

const inbox = async (h: Harness, role: Role, state = 'unfinished'): Promise<Inbox> => {
  const res = await h.api(role).get(`/api/inbox?state=${state}&limit=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Inbox;
};
const ofKind = async (h: Harness, role: Role, kind: string, state = 'unfinished'): Promise<WorkItem[]> => (await inbox(h, role, state)).items.filter((i) => i.kind === kind);
/** Waits until the role's inbox holds exactly `n` unfinished items of the kind (matching `pred`). */
const waitForItems = (h: Harness, role: Role, kind: string, n: number, pred: (i: WorkItem) => boolean = () => true) =>
  waitFor(async () => {
    const items = (await ofKind(h, role, kind)).filter(pred);
    return items.length === n && items;
  }, `${n} ${kind} item(s) for ${role}`);
const itemRow = async (h: Harness, id: number) => (await h.database.db.query('SELECT state, done_by, closed_reason, done_at FROM work_items WHERE id = $1', [id])).rows[0];
const rowsOf = async (h: Harness, sql: string, values: unknown[]) => (await h.database.db.query(sql, values)).rows;

describe('alerts from legal periods lapsing (time-skipped to fixed instants): rectification', () => {
  const server = ownServer();

  it('gives legal one item per lapse, due at the end of the period that lapsed; extending or confirming the rectification closes it', async () => {
    const h = server.get();
    // signed now (a contract's signing period runs from its creation on the wall clock), then on to the fixed moment, within its 3-year term
    const c = await activeContract(h);
    const now = await serverNow(h);
    if (now > Date.parse(SUSPENDED_AT)) throw new Error(`this test's fixed instants lie in the past (${new Date(now).toISOString()}): move them forward`);
    await sleepUntil(h, SUSPENDED_AT);
    const suspended = await h.api('legal').post(`/api/contracts/${c.id}/suspensions`, { reason: '主管部门通报：短信含未经同意的商业广告内容', source: 'report', rectificationDays: 5 });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(201);
    expect(suspended.body.deadline).toMatchObject({ kind: 'rectification', dueAt: FIVE_DAYS_END });
    const caseId = suspended.body.id as string;
    const ofCase = (i: WorkItem) => i.caseId === caseId;

    // an hour before the end: nothing yet
    await sleepUntil(h, FIVE_DAYS_END, -HOUR_MS);
    await new Promise((r) => setTimeout(r, 500));
    expect(await caseStatus(h, caseId)).toBe('suspended');
    expect(await ofKind(h, 'legal', 'rectification_lapsed')).toEqual([]);

    // an hour after: lapsed; legal decides (terminate or extend), due when the period ended
    await sleepUntil(h, FIVE_DAYS_END, HOUR_MS);
    const [first] = await waitForItems(h, 'legal', 'rectification_lapsed', 1, ofCase);
    expect(first).toMatchObject({
      state: 'open', caseId, caseKind: 'suspension', contract: { id: c.id, number: c.number }, addressedTo: { role: 'legal', userId: null }, dueAt: FIVE_DAYS_END,
    });
    expect(first!.title).toContain(c.number);
    // legal's alone: the others are not asked
    for (const role of ['operations', 'sales', 'finance', 'admin', 'customer'] as const) expect(await ofKind(h, role, 'rectification_lapsed')).toEqual([]);

    // extended by 3 days: the item closes itself
    const extended = await h.api('legal').post(`/api/suspensions/${caseId}/extension`, { days: 3, reason: '甲方已提交整改方案，给予补充整改期' });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(extended.body.deadline).toMatchObject({ kind: 'rectification', dueAt: EXTENDED_END });
    expect(await itemRow(h, first!.id)).toMatchObject({ state: 'done', done_by: 'system', closed_reason: 'resolved' });
    expect(await ofKind(h, 'legal', 'rectification_lapsed')).toEqual([]);

    // the extended period lapses too: a second item, due at the extended period's end
    await sleepUntil(h, EXTENDED_END, -HOUR_MS);
    await new Promise((r) => setTimeout(r, 500));
    expect(await ofKind(h, 'legal', 'rectification_lapsed')).toEqual([]);
    await sleepUntil(h, EXTENDED_END, HOUR_MS);
    const [second] = await waitForItems(h, 'legal', 'rectification_lapsed', 1, ofCase);
    expect(second).toMatchObject({ state: 'open', caseId, dueAt: EXTENDED_END });
    expect(second!.id).not.toBe(first!.id);

    // the rectification confirmed: closed as resolved
    const rectified = await h.api('legal').post(`/api/suspensions/${caseId}/rectification`, { note: '甲方已删除违规内容并建立内容审核制度' });
    expect(rectified.status, JSON.stringify(rectified.body)).toBe(200);
    expect(await itemRow(h, second!.id)).toMatchObject({ state: 'done', done_by: 'system', closed_reason: 'resolved' });
    const done = await ofKind(h, 'legal', 'rectification_lapsed', 'done');
    expect(done.map((i) => [i.id, i.dueAt, i.closedReason, i.doneBy]).sort()).toEqual(
      [[first!.id, FIVE_DAYS_END, 'resolved', 'system'], [second!.id, EXTENDED_END, 'resolved', 'system']].sort(),
    );
    expect(await rowsOf(h, `SELECT count(*)::int AS n FROM work_items WHERE kind = 'rectification_lapsed'`, [])).toEqual([{ n: 2 }]);
    await h.env.client.workflow.getHandle(suspended.body.workflowId).result();
  }, 180_000);
});

describe('alerts without moving the clock: force majeure proof missing, freeze not delivered, SMS reviews', () => {
  const server = ownServer();

  it('gives legal an item when the proof is not filed within its period, due at its end; filing the proof closes it', async () => {
    const h = server.get();
    const c = await activeContract(h, { signedDaysAgo: 20 });
    // declared late: the 15-day proof period of an event on 2026-11-02 ended on 2026-11-17, before today
    const declared = await h.api('customer').post(`/api/contracts/${c.id}/force-majeure`, {
      declaredBy: 'A', occurredAt: EVENT_AT, event: '地震导致机房停电', description: '6.0级地震致甲方机房断电，无法按时提交发送资料及配合对账。',
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    expect(declared.body.deadline).toMatchObject({ kind: 'force_majeure_proof', dueAt: PROOF_END });
    const caseId = declared.body.id as string;
    await waitFor(async () => (await caseStatus(h, caseId)) === 'proof_overdue', 'the missing proof flagged');

    const [item] = await waitForItems(h, 'legal', 'force_majeure_proof_missing', 1);
    expect(item).toMatchObject({ state: 'open', caseId, caseKind: 'force_majeure', contract: { id: c.id }, addressedTo: { role: 'legal', userId: null }, dueAt: PROOF_END });
    // Party A's contact and the account manager are told, not asked
    for (const role of ['operations', 'sales', 'finance', 'admin', 'customer'] as const) expect(await ofKind(h, role, 'force_majeure_proof_missing')).toEqual([]);

    const filed = await h.api('customer').post(`/api/force-majeure/${encodeURIComponent(caseId)}/proof`, { document: { text: '地震局出具的灾情证明（扫描件另行提交）。' } });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body).toMatchObject({ status: 'proof_filed_late', open: false });
    expect(await itemRow(h, item!.id)).toMatchObject({ state: 'done', done_by: 'system', closed_reason: 'resolved' });
    expect(await ofKind(h, 'legal', 'force_majeure_proof_missing')).toEqual([]);
  });

  it("puts each signature and template application in operations' inbox, due at its review deadline, once; the review closes it", async () => {
    const h = server.get();
    const c = await activeContract(h);
    const boundSignature = (await h.api('customer').get(`/api/contracts/${c.id}/sms-signatures`).expect(200)).body.boundSignature as string;

    const template = await h.api('customer').post(`/api/contracts/${c.id}/sms-templates`, { name: '地震速报', category: 'notification', content: '地震速报：${place}发生${magnitude}级地震，请注意防范。' });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    const signature = await h.api('customer').post(`/api/contracts/${c.id}/sms-signatures`, { text: boundSignature, documentBase64: PDF });
    expect(signature.status, JSON.stringify(signature.body)).toBe(201);

    // raised by the application itself (no workflow): there at once
    const items = await ofKind(h, 'operations', 'sms_review');
    expect(items).toHaveLength(2);
    const forTemplate = items.find((i) => i.title.includes('地震速报'))!;
    const forSignature = items.find((i) => i.title.includes(boundSignature))!;
    expect(forTemplate).toMatchObject({ state: 'open', addressedTo: { role: 'operations', userId: null }, contract: { id: c.id, number: c.number }, caseId: null, link: `/contracts/${c.id}` });
    expect(forTemplate.title).toContain(c.number);
    expect(forTemplate.dueAt).toBe(template.body.reviewDueAt);
    expect(forSignature).toMatchObject({ state: 'open', contract: { id: c.id } });
    expect(forSignature.title).toContain(c.number);
    expect(forSignature.dueAt).toBe(signature.body.reviewDueAt);
    // the item's due time is the review deadline's (24:00 Beijing time of a working day)
    for (const [id, dueAt] of [[template.body.id, forTemplate.dueAt], [signature.body.id, forSignature.dueAt]] as const) {
      const [deadline] = await rowsOf(h, `SELECT due_at FROM deadlines WHERE kind = 'sms_review' AND workflow_id = $1`, [`sms-review-${id}`]);
      expect((deadline!.due_at as Date).toISOString()).toBe(dueAt);
      expect(dueAt).toMatch(/T16:00:00\.000Z$/);
    }
    // operations' alone
    for (const role of ['customer', 'sales', 'legal', 'finance', 'admin'] as const) expect(await ofKind(h, role, 'sms_review')).toEqual([]);

    // keyed by the application: recording its notification again raises nothing
    const again = await recordNotification(h.database.db, {
      id: smsReviewNotificationId(template.body.id), contractId: c.id, audience: 'operations', recipient: 'operations', phone: null, reason: 'sms_review_applied', subject: 's', body: 'b',
    });
    expect(again).toBe(false);
    expect(await rowsOf(h, `SELECT count(*)::int AS n FROM work_items WHERE kind = 'sms_review' AND contract_id = $1`, [c.id])).toEqual([{ n: 2 }]);

    // approved: the template's item closes as resolved, in the review's transaction; the signature's stays
    const approved = await h.api('operations').post(`/api/sms-templates/${template.body.id}/review`, { decision: 'approve' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(await itemRow(h, forTemplate.id)).toMatchObject({ state: 'done', done_by: 'system', closed_reason: 'resolved', done_at: new Date(approved.body.reviewedAt) });
    expect((await ofKind(h, 'operations', 'sms_review')).map((i) => i.id)).toEqual([forSignature.id]);

    // rejected (with its reason): closed as well
    const rejected = await h.api('operations').post(`/api/sms-signatures/${signature.body.id}/review`, { decision: 'reject', reason: '证明材料不清晰' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(await itemRow(h, forSignature.id)).toMatchObject({ state: 'done', done_by: 'system', closed_reason: 'resolved' });
    expect(await ofKind(h, 'operations', 'sms_review')).toEqual([]);
    expect((await ofKind(h, 'operations', 'sms_review', 'done')).map((i) => [i.id, i.closedReason]).sort()).toEqual([[forSignature.id, 'resolved'], [forTemplate.id, 'resolved']].sort());
  });

  // last: a frozen contract freezes its organisation, which then takes no other contract
  it('gives legal and operations an item when the freeze cannot reach the contract; the contract frozen closes both', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const reported = await h.api('customer').post(`/api/contracts/${c.id}/violations`, { reportedBy: 'customer', learnedAt: new Date(await serverNow(h)).toISOString(), description: '疑似发送了营销类违规内容。' });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const caseId = reported.body.id as string;
    // the contract's lifecycle workflow is gone: the freeze signal has nowhere to go
    await h.env.client.workflow.getHandle(contractWorkflowId(c.id)).terminate('the lifecycle unreachable for this test');

    const confirmed = await h.api('legal').post(`/api/violations/${caseId}/confirmation`, { finding: '经复核，短信内容属禁止发送的营销类信息。' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.flags).toContain('freeze_not_delivered');

    const ofCase = (i: WorkItem) => i.caseId === caseId;
    const [legal] = await waitForItems(h, 'legal', 'violation_freeze_not_delivered', 1, ofCase);
    const [operations] = await waitForItems(h, 'operations', 'violation_freeze_not_delivered', 1, ofCase);
    expect(legal).toMatchObject({ state: 'open', caseId, caseKind: 'violation', contract: { id: c.id }, addressedTo: { role: 'legal', userId: null }, dueAt: null });
    expect(operations).toMatchObject({ state: 'open', caseId, contract: { id: c.id }, addressedTo: { role: 'operations', userId: null }, dueAt: null });
    for (const role of ['sales', 'finance', 'admin', 'customer'] as const) expect(await ofKind(h, role, 'violation_freeze_not_delivered')).toEqual([]);
    // the violation's review was decided by the confirmation: that item is gone already
    expect((await ofKind(h, 'legal', 'violation_review')).filter(ofCase)).toEqual([]);

    // a person freezes the account: the status change the lifecycle would have made, through its activity
    const acts = createActivities({ db: h.database.db, logger: pino({ level: 'silent' }), smsSettings: h.deps.smsSettings, systemSms: false, temporal: h.env.client, taskQueue: h.taskQueue });
    await acts.changeStatus({ contractId: c.id, from: ['active'], to: 'frozen', actor: { id: h.users.operations, role: 'operations' }, reason: `内容违规经确认（案件 ${caseId}）` });
    for (const item of [legal!, operations!]) expect(await itemRow(h, item.id)).toMatchObject({ state: 'done', done_by: 'system', closed_reason: 'resolved' });
    expect((await ofKind(h, 'legal', 'violation_freeze_not_delivered')).filter(ofCase)).toEqual([]);
    expect((await ofKind(h, 'operations', 'violation_freeze_not_delivered')).filter(ofCase)).toEqual([]);
  });
});
