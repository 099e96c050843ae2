/**
 * The term (Art.6): renewal alerts, automatic renewal by a year with its own
 * invoice, expiry on objection, termination, supplemental agreements; all on
 * the time-skipping server, so years pass in seconds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceNumber, paymentWorkflowId } from '../../domain/billing';
import { activeContract as activeContractOf, contractDetail, DAY, harnessPerBlock, payInvoice as payInvoiceOf, sleepUntil as sleepUntilOf, waitFor } from '../support/flows';
import type { Harness } from '../support/harness';
import { recordHistoryIfAsked } from '../support/histories';

let h: Harness;
const ownServer = () => {
  const ref = harnessPerBlock();
  beforeAll(() => {
    h = ref.h;
  });
};

const detail = (id: string) => contractDetail(h, id);

const activeContract = (mutate?: (terms: any) => void) => activeContractOf(h, mutate);
const sleepUntil = (instant: string | number, plusMs = 0) => sleepUntilOf(h, instant, plusMs);
const payInvoice = (contractId: string, number: string) => payInvoiceOf(h, contractId, number);
const count = async (sql: string, values: unknown[]) => Number((await h.database.db.query(sql, values)).rows[0]!.n);

describe('the full term path', () => {
  ownServer();

  it('signs, pays, runs 3 years, alerts, renews by a year with its invoice, then expires on objection — every notice and invoice once', async () => {
    const c = await activeContract();
    await payInvoice(c.id, invoiceNumber(c.number, { kind: 'initial_term' }));

    // the renewal window: alerts 45 and 15 days before the term end
    await sleepUntil(c.termEndsAt, -10 * DAY);
    let d = await detail(c.id);
    expect(d.status).toBe('active');
    expect(d.deadlines.map((x: { kind: string }) => x.kind)).toEqual(expect.arrayContaining(['renewal_objection', 'term_end']));
    expect(d.documents.filter((x: { kind: string }) => x.kind === 'renewal_notice')).toHaveLength(2);

    // no objection: renewed by one year at the term end
    await sleepUntil(c.termEndsAt, DAY);
    d = await waitFor(() => detail(c.id), (x) => x.renewals === 1 || x.termEndsAt !== c.termEndsAt, 'the renewal');
    const firstEnd = new Date(c.termEndsAt);
    const renewedEnd = new Date(d.termEndsAt);
    expect(renewedEnd.getUTCFullYear() - firstEnd.getUTCFullYear()).toBe(1);
    expect(d.status).toBe('active');
    const r1 = invoiceNumber(c.number, { kind: 'renewal', renewal: 1 });
    await payInvoice(c.id, r1);
    expect((await h.database.db.query('SELECT amount_fen, status FROM invoices WHERE number = $1', [r1])).rows[0]).toMatchObject({ amount_fen: 99900, status: 'paid' });

    // next year: party A objects before the end → expired at the term end
    await sleepUntil(d.termEndsAt, -20 * DAY);
    const objection = await h.api('customer').post(`/api/contracts/${c.id}/renewal-objections`, { party: 'A', reason: '不再续约' });
    expect(objection.status, JSON.stringify(objection.body)).toBe(201);
    const again = await h.api('sales').post(`/api/contracts/${c.id}/renewal-objections`, { party: 'B', reason: '同意' });
    expect(again.status).toBe(409);
    await sleepUntil(d.termEndsAt, DAY);
    d = await waitFor(() => detail(c.id), (x) => x.status === 'expired', 'expiry');
    expect(d.deadlines).toEqual([]);

    const kinds = d.documents.map((x: { kind: string }) => x.kind);
    // two alerts in the first term; in the second only the 45-day one, since the objection came before the 15-day one
    expect(kinds.filter((k: string) => k === 'renewal_notice')).toHaveLength(3);
    expect(kinds.filter((k: string) => k === 'expiry_notice')).toHaveLength(1);
    expect(kinds.filter((k: string) => k === 'payment_notice')).toHaveLength(2);
    expect(kinds.filter((k: string) => k === 'delivery_confirmation')).toHaveLength(1);
    expect(await count('SELECT count(*) AS n FROM invoices WHERE contract_id = $1', [c.id])).toBe(2);
    expect(await count('SELECT count(*) AS n FROM renewals WHERE contract_id = $1', [c.id])).toBe(1);
    const notices = d.notifications.filter((n: { reason: string }) => ['renewal_alert', 'contract_renewed', 'contract_expired'].includes(n.reason));
    const ids = notices.map((n: { id: string }) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(notices.filter((n: { reason: string }) => n.reason === 'contract_expired').length).toBeGreaterThan(0);

    const late = await h.api('customer').post(`/api/contracts/${c.id}/renewal-objections`, { party: 'A', reason: '太晚了' });
    expect(late.status).toBe(409);
  });
});

describe('ten consecutive renewals', () => {
  ownServer();

  it("keeps every run's history under a fixed bound by continuing as new at each term boundary", async () => {
    const c = await activeContract();
    const handle = h.env.client.workflow.getHandle(c.workflowId);
    const firstRunId = (await handle.describe()).runId;
    let end = c.termEndsAt;
    for (let renewal = 1; renewal <= 10; renewal++) {
      await sleepUntil(end, DAY);
      const d = await waitFor(() => detail(c.id), (x) => x.termEndsAt !== end, `renewal ${renewal}`);
      end = d.termEndsAt;
      await payInvoice(c.id, invoiceNumber(c.number, { kind: 'renewal', renewal }));
    }
    expect(await count('SELECT count(*) AS n FROM renewals WHERE contract_id = $1', [c.id])).toBe(10);

    const BOUND = 250;
    const lengths: number[] = [];
    let runId: string | undefined = firstRunId;
    while (runId) {
      const history: Awaited<ReturnType<typeof handle.fetchHistory>> = await h.env.client.workflow.getHandle(c.workflowId, runId).fetchHistory();
      lengths.push(history.events!.length);
      const last: NonNullable<typeof history.events>[number] = history.events!.at(-1)!;
      runId = last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    expect(lengths).toHaveLength(11);
    await recordHistoryIfAsked('lifecycle-renewed-v5', h.env.client.workflow.getHandle(c.workflowId, firstRunId));
    for (const length of lengths) expect(length).toBeLessThan(BOUND);
  }, 180_000);
});

describe('termination', () => {
  ownServer();

  it('terminates mid-term: no running timers or spawned workflows remain, and the reason is recorded', async () => {
    const c = await activeContract();
    const payment = h.env.client.workflow.getHandle(paymentWorkflowId(invoiceNumber(c.number, { kind: 'initial_term' })));
    expect((await payment.describe()).status.name).toBe('RUNNING');
    // mid-term: the invoice is out and its payment workflow is waiting on its timers
    // (the time-skipping test server cannot cancel an activity that is scheduled but not yet started)
    await waitFor(() => detail(c.id), (d) => d.notifications.some((n: { reason: string }) => n.reason === 'payment_notice'), 'the payment notice');
    const res = await h
      .api('legal')
      .post(`/api/contracts/${c.id}/termination`, { reason: '双方协商一致解除', effectiveAt: new Date(await h.env.currentTimeMs()).toISOString() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await h.env.client.workflow.getHandle(c.workflowId).result();
    expect((await h.env.client.workflow.getHandle(c.workflowId).describe()).status.name).toBe('COMPLETED');
    await waitFor(async () => (await payment.describe()).status.name, (s) => s === 'CANCELLED', 'the payment workflow to be cancelled');
    const d = await detail(c.id);
    expect(d.status).toBe('terminated');
    expect(d.deadlines).toEqual([]);
    expect(await count(`SELECT count(*) AS n FROM deadlines WHERE contract_id = $1 AND status = 'open'`, [c.id])).toBe(0);
    expect(d.audit.find((e: { type: string }) => e.type === 'contract.terminated').data.reason).toBe('双方协商一致解除');
    const again = await h.api('legal').post(`/api/contracts/${c.id}/termination`, { reason: 'x', effectiveAt: new Date().toISOString() });
    expect(again.status).toBe(409);
  });

});

// its own server: waiting for the terminated lifecycle's result above lets the server skip time, and a contract
// created after that (its creation instant is Postgres's clock) would be past its signing deadline at once
describe('supplemental agreements', () => {
  ownServer();

  it("applies a supplemental agreement signed by both parties to the next renewal's invoice", async () => {
    const c = await activeContract();
    const proposed = await h.api('sales').post(`/api/contracts/${c.id}/amendments`, { description: '年费调整为 1,200 元', changes: { yearlyFeeFen: 120000 } });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const seq = proposed.body.seq;
    const bad = await h.api('sales').post(`/api/contracts/${c.id}/amendments`, { description: 'x', changes: {} });
    expect(bad.status).toBe(400);
    await h.api('sales').post(`/api/contracts/${c.id}/amendments/${seq}/signatures`, { party: 'A', signer: '张示例', title: '授权代表', sealed: true }).expect(200);
    const twice = await h.api('sales').post(`/api/contracts/${c.id}/amendments/${seq}/signatures`, { party: 'A', signer: '张示例', title: '授权代表', sealed: true });
    expect(twice.status).toBe(409);
    const signed = await h.api('sales').post(`/api/contracts/${c.id}/amendments/${seq}/signatures`, { party: 'B', signer: '王示例', title: '负责人', sealed: true });
    expect(signed.body.status).toBe('signed');
    const d = await detail(c.id);
    expect(d.documents.map((x: { kind: string }) => x.kind)).toContain('amendment');
    expect(d.terms.package.yearlyFeeFen).toBe(120000);

    await sleepUntil(c.termEndsAt, DAY);
    await waitFor(() => detail(c.id), (x) => x.termEndsAt !== c.termEndsAt, 'the renewal');
    const r1 = invoiceNumber(c.number, { kind: 'renewal', renewal: 1 });
    await waitFor(async () => (await h.database.db.query('SELECT amount_fen FROM invoices WHERE number = $1', [r1])).rows[0], (r) => Boolean(r), 'the renewal invoice');
    expect(Number((await h.database.db.query('SELECT amount_fen FROM invoices WHERE number = $1', [r1])).rows[0]!.amount_fen)).toBe(120000);
  });
});
