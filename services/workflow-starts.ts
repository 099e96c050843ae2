/**
 * A workflow start owed for committed rows (the outbox entry was written in
 * their transaction): made right after the commit; a failure is logged and
 * left to the API's sweeper, and a start that already happened (a retry, a
 * duplicate request) is not an error.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { completeWorkflowStart, recordWorkflowStartFailure } from '../db/outbox';
import type { Db } from '../db/pool';
import type { Logger } from '../platform/logger';

export type WorkflowStartDeps = { db: Db; temporal: Client; taskQueue: string; logger: Logger };
export type OwedStart = { workflowId: string; workflow: string; input: unknown };

/** Starts the owed workflow now; true when it runs (started by this call or before). */
export async function startOwed(deps: WorkflowStartDeps, owed: OwedStart): Promise<boolean> {
  try {
    await deps.temporal.workflow.start(owed.workflow, {
      workflowId: owed.workflowId,
      taskQueue: deps.taskQueue,
      args: [owed.input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      deps.logger.warn({ workflowId: owed.workflowId, err: (error as Error).message }, 'workflow start failed; the sweeper will retry');
      await recordWorkflowStartFailure(deps.db, owed.workflowId, (error as Error).message).catch(() => undefined);
      return false;
    }
  }
  await completeWorkflowStart(deps.db, owed.workflowId);
  return true;
}
