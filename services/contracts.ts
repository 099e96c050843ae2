/**
 * Creating a contract: the row, its audit event and the owed workflow start
 * commit together; the start happens right after (after the response where
 * the process starts that way: services/workflow-starts.ts), and a sweeper
 * retries any start that did not happen (a crash between the two). So there
 * is never a workflow without a row, and a row is never left without its
 * workflow.
 */
import { randomUUID } from 'node:crypto';
import { contractWorkflowId, type Actor } from '../domain/contract';
import type { ContractTerms } from '../domain/terms';
import { appendAudit } from '../db/audit';
import { findContractByIdempotencyKey, insertContract, type ContractRow } from '../db/contracts';
import { contractLifecycle, type ContractLifecycleInput } from '../workflows/contract-lifecycle';
import { organisationOfTerms, withOrganisationOpen } from './organisations';
import { oweStart, startOwedSoon, type WorkflowStartDeps } from './workflow-starts';

export type CreateContractInput = { terms: ContractTerms; ownerId: string; idempotencyKey: string | null; actor: Actor };

export async function createContract(
  deps: WorkflowStartDeps,
  input: CreateContractInput,
): Promise<{ contract: ContractRow; created: boolean }> {
  if (input.idempotencyKey) {
    const existing = await findContractByIdempotencyKey(deps.db, input.ownerId, input.idempotencyKey);
    if (existing) return { contract: existing, created: false };
  }
  const id = randomUUID();
  const workflowId = contractWorkflowId(id);
  // an organisation frozen for a content violation never opens again: checked under its lock, with the insert (services/organisations.ts)
  const inserted = await withOrganisationOpen(deps.db, organisationOfTerms(input.terms), 'no new contract can be made with it', async (tx) => {
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
        partyACreditCode: row.partyACreditCode,
        yearlyFeeFen: row.terms.package.yearlyFeeFen,
        totalFen: row.terms.payment.totalFen,
        years: row.terms.term.years,
      },
    });
    const owed = await oweStart(tx, contractLifecycle, { workflowId, args: [lifecycleInputOf(row)] });
    return { row, owed };
  });
  if (!inserted) {
    // a concurrent request with the same idempotency key won the insert
    const existing = await findContractByIdempotencyKey(deps.db, input.ownerId, input.idempotencyKey!);
    if (!existing) throw new Error('contract insert conflicted but no contract holds the idempotency key');
    return { contract: existing, created: false };
  }
  await startOwedSoon(deps, inserted.owed);
  return { contract: inserted.row, created: true };
}

const lifecycleInputOf = (row: ContractRow): ContractLifecycleInput => ({
  contractId: row.id,
  number: row.number,
  ownerId: row.ownerId,
  createdAt: row.createdAt,
  terms: row.terms,
});
