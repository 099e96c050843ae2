/**
 * Creating a contract: the row, its audit event and the owed workflow start
 * commit together; the start happens right after, and a sweeper retries any
 * start that did not happen (a crash between the two). So there is never a
 * workflow without a row, and a row is never left without its workflow.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { contractWorkflowId, type Actor } from '../domain/contract';
import type { ContractTerms } from '../domain/terms';
import { appendAudit } from '../db/audit';
import { findContractByIdempotencyKey, insertContract, markWorkflowStarted, type ContractRow } from '../db/contracts';
import {
  completeWorkflowStart,
  enqueueWorkflowStart,
  listPendingWorkflowStarts,
  recordWorkflowStartFailure,
  type OutboxEntry,
} from '../db/outbox';
import type { Db } from '../db/pool';
import type { Logger } from '../platform/logger';
import { WorkflowExecutionAlreadyStartedError } from '../platform/temporal';
import type { ContractLifecycleInput } from '../workflows/contract-lifecycle';

export type WorkflowStarterDeps = { db: Db; temporal: Client; taskQueue: string; logger: Logger };

export type CreateContractInput = { terms: ContractTerms; ownerId: string; idempotencyKey: string | null; actor: Actor };

export async function createContract(
  deps: WorkflowStarterDeps,
  input: CreateContractInput,
): Promise<{ contract: ContractRow; created: boolean }> {
  if (input.idempotencyKey) {
    const existing = await findContractByIdempotencyKey(deps.db, input.ownerId, input.idempotencyKey);
    if (existing) return { contract: existing, created: false };
  }
  const id = randomUUID();
  const workflowId = contractWorkflowId(id);
  const inserted = await deps.db.withTransaction(async (tx) => {
    const row = await insertContract(tx, { id, ownerId: input.ownerId, terms: input.terms, workflowId, idempotencyKey: input.idempotencyKey });
    if (!row) return null;
    await appendAudit(tx, {
      type: 'contract.created',
      contractId: row.id,
      actor: input.actor,
      before: null,
      after: { status: row.status, number: row.number },
      data: {
        title: row.terms.title,
        partyA: row.terms.partyA.name,
        yearlyFeeFen: row.terms.package.yearlyFeeFen,
        totalFen: row.terms.payment.totalFen,
        years: row.terms.term.years,
      },
    });
    await enqueueWorkflowStart(tx, { workflowId, workflow: 'contractLifecycle', input: lifecycleInputOf(row) });
    return row;
  });
  if (!inserted) {
    // a concurrent request with the same idempotency key won the insert
    const existing = await findContractByIdempotencyKey(deps.db, input.ownerId, input.idempotencyKey!);
    if (!existing) throw new Error('contract insert conflicted but no contract holds the idempotency key');
    return { contract: existing, created: false };
  }
  await startOwedWorkflow(deps, { workflowId, workflow: 'contractLifecycle', input: lifecycleInputOf(inserted), attempts: 0 });
  return { contract: inserted, created: true };
}

const lifecycleInputOf = (row: ContractRow): ContractLifecycleInput => ({
  contractId: row.id,
  number: row.number,
  ownerId: row.ownerId,
  createdAt: row.createdAt,
  terms: row.terms,
});

export async function startOwedWorkflow(deps: WorkflowStarterDeps, entry: OutboxEntry): Promise<boolean> {
  const input = entry.input as ContractLifecycleInput;
  try {
    await deps.temporal.workflow.start(entry.workflow, {
      workflowId: entry.workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      deps.logger.warn({ workflowId: entry.workflowId, err: (error as Error).message }, 'workflow start failed; the sweeper will retry');
      await recordWorkflowStartFailure(deps.db, entry.workflowId, (error as Error).message).catch(() => undefined);
      return false;
    }
  }
  await deps.db.withTransaction(async (tx) => {
    await markWorkflowStarted(tx, input.contractId);
    await completeWorkflowStart(tx, entry.workflowId);
  });
  return true;
}

/** Starts every workflow still owed (older than `graceMs`); returns how many were started. */
export async function startOwedWorkflows(deps: WorkflowStarterDeps, graceMs = 5_000): Promise<number> {
  let started = 0;
  for (const entry of await listPendingWorkflowStarts(deps.db, graceMs)) {
    if (await startOwedWorkflow(deps, entry)) started += 1;
  }
  return started;
}
