/**
 * Art.3 §3: the service is delivered at once, so
 * activation produces the delivery form (业务受理单) and awaits Party A's
 * confirmation like a signature, within 10 days counted by the Civil Code
 * from the delivery, with at most three reminders; an unconfirmed form is a
 * work item for sales, never a breach. On a real worker, the time-skipping
 * server and Postgres. The day arithmetic itself is checked by hand on fixed
 * dates in test/unit/top-ups-delivery.test.ts; here the deadline the workflow
 * holds is the one the same rule gives for the instant it delivered.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { paymentWorkflowId } from '../../domain/billing';
import { deliveryConfirmationBasis } from '../../domain/delivery';
import { computeDeadline } from '../../domain/periods';
import { getContractStateQuery } from '../../workflows/messages/contract-lifecycle';
import { activeContract, contractDetail, DAY, harnessPerBlock, payInvoice, sleepUntil, waitFor } from '../support/flows';
import type { Harness } from '../support/harness';
import { recordHistoryIfAsked } from '../support/histories';

let h: Harness;
const ownServer = () => {
  const ref = harnessPerBlock();
  beforeAll(() => {
    h = ref.h;
  });
};
const delivery = async (id: string) => (await h.api('sales').get(`/api/contracts/${id}/delivery-confirmation`).expect(200)).body;
const deadlineRow = async (workflowId: string) =>
  (await h.database.db.query(`SELECT status, due_at FROM deadlines WHERE id = $1`, [`${workflowId}:delivery_confirmation:form`])).rows[0] as { status: string; due_at: Date } | undefined;
const notices = async (contractId: string, reason: string) =>
  (await h.database.db.query('SELECT id, audience, subject FROM notifications WHERE contract_id = $1 AND reason = $2 ORDER BY id', [contractId, reason])).rows as { id: string; audience: string; subject: string }[];
/** The lifecycle's state once activation delivered the form (it follows the first invoice's start and the "in force" notice). */
const deliveredState = (workflowId: string) =>
  waitFor(() => h.env.client.workflow.getHandle(workflowId).query(getContractStateQuery), (s) => s.delivery !== null, 'the delivery at activation');
const SCAN = Buffer.from('%PDF-1.4\n% 业务受理单 signed and sealed, scanned\n%%EOF\n').toString('base64');

describe('the delivery form, confirmed by Party A', () => {
  ownServer();

  it('of a contract signed on paper 20 days before it was entered: the period ran from then, so sales get the work item at once and Party A nothing', async () => {
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const { id } = (await h.api('sales').post('/api/contracts', template).expect(201)).body as { id: string };
    const signedAt = new Date((await h.env.currentTimeMs()) - 20 * DAY).toISOString();
    for (const party of ['A', 'B']) {
      const res = await h.api('sales').post(`/api/contracts/${id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true, signedAt });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const workflowId = `contract-${id}`;
    const state = await deliveredState(workflowId);
    expect(state.delivery!.deliveredAt).toBe(new Date(signedAt).toISOString());
    // 10 days from 20 days ago (or a few more over rest days): over before the contract was entered
    expect(Date.parse(state.delivery!.dueAt)).toBeLessThan(Date.parse(signedAt) + 15 * DAY);
    const item = await waitFor(() => notices(id, 'delivery_unconfirmed'), (n) => n.length > 0, 'the work item for sales');
    expect(item.map((n) => n.audience)).toEqual(['owner']);
    await waitFor(() => deadlineRow(workflowId), (row) => row?.status === 'lapsed', 'the deadline lapsed');
    const toPartyA = (await h.database.db.query(`SELECT reason FROM notifications WHERE contract_id = $1 AND audience = 'party_a_contact' AND reason LIKE 'delivery%'`, [id])).rows;
    expect(toPartyA).toEqual([]);
    expect(await delivery(id)).toMatchObject({ status: 'unconfirmed', form: { kind: 'delivery_confirmation' } });
  });

  it('is produced at activation, before any payment, with its deadline in the contract; the confirmation is recorded once, audited, the deadline met', async () => {
    const c = await activeContract(h);
    const state = await deliveredState(c.workflowId);
    expect(state.delivery).toMatchObject({ confirmation: null, lapsed: false, remindersSent: 0 });
    const deliveredAt = state.delivery!.deliveredAt;
    // delivered when the contract took effect (the second signature), 10 days counted from the next day by the Civil Code
    expect(deliveredAt).toBe(c.effectiveAt);
    const expected = computeDeadline(deliveryConfirmationBasis(deliveredAt, 10));
    expect(state.delivery!.dueAt).toBe(expected.dueAt);
    expect(Date.parse(expected.dueAt) - Date.parse(deliveredAt)).toBeGreaterThanOrEqual(10 * DAY);

    // shown among the contract's deadlines, in the read model and live
    const detail = await waitFor(() => contractDetail(h, c.id), (d) => d.documents.some((x: { kind: string }) => x.kind === 'delivery_confirmation'), 'the delivery form');
    const shown = detail.deadlines.find((d: { kind: string }) => d.kind === 'delivery_confirmation');
    expect(shown).toMatchObject({ ref: 'form', dueAt: expected.dueAt, explanation: expected.explanation });
    expect(detail.invoices[0].status).toBe('open');
    await waitFor(() => deadlineRow(c.workflowId), (row) => row?.status === 'open', 'the deadline in the read model');
    expect((await deadlineRow(c.workflowId))!.due_at.toISOString()).toBe(expected.dueAt);
    const before = await delivery(c.id);
    expect(before).toMatchObject({ status: 'awaiting_confirmation', deadline: { dueAt: expected.dueAt, status: 'open' }, confirmation: null, form: { kind: 'delivery_confirmation' } });
    const pdf = await h.api('customer').get(before.form.url).expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    await waitFor(() => notices(c.id, 'delivery_form'), (n) => n.some((x) => x.audience === 'party_a_contact'), 'the notice to Party A');

    // not in the future, and with the whole signature
    const future = await h.api('customer').post(`/api/contracts/${c.id}/delivery-confirmation`, { signer: '张示例', title: '办公室主任', sealed: true, confirmedAt: '2999-01-01T00:00:00Z' });
    expect(future.status, JSON.stringify(future.body)).toBe(400);
    const half = await h.api('customer').post(`/api/contracts/${c.id}/delivery-confirmation`, { signer: '张示例' });
    expect(half.status).toBe(400);
    expect(half.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.title', 'body.sealed']);

    // Party A's operator confirms: signed, sealed, with the scan of the form
    const confirmed = await h.api('customer').post(`/api/contracts/${c.id}/delivery-confirmation`, {
      signer: '张示例',
      title: '办公室主任',
      sealed: true,
      document: { title: '业务受理单（甲方盖章）', pdfBase64: SCAN },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(201);
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      confirmation: { signer: '张示例', title: '办公室主任', sealed: true, onTime: true, recordedBy: h.users.customer, scan: { title: '业务受理单（甲方盖章）' } },
    });
    await waitFor(() => deadlineRow(c.workflowId), (row) => row?.status === 'met', 'the deadline met');
    const after = await contractDetail(h, c.id);
    expect(after.deadlines.some((d: { kind: string }) => d.kind === 'delivery_confirmation')).toBe(false);
    const audited = after.audit.find((e: { type: string }) => e.type === 'contract.delivery_confirmed');
    expect(audited).toMatchObject({ actorId: h.users.customer, actorRole: 'customer', data: { signer: '张示例', sealed: true, onTime: true, dueAt: expected.dueAt, deliveredAt } });
    expect(audited.data.scanDocumentId).toBe(confirmed.body.confirmation.scan.documentId);
    expect(after.audit.find((e: { type: string }) => e.type === 'document.filed')).toMatchObject({ data: { caseId: null, source: 'pdf_upload', purpose: 'delivery_confirmation' } });
    expect(after.documents.map((d: { kind: string }) => d.kind)).toEqual(expect.arrayContaining(['delivery_confirmation', 'delivery_confirmation_scan']));

    // once
    const again = await h.api('sales').post(`/api/contracts/${c.id}/delivery-confirmation`, { signer: '李示例', title: '主任', sealed: true });
    expect(again.status).toBe(409);
    expect((await h.database.db.query('SELECT count(*)::int AS n FROM delivery_confirmations WHERE contract_id = $1', [c.id])).rows[0]!.n).toBe(1);

    // paying the first invoice no longer produces a second form
    await payInvoice(h, c.id, c.invoice);
    const paid = await contractDetail(h, c.id);
    expect(paid.documents.filter((d: { kind: string }) => d.kind === 'delivery_confirmation')).toHaveLength(1);
    expect((await h.env.client.workflow.getHandle(paymentWorkflowId(c.invoice)).result()).status).toBe('paid');
    await recordHistoryIfAsked('lifecycle-delivery-confirmed-v8', h.env.client.workflow.getHandle(c.workflowId));
  });
});

describe('a delivery form left unconfirmed (time-skipped)', () => {
  ownServer();

  it('reminds Party A at most three times, then gives sales a work item at the deadline, and never opens a breach case', async () => {
    // five reminder days in the terms: only the three nearest the deadline are sent
    const c = await activeContract(h, (terms) => {
      terms.delivery = { confirmationDays: 10, reminderDaysBefore: [9, 7, 5, 3, 1] };
    });
    const state = await deliveredState(c.workflowId);
    const dueAt = state.delivery!.dueAt;
    expect(dueAt).toBe(computeDeadline(deliveryConfirmationBasis(state.delivery!.deliveredAt, 10)).dueAt);

    await sleepUntil(h, dueAt, 3_600_000);
    const item = await waitFor(() => notices(c.id, 'delivery_unconfirmed'), (n) => n.length > 0, 'the work item for sales');
    expect(item).toEqual([{ id: `${c.workflowId}:delivery_unconfirmed:owner`, audience: 'owner', subject: `业务受理单未确认：合同 ${c.number}` }]);
    const reminders = await notices(c.id, 'delivery_reminder');
    expect(reminders.filter((n) => n.audience === 'party_a_contact').map((n) => n.id.split(':').at(-2))).toEqual(['1', '3', '5']);
    expect(reminders.filter((n) => n.audience === 'owner')).toHaveLength(3);

    await waitFor(() => deadlineRow(c.workflowId), (row) => row?.status === 'lapsed', 'the deadline lapsed');
    expect(await delivery(c.id)).toMatchObject({ status: 'unconfirmed', deadline: { status: 'lapsed' }, confirmation: null });
    const detail = await contractDetail(h, c.id);
    expect(detail.deadlines.some((d: { kind: string }) => d.kind === 'delivery_confirmation')).toBe(false);
    // no breach: no case, no breach notice, the contract in force
    expect(detail.status).toBe('active');
    expect((await h.database.db.query('SELECT count(*)::int AS n FROM legal_cases WHERE contract_id = $1', [c.id])).rows[0]!.n).toBe(0);
    expect(detail.documents.some((d: { kind: string }) => d.kind === 'breach_notice')).toBe(false);

    // a confirmation after the deadline still counts, recorded as late
    const late = await h.api('sales').post(`/api/contracts/${c.id}/delivery-confirmation`, { document: { pdfBase64: SCAN } });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    expect(late.body).toMatchObject({ status: 'confirmed', deadline: { status: 'lapsed' }, confirmation: { onTime: false, signer: null, sealed: false } });
    expect((await notices(c.id, 'delivery_reminder')).length).toBe(6);
    await recordHistoryIfAsked('lifecycle-delivery-unconfirmed-v8', h.env.client.workflow.getHandle(c.workflowId));
  });
});
