/**
 * What an import of existing contracts answers (services/contract-imports.ts),
 * as types only: the API's response types (api/routes/contract-imports.types.ts)
 * name these, and the web console's typecheck loads them, so this module
 * imports nothing but domain/ types.
 */
import type { ImportIssue, ImportPlan, PlannedInvoice, PlannedNotification } from '../domain/contract-import';
import type { ErrorCode } from '../domain/errors';
import type { FreezeView } from '../domain/legal';

/** Where an imported contract would stand. */
export type ImportPlanView = Pick<ImportPlan, 'status' | 'standing' | 'effectiveAt' | 'termEndsAt' | 'renewals' | 'objection' | 'quota'> & {
  invoices: Pick<PlannedInvoice, 'number' | 'period' | 'amountFen' | 'paidFen' | 'status' | 'dueAt'>[];
  deadlines: Pick<ImportPlan['deadlines'][number], 'kind' | 'ref' | 'dueAt' | 'explanation'>[];
  notifications: Pick<PlannedNotification, 'audiences' | 'reason' | 'subject'>[];
};

/** One row's outcome. */
export type ImportResult = {
  externalRef: string | null;
  line?: number;
  ok: boolean;
  /** the reference was imported before: nothing changed */
  existing?: boolean;
  contractId?: string;
  contractNumber?: string;
  errors?: ImportIssue[];
  /** a row refused for a reason other than its content: ORGANISATION_FROZEN (409 had it been a request of its own) */
  code?: ErrorCode;
  /** the freeze that refused the row: Party A's organisation was frozen for a content violation */
  freeze?: FreezeView;
  plan?: ImportPlanView;
};

export type ImportAnswer = {
  dryRun: boolean;
  summary: { total: number; ok: number; failed: number; existing: number; imported: number };
  results: ImportResult[];
};
