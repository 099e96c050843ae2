/**
 * Art.3 §5: a top-up is priced by the contract, never by
 * the caller. On a real worker, the time-skipping server and Postgres: a
 * customer operator chooses a package or a quantity and the invoice carries
 * the list price (amounts worked out by hand from the reference price list,
 * 999 元 per 12,666 messages); a customer still sending priceFen gets a 400
 * naming it; finance may set another price only with a reason, which the
 * audit log keeps; a contract stored without a price list is priced by its
 * yearly fee pro rata.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceNumber } from '../../domain/billing';
import { activeContract, harnessPerBlock, payInvoice, waitForInvoice } from '../support/flows';
import type { Harness } from '../support/harness';

let h: Harness;
const topUp = (role: 'customer' | 'finance' | 'sales', contractId: string, body: Record<string, unknown>) => h.api(role).post(`/api/contracts/${contractId}/top-ups`, body);
const invoiceAmount = async (number: string) => {
  await waitForInvoice(h, number);
  return Number((await h.database.db.query('SELECT amount_fen FROM invoices WHERE number = $1', [number])).rows[0]!.amount_fen);
};
const topUpRows = async (contractId: string) =>
  (await h.database.db.query('SELECT seq, sms, price_fen, package, list_price_fen, price_reason, requested_by FROM top_ups WHERE contract_id = $1 ORDER BY seq', [contractId])).rows.map(
    (r) => ({ ...r, price_fen: Number(r.price_fen), list_price_fen: r.list_price_fen === null ? null : Number(r.list_price_fen) }),
  );

describe('top-ups priced by the contract (Art.3 §5)', () => {
  const ref = harnessPerBlock();
  beforeAll(() => {
    h = ref.h;
  });

  it("refuses a customer's price, invoices a package and a quantity at the list price", async () => {
    const c = await activeContract(h);
    await payInvoice(h, c.id, c.invoice);

    // the old request shape from a customer operator: the price is not theirs to set
    const priced = await topUp('customer', c.id, { quantity: 10_000, priceFen: 1 });
    expect(priced.status, JSON.stringify(priced.body)).toBe(400);
    expect(priced.body.error.issues).toEqual([{ path: 'body.priceFen', message: expect.stringContaining("is set by the contract's price list") }]);
    const unknown = await topUp('customer', c.id, { package: 'sms-1' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].path).toBe('body.package');
    expect(await topUpRows(c.id)).toEqual([]);

    // the yearly package: 12,666 messages for 999.00 元
    const pkg = await topUp('customer', c.id, { package: 'sms-12666' });
    expect(pkg.status, JSON.stringify(pkg.body)).toBe(202);
    expect(pkg.body).toMatchObject({ invoiceNumber: invoiceNumber(c.number, { kind: 'top_up', seq: 1 }), quantity: 12_666, priceFen: 99_900, pricing: { package: 'sms-12666', listPriceFen: 99_900, source: 'terms', override: null } });
    expect(await invoiceAmount(pkg.body.invoiceNumber)).toBe(99_900);

    // 5,000 messages at the smallest package's rate: 5,000 × 49,950 ÷ 6,333 = 39,436.29 → 39,436 fen
    const qty = await topUp('customer', c.id, { quantity: 5000 });
    expect(qty.status, JSON.stringify(qty.body)).toBe(202);
    expect(qty.body).toMatchObject({ quantity: 5000, priceFen: 39_436, pricing: { package: null, listPriceFen: 39_436 } });
    expect(await invoiceAmount(qty.body.invoiceNumber)).toBe(39_436);

    expect(await topUpRows(c.id)).toEqual([
      { seq: 1, sms: 12_666, price_fen: 99_900, package: 'sms-12666', list_price_fen: 99_900, price_reason: null, requested_by: h.users.customer },
      { seq: 2, sms: 5000, price_fen: 39_436, package: null, list_price_fen: 39_436, price_reason: null, requested_by: h.users.customer },
    ]);
    const audit = (await h.api('legal').get(`/api/contracts/${c.id}`).expect(200)).body.audit.filter((e: { type: string }) => e.type === 'top_up.requested');
    expect(audit.map((e: { data: { priceFen: number; priceOverride: unknown } }) => [e.data.priceFen, e.data.priceOverride])).toEqual([
      [99_900, null],
      [39_436, null],
    ]);
  });

  it('lets finance set another price only with a reason, and audits it', async () => {
    const c = await activeContract(h);
    const noReason = await topUp('finance', c.id, { package: 'sms-12666', priceFen: 80_000 });
    expect(noReason.status, JSON.stringify(noReason.body)).toBe(400);
    expect(noReason.body.error.issues).toEqual([{ path: 'body.priceReason', message: expect.stringContaining('is required with priceFen') }]);
    // a sales user is not finance either
    const bySales = await topUp('sales', c.id, { package: 'sms-12666', priceFen: 80_000, priceReason: '客户要求' });
    expect(bySales.status).toBe(400);
    expect(bySales.body.error.issues[0].path).toBe('body.priceFen');
    expect(await topUpRows(c.id)).toEqual([]);

    const reason = '年度框架协议约定的优惠价（补充协议第 1 号）';
    const res = await topUp('finance', c.id, { package: 'sms-12666', priceFen: 80_000, priceReason: reason });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ priceFen: 80_000, pricing: { listPriceFen: 99_900, override: { reason, byRole: 'finance' } } });
    expect(await invoiceAmount(res.body.invoiceNumber)).toBe(80_000);
    expect(await topUpRows(c.id)).toEqual([{ seq: 1, sms: 12_666, price_fen: 80_000, package: 'sms-12666', list_price_fen: 99_900, price_reason: reason, requested_by: h.users.finance }]);
    const detail = (await h.api('legal').get(`/api/contracts/${c.id}`).expect(200)).body;
    const event = detail.audit.find((e: { type: string }) => e.type === 'top_up.requested');
    expect(event).toMatchObject({
      actorId: h.users.finance,
      actorRole: 'finance',
      data: { priceFen: 80_000, listPriceFen: 99_900, package: 'sms-12666', priceOverride: { reason, listPriceFen: 99_900, byRole: 'finance' } },
    });
  });

  it('prices a contract stored without a price list by its yearly fee, pro rata', async () => {
    const c = await activeContract(h, (terms) => {
      delete terms.topUps;
      terms.package.yearlyFeeFen = 120_000;
      terms.payment.totalFen = 360_000;
    });
    // 5,000 × 120,000 ÷ 12,666 = 47,370.91 → 47,371 fen
    const res = await topUp('customer', c.id, { quantity: 5000 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ priceFen: 47_371, pricing: { source: 'yearly_fee_pro_rata', package: null } });
    expect(await invoiceAmount(res.body.invoiceNumber)).toBe(47_371);
  });
});
