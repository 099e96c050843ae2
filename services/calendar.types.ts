/**
 * What the legal calendar's service answers (services/calendar.ts), as types
 * only: the API's response types (api/routes/calendar.types.ts) name these,
 * and the web console's typecheck loads them, so this module imports nothing
 * but domain/ types.
 */
import type { CalendarDay, CalendarRecount, CalendarSource, CalendarYearStatus } from '../domain/calendar';

/** A calendar year: official or provisional, and where its days come from. */
export type CalendarYearSummary = {
  year: number;
  status: CalendarYearStatus;
  /** 'bundled' (the package's data), 'notice' (entered), 'statutory' (provisional: the law's fixed days only) */
  basis: 'bundled' | 'notice' | 'statutory';
  source: CalendarSource | null;
  revision: number;
  enteredBy: string | null;
  enteredAt: string | null;
};

/** A year with its days and the recounts its notices started. */
export type CalendarYearDetail = CalendarYearSummary & { days: CalendarDay[]; recounts: CalendarRecount[] };

/** An open deadline a notice moves (or would move). */
export type DeadlineMovePreview = { deadlineId: string; contractId: string | null; contractNumber: string | null; kind: string; fromDueAt: string; toDueAt: string; days: number };

/** A notice entered or previewed. */
export type NoticeResult = {
  year: number;
  dryRun: boolean;
  /** false when the same days were entered before: nothing is saved, moved or told */
  changed: boolean;
  revision: number;
  /** the open deadlines the notice moves (for a dry run: would move) */
  moves: DeadlineMovePreview[];
  recount: { workflowId: string } | null;
};
