import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { ActivityDeps } from './deps';

/**
 * Starting and cancelling the workflows a contract spawns (payment deadlines,
 * cases). They are started from activities, not as child workflows: they
 * outlive the lifecycle's runs (continue-as-new), and their ids are business
 * ids, so a retried start finds the one already running.
 */
export function createWorkflowActivities({ temporal }: ActivityDeps) {
  const client = () => {
    if (!temporal) throw new Error('this worker has no Temporal client to start workflows with');
    return temporal;
  };
  return {
    async startWorkflow(input: { workflow: 'paymentDeadline'; workflowId: string; args: unknown[] }): Promise<{ started: boolean }> {
      try {
        await client().workflow.start(input.workflow, {
          workflowId: input.workflowId,
          taskQueue: Context.current().info.taskQueue,
          args: input.args,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        return { started: true };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
        throw error;
      }
    },

    async cancelWorkflows(input: { workflowIds: string[] }): Promise<{ cancelled: string[] }> {
      const cancelled: string[] = [];
      for (const id of input.workflowIds) {
        try {
          const handle = client().workflow.getHandle(id);
          const { status } = await handle.describe();
          if (status.name === 'RUNNING') {
            await handle.cancel();
            cancelled.push(id);
          }
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return { cancelled };
    },
  };
}
