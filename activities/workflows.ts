import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { STARTABLE, startWorkflow } from '../services/workflow-starts';
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
      // the workflow names what it starts (it cannot pass a function); the starter holds the reference
      const started = await startWorkflow(client(), Context.current().info.taskQueue, STARTABLE[input.workflow], {
        workflowId: input.workflowId,
        args: input.args as Parameters<(typeof STARTABLE)[typeof input.workflow]>,
      });
      return { started };
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
