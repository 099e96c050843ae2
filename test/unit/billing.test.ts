import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpBilling } from '../../billing';
import { applyPayment, contractYearOf, invoiceNumber, ladderSchedule, OVERDUE_LADDER, type InvoiceSpec } from '../../domain/billing';

const spec: InvoiceSpec = {
  number: invoiceNumber('SMS-2026-000001', { kind: 'initial_term' }),
  contractId: 'c-1',
  kind: 'initial_term',
  periodLabel: '首期 3 年服务费',
  amountFen: 299700,
  vatRatePercent: 0,
  invoiceType: 'vat_special',
  issuedAt: '2026-01-05T02:00:00.000Z',
  dueAt: '2026-02-04T16:00:00.000Z',
  dueExplanation: '…',
  topUpSms: null,
  workflowId: 'payment-x',
};

/** A billing system that fails twice, then stores an invoice but answers too late, then behaves. */
function startFlakyBilling(): Promise<{ server: Server; url: string; invoices: Map<string, unknown>; posts: () => number }> {
  const invoices = new Map<string, unknown>();
  let posts = 0;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET') {
      const number = decodeURIComponent(req.url!.split('/').pop()!);
      const found = invoices.get(number);
      return found ? send(200, found) : send(404, { error: 'not found' });
    }
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      posts += 1;
      const body = JSON.parse(raw);
      if (posts <= 2) return send(500, { error: 'temporarily unavailable' });
      const stored = { id: `ext-${invoices.size + 1}`, ...body, paidFen: 0 };
      invoices.set(body.number, stored);
      if (posts === 3) return void setTimeout(() => send(201, stored), 1_500); // stored, but the answer comes after the client's timeout
      return send(201, stored);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, invoices, posts: () => posts }),
    ),
  );
}

let server: Server | undefined;
afterEach(() => server?.close());

describe('HTTP billing adapter', () => {
  it('leaves exactly one invoice after two failures and one timeout', async () => {
    const flaky = await startFlakyBilling();
    server = flaky.server;
    const billing = createHttpBilling({ baseUrl: flaky.url, timeoutMs: 500, attempts: 6, backoffMs: 20 });
    const issued = await billing.issueInvoice(spec);
    expect(flaky.invoices.size).toBe(1);
    expect(flaky.posts()).toBe(3);
    expect(issued.externalId).toBe('ext-1');
    // issuing again (a retried activity) finds it instead of creating another
    await billing.issueInvoice(spec);
    expect(flaky.invoices.size).toBe(1);
    expect(await billing.paidAmount(spec.number)).toBe(0);
  });

  it('gives up with a clear error when billing stays down', async () => {
    const billing = createHttpBilling({ baseUrl: 'http://127.0.0.1:9/', timeoutMs: 200, attempts: 2, backoffMs: 10 });
    await expect(billing.issueInvoice(spec)).rejects.toThrow(/failed after 2 attempts/);
  });
});

describe('invoice rules', () => {
  it('derives invoice numbers from the contract and the period', () => {
    expect(invoiceNumber('SMS-2026-000001', { kind: 'initial_term' })).toBe('INV-SMS-2026-000001-T1');
    expect(invoiceNumber('SMS-2026-000001', { kind: 'renewal', renewal: 2 })).toBe('INV-SMS-2026-000001-R2');
    expect(invoiceNumber('SMS-2026-000001', { kind: 'top_up', seq: 3 })).toBe('INV-SMS-2026-000001-TU3');
  });

  it('accumulates partial payments, counts a reference once and refuses overpayment', () => {
    const p = (reference: string, amountFen: number) => ({ reference, amountFen, paidAt: '2026-01-10T00:00:00Z', method: 'bank_transfer', recordedBy: 'f' });
    expect(applyPayment({ amountFen: 299700, payments: [] }, p('A', 100000))).toEqual({ outcome: 'applied', paidFen: 100000 });
    expect(applyPayment({ amountFen: 299700, payments: [p('A', 100000)] }, p('A', 100000))).toEqual({ outcome: 'duplicate', paidFen: 100000 });
    expect(applyPayment({ amountFen: 299700, payments: [p('A', 100000)] }, p('B', 299700))).toEqual({ outcome: 'overpayment', outstandingFen: 199700 });
  });

  it('walks the overdue ladder as data: notify at once, breach notice at once, customer at due+1 weekly, legal at due+7', () => {
    const schedule = ladderSchedule('2026-02-04T16:00:00.000Z', OVERDUE_LADDER);
    const day = (at: number) => (at - Date.parse('2026-02-04T16:00:00.000Z')) / 86_400_000;
    expect(schedule.map((s) => [s.rung.id, day(s.at)])).toEqual([
      ['notify-finance-and-owner', 0],
      ['breach-notice-nonpayment', 0],
      ['remind-customer', 1],
      ['escalate-to-legal', 7],
      ['remind-customer', 8],
      ['remind-customer', 15],
      ['remind-customer', 22],
      ['remind-customer', 29],
    ]);
  });

  it('starts contract years on each anniversary of the effective date', () => {
    expect(contractYearOf('2024-05-14T08:00:00Z', '2024-12-01T00:00:00Z').index).toBe(1);
    expect(contractYearOf('2024-05-14T08:00:00Z', '2025-05-14T15:59:59Z').index).toBe(1);
    expect(contractYearOf('2024-05-14T08:00:00Z', '2025-05-14T16:00:00Z').index).toBe(2);
    expect(contractYearOf('2024-02-29T08:00:00Z', '2025-03-01T00:00:00Z').index).toBe(2);
  });
});
