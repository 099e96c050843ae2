/**
 * Partly paid invoices, finance's totals and the ageing of receivables,
 * through the API on a real Postgres and Temporal server:
 *
 * - a hand-built book of invoices due 0, 1, 30, 31, 61 and 91 days before a
 *   fixed now (the time-skipping server's clock moved to 2030-01-15 12:00
 *   Beijing time, the clock the API ages at), a partly paid one not yet due and
 *   a paid one: GET /api/invoices/summary and the list filter against sums
 *   worked out by hand, a sales user's own contracts only, and the CSV export's
 *   bytes (BOM, CRLF, Chinese header, a customer name with a comma and a quote);
 * - the real flow: a partial payment makes the invoice partially_paid (API,
 *   list filter, digest), its deadline passing makes it overdue with what was
 *   paid, the rest makes it paid.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDigestActivities } from '../../activities/digest';
import type { ActivityDeps } from '../../activities/deps';
import { insertContract } from '../../db/contracts';
import { addToInvoice, insertInvoice, insertPayment, markOverdue } from '../../db/invoices';
import { upsertUser } from '../../db/users';
import { invoiceNumber } from '../../domain/billing';
import { REFERENCE_TERMS } from '../../domain/terms';
import { activeContract, harnessPerBlock, paymentDeadline, serverNowIso, sleepUntil, waitFor } from '../support/flows';
import type { Harness } from '../support/harness';

const DAY = 86_400_000;
/** 2030-01-15 12:00 Beijing time: midday, so the seconds the test server runs on by itself never reach another day */
const NOW = '2030-01-15T04:00:00.000Z';
const COMMA_QUOTE_CUSTOMER = '呼和浩特"北方",科技有限公司';

/**
 * The book, due N days before NOW: the last day is 2030-01-15 − N, the due
 * instant its 24:00 Beijing time (<last day>T16:00Z). A and B are on a
 * contract of the test's sales user, the rest on another owner's contract.
 */
const BOOK = [
  { name: 'A', own: true, dueAt: '2030-01-15T16:00:00Z', amountFen: 100000, paidFen: 0, overdue: false }, // 0 days: current, open
  { name: 'B', own: true, dueAt: '2030-01-14T16:00:00Z', amountFen: 299700, paidFen: 100000, overdue: true }, // 1 day, partly paid
  { name: 'C', own: false, dueAt: '2029-12-16T16:00:00Z', amountFen: 50000, paidFen: 0, overdue: true }, // 30 days
  { name: 'D', own: false, dueAt: '2029-12-15T16:00:00Z', amountFen: 99900, paidFen: 0, overdue: true }, // 31 days
  { name: 'E', own: false, dueAt: '2029-11-15T16:00:00Z', amountFen: 20000, paidFen: 5000, overdue: true }, // 61 days, partly paid
  { name: 'F', own: false, dueAt: '2029-10-16T16:00:00Z', amountFen: 12345, paidFen: 0, overdue: true }, // 91 days
  { name: 'G', own: false, dueAt: '2030-02-13T16:00:00Z', amountFen: 80000, paidFen: 30000, overdue: false }, // due in 29 days, partly paid
  { name: 'H', own: false, dueAt: '2029-12-01T16:00:00Z', amountFen: 60000, paidFen: 60000, overdue: false }, // paid in full
] as const;

const HEADER = '发票号码,合同编号,客户名称,账期,状态,到期日,逾期天数,账龄,发票金额（元）,已付金额（元）,未付金额（元）,未到期（元）,逾期1-30天（元）,逾期31-60天（元）,逾期61-90天（元）,逾期90天以上（元）';

/** GET as the role, the body as the bytes sent */
const getBytes = (h: Harness, role: 'finance' | 'sales', path: string) =>
  h.api(role).get(path).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('totals and ageing over a hand-built book, the clock at 2030-01-15 12:00 Beijing time', () => {
  const ref = harnessPerBlock();
  let h: Harness;
  const numbers: Record<string, string> = {};
  const contracts = { own: '', other: '' };

  beforeAll(async () => {
    h = ref.h;
    await sleepUntil(h, NOW);
    const db = h.database.db;
    await upsertUser(db, { id: 'u-other-sales', name: '另一位销售', role: 'sales', organisation: null });
    const contract = async (ownerId: string, partyA: string) => {
      const id = randomUUID();
      const terms = { ...REFERENCE_TERMS, partyA: { ...REFERENCE_TERMS.partyA, name: partyA } };
      return (await insertContract(db, { id, ownerId, terms, workflowId: `contract-${id}`, idempotencyKey: null }))!;
    };
    const own = await contract(h.users.sales, '内蒙古自治区地震局');
    const other = await contract('u-other-sales', COMMA_QUOTE_CUSTOMER);
    contracts.own = own.number;
    contracts.other = other.number;
    for (const [i, inv] of BOOK.entries()) {
      const c = inv.own ? own : other;
      const number = invoiceNumber(c.number, { kind: 'top_up', seq: i + 1 });
      numbers[inv.name] = number;
      const issuedAt = new Date(Date.parse(inv.dueAt) - 30 * DAY).toISOString();
      await insertInvoice(
        db,
        {
          number, contractId: c.id, kind: 'top_up', periodLabel: `账期${inv.name}`, amountFen: inv.amountFen, vatRatePercent: 0, invoiceType: 'vat_special',
          issuedAt, dueAt: inv.dueAt, dueExplanation: `${inv.name} 的付款期限`, topUpSms: 1000, workflowId: `payment-${number}`,
        },
        { system: 'ledger', externalId: null },
      );
      if (inv.paidFen > 0) {
        const paidAt = new Date(Date.parse(issuedAt) + DAY).toISOString();
        await insertPayment(db, { contractId: c.id, invoiceNumber: number, payment: { reference: `PAY-${inv.name}`, amountFen: inv.paidFen, paidAt, method: 'bank_transfer', recordedBy: h.users.finance } });
        await addToInvoice(db, number, inv.paidFen, paidAt);
      }
      // what the payment workflow does at the deadline
      if (inv.overdue) expect(await markOverdue(db, number, inv.dueAt)).toBe(true);
    }
  });

  it('totals every status (count, amount, paid, outstanding in fen) and ages what is owed, for finance and admin', async () => {
    const res = await h.api('finance').get('/api/invoices/summary').expect(200);
    const s = res.body;
    expect(s.today).toBe('2030-01-15');
    expect(Date.parse(s.asOf) - Date.parse(NOW)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(s.asOf) - Date.parse(NOW)).toBeLessThan(3 * 3_600_000);
    expect(s.byStatus).toEqual([
      { status: 'open', count: 1, amountFen: 100000, paidFen: 0, outstandingFen: 100000 }, // A
      { status: 'partially_paid', count: 1, amountFen: 80000, paidFen: 30000, outstandingFen: 50000 }, // G
      { status: 'paid', count: 1, amountFen: 60000, paidFen: 60000, outstandingFen: 0 }, // H
      // B + C + D + E + F = 299700 + 50000 + 99900 + 20000 + 12345; paid 100000 (B) + 5000 (E)
      { status: 'overdue', count: 5, amountFen: 481945, paidFen: 105000, outstandingFen: 376945 },
    ]);
    expect(s.total).toEqual({ count: 8, amountFen: 721945, paidFen: 195000, outstandingFen: 526945 });
    // B and E: overdue, and part of them paid
    expect(s.overduePartlyPaid).toEqual({ count: 2, amountFen: 319700, paidFen: 105000, outstandingFen: 214700 });
    expect(s.ageing.buckets).toEqual([
      { bucket: 'current', fromDays: 0, toDays: 0, count: 2, outstandingFen: 150000 }, // A 100000 (its last day) + G 50000
      { bucket: 'd1_30', fromDays: 1, toDays: 30, count: 2, outstandingFen: 249700 }, // B 199700 (1 day) + C 50000 (30 days)
      { bucket: 'd31_60', fromDays: 31, toDays: 60, count: 1, outstandingFen: 99900 }, // D (31 days)
      { bucket: 'd61_90', fromDays: 61, toDays: 90, count: 1, outstandingFen: 15000 }, // E 20000 − 5000 (61 days)
      { bucket: 'over_90', fromDays: 91, toDays: null, count: 1, outstandingFen: 12345 }, // F (91 days)
    ]);
    expect(s.ageing.total).toEqual({ count: 7, outstandingFen: 526945 });
    expect((await h.api('admin').get('/api/invoices/summary').expect(200)).body.total).toEqual(s.total);
  });

  it('shows a sales user the invoices of their own contracts only, and nobody else outside finance', async () => {
    const s = (await h.api('sales').get('/api/invoices/summary').expect(200)).body;
    expect(s.byStatus).toEqual([
      { status: 'open', count: 1, amountFen: 100000, paidFen: 0, outstandingFen: 100000 },
      { status: 'partially_paid', count: 0, amountFen: 0, paidFen: 0, outstandingFen: 0 },
      { status: 'paid', count: 0, amountFen: 0, paidFen: 0, outstandingFen: 0 },
      { status: 'overdue', count: 1, amountFen: 299700, paidFen: 100000, outstandingFen: 199700 },
    ]);
    expect(s.ageing.buckets.map((b: { bucket: string; count: number; outstandingFen: number }) => [b.bucket, b.count, b.outstandingFen])).toEqual([
      ['current', 1, 100000],
      ['d1_30', 1, 199700],
      ['d31_60', 0, 0],
      ['d61_90', 0, 0],
      ['over_90', 0, 0],
    ]);
    for (const role of ['customer', 'legal', 'operations'] as const) {
      await h.api(role).get('/api/invoices/summary').expect(403);
      await h.api(role).get('/api/invoices/ageing.csv').expect(403);
    }
  });

  it('filters the list by the status as read: open, partially_paid, overdue (partly paid or not), paid', async () => {
    const listed = async (status: string) =>
      ((await h.api('finance').get(`/api/invoices?status=${status}`).expect(200)).body.items as { number: string; status: string; paidFen: number; outstandingFen: number }[]);
    expect((await listed('open')).map((i) => i.number)).toEqual([numbers.A]);
    expect(await listed('partially_paid')).toEqual([expect.objectContaining({ number: numbers.G, status: 'partially_paid', paidFen: 30000, outstandingFen: 50000 })]);
    expect((await listed('paid')).map((i) => i.number)).toEqual([numbers.H]);
    const overdue = await listed('overdue');
    expect(overdue.map((i) => i.number)).toEqual([numbers.F, numbers.E, numbers.D, numbers.C, numbers.B]);
    expect(overdue.find((i) => i.number === numbers.B)).toMatchObject({ status: 'overdue', paidFen: 100000, outstandingFen: 199700 });
    await h.api('finance').get('/api/invoices?status=issued').expect(400);
  });

  it('exports the ageing as a CSV Excel opens: BOM, CRLF, Chinese header, yuan, a customer with a comma and a quote quoted', async () => {
    const res = await getBytes(h, 'finance', '/api/invoices/ageing.csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="invoice-ageing-2030-01-15.csv"; filename*=UTF-8''%E5%BA%94%E6%94%B6%E8%B4%A6%E6%AC%BE%E8%B4%A6%E9%BE%84-2030-01-15.csv`,
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).not.toMatch(/[^\r]\n/); // every line ends CRLF
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(HEADER);
    const quoted = '"呼和浩特""北方"",科技有限公司"';
    // oldest due first; the paid invoice H is not there
    expect(lines.slice(1, -2)).toEqual([
      `${numbers.F},${contracts.other},${quoted},账期F,已逾期,2029-10-16,91,逾期90天以上,123.45,0.00,123.45,,,,,123.45`,
      `${numbers.E},${contracts.other},${quoted},账期E,已逾期（部分付款）,2029-11-15,61,逾期61-90天,200.00,50.00,150.00,,,,150.00,`,
      `${numbers.D},${contracts.other},${quoted},账期D,已逾期,2029-12-15,31,逾期31-60天,999.00,0.00,999.00,,,999.00,,`,
      `${numbers.C},${contracts.other},${quoted},账期C,已逾期,2029-12-16,30,逾期1-30天,500.00,0.00,500.00,,500.00,,,`,
      `${numbers.B},${contracts.own},内蒙古自治区地震局,账期B,已逾期（部分付款）,2030-01-14,1,逾期1-30天,2997.00,1000.00,1997.00,,1997.00,,,`,
      `${numbers.A},${contracts.own},内蒙古自治区地震局,账期A,待付款,2030-01-15,0,未到期,1000.00,0.00,1000.00,1000.00,,,,`,
      `${numbers.G},${contracts.other},${quoted},账期G,部分付款,2030-02-13,0,未到期,800.00,300.00,500.00,500.00,,,,`,
    ]);
    // A..G: amounts 661945, paid 135000, outstanding 526945 fen; per bucket 150000, 249700, 99900, 15000, 12345
    expect(lines.at(-2)).toBe('合计（7 张）,,,,,,,,6619.45,1350.00,5269.45,1500.00,2497.00,999.00,150.00,123.45');
    expect(lines.at(-1)).toBe('');

    const own = (await getBytes(h, 'sales', '/api/invoices/ageing.csv').expect(200)).body as Buffer;
    const ownLines = own.subarray(3).toString('utf8').split('\r\n');
    expect(ownLines.slice(1, -2).map((l) => l.split(',')[0])).toEqual([numbers.B, numbers.A]);
    expect(ownLines.at(-2)).toBe('合计（2 张）,,,,,,,,3997.00,1000.00,2997.00,1000.00,1997.00,0.00,0.00,0.00');
  });
});

describe('a partial payment, the deadline passing, the rest paid (time-skipped)', () => {
  const ref = harnessPerBlock();

  it('moves the invoice open → partially_paid → overdue with what was paid → paid, in the API, the list filter, the totals and the digest', async () => {
    const h = ref.h;
    const c = await activeContract(h);
    const due = (await paymentDeadline(h, c.id)).dueAt;
    const pay = async (amountFen: number, reference: string) => {
      const res = await h.api('finance').post(`/api/contracts/${c.id}/payments`, { amountFen, reference, paidAt: await serverNowIso(h), method: 'bank_transfer' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.invoice;
    };
    const listed = async (status: string) => ((await h.api('finance').get(`/api/invoices?status=${status}`).expect(200)).body.items as { number: string }[]).map((i) => i.number);
    const summary = async () => (await h.api('finance').get('/api/invoices/summary').expect(200)).body;
    const statusTotal = async (status: string) => (await summary()).byStatus.find((s: { status: string }) => s.status === status);
    expect(await listed('open')).toEqual([c.invoice]);

    // part of it: partially paid, no longer "open"
    expect(await pay(100000, 'PART-1')).toMatchObject({ status: 'partially_paid', paidFen: 100000, outstandingFen: 199700 });
    expect(await listed('partially_paid')).toEqual([c.invoice]);
    expect(await listed('open')).toEqual([]);
    const detail = (await h.api('sales').get(`/api/contracts/${c.id}`).expect(200)).body;
    expect(detail.invoices[0]).toMatchObject({ number: c.invoice, status: 'partially_paid', paidFen: 100000 });
    expect(await statusTotal('partially_paid')).toEqual({ status: 'partially_paid', count: 1, amountFen: 299700, paidFen: 100000, outstandingFen: 199700 });
    expect((await summary()).ageing.buckets[0]).toMatchObject({ bucket: 'current', count: 1, outstandingFen: 199700 });

    // the daily digest shows the payment deadline's invoice as partly paid
    const built = await createDigestActivities({ db: h.database.db } as ActivityDeps).buildRenewalDigest({ asOf: await serverNowIso(h), horizonDays: 60 });
    const digest = (await h.api('sales').get('/api/digests/latest').expect(200)).body;
    expect(digest.id).toBe(built.id);
    const item = digest.groups[0].payments.find((p: { contractId: string }) => p.contractId === c.id);
    expect(item.invoice).toEqual({ number: c.invoice, status: 'partially_paid', amountFen: 299700, paidFen: 100000, outstandingFen: 199700 });
    const notice = await h.database.db.query(`SELECT body FROM notifications WHERE id = $1`, [`digest:${built.id}:${h.users.sales}`]);
    expect(notice.rows[0]!.body).toContain('付款期限 1 项（其中已部分付款 1 项）');

    // the deadline passes with 1,997.00 still owed: overdue, with what was paid; one day old on the day after the due date
    await sleepUntil(h, due, 3_600_000);
    const overdue = await waitFor(
      async () => (await h.api('finance').get('/api/invoices?status=overdue').expect(200)).body.items as { number: string; status: string; paidFen: number; outstandingFen: number }[],
      (items) => items.length === 1,
      'the invoice overdue',
    );
    expect(overdue[0]).toMatchObject({ number: c.invoice, status: 'overdue', paidFen: 100000, outstandingFen: 199700 });
    expect(await listed('partially_paid')).toEqual([]);
    const late = await summary();
    expect(late.byStatus.find((s: { status: string }) => s.status === 'overdue')).toEqual({ status: 'overdue', count: 1, amountFen: 299700, paidFen: 100000, outstandingFen: 199700 });
    expect(late.overduePartlyPaid).toEqual({ count: 1, amountFen: 299700, paidFen: 100000, outstandingFen: 199700 });
    expect(late.ageing.buckets.find((b: { bucket: string }) => b.bucket === 'd1_30')).toMatchObject({ count: 1, outstandingFen: 199700 });
    const audit = await h.database.db.query(`SELECT before FROM audit_events WHERE contract_id = $1 AND type = 'invoice.overdue'`, [c.id]);
    expect(audit.rows[0]!.before).toEqual({ status: 'partially_paid' });

    // the rest: paid
    expect(await pay(199700, 'PART-2')).toMatchObject({ status: 'paid', paidFen: 299700, outstandingFen: 0 });
    expect(await listed('paid')).toEqual([c.invoice]);
    expect(await listed('overdue')).toEqual([]);
    const settled = await summary();
    expect(settled.byStatus.find((s: { status: string }) => s.status === 'paid')).toEqual({ status: 'paid', count: 1, amountFen: 299700, paidFen: 299700, outstandingFen: 0 });
    expect(settled.ageing.total).toEqual({ count: 0, outstandingFen: 0 });
  });
});
