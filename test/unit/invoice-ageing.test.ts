/**
 * Partly paid invoices, totals by status and the ageing of receivables
 * (domain/billing.ts invoiceStatusOf, domain/ageing.ts), with every expected
 * date, bucket and sum worked out by hand.
 *
 * The fixed now is 2030-01-15 12:00 Beijing time (04:00Z). An invoice "due N
 * days before" has its last day on 2030-01-15 − N and its due instant at that
 * day's 24:00 Beijing time = <last day>T16:00:00Z.
 */
import { describe, expect, it } from 'vitest';
import { AGEING_CSV_HEADER, ageInvoices, ageingBucketOf, ageingCsv, daysOverdue, dueDateOf, excelCsv, totalsByStatus, yuanCell, type AgeingCsvInvoice } from '../../domain/ageing';
import { invoiceStatusOf } from '../../domain/billing';

const NOW = Date.parse('2030-01-15T04:00:00Z');

describe('the invoice status as read', () => {
  it('puts partially_paid between open and paid; overdue wins over partly paid', () => {
    expect(invoiceStatusOf({ status: 'open', amountFen: 299700, paidFen: 0 })).toBe('open');
    expect(invoiceStatusOf({ status: 'open', amountFen: 299700, paidFen: 1 })).toBe('partially_paid');
    expect(invoiceStatusOf({ status: 'open', amountFen: 299700, paidFen: 299699 })).toBe('partially_paid');
    expect(invoiceStatusOf({ status: 'paid', amountFen: 299700, paidFen: 299700 })).toBe('paid');
    expect(invoiceStatusOf({ status: 'overdue', amountFen: 299700, paidFen: 0 })).toBe('overdue');
    expect(invoiceStatusOf({ status: 'overdue', amountFen: 299700, paidFen: 100000 })).toBe('overdue');
  });
});

describe('days overdue, in Asia/Shanghai days from the due date', () => {
  it('reads a 24:00 deadline as its own day', () => {
    expect(dueDateOf('2030-01-14T16:00:00Z')).toBe('2030-01-14');
    expect(dueDateOf('2024-06-13T16:00:00.000Z')).toBe('2024-06-13');
    // a deadline at 10:00 Beijing time is on that day too
    expect(dueDateOf('2030-01-15T02:00:00Z')).toBe('2030-01-15');
  });

  it('counts whole days: current on the last day, 1 from the next Beijing midnight', () => {
    // last day 2030-01-15 (24:00 = 2030-01-15T16:00Z)
    expect(daysOverdue('2030-01-15T16:00:00Z', NOW)).toBe(0);
    expect(daysOverdue('2030-01-15T16:00:00Z', Date.parse('2030-01-15T15:59:59Z'))).toBe(0); // 23:59:59 on the last day
    expect(daysOverdue('2030-01-15T16:00:00Z', Date.parse('2030-01-15T16:00:00Z'))).toBe(1); // 00:00 the day after
    expect(daysOverdue('2030-01-15T16:00:00Z', Date.parse('2030-01-16T15:59:59Z'))).toBe(1);
    expect(daysOverdue('2030-01-15T16:00:00Z', Date.parse('2030-01-16T16:00:00Z'))).toBe(2);
    // due N days before the fixed now
    expect(daysOverdue('2030-01-14T16:00:00Z', NOW)).toBe(1); // last day 01-14
    expect(daysOverdue('2029-12-16T16:00:00Z', NOW)).toBe(30); // 12-16: 15 days to 12-31, 15 more to 01-15
    expect(daysOverdue('2029-12-15T16:00:00Z', NOW)).toBe(31);
    expect(daysOverdue('2029-11-16T16:00:00Z', NOW)).toBe(60); // 11-16: 14 days to 11-30, 31 in December, 15 in January
    expect(daysOverdue('2029-11-15T16:00:00Z', NOW)).toBe(61);
    expect(daysOverdue('2029-10-17T16:00:00Z', NOW)).toBe(90); // 10-17: 14 days to 10-31, 30 + 31 + 15
    expect(daysOverdue('2029-10-16T16:00:00Z', NOW)).toBe(91);
    // a deadline that is not at midnight and passed today: overdue, so at least a day
    expect(daysOverdue('2030-01-15T02:00:00Z', NOW)).toBe(1);
    // across a leap day: 2028-02-28 → 2028-03-01 is 2 days
    expect(daysOverdue('2028-02-28T16:00:00Z', Date.parse('2028-03-01T04:00:00Z'))).toBe(2);
  });

  it('buckets: current, 1–30, 31–60, 61–90, over 90', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, 400].map(ageingBucketOf)).toEqual(['current', 'd1_30', 'd1_30', 'd31_60', 'd31_60', 'd61_90', 'd61_90', 'over_90', 'over_90']);
  });
});

/** The hand-built book: [name, due instant, amount, paid, status as read]. */
const BOOK: { name: string; dueAt: string; amountFen: number; paidFen: number; status: 'open' | 'partially_paid' | 'paid' | 'overdue' }[] = [
  { name: 'A', dueAt: '2030-01-15T16:00:00Z', amountFen: 100000, paidFen: 0, status: 'open' }, // due 0 days before: current
  { name: 'B', dueAt: '2030-01-14T16:00:00Z', amountFen: 299700, paidFen: 100000, status: 'overdue' }, // 1 day, partly paid
  { name: 'C', dueAt: '2029-12-16T16:00:00Z', amountFen: 50000, paidFen: 0, status: 'overdue' }, // 30 days
  { name: 'D', dueAt: '2029-12-15T16:00:00Z', amountFen: 99900, paidFen: 0, status: 'overdue' }, // 31 days
  { name: 'E', dueAt: '2029-11-15T16:00:00Z', amountFen: 20000, paidFen: 5000, status: 'overdue' }, // 61 days, partly paid
  { name: 'F', dueAt: '2029-10-16T16:00:00Z', amountFen: 12345, paidFen: 0, status: 'overdue' }, // 91 days
  { name: 'G', dueAt: '2030-02-13T16:00:00Z', amountFen: 80000, paidFen: 30000, status: 'partially_paid' }, // due in 29 days
  { name: 'H', dueAt: '2029-12-01T16:00:00Z', amountFen: 60000, paidFen: 60000, status: 'paid' }, // paid: not aged
];

describe('totals by status', () => {
  it('sums count, amount, paid and outstanding per status, in total, and the overdue ones with a payment', () => {
    const groups = BOOK.map((i) => ({ status: i.status, anyPaid: i.paidFen > 0, count: 1, amountFen: i.amountFen, paidFen: i.paidFen }));
    const totals = totalsByStatus(groups);
    expect(totals.byStatus).toEqual([
      { status: 'open', count: 1, amountFen: 100000, paidFen: 0, outstandingFen: 100000 },
      { status: 'partially_paid', count: 1, amountFen: 80000, paidFen: 30000, outstandingFen: 50000 },
      { status: 'paid', count: 1, amountFen: 60000, paidFen: 60000, outstandingFen: 0 },
      // B + C + D + E + F: 299700 + 50000 + 99900 + 20000 + 12345 = 481945; paid 100000 + 5000
      { status: 'overdue', count: 5, amountFen: 481945, paidFen: 105000, outstandingFen: 376945 },
    ]);
    expect(totals.total).toEqual({ count: 8, amountFen: 721945, paidFen: 195000, outstandingFen: 526945 });
    expect(totals.overduePartlyPaid).toEqual({ count: 2, amountFen: 319700, paidFen: 105000, outstandingFen: 214700 });
  });

  it('lists every status with zeros when there are no invoices', () => {
    const totals = totalsByStatus([]);
    expect(totals.byStatus.map((s) => [s.status, s.count, s.amountFen])).toEqual([['open', 0, 0], ['partially_paid', 0, 0], ['paid', 0, 0], ['overdue', 0, 0]]);
    expect(totals.total).toEqual({ count: 0, amountFen: 0, paidFen: 0, outstandingFen: 0 });
  });
});

describe('the ageing', () => {
  it('puts what is owed in its bucket and sums each bucket', () => {
    const aged = ageInvoices(BOOK.map((i) => ({ ...i, outstandingFen: i.amountFen - i.paidFen })), NOW);
    expect(aged.rows.map((r) => [r.name, r.dueDate, r.daysOverdue, r.bucket])).toEqual([
      ['A', '2030-01-15', 0, 'current'],
      ['B', '2030-01-14', 1, 'd1_30'],
      ['C', '2029-12-16', 30, 'd1_30'],
      ['D', '2029-12-15', 31, 'd31_60'],
      ['E', '2029-11-15', 61, 'd61_90'],
      ['F', '2029-10-16', 91, 'over_90'],
      ['G', '2030-02-13', 0, 'current'],
    ]);
    expect(aged.buckets.map((b) => [b.bucket, b.fromDays, b.toDays, b.count, b.outstandingFen])).toEqual([
      ['current', 0, 0, 2, 150000], // A 100000 + G 50000
      ['d1_30', 1, 30, 2, 249700], // B 199700 + C 50000
      ['d31_60', 31, 60, 1, 99900],
      ['d61_90', 61, 90, 1, 15000],
      ['over_90', 91, null, 1, 12345],
    ]);
    expect(aged.total).toEqual({ count: 7, outstandingFen: 526945 });
  });
});

describe('the CSV for Excel', () => {
  it('writes yuan with two decimals and no grouping', () => {
    expect([299700, 12345, 5, 0, 100].map(yuanCell)).toEqual(['2997.00', '123.45', '0.05', '0.00', '1.00']);
  });

  it('starts with the BOM, ends lines with CRLF, quotes commas, quotes and line breaks, and defuses formulas', () => {
    const csv = excelCsv([
      ['客户', '金额'],
      ['呼和浩特"北方",科技有限公司', '12.00'],
      ['第一行\n第二行', 3],
      ['=HYPERLINK("x")', '-1'],
    ]);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toBe('\uFEFF客户,金额\r\n"呼和浩特""北方"",科技有限公司",12.00\r\n"第一行\n第二行",3\r\n"\'=HYPERLINK(""x"")",\'-1\r\n');
  });

  it('exports one row per invoice owed, its amount in its bucket, and a total row', () => {
    const invoices: AgeingCsvInvoice[] = [
      { number: 'INV-1-T1', contractNumber: 'SMS-2030-000001', partyA: '内蒙古自治区地震局', periodLabel: '首期 3 年服务费', status: 'overdue', dueAt: '2030-01-14T16:00:00Z', amountFen: 299700, paidFen: 100000, outstandingFen: 199700 },
      { number: 'INV-2-T1', contractNumber: 'SMS-2030-000002', partyA: '呼和浩特"北方",科技有限公司', periodLabel: '首期', status: 'partially_paid', dueAt: '2030-02-13T16:00:00Z', amountFen: 80000, paidFen: 30000, outstandingFen: 50000 },
    ];
    const lines = ageingCsv(invoices, NOW).slice(1).split('\r\n');
    expect(lines[0]).toBe('发票号码,合同编号,客户名称,账期,状态,到期日,逾期天数,账龄,发票金额（元）,已付金额（元）,未付金额（元）,未到期（元）,逾期1-30天（元）,逾期31-60天（元）,逾期61-90天（元）,逾期90天以上（元）');
    expect(lines[0]).toBe(AGEING_CSV_HEADER.join(','));
    expect(lines[1]).toBe('INV-1-T1,SMS-2030-000001,内蒙古自治区地震局,首期 3 年服务费,已逾期（部分付款）,2030-01-14,1,逾期1-30天,2997.00,1000.00,1997.00,,1997.00,,,');
    expect(lines[2]).toBe('INV-2-T1,SMS-2030-000002,"呼和浩特""北方"",科技有限公司",首期,部分付款,2030-02-13,0,未到期,800.00,300.00,500.00,500.00,,,,');
    expect(lines[3]).toBe('合计（2 张）,,,,,,,,3797.00,1300.00,2497.00,500.00,1997.00,0.00,0.00,0.00');
    expect(lines[4]).toBe('');
    expect(lines).toHaveLength(5);
  });
});
