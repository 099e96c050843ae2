/**
 * The read model of deadlines held by workflows.
 */
import type { DeadlineState } from '../domain/contract';
import type { Queryable } from './pool';

export const deadlineRowId = (workflowId: string, deadline: { kind: string; ref: string }) => `${workflowId}:${deadline.kind}:${deadline.ref}`;

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
      `INSERT INTO deadlines (id, contract_id, kind, due_at, explanation, explanation_en, status, workflow_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)
       ON CONFLICT (id) DO UPDATE SET due_at = EXCLUDED.due_at, explanation = EXCLUDED.explanation,
         explanation_en = EXCLUDED.explanation_en, status = 'open', updated_at = now()`,
      [deadlineRowId(input.workflowId, deadline), input.contractId, deadline.kind, deadline.dueAt, deadline.explanation, deadline.explanationEn, input.workflowId],
    );
  }
  for (const closed of input.closed) {
    await db.query(`UPDATE deadlines SET status = $2, updated_at = now() WHERE id = $1`, [deadlineRowId(input.workflowId, closed), closed.status]);
  }
}

export async function listOpenDeadlines(db: Queryable, contractId: string): Promise<(DeadlineState & { workflowId: string })[]> {
  const { rows } = await db.query(
    `SELECT kind, id, due_at, explanation, explanation_en, workflow_id FROM deadlines WHERE contract_id = $1 AND status = 'open' ORDER BY due_at`,
    [contractId],
  );
  return rows.map((row) => ({
    workflowId: row.workflow_id as string,
    kind: row.kind,
    ref: (row.id as string).split(':').slice(2).join(':'),
    dueAt: (row.due_at as Date).toISOString(),
    explanation: row.explanation,
    explanationEn: row.explanation_en,
  }));
}
