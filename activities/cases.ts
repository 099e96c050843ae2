import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Actor, DeadlineState } from '../domain/contract';
import { breachWorkflowId } from '../domain/legal';
import { findContract } from '../db/contracts';
import { listHolidayOverrides, openCase } from '../db/legal';
import type { BreachCaseInput } from '../workflows/breach-case';
import type { ActivityDeps } from './deps';
import { startCaseWorkflow } from './legal';

/** Non-payment cases are named after their invoice (workflows/payment-deadline.ts). */
const NON_PAYMENT_PREFIX = 'nonpayment-';

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

export function createCaseActivities({ db, temporal }: ActivityDeps) {
  return {
    /**
     * Opens (once) a breach case with its cure deadline, and starts its
     * workflow breach-<caseId> (once): the id comes from what opened it, so a
     * retry after a crash between the two finds the row and starts the
     * workflow it still lacks.
     */
    async openBreachCase(input: OpenBreachCaseInput): Promise<{ opened: boolean; workflowStarted: boolean }> {
      const workflowId = breachWorkflowId(input.caseId);
      const opened = await db.withTransaction((tx) =>
        openCase(tx, {
          id: input.caseId,
          kind: 'breach',
          contractId: input.contractId,
          status: 'served',
          servedBy: input.servedBy,
          clause: input.clause,
          description: input.description,
          openedAt: input.servedAt,
          actor: input.actor,
          due: { kind: 'cure', dueAt: input.cure.dueAt, explanation: input.cure.explanation },
          workflowId,
          data: { source: input.source },
          event: { type: 'served', data: { servedBy: input.servedBy, clause: input.clause, cureDueAt: input.cure.dueAt } },
          deadlines: { open: [input.cure], closed: [] },
          audit: { data: { source: input.source } },
        }),
      );
      const contract = await findContract(db, input.contractId);
      if (!contract) throw ApplicationFailure.nonRetryable(`contract ${input.contractId} not found`, 'NOT_FOUND');
      const workflowInput: BreachCaseInput = {
        caseId: input.caseId,
        contractId: input.contractId,
        contractNumber: contract.number,
        servedBy: input.servedBy,
        clause: input.clause,
        description: input.description,
        servedAt: input.servedAt,
        cure: input.cure,
        negotiationDays: contract.terms.legal.negotiationDays,
        disputeVenue: contract.terms.legal.disputeVenue,
        holidayOverrides: await listHolidayOverrides(db),
        source: input.source,
        actor: input.actor,
        invoiceNumber: input.caseId.startsWith(NON_PAYMENT_PREFIX) ? input.caseId.slice(NON_PAYMENT_PREFIX.length) : undefined,
      };
      const workflowStarted = await startCaseWorkflow(temporal, {
        workflow: 'breachCase',
        workflowId,
        taskQueue: Context.current().info.taskQueue,
        args: [workflowInput],
      });
      return { opened, workflowStarted };
    },
  };
}
