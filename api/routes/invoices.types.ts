/**
 * What the invoice routes answer, as types only (no runtime code): the web
 * console imports them (`import type`); api/routes/views.check.ts proves they
 * match what the handlers in invoices.ts return.
 */
import type { InvoiceRow } from '../../db/invoices';
import type { Amounts, BucketTotal, StatusTotal } from '../../domain/ageing';

/** An invoice as the API shows it: the row and the time left until it is due (null once paid). */
export type InvoiceView = InvoiceRow & { secondsLeft: number | null };

/** GET /api/invoices */
export type InvoiceListView = { total: number; items: InvoiceView[] };

/**
 * GET /api/invoices/summary: per status the count, amount, paid and outstanding
 * (fen); the overdue invoices with a payment (counted under overdue); and the
 * ageing of what is owed at `asOf` (`today` is its Asia/Shanghai date).
 */
export type InvoiceSummaryView = {
  asOf: string;
  today: string;
  byStatus: StatusTotal[];
  total: Amounts;
  overduePartlyPaid: Amounts;
  ageing: { buckets: BucketTotal[]; total: { count: number; outstandingFen: number } };
};

/** POST /api/contracts/:id/payments (the answer also carries the invoice's payments when the workflow recorded it) */
export type PaymentResultView = { duplicate: boolean; invoice: InvoiceView };

/** POST /api/contracts/:id/top-ups */
export type TopUpResultView = { invoiceNumber: string; workflowId: string; status: string; message: string };

/** One contract year's SMS quota. */
export type QuotaYearView = { contractYear: number; packageSms: number; topUpSms: number; totalSms: number };

/** GET /api/contracts/:id/quota: the current contract year (none before the contract takes effect) and every year so far. */
export type QuotaView = {
  contractYear: number | null;
  packageSms: number;
  topUpSms: number;
  totalSms: number;
  /** the current contract year's bounds (absent before the contract takes effect) */
  startsAt?: string;
  endsAt?: string;
  years: QuotaYearView[];
};

/**
 * POST /api/contracts/:id/top-ups as answered since price lists (Art.3 §5):
 * the messages and the price invoiced, and how the contract priced them
 * (finance's override and its reason included).
 */
export type TopUpOrderView = TopUpResultView & { quantity: number; priceFen: number; pricing: import('../../domain/top-ups').TopUpPricing };
