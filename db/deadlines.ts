/**
 * The read model of deadlines held by workflows.
 */
import { deadlineRowId, type DeadlineState } from '../domain/contract';
import type { Queryable } from './pool';

export { deadlineRowId };

/**
 * Makes the table match the workflow's open deadlines: upserts the open ones,
 * and closes (met, lapsed or cancelled) those the workflow no longer holds.
 */
export async function syncDeadlines(
  db: Queryable,
  input: { workflowId: string; contractId: string | null; open: DeadlineState[]; closed: { kind: string; ref: string; status: 'met' | 'lapsed' | 'cancelled' }[] },
): Promise<void> {
  for (const deadline of input.open) {
    await db.query(
      `INSERT INTO deadlines (id, contract_id, kind, due_at, explanation, explanation_en, status, workflow_id, calendar_years, calendar_revisions, provisional, basis)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, COALESCE($8::integer[], '{}'), COALESCE($9::jsonb, '{}'), COALESCE($10, false), $11)
       ON CONFLICT (id) DO UPDATE SET due_at = EXCLUDED.due_at, explanation = EXCLUDED.explanation,
         explanation_en = EXCLUDED.explanation_en, status = 'open', updated_at = now(),
         calendar_years = CASE WHEN $8::integer[] IS NULL THEN deadlines.calendar_years ELSE EXCLUDED.calendar_years END,
         calendar_revisions = EXCLUDED.calendar_revisions, provisional = EXCLUDED.provisional, basis = EXCLUDED.basis`,
      [
        deadlineRowId(input.workflowId, deadline),
        input.contractId,
        deadline.kind,
        deadline.dueAt,
        deadline.explanation,
        deadline.explanationEn,
        input.workflowId,
        deadline.calendarYears ?? null,
        deadline.calendarRevisions ? JSON.stringify(deadline.calendarRevisions) : null,
        deadline.provisional ?? null,
        deadline.basis ? JSON.stringify(deadline.basis) : null,
      ],
    );
  }
  for (const closed of input.closed) {
    await db.query(`UPDATE deadlines SET status = $2, updated_at = now() WHERE id = $1`, [deadlineRowId(input.workflowId, closed), closed.status]);
  }
}

export async function listOpenDeadlines(db: Queryable, contractId: string): Promise<(DeadlineState & { workflowId: string })[]> {
  const { rows } = await db.query(
    `SELECT kind, id, due_at, explanation, explanation_en, workflow_id, provisional FROM deadlines WHERE contract_id = $1 AND status = 'open' ORDER BY due_at`,
    [contractId],
  );
  return rows.map((row) => ({
    workflowId: row.workflow_id as string,
    kind: row.kind,
    ref: (row.id as string).split(':').slice(2).join(':'),
    dueAt: (row.due_at as Date).toISOString(),
    explanation: row.explanation,
    explanationEn: row.explanation_en,
    provisional: row.provisional,
  }));
}
