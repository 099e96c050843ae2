/**
 * Art.3 §3 of the reference contract: "乙方一次性提供智慧信息短信服务后，甲方应
 * 配合乙方提供交付确认单（即业务受理单）". The service is delivered at once when
 * the contract takes effect (Art.3 §2, 一次性交付), so activation produces the
 * 业务受理单 and awaits Party A's confirmation like a signature: signer, title,
 * seal and date, or a scan of the signed form (stored by the API first). The
 * period to confirm is counted in days from the delivery by the Civil Code
 * (terms.delivery, 10 days by default; a calendar notice moves it), with at
 * most three reminders before it. The contract sets no sanction for a form left
 * unconfirmed: when the period lapses the account manager (sales) gets a work
 * item, never a breach notice; a confirmation recorded later still counts.
 *
 * Only runs that decided `delivery-confirmation-v1` at their start do any of
 * this (workflows/versions.ts); contracts in force before keep producing the
 * form when their first invoice is paid (workflows/payment-deadline.ts).
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { lapsedBeforeKnown, reminderStillDue } from '../../domain/catch-up';
import { documentId } from '../../domain/contract';
import {
  cappedDeliveryReminders,
  deliveryConfirmationBasis,
  deliveryTermsOf,
  DELIVERY_DEADLINE_REF,
  DELIVERY_UNCONFIRMED,
  MAX_DELIVERY_REMINDERS,
  type DeliveryState,
} from '../../domain/delivery';
import { recountDeadline } from '../../domain/periods';
import { isInFuture } from '../../domain/time';
import { acts } from '../activity-proxies';
import { waitUntilDue } from '../calendar';
import { deadlineFrom } from '../deadline-book';
import type { CalendarChange } from '../messages/calendar';
import { confirmDeliveryUpdate, type ConfirmDeliveryInput } from '../messages/contract-lifecycle';
import { refuse } from '../refusals';
import { nowIso, reminderInstants } from '../shared';
import type { ContractRun, LifecycleState } from './state';

const DAY_MS = 86_400_000;

/** The form is out and Party A has not confirmed it, within its period, during the term. */
export const deliveryAwaited = (state: LifecycleState): boolean =>
  state.status === 'active' && state.delivery !== undefined && state.delivery.confirmation === null && !state.delivery.lapsed;

/**
 * At activation: the service is delivered when the contract takes effect
 * (`effectiveAt`: now, or when it was signed on paper). The form's deadline is
 * held and written to the read model at once, the form
 * is rendered, Party A and the owner are told while the period still runs, and
 * the wait for the confirmation runs beside the term. A period that ended
 * before the contract was entered (signatures from long ago) sends Party A
 * nothing: the owner gets the work item at once (domain/catch-up.ts).
 */
export async function deliver(contract: ContractRun): Promise<void> {
  const { state } = contract;
  const deliveredAt = state.effectiveAt ?? nowIso();
  const basis = deliveryConfirmationBasis(deliveredAt, deliveryTermsOf(state.terms).confirmationDays);
  const due = recountDeadline(basis, contract.legal.calendar);
  const delivery: DeliveryState = {
    deliveredAt,
    // the id produceDocument gives the activation's form (one per contract)
    documentId: documentId(state.contractId, 'delivery_confirmation'),
    dueAt: due.dueAt,
    explanation: due.explanation,
    remindersSent: 0,
    lapsed: false,
    confirmation: null,
  };
  state.delivery = delivery;
  contract.book.put(deadlineFrom('delivery_confirmation', DELIVERY_DEADLINE_REF, due, basis));
  // in the read model at once, so its end (met, lapsed, cancelled) always has a row to close
  await contract.syncDeadlines();
  await acts.produceDocument({ kind: 'delivery_confirmation', contractId: state.contractId, deliveredAt, dueAt: due.dueAt, dueExplanation: due.explanation });
  // signatures entered late: a period already over is a person's to follow up, not a request to Party A
  if (Date.now() < Date.parse(due.dueAt)) await askToConfirm(contract, due);
  watchDelivery(contract);
}

function askToConfirm(contract: ContractRun, due: { dueAt: string; explanation: string }): Promise<unknown> {
  const { state, workflowId } = contract;
  return acts.notify({
    id: `${workflowId}:delivery-form`,
    contractId: state.contractId,
    audiences: ['party_a_contact', 'owner'],
    reason: 'delivery_form',
    subject: `业务受理单待确认：合同 ${state.number}`,
    body: `合同 ${state.number} 的智慧信息短信服务已一次性交付（合同第三条第3款），业务受理单（交付确认单）已出具，请甲方核对后签字盖章确认。${due.explanation}`,
    sms: { template: 'delivery_form', dueAt: due.dueAt },
  });
}

/** Runs the wait for Party A's confirmation beside the term (also in a continued run while it is still awaited). */
export function watchDelivery(contract: ContractRun): void {
  void awaitConfirmation(contract);
}

async function awaitConfirmation(contract: ContractRun): Promise<void> {
  const { state, workflowId } = contract;
  const delivery = state.delivery!;
  const settled = () => delivery.confirmation !== null || state.status !== 'active';
  const dueAt = () => delivery.dueAt;
  const reminders = reminderInstants(delivery.dueAt, cappedDeliveryReminders(deliveryTermsOf(state.terms).reminderDaysBefore), Date.now());
  // a reminder keeps its distance to the deadline when a calendar notice moves it
  const reminderAt = (r: { daysBefore: number }) => Date.parse(dueAt()) - r.daysBefore * DAY_MS;
  for (const [i, reminder] of reminders.entries()) {
    if (await waitUntilDue(settled, () => reminderAt(reminder))) break;
    if (delivery.remindersSent >= MAX_DELIVERY_REMINDERS) break;
    // woken late: only the last reminder missed, and none after the deadline
    if (!reminderStillDue(reminders.map(reminderAt), i, Date.parse(dueAt()), Date.now())) continue;
    delivery.remindersSent += 1;
    await acts.notify({
      id: `${workflowId}:delivery-reminder:${reminder.daysBefore}`,
      contractId: state.contractId,
      audiences: ['party_a_contact', 'owner'],
      reason: 'delivery_reminder',
      subject: `业务受理单确认提醒：距截止还有 ${reminder.daysBefore} 天`,
      body: `合同 ${state.number} 的业务受理单（交付确认单）尚待甲方签字盖章确认。${delivery.explanation}`,
      sms: { template: 'delivery_reminder', dueAt: dueAt() },
    });
  }

  const confirmed = await waitUntilDue(settled, dueAt);
  // the contract ended first: its end closed every deadline (ending.ts, term.ts)
  if (state.status !== 'active') return;
  if (confirmed) {
    contract.closeDeadline('delivery_confirmation', DELIVERY_DEADLINE_REF, 'met');
    await contract.syncDeadlines();
    return;
  }
  // no sanction in the contract: the account manager follows it up, nothing is served
  delivery.lapsed = true;
  contract.closeDeadline('delivery_confirmation', DELIVERY_DEADLINE_REF, 'lapsed');
  await contract.syncDeadlines();
  await acts.notify({
    id: `${workflowId}:${DELIVERY_UNCONFIRMED.reason}`,
    contractId: state.contractId,
    audiences: [...DELIVERY_UNCONFIRMED.audiences],
    reason: DELIVERY_UNCONFIRMED.reason,
    subject: DELIVERY_UNCONFIRMED.subject(state.number),
    body: DELIVERY_UNCONFIRMED.body(state.number, delivery.explanation, lapsedBeforeKnown(delivery.dueAt, contract.knownSince)),
  });
}

/** Party A confirms the form (once): on time while its period runs, late after it lapsed. */
export function handleDeliveryConfirmation(contract: ContractRun): void {
  const { state } = contract;
  setHandler(
    confirmDeliveryUpdate,
    async (request) => {
      const delivery = state.delivery!;
      const recordedAt = nowIso();
      delivery.confirmation = {
        signer: request.signer ?? null,
        title: request.title ?? null,
        sealed: request.sealed === true,
        confirmedAt: request.confirmedAt ? new Date(request.confirmedAt).toISOString() : recordedAt,
        scan: request.scan,
        recordedBy: request.actor.id,
        recordedAt,
        onTime: !delivery.lapsed,
      };
      await acts.recordDeliveryConfirmation({
        contractId: state.contractId,
        formDocumentId: delivery.documentId,
        deliveredAt: delivery.deliveredAt,
        dueAt: delivery.dueAt,
        confirmation: delivery.confirmation,
        actor: request.actor,
      });
      return delivery;
    },
    {
      validator: (request: ConfirmDeliveryInput) => {
        if (state.status !== 'active') {
          throw refuse('contract.not_in_term', { number: state.number, status: state.status, terminating: false }, `contract ${state.number} is ${state.status}: the delivery form is confirmed during the term`);
        }
        const delivery = state.delivery;
        if (!delivery) {
          throw refuse(
            'delivery.nothing_to_confirm',
            { number: state.number },
            `contract ${state.number} took effect before delivery confirmations were awaited: its delivery form came with the first payment and nothing is to confirm`,
          );
        }
        if (delivery.confirmation) {
          const by = delivery.confirmation.signer ? ` by ${delivery.confirmation.signer}` : '';
          throw refuse(
            'delivery.already_confirmed',
            { confirmedAt: delivery.confirmation.confirmedAt, signer: delivery.confirmation.signer ?? null },
            `the delivery form was already confirmed on ${delivery.confirmation.confirmedAt}${by}`,
          );
        }
        if (request.confirmedAt && isInFuture(request.confirmedAt, Date.now())) {
          throw refuse('input.in_future', { field: 'confirmedAt' }, 'confirmedAt must not be in the future');
        }
        if (request.confirmedAt && Date.parse(request.confirmedAt) < Date.parse(delivery.deliveredAt)) {
          throw ApplicationFailure.nonRetryable(`confirmedAt must not be before the delivery (${delivery.deliveredAt})`, 'VALIDATION_FAILED');
        }
      },
    },
  );
}

/**
 * A calendar notice that changes a day the confirmation period was counted
 * over moves it (and its reminders), during the term (the signing phase's
 * calendar handler hands over here, signing.ts).
 */
export async function recountDelivery(contract: ContractRun, change: CalendarChange): Promise<void> {
  const { state } = contract;
  await contract.recountOnNotice(change, {
    still: () => deliveryAwaited(state),
    which: (open) => open.filter((d) => d.kind === 'delivery_confirmation'),
    apply: ([first]) => {
      state.delivery!.dueAt = first!.dueAt;
      state.delivery!.explanation = first!.explanation;
    },
    tell: () => ({
      audiences: ['owner', 'party_a_contact'],
      subject: `确认期限调整：合同 ${state.number} 业务受理单`,
      what: () => `合同 ${state.number} 业务受理单的确认期限`,
    }),
  });
}
