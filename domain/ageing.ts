/**
 * Finance's view of the receivables: totals by invoice status and the ageing
 * of what is still owed (current, 1–30, 31–60, 61–90, > 90 days overdue), and
 * the ageing as a CSV file Excel opens as it is.
 *
 * Days overdue are whole calendar days in Asia/Shanghai from the due date.
 * The due date is the period's last day: a deadline ends at 24:00 of it
 * (Civil Code Art. 203), stored as the next day's 00:00 Beijing time, so the
 * due date is the Shanghai date of the instant just before the due instant.
 * Before the due instant an invoice is current (0 days, also on its last
 * day); from it, days overdue = today − due date, at least 1 (a deadline that
 * is not at midnight has passed on its own day: it is overdue, not current).
 * Paid invoices owe nothing and are not aged.
 */
import { INVOICE_STATUS_ZH, INVOICE_STATUSES, type InvoiceStatus } from './billing';
import { type Fen } from './money';
import { shanghaiDate, type LocalDate } from './time';

const MS_PER_DAY = 86_400_000;

export const AGEING_BUCKETS = [
  { bucket: 'current', fromDays: 0, toDays: 0, zh: '未到期' },
  { bucket: 'd1_30', fromDays: 1, toDays: 30, zh: '逾期1-30天' },
  { bucket: 'd31_60', fromDays: 31, toDays: 60, zh: '逾期31-60天' },
  { bucket: 'd61_90', fromDays: 61, toDays: 90, zh: '逾期61-90天' },
  { bucket: 'over_90', fromDays: 91, toDays: null, zh: '逾期90天以上' },
] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number]['bucket'];

/** The period's last day, in Asia/Shanghai: the date the due instant ends (a 24:00 deadline belongs to the day before). */
export function dueDateOf(dueAt: string): LocalDate {
  return shanghaiDate(new Date(Date.parse(dueAt) - 1));
}

const dayNumber = (date: LocalDate) => Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;

/** Whole days overdue at `now`: 0 before the due instant, else today − due date in Asia/Shanghai (at least 1). */
export function daysOverdue(dueAt: string, now: number): number {
  if (now < Date.parse(dueAt)) return 0;
  return Math.max(1, dayNumber(shanghaiDate(new Date(now))) - dayNumber(dueDateOf(dueAt)));
}

export function ageingBucketOf(days: number): AgeingBucket {
  return AGEING_BUCKETS.find((b) => days >= b.fromDays && (b.toDays === null || days <= b.toDays))!.bucket;
}

export type Amounts = { count: number; amountFen: Fen; paidFen: Fen; outstandingFen: Fen };
export type StatusTotal = Amounts & { status: InvoiceStatus };
/** One group of invoices as the database counts them: a status as read and whether any payment came in. */
export type InvoiceGroup = { status: InvoiceStatus; anyPaid: boolean; count: number; amountFen: Fen; paidFen: Fen };

const zero = (): Amounts => ({ count: 0, amountFen: 0, paidFen: 0, outstandingFen: 0 });
const add = (into: Amounts, g: { count: number; amountFen: Fen; paidFen: Fen }) => {
  into.count += g.count;
  into.amountFen += g.amountFen;
  into.paidFen += g.paidFen;
  into.outstandingFen += g.amountFen - g.paidFen;
};

/**
 * Count, amount, paid and outstanding per status (every status, in
 * INVOICE_STATUSES order, zeros included), their total, and the overdue
 * invoices with a payment (overdue wins over partly paid: they are counted
 * under `overdue` and shown here too).
 */
export function totalsByStatus(groups: InvoiceGroup[]): { byStatus: StatusTotal[]; total: Amounts; overduePartlyPaid: Amounts } {
  const byStatus = INVOICE_STATUSES.map((status) => ({ status, ...zero() }));
  const total = zero();
  const overduePartlyPaid = zero();
  for (const g of groups) {
    add(byStatus.find((s) => s.status === g.status)!, g);
    add(total, g);
    if (g.status === 'overdue' && g.anyPaid) add(overduePartlyPaid, g);
  }
  return { byStatus, total, overduePartlyPaid };
}

export type AgeableInvoice = { dueAt: string; outstandingFen: Fen };
export type Aged<T> = T & { dueDate: LocalDate; daysOverdue: number; bucket: AgeingBucket };
export type BucketTotal = { bucket: AgeingBucket; fromDays: number; toDays: number | null; count: number; outstandingFen: Fen };

/** Ages what is owed at `now`: each invoice with its due date, days overdue and bucket; the count and outstanding sum per bucket. */
export function ageInvoices<T extends AgeableInvoice>(invoices: T[], now: number): { rows: Aged<T>[]; buckets: BucketTotal[]; total: { count: number; outstandingFen: Fen } } {
  const buckets: BucketTotal[] = AGEING_BUCKETS.map(({ bucket, fromDays, toDays }) => ({ bucket, fromDays, toDays, count: 0, outstandingFen: 0 }));
  const total = { count: 0, outstandingFen: 0 };
  const rows: Aged<T>[] = [];
  for (const invoice of invoices) {
    if (invoice.outstandingFen <= 0) continue;
    const days = daysOverdue(invoice.dueAt, now);
    const bucket = ageingBucketOf(days);
    rows.push({ ...invoice, dueDate: dueDateOf(invoice.dueAt), daysOverdue: days, bucket });
    const into = buckets.find((b) => b.bucket === bucket)!;
    into.count += 1;
    into.outstandingFen += invoice.outstandingFen;
    total.count += 1;
    total.outstandingFen += invoice.outstandingFen;
  }
  return { rows, buckets, total };
}

/** 299700 → "2997.00": yuan with two decimals and no grouping, as a spreadsheet reads a number. */
export function yuanCell(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A CSV file Excel opens correctly by double-click: UTF-8 with a byte order
 * mark (else Excel reads it in the system's code page and the Chinese is
 * garbled), CRLF line ends, a field quoted when it holds a comma, a quote or a
 * line break (quotes doubled, RFC 4180). Text that would start a formula
 * (=, +, -, @, tab, CR) is prefixed with an apostrophe so a customer name
 * cannot run in the spreadsheet; numbers are written as given.
 */
export function excelCsv(rows: (string | number)[][]): string {
  const cell = (value: string | number) => {
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

export const AGEING_CSV_HEADER = [
  '发票号码',
  '合同编号',
  '客户名称',
  '账期',
  '状态',
  '到期日',
  '逾期天数',
  '账龄',
  '发票金额（元）',
  '已付金额（元）',
  '未付金额（元）',
  ...AGEING_BUCKETS.map((b) => `${b.zh}（元）`),
];

export type AgeingCsvInvoice = AgeableInvoice & {
  number: string;
  contractNumber: string;
  partyA: string;
  periodLabel: string;
  status: InvoiceStatus;
  amountFen: Fen;
  paidFen: Fen;
};

/** The status in words for the export: an overdue invoice with a payment says so. */
export function invoiceStatusZh(invoice: { status: InvoiceStatus; paidFen: Fen }): string {
  return invoice.status === 'overdue' && invoice.paidFen > 0 ? `${INVOICE_STATUS_ZH.overdue}（部分付款）` : INVOICE_STATUS_ZH[invoice.status];
}

/** The ageing export: one row per invoice still owed (oldest due first), its outstanding amount in its bucket's column, and a total row. */
export function ageingCsv(invoices: AgeingCsvInvoice[], now: number): string {
  const { rows, buckets } = ageInvoices(invoices, now);
  const sum = (pick: (r: AgeingCsvInvoice) => Fen) => yuanCell(rows.reduce((s, r) => s + pick(r), 0));
  const body = rows.map((r) => [
    r.number,
    r.contractNumber,
    r.partyA,
    r.periodLabel,
    invoiceStatusZh(r),
    r.dueDate,
    r.daysOverdue,
    AGEING_BUCKETS.find((b) => b.bucket === r.bucket)!.zh,
    yuanCell(r.amountFen),
    yuanCell(r.paidFen),
    yuanCell(r.outstandingFen),
    ...AGEING_BUCKETS.map((b) => (b.bucket === r.bucket ? yuanCell(r.outstandingFen) : '')),
  ]);
  const totalRow = [`合计（${rows.length} 张）`, '', '', '', '', '', '', '', sum((r) => r.amountFen), sum((r) => r.paidFen), sum((r) => r.outstandingFen), ...buckets.map((b) => yuanCell(b.outstandingFen))];
  return excelCsv([AGEING_CSV_HEADER, ...body, totalRow]);
}
