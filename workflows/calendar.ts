/**
 * The legal calendar inside a workflow: the years it counts with (read afresh
 * by `loadCalendar` when it counts, replaced by each change signal), the
 * recount of its open deadlines when a notice changes a year they examined,
 * and a wait whose instant may move while it waits.
 */
import { condition } from '@temporalio/workflow';
import { calendarOfYears, createHolidayCalendar, type CalendarYear, type HolidayCalendar, type HolidayOverride } from '../domain/calendar';
import { deadlineRowId, type DeadlineState } from '../domain/contract';
import { recountDeadline } from '../domain/periods';
import { shanghaiDate, yearOf } from '../domain/time';
import type { Activities } from './activity-proxies';
import { deadlineFrom } from './deadline-book';
import type { CalendarChange } from './messages/calendar';

/** The Shanghai calendar year of an instant (the centre of the years a workflow loads). */
export const calendarYearAt = (instant: number | string) => yearOf(shanghaiDate(new Date(instant)));

/**
 * The calendar a workflow counts with. `years` null: a run from before
 * calendar years existed, counting with the bundled data and its override
 * snapshot until the first change reaches it.
 */
export class LegalCalendar {
  constructor(
    public years: CalendarYear[] | null,
    private readonly overrides: HolidayOverride[] = [],
  ) {}

  get calendar(): HolidayCalendar {
    return this.years ? calendarOfYears(this.years, this.overrides) : createHolidayCalendar(this.overrides);
  }

  /**
   * Reads the calendar again when the change is news to one of the open
   * deadlines (one counted over the year at an older revision: the deadlines
   * say, not the calendar this workflow last read, which may be newer than
   * the count of a deadline handed in by its input); the year as entered, or
   * null when there is nothing to recount (every deadline has the revision
   * already, or the signal named a revision that does not exist).
   */
  async refresh(change: CalendarChange, open: readonly DeadlineState[], load: (centreYear: number) => Promise<CalendarYear[]>): Promise<CalendarYear | null> {
    const stale = open.some((d) => d.basis && (d.calendarYears ?? []).includes(change.year) && (d.calendarRevisions?.[String(change.year)] ?? 0) < change.revision);
    if (!stale) return null;
    this.years = await load(change.year);
    const entered = this.years.find((y) => y.year === change.year);
    return entered && entered.status === 'official' && entered.revision >= change.revision ? entered : null;
  }
}

export type DeadlineMove = { before: DeadlineState; after: DeadlineState };

/**
 * Counts again every deadline that carries its basis and examined the changed
 * year (or would now: a rest day added on its last day extends it into the
 * days after). Returns every recounted deadline (their calendar revisions are
 * new even when the day stays) and the ones whose due instant moved.
 */
export function recountDeadlines(open: readonly DeadlineState[], year: number, calendar: HolidayCalendar): { recounted: DeadlineState[]; moves: DeadlineMove[] } {
  const recounted: DeadlineState[] = [];
  const moves: DeadlineMove[] = [];
  for (const before of open) {
    if (!before.basis || !(before.calendarYears ?? []).includes(year)) continue;
    const after = deadlineFrom(before.kind, before.ref, recountDeadline(before.basis, calendar), before.basis);
    recounted.push(after);
    if (after.dueAt !== before.dueAt) moves.push({ before, after });
  }
  return { recounted, moves };
}

/** The last day of a deadline due at 24:00 Beijing time (its instant is the next day's 00:00). */
const lastDayOf = (dueAt: string) => shanghaiDate(new Date(Date.parse(dueAt) - 1));

/** A due date as '1 月 4 日' (with the year when it differs from `sameYearAs`'s). */
export function chineseDay(dueAt: string, sameYearAs?: string): string {
  const date = lastDayOf(dueAt);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const withYear = sameYearAs !== undefined && lastDayOf(sameYearAs).slice(0, 4) !== date.slice(0, 4);
  return `${withYear ? `${y} 年 ` : ''}${m} 月 ${d} 日`;
}

/**
 * Waits until the predicate holds or the instant `dueAt()` passes; true when
 * the predicate held. The instant is read again whenever it changes, so a
 * calendar change moves the running timer (an earlier one fires at once, a
 * later one waits on). With no change it makes exactly the commands of
 * `waitUntil` (one timer), so recorded histories replay.
 */
export async function waitUntilDue(predicate: () => boolean, dueAt: () => string | number): Promise<boolean> {
  const ms = (instant: string | number) => (typeof instant === 'number' ? instant : Date.parse(instant));
  for (;;) {
    if (predicate()) return true;
    const target = ms(dueAt());
    const left = target - Date.now();
    if (left <= 0) return false;
    const woke = await condition(() => predicate() || ms(dueAt()) !== target, left);
    if (predicate()) return true;
    if (!woke && ms(dueAt()) <= Date.now()) return false;
  }
}

type MoveActivities = Pick<Activities, 'recordDeadlineMove' | 'notify'>;
type Audience = Parameters<MoveActivities['notify']>[0]['audiences'][number];

/**
 * Records each move once (deadline_moves, audit `deadline.moved`) and tells
 * the owner and the affected party once: "因《…》发布，付款期限由 1 月 4 日调整为 1 月 5 日".
 */
export async function announceMoves(
  acts: MoveActivities,
  input: { workflowId: string; contractId: string; change: CalendarYear; moves: DeadlineMove[]; audiences: Audience[]; subject: string; what: (move: DeadlineMove) => string },
): Promise<void> {
  const { workflowId, contractId, change } = input;
  for (const move of input.moves) {
    const { before, after } = move;
    await acts.recordDeadlineMove({
      deadlineId: deadlineRowId(workflowId, before),
      contractId,
      kind: before.kind,
      year: change.year,
      revision: change.revision,
      fromDueAt: before.dueAt,
      toDueAt: after.dueAt,
      title: change.title,
    });
    await acts.notify({
      id: `${workflowId}:calendar:${change.year}:r${change.revision}:${before.kind}:${before.ref}`,
      contractId,
      audiences: input.audiences,
      reason: 'deadline_moved',
      subject: input.subject,
      body: `因《${change.title}》发布，${input.what(move)}由 ${chineseDay(before.dueAt, after.dueAt)}调整为 ${chineseDay(after.dueAt, before.dueAt)}。${after.explanation}`,
      sms: { template: 'deadline_moved', what: before.kind === 'payment' || before.kind === 'signing' || before.kind === 'cure' ? before.kind : 'other', dueAt: after.dueAt },
    });
  }
}
