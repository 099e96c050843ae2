import { ApplicationFailure } from '@temporalio/activity';
import { createLedgerBilling } from '../billing';
import type { InvoiceSpec, PaymentRecord } from '../domain/billing';
import { contractYearOf, invoiceStatusOf } from '../domain/billing';
import type { Actor } from '../domain/contract';
import { reasonDetails } from '../domain/error-reasons';
import type { TopUpPricing } from '../domain/top-ups';
import { appendAudit } from '../db/audit';
import { findContract } from '../db/contracts';
import { addToInvoice, findInvoice, grantQuota, insertInvoice, insertPayment, insertTopUp, markOverdue, type InvoiceRow } from '../db/invoices';
import type { ActivityDeps } from './deps';

export function createBillingActivities({ db, billing = createLedgerBilling() }: ActivityDeps) {
  return {
    /** Issues the invoice in the billing system and records it once in the ledger. */
    async issueInvoice(spec: InvoiceSpec): Promise<InvoiceRow> {
      const existing = await findInvoice(db, spec.number);
      if (existing) return existing;
      const issued = await billing.issueInvoice(spec);
      await db.withTransaction(async (tx) => {
        if (await insertInvoice(tx, spec, issued)) {
          await appendAudit(tx, {
            type: 'invoice.issued',
            contractId: spec.contractId,
            actor: { id: 'system:billing', role: 'system' },
            after: { number: spec.number, amountFen: spec.amountFen, dueAt: spec.dueAt, status: 'open' },
            data: {
              invoice: spec.number,
              kind: spec.kind,
              period: spec.periodLabel,
              amountFen: spec.amountFen,
              currency: 'CNY',
              vatRatePercent: spec.vatRatePercent,
              invoiceType: spec.invoiceType,
              dueAt: spec.dueAt,
              dueExplanation: spec.dueExplanation,
            },
          });
        }
      });
      return (await findInvoice(db, spec.number))!;
    },

    /** Records a payment once per reference; the invoice total and status follow in the same transaction. */
    async recordPayment(input: { contractId: string; invoiceNumber: string; payment: PaymentRecord; actor: Actor }): Promise<InvoiceRow> {
      return db.withTransaction(async (tx) => {
        const before = await findInvoice(tx, input.invoiceNumber);
        if (!before) throw ApplicationFailure.nonRetryable(`invoice ${input.invoiceNumber} not found`, 'NOT_FOUND', reasonDetails('invoice.not_found', { number: input.invoiceNumber }));
        if (!(await insertPayment(tx, { contractId: input.contractId, invoiceNumber: input.invoiceNumber, payment: input.payment }))) return before;
        const after = await addToInvoice(tx, input.invoiceNumber, input.payment.amountFen, input.payment.paidAt);
        await appendAudit(tx, {
          type: 'payment.recorded',
          contractId: input.contractId,
          actor: input.actor,
          before: { status: before.status, paidFen: before.paidFen },
          after: { status: after.status, paidFen: after.paidFen },
          data: {
            invoice: input.invoiceNumber,
            reference: input.payment.reference,
            amountFen: input.payment.amountFen,
            method: input.payment.method,
            paidAt: input.payment.paidAt,
            outstandingFen: after.outstandingFen,
            invoiceStatus: after.status,
            currency: 'CNY',
          },
        });
        return after;
      });
    },

    async markInvoiceOverdue(input: { contractId: string; invoiceNumber: string; at: string }): Promise<void> {
      await db.withTransaction(async (tx) => {
        if (await markOverdue(tx, input.invoiceNumber, input.at)) {
          const invoice = await findInvoice(tx, input.invoiceNumber);
          await appendAudit(tx, {
            type: 'invoice.overdue',
            contractId: input.contractId,
            actor: { id: 'system:billing', role: 'system' },
            // open, or partly paid when a payment came in before the deadline
            before: { status: invoice ? invoiceStatusOf({ status: 'open', amountFen: invoice.amountFen, paidFen: invoice.paidFen }) : 'open' },
            after: { status: 'overdue' },
            data: {
              invoice: input.invoiceNumber,
              amountFen: invoice?.amountFen ?? null,
              paidFen: invoice?.paidFen ?? null,
              outstandingFen: invoice?.outstandingFen ?? null,
              currency: 'CNY',
              dueAt: invoice?.dueAt ?? null,
            },
          });
        }
      });
    },

    /** Records a top-up once, with how it was priced (absent on requests from before price lists); finance's override and its reason are audited. */
    async recordTopUp(input: { contractId: string; seq: number; sms: number; priceFen: number; invoiceNumber: string; actor: Actor; pricing?: TopUpPricing }): Promise<void> {
      const { pricing } = input;
      await db.withTransaction(async (tx) => {
        const row = {
          contractId: input.contractId,
          seq: input.seq,
          sms: input.sms,
          priceFen: input.priceFen,
          invoiceNumber: input.invoiceNumber,
          requestedBy: input.actor.id,
          package: pricing?.package ?? null,
          listPriceFen: pricing?.listPriceFen ?? null,
          priceReason: pricing?.override?.reason ?? null,
        };
        if (await insertTopUp(tx, row)) {
          await appendAudit(tx, {
            type: 'top_up.requested',
            contractId: input.contractId,
            actor: input.actor,
            data: {
              seq: input.seq,
              sms: input.sms,
              priceFen: input.priceFen,
              invoice: input.invoiceNumber,
              package: row.package,
              listPriceFen: row.listPriceFen,
              priceSource: pricing?.source ?? null,
              priceExplanation: pricing?.explanation ?? null,
              priceOverride: pricing?.override ? { reason: pricing.override.reason, listPriceFen: pricing.listPriceFen, byRole: pricing.override.byRole } : null,
            },
          });
        }
      });
    },

    /** A paid top-up raises the quota of the contract year it was paid in. */
    async grantTopUpQuota(input: { contractId: string; invoiceNumber: string; sms: number; paidAt: string }): Promise<number> {
      const contract = await findContract(db, input.contractId);
      if (!contract?.effectiveAt) throw ApplicationFailure.nonRetryable(`contract ${input.contractId} is not in effect`, 'INVALID_STATE');
      const year = contractYearOf(contract.effectiveAt, input.paidAt).index;
      await db.withTransaction(async (tx) => {
        if (await grantQuota(tx, { invoiceNumber: input.invoiceNumber, contractId: input.contractId, contractYear: year, sms: input.sms })) {
          await appendAudit(tx, {
            type: 'quota.granted',
            contractId: input.contractId,
            actor: { id: 'system:billing', role: 'system' },
            data: { invoice: input.invoiceNumber, contractYear: year, sms: input.sms },
          });
        }
      });
      return year;
    },
  };
}
