/**
 * The legal calendar as maintained data: the years as they stand (bundled,
 * entered from a State Council notice, or provisional), a notice previewed
 * (which open deadlines it would move, and by how much) or entered (saved,
 * audited, and the recount of every open deadline it touches started in the
 * same transaction's outbox).
 */
import { AppError } from '../domain/errors';
import {
  BASE_CALENDAR_YEARS,
  bundledYearDays,
  BUNDLED_SOURCE,
  calendarOfYears,
  calendarRecountWorkflowId,
  type CalendarDay,
} from '../domain/calendar';
import { checkNoticeDays, normaliseDays, type Notice } from '../domain/calendar-notice';
import type { Actor } from '../domain/contract';
import { recountDeadline, type DeadlineBasis } from '../domain/periods';
import { calendarYearsAround, statutoryHolidays, STATUTORY_RULES_FROM } from '../domain/statutory-holidays';
import { shanghaiDate, yearOf } from '../domain/time';
import {
  findCalendarYearRecord,
  listCalendarRecounts,
  listCalendarYearRecords,
  listOpenDeadlinesOfYear,
  loadCalendarYears,
  saveCalendarYear,
  toCalendarYear,
} from '../db/calendar';
import { listHolidayOverrides } from '../db/legal';
import { calendarRecount, type CalendarRecountInput } from '../workflows/calendar-recount';
import { oweStart, startOwed, type WorkflowStartDeps } from './workflow-starts';
import type { CalendarYearDetail, CalendarYearSummary, DeadlineMovePreview, NoticeResult } from './calendar.types';

/** Every year the system knows: bundled, entered, and the provisional ones up to three years ahead. */
export async function listCalendarYears(deps: WorkflowStartDeps, now: number): Promise<CalendarYearSummary[]> {
  const entered = new Map((await listCalendarYearRecords(deps.db)).map((r) => [r.year, r]));
  const thisYear = yearOf(shanghaiDate(new Date(now)));
  const years = new Set<number>([...BASE_CALENDAR_YEARS, ...entered.keys()]);
  for (let year = Math.max(STATUTORY_RULES_FROM, thisYear); year <= thisYear + 3; year += 1) years.add(year);
  return [...years].sort((a, b) => a - b).map((year) => summaryOf(year, entered.get(year) ?? null));
}

export async function getCalendarYear(deps: WorkflowStartDeps, year: number): Promise<CalendarYearDetail> {
  const record = await findCalendarYearRecord(deps.db, year);
  const summary = summaryOf(year, record);
  if (!record && summary.basis === 'statutory' && year < STATUTORY_RULES_FROM) {
    throw new AppError('NOT_FOUND', `the calendar has no data for ${year}: enter the State Council notice with PUT /api/holiday-calendar/${year}`);
  }
  const days = record ? record.days : summary.basis === 'bundled' ? bundledYearDays(year) : statutoryHolidays(year);
  return { ...summary, days, recounts: await listCalendarRecounts(deps.db, year) };
}

function summaryOf(year: number, record: Awaited<ReturnType<typeof findCalendarYearRecord>>): CalendarYearSummary {
  if (record) return { year, status: 'official', basis: 'notice', source: record.source, revision: record.revision, enteredBy: record.enteredBy, enteredAt: record.enteredAt };
  if (BASE_CALENDAR_YEARS.includes(year)) return { year, status: 'official', basis: 'bundled', source: BUNDLED_SOURCE, revision: 0, enteredBy: null, enteredAt: null };
  return { year, status: 'provisional', basis: 'statutory', source: null, revision: 0, enteredBy: null, enteredAt: null };
}

/**
 * Checks a notice for `year` (every bad day is listed, nothing changes), then
 * previews its moves, and unless `dryRun` enters it: saved with its audit
 * event and the recount owed in one transaction, the recount started after.
 */
export async function enterCalendarNotice(
  deps: WorkflowStartDeps,
  input: { year: number; notice: Notice; actor: Actor; dryRun: boolean },
): Promise<NoticeResult> {
  const { year, notice } = input;
  const issues = checkNoticeDays(year, notice.days);
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', `the notice for ${year} has ${issues.length} bad day(s); nothing was changed`, { issues });
  const { days, digest } = normaliseDays(notice.days);
  const current = await findCalendarYearRecord(deps.db, year);
  const unchanged = current?.digest === digest;
  const moves = unchanged ? [] : await previewMoves(deps, year, days, current?.revision ?? 0, notice.source.title);
  if (input.dryRun || unchanged) {
    return { year, dryRun: input.dryRun, changed: !unchanged, revision: current?.revision ?? 0, moves, recount: null };
  }
  const saved = await deps.db.withTransaction(async (tx) => {
    const result = await saveCalendarYear(tx, { year, source: notice.source, days, digest, actor: input.actor });
    if (!result.changed) return { ...result, owed: null };
    const recount: CalendarRecountInput = { year, revision: result.record.revision, title: notice.source.title };
    const owed = await oweStart(tx, calendarRecount, { workflowId: calendarRecountWorkflowId(year, result.record.revision), args: [recount] });
    return { ...result, owed };
  });
  if (saved.owed) await startOwed(deps, saved.owed);
  return { year, dryRun: false, changed: saved.changed, revision: saved.record.revision, moves, recount: saved.owed ? { workflowId: saved.owed.workflowId } : null };
}

/** Counts every open deadline of the year again over the calendar with the notice in place. */
async function previewMoves(deps: WorkflowStartDeps, year: number, days: CalendarDay[], revision: number, title: string): Promise<DeadlineMovePreview[]> {
  const entered = (await listCalendarYearRecords(deps.db)).map(toCalendarYear).filter((y) => y.year !== year);
  const years = calendarYearsAround([...entered, { year, status: 'official', revision: revision + 1, title, days }], year);
  const calendar = calendarOfYears(years, await listHolidayOverrides(deps.db));
  const moves: DeadlineMovePreview[] = [];
  for (const deadline of await listOpenDeadlinesOfYear(deps.db, year)) {
    if (!deadline.basis) continue;
    const toDueAt = recountDeadline(deadline.basis as DeadlineBasis, calendar).dueAt;
    if (toDueAt === deadline.dueAt) continue;
    const days = Math.round((Date.parse(toDueAt) - Date.parse(deadline.dueAt)) / 86_400_000);
    moves.push({ deadlineId: deadline.id, contractId: deadline.contractId, contractNumber: deadline.contractNumber, kind: deadline.kind, fromDueAt: deadline.dueAt, toDueAt, days });
  }
  return moves;
}

export { loadCalendarYears };
