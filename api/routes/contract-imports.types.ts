/**
 * What POST /api/contract-imports answers, as types only (no runtime code):
 * the web console imports them (`import type`); api/routes/views.check.ts
 * proves they match services/contract-imports.ts, whose module (workflows)
 * the console's typecheck does not load.
 */
import type { ImportIssue, ImportPlan, PlannedInvoice, PlannedNotification } from '../../domain/contract-import';

/** Where an imported contract would stand (planView in services/contract-imports.ts). */
export type ImportPlanView = Pick<ImportPlan, 'status' | 'standing' | 'effectiveAt' | 'termEndsAt' | 'renewals' | 'objection' | 'quota'> & {
  invoices: Pick<PlannedInvoice, 'number' | 'period' | 'amountFen' | 'paidFen' | 'status' | 'dueAt'>[];
  deadlines: Pick<ImportPlan['deadlines'][number], 'kind' | 'ref' | 'dueAt' | 'explanation'>[];
  notifications: Pick<PlannedNotification, 'audiences' | 'reason' | 'subject'>[];
};

/** One row's outcome. */
export type ImportResultView = {
  externalRef: string | null;
  line?: number;
  ok: boolean;
  /** the reference was imported before: nothing changed */
  existing?: boolean;
  contractId?: string;
  contractNumber?: string;
  errors?: ImportIssue[];
  plan?: ImportPlanView;
};

/** POST /api/contract-imports */
export type ImportAnswerView = {
  dryRun: boolean;
  summary: { total: number; ok: number; failed: number; existing: number; imported: number };
  results: ImportResultView[];
};
