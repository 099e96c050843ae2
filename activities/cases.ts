import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Actor, DeadlineState } from '../domain/contract';
import { findContract } from '../db/contracts';
import { createLogger } from '../platform/logger';
import { openBreachCase } from '../services/cases';
import type { ActivityDeps } from './deps';

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

export function createCaseActivities({ db, temporal, logger }: ActivityDeps) {
  return {
    /**
     * Opens (once) a non-payment breach case with its cure deadline, and
     * starts its workflow breach-<caseId> (services/cases.ts openBreachCase,
     * the same door as a notice served through the API): the id comes from
     * what opened it, so a retry after a crash finds the case and makes only
     * the start it still owes.
     */
    async openBreachCase(input: OpenBreachCaseInput): Promise<{ opened: boolean; workflowStarted: boolean }> {
      const contract = await findContract(db, input.contractId);
      if (!contract) throw ApplicationFailure.nonRetryable(`contract ${input.contractId} not found`, 'NOT_FOUND');
      if (!temporal) throw new Error('this worker has no Temporal client to start the breach case with');
      const { opened, start } = await openBreachCase(
        { db, temporal, logger: logger ?? createLogger(), taskQueue: Context.current().info.taskQueue },
        {
          caseId: input.caseId,
          contract,
          servedBy: input.servedBy,
          clause: input.clause,
          description: input.description,
          servedAt: input.servedAt,
          cure: input.cure,
          negotiationDays: contract.terms.legal.negotiationDays,
          source: input.source,
          actor: input.actor,
          invoiceNumber: input.caseId.startsWith(NON_PAYMENT_PREFIX) ? input.caseId.slice(NON_PAYMENT_PREFIX.length) : undefined,
          caseData: { source: input.source },
          auditData: { source: input.source },
        },
      );
      // a start that failed is owed in the outbox; the activity's retry makes it rather than waiting for the API's sweeper
      if (start === 'owed') throw new Error(`the breach case ${input.caseId} is open but its workflow could not be started yet`);
      return { opened, workflowStarted: start === 'started' };
    },
  };
}
