/**
 * Business steps shared by the workflow tests: an active contract, paying an
 * invoice, moving the test server's clock, waiting for an eventual state.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { invoiceNumber, paymentWorkflowId } from '../../domain/billing';
import type { PaymentDeadlineInput } from '../../workflows/payment-deadline';
import { createHarness, type Harness, type HarnessOptions } from './harness';

export const DAY = 86_400_000;

/** A TCP port free on the loopback right now. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A harness of its own for the enclosing describe block; `ref.h` is set before its tests run. */
export function harnessPerBlock(options?: HarnessOptions): { h: Harness } {
  const ref = {} as { h: Harness };
  beforeAll(async () => {
    ref.h = await createHarness(options);
  });
  afterAll(async () => {
    await ref.h?.close();
  });
  return ref;
}

export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(v)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const contractDetail = async (h: Harness, id: string) => (await h.api('legal').get(`/api/contracts/${id}`).expect(200)).body;

export async function waitForInvoice(h: Harness, number: string): Promise<void> {
  await waitFor(async () => (await h.database.db.query('SELECT 1 FROM invoices WHERE number = $1', [number])).rowCount, (n) => n === 1, `invoice ${number}`);
}

/** Creates the reference contract (optionally changed), has both parties sign it now, and waits for its first invoice. */
export async function activeContract(h: Harness, mutate?: (terms: any) => void) {
  const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
  mutate?.(template.terms);
  const created = await h.api('sales').post('/api/contracts', template).expect(201);
  const id = created.body.id as string;
  for (const party of ['A', 'B']) {
    await h.api('sales').post(`/api/contracts/${id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true }).expect(200);
  }
  const d = await contractDetail(h, id);
  const invoice = invoiceNumber(d.number, { kind: 'initial_term' });
  await waitForInvoice(h, invoice);
  return {
    id,
    number: d.number as string,
    workflowId: d.workflowId as string,
    effectiveAt: d.effectiveAt as string,
    termEndsAt: d.termEndsAt as string,
    invoice,
    payment: h.env.client.workflow.getHandle(paymentWorkflowId(invoice)),
  };
}

/** The contract's open payment deadline, once its payment workflow has put it in the read model. */
export async function paymentDeadline(h: Harness, contractId: string): Promise<{ kind: 'payment'; dueAt: string; explanation: string }> {
  const detail = await waitFor(
    () => contractDetail(h, contractId),
    (d) => d.deadlines.some((x: { kind: string }) => x.kind === 'payment'),
    'the payment deadline in the contract detail',
  );
  return detail.deadlines.find((x: { kind: string }) => x.kind === 'payment');
}

/** Moves the time-skipping server's clock to the instant (plus an offset). */
export async function sleepUntil(h: Harness, instant: string | number, plusMs = 0): Promise<void> {
  const target = (typeof instant === 'number' ? instant : Date.parse(instant)) + plusMs;
  const now = await h.env.currentTimeMs();
  if (target > now) await h.env.sleep(target - now);
}

export const serverNowIso = async (h: Harness) => new Date(await h.env.currentTimeMs()).toISOString();

/** Pays the invoice in full as finance and waits until its payment workflow settled it. */
export async function payInvoice(h: Harness, contractId: string, number: string): Promise<void> {
  await waitForInvoice(h, number);
  const { rows } = await h.database.db.query('SELECT amount_fen FROM invoices WHERE number = $1', [number]);
  const res = await h.api('finance').post(`/api/contracts/${contractId}/payments`, {
    amountFen: Number(rows[0]!.amount_fen),
    reference: `PAY-${number}`,
    paidAt: await serverNowIso(h),
    method: 'bank_transfer',
    invoiceNumber: number,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await h.env.client.workflow.getHandle(paymentWorkflowId(number)).result();
}

/** A payment workflow's input for the reference contract's initial term, started by a test itself (not by a lifecycle). */
export function referencePaymentInput(contract: { id: string; number: string }, invoice: string, trigger: string, more: Partial<PaymentDeadlineInput> = {}): PaymentDeadlineInput {
  return {
    contractId: contract.id,
    contractNumber: contract.number,
    invoiceNumber: invoice,
    kind: 'initial_term',
    periodLabel: '首期 3 年服务费',
    amountFen: 299_700,
    vatRatePercent: 0,
    invoiceType: 'vat_special',
    trigger,
    dueDays: 30,
    reminderDaysBefore: [7, 1],
    holidayOverrides: [],
    cureDays: 10,
    ...more,
  };
}
