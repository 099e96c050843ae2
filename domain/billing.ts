/**
 * Invoices, payments, top-ups and the overdue escalation ladder (Art.3).
 */
import { z } from 'zod';
import { ZInstant } from './contract';
import { ZFen, type Fen } from './money';
import { actBasis, type DeadlineBasis } from './periods';
import { addYearsClamped, endOfShanghaiDay, shanghaiDate } from './time';
import type { InvoiceType } from './terms';

export const INVOICE_KINDS = ['initial_term', 'renewal', 'top_up'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
/**
 * What the payment workflow writes to the invoice row (workflows/payment-deadline.ts,
 * db/invoices.ts addToInvoice and markOverdue): `open` until paid in full
 * (`paid`) or until its deadline passes unpaid (`overdue`).
 */
export const STORED_INVOICE_STATUSES = ['open', 'paid', 'overdue'] as const;
export type StoredInvoiceStatus = (typeof STORED_INVOICE_STATUSES)[number];

/**
 * The status everyone reads (the API's invoice views and list filter, the
 * console, the digest, the ageing export): the stored one, with
 * `partially_paid` between `open` (issued, nothing received) and `paid`.
 *
 * Overdue wins: an invoice past its deadline is `overdue` whether or not part
 * of it was paid; its `paidFen` and `outstandingFen` say how much came in, and
 * the console shows such an invoice as "已逾期（已付部分）" — never "待付款".
 * `?status=partially_paid` therefore lists the partly paid invoices still
 * within their deadline, `?status=overdue` every overdue one.
 */
export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'overdue'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The status as read (INVOICE_STATUSES) from the stored one and the amounts: one rule, used wherever an invoice is shown. */
export function invoiceStatusOf(invoice: { status: StoredInvoiceStatus; amountFen: Fen; paidFen: Fen }): InvoiceStatus {
  if (invoice.status === 'open' && invoice.paidFen > 0 && invoice.paidFen < invoice.amountFen) return 'partially_paid';
  return invoice.status;
}

/** Chinese names of the statuses, for documents and exports (the console has its own dictionary). */
export const INVOICE_STATUS_ZH: Record<InvoiceStatus, string> = {
  open: '待付款',
  partially_paid: '部分付款',
  paid: '已付清',
  overdue: '已逾期',
};

/**
 * Invoice numbers come from the contract and the period they bill, so issuing
 * the same period twice (a retried activity) yields the same number.
 */
export function invoiceNumber(contractNumber: string, period: { kind: 'initial_term' } | { kind: 'renewal'; renewal: number } | { kind: 'top_up'; seq: number }): string {
  switch (period.kind) {
    case 'initial_term':
      return `INV-${contractNumber}-T1`;
    case 'renewal':
      return `INV-${contractNumber}-R${period.renewal}`;
    case 'top_up':
      return `INV-${contractNumber}-TU${period.seq}`;
  }
}

export const paymentWorkflowId = (invoice: string) => `payment-${invoice}`;

/** What a payment deadline is counted from (Art.3 §4): the period's trigger plus the contract's payment days. */
export function paymentBasis(kind: InvoiceKind, trigger: string, dueDays: number): DeadlineBasis {
  return actBasis(
    trigger,
    { unit: 'days', amount: dueDays },
    { zh: '付款', en: 'payment' },
    kind === 'top_up' ? { zh: '增购申请', en: 'the top-up request' } : kind === 'renewal' ? { zh: '续期', en: 'renewal' } : { zh: '合同签订', en: 'signing' },
  );
}

export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'cheque', 'online', 'other'] as const;

export const ZRecordPaymentRequest = z.strictObject({
  amountFen: ZFen.refine((fen) => fen > 0, 'must be positive'),
  reference: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  paidAt: ZInstant,
  method: z.enum(PAYMENT_METHODS),
  /** which invoice; by default the oldest unpaid one */
  invoiceNumber: z.string().trim().min(1).max(80).optional(),
});
export type TRecordPaymentRequest = z.infer<typeof ZRecordPaymentRequest>;

// a top-up's request and its price: domain/top-ups.ts (priced by the contract's price list, Art.3 §5)

export type PaymentRecord = { reference: string; amountFen: Fen; paidAt: string; method: string; recordedBy: string };

/** The running total after a payment; a repeated reference counts once, an overpayment is refused. */
export function applyPayment(
  invoice: { amountFen: Fen; payments: PaymentRecord[] },
  payment: PaymentRecord,
): { outcome: 'applied' | 'duplicate'; paidFen: Fen } | { outcome: 'overpayment'; outstandingFen: Fen } {
  const paidFen = invoice.payments.reduce((sum, p) => sum + p.amountFen, 0);
  if (invoice.payments.some((p) => p.reference === payment.reference)) return { outcome: 'duplicate', paidFen };
  if (paidFen + payment.amountFen > invoice.amountFen) return { outcome: 'overpayment', outstandingFen: invoice.amountFen - paidFen };
  return { outcome: 'applied', paidFen: paidFen + payment.amountFen };
}

/**
 * Contract years start on each anniversary of the effective date (Art. 202
 * corresponding day): the year's quota is the package plus paid top-ups.
 */
export function contractYearOf(effectiveAt: string, instant: string | number): { index: number; startsAt: string; endsAt: string } {
  const start = shanghaiDate(effectiveAt);
  const at = typeof instant === 'number' ? instant : Date.parse(instant);
  let index = 1;
  while (index < 1000 && endOfShanghaiDay(addYearsClamped(start, index)).getTime() <= at) index += 1;
  const startsAt = index === 1 ? new Date(effectiveAt).toISOString() : endOfShanghaiDay(addYearsClamped(start, index - 1)).toISOString();
  return { index, startsAt, endsAt: endOfShanghaiDay(addYearsClamped(start, index)).toISOString() };
}

/** One rung of the overdue ladder: when, on what condition, what to do, and how often to re-evaluate. */
export type EscalationRung = {
  id: string;
  /** the invoice state the rung applies in */
  state: 'overdue';
  /** days after the due instant */
  afterDueDays: number;
  condition: 'unpaid';
  action:
    | { kind: 'open_breach_notice'; servedBy: 'B'; clause: string }
    | { kind: 'notify'; audiences: ('finance' | 'owner' | 'legal' | 'party_a_contact')[]; subject: string };
  /** re-run the rung every N days while the condition holds */
  repeatEveryDays?: number;
  maxRepeats?: number;
};

/** The overdue path as data: the workflow interprets it rung by rung. */
export const OVERDUE_LADDER: EscalationRung[] = [
  {
    id: 'notify-finance-and-owner',
    state: 'overdue',
    afterDueDays: 0,
    condition: 'unpaid',
    action: { kind: 'notify', audiences: ['finance', 'owner'], subject: '发票逾期未付' },
  },
  {
    id: 'breach-notice-nonpayment',
    state: 'overdue',
    afterDueDays: 0,
    condition: 'unpaid',
    action: { kind: 'open_breach_notice', servedBy: 'B', clause: '第三条第4款' },
  },
  {
    id: 'remind-customer',
    state: 'overdue',
    afterDueDays: 1,
    condition: 'unpaid',
    action: { kind: 'notify', audiences: ['party_a_contact', 'owner'], subject: '付款逾期提醒' },
    repeatEveryDays: 7,
    maxRepeats: 4,
  },
  {
    id: 'escalate-to-legal',
    state: 'overdue',
    afterDueDays: 7,
    condition: 'unpaid',
    action: { kind: 'notify', audiences: ['legal', 'finance'], subject: '逾期付款升级至法务' },
  },
];

/** Every instant a ladder rung fires, in order (rung repeats included). */
export function ladderSchedule(dueAt: string, ladder: EscalationRung[]): { rung: EscalationRung; at: number; repeat: number }[] {
  const due = Date.parse(dueAt);
  return ladder
    .flatMap((rung) =>
      Array.from({ length: 1 + (rung.repeatEveryDays ? (rung.maxRepeats ?? 0) : 0) }, (_, repeat) => ({
        rung,
        repeat,
        at: due + (rung.afterDueDays + repeat * (rung.repeatEveryDays ?? 0)) * 86_400_000,
      })),
    )
    .sort((a, b) => a.at - b.at);
}

export type InvoiceSpec = {
  number: string;
  contractId: string;
  kind: InvoiceKind;
  periodLabel: string;
  amountFen: Fen;
  vatRatePercent: number;
  invoiceType: InvoiceType;
  issuedAt: string;
  dueAt: string;
  dueExplanation: string;
  topUpSms: number | null;
  workflowId: string;
};
