import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  beginCalendarRecount,
  countStaleDeadlineHolders,
  listStaleDeadlineHolders,
  loadCalendarYears,
  recordDeadlineMove,
  recordRecountProgress,
} from '../db/calendar';
import type { CalendarYear } from '../domain/calendar';
import type { ActivityDeps } from './deps';

/** What a workflow is told when a calendar year was entered or changed (workflows/calendar.ts). */
export type CalendarChangeInput = { year: number; revision: number; title: string };

/** How many workflows are signalled at once within a batch. */
const SIGNAL_CONCURRENCY = 16;

/**
 * The legal calendar for workflows: the years they count with (read afresh
 * whenever a deadline is counted), and the recount's fan-out (signal every
 * workflow holding a deadline a notice may move).
 */
export function createCalendarActivities({ db, temporal }: ActivityDeps) {
  const client = () => {
    if (!temporal) throw new Error('this worker has no Temporal client to signal workflows with');
    return temporal;
  };
  return {
    async loadCalendar(input: { centreYear: number }): Promise<CalendarYear[]> {
      return loadCalendarYears(db, input.centreYear);
    },

    async beginCalendarRecount(input: { id: string; year: number; revision: number }): Promise<void> {
      await beginCalendarRecount(db, input);
    },

    async recordRecountProgress(input: { id: string; signalled: number; passes: number; done: boolean }): Promise<void> {
      await recordRecountProgress(db, input);
    },

    async listStaleDeadlineHolders(input: { year: number; revision: number; afterWorkflowId: string; limit: number }): Promise<string[]> {
      return listStaleDeadlineHolders(db, input);
    },

    async countStaleDeadlineHolders(input: { year: number; revision: number }): Promise<number> {
      return countStaleDeadlineHolders(db, input);
    },

    /**
     * Tells each workflow of the change (it reads the calendar itself); a
     * workflow that has ended is skipped. Returns how many were signalled.
     */
    async signalCalendarChange(input: { workflowIds: string[]; change: CalendarChangeInput }): Promise<{ signalled: number; gone: number }> {
      const payload = input.change;
      let signalled = 0;
      let gone = 0;
      const queue = [...input.workflowIds];
      const workers = Array.from({ length: Math.min(SIGNAL_CONCURRENCY, queue.length) }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          try {
            await client().workflow.getHandle(id).signal('calendarChangedSignal', payload);
            signalled += 1;
          } catch (error) {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
            gone += 1;
          }
          Context.current().heartbeat(signalled + gone);
        }
      });
      await Promise.all(workers);
      return { signalled, gone };
    },

    /** Records (once) that a calendar change moved a deadline, with its audit event. */
    async recordDeadlineMove(input: { deadlineId: string; contractId: string | null; kind: string; year: number; revision: number; fromDueAt: string; toDueAt: string; title: string }): Promise<{ recorded: boolean }> {
      return { recorded: await db.withTransaction((tx) => recordDeadlineMove(tx, input)) };
    },
  };
}
