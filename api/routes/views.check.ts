/**
 * Compile-time proof that the response types the web console imports
 * (api/routes/*.types.ts: types only, light enough for the console's
 * typecheck) are the ones the handlers and services actually return. Checked
 * by `npx tsc --noEmit -p .`; nothing imports this file and it has no runtime
 * code. A change to a response that is not carried into its view type fails
 * here, before the console reads a field that is no longer sent. The answers
 * of SMS submissions, the holiday calendar and contract imports need no check:
 * their view types are the services' own (services/*.types.ts).
 */
import type { UpdateDefinition } from '@temporalio/common';
import type { AmendmentState, requestTopUpUpdate } from '../../workflows/messages/contract-lifecycle';
import type { caseViews } from './cases';
import type { CaseView } from './cases.types';
import type { contractDetail } from './contracts';
import type { ContractDetailView } from './contracts.types';
import type { invoiceSummary, invoiceView } from './invoices';
import type { InvoiceSummaryView, InvoiceView, TopUpResultView } from './invoices.types';
import type { AmendmentView } from './lifecycle.types';
import type { DeliveryConfirmationView } from './delivery.types';
import type { priceTopUpRequest } from './invoices';
import type { TopUpOrderView } from './invoices.types';
import type { deliveryConfirmationView } from './lifecycle';

/** true when each type is assignable to the other */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type UpdateResult<U> = U extends UpdateDefinition<infer R, infer _Args> ? R : never;
type Amendment = Pick<AmendmentView, 'seq' | 'description' | 'changes' | 'status'>;

export type ViewChecks = [
  Assert<Same<ContractDetailView, Awaited<ReturnType<typeof contractDetail>>>>,
  Assert<Same<InvoiceView, ReturnType<typeof invoiceView>>>,
  Assert<Same<InvoiceSummaryView, Awaited<ReturnType<typeof invoiceSummary>>>>,
  Assert<Same<TopUpResultView, UpdateResult<typeof requestTopUpUpdate> & { status: string; message: string }>>,
  Assert<Same<Amendment, Pick<AmendmentState, keyof Amendment>>>,
  Assert<Same<CaseView, Awaited<ReturnType<typeof caseViews>>[number]>>,
  Assert<Same<Pick<TopUpOrderView, 'quantity' | 'priceFen' | 'pricing'>, Required<ReturnType<typeof priceTopUpRequest>>>>,
  Assert<Same<DeliveryConfirmationView, Awaited<ReturnType<typeof deliveryConfirmationView>>>>,
];
