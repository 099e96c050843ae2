/**
 * The contract a route acts on: named by its path, loaded once, and checked
 * against the policy (api/policy.ts) before anything of the request is read.
 * The handler receives it as `ctx.contract`; a contract the caller may not
 * see is a 404, whatever they send.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { findContract, type ContractRow } from '../db/contracts';
import type { User } from '../db/users';
import { assertContractAccess } from './auth';
import { ensureOwedStarted } from '../services/workflow-starts';
import { workflowStartDeps, type AppDeps } from './deps';
import { notFound } from './errors';
import type { RouteDef } from './http';
import type { ContractAction } from './policy';

const ZContractId = z.uuid({ error: 'is not a contract id' });

export async function loadContract(deps: AppDeps, user: User, rawId: string | undefined, action: ContractAction = 'read'): Promise<ContractRow> {
  const id = ZContractId.safeParse(rawId);
  if (!id.success) throw notFound('contract');
  const contract = await findContract(deps.db, id.data);
  if (!contract) throw notFound('contract');
  assertContractAccess(user, contract, action);
  return contract;
}

/**
 * The contract's lifecycle workflow, for an update: a contract whose creation
 * answered before its workflow started (api/main.ts starts after the
 * response) has its owed start made first, so a signature sent the moment
 * the contract exists never finds no workflow.
 */
export async function lifecycleHandle(deps: AppDeps, contract: ContractRow): Promise<WorkflowHandle> {
  if (contract.workflowStartedAt === null) await ensureOwedStarted(workflowStartDeps(deps), contract.workflowId);
  return deps.temporal.workflow.getHandle(contract.workflowId);
}

/** Refuses the request unless the policy lets the caller do the route's action to the contract its path names; keeps the contract for the handler. */
export function contractGate(deps: AppDeps, spec: NonNullable<RouteDef['contract']>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const id = req.params[spec.param];
    res.locals.contract = await loadContract(deps, res.locals.user, typeof id === 'string' ? id : undefined, spec.action);
    next();
  };
}

/** The gated contract of this request; a route without a contract gate has none. */
export function gatedContract(res: Response, path: string): ContractRow {
  const contract = res.locals.contract as ContractRow | undefined;
  if (!contract) throw new Error(`route ${path} reads ctx.contract but declares no \`contract\` gate`);
  return contract;
}
