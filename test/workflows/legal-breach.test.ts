/**
 * Breach and cure (Art.10), time-skipped on the test server against a real
 * Postgres and the real activities: every branch of a breach case, and the
 * non-payment breach case billing opens without any human action.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { invoiceNumber } from '../../domain/billing';
import { computeDeadline } from '../../domain/periods';
import type { Harness } from '../support/harness';
import { paymentDeadline } from '../support/flows';
import { recordHistoryIfAsked } from '../support/histories';
import { pdfText as pdfTextOf } from '../support/pdf-text';
import {
  activeContract,
  auditTypes,
  caseRow,
  caseStatus,
  DAY_MS,
  dayNoon,
  notificationsOf,
  ownServer,
  SAMPLE_PDF_BASE64,
  serverNow,
  sleepUntil,
  triggerWithUnextendedPeriod,
  waitFor,
} from './legal-helpers';

const NOTICE = { servedBy: 'B', clause: '第三条第4款', description: '甲方未在合同签订后 30 日内支付三年服务费。', evidence: '银行流水（示例）' };

async function serve(h: Harness, contractId: string, body: Record<string, unknown>, role: 'legal' | 'sales' | 'admin' = 'legal') {
  const res = await h.api(role).post(`/api/contracts/${contractId}/breach-notices`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Record<string, any>;
}

const caseDetail = async (h: Harness, id: string) => (await h.api('legal').get(`/api/cases/${encodeURIComponent(id)}`).expect(200)).body as Record<string, any>;
const action = (h: Harness, role: Parameters<Harness['api']>[0], id: string, what: string, body: unknown) => h.api(role).post(`/api/breach-cases/${encodeURIComponent(id)}/${what}`, body);

const pdfText = (buf: Buffer) => pdfTextOf(buf, { compact: true });

async function download(h: Harness, url: string): Promise<Buffer> {
  const res = await h.api('legal').get(url).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(res.status).toBe(200);
  return res.body as Buffer;
}

describe('breach notice cured on day 9 (time-skipped)', () => {
  const server = ownServer();
  it('serves a written notice with a 10-day cure period counted from service; a written confirmation on day 9 cures it', async () => {
    const h = server.get();
    const c = await activeContract(h, { signedDaysAgo: 20 });
    const servedAt = triggerWithUnextendedPeriod(await serverNow(h), 10, Date.parse(c.effectiveAt));
    const served = await serve(h, c.id, { ...NOTICE, servedAt });
    const expected = computeDeadline({ from: servedAt, period: { unit: 'days', amount: 10 }, rule: 'act' });
    expect(served).toMatchObject({ kind: 'breach', status: 'served', servedBy: 'B', clause: '第三条第4款', open: true });
    expect(served.deadline).toMatchObject({ kind: 'cure', dueAt: expected.dueAt });
    // day 10 ends at 24:00 Shanghai: noon of day 10 plus 12 hours
    expect(Date.parse(expected.dueAt)).toBe(dayNoon(servedAt, 10) + 12 * 3_600_000);
    expect(served.deadline.explanation).toContain('第 10 日');

    // the notice PDF quotes the clause, states the facts, the deadline and the dispute route; Party A is told
    const notice = await waitFor(async () => (await caseDetail(h, served.id)).documents.find((d: { role: string }) => d.role === 'breach_notice'), 'the breach notice PDF');
    const text = pdfText(await download(h, notice.url));
    for (const phrase of ['违约通知书', '第三条第4款', '一次性支付三年短信服务费', '甲方未在合同签订后30日内支付三年服务费', '纠正或异议截止', '乙方所在地人民法院']) {
      expect(text).toContain(phrase);
    }
    const told = await waitFor(async () => {
      const n = await notificationsOf(h, { contractId: c.id, reason: 'breach_notice_served' });
      return n.length >= 3 && n;
    }, 'the notice notifications');
    expect(told.map((n) => n.audience).sort()).toEqual(['legal', 'owner', 'party_a_contact']);

    // the contract shows the cure deadline live from the case workflow
    const contract = (await h.api('sales').get(`/api/contracts/${c.id}`).expect(200)).body;
    expect(contract.deadlines.find((d: { kind: string }) => d.kind === 'cure')?.dueAt).toBe(expected.dueAt);

    await sleepUntil(h, dayNoon(servedAt, 9));
    const missing = await action(h, 'customer', served.id, 'cure', { note: '已付款' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues.map((i: { path: string }) => i.path)).toContain('body.confirmation');

    const cured = await action(h, 'customer', served.id, 'cure', { confirmation: { text: '我单位已于今日付清全部款项，特此书面确认。' }, note: '附银行回单' });
    expect(cured.status, JSON.stringify(cured.body)).toBe(200);
    expect(cured.body).toMatchObject({ status: 'cured', open: false, deadline: null });
    const confirmation = cured.body.documents.find((d: { role: string }) => d.role === 'cure_confirmation');
    expect(confirmation).toMatchObject({ kind: 'cure_confirmation', title: '纠正违约书面确认' });
    expect(pdfText(await download(h, confirmation.url))).toContain('我单位已于今日付清全部款项');
    const timeline = cured.body.timeline as { type: string; at: string; actor: { id: string; role: string } }[];
    expect(timeline.map((e) => e.type)).toEqual(['served', 'cured']);
    expect(timeline[0]!.actor).toMatchObject({ id: h.users.legal, role: 'legal' });
    expect(timeline[1]!.actor).toMatchObject({ id: h.users.customer, role: 'customer' });
    expect(Date.parse(timeline[1]!.at)).toBeGreaterThanOrEqual(dayNoon(servedAt, 9));

    const again = await action(h, 'legal', served.id, 'cure', { confirmation: { text: '再次确认' } });
    expect(again.status).toBe(409);
    expect(await auditTypes(h, c.id)).toEqual(expect.arrayContaining(['case.opened', 'document.filed', 'case.cured']));
    const { rows } = await h.database.db.query(`SELECT status FROM deadlines WHERE workflow_id = $1 AND kind = 'cure'`, [served.workflowId]);
    expect(rows).toEqual([{ status: 'met' }]);
    expect((await h.env.client.workflow.getHandle(served.workflowId).result()).status).toBe('cured');
    await recordHistoryIfAsked('breach-cured-v1', h.env.client.workflow.getHandle(served.workflowId));
  });
});

describe('breach notice objected to, then settled (time-skipped)', () => {
  const server = ownServer();
  it('an objection on day 3 opens a 30-day negotiation (terms.legal.negotiationDays); a settlement on day 20 closes the case', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const served = await serve(h, c.id, NOTICE, 'sales');
    await sleepUntil(h, Date.parse(served.openedAt) + 3 * DAY_MS);

    const objected = await action(h, 'customer', served.id, 'objection', { reason: '款项已通过其他渠道支付，违约不存在。' });
    expect(objected.status, JSON.stringify(objected.body)).toBe(200);
    expect(objected.body.status).toBe('negotiating');
    const objectedAt = objected.body.timeline.find((e: { type: string }) => e.type === 'objected').at as string;
    const limit = computeDeadline({ from: objectedAt, period: { unit: 'days', amount: 30 }, rule: 'act' });
    expect(objected.body.deadline).toMatchObject({ kind: 'negotiation', dueAt: limit.dueAt });
    // the reason itself is the written objection, stored as a document
    expect(objected.body.documents.map((d: { role: string }) => d.role)).toContain('objection');

    expect((await action(h, 'legal', served.id, 'cure', { confirmation: { text: '已纠正' } })).status).toBe(409);
    await sleepUntil(h, Date.parse(served.openedAt) + 20 * DAY_MS);
    expect((await action(h, 'sales', served.id, 'settlement', { summary: '双方确认款项已付清' })).status).toBe(403);
    const settled = await action(h, 'legal', served.id, 'settlement', { summary: '双方确认款项已付清，互不追究。', document: { pdfBase64: SAMPLE_PDF_BASE64, title: '和解协议' } });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body).toMatchObject({ status: 'settled', open: false });
    expect(settled.body.timeline.map((e: { type: string }) => e.type)).toEqual(['served', 'objected', 'settled']);
    const agreement = settled.body.documents.find((d: { role: string }) => d.role === 'settlement');
    expect((await download(h, agreement.url)).toString('base64')).toBe(SAMPLE_PDF_BASE64);
    expect((await h.env.client.workflow.getHandle(served.workflowId).result()).status).toBe('settled');
    await recordHistoryIfAsked('breach-settled-v1', h.env.client.workflow.getHandle(served.workflowId));
  });
});

describe('breach notice objected to, negotiation runs out (time-skipped)', () => {
  const server = ownServer();
  it('escalates to litigation when the negotiation limit set on the notice (7 days) passes unsettled', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const served = await serve(h, c.id, { ...NOTICE, negotiationDays: 7 });
    await sleepUntil(h, Date.parse(served.openedAt) + 2 * DAY_MS);
    const objected = await action(h, 'legal', served.id, 'objection', { reason: '不存在违约', document: { text: '我方认为违约行为不存在，理由如下：……' } });
    expect(objected.status, JSON.stringify(objected.body)).toBe(200);
    const limit = objected.body.deadline as { kind: string; dueAt: string };
    expect(limit.kind).toBe('negotiation');
    expect(limit.dueAt).toBe(computeDeadline({ from: objected.body.timeline.at(-1).at, period: { unit: 'days', amount: 7 }, rule: 'act' }).dueAt);

    await sleepUntil(h, Date.parse(limit.dueAt) - 60_000);
    expect(await caseStatus(h, served.id)).toBe('negotiating');
    await sleepUntil(h, Date.parse(limit.dueAt) + 60_000);
    await waitFor(async () => (await caseStatus(h, served.id)) === 'escalated', 'escalation');
    const detail = await caseDetail(h, served.id);
    expect(detail.details.escalation).toMatchObject({ reason: 'negotiation_lapsed', breachingParty: 'A', servingParty: 'B' });
    expect(detail.open).toBe(true);
    const alerts = await waitFor(async () => {
      const n = await notificationsOf(h, { contractId: c.id, reason: 'breach_escalated' });
      return n.length >= 2 && n;
    }, 'the escalation alerts');
    expect(alerts.map((n) => n.audience).sort()).toEqual(['legal', 'owner']);
    expect(alerts[0]!.subject).toContain('协商期限届满');
  });
});

describe('breach notice ignored (time-skipped)', () => {
  const server = ownServer();
  it('escalates at the end of day 10: legal and the owner alerted, the breaching party liable for direct losses, suit at Party B\'s local court', async () => {
    const h = server.get();
    const c = await activeContract(h, { signedDaysAgo: 20 });
    // Party A serves Party B (e.g. for an unannounced outage): the notice goes to Party B's contact
    const servedAt = triggerWithUnextendedPeriod(await serverNow(h), 10, Date.parse(c.effectiveAt));
    const served = await serve(h, c.id, { servedBy: 'A', clause: '第五条第8款', description: '乙方服务中断未在24小时内通知甲方。', servedAt });
    const dueAt = Date.parse(served.deadline.dueAt);
    expect(dueAt).toBe(dayNoon(servedAt, 10) + 12 * 3_600_000);
    await waitFor(async () => (await notificationsOf(h, { contractId: c.id, reason: 'breach_notice_served' })).some((n) => n.audience === 'party_b_contact'), 'Party B notified');

    await sleepUntil(h, dueAt - 60_000);
    expect(await caseStatus(h, served.id)).toBe('served');
    await sleepUntil(h, dueAt + 60_000);
    await waitFor(async () => (await caseStatus(h, served.id)) === 'escalated', 'escalation');

    const detail = await caseDetail(h, served.id);
    expect(detail.flags).toContain('escalated_to_litigation');
    expect(detail.details.escalation).toMatchObject({ reason: 'cure_period_lapsed', breachingParty: 'B', servingParty: 'A', venue: '乙方所在地人民法院' });
    expect(detail.details.escalation.liability).toContain('违约方（乙方）应承担因其违约行为给守约方造成的直接经济损失');
    expect(detail.details.escalation.disputeRoute).toContain('乙方所在地人民法院起诉');
    const escalated = detail.timeline.find((e: { type: string }) => e.type === 'escalated');
    expect(escalated.actor.id).toBe('system:legal');
    expect(Math.abs(Date.parse(escalated.at) - dueAt)).toBeLessThan(60_000);
    const alerts = await waitFor(async () => {
      const n = await notificationsOf(h, { contractId: c.id, reason: 'breach_escalated' });
      return n.length >= 2 && n;
    }, 'the escalation alerts');
    expect(alerts.map((n) => n.audience).sort()).toEqual(['legal', 'owner']);
    expect(alerts[0]!.body).toContain('直接经济损失');

    // too late to cure; still open for legal; settled out of court later
    expect((await action(h, 'legal', served.id, 'cure', { confirmation: { text: '已纠正' } })).status).toBe(409);
    const listed = (await h.api('legal').get(`/api/cases?contract=${c.id}&kind=breach`).expect(200)).body.items;
    expect(listed.map((i: { id: string }) => i.id)).toContain(served.id);
    const settled = await action(h, 'admin', served.id, 'settlement', { summary: '诉前调解达成和解' });
    expect(settled.body.status).toBe('settled');
  });
});

describe('breach notice withdrawn', () => {
  const server = ownServer();
  it('lets the serving party withdraw: the case closes and its cure deadline is cancelled', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const served = await serve(h, c.id, { servedBy: 'A', clause: '第五条第2款', description: '乙方在发送时段外发送短信。' });
    // Party B is the notified party here: a customer operator (Party A) can neither cure nor object for it
    expect((await action(h, 'customer', served.id, 'cure', { confirmation: { text: '已纠正' } })).status).toBe(403);
    const withdrawn = await action(h, 'customer', served.id, 'withdrawal', { reason: '经核实系甲方误解，撤回通知。' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', open: false, deadline: null });
    expect(withdrawn.body.timeline.map((e: { type: string; actor: { id: string } }) => [e.type, e.actor.id])).toEqual([
      ['served', h.users.legal],
      ['withdrawn', h.users.customer],
    ]);
    const { rows } = await h.database.db.query(`SELECT status FROM deadlines WHERE workflow_id = $1`, [served.workflowId]);
    expect(rows).toEqual([{ status: 'cancelled' }]);
    expect((await action(h, 'legal', served.id, 'withdrawal', { reason: '再次撤回' })).status).toBe(409);
    expect((await h.env.client.workflow.getHandle(served.workflowId).result()).status).toBe('withdrawn');
    const notified = await notificationsOf(h, { contractId: c.id, reason: 'breach_withdrawn' });
    expect(notified.map((n) => n.audience)).toContain('party_b_contact');
  });
});

describe('non-payment breach (time-skipped)', () => {
  const server = ownServer();
  it('opens a breach case and starts its workflow when the payment deadline lapses, without any human action, only once; paying in full cures it', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const caseId = `nonpayment-${invoiceNumber(c.number, { kind: 'initial_term' })}`;
    // the payment deadline's own instant, whatever weekday or holiday day 30 falls on
    const due = (await paymentDeadline(h, c.id)).dueAt;
    await sleepUntil(h, due, 3_600_000);
    const row = await waitFor(() => caseRow(h, caseId), 'the non-payment case');
    expect(row).toMatchObject({ kind: 'breach', status: 'served', served_by: 'B', clause: '第三条第4款', workflow_id: `breach-${caseId}` });
    const description = await h.env.client.workflow.getHandle(`breach-${caseId}`).describe();
    expect(description.type).toBe('breachCase');
    expect(description.status.name).toBe('RUNNING');
    const detail = await waitFor(async () => {
      const d = await caseDetail(h, caseId);
      return d.documents.some((x: { role: string }) => x.role === 'breach_notice') && d;
    }, 'the notice PDF of the non-payment case');
    expect(detail.timeline[0]).toMatchObject({ type: 'served', actor: { id: 'system:billing' } });
    await waitFor(async () => (await notificationsOf(h, { contractId: c.id, reason: 'breach_notice_served' })).some((n) => n.audience === 'party_a_contact'), 'Party A notified of the breach');

    // the activity run again (a retry) opens nothing and starts no twin
    const activities = createActivities({ db: h.database.db, temporal: h.env.client, smsSettings: h.deps.smsSettings });
    const again = await new MockActivityEnvironment({ taskQueue: h.taskQueue }).run(activities.openBreachCase, {
      caseId,
      contractId: c.id,
      servedBy: 'B' as const,
      clause: '第三条第4款',
      description: row.description as string,
      servedAt: (row.opened_at as Date).toISOString(),
      cure: { kind: 'cure' as const, ref: caseId, dueAt: (row.due_at as Date).toISOString(), explanation: row.due_explanation, explanationEn: '' },
      source: 'retry',
      actor: { id: 'system:billing', role: 'system' },
    });
    expect(again).toEqual({ opened: false, workflowStarted: false });
    const { rows } = await h.database.db.query(`SELECT count(*)::int AS n FROM legal_cases WHERE contract_id = $1 AND kind = 'breach'`, [c.id]);
    expect(rows[0]!.n).toBe(1);

    // paying in full within the cure period cures it: no escalation to litigation for a paid invoice
    const paid = await h.api('finance').post(`/api/contracts/${c.id}/payments`, { amountFen: 299700, reference: 'LATE-1', paidAt: new Date(await serverNow(h)).toISOString(), method: 'bank_transfer' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    await sleepUntil(h, (await serverNow(h)) + DAY_MS + 60_000);
    await waitFor(async () => (await caseStatus(h, caseId)) === 'cured', 'the case cured by the payment');
    const cured = await caseDetail(h, caseId);
    expect(cured.timeline.at(-1)).toMatchObject({ type: 'cured', actor: { id: 'system:billing' }, data: { by: 'payment', references: ['LATE-1'] } });
    expect(cured.open).toBe(false);
  });
});

describe('breach API: input, roles, states', () => {
  const server = ownServer();
  it('refuses bad input with 400 and field paths, wrong roles with 403, unknown ids with 404, impossible states with 409', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const post = (role: Parameters<Harness['api']>[0], body: unknown, id = c.id) => h.api(role).post(`/api/contracts/${id}/breach-notices`, body);
    const paths = async (body: unknown) => {
      const res = await post('legal', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.issues.map((i: { path: string }) => i.path) as string[];
    };
    expect(await paths({ ...NOTICE, clause: undefined })).toContain('body.clause');
    expect(await paths({ ...NOTICE, servedBy: 'C' })).toContain('body.servedBy');
    expect(await paths({ ...NOTICE, negotiationDays: 0 })).toContain('body.negotiationDays');
    expect(await paths({ ...NOTICE, servedAt: '2999-01-01T00:00:00Z' })).toContain('body.servedAt');
    expect(await paths({ ...NOTICE, servedAt: '2001-01-01T00:00:00Z' })).toContain('body.servedAt');
    expect(await paths({ ...NOTICE, extra: 1 })).toEqual(['body']);
    expect((await post('finance', NOTICE)).status).toBe(403);
    expect((await post('customer', NOTICE)).status).toBe(403);
    expect((await post('legal', NOTICE, '00000000-0000-4000-8000-000000000000')).status).toBe(404);

    const template = await h.api('sales').get('/api/templates/reference').expect(200);
    const unsigned = (await h.api('sales').post('/api/contracts', template.body).expect(201)).body.id;
    expect((await post('legal', NOTICE, unsigned)).status).toBe(409);

    const served = await serve(h, c.id, NOTICE);
    const cure = (body: unknown) => action(h, 'legal', served.id, 'cure', body);
    const issues = async (body: unknown) => {
      const res = await cure(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.issues.map((i: { path: string }) => i.path) as string[];
    };
    expect(await issues({ confirmation: { pdfBase64: Buffer.from('not a pdf').toString('base64') } })).toContain('body.confirmation.pdfBase64');
    expect(await issues({ confirmation: { pdfBase64: SAMPLE_PDF_BASE64, text: 'both' } })).toContain('body.confirmation');
    expect(await issues({ confirmation: {} })).toContain('body.confirmation');
    expect((await action(h, 'legal', 'BR-unknown', 'cure', { confirmation: { text: 'x' } })).status).toBe(404);
    expect((await action(h, 'legal', served.id, 'settlement', { summary: '未协商' })).status).toBe(409);

    const cured = await cure({ confirmation: { pdfBase64: SAMPLE_PDF_BASE64 } });
    expect(cured.status, JSON.stringify(cured.body)).toBe(200);
    const uploaded = cured.body.documents.find((d: { role: string }) => d.role === 'cure_confirmation');
    expect((await download(h, uploaded.url)).toString('base64')).toBe(SAMPLE_PDF_BASE64);
    expect((await action(h, 'legal', served.id, 'objection', { reason: '迟到的异议' })).status).toBe(409);
  });
});
