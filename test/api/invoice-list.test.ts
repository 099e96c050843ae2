/**
 * GET /api/invoices searched, narrowed to a contract and paged with its
 * total, over five hand-built invoices of two contracts with fixed numbers,
 * names and due instants (no instant depends on today).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContract } from '../../db/contracts';
import { insertInvoice } from '../../db/invoices';
import { upsertUser } from '../../db/users';
import { invoiceNumber } from '../../domain/billing';
import { REFERENCE_TERMS } from '../../domain/terms';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;

const OTHER_SALES = 'u-invoices-other';
const X = { id: 'c-invoices-x', number: 'SMS-2031-000101', partyA: 'Golf 锡林郭勒盟气象局' };
const Y = { id: 'c-invoices-y', number: 'SMS-2031-000102', partyA: 'Hotel 50%商行' };
const T1 = { kind: 'initial_term' } as const;
const TU = (seq: number) => ({ kind: 'top_up', seq }) as const;
/** [contract, period, due]: listed by due date (none is overdue) */
const BOOK = [
  [X, T1, '2031-01-10T16:00:00.000Z'],
  [Y, T1, '2031-01-20T16:00:00.000Z'],
  [X, TU(1), '2031-02-10T16:00:00.000Z'],
  [Y, TU(1), '2031-02-20T16:00:00.000Z'],
  [X, TU(2), '2031-03-10T16:00:00.000Z'],
] as const;
const [XT1, YT1, XTU1, YTU1, XTU2] = BOOK.map(([c, period]) => invoiceNumber(c.number, period));

beforeAll(async () => {
  h = await createHarness();
  const db = h.database.db;
  await upsertUser(db, { id: OTHER_SALES, name: '丙销售', role: 'sales', organisation: null });
  for (const c of [X, Y]) {
    const terms = { ...REFERENCE_TERMS, partyA: { ...REFERENCE_TERMS.partyA, name: c.partyA } };
    await insertContract(db, { id: c.id, ownerId: c === X ? h.users.sales : OTHER_SALES, terms, workflowId: `contract-${c.id}`, idempotencyKey: null });
    await db.query('UPDATE contracts SET number = $2 WHERE id = $1', [c.id, c.number]);
  }
  for (const [c, period, dueAt] of BOOK) {
    const number = invoiceNumber(c.number, period);
    const issuedAt = new Date(Date.parse(dueAt) - 30 * 86_400_000).toISOString();
    await insertInvoice(
      db,
      {
        number, contractId: c.id, kind: period.kind, periodLabel: number, amountFen: 99_900, vatRatePercent: 0, invoiceType: 'vat_special',
        issuedAt, dueAt, dueExplanation: '付款期限', topUpSms: period.kind === 'top_up' ? 12_666 : null, workflowId: `payment-${number}`,
      },
      { system: 'ledger', externalId: null },
    );
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const list = async (query: Record<string, string | number>, role: 'finance' | 'sales' = 'finance') => {
  const res = await h.api(role).get(`/api/invoices?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { total: res.body.total as number, numbers: (res.body.items as { number: string }[]).map((i) => i.number) };
};

describe('the invoice list', () => {
  it('pages with the total on every page, also past the last', async () => {
    expect(await list({ limit: 2 })).toEqual({ total: 5, numbers: [XT1, YT1] });
    expect(await list({ limit: 2, offset: 2 })).toEqual({ total: 5, numbers: [XTU1, YTU1] });
    expect(await list({ limit: 2, offset: 4 })).toEqual({ total: 5, numbers: [XTU2] });
    expect(await list({ limit: 2, offset: 10 })).toEqual({ total: 5, numbers: [] });
  });

  it("finds invoices by the invoice number, the contract's number, the customer's name, full-width input folded and % taken literally", async () => {
    expect(await list({ q: 'tu2' })).toEqual({ total: 1, numbers: [XTU2] });
    expect(await list({ q: '锡林郭勒' })).toEqual({ total: 3, numbers: [XT1, XTU1, XTU2] });
    expect(await list({ q: 'ＳＭＳ－２０３１－０００１０２' })).toEqual({ total: 2, numbers: [YT1, YTU1] });
    expect(await list({ q: '%' })).toEqual({ total: 2, numbers: [YT1, YTU1] });
    expect(await list({ q: '锡林郭勒', limit: 2, offset: 2 })).toEqual({ total: 3, numbers: [XTU2] });
  });

  it("narrows to one contract's invoices, within the caller's scope", async () => {
    expect(await list({ contract: X.id })).toEqual({ total: 3, numbers: [XT1, XTU1, XTU2] });
    expect(await list({}, 'sales')).toEqual({ total: 3, numbers: [XT1, XTU1, XTU2] });
    expect(await list({ q: 'hotel' }, 'sales')).toEqual({ total: 0, numbers: [] });
    expect(await list({ contract: Y.id }, 'sales')).toEqual({ total: 0, numbers: [] });
  });

  it('refuses an empty or overlong search, naming the parameter', async () => {
    for (const query of ['q=', `q=${'x'.repeat(101)}`]) {
      const res = await h.api('finance').get(`/api/invoices?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['query.q']);
    }
  });
});
