/**
 * Compile-time proof that the response types the web console imports
 * (api/routes/*.types.ts: types only, light enough for the console's
 * typecheck) are the ones the handlers and services actually return. Checked
 * by `npx tsc --noEmit -p .`; nothing imports this file and it has no runtime
 * code. A change to a response that is not carried into its view type fails
 * here, before the console reads a field that is no longer sent.
 */
import type { UpdateDefinition } from '@temporalio/common';
import type { listCalendarRecounts } from '../../db/calendar';
import type { CalendarYearDetail, CalendarYearSummary, DeadlineMovePreview, NoticeResult } from '../../services/calendar';
import type { ImportAnswer } from '../../services/contract-imports';
import type { RecipientResult, SubmissionResponse } from '../../services/sms';
import type { AmendmentState, requestTopUpUpdate } from '../../workflows/messages/contract-lifecycle';
import type { CalendarNoticeResultView, CalendarRecountView, CalendarYearDetailView, CalendarYearSummaryView, DeadlineMoveView } from './calendar.types';
import type { caseViews } from './cases';
import type { CaseView } from './cases.types';
import type { ImportAnswerView } from './contract-imports.types';
import type { contractDetail } from './contracts';
import type { ContractDetailView } from './contracts.types';
import type { invoiceSummary, invoiceView } from './invoices';
import type { InvoiceSummaryView, InvoiceView, TopUpResultView } from './invoices.types';
import type { AmendmentView } from './lifecycle.types';
import type { RecipientResultView, SubmissionView } from './sms.types';

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
  Assert<Same<SubmissionView, SubmissionResponse>>,
  Assert<Same<RecipientResultView, RecipientResult>>,
  Assert<Same<ImportAnswerView, ImportAnswer>>,
  Assert<Same<CalendarYearSummaryView, CalendarYearSummary>>,
  Assert<Same<CalendarYearDetailView, CalendarYearDetail>>,
  Assert<Same<CalendarRecountView, Awaited<ReturnType<typeof listCalendarRecounts>>[number]>>,
  Assert<Same<DeadlineMoveView, DeadlineMovePreview>>,
  Assert<Same<CalendarNoticeResultView, NoticeResult>>,
];
