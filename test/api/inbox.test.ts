/**
 * The work queue through the API, on a real Postgres and the
 * time-skipping Temporal server running the real workflows and activities:
 *
 * - every alert kind wired lands in the right inbox: the delivery form
 *   unconfirmed (the contract's account manager), an invoice overdue at entry
 *   (finance and legal), a violation report (legal and operations), the 20-hour
 *   and 24-hour outage alerts (operations and legal), a breach case escalated
 *   (legal), the overdue ladder (finance and the account manager; legal at 7
 *   days); nobody else sees them;
 * - each closes itself when its cause is resolved (form confirmed, invoice
 *   paid, violation dismissed, notices sent, case settled), as done by the
 *   system with closed_reason 'resolved';
 * - a user sees their own items and their role's, never another's; acknowledge
 *   and close move open → acknowledged → done, audited; every other transition
 *   is a 409, an item not addressed to the caller a 404;
 * - a retried activity (the same notification id) raises no second item.
 *
 * Instants are relative to the test server's clock (hours and whole periods
 * counted by hand); where a deadline depends on the holiday calendar the test
 * reads it from the read model rather than assuming today's calendar.
 */
import pino from 'pino';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { invoiceNumber } from '../../domain/billing';
import { issueToken, upsertUser } from '../../db/users';
import type { Inbox, WorkItem } from '../../services/inbox.types';
import type { Harness } from '../support/harness';
import { activeContract, DAY_MS, HOUR_MS, ownServer, serverNow, sleepUntil, waitFor } from '../workflows/legal-helpers';

type Role = Parameters<Harness['api']>[0];

const inbox = async (h: Harness, role: Role, state = 'unfinished'): Promise<Inbox> => {
  const res = await h.api(role).get(`/api/inbox?state=${state}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Inbox;
};
const unread = async (h: Harness, role: Role): Promise<number> => (await h.api(role).get('/api/inbox/unread-count').expect(200)).body.unread;
const kinds = (box: Inbox) => box.items.map((i) => i.kind).sort();
const about = (box: Inbox, pred: (i: WorkItem) => boolean) => box.items.filter(pred);
const itemRow = async (h: Harness, id: number) => (await h.database.db.query('SELECT state, done_by, closed_reason FROM work_items WHERE id = $1', [id])).rows[0];

const dbIso = async (h: Harness, sql: string, args: unknown[]) => ((await h.database.db.query(sql, args)).rows[0]!.at as Date).toISOString();

/** Pays the invoice in full as finance (paid now by the server's clock) and waits until it reads paid. */
async function pay(h: Harness, contractId: string, number: string) {
  const { rows } = await h.database.db.query('SELECT amount_fen FROM invoices WHERE number = $1', [number]);
  const res = await h.api('finance').post(`/api/contracts/${contractId}/payments`, {
    amountFen: Number(rows[0]!.amount_fen), reference: `PAY-${number}`, paidAt: new Date(await serverNow(h)).toISOString(), method: 'bank_transfer', invoiceNumber: number,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await waitFor(async () => (await h.database.db.query(`SELECT 1 FROM invoices WHERE number = $1 AND status = 'paid'`, [number])).rowCount, `invoice ${number} paid`);
}

describe('alerts without moving the clock: delivery form, overdue at entry, violation report', () => {
  const server = ownServer();
  let salesItem: WorkItem;
  let resolvedItem: WorkItem;

  it('lands each in the right inbox, and closes each when its cause is resolved', async () => {
    const h = server.get();
    // C1 signed on paper 20 days ago: its 10-day delivery confirmation period is over at entry (owner's item at once)
    const c1 = await activeContract(h, { signedDaysAgo: 20 });
    // C2 signed 180 days ago: its 30-day payment period too (finance's and legal's item), and its delivery form (owner)
    const c2 = await activeContract(h, { signedDaysAgo: 180 });
    const invoice2 = invoiceNumber(c2.number, { kind: 'initial_term' });

    const sales = await waitFor(async () => {
      const box = await inbox(h, 'sales');
      return box.total === 2 && box;
    }, 'two delivery items for the account manager');
    expect(kinds(sales)).toEqual(['delivery_unconfirmed', 'delivery_unconfirmed']);
    const [d1] = about(sales, (i) => i.contract?.id === c1.id);
    expect(d1).toMatchObject({ state: 'open', addressedTo: { role: null, userId: h.users.sales }, link: `/contracts/${c1.id}`, caseId: null, outageId: null });
    expect(d1!.contract).toEqual({ id: c1.id, number: c1.number, partyA: '内蒙古自治区地震局' });
    expect(d1!.dueAt).toBe(await dbIso(h, `SELECT due_at AS at FROM deadlines WHERE id = $1`, [`contract-${c1.id}:delivery_confirmation:form`]));
    expect(d1!.title).toContain(c1.number);

    const finance = await waitFor(async () => {
      const box = await inbox(h, 'finance');
      return box.total === 1 && box;
    }, "finance's overdue-at-entry item");
    expect(finance.items[0]).toMatchObject({ kind: 'overdue_at_entry', addressedTo: { role: 'finance', userId: null }, invoiceNumber: invoice2, link: `/contracts/${c2.id}` });
    expect(finance.items[0]!.dueAt).toBe(await dbIso(h, 'SELECT due_at AS at FROM invoices WHERE number = $1', [invoice2]));

    // a violation reported by Party A: legal and operations review it (both may confirm or dismiss); the owner is only told
    const reported = await h.api('customer').post(`/api/contracts/${c1.id}/violations`, { reportedBy: 'customer', learnedAt: new Date(await serverNow(h)).toISOString(), description: '疑似发送了营销类违规内容。' });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const caseId = reported.body.id as string;
    const legal = await waitFor(async () => {
      const box = await inbox(h, 'legal');
      return box.total === 2 && box;
    }, "legal's two items");
    expect(kinds(legal)).toEqual(['overdue_at_entry', 'violation_review']);
    expect(about(legal, (i) => i.kind === 'violation_review')[0]).toMatchObject({ caseId, caseKind: 'violation', contract: { id: c1.id }, link: `/legal?case=${encodeURIComponent(caseId)}&contract=${c1.id}&status=all`, addressedTo: { role: 'legal' } });
    const operations = await waitFor(async () => {
      const box = await inbox(h, 'operations');
      return box.total === 1 && box;
    }, "operations' review item");
    expect(operations.items[0]).toMatchObject({ kind: 'violation_review', caseId, addressedTo: { role: 'operations', userId: null } });

    // hand count: sales 2 (two forms), finance 1, legal 2, operations 1; nobody else
    expect((await inbox(h, 'sales')).total).toBe(2);
    expect(await unread(h, 'sales')).toBe(2);
    expect(await unread(h, 'finance')).toBe(1);
    expect(await unread(h, 'legal')).toBe(2);
    expect(await unread(h, 'operations')).toBe(1);
    expect(await inbox(h, 'admin')).toEqual({ total: 0, unread: 0, items: [] });
    expect(await inbox(h, 'customer')).toEqual({ total: 0, unread: 0, items: [] });
    expect(await unread(h, 'customer')).toBe(0);

    // causes resolved: C1's form confirmed, the violation dismissed, C2's invoice paid
    const confirmed = await h.api('customer').post(`/api/contracts/${c1.id}/delivery-confirmation`, { signer: '张示例', title: '办公室主任', sealed: true });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(201);
    const dismissed = await h.api('operations').post(`/api/violations/${caseId}/dismissal`, { reason: '内容为正常通知短信，不构成违规。' });
    expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(200);
    await pay(h, c2.id, invoice2);

    const salesAfter = await waitFor(async () => {
      const box = await inbox(h, 'sales');
      return box.total === 1 && box;
    }, "C1's form item closed");
    expect(salesAfter.items[0]!.contract!.id).toBe(c2.id);
    expect((await inbox(h, 'legal')).total).toBe(0);
    expect((await inbox(h, 'finance')).total).toBe(0);
    expect((await inbox(h, 'operations')).total).toBe(0);
    const done = await inbox(h, 'legal', 'done');
    expect(done.items.map((i) => [i.kind, i.state, i.closedReason, i.doneBy]).sort()).toEqual([
      ['overdue_at_entry', 'done', 'resolved', 'system'],
      ['violation_review', 'done', 'resolved', 'system'],
    ]);
    const salesDone = await inbox(h, 'sales', 'done');
    expect(salesDone.items.map((i) => [i.contract!.id, i.closedReason])).toEqual([[c1.id, 'resolved']]);
    resolvedItem = salesDone.items[0]!;
    salesItem = salesAfter.items[0]!;
  });

  it('shows a user their own items and their role\'s only; acknowledges and closes, audited; refuses other moves with 409 and others\' items with 404', async () => {
    const h = server.get();
    // another account manager: the first one's contracts are not theirs
    await upsertUser(h.database.db, { id: 'test-sales-2', name: '测试销售二', role: 'sales', organisation: null });
    const other = supertest(h.app);
    const token2 = await issueToken(h.database.db, 'test-sales-2');
    const otherBox = await other.get('/api/inbox').set('Authorization', `Bearer ${token2}`).expect(200);
    expect(otherBox.body).toEqual({ total: 0, unread: 0, items: [] });
    expect((await other.post(`/api/inbox/${salesItem.id}/acknowledge`).set('Authorization', `Bearer ${token2}`)).status).toBe(404);
    // legal cannot act on the account manager's item either: not in their inbox
    const notTheirs = await h.api('legal').post(`/api/inbox/${salesItem.id}/acknowledge`);
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.body.error.code).toBe('NOT_FOUND');
    expect((await h.api('sales').post('/api/inbox/abc/close')).status).toBe(404);
    expect((await h.api('sales').post('/api/inbox/999999999/close')).status).toBe(404);
    expect((await h.api('customer').post(`/api/inbox/${salesItem.id}/acknowledge`)).status).toBe(403);
    expect((await h.api('sales').get('/api/inbox?state=closed')).status).toBe(400);

    expect(await unread(h, 'sales')).toBe(1);
    const acked = await h.api('sales').post(`/api/inbox/${salesItem.id}/acknowledge`);
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body).toMatchObject({ id: salesItem.id, state: 'acknowledged', acknowledgedBy: h.users.sales, doneAt: null });
    // acknowledged: still in the inbox, no longer unread
    expect(await unread(h, 'sales')).toBe(0);
    expect((await inbox(h, 'sales')).items.map((i) => [i.id, i.state])).toEqual([[salesItem.id, 'acknowledged']]);
    expect((await inbox(h, 'sales', 'open')).total).toBe(0);
    expect((await inbox(h, 'sales', 'acknowledged')).total).toBe(1);

    const again = await h.api('sales').post(`/api/inbox/${salesItem.id}/acknowledge`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');

    const closed = await h.api('sales').post(`/api/inbox/${salesItem.id}/close`);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ state: 'done', closedReason: 'by_user', doneBy: h.users.sales });
    expect((await h.api('sales').post(`/api/inbox/${salesItem.id}/close`)).status).toBe(409);
    expect((await h.api('sales').post(`/api/inbox/${salesItem.id}/acknowledge`)).status).toBe(409);
    // an item the system closed cannot be closed again either
    const closeResolved = await h.api('sales').post(`/api/inbox/${resolvedItem.id}/close`);
    expect(closeResolved.status).toBe(409);
    expect(closeResolved.body.error.message).toContain('its cause was resolved');
    expect((await inbox(h, 'sales')).total).toBe(0);
    expect((await inbox(h, 'sales', 'all')).total).toBe(2);

    // each act audited once, on the item's contract, by the user
    const { rows } = await h.database.db.query(
      `SELECT type, actor_id, before->>'state' AS from_state, after->>'state' AS to_state FROM audit_events WHERE type LIKE 'work_item.%' AND contract_id = $1 ORDER BY id`,
      [salesItem.contract!.id],
    );
    expect(rows).toEqual([
      { type: 'work_item.acknowledged', actor_id: h.users.sales, from_state: 'open', to_state: 'acknowledged' },
      { type: 'work_item.closed', actor_id: h.users.sales, from_state: 'acknowledged', to_state: 'done' },
    ]);
  });

  it('raises one item per audience however often the activity is retried (the notification id is the key)', async () => {
    const h = server.get();
    const acts = createActivities({ db: h.database.db, logger: pino({ level: 'silent' }), smsSettings: h.deps.smsSettings, systemSms: false, temporal: h.env.client, taskQueue: h.taskQueue });
    const caseRow = (await h.database.db.query(`SELECT id, contract_id, workflow_id FROM legal_cases WHERE kind = 'violation' LIMIT 1`)).rows[0]!;
    const alert = { id: `${caseRow.workflow_id}:freeze-not-delivered`, audiences: ['legal', 'operations'] as ('legal' | 'operations')[], reason: 'violation_freeze_not_delivered', subject: '冻结指令未能送达合同流程', body: '请人工确认账号已停止发送。' };
    expect(await acts.alertStaff(alert)).toEqual({ recorded: 2 });
    expect(await acts.alertStaff(alert)).toEqual({ recorded: 0 });
    const { rows } = await h.database.db.query(`SELECT key, role, case_id, contract_id, state FROM work_items WHERE reason = 'violation_freeze_not_delivered' ORDER BY key`);
    expect(rows).toEqual([
      { key: `${alert.id}:legal`, role: 'legal', case_id: caseRow.id, contract_id: caseRow.contract_id, state: 'open' },
      { key: `${alert.id}:operations`, role: 'operations', case_id: caseRow.id, contract_id: caseRow.contract_id, state: 'open' },
    ]);
    // a retried notify of a delivery lapse the workflow already recorded: no second item for the owner
    const before = (await h.database.db.query(`SELECT count(*)::int AS n FROM work_items WHERE kind = 'delivery_unconfirmed'`)).rows[0]!.n;
    expect(before).toBe(2);
    const key = (await h.database.db.query(`SELECT key FROM work_items WHERE kind = 'delivery_unconfirmed' LIMIT 1`)).rows[0]!.key as string;
    const contractId = (await h.database.db.query(`SELECT contract_id FROM work_items WHERE key = $1`, [key])).rows[0]!.contract_id as string;
    const retried = await acts.notify({ id: key.slice(0, -':owner'.length), contractId, audiences: ['owner'], reason: 'delivery_unconfirmed', subject: 's', body: 'b' });
    expect(retried.recorded).toBe(0);
    expect((await h.database.db.query(`SELECT count(*)::int AS n FROM work_items WHERE kind = 'delivery_unconfirmed'`)).rows[0]!.n).toBe(2);
    // legal's inbox now holds the freeze alert (the rest of legal's items were resolved above)
    expect(kinds(await inbox(h, 'legal'))).toEqual(['violation_freeze_not_delivered']);
  });
});

describe('alerts over time (time-skipped): the outage notice at 20 and 24 hours, a breach escalated, the overdue ladder', () => {
  const server = ownServer();

  it('lands each in the right inbox, due when its deadline is, and closes each when its cause is resolved', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const invoice = invoiceNumber(c.number, { kind: 'initial_term' });
    const t0 = await serverNow(h);
    const outageOf = (box: Inbox) => about(box, (i) => i.outageId !== null);

    // a written breach notice Party B serves now, and an outage learned of now, held for review
    const served = await h.api('legal').post(`/api/contracts/${c.id}/breach-notices`, { servedBy: 'B', clause: '第四条第6款', description: '甲方向已退订的用户发送短信。', evidence: '投诉记录（示例）' });
    expect(served.status, JSON.stringify(served.body)).toBe(201);
    const breachId = served.body.id as string;
    const learnedAt = new Date(t0).toISOString();
    const outage = await h.api('operations').post('/api/outages', { cause: 'upgrade', description: '短信平台升级，下发暂停。', startedAt: learnedAt, learnedAt, contractIds: [c.id], holdForReview: true });
    expect(outage.status, JSON.stringify(outage.body)).toBe(201);
    const outageId = outage.body.id as string;

    // 19 hours: nothing yet
    await sleepUntil(h, t0 + 19 * HOUR_MS);
    await new Promise((r) => setTimeout(r, 500));
    expect(outageOf(await inbox(h, 'operations'))).toEqual([]);

    // 20 hours unsent: operations and legal, due at the 24th hour
    await sleepUntil(h, t0 + 20 * HOUR_MS + 60_000);
    const ops20 = await waitFor(async () => {
      const box = outageOf(await inbox(h, 'operations'));
      return box.length === 1 && box;
    }, 'the 20-hour alert item');
    expect(ops20[0]).toMatchObject({ kind: 'outage_notice_unsent', outageId, contract: null, caseId: null, addressedTo: { role: 'operations' }, link: `/outages?outage=${encodeURIComponent(outageId)}` });
    expect(ops20[0]!.dueAt).toBe(new Date(t0 + 24 * HOUR_MS).toISOString());
    expect(outageOf(await inbox(h, 'legal')).map((i) => i.kind)).toEqual(['outage_notice_unsent']);

    // 24 hours: late, Party B's breach; still unsent, so both stay open
    await sleepUntil(h, t0 + 25 * HOUR_MS);
    const ops25 = await waitFor(async () => {
      const box = outageOf(await inbox(h, 'operations'));
      return box.length === 2 && box;
    }, 'the 24-hour late item');
    expect(ops25.map((i) => i.kind).sort()).toEqual(['outage_notice_late', 'outage_notice_unsent']);
    expect(outageOf(await inbox(h, 'legal')).map((i) => i.kind).sort()).toEqual(['outage_notice_late', 'outage_notice_unsent']);
    for (const role of ['sales', 'finance'] as const) expect(outageOf(await inbox(h, role))).toEqual([]);

    // released: the notices go out (late), all four items close themselves
    const released = await h.api('operations').post(`/api/outages/${encodeURIComponent(outageId)}/release`, { note: '措辞已复核' });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(outageOf(await inbox(h, 'operations'))).toEqual([]);
    expect(outageOf(await inbox(h, 'legal'))).toEqual([]);
    const closedOutage = (await h.database.db.query(`SELECT role, kind, state, closed_reason FROM work_items WHERE outage_id = $1 ORDER BY role, kind`, [outageId])).rows;
    expect(closedOutage).toEqual([
      { role: 'legal', kind: 'outage_notice_late', state: 'done', closed_reason: 'resolved' },
      { role: 'legal', kind: 'outage_notice_unsent', state: 'done', closed_reason: 'resolved' },
      { role: 'operations', kind: 'outage_notice_late', state: 'done', closed_reason: 'resolved' },
      { role: 'operations', kind: 'outage_notice_unsent', state: 'done', closed_reason: 'resolved' },
    ]);

    // the cure period lapses uncured: the case escalates; legal decides on the suit
    const cureDue = Date.parse((await h.api('legal').get(`/api/cases/${encodeURIComponent(breachId)}`).expect(200)).body.deadline.dueAt);
    await sleepUntil(h, cureDue + 60_000);
    const escalated = await waitFor(async () => {
      const box = about(await inbox(h, 'legal'), (i) => i.kind === 'breach_escalated');
      return box.length === 1 && box[0];
    }, 'the escalation item');
    expect(escalated).toMatchObject({ caseId: breachId, caseKind: 'breach', contract: { id: c.id }, dueAt: null, addressedTo: { role: 'legal' } });
    // the owner is told of the escalation but it is legal's decision
    expect(about(await inbox(h, 'sales'), (i) => i.kind === 'breach_escalated')).toEqual([]);
    const settled = await h.api('legal').post(`/api/breach-cases/${encodeURIComponent(breachId)}/settlement`, { summary: '双方协商一致，甲方已停止向退订用户发送。' });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(await itemRow(h, escalated.id)).toEqual({ state: 'done', done_by: 'system', closed_reason: 'resolved' });

    // the invoice is not paid: at its deadline finance and the owner get an item, at 7 days legal too
    const paymentDue = await dbIso(h, 'SELECT due_at AS at FROM invoices WHERE number = $1', [invoice]);
    await sleepUntil(h, Date.parse(paymentDue) + 7 * DAY_MS + HOUR_MS);
    const overdueFinance = await waitFor(async () => {
      const box = about(await inbox(h, 'finance'), (i) => i.invoiceNumber === invoice);
      return box.length === 1 && box;
    }, "finance's overdue item");
    expect(overdueFinance[0]).toMatchObject({ kind: 'invoice_overdue', dueAt: paymentDue, contract: { id: c.id } });
    const overdueOwner = await waitFor(async () => {
      const box = about(await inbox(h, 'sales'), (i) => i.invoiceNumber === invoice);
      return box.length === 1 && box;
    }, "the owner's overdue item");
    expect(overdueOwner[0]).toMatchObject({ kind: 'invoice_overdue', addressedTo: { role: null, userId: h.users.sales } });
    const escalatedToLegal = await waitFor(async () => {
      const box = about(await inbox(h, 'legal'), (i) => i.invoiceNumber === invoice);
      return box.length === 1 && box;
    }, "legal's item at 7 days");
    expect(escalatedToLegal[0]).toMatchObject({ kind: 'payment_escalated', dueAt: paymentDue });
    expect(about(await inbox(h, 'operations'), (i) => i.invoiceNumber === invoice)).toEqual([]);

    // paid: the three close themselves
    await pay(h, c.id, invoice);
    const { rows } = await h.database.db.query(`SELECT kind, role, state, closed_reason FROM work_items WHERE invoice_number = $1 ORDER BY kind, role NULLS FIRST`, [invoice]);
    expect(rows).toEqual([
      { kind: 'invoice_overdue', role: null, state: 'done', closed_reason: 'resolved' },
      { kind: 'invoice_overdue', role: 'finance', state: 'done', closed_reason: 'resolved' },
      { kind: 'payment_escalated', role: 'legal', state: 'done', closed_reason: 'resolved' },
    ]);
  });
});
