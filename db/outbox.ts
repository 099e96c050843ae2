/**
 * Workflow starts owed for committed rows (transactional outbox), keyed by
 * the workflow id, naming the workflow type and its arguments.
 */
import type { Queryable } from './pool';

export type OutboxEntry = { workflowId: string; workflow: string; args: unknown[]; attempts: number };

export async function enqueueWorkflowStart(db: Queryable, entry: { workflowId: string; workflow: string; args: unknown[] }): Promise<void> {
  await db.query('INSERT INTO workflow_outbox (workflow_id, workflow, args) VALUES ($1, $2, $3) ON CONFLICT (workflow_id) DO NOTHING', [
    entry.workflowId,
    entry.workflow,
    JSON.stringify(entry.args),
  ]);
}

export async function completeWorkflowStart(db: Queryable, workflowId: string): Promise<void> {
  await db.query('DELETE FROM workflow_outbox WHERE workflow_id = $1', [workflowId]);
}

export async function recordWorkflowStartFailure(db: Queryable, workflowId: string, error: string): Promise<void> {
  await db.query('UPDATE workflow_outbox SET attempts = attempts + 1, last_error = $2 WHERE workflow_id = $1', [workflowId, error.slice(0, 500)]);
}

/** The start still owed for this workflow id, if one is. */
export async function findOwedWorkflowStart(db: Queryable, workflowId: string): Promise<OutboxEntry | null> {
  const { rows } = await db.query('SELECT workflow_id, workflow, args, attempts FROM workflow_outbox WHERE workflow_id = $1', [workflowId]);
  const row = rows[0];
  return row ? { workflowId: row.workflow_id, workflow: row.workflow, args: row.args, attempts: row.attempts } : null;
}

/** Entries older than `olderThanMs` (younger ones are still being started by their request). */
export async function listPendingWorkflowStarts(db: Queryable, olderThanMs: number, limit = 100): Promise<OutboxEntry[]> {
  const { rows } = await db.query(
    `SELECT workflow_id, workflow, args, attempts FROM workflow_outbox
      WHERE created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2`,
    [olderThanMs / 1000, limit],
  );
  return rows.map((row) => ({ workflowId: row.workflow_id, workflow: row.workflow, args: row.args, attempts: row.attempts }));
}
