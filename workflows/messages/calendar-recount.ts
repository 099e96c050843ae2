/**
 * Messages of the calendar recount (workflows/calendar-recount.ts).
 */
import { defineQuery } from '@temporalio/workflow';

export type CalendarRecountProgress = { pass: number; afterWorkflowId: string; signalled: number; foundThisPass: number; done: boolean };

export const getRecountProgressQuery = defineQuery<CalendarRecountProgress>('getRecountProgressQuery');
