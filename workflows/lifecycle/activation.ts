/**
 * Art.6 §1, Art.11 §1, Art.3 §4 and §3 of the reference contract: signed and
 * sealed by both parties, the contract is in force; the signed copy is
 * rendered, Party A is invoiced the first three years (payable within 30 days
 * of signing), everyone is told, and the service is delivered at once: the
 * delivery form awaits Party A's confirmation (delivery.ts). A contract brought in from the existing
 * contract book is in force from the start, where it stands: its unpaid
 * invoices get their payment workflows and nothing of its past is announced.
 */
import { invoiceNumber } from '../../domain/billing';
import { OVERDUE_REMINDER_AT_ENTRY } from '../../domain/catch-up';
import { initialTermLabel, termEndAfterRenewals } from '../../domain/lifecycle';
import { acts } from '../activity-proxies';
import type { ImportedContractInput } from '../contract-lifecycle';
import { deliver } from './delivery';
import { startPayment } from './payments';
import { termEndDeadline, type ContractRun } from './state';

/** An imported contract: signed on paper, renewed as it happened, in force from the first activation. */
export function enterImported(contract: ContractRun, imported: ImportedContractInput): void {
  const { state } = contract;
  for (const signature of imported.signatures) state.signatures[signature.party] = signature;
  state.effectiveAt = imported.signatures.map((s) => s.signedAt).sort().at(-1)!;
  const end = termEndAfterRenewals(state.effectiveAt, state.terms, imported.renewals);
  state.status = 'active';
  state.termEndsAt = end.dueAt;
  state.renewals = imported.renewals;
  state.objection = imported.objection;
  contract.book.put(termEndDeadline(end));
}

/**
 * Runs once, whichever way the contract became active (both signatures may
 * arrive before the signing phase even began, e.g. while the contract PDF
 * renders), then hands over to `then` (the term) in the same step: handlers
 * may be running beside it (see state.ts on the order of commands).
 */
export async function activate(contract: ContractRun, then: (contract: ContractRun) => Promise<void>): Promise<void> {
  const { state, input, version, workflowId } = contract;
  state.documents.signedContract = (
    await acts.produceDocument({
      kind: 'signed_contract',
      contractId: state.contractId,
      signatures: contract.view().signatures,
      effectiveAt: state.effectiveAt!,
      termEndsAt: state.termEndsAt!,
    })
  ).id;
  if (input.imported) {
    // the periods still unpaid get their workflows; nothing of the past is announced
    for (const invoice of input.imported.unpaid) {
      await startPayment(contract, { ...invoice, imported: { payments: invoice.payments } });
    }
    const reminder = input.imported.overdueReminder;
    if (reminder) {
      await acts.notify({
        id: `${workflowId}:${OVERDUE_REMINDER_AT_ENTRY.reason}`,
        contractId: state.contractId,
        audiences: [...OVERDUE_REMINDER_AT_ENTRY.audiences],
        reason: OVERDUE_REMINDER_AT_ENTRY.reason,
        subject: OVERDUE_REMINDER_AT_ENTRY.subject(state.number),
        body: OVERDUE_REMINDER_AT_ENTRY.body(state.number, reminder.invoices),
        sms: { template: 'overdue_at_entry', invoices: reminder.invoices.length },
      });
    }
  } else {
    // contracts signed before payments existed keep their recorded history
    if (version.initialTermInvoice()) {
      await startPayment(contract, {
        invoiceNumber: invoiceNumber(state.number, { kind: 'initial_term' }),
        kind: 'initial_term',
        periodLabel: initialTermLabel(state.terms),
        amountFen: state.terms.payment.totalFen,
        trigger: state.effectiveAt!,
      });
    }
    await acts.notify({
      id: `${workflowId}:signed`,
      contractId: state.contractId,
      audiences: ['owner', 'party_a_contact', 'party_b_contact'],
      reason: 'contract_signed',
      subject: `合同 ${state.number} 已生效`,
      body: `合同 ${state.number} 双方已签字盖章，自 ${state.effectiveAt} 起生效，有效期至 ${state.termEndsAt}`,
      sms: { template: 'contract_signed', termEndsAt: state.termEndsAt! },
    });
    // Art.3 §3: delivered at once; the form awaits Party A's confirmation beside the term (delivery.ts)
    if (version.deliveryConfirmation) await deliver(contract);
  }
  state.activationHandled = true;
  return then(contract);
}
