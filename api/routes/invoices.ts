import { z } from 'zod';
import { contractYearOf, INVOICE_STATUSES, ZRecordPaymentRequest } from '../../domain/billing';
import { mayOverrideTopUpPrice, quoteTopUp, topUpPriceList, ZTopUpRequest, type PricedTopUp, type TTopUpRequest } from '../../domain/top-ups';
import { ageInvoices, ageingCsv, totalsByStatus } from '../../domain/ageing';
import { shanghaiDate } from '../../domain/time';
import { ZSearchQuery } from '../../domain/contract-list';
import { findPayment, findInvoice, grantedQuota, invoiceGroups, listInvoices, oldestUnpaidInvoice, outstandingInvoices, type InvoiceRow } from '../../db/invoices';
import type { ContractRow } from '../../db/contracts';
import type { User } from '../../db/users';
import { requestTopUpUpdate } from '../../workflows/messages/contract-lifecycle';
import { recordPaymentUpdate } from '../../workflows/messages/payment-deadline';
import { ownerScopeOf } from '../policy';
import type { AppDeps } from '../deps';
import { lifecycleHandle } from '../contract-access';
import { AppError } from '../errors';
import { refusal } from '../../domain/error-reasons';
import { defineRoute } from '../http';

export const invoiceView = (invoice: InvoiceRow, now: number) => ({
  ...invoice,
  secondsLeft: invoice.status === 'paid' ? null : Math.floor((Date.parse(invoice.dueAt) - now) / 1000),
});

const ZInvoiceListQuery = z.strictObject({
  status: z.enum(INVOICE_STATUSES).optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  /** one contract's invoices (its id) */
  contract: z.string().trim().min(1).max(64).optional(),
  /** a substring of the invoice number, or of its contract's number, Party A's name or credit code; full-width forms folded */
  q: ZSearchQuery.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The instant invoices are aged at: the clock the payment deadlines run on (the Temporal server's, when it is not the wall clock). */
const agedAt = async (deps: AppDeps) => (deps.temporalClock ? deps.temporalClock() : Date.now());

/** Finance's totals by status and the ageing of what is owed, over the invoices the user may see (a sales user: their contracts' and their team's). */
export async function invoiceSummary(deps: AppDeps, user: Pick<User, 'id' | 'role' | 'teamMemberIds'>) {
  const scope = { ownerIds: ownerScopeOf(user) };
  const now = await agedAt(deps);
  const [groups, owed] = await Promise.all([invoiceGroups(deps.db, scope), outstandingInvoices(deps.db, scope)]);
  const { buckets, total } = ageInvoices(owed, now);
  return { asOf: new Date(now).toISOString(), today: shanghaiDate(new Date(now)), ...totalsByStatus(groups), ageing: { buckets, total } };
}

/** RFC 6266 / RFC 5987: an ASCII name for old clients and the UTF-8 one for the rest. */
const attachment = (asciiName: string, utf8Name: string) =>
  `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(utf8Name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

const invalidBody = (path: string, message: string) => new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path: `body.${path}`, message }] });

/**
 * Art.3 §5: the top-up as the contract prices it (domain/top-ups.ts). The
 * caller names a package or a quantity; only finance and admins may give
 * another price, and only with a reason, which the audit log keeps.
 */
export function priceTopUpRequest(terms: ContractRow['terms'], body: TTopUpRequest, role: string): PricedTopUp {
  if (body.priceFen !== undefined && !mayOverrideTopUpPrice(role)) {
    throw invalidBody('priceFen', "is set by the contract's price list (Art.3 §5): choose a package or a quantity; only finance may invoice another price, with priceReason");
  }
  if (body.priceFen !== undefined && body.priceReason === undefined) {
    throw invalidBody('priceReason', 'is required with priceFen: say why the price differs from the price list');
  }
  const list = topUpPriceList(terms);
  const priced = quoteTopUp(list, body.package !== undefined ? { package: body.package } : { quantity: body.quantity! });
  if (!priced.ok) throw invalidBody(priced.path, priced.message);
  const { quote } = priced;
  const override = body.priceFen !== undefined && body.priceFen !== quote.priceFen ? { reason: body.priceReason!, byRole: role } : null;
  return {
    quantity: quote.quantity,
    priceFen: override ? body.priceFen! : quote.priceFen,
    pricing: { package: quote.package, source: quote.source, listPriceFen: quote.priceFen, explanation: quote.explanation, override },
  };
}

export function invoiceRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/invoices/summary',
      roles: ['finance', 'sales', 'admin'],
      summary: 'totals by invoice status (count, amount, paid, outstanding, in fen) and the ageing of what is owed: current, 1–30, 31–60, 61–90, > 90 days overdue (Asia/Shanghai days from the due date)',
      handler: async ({ user }) => invoiceSummary(deps, user),
    }),

    defineRoute({
      method: 'get',
      path: '/api/invoices/ageing.csv',
      roles: ['finance', 'sales', 'admin'],
      summary: 'the ageing of every invoice still owed as a CSV file for Excel (UTF-8 with BOM, CRLF, Chinese headers, amounts in yuan)',
      handler: async ({ user, res }) => {
        const now = await agedAt(deps);
        const csv = ageingCsv(await outstandingInvoices(deps.db, { ownerIds: ownerScopeOf(user) }), now);
        const today = shanghaiDate(new Date(now));
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('Content-Disposition', attachment(`invoice-ageing-${today}.csv`, `应收账款账龄-${today}.csv`))
          .send(Buffer.from(csv, 'utf8'));
        return undefined;
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/invoices',
      roles: ['finance', 'sales', 'admin'],
      summary: 'invoices by status, contract or a search (q), overdue first, with amounts paid and outstanding, the time left, and the total',
      query: ZInvoiceListQuery,
      handler: async ({ query, user }) => {
        const now = Date.now();
        // sales see the invoices of the contracts they own and their team's (api/policy.ts)
        const { contract, ...filter } = query;
        const { items, total } = await listInvoices(deps.db, { ...filter, contractId: contract, ownerIds: ownerScopeOf(user) });
        return { total, items: items.map((i) => invoiceView(i, now)) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/payments',
      roles: ['finance', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'record a payment against an invoice (partial payments accumulate; a repeated reference counts once)',
      body: ZRecordPaymentRequest,
      handler: async ({ body, user, requestId, contract }) => {
        // "not in the future" is checked by the payment workflow, against the time the deadline runs on
        // a reference already counted (this request retried, or racing itself) answers as a duplicate
        const alreadyCounted = async () => {
          const counted = await findPayment(deps.db, contract.id, body.reference);
          if (!counted) return null;
          if (counted.amountFen !== body.amountFen) {
            throw refusal(
              'payment.amount_mismatch',
              { reference: body.reference, recordedFen: counted.amountFen, givenFen: body.amountFen },
              `payment reference ${body.reference} was already recorded with another amount (${counted.amountFen} fen)`,
            );
          }
          return { duplicate: true, invoice: invoiceView((await findInvoice(deps.db, counted.invoiceNumber))!, Date.now()) };
        };
        const duplicate = await alreadyCounted();
        if (duplicate) return duplicate;
        const invoice = body.invoiceNumber ? await findInvoice(deps.db, body.invoiceNumber) : await oldestUnpaidInvoice(deps.db, contract.id);
        if (!invoice || invoice.contractId !== contract.id || invoice.status === 'paid') {
          const raced = await alreadyCounted();
          if (raced) return raced;
          if (invoice?.status === 'paid' && invoice.contractId === contract.id) throw refusal('invoice.already_paid', { number: invoice.number }, `invoice ${invoice.number} is already paid in full`);
          throw body.invoiceNumber
            ? refusal('invoice.not_found', { number: body.invoiceNumber }, `invoice ${body.invoiceNumber} not found on this contract`)
            : refusal('invoice.none_unpaid', {}, 'this contract has no unpaid invoice');
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
      summary:
        "buy extra SMS (Art.3 §5): a package of the contract's price list or a quantity priced by it; finance and admins may set another price (priceFen) with a reason (priceReason), audited. Its own invoice, effective only once paid in full",
      body: ZTopUpRequest,
      handler: async ({ body, user, res, requestId, contract }) => {
        const topUp = priceTopUpRequest(contract.terms, body, user.role);
        if (contract.status !== 'active') {
          throw refusal('contract.not_in_term', { number: contract.number, status: contract.status, terminating: false }, `contract ${contract.number} is ${contract.status}: top-ups are bought during the term only`);
        }
        const result = await (await lifecycleHandle(deps, contract)).executeUpdate(requestTopUpUpdate, { args: [{ ...topUp, actor: { id: user.id, role: user.role, requestId } }] });
        res.status(202);
        return {
          ...result,
          status: 'awaiting_payment',
          message: 'the extra messages become available once the invoice is paid in full',
          quantity: topUp.quantity,
          priceFen: topUp.priceFen,
          pricing: topUp.pricing!,
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/quota',
      roles: ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'],
      contract: { param: 'id', action: 'read' },
      summary: "the contract year's SMS quota: package plus paid top-ups",
      handler: async ({ contract }) => {
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
