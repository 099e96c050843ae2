/**
 * After a calendar year was entered or changed: tell every workflow holding
 * an open deadline counted over that year (at an older revision of it), in
 * batches, so each recounts its deadlines and moves its timers in place.
 * A later pass picks up the workflows that counted while the first ran;
 * progress is in calendar_recounts and the progress query. Started once per
 * year and revision (workflow id `calendar-<year>-r<revision>`), so entering
 * the same notice twice starts nothing.
 */
import { continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { acts, signalling } from './activity-proxies';
import { getRecountProgressQuery, type CalendarRecountProgress } from './messages/calendar-recount';
import { recountVersion } from './versions';

/** Workflows signalled per activity. */
export const RECOUNT_BATCH = 250;
/** Passes over the stale deadlines: the later ones find only those counted while an earlier pass ran. */
export const RECOUNT_PASSES = 3;
/** The pause between passes, for the signalled workflows to write their recounted deadlines. */
const SETTLE = '10 seconds';
/**
 * How many SETTLE pauses a pass waits at most while the signalled workflows
 * are still recounting (the stale count keeps falling): a large year's
 * workflows take minutes to work through their signals, and signalling them
 * again meanwhile only doubles their work.
 */
export const SETTLE_PAUSES_MAX = 360;

export type CalendarRecountInput = {
  year: number;
  revision: number;
  title: string;
  /** set when the workflow continues as new */
  progress?: CalendarRecountProgress;
};

export async function calendarRecount(input: CalendarRecountInput): Promise<CalendarRecountProgress> {
  // first, before any await: which code this run follows (workflows/versions.ts)
  const version = recountVersion();
  const id = workflowInfo().workflowId;
  const progress: CalendarRecountProgress = input.progress ?? { pass: 1, afterWorkflowId: '', signalled: 0, foundThisPass: 0, done: false };
  setHandler(getRecountProgressQuery, () => progress);
  if (!input.progress) await acts.beginCalendarRecount({ id, year: input.year, revision: input.revision });
  const change = { year: input.year, revision: input.revision, title: input.title };

  while (progress.pass <= RECOUNT_PASSES) {
    for (;;) {
      const batch = await acts.listStaleDeadlineHolders({ year: input.year, revision: input.revision, afterWorkflowId: progress.afterWorkflowId, limit: RECOUNT_BATCH });
      if (batch.length === 0) break;
      const result = await signalling.signalCalendarChange({ workflowIds: batch, change });
      progress.signalled += result.signalled;
      progress.foundThisPass += batch.length;
      progress.afterWorkflowId = batch.at(-1)!;
      await acts.recordRecountProgress({ id, signalled: progress.signalled, passes: progress.pass, done: false });
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof calendarRecount>({ ...input, progress });
    }
    if (progress.foundThisPass === 0) break;
    progress.pass += 1;
    progress.afterWorkflowId = '';
    progress.foundThisPass = 0;
    if (version.settlesWhileFalling) {
      // wait while the signalled workflows are still working through their signals
      let stale = Number.POSITIVE_INFINITY;
      for (let pause = 0; pause < SETTLE_PAUSES_MAX; pause++) {
        await sleep(SETTLE);
        const now = await acts.countStaleDeadlineHolders({ year: input.year, revision: input.revision });
        if (now === 0 || now >= stale) break;
        stale = now;
      }
    } else {
      await sleep(SETTLE);
    }
  }
  progress.done = true;
  await acts.recordRecountProgress({ id, signalled: progress.signalled, passes: Math.min(progress.pass, RECOUNT_PASSES), done: true });
  return progress;
}
