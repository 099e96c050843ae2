/**
 * Content violations (Art.4 §10(5), Art.8 §5): the customer's report is due
 * within 1 hour of learning of the violation (on time or late, recorded); a
 * confirmed violation freezes the account for good and forfeits the package.
 */
import { describe, expect, it } from 'vitest';
import { recordHistoryIfAsked } from '../support/histories';
import type { Harness } from '../support/harness';
import { activeContract, auditTypes, HOUR_MS, notificationsOf, ownServer, waitFor } from './legal-helpers';

const report = (h: Harness, role: Parameters<Harness['api']>[0], contractId: string, body: Record<string, unknown>) =>
  h.api(role).post(`/api/contracts/${contractId}/violations`, body);

describe('violation reports (Art.4 §10(5))', () => {
  const server = ownServer();
  it('records a customer report 59 minutes after learning as on time, and 61 minutes after as late', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const now = Date.now();
    const onTime = await report(h, 'customer', c.id, { reportedBy: 'customer', learnedAt: new Date(now - 59 * 60_000).toISOString(), description: '发现一条含违规营销内容的短信已发出。', messageRef: 'BATCH-0001' });
    expect(onTime.status, JSON.stringify(onTime.body)).toBe(201);
    expect(onTime.body).toMatchObject({ kind: 'violation', status: 'reported', servedBy: 'A', flags: [], open: true });
    expect(onTime.body.details.report).toMatchObject({ onTime: true, reportedAt: expect.any(String) });
    expect(Date.parse(onTime.body.details.report.dueAt) - Date.parse(onTime.body.details.learnedAt)).toBe(HOUR_MS);
    expect(onTime.body.details.report.explanation).toContain('1 小时');

    const late = await report(h, 'customer', c.id, { reportedBy: 'customer', learnedAt: new Date(now - 61 * 60_000).toISOString(), description: '另一条违规短信。' });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    expect(late.body.details.report.onTime).toBe(false);
    expect(late.body.flags).toEqual(['reported_late']);
    expect(late.body.timeline[0]).toMatchObject({ type: 'reported', actor: { id: h.users.customer, role: 'customer' }, data: { onTime: false } });
    const { rows } = await h.database.db.query(`SELECT workflow_id, status FROM deadlines WHERE kind = 'violation_report' AND contract_id = $1`, [c.id]);
    const statusOf = (caseId: string) => rows.find((r) => r.workflow_id === `violation-${caseId}`)?.status;
    expect([statusOf(onTime.body.id), statusOf(late.body.id)]).toEqual(['met', 'lapsed']);
    const lateAlert = await waitFor(async () => {
      const n = await notificationsOf(h, { contractId: c.id, reason: 'violation_reported_late' });
      return n.length >= 2 && n;
    }, 'the late report alert');
    expect(lateAlert.map((n) => n.audience).sort()).toEqual(['legal', 'owner']);
    expect(await auditTypes(h, c.id)).toContain('case.opened');

    // input and roles
    const bad = await report(h, 'customer', c.id, { reportedBy: 'customer', learnedAt: '2999-01-01T00:00:00Z', description: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('body.learnedAt');
    const noTime = await report(h, 'customer', c.id, { reportedBy: 'someone', learnedAt: 'yesterday', description: '' });
    expect(noTime.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.description', 'body.learnedAt', 'body.reportedBy']);
    expect((await report(h, 'customer', c.id, { reportedBy: 'provider', learnedAt: new Date(now).toISOString(), description: 'x' })).status).toBe(403);
    expect((await report(h, 'finance', c.id, { reportedBy: 'customer', learnedAt: new Date(now).toISOString(), description: 'x' })).status).toBe(403);
  });
});

describe('violation confirmed (Art.8 §5)', () => {
  const server = ownServer();
  it('freezes the account for good via the lifecycle, records the remaining package as forfeited, and offers no way back', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const detected = await report(h, 'operations', c.id, { reportedBy: 'provider', learnedAt: new Date().toISOString(), description: '监测发现发送赌博类推广短信。' });
    expect(detected.status, JSON.stringify(detected.body)).toBe(201);
    expect(detected.body).toMatchObject({ status: 'detected', servedBy: 'B', deadline: null });
    await waitFor(async () => (await notificationsOf(h, { contractId: c.id, reason: 'violation_detected' })).some((n) => n.audience === 'party_a_contact'), 'the customer told of the finding');

    expect((await h.api('sales').post(`/api/violations/${detected.body.id}/confirmation`, { finding: 'x' })).status).toBe(403);
    expect((await h.api('legal').post(`/api/violations/${detected.body.id}/confirmation`, {})).status).toBe(400);
    const confirmed = await h.api('legal').post(`/api/violations/${detected.body.id}/confirmation`, { finding: '经复核，短信内容属禁止发送的赌博类信息。' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', open: false });
    expect(confirmed.body.flags).toContain('account_frozen');
    expect(confirmed.body.details.forfeiture).toMatchObject({ contractYear: 1, yearQuotaSms: 12666, laterYears: 2, laterYearsSms: 25332 });
    expect(confirmed.body.timeline.map((e: { type: string }) => e.type)).toEqual(['detected', 'confirmed', 'freeze_requested']);
    await recordHistoryIfAsked('violation-confirmed-v1', h.env.client.workflow.getHandle(detected.body.workflowId));
    const { rows } = await h.database.db.query('SELECT case_id, year_quota_sms, later_years_sms, recorded_by FROM forfeitures WHERE contract_id = $1', [c.id]);
    expect(rows).toEqual([{ case_id: detected.body.id, year_quota_sms: 12666, later_years_sms: 25332, recorded_by: h.users.legal }]);
    expect(await auditTypes(h, c.id)).toEqual(expect.arrayContaining(['case.violation_confirmed', 'package.forfeited', 'contract.freeze_requested']));

    // the freeze signal reached the contract's lifecycle, carrying the case and the actor
    const freezeSignals = async () =>
      ((await h.env.client.workflow.getHandle(`contract-${c.id}`).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'freezeContractSignal');
    const signals = await waitFor(async () => (await freezeSignals()).length > 0 && freezeSignals(), 'the freeze signal in the lifecycle');
    expect(signals).toHaveLength(1);
    // the lifecycle froze the contract: it ended, its deadlines closed, and the SMS service refuses every submission
    await h.env.client.workflow.getHandle(`contract-${c.id}`).result();
    const frozen = (await h.api('legal').get(`/api/contracts/${c.id}`).expect(200)).body;
    expect(frozen.status).toBe('frozen');
    expect(frozen.deadlines).toEqual([]);
    const refused = await h.api('customer').post(`/api/contracts/${c.id}/messages`, {
      category: 'notification',
      content: '【内蒙古自治区地震局】地震速报：请注意防范。',
      recipients: ['13800000011'],
      idempotencyKey: 'after-freeze',
    });
    expect(refused.status).toBe(409);
    const told = await notificationsOf(h, { contractId: c.id, reason: 'violation_confirmed' });
    expect(told.map((n) => n.audience).sort()).toEqual(['legal', 'operations', 'owner', 'party_a_contact']);
    expect(told[0]!.body).toContain('不可申请重新开通');

    // no way back: neither a dismissal nor a second confirmation, and no reactivation route exists
    expect((await h.api('admin').post(`/api/violations/${detected.body.id}/dismissal`, { reason: '撤销' })).status).toBe(409);
    expect((await h.api('admin').post(`/api/violations/${detected.body.id}/confirmation`, { finding: '再次确认' })).status).toBe(409);
    expect((await h.api('admin').post(`/api/violations/${detected.body.id}/reactivation`, {})).status).toBe(404);
  });

});

// its own server: the freeze above waits for the lifecycle's result, which lets the server skip time
describe('violation dismissed (Art.8 §5)', () => {
  const server = ownServer();
  it('dismisses a reported violation that review finds is none: the account stays in service', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const reported = await report(h, 'customer', c.id, { reportedBy: 'customer', learnedAt: new Date().toISOString(), description: '疑似违规。' });
    const dismissed = await h.api('operations').post(`/api/violations/${reported.body.id}/dismissal`, { reason: '内容为正常通知短信，不构成违规。' });
    expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', open: false });
    await recordHistoryIfAsked('violation-dismissed-v1', h.env.client.workflow.getHandle(reported.body.workflowId));
    const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM forfeitures WHERE contract_id = $1', [c.id]);
    expect(rows[0]!.n).toBe(0);
    expect((await h.api('legal').post(`/api/violations/${reported.body.id}/confirmation`, { finding: 'x' })).status).toBe(409);
  });
});
