/**
 * The contract lifecycle (workflow id `contract-<id>`), in the order of the
 * reference contract's life:
 *
 *   signing     lifecycle/signing.ts      Art.6 §1, Art.11 §1: signed and sealed by both parties, or lapsed
 *   activation  lifecycle/activation.ts   Art.3 §4: the signed copy, the first invoice (payments.ts)
 *   delivery    lifecycle/delivery.ts     Art.3 §3: the delivery form, Party A's confirmation beside the term
 *   term        lifecycle/term.ts         Art.6 §1: the term and its end
 *   renewal     lifecycle/renewal.ts      Art.6 §1: objections, renewal notices, automatic renewal
 *   ending      lifecycle/ending.ts       Art.4, Art.5 §10, Art.8 §5: terminated or frozen early
 *
 * and what may happen during the term: top-ups (lifecycle/payments.ts,
 * Art.3 §5) and supplemental agreements (lifecycle/amendments.ts, Art.6 §2).
 * Every deadline is a durable timer; every human action is an update
 * validated before it enters history (messages: workflows/messages/contract-lifecycle.ts).
 * The phases share one ContractRun (lifecycle/state.ts), whose note on the
 * order of commands explains how the phases hand over.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import type { PaymentRecord } from '../domain/billing';
import type { SignatureRecord } from '../domain/contract';
import type { ContractTerms, PartyCode } from '../domain/terms';
import { acts } from './activity-proxies';
import { calendarYearAt, LegalCalendar } from './calendar';
import { activate, enterImported } from './lifecycle/activation';
import { handleAmendments } from './lifecycle/amendments';
import { deliveryAwaited, handleDeliveryConfirmation, watchDelivery } from './lifecycle/delivery';
import { handleTermination } from './lifecycle/ending';
import { handleTopUps } from './lifecycle/payments';
import { handleRenewalObjections } from './lifecycle/renewal';
import { handleSignatures, handleSigningCalendar, runSigning } from './lifecycle/signing';
import { ContractRun, type LifecycleState } from './lifecycle/state';
import { runTerm } from './lifecycle/term';
import { getContractStateQuery, type ContractStateView } from './messages/contract-lifecycle';
import { getDeadlinesQuery } from './messages/deadlines';
import { lifecycleVersion } from './versions';

export type ContractLifecycleInput = {
  contractId: string;
  number: string;
  ownerId: string;
  createdAt: string;
  terms: ContractTerms;
  /** a contract brought in from the existing contract book: it starts in force, where it stands */
  imported?: ImportedContractInput;
  /** set when the workflow continues as new */
  state?: LifecycleState;
};

/** What the import recorded (services/contract-imports.ts): the workflow holds what lies ahead and sends nothing of the past. */
export type ImportedContractInput = {
  importedAt: string;
  signatures: SignatureRecord[];
  renewals: number;
  objection: { party: PartyCode; reason: string; at: string } | null;
  /** the invoices not fully paid at the import: each gets its payment workflow now */
  unpaid: { invoiceNumber: string; kind: 'initial_term' | 'renewal'; periodLabel: string; amountFen: number; trigger: string; payments: PaymentRecord[] }[];
  /** the one overdue reminder a person chose to send Party A at the import */
  overdueReminder: { invoices: string[] } | null;
};

export async function contractLifecycle(input: ContractLifecycleInput): Promise<ContractStateView> {
  // first, before any await: which code this run follows (workflows/versions.ts)
  const version = lifecycleVersion();
  const contract = new ContractRun(input, version);
  const { state } = contract;
  if (input.imported && !input.state) enterImported(contract, input.imported);

  // Its messages, registered before the first await. Keep this order: messages that
  // arrived with the start are handled in the order their handlers are registered.
  setHandler(getContractStateQuery, contract.view);
  setHandler(getDeadlinesQuery, () => contract.book.open);
  handleTopUps(contract);
  handleSignatures(contract);
  handleRenewalObjections(contract);
  handleTermination(contract);
  handleAmendments(contract);
  handleSigningCalendar(contract);
  handleDeliveryConfirmation(contract);

  // The calendar its periods are counted with, and the contract to sign.
  if (version.calendarYears) {
    if (state.status === 'awaiting_signatures') contract.legal = new LegalCalendar(await contract.bookkeeping.loadCalendar({ centreYear: calendarYearAt(state.createdAt) }));
  } else if (state.holidayOverrides.length === 0) {
    state.holidayOverrides = await contract.bookkeeping.loadHolidayOverrides();
    contract.legal = new LegalCalendar(null, state.holidayOverrides);
  }
  if (!state.documents.contract) {
    state.documents.contract = (await acts.produceDocument({ kind: 'contract', contractId: state.contractId })).id;
  }

  if (state.status === 'awaiting_signatures' && (await runSigning(contract)) === 'lapsed') return contract.view();
  // a continued run: the delivery form's confirmation, still awaited, is awaited on beside the term
  if (version.deliveryConfirmation && state.activationHandled && deliveryAwaited(state)) watchDelivery(contract);
  if (state.status === 'active') await (state.activationHandled ? runTerm(contract) : activate(contract, runTerm));

  await condition(allHandlersFinished);
  return contract.view();
}
