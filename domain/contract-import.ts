/**
 * Bringing an existing contract book in (POST /api/contract-imports): one row
 * per contract already signed on paper, with the payments and renewals it has
 * seen. The planner works out where the contract stands at the moment of the
 * import: its term after the renewals that happened, an invoice for every
 * period that began (paid, open or already overdue), the deadlines still
 * ahead, and what would be sent now: never a burst of past reminders, never a
 * breach notice for a lapse that happened before the contract was in the
 * system (domain/catch-up.ts). The dry run and the commit use the same plan.
 */
import { z } from 'zod';
import { invoiceNumber, invoiceStatusOf, paymentBasis, PAYMENT_METHODS, ZRecordPaymentRequest, contractYearOf, type InvoiceKind, type InvoiceStatus } from './billing';
import type { HolidayCalendar } from './calendar';
import { OVERDUE_AT_ENTRY, OVERDUE_REMINDER_AT_ENTRY } from './catch-up';
import { ZInstant, ZSignContractRequest, type DeadlineState } from './contract';
import { initialTermLabel, renewalFeeFen, renewalLabel, renewedTermEnd } from './lifecycle';
import { formatYuan, ZFen } from './money';
import { recountDeadline, termEnd, type Deadline, type DeadlineBasis } from './periods';
import { ZContractTerms, ZPartyCode, type PartyCode } from './terms';

/** The most rows one request may carry. */
export const IMPORT_MAX_ROWS = 1000;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const ZImportSignature = ZSignContractRequest.extend({
  /** when this party signed on paper: required, never in the future */
  signedAt: ZInstant,
});

export const ZImportPayment = z.strictObject({
  /** the billing period: T1 the initial term, R1, R2, … the renewals in order */
  period: z.string().trim().regex(/^(T1|R[1-9][0-9]{0,2}|TU[1-9][0-9]{0,3})$/, 'must be T1 (the initial term) or R1, R2, … (the renewals)'),
  amountFen: ZFen.refine((fen) => fen > 0, 'must be positive'),
  paidAt: ZInstant,
  reference: ZRecordPaymentRequest.shape.reference,
  method: z.enum(PAYMENT_METHODS),
});

export const ZImportRow = z.strictObject({
  /** the branch's own reference for the contract: importing it again changes nothing */
  externalRef: text(64),
  /** where the row came from (a CSV line), for the audit trail */
  line: z.number().int().min(1).max(10_000_000).optional(),
  terms: ZContractTerms,
  signatures: z
    .array(ZImportSignature)
    .length(2, 'must hold both signatures, Party A\'s and Party B\'s')
    .refine((s) => s.length !== 2 || s[0]!.party !== s[1]!.party, 'must be one signature of each party (A and B)'),
  payments: z.array(ZImportPayment).max(100).default([]),
  renewalObjection: z.strictObject({ party: ZPartyCode, reason: text(2000), at: ZInstant }).optional(),
  /** SMS parts already used in the current contract year */
  smsUsedThisYear: z.number().int('must be a whole number of messages').min(0).max(100_000_000).optional(),
  /** the sales owner (admin, finance: anyone's; sales: their own) */
  owner: text(64).optional(),
  /** a person's choice: send Party A one overdue reminder now, when an invoice is already overdue */
  remindOverdue: z.boolean().default(false),
});
export type ImportRow = z.infer<typeof ZImportRow>;

export const ZImportRequest = z.strictObject({
  dryRun: z.boolean(),
  /** the file the rows came from, for the audit trail */
  file: text(200).optional(),
  /** each row is checked on its own: a bad row is reported and skipped, the others go in */
  contracts: z.array(z.unknown()).min(1, 'must hold at least one contract').max(IMPORT_MAX_ROWS, `must hold at most ${IMPORT_MAX_ROWS} contracts`),
});

export type ImportIssue = { path: string; message: string };

/** Checks one row; paths are relative to the request (`contracts.<index>.…`). */
export function parseImportRow(raw: unknown, index: number): { ok: true; row: ImportRow } | { ok: false; errors: ImportIssue[] } {
  const parsed = ZImportRow.safeParse(raw);
  if (parsed.success) return { ok: true, row: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => ({ path: ['contracts', index, ...issue.path].join('.'), message: issue.message })) };
}

export type PlannedInvoice = {
  /** null until the contract has its number (a dry run) */
  number: string | null;
  period: string;
  kind: InvoiceKind;
  periodLabel: string;
  amountFen: number;
  paidFen: number;
  status: InvoiceStatus;
  /** when the period began: the payment period is counted from here */
  trigger: string;
  dueAt: string;
  dueExplanation: string;
  basis: DeadlineBasis;
  payments: { reference: string; amountFen: number; paidAt: string; method: string }[];
  /** the renewal this period follows (R1 = 1); absent for the initial term */
  renewal?: { seq: number; previousEndAt: string; newEndAt: string };
};

export type PlannedNotification = { id: string; audiences: string[]; reason: string; subject: string; body: string };

export type ImportPlan = {
  status: 'active';
  /** `overdue` when an invoice was already overdue at the import */
  standing: 'in_order' | 'overdue';
  effectiveAt: string;
  termEndsAt: string;
  termLastDay: string;
  renewals: number;
  objection: { party: PartyCode; reason: string; at: string } | null;
  invoices: PlannedInvoice[];
  /** the deadlines still ahead, held by the contract's workflows from the import on */
  deadlines: Omit<DeadlineState, 'basis'>[];
  /** what is sent at the import itself */
  notifications: PlannedNotification[];
  quota: { contractYear: number; used: number } | null;
};

export type ImportContext = {
  /** the moment of the import */
  now: number;
  /** the calendar a payment period starting at `instant` is counted with (as the payment workflow counts it) */
  calendarAt: (instant: string) => HolidayCalendar;
  /** the contract's number once it has one (the commit); a dry run names periods and the external reference instead */
  contractNumber?: string;
};

const day = (instant: string) => instant.slice(0, 10);

/**
 * Where the contract of `row` stands at `ctx.now`, or why it cannot be
 * imported. Invoice numbers come from the contract's number: without one (a
 * dry run) invoices are named by their period.
 */
export function planImport(row: ImportRow, index: number, ctx: ImportContext): { ok: true; plan: ImportPlan } | { ok: false; errors: ImportIssue[] } {
  const at = (...path: (string | number)[]) => ['contracts', index, ...path].join('.');
  const errors: ImportIssue[] = [];
  const { terms, now } = { terms: row.terms, now: ctx.now };

  row.signatures.forEach((s, i) => {
    if (Date.parse(s.signedAt) > now) errors.push({ path: at('signatures', i, 'signedAt'), message: 'must not be in the future' });
  });
  if (errors.length) return { ok: false, errors };
  const effectiveAt = new Date(Math.max(...row.signatures.map((s) => Date.parse(s.signedAt)))).toISOString();

  // the term after every renewal that happened before now
  const objection = row.renewalObjection ? { ...row.renewalObjection, at: new Date(row.renewalObjection.at).toISOString() } : null;
  if (objection && Date.parse(objection.at) > now) return { ok: false, errors: [{ path: at('renewalObjection', 'at'), message: 'must not be in the future' }] };
  if (objection && Date.parse(objection.at) < Date.parse(effectiveAt)) {
    return { ok: false, errors: [{ path: at('renewalObjection', 'at'), message: `must not be before the contract took effect (${effectiveAt})` }] };
  }
  const ends: Deadline[] = [termEnd(effectiveAt, terms.term.years)];
  while (Date.parse(ends.at(-1)!.dueAt) <= now) {
    const end = ends.at(-1)!;
    const objected = objection !== null && Date.parse(objection.at) < Date.parse(end.dueAt);
    if (!terms.term.autoRenew || objected) {
      return {
        ok: false,
        errors: [{
          path: objected ? at('renewalObjection') : at('terms', 'term', 'autoRenew'),
          message: `the contract ended at ${end.lastDay} 24:00 (Beijing time)${objected ? ' after the objection to its renewal' : ', it does not renew automatically'}: only contracts still in force are imported`,
        }],
      };
    }
    ends.push(renewedTermEnd(end.dueAt, terms.term.renewalYears));
  }
  const renewals = ends.length - 1;
  const current = ends.at(-1)!;

  // one invoice per period that began: the initial term, then each renewal
  const periods: Omit<PlannedInvoice, 'number' | 'paidFen' | 'status' | 'dueAt' | 'dueExplanation' | 'payments'>[] = [
    { period: 'T1', kind: 'initial_term', periodLabel: initialTermLabel(terms), amountFen: terms.payment.totalFen, trigger: effectiveAt, basis: paymentBasis('initial_term', effectiveAt, terms.payment.dueDays) },
    ...ends.slice(1).map((end, i) => ({
      period: `R${i + 1}`,
      kind: 'renewal' as const,
      periodLabel: renewalLabel(terms, i + 1),
      amountFen: renewalFeeFen(terms),
      trigger: ends[i]!.dueAt,
      basis: paymentBasis('renewal', ends[i]!.dueAt, terms.payment.dueDays),
      renewal: { seq: i + 1, previousEndAt: ends[i]!.dueAt, newEndAt: end.dueAt },
    })),
  ];

  const references = new Set<string>();
  const paid = new Map<string, PlannedInvoice['payments']>();
  row.payments.forEach((p, i) => {
    if (p.period.startsWith('TU')) {
      errors.push({ path: at('payments', i, 'period'), message: 'top-up invoices are not imported: request the top-up in the system after the import' });
      return;
    }
    const period = periods.find((x) => x.period === p.period);
    if (!period) {
      errors.push({ path: at('payments', i, 'period'), message: `the contract has no period ${p.period}: it began at ${day(effectiveAt)} and renewed ${renewals} time(s) since (periods ${periods.map((x) => x.period).join(', ')})` });
      return;
    }
    if (Date.parse(p.paidAt) > now) errors.push({ path: at('payments', i, 'paidAt'), message: 'must not be in the future' });
    if (references.has(p.reference)) errors.push({ path: at('payments', i, 'reference'), message: `the reference ${p.reference} appears twice: each payment is counted once by its reference` });
    references.add(p.reference);
    const list = paid.get(p.period) ?? [];
    list.push({ reference: p.reference, amountFen: p.amountFen, paidAt: new Date(p.paidAt).toISOString(), method: p.method });
    paid.set(p.period, list);
    const sum = list.reduce((s, x) => s + x.amountFen, 0);
    if (sum > period.amountFen) {
      errors.push({ path: at('payments', i, 'amountFen'), message: `the payments of ${p.period} add up to ${formatYuan(sum)} CNY, more than its ${formatYuan(period.amountFen)} CNY` });
    }
  });
  if (row.smsUsedThisYear !== undefined && row.smsUsedThisYear > terms.package.smsPerYear) {
    errors.push({ path: at('smsUsedThisYear'), message: `must not exceed the package's ${terms.package.smsPerYear} messages a year (top-ups are not imported)` });
  }
  if (errors.length) return { ok: false, errors };

  const numberOf = (period: (typeof periods)[number]): string | null =>
    ctx.contractNumber === undefined ? null : invoiceNumber(ctx.contractNumber, period.renewal ? { kind: 'renewal', renewal: period.renewal.seq } : { kind: 'initial_term' });
  const invoices: PlannedInvoice[] = periods.map((period) => {
    const payments = paid.get(period.period) ?? [];
    const paidFen = payments.reduce((s, x) => s + x.amountFen, 0);
    const due = recountDeadline(period.basis, ctx.calendarAt(period.trigger));
    const stored = paidFen >= period.amountFen ? 'paid' : Date.parse(due.dueAt) > now ? 'open' : 'overdue';
    const status: InvoiceStatus = invoiceStatusOf({ status: stored, amountFen: period.amountFen, paidFen });
    return { number: numberOf(period), ...period, paidFen, status, dueAt: due.dueAt, dueExplanation: due.explanation, payments };
  });
  const nameOf = (invoice: PlannedInvoice) => invoice.number ?? invoice.period;
  const contractName = ctx.contractNumber ?? row.externalRef;

  const deadlines: ImportPlan['deadlines'] = [
    { kind: 'term_end', ref: current.lastDay ?? current.dueAt, dueAt: current.dueAt, explanation: current.explanation, explanationEn: current.explanationEn },
  ];
  if (terms.term.autoRenew && !objection) {
    deadlines.push({
      kind: 'renewal_objection',
      ref: current.dueAt.slice(0, 10),
      dueAt: current.dueAt,
      explanation: `如有异议，须在合同期限届满（${current.dueAt.slice(0, 10)} 24:00 北京时间前）之前书面提出；无异议则自动顺延 ${terms.term.renewalYears} 年。`,
      explanationEn: `A written objection must reach the other party before the term ends; without one the contract renews by ${terms.term.renewalYears} year(s).`,
    });
  }
  for (const invoice of invoices.filter((i) => i.status === 'open' || i.status === 'partially_paid')) {
    deadlines.push({ kind: 'payment', ref: nameOf(invoice), dueAt: invoice.dueAt, explanation: invoice.dueExplanation, explanationEn: '' });
  }
  deadlines.sort((a, b) => a.dueAt.localeCompare(b.dueAt));

  const overdue = invoices.filter((i) => i.status === 'overdue');
  const notifications: PlannedNotification[] = overdue.map((i) => ({
    id: `overdue-at-entry:${i.period}`,
    audiences: [...OVERDUE_AT_ENTRY.audiences],
    reason: OVERDUE_AT_ENTRY.reason,
    subject: OVERDUE_AT_ENTRY.subject(nameOf(i)),
    body: OVERDUE_AT_ENTRY.body(nameOf(i), formatYuan(i.amountFen - i.paidFen), i.dueExplanation),
  }));
  if (row.remindOverdue && overdue.length > 0) {
    notifications.push({
      id: 'overdue-reminder-at-entry',
      audiences: [...OVERDUE_REMINDER_AT_ENTRY.audiences],
      reason: OVERDUE_REMINDER_AT_ENTRY.reason,
      subject: OVERDUE_REMINDER_AT_ENTRY.subject(contractName),
      body: OVERDUE_REMINDER_AT_ENTRY.body(contractName, overdue.map(nameOf)),
    });
  }

  return {
    ok: true,
    plan: {
      status: 'active',
      standing: overdue.length > 0 ? 'overdue' : 'in_order',
      effectiveAt,
      termEndsAt: current.dueAt,
      termLastDay: current.lastDay!,
      renewals,
      objection,
      invoices,
      deadlines,
      notifications,
      quota: row.smsUsedThisYear === undefined ? null : { contractYear: contractYearOf(effectiveAt, now).index, used: row.smsUsedThisYear },
    },
  };
}
