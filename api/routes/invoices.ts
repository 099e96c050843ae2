import { z } from 'zod';
import { contractYearOf, INVOICE_STATUSES, ZRecordPaymentRequest, ZTopUpRequest } from '../../domain/billing';
import { findPayment, findInvoice, grantedQuota, listInvoices, oldestUnpaidInvoice, type InvoiceRow } from '../../db/invoices';
import { requestTopUpUpdate } from '../../workflows/contract-lifecycle';
import { recordPaymentUpdate } from '../../workflows/payment-deadline';
import { ownerScopeOf } from '../policy';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { defineRoute } from '../http';
import { loadContract } from './contracts';

export const invoiceView = (invoice: InvoiceRow, now: number) => ({
  ...invoice,
  secondsLeft: invoice.status === 'paid' ? null : Math.floor((Date.parse(invoice.dueAt) - now) / 1000),
});

const ZInvoiceListQuery = z.strictObject({
  status: z.enum(INVOICE_STATUSES).optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function invoiceRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/invoices',
      roles: ['finance', 'sales', 'admin'],
      summary: 'invoices by status, overdue first, with amounts paid and outstanding and the time left',
      query: ZInvoiceListQuery,
      handler: async ({ query, user }) => {
        const now = Date.now();
        // sales see the invoices of the contracts they own (api/policy.ts)
        const items = await listInvoices(deps.db, { ...query, ownerId: ownerScopeOf(user) });
        return { items: items.map((i) => invoiceView(i, now)) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/payments',
      roles: ['finance', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'record a payment against an invoice (partial payments accumulate; a repeated reference counts once)',
      body: ZRecordPaymentRequest,
      handler: async ({ params, body, user, requestId }) => {
        const contract = await loadContract(deps, user, params.id, 'act');
        // "not in the future" is checked by the payment workflow, against the time the deadline runs on
        // a reference already counted (this request retried, or racing itself) answers as a duplicate
        const alreadyCounted = async () => {
          const counted = await findPayment(deps.db, contract.id, body.reference);
          if (!counted) return null;
          if (counted.amountFen !== body.amountFen) {
            throw new AppError('CONFLICT', `payment reference ${body.reference} was already recorded with another amount (${counted.amountFen} fen)`);
          }
          return { duplicate: true, invoice: invoiceView((await findInvoice(deps.db, counted.invoiceNumber))!, Date.now()) };
        };
        const duplicate = await alreadyCounted();
        if (duplicate) return duplicate;
        const invoice = body.invoiceNumber ? await findInvoice(deps.db, body.invoiceNumber) : await oldestUnpaidInvoice(deps.db, contract.id);
        if (!invoice || invoice.contractId !== contract.id || invoice.status === 'paid') {
          const raced = await alreadyCounted();
          if (raced) return raced;
          if (invoice?.status === 'paid' && invoice.contractId === contract.id) throw new AppError('CONFLICT', `invoice ${invoice.number} is already paid in full`);
          throw body.invoiceNumber ? new AppError('NOT_FOUND', `invoice ${body.invoiceNumber} not found on this contract`) : new AppError('CONFLICT', 'this contract has no unpaid invoice');
        }
        const { invoiceNumber: _ignored, ...payment } = body;
        const result = await deps.temporal.workflow
          .getHandle(invoice.workflowId)
          .executeUpdate(recordPaymentUpdate, { args: [{ ...payment, actor: { id: user.id, role: user.role, requestId } }] });
        const stored = (await findInvoice(deps.db, invoice.number))!;
        return { duplicate: result.duplicate, invoice: invoiceView(stored, Date.now()), payments: result.payments };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/top-ups',
      roles: ['sales', 'finance', 'customer', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'buy an extra SMS package: its own invoice, effective only once paid in full',
      body: ZTopUpRequest,
      handler: async ({ params, body, user, res, requestId }) => {
        const contract = await loadContract(deps, user, params.id, 'act');
        if (contract.status !== 'active') throw new AppError('INVALID_STATE', `contract ${contract.number} is ${contract.status}: top-ups are bought during the term only`);
        const result = await deps.temporal.workflow
          .getHandle(contract.workflowId)
          .executeUpdate(requestTopUpUpdate, { args: [{ ...body, actor: { id: user.id, role: user.role, requestId } }] });
        res.status(202);
        return { ...result, status: 'awaiting_payment', message: 'the extra messages become available once the invoice is paid in full' };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/quota',
      roles: ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'],
      contract: { param: 'id', action: 'read' },
      summary: "the contract year's SMS quota: package plus paid top-ups",
      handler: async ({ params, user }) => {
        const contract = await loadContract(deps, user, params.id);
        if (!contract.effectiveAt) return { contractYear: null, packageSms: contract.terms.package.smsPerYear, topUpSms: 0, totalSms: 0, years: [] };
        const year = contractYearOf(contract.effectiveAt, Date.now());
        const grants = await grantedQuota(deps.db, contract.id);
        const years = Array.from({ length: year.index }, (_, i) => {
          const topUpSms = grants.get(i + 1) ?? 0;
          return { contractYear: i + 1, packageSms: contract.terms.package.smsPerYear, topUpSms, totalSms: contract.terms.package.smsPerYear + topUpSms };
        });
        return { ...years.at(-1)!, startsAt: year.startsAt, endsAt: year.endsAt, years };
      },
    }),
  ];
}
