/**
 * How a contract ends before its term does. Art.8 §5 of the reference
 * contract: a confirmed content violation freezes the account for good (the
 * violation workflow signals it; the rest of the package is forfeited, no
 * re-application). Art.4 §4, §9 and Art.5 §10: Party B may end the
 * cooperation (a termination, recorded by legal with its effective date).
 * Either way every open deadline is cancelled and the contract's payment
 * workflows with it.
 */
import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../../domain/contract';
import { acts } from '../activity-proxies';
import { freezeContractSignal, terminateContractUpdate, type TerminateContractInput } from '../messages/contract-lifecycle';
import { refuse } from '../refusals';
import { nowIso } from '../shared';
import type { ContractRun } from './state';

/** A termination (takes effect on its date, within the term) and a freeze (at once): the term ends early (term.ts). */
export function handleTermination(contract: ContractRun): void {
  const { state } = contract;
  setHandler(
    terminateContractUpdate,
    async (request) => {
      state.termination = { reason: request.reason, effectiveAt: new Date(request.effectiveAt).toISOString(), actor: request.actor };
      return contract.view();
    },
    {
      validator: (request: TerminateContractInput) => {
        contract.requireInTerm('termination');
        if (Date.parse(request.effectiveAt) > Date.parse(state.termEndsAt!)) {
          throw refuse('termination.after_term_end', { termEndsAt: state.termEndsAt! }, `the effective date must not be after the term end (${state.termEndsAt})`);
        }
      },
    },
  );

  setHandler(freezeContractSignal, (request) => {
    if (state.status === 'active') state.freeze ??= request;
  });
}

/** Ends the contract: terminated on its effective date, or frozen. */
export async function endContract(contract: ContractRun, status: 'terminated' | 'frozen', reason: string, actor: Actor, effectiveAt = nowIso()): Promise<void> {
  const { state } = contract;
  state.status = status;
  contract.book.closeAll('cancelled');
  await acts.cancelWorkflows({ workflowIds: state.children });
  if (status === 'terminated') {
    await acts.recordTermination({ contractId: state.contractId, reason, effectiveAt, actor });
  } else {
    await acts.changeStatus({ contractId: state.contractId, from: ['active'], to: 'frozen', actor, reason });
  }
  await contract.syncDeadlines();
  await acts.notify({
    id: `${contract.workflowId}:${status}`,
    contractId: state.contractId,
    audiences: ['party_a_contact', 'party_b_contact', 'owner', 'legal'],
    reason: `contract_${status}`,
    subject: status === 'terminated' ? `合同 ${state.number} 已解除` : `合同 ${state.number} 账号已永久冻结`,
    body: status === 'terminated' ? `合同 ${state.number} 自 ${effectiveAt} 起解除：${reason}` : `因违规内容，账号永久冻结，剩余套餐作废且不可重新申请开通：${reason}`,
    sms: status === 'terminated' ? { template: 'contract_terminated', effectiveAt } : { template: 'contract_frozen' },
  });
}
