/**
 * Art.6 §1 of the reference contract: the term, 3 years from the day both
 * parties signed and sealed the contract, each renewal one year more. One run
 * of the lifecycle serves one term: the objection period and the renewal
 * alerts (renewal.ts), the wait for the term's end, then the contract renews
 * (renewal.ts, continuing as new) or expires (after a party objected, or when
 * it does not renew by its terms). A termination or a freeze ends it early
 * (ending.ts).
 */
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import { reminderStillDue } from '../../domain/catch-up';
import { SYSTEM_ACTOR } from '../../domain/contract';
import { renewedTermEnd } from '../../domain/lifecycle';
import { PARTY_LABELS } from '../../domain/terms';
import { acts } from '../activity-proxies';
import { reminderInstants, waitUntil } from '../shared';
import { endContract } from './ending';
import { issueRenewalNotice, openObjectionPeriod, renew, renews, sendRenewalAlert, type Term } from './renewal';
import type { ContractRun } from './state';

/** The term of an active contract, to its end (or an early one). */
export async function runTerm(contract: ContractRun): Promise<void> {
  const { state, version } = contract;
  if (state.status !== 'active' || !state.termEndsAt) return;
  await contract.syncDeadlines();
  // contracts that went active before renewals existed keep their recorded history
  if (!version.termRenewal()) {
    await waitUntil(() => state.status !== 'active', state.termEndsAt);
    return;
  }

  const term: Term = { endsAt: state.termEndsAt, ref: state.termEndsAt.slice(0, 10) };
  if (renews(state) && Date.now() < Date.parse(term.endsAt)) await openObjectionPeriod(contract, term);

  const alerts = reminderInstants(term.endsAt, state.terms.term.renewalAlertDaysBefore, Date.now());
  for (const [i, alert] of alerts.entries()) {
    if (await waitUntil(contract.interrupted, alert.at)) break;
    const key = `${term.ref}:${alert.daysBefore}`;
    if (!renews(state) || state.renewalAlertsSent.includes(key)) continue;
    // woken late: only the last alert missed, and none once the term has ended
    if (version.catchUp && !reminderStillDue(alerts.map((a) => a.at), i, Date.parse(term.endsAt), Date.now())) continue;
    state.renewalAlertsSent.push(key);
    const next = renewedTermEnd(term.endsAt, state.terms.term.renewalYears);
    await issueRenewalNotice(contract, term, alert, key, next);
    await sendRenewalAlert(contract, term, alert, key, next);
  }

  if ((await serveTerm(contract, term)) === 'ended early') return;
  await condition(allHandlersFinished);
  if (!renews(state)) return expire(contract, term);
  return renew(contract, term);
}

/** Waits for the term's end; a freeze ends the contract at once, a termination on its date (unless a freeze comes first). */
async function serveTerm(contract: ContractRun, term: Term): Promise<'served' | 'ended early'> {
  const { state } = contract;
  for (;;) {
    // a long wait for the term end: start a fresh history first if the server suggests it
    if (workflowInfo().continueAsNewSuggested && !contract.interrupted()) await contract.continueAsNew();
    await waitUntil(contract.interrupted, term.endsAt);
    if (!contract.interrupted()) return 'served';
    if (state.freeze) {
      await endContract(contract, 'frozen', `content violation ${state.freeze.caseId}: ${state.freeze.reason}`, state.freeze.actor);
      return 'ended early';
    }
    // a termination takes effect on its date, unless a freeze comes first
    const termination = state.termination!;
    if (await waitUntil(() => state.freeze !== null, termination.effectiveAt)) continue;
    await endContract(contract, 'terminated', termination.reason, termination.actor, termination.effectiveAt);
    return 'ended early';
  }
}

/** The term ended and the contract does not renew: it expires, and Party A is told (with the expiry notice after an objection). */
async function expire(contract: ContractRun, term: Term): Promise<void> {
  const { state } = contract;
  state.status = 'expired';
  contract.book.closeAll((d) => (d.kind === 'term_end' ? 'met' : 'cancelled'));
  await acts.changeStatus({
    contractId: state.contractId,
    from: ['active'],
    to: 'expired',
    actor: SYSTEM_ACTOR,
    reason: state.objection ? `${PARTY_LABELS[state.objection.party]} objected to renewal: ${state.objection.reason}` : 'the contract does not renew automatically',
  });
  if (state.objection) {
    await acts.produceLifecycleDocument({ kind: 'expiry_notice', contractId: state.contractId, ref: term.ref, expiredAt: term.endsAt, objection: { party: state.objection.party, reason: state.objection.reason } });
  }
  await contract.syncDeadlines();
  await acts.notify({
    id: `${contract.workflowId}:expired:${term.ref}`,
    contractId: state.contractId,
    audiences: ['party_a_contact', 'party_b_contact', 'owner'],
    reason: 'contract_expired',
    subject: `合同 ${state.number} 已到期终止`,
    body: `合同 ${state.number} 于 ${term.ref} 24:00 期限届满${state.objection ? `，因${PARTY_LABELS[state.objection.party]}提出异议不再顺延` : ''}。`,
    sms: { template: 'contract_expired', termEndsAt: term.endsAt },
  });
}
