/**
 * What the holiday-calendar routes answer, as types only (no runtime code):
 * the web console imports them (`import type`); api/routes/views.check.ts
 * proves they match services/calendar.ts, whose module (statutory holidays,
 * workflows) the console's typecheck does not load.
 */
import type { CalendarDay, CalendarSource, CalendarYearStatus } from '../../domain/calendar';

/** A calendar year: official or provisional, and where its days come from. */
export type CalendarYearSummaryView = {
  year: number;
  status: CalendarYearStatus;
  /** 'bundled' (the package's data), 'notice' (entered), 'statutory' (provisional: the law's fixed days only) */
  basis: 'bundled' | 'notice' | 'statutory';
  source: CalendarSource | null;
  revision: number;
  enteredBy: string | null;
  enteredAt: string | null;
};

/** GET /api/holiday-calendar */
export type CalendarYearListView = { years: CalendarYearSummaryView[] };

/** A recount of the open deadlines after a notice (db/calendar.ts listCalendarRecounts). */
export type CalendarRecountView = { id: string; year: number; revision: number; status: 'running' | 'done'; signalled: number; passes: number; startedAt: string; finishedAt: string | null; moved: number };

/** GET /api/holiday-calendar/:year */
export type CalendarYearDetailView = CalendarYearSummaryView & { days: CalendarDay[]; recounts: CalendarRecountView[] };

/** An open deadline a notice moves (or would move). */
export type DeadlineMoveView = { deadlineId: string; contractId: string | null; contractNumber: string | null; kind: string; fromDueAt: string; toDueAt: string; days: number };

/** PUT /api/holiday-calendar/:year (?dryRun=true: a preview) */
export type CalendarNoticeResultView = {
  year: number;
  dryRun: boolean;
  /** false when the same days were entered before: nothing is saved, moved or told */
  changed: boolean;
  revision: number;
  moves: DeadlineMoveView[];
  recount: { workflowId: string } | null;
};
