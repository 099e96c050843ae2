/**
 * Art.3 §4 and §5 of the reference contract: what the contract bills. The
 * initial three years (paid within 30 days of signing), each renewal year
 * (Art.6 §1) and each extra package bought during the term (paid in full
 * before it takes effect) is an invoice with a payment workflow of its own
 * (workflows/payment-deadline.ts), started here.
 */
import { setHandler } from '@temporalio/workflow';
import { invoiceNumber, paymentWorkflowId } from '../../domain/billing';
import { acts } from '../activity-proxies';
import { requestTopUpUpdate, type RequestTopUpInput } from '../messages/contract-lifecycle';
import type { PaymentDeadlineInput } from '../payment-deadline';
import { refuse } from '../refusals';
import { nowIso } from '../shared';
import type { ContractRun } from './state';

/** What the lifecycle says of an invoice; the contract's terms fill in the rest. */
export type PaymentStart = Omit<
  PaymentDeadlineInput,
  'contractId' | 'contractNumber' | 'holidayOverrides' | 'cureDays' | 'dueDays' | 'reminderDaysBefore' | 'vatRatePercent' | 'invoiceType' | 'knownSince'
>;

/** Starts the invoice's payment workflow (once per invoice); its workflow id. */
export async function startPayment(contract: ContractRun, payment: PaymentStart): Promise<string> {
  const { state, version } = contract;
  const childId = paymentWorkflowId(payment.invoiceNumber);
  if (state.children.includes(childId)) return childId;
  state.children.push(childId);
  const args: [PaymentDeadlineInput] = [
    {
      ...payment,
      contractId: state.contractId,
      contractNumber: state.number,
      // newer invoices load the calendar themselves when they count (no snapshot handed down)
      holidayOverrides: version.calendarYears ? [] : state.holidayOverrides,
      cureDays: state.terms.legal.cureDays,
      dueDays: state.terms.payment.dueDays,
      reminderDaysBefore: state.terms.payment.reminderDaysBefore,
      vatRatePercent: state.terms.payment.vatRatePercent,
      invoiceType: state.terms.payment.invoiceType,
      ...(version.catchUp ? { knownSince: contract.knownSince } : {}),
      // the lifecycle produced the delivery form at activation (delivery.ts): the first payment does not
      ...(version.deliveryConfirmation && payment.kind === 'initial_term' && !payment.imported ? { deliveryFormAtActivation: true } : {}),
    },
  ];
  // the invoice outlives this run of the lifecycle (continue-as-new); termination cancels it explicitly
  await acts.startWorkflow({ workflow: 'paymentDeadline', workflowId: childId, args });
  return childId;
}

/**
 * Art.3 §5: an extra SMS package, bought during the term, is invoiced at once
 * at the price the API computed from the contract's price list (or finance's,
 * with its reason); the workflow takes the quantity and the price as given.
 */
export function handleTopUps(contract: ContractRun): void {
  const { state } = contract;
  setHandler(
    requestTopUpUpdate,
    async (request) => {
      state.topUps += 1;
      const seq = state.topUps;
      const number = invoiceNumber(state.number, { kind: 'top_up', seq });
      // priced by the API from the contract's price list (domain/top-ups.ts); updates from before price lists carry no pricing
      await acts.recordTopUp({
        contractId: state.contractId,
        seq,
        sms: request.quantity,
        priceFen: request.priceFen,
        invoiceNumber: number,
        actor: request.actor,
        ...(request.pricing ? { pricing: request.pricing } : {}),
      });
      const childId = await startPayment(contract, {
        invoiceNumber: number,
        kind: 'top_up',
        periodLabel: `增购短信包 ${request.quantity} 条`,
        amountFen: request.priceFen,
        trigger: nowIso(),
        topUpSms: request.quantity,
      });
      return { invoiceNumber: number, workflowId: childId };
    },
    {
      validator: (_request: RequestTopUpInput) => {
        if (state.status !== 'active') {
          throw refuse('contract.not_in_term', { number: state.number, status: state.status, terminating: false }, `contract ${state.number} is ${state.status}: top-ups are bought during the term only`);
        }
      },
    },
  );
}
