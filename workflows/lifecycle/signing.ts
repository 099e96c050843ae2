/**
 * Art.6 §1 and Art.11 §1 of the reference contract: the contract takes effect
 * on the day both parties have signed and sealed it, and its term (3 years,
 * Art.6 §1) runs from that day. The signing period before that, its reminders
 * and its lapse are this system's (the contract sets no such period): counted
 * from the contract's creation by the Civil Code's rules (Art. 201–203), moved
 * when a State Council notice changes a day it was counted over.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { reminderStillDue } from '../../domain/catch-up';
import { SYSTEM_ACTOR, type SignatureRecord } from '../../domain/contract';
import { actBasis, recountDeadline, termEnd, type DeadlineBasis } from '../../domain/periods';
import { isInFuture } from '../../domain/time';
import { PARTY_LABELS, type PartyCode } from '../../domain/terms';
import { acts, bookkeeping } from '../activity-proxies';
import { waitUntilDue } from '../calendar';
import { deadlineFrom } from '../deadline-book';
import { calendarChangedSignal } from '../messages/calendar';
import { signContractUpdate, type SignContractInput } from '../messages/contract-lifecycle';
import { refuse } from '../refusals';
import { nowIso, reminderInstants } from '../shared';
import { deliveryAwaited, recountDelivery } from './delivery';
import { termEndDeadline, type ContractRun, type LifecycleState } from './state';

/** The most signing reminders a contract ever gets, whatever its terms say. */
export const MAX_SIGNING_REMINDERS = 5;

/** How the signing period is counted: days from the contract's creation, by the rule for acts. */
const signingBasis = (state: LifecycleState): DeadlineBasis =>
  actBasis(state.createdAt, { unit: 'days', amount: state.terms.signing.periodDays }, { zh: '签署', en: 'signing' }, { zh: '合同创建', en: 'creation of the contract' });

/** The parties that have not signed yet. */
const unsigned = (state: LifecycleState): PartyCode[] => (['A', 'B'] as const).filter((p) => !state.signatures[p]);

const contactOf = (party: PartyCode) => (party === 'A' ? ('party_a_contact' as const) : ('party_b_contact' as const));

/**
 * Each party signs (and seals) once; the second signature puts the contract
 * in force: effective at the later signature, its term counted from there.
 */
export function handleSignatures(contract: ContractRun): void {
  const { state, book } = contract;
  setHandler(
    signContractUpdate,
    async (request) => {
      const signature: SignatureRecord = {
        party: request.party,
        signer: request.signer,
        title: request.title,
        sealed: true,
        signedAt: request.signedAt ? new Date(request.signedAt).toISOString() : nowIso(),
        recordedBy: request.actor.id,
      };
      // State changes synchronously, before any await, so a concurrent second
      // signature of the same party is refused by the validator.
      state.signatures[request.party] = signature;
      let activation: { effectiveAt: string; termEndsAt: string } | undefined;
      if (contract.bothSigned()) {
        const effectiveAt = [state.signatures.A!.signedAt, state.signatures.B!.signedAt].sort().at(-1)!;
        const end = termEnd(effectiveAt, state.terms.term.years);
        activation = { effectiveAt, termEndsAt: end.dueAt };
        state.status = 'active';
        state.effectiveAt = effectiveAt;
        state.termEndsAt = end.dueAt;
        // off the open deadlines now; the signing phase records it as met once it sees both signatures
        book.drop('signing', 'contract');
        book.put(termEndDeadline(end));
      }
      await (contract.version.localSignatures ? bookkeeping : acts).recordSignature({ contractId: state.contractId, signature, activation, actor: request.actor });
      return contract.view();
    },
    {
      validator: (request: SignContractInput) => {
        if (state.status !== 'awaiting_signatures') {
          throw refuse('contract.not_awaiting_signatures', { number: state.number, status: state.status }, `contract ${state.number} is ${state.status}, not awaiting signatures`);
        }
        const previous = state.signatures[request.party];
        if (previous) {
          throw refuse(
            'signature.already_signed',
            { party: request.party, signedAt: previous.signedAt, signer: previous.signer },
            `${PARTY_LABELS[request.party]} (party ${request.party}) already signed on ${previous.signedAt} as ${previous.signer}`,
          );
        }
        if (request.signedAt && isInFuture(request.signedAt, Date.now())) {
          throw refuse('input.in_future', { field: 'signedAt' }, 'signedAt must not be in the future');
        }
      },
    },
  );
}

/**
 * A notice that changes a day the signing period was counted over moves it
 * (workflows/calendar.ts); once in force, the delivery form's period (delivery.ts).
 */
export function handleSigningCalendar(contract: ContractRun): void {
  const { state } = contract;
  setHandler(calendarChangedSignal, async (change) => {
    if (state.status !== 'awaiting_signatures') {
      // in force: the delivery form's confirmation period (runs from before it hold nothing to recount)
      if (deliveryAwaited(state)) await recountDelivery(contract, change);
      return;
    }
    await contract.recountOnNotice(change, {
      still: () => state.status === 'awaiting_signatures',
      which: (open) => open,
      apply: () => {
        contract.signing = recountDeadline(signingBasis(state), contract.legal.calendar);
      },
      tell: () => ({
        audiences: ['owner', ...unsigned(state).map(contactOf)],
        subject: `签署期限调整：合同 ${state.number}`,
        what: () => `合同 ${state.number} 的签署期限`,
      }),
    });
  });
}

/**
 * The signing period, while the contract awaits signatures: its deadline,
 * the reminders before it, then signed (the deadline met) or lapsed (the
 * contract void, the owner told).
 */
export async function runSigning(contract: ContractRun): Promise<'signed' | 'lapsed'> {
  const { state, version, book } = contract;
  contract.signing = recountDeadline(signingBasis(state), contract.legal.calendar);
  const signing = () => contract.signing!;
  book.put(
    version.calendarYears
      ? deadlineFrom('signing', 'contract', signing(), signingBasis(state))
      : { kind: 'signing', ref: 'contract', dueAt: signing().dueAt, explanation: signing().explanation, explanationEn: signing().explanationEn },
  );
  await contract.syncDeadlines();
  const signingDue = () => signing().dueAt;

  const reminders = reminderInstants(signingDue(), state.terms.signing.reminderDaysBefore, Date.now()).slice(0, MAX_SIGNING_REMINDERS);
  // the reminder keeps its distance to the deadline when a calendar notice moves it
  const reminderAt = (r: { daysBefore: number }) => Date.parse(signingDue()) - r.daysBefore * 86_400_000;
  for (const [i, reminder] of reminders.entries()) {
    if (await waitUntilDue(contract.bothSigned, () => reminderAt(reminder))) break;
    if (state.signingRemindersSent >= MAX_SIGNING_REMINDERS) break;
    // woken late: only the last reminder missed, and none after the deadline
    if (version.catchUp && !reminderStillDue(reminders.map(reminderAt), i, Date.parse(signingDue()), Date.now())) continue;
    await remindToSign(contract, reminder.daysBefore);
  }

  const signed = await waitUntilDue(contract.bothSigned, signingDue);
  await condition(allHandlersFinished);
  if (signed) {
    book.record('signing', 'contract', 'met');
    return 'signed';
  }
  // nothing runs beside the lapse (every update is refused from here on): it may take its own steps
  await lapse(contract);
  return 'lapsed';
}

/** One signing reminder to the owner and the parties still to sign. */
function remindToSign(contract: ContractRun, daysBefore: number): Promise<unknown> {
  const { state } = contract;
  const signing = contract.signing!;
  state.signingRemindersSent += 1;
  const missing = unsigned(state);
  return acts.notify({
    id: `${contract.workflowId}:signing-reminder:${daysBefore}`,
    contractId: state.contractId,
    audiences: ['owner', ...missing.map(contactOf)],
    reason: 'signing_reminder',
    subject: `合同 ${state.number} 待签署提醒`,
    body: `合同 ${state.number} 尚待${missing.map((p) => PARTY_LABELS[p]).join('、')}签字盖章，签署期限 ${signing.explanation}`,
    sms: { template: 'signing_reminder', dueAt: signing.dueAt },
  });
}

/** The signing period passed without both signatures: the contract lapses. */
async function lapse(contract: ContractRun): Promise<void> {
  const { state } = contract;
  state.status = 'lapsed';
  contract.closeDeadline('signing', 'contract', 'lapsed');
  await acts.changeStatus({
    contractId: state.contractId,
    from: ['awaiting_signatures'],
    to: 'lapsed',
    actor: SYSTEM_ACTOR,
    reason: `signing period lapsed: ${contract.signing!.explanation}`,
  });
  await acts.notify({
    id: `${contract.workflowId}:lapsed`,
    contractId: state.contractId,
    audiences: ['owner'],
    reason: 'signing_lapsed',
    subject: `合同 ${state.number} 签署期限已过，合同失效`,
    body: `合同 ${state.number} 在签署期限内未完成双方签字盖章，已失效。${contract.signing!.explanation}`,
  });
  await contract.syncDeadlines();
}
