/**
 * Calendar years entered from State Council notices, the recounts they start,
 * and the deadlines a notice may move (the read model's calendar columns).
 */
import { calendarOfYears, type CalendarDay, type CalendarRecount, type CalendarSource, type CalendarYear, type HolidayCalendar } from '../domain/calendar';
import { shanghaiDate, yearOf } from '../domain/time';
import { calendarYearsAround } from '../domain/statutory-holidays';
import { appendAudit } from './audit';
import type { Actor } from '../domain/contract';
import { listHolidayOverrides } from './legal';
import type { Queryable } from './pool';

export type CalendarYearRecord = {
  year: number;
  source: CalendarSource;
  days: CalendarDay[];
  digest: string;
  revision: number;
  enteredBy: string;
  enteredAt: string;
};

const toRecord = (row: Record<string, unknown>): CalendarYearRecord => ({
  year: row.year as number,
  source: row.source as CalendarSource,
  days: row.days as CalendarDay[],
  digest: row.digest as string,
  revision: row.revision as number,
  enteredBy: row.entered_by as string,
  enteredAt: (row.entered_at as Date).toISOString(),
});

export const toCalendarYear = (record: CalendarYearRecord): CalendarYear => ({
  year: record.year,
  status: 'official',
  revision: record.revision,
  title: record.source.title,
  days: record.days,
});

export async function listCalendarYearRecords(db: Queryable): Promise<CalendarYearRecord[]> {
  const { rows } = await db.query('SELECT * FROM calendar_years ORDER BY year');
  return rows.map(toRecord);
}

export async function findCalendarYearRecord(db: Queryable, year: number): Promise<CalendarYearRecord | null> {
  const { rows } = await db.query('SELECT * FROM calendar_years WHERE year = $1', [year]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** What workflows count with around a year: the entered years and the provisional ones near it. */
export async function loadCalendarYears(db: Queryable, centreYear: number): Promise<CalendarYear[]> {
  return calendarYearsAround((await listCalendarYearRecords(db)).map(toCalendarYear), centreYear);
}

/**
 * A reader of the calendar as it stands, loaded once: the calendar a
 * workflow counting from `instant` would load (loadCalendarYears around that
 * instant's year), for planning many deadlines without a query each.
 */
export async function calendarSnapshot(db: Queryable): Promise<(instant: string) => HolidayCalendar> {
  const years = (await listCalendarYearRecords(db)).map(toCalendarYear);
  // building a calendar indexes its years' days: once per centre year, not once per deadline
  const built = new Map<number, HolidayCalendar>();
  return (instant) => {
    const centre = yearOf(shanghaiDate(instant));
    if (!built.has(centre)) built.set(centre, calendarOfYears(calendarYearsAround(years, centre)));
    return built.get(centre)!;
  };
}

/** The calendar to count a deadline from `instant` with, as it stands now (entered, provisional and bundled years, old overrides). */
export async function loadCalendarAt(db: Queryable, instant: string): Promise<HolidayCalendar> {
  return calendarOfYears(await loadCalendarYears(db, yearOf(shanghaiDate(instant))), await listHolidayOverrides(db));
}

/**
 * Enters a year's notice (in the caller's transaction). The same days again
 * change nothing (`changed: false`, same revision); other days replace the
 * year's at the next revision, with an audit event.
 */
export async function saveCalendarYear(
  tx: Queryable,
  input: { year: number; source: CalendarSource; days: CalendarDay[]; digest: string; actor: Actor },
): Promise<{ record: CalendarYearRecord; changed: boolean; previousRevision: number }> {
  const { rows } = await tx.query('SELECT * FROM calendar_years WHERE year = $1 FOR UPDATE', [input.year]);
  const previous = rows[0] ? toRecord(rows[0]) : null;
  if (previous && previous.digest === input.digest) return { record: previous, changed: false, previousRevision: previous.revision };
  const revision = (previous?.revision ?? 0) + 1;
  const saved = await tx.query(
    `INSERT INTO calendar_years (year, source, days, digest, revision, entered_by)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, days = EXCLUDED.days, digest = EXCLUDED.digest,
       revision = EXCLUDED.revision, entered_by = EXCLUDED.entered_by, entered_at = now()
     RETURNING *`,
    [input.year, JSON.stringify(input.source), JSON.stringify(input.days), input.digest, revision, input.actor.id],
  );
  const record = toRecord(saved.rows[0]!);
  await appendAudit(tx, {
    type: 'calendar.year_entered',
    actor: input.actor,
    before: previous ? { revision: previous.revision, source: previous.source, days: previous.days.length } : null,
    after: { revision, source: input.source, days: input.days.length },
    data: { year: input.year },
  });
  return { record, changed: true, previousRevision: previous?.revision ?? 0 };
}

// ---------------------------------------------------------------- recounts

export async function beginCalendarRecount(db: Queryable, input: { id: string; year: number; revision: number }): Promise<void> {
  await db.query('INSERT INTO calendar_recounts (id, year, revision) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [input.id, input.year, input.revision]);
}

export async function recordRecountProgress(db: Queryable, input: { id: string; signalled: number; passes: number; done: boolean }): Promise<void> {
  await db.query(
    `UPDATE calendar_recounts SET signalled = $2, passes = $3, status = CASE WHEN $4 THEN 'done' ELSE 'running' END,
       finished_at = CASE WHEN $4 THEN now() ELSE NULL END WHERE id = $1`,
    [input.id, input.signalled, input.passes, input.done],
  );
}

export async function listCalendarRecounts(db: Queryable, year: number): Promise<CalendarRecount[]> {
  const { rows } = await db.query(
    `SELECT r.*, (SELECT count(*)::int FROM deadline_moves m WHERE m.year = r.year AND m.revision = r.revision) AS moved
       FROM calendar_recounts r WHERE r.year = $1 ORDER BY r.revision DESC`,
    [year],
  );
  return rows.map((row) => ({
    id: row.id,
    year: row.year,
    revision: row.revision,
    status: row.status,
    signalled: row.signalled,
    passes: row.passes,
    moved: row.moved,
    startedAt: (row.started_at as Date).toISOString(),
    finishedAt: row.finished_at ? (row.finished_at as Date).toISOString() : null,
  }));
}

/**
 * The next workflows (by id, after `afterWorkflowId`) holding an open
 * deadline counted over `year` at a revision older than `revision`.
 */
export async function listStaleDeadlineHolders(db: Queryable, input: { year: number; revision: number; afterWorkflowId: string; limit: number }): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT workflow_id FROM deadlines
      WHERE status = 'open' AND calendar_years @> ARRAY[$1::integer]
        AND COALESCE((calendar_revisions ->> $1::text)::integer, 0) < $2 AND workflow_id > $3
      ORDER BY workflow_id LIMIT $4`,
    [input.year, input.revision, input.afterWorkflowId, input.limit],
  );
  return rows.map((row) => row.workflow_id as string);
}

/** How many workflows still hold an open deadline counted over `year` at a revision older than `revision`. */
export async function countStaleDeadlineHolders(db: Queryable, input: { year: number; revision: number }): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(DISTINCT workflow_id)::int AS n FROM deadlines
      WHERE status = 'open' AND calendar_years @> ARRAY[$1::integer]
        AND COALESCE((calendar_revisions ->> $1::text)::integer, 0) < $2`,
    [input.year, input.revision],
  );
  return Number(rows[0]!.n);
}

/** The open deadlines counted over `year` that carry their basis, for a preview of a notice's moves. */
export async function listOpenDeadlinesOfYear(db: Queryable, year: number): Promise<{ id: string; contractId: string | null; contractNumber: string | null; kind: string; dueAt: string; basis: unknown }[]> {
  const { rows } = await db.query(
    `SELECT d.id, d.contract_id, c.number, d.kind, d.due_at, d.basis FROM deadlines d LEFT JOIN contracts c ON c.id = d.contract_id
      WHERE d.status = 'open' AND d.calendar_years @> ARRAY[$1::integer] ORDER BY d.due_at, d.id`,
    [year],
  );
  return rows.map((row) => ({ id: row.id, contractId: row.contract_id, contractNumber: row.number, kind: row.kind, dueAt: (row.due_at as Date).toISOString(), basis: row.basis }));
}

/** Records a move once per deadline and revision; false when it was already recorded. */
export async function recordDeadlineMove(
  db: Queryable,
  input: { deadlineId: string; contractId: string | null; kind: string; year: number; revision: number; fromDueAt: string; toDueAt: string; title: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO deadline_moves (id, deadline_id, contract_id, kind, year, revision, from_due_at, to_due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    [`${input.deadlineId}:${input.year}:r${input.revision}`, input.deadlineId, input.contractId, input.kind, input.year, input.revision, input.fromDueAt, input.toDueAt],
  );
  if (!rowCount) return false;
  await appendAudit(db, {
    type: 'deadline.moved',
    contractId: input.contractId,
    actor: { id: 'system:calendar', role: 'system' },
    before: { dueAt: input.fromDueAt },
    after: { dueAt: input.toDueAt },
    data: { deadlineId: input.deadlineId, kind: input.kind, year: input.year, revision: input.revision, notice: input.title, fromDueAt: input.fromDueAt, toDueAt: input.toDueAt },
  });
  return true;
}
