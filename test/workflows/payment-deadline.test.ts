import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceNumber, paymentWorkflowId } from '../../domain/billing';
import { computeDeadline } from '../../domain/periods';
import { activeContract as activeContractOf, harnessPerBlock, paymentDeadline, serverNowIso, sleepUntil, waitForInvoice } from '../support/flows';
import type { Harness } from '../support/harness';

let h: Harness;
const ownServer = () => {
  const ref = harnessPerBlock();
  beforeAll(() => {
    h = ref.h;
  });
};
const activeContract = () => activeContractOf(h);
const pay = (id: string, body: Record<string, unknown>) => h.api('finance').post(`/api/contracts/${id}/payments`, body);
const nowIso = () => serverNowIso(h);

describe('top-ups (Art.3 §5)', () => {
  ownServer();
  it('are invisible to quota until paid in full', async () => {
    const c = await activeContract();
    await pay(c.id, { amountFen: 299700, reference: `INIT-${c.id}`, paidAt: await nowIso(), method: 'bank_transfer' }).expect(200);
    // priced by the contract's list: 5,000 × 499.50 元 ÷ 6,333 = 394.36 元 (test/workflows/top-ups.test.ts)
    const bought = await h.api('customer').post(`/api/contracts/${c.id}/top-ups`, { quantity: 5000 });
    expect(bought.status, JSON.stringify(bought.body)).toBe(202);
    const topUpInvoice = bought.body.invoiceNumber as string;
    expect(topUpInvoice).toBe(invoiceNumber(c.number, { kind: 'top_up', seq: 1 }));
    const quota = async () => (await h.api('customer').get(`/api/contracts/${c.id}/quota`).expect(200)).body;
    expect(await quota()).toMatchObject({ contractYear: 1, packageSms: 12666, topUpSms: 0, totalSms: 12666 });

    await waitForInvoice(h, topUpInvoice);
    await pay(c.id, { amountFen: 20000, reference: 'TU-1', paidAt: await nowIso(), method: 'online', invoiceNumber: topUpInvoice }).expect(200);
    expect((await quota()).topUpSms).toBe(0);
    await pay(c.id, { amountFen: 19436, reference: 'TU-2', paidAt: await nowIso(), method: 'online', invoiceNumber: topUpInvoice }).expect(200);
    await h.env.client.workflow.getHandle(paymentWorkflowId(topUpInvoice)).result();
    expect(await quota()).toMatchObject({ contractYear: 1, topUpSms: 5000, totalSms: 17666 });
  });
});

describe('payment deadline (Art.3 §4)', () => {
  ownServer();
  it('issues the invoice for the whole initial term, due 30 days after signing by the Civil Code count', async () => {
    const c = await activeContract();
    const invoices = (await h.api('finance').get('/api/invoices').expect(200)).body.items;
    const invoice = invoices.find((i: { number: string }) => i.number === c.invoice);
    const expected = computeDeadline({ from: c.effectiveAt, period: { unit: 'days', amount: 30 }, rule: 'act' });
    expect(invoice).toMatchObject({ amountFen: 299700, vatRatePercent: 0, invoiceType: 'vat_special', status: 'open', dueAt: expected.dueAt, outstandingFen: 299700 });
    expect(invoice.secondsLeft).toBeGreaterThan(29 * 86_400);
    const payment = await paymentDeadline(h, c.id);
    expect(payment.dueAt).toBe(expected.dueAt);
    for (let i = 0; i < 100; i++) {
      const docs = (await h.api('sales').get(`/api/contracts/${c.id}`).expect(200)).body.documents;
      if (docs.some((d: { kind: string }) => d.kind === 'payment_notice')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no payment notice was produced');
  });

  it('refuses payments with bad input with clear 400s and changes nothing', async () => {
    const c = await activeContract();
    for (const body of [
      { amountFen: 12.5, reference: 'X', paidAt: await nowIso(), method: 'bank_transfer' },
      { amountFen: '299700', reference: 'X', paidAt: await nowIso(), method: 'bank_transfer' },
      { amountFen: 100, reference: 'X', paidAt: '2024-05-14', method: 'bank_transfer' },
      { amountFen: 100, reference: 'X', paidAt: '2999-01-01T00:00:00Z', method: 'bank_transfer' },
      { amountFen: 100, reference: 'X', paidAt: await nowIso(), method: 'gold' },
    ]) {
      const res = await pay(c.id, body);
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(400);
    }
    const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM payments WHERE contract_id = $1', [c.id]);
    expect(rows[0]!.n).toBe(0);
  });

  // last of its block: waiting for a result lets the time-skipping server run the clock ahead of Postgres's
  it('accumulates two partial payments into a paid invoice and counts a repeated reference once', async () => {
    const c = await activeContract();
    const first = await pay(c.id, { amountFen: 100000, reference: 'PART-1', paidAt: await nowIso(), method: 'bank_transfer' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.invoice).toMatchObject({ status: 'partially_paid', paidFen: 100000, outstandingFen: 199700 });
    const repeat = await pay(c.id, { amountFen: 100000, reference: 'PART-1', paidAt: await nowIso(), method: 'bank_transfer' });
    expect(repeat.status).toBe(200);
    expect(repeat.body.duplicate).toBe(true);
    expect(repeat.body.invoice.paidFen).toBe(100000);
    const over = await pay(c.id, { amountFen: 299700, reference: 'TOO-MUCH', paidAt: await nowIso(), method: 'bank_transfer' });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('overpayment');
    const second = await pay(c.id, { amountFen: 199700, reference: 'PART-2', paidAt: await nowIso(), method: 'bank_transfer' });
    expect(second.body.invoice).toMatchObject({ status: 'paid', paidFen: 299700, outstandingFen: 0 });
    const { rows } = await h.database.db.query('SELECT count(*)::int AS n, sum(amount_fen)::int AS total FROM payments WHERE contract_id = $1', [c.id]);
    expect(rows[0]).toEqual({ n: 2, total: 299700 });
    expect((await c.payment.result()).status).toBe('paid');
  });
});

describe('payment deadline paid on time (time-skipped)', () => {
  ownServer();
  it('is paid on day 29: invoice paid, no overdue, delivery confirmation produced, customer notified', async () => {
    const c = await activeContract();
    await h.env.sleep('29 days');
    const res = await pay(c.id, { amountFen: 299700, reference: 'BANK-29', paidAt: await nowIso(), method: 'bank_transfer' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.invoice.status).toBe('paid');
    const outcome = await c.payment.result();
    expect(outcome).toMatchObject({ status: 'paid', paidFen: 299700, outstandingFen: 0 });
    const detail = (await h.api('sales').get(`/api/contracts/${c.id}`).expect(200)).body;
    expect(detail.invoices[0].status).toBe('paid');
    expect(detail.documents.map((d: { kind: string }) => d.kind)).toContain('delivery_confirmation');
    expect(detail.audit.map((e: { type: string }) => e.type)).not.toContain('invoice.overdue');
    expect(detail.notifications.some((n: { reason: string; audience: string }) => n.reason === 'invoice_paid' && n.audience === 'party_a_contact')).toBe(true);
    const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM legal_cases WHERE contract_id = $1', [c.id]);
    expect(rows[0]!.n).toBe(0);
  });

});

describe('payment deadline lapsing (time-skipped)', () => {
  ownServer();
  it('lapses unpaid: overdue at the deadline, finance and owner notified, a non-payment breach case opened without any human action', async () => {
    const c = await activeContract();
    // the deadline's own instant, whatever weekday or holiday day 30 falls on (it may move past day 31)
    const due = (await paymentDeadline(h, c.id)).dueAt;
    expect(Date.parse(due) - Date.parse(c.effectiveAt)).toBeGreaterThanOrEqual(29 * 86_400_000);
    await sleepUntil(h, due, 3_600_000);
    const detail = (await h.api('finance').get(`/api/contracts/${c.id}`).expect(200)).body;
    expect(detail.invoices[0].status).toBe('overdue');
    const { rows } = await h.database.db.query('SELECT id, status, served_by, clause, due_at FROM legal_cases WHERE contract_id = $1', [c.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: `nonpayment-${c.invoice}`, status: 'served', served_by: 'B' });
    const cure = detail.deadlines.find((d: { kind: string }) => d.kind === 'cure');
    expect(cure.dueAt).toBe((rows[0]!.due_at as Date).toISOString());
    const audiences = detail.notifications.filter((n: { reason: string }) => n.reason.startsWith('overdue_')).map((n: { audience: string }) => n.audience);
    expect(audiences).toEqual(expect.arrayContaining(['finance', 'owner']));
    expect(detail.deadlines.some((d: { kind: string }) => d.kind === 'payment')).toBe(false);
  });
});
