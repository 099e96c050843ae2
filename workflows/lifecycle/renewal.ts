/**
 * Art.6 §1 of the reference contract, its second sentence: at the end of the
 * term, absent an objection, the contract renews by one year (and again each
 * year). Until the term ends either party may object in writing; before it
 * ends Party A gets renewal notices; at the end the contract renews: the
 * renewal year is invoiced (Art.3 §4, payments.ts), the new term end becomes
 * the deadline, and the lifecycle continues as new for the next term.
 */
import { setHandler } from '@temporalio/workflow';
import { invoiceNumber } from '../../domain/billing';
import { renewalFeeFen, renewalLabel, renewedTermEnd } from '../../domain/lifecycle';
import type { Deadline } from '../../domain/periods';
import { PARTY_LABELS } from '../../domain/terms';
import { acts } from '../activity-proxies';
import { objectToRenewalUpdate, type ObjectToRenewalInput } from '../messages/contract-lifecycle';
import { refuse } from '../refusals';
import { nowIso } from '../shared';
import { startPayment } from './payments';
import { termEndDeadline, type ContractRun, type LifecycleState } from './state';

/** The term a run serves: its end and the ref of its deadlines (the end's date). */
export type Term = { endsAt: string; ref: string };

/** Whether the contract renews at the end of the term (as things stand). */
export const renews = (state: LifecycleState): boolean => state.terms.term.autoRenew && !state.objection;

/** A party objects to the renewal in writing, before the term ends: the contract will expire. */
export function handleRenewalObjections(contract: ContractRun): void {
  const { state } = contract;
  setHandler(
    objectToRenewalUpdate,
    async (request) => {
      state.objection = { party: request.party, reason: request.reason, at: nowIso() };
      // recorded even where the term never opened the objection period (as the read model has always been told)
      contract.closeDeadline('renewal_objection', state.termEndsAt!.slice(0, 10), 'met');
      await acts.recordRenewalObjection({ contractId: state.contractId, termEndsAt: state.termEndsAt!, party: request.party, reason: request.reason, actor: request.actor });
      return contract.view();
    },
    {
      validator: (request: ObjectToRenewalInput) => {
        contract.requireInTerm('objecting to renewal');
        if (Date.now() >= Date.parse(state.termEndsAt!)) {
          throw refuse('renewal.term_ended', { termEndsAt: state.termEndsAt! }, `the term ended at ${state.termEndsAt}: objections are no longer possible`);
        }
        if (state.objection) {
          throw refuse(
            'renewal.already_objected',
            { party: state.objection.party, at: state.objection.at },
            `${PARTY_LABELS[state.objection.party]} already objected to the renewal on ${state.objection.at}`,
          );
        }
        void request;
      },
    },
  );
}

/** The objection period, as a deadline until the term ends. */
export function openObjectionPeriod(contract: ContractRun, term: Term): Promise<void> {
  const { state } = contract;
  contract.book.put({
    kind: 'renewal_objection',
    ref: term.ref,
    dueAt: term.endsAt,
    explanation: `如有异议，须在合同期限届满（${term.endsAt.slice(0, 10)} 24:00 北京时间前）之前书面提出；无异议则自动顺延 ${state.terms.term.renewalYears} 年。`,
    explanationEn: `A written objection must reach the other party before the term ends; without one the contract renews by ${state.terms.term.renewalYears} year(s).`,
  });
  return contract.syncDeadlines();
}

/** A renewal alert's document: the renewal notice, as of the alert's instant. */
export function issueRenewalNotice(contract: ContractRun, term: Term, alert: { at: number }, key: string, next: Deadline): Promise<unknown> {
  const { state } = contract;
  return acts.produceLifecycleDocument({
    kind: 'renewal_notice',
    contractId: state.contractId,
    ref: key,
    termEndsAt: term.endsAt,
    renewedUntil: next.dueAt,
    renewalFeeFen: renewalFeeFen(state.terms),
    issuedAt: new Date(alert.at).toISOString(),
  });
}

/** A renewal alert's message to Party A and the owner. */
export function sendRenewalAlert(contract: ContractRun, term: Term, alert: { daysBefore: number }, key: string, next: Deadline): Promise<unknown> {
  const { state } = contract;
  return acts.notify({
    id: `${contract.workflowId}:renewal-alert:${key}`,
    contractId: state.contractId,
    audiences: ['party_a_contact', 'owner'],
    reason: 'renewal_alert',
    subject: `合同 ${state.number} 将于 ${alert.daysBefore} 日后到期`,
    body: `合同 ${state.number} 的期限于 ${term.ref} 24:00 届满；如无异议将自动顺延 ${state.terms.term.renewalYears} 年至 ${next.lastDay}。`,
    sms: { template: 'renewal_alert', termEndsAt: term.endsAt, renewedUntil: next.dueAt },
  });
}

/** The term ended without objection: the contract renews, and the lifecycle continues as new for the next term. */
export async function renew(contract: ContractRun, term: Term): Promise<void> {
  const { state, book } = contract;
  state.renewals += 1;
  const next = renewedTermEnd(term.endsAt, state.terms.term.renewalYears);
  const invoice = invoiceNumber(state.number, { kind: 'renewal', renewal: state.renewals });
  await startPayment(contract, {
    invoiceNumber: invoice,
    kind: 'renewal',
    periodLabel: renewalLabel(state.terms, state.renewals),
    amountFen: renewalFeeFen(state.terms),
    trigger: term.endsAt,
  });
  await acts.recordRenewal({ contractId: state.contractId, seq: state.renewals, previousEndAt: term.endsAt, newEndAt: next.dueAt, invoiceNumber: invoice });
  // both recorded, whether or not this run held the objection period (it opens only while the term is still ahead)
  book.record('term_end', term.ref, 'met');
  book.record('renewal_objection', term.ref, 'lapsed');
  book.drop('term_end', term.ref);
  book.drop('renewal_objection', term.ref);
  book.put(termEndDeadline(next));
  state.termEndsAt = next.dueAt;
  state.objection = null;
  state.renewalAlertsSent = [];
  await contract.syncDeadlines();
  await acts.notify({
    id: `${contract.workflowId}:renewed:${state.renewals}`,
    contractId: state.contractId,
    audiences: ['party_a_contact', 'owner'],
    reason: 'contract_renewed',
    subject: `合同 ${state.number} 已自动顺延`,
    body: `合同 ${state.number} 期限届满无异议，自动顺延至 ${next.lastDay} 24:00；续期发票 ${invoice} 已开具。`,
    sms: { template: 'contract_renewed', renewedUntil: next.dueAt, feeFen: renewalFeeFen(state.terms) },
  });
  // a term boundary: start a fresh history carrying only plain JSON state
  await contract.continueAsNew();
}
