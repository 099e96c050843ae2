import type { Actor, DeadlineState } from '../domain/contract';
import { appendAudit } from '../db/audit';
import { syncDeadlines } from '../db/deadlines';
import type { ActivityDeps } from './deps';

export type OpenBreachCaseInput = {
  caseId: string;
  contractId: string;
  servedBy: 'A' | 'B';
  clause: string;
  description: string;
  servedAt: string;
  cure: DeadlineState;
  source: string;
  actor: Actor;
};

export function createCaseActivities({ db }: ActivityDeps) {
  return {
    /** Opens (once) a breach case with its cure deadline; the id comes from what opened it. */
    async openBreachCase(input: OpenBreachCaseInput): Promise<{ opened: boolean }> {
      return db.withTransaction(async (tx) => {
        const { rowCount } = await tx.query(
          `INSERT INTO legal_cases (id, kind, contract_id, status, served_by, clause, description, opened_at, due_at, due_explanation, opened_by, workflow_id, data)
           VALUES ($1, 'breach', $2, 'served', $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
          [
            input.caseId, input.contractId, input.servedBy, input.clause, input.description, input.servedAt, input.cure.dueAt,
            input.cure.explanation, input.actor.id, `breach-${input.caseId}`, JSON.stringify({ source: input.source }),
          ],
        );
        if (rowCount !== 1) return { opened: false };
        await tx.query(`INSERT INTO case_events (case_id, type, actor_id, data, dedupe_key) VALUES ($1, 'served', $2, $3, $4) ON CONFLICT DO NOTHING`, [
          input.caseId,
          input.actor.id,
          JSON.stringify({ servedBy: input.servedBy, clause: input.clause, cureDueAt: input.cure.dueAt }),
          `${input.caseId}:served`,
        ]);
        await syncDeadlines(tx, { workflowId: `breach-${input.caseId}`, contractId: input.contractId, open: [input.cure], closed: [] });
        await appendAudit(tx, {
          type: 'case.opened',
          contractId: input.contractId,
          actor: input.actor,
          after: { caseId: input.caseId, kind: 'breach', status: 'served' },
          data: { source: input.source, clause: input.clause },
        });
        return { opened: true };
      });
    },
  };
}
