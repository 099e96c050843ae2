/**
 * What the holiday-calendar routes answer, as types only (no runtime code):
 * the web console imports them (`import type`); each is defined once, in
 * services/calendar.types.ts and domain/calendar.ts (types only too), since
 * the module of services/calendar.ts (statutory holidays, workflows) is not
 * one the console's typecheck loads.
 */
import type { CalendarRecount } from '../../domain/calendar';
import type { CalendarYearDetail, CalendarYearSummary, DeadlineMovePreview, NoticeResult } from '../../services/calendar.types';

/** A calendar year: official or provisional, and where its days come from. */
export type CalendarYearSummaryView = CalendarYearSummary;

/** GET /api/holiday-calendar */
export type CalendarYearListView = { years: CalendarYearSummaryView[] };

/** A recount of the open deadlines after a notice (db/calendar.ts listCalendarRecounts). */
export type CalendarRecountView = CalendarRecount;

/** GET /api/holiday-calendar/:year */
export type CalendarYearDetailView = CalendarYearDetail;

/** An open deadline a notice moves (or would move). */
export type DeadlineMoveView = DeadlineMovePreview;

/** PUT /api/holiday-calendar/:year (?dryRun=true: a preview) */
export type CalendarNoticeResultView = NoticeResult;
