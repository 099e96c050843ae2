/**
 * The signal every workflow holding a deadline counted over the legal calendar
 * takes (workflows/calendar.ts): a calendar year was entered or changed.
 */
import { defineSignal } from '@temporalio/workflow';

/**
 * A calendar year was entered or changed. Only a nudge: the workflow reads the
 * calendar itself (`loadCalendar`), so a signal sent by anyone else than the
 * recount can make it reload the true calendar and nothing more.
 */
export type CalendarChange = { year: number; revision: number; title?: string };
export const calendarChangedSignal = defineSignal<[CalendarChange]>('calendarChangedSignal');
