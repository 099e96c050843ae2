/**
 * The contract lifecycle: signing (with reminders and a lapse deadline), then
 * the term. Every deadline is a durable timer; every human action is an update
 * validated here before it enters history.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import { invoiceNumber, paymentWorkflowId, type TTopUpRequest } from '../domain/billing';
import { createHolidayCalendar, type HolidayOverride } from '../domain/calendar';
import {
  SYSTEM_ACTOR,
  type Actor,
  type ContractStatus,
  type DeadlineState,
  type SignatureRecord,
  type TSignContractRequest,
} from '../domain/contract';
import { computeDeadline, termEnd, type Deadline } from '../domain/periods';
import { PARTY_LABELS, type ContractTerms, type PartyCode } from '../domain/terms';
import type { PaymentDeadlineInput } from './payment-deadline';
import { getDeadlinesQuery } from './queries';
import { dropDeadline, nowIso, putDeadline, reminderInstants, waitUntil } from './shared';

const acts = proxyActivities<ReturnType<typeof activities.createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export type LifecycleState = {
  contractId: string;
  number: string;
  ownerId: string;
  createdAt: string;
  terms: ContractTerms;
  status: ContractStatus;
  signatures: Partial<Record<PartyCode, SignatureRecord>>;
  effectiveAt: string | null;
  termEndsAt: string | null;
  deadlines: DeadlineState[];
  documents: { contract?: string; signedContract?: string };
  holidayOverrides: HolidayOverride[];
  signingRemindersSent: number;
  /** payment workflows (and later cases) this contract started; cancelled on termination */
  children: string[];
  topUps: number;
  activationHandled: boolean;
};

export type ContractLifecycleInput = {
  contractId: string;
  number: string;
  ownerId: string;
  createdAt: string;
  terms: ContractTerms;
  /** set when the workflow continues as new */
  state?: LifecycleState;
};

export type ContractStateView = Pick<
  LifecycleState,
  'contractId' | 'number' | 'status' | 'effectiveAt' | 'termEndsAt' | 'deadlines' | 'documents'
> & { signatures: SignatureRecord[] };

export type SignContractInput = TSignContractRequest & { actor: Actor };

export const getContractStateQuery = defineQuery<ContractStateView>('getContractStateQuery');
export const signContractUpdate = defineUpdate<ContractStateView, [SignContractInput]>('signContractUpdate');
export type RequestTopUpInput = TTopUpRequest & { actor: Actor };
export const requestTopUpUpdate = defineUpdate<{ invoiceNumber: string; workflowId: string }, [RequestTopUpInput]>('requestTopUpUpdate');

const termEndDeadline = (end: Deadline): DeadlineState => ({
  kind: 'term_end',
  ref: end.lastDay ?? end.dueAt,
  dueAt: end.dueAt,
  explanation: end.explanation,
  explanationEn: end.explanationEn,
});

/** The most signing reminders a contract ever gets, whatever its terms say. */
export const MAX_SIGNING_REMINDERS = 5;

export async function contractLifecycle(input: ContractLifecycleInput): Promise<ContractStateView> {
  const state: LifecycleState = input.state ?? {
    contractId: input.contractId,
    number: input.number,
    ownerId: input.ownerId,
    createdAt: input.createdAt,
    terms: input.terms,
    status: 'awaiting_signatures',
    signatures: {},
    effectiveAt: null,
    termEndsAt: null,
    deadlines: [],
    documents: {},
    holidayOverrides: [],
    signingRemindersSent: 0,
    children: [],
    topUps: 0,
    activationHandled: false,
  };
  const workflowId = workflowInfo().workflowId;
  const view = (): ContractStateView => ({
    contractId: state.contractId,
    number: state.number,
    status: state.status,
    effectiveAt: state.effectiveAt,
    termEndsAt: state.termEndsAt,
    deadlines: state.deadlines,
    documents: state.documents,
    signatures: (['A', 'B'] as const).flatMap((p): SignatureRecord[] => { const s = state.signatures[p]; return s ? [s] : []; }),
  });
  const bothSigned = () => Boolean(state.signatures.A && state.signatures.B);
  const calendar = () => createHolidayCalendar(state.holidayOverrides);
  const closed: { kind: string; ref: string; status: 'met' | 'lapsed' | 'cancelled' }[] = [];
  const syncDeadlines = async () => {
    await acts.syncDeadlines({ workflowId, contractId: state.contractId, open: state.deadlines, closed: closed.splice(0) });
  };
  const closeDeadline = (kind: DeadlineState['kind'], ref: string, status: 'met' | 'lapsed' | 'cancelled') => {
    state.deadlines = dropDeadline(state.deadlines, kind, ref);
    closed.push({ kind, ref, status });
  };

  setHandler(getContractStateQuery, view);
  setHandler(getDeadlinesQuery, () => state.deadlines);

  const startPayment = async (input: Omit<PaymentDeadlineInput, 'contractId' | 'contractNumber' | 'holidayOverrides' | 'cureDays' | 'dueDays' | 'reminderDaysBefore' | 'vatRatePercent' | 'invoiceType'>) => {
    const childId = paymentWorkflowId(input.invoiceNumber);
    if (state.children.includes(childId)) return childId;
    state.children.push(childId);
    const args: [PaymentDeadlineInput] = [
        {
          ...input,
          contractId: state.contractId,
          contractNumber: state.number,
          holidayOverrides: state.holidayOverrides,
          cureDays: state.terms.legal.cureDays,
          dueDays: state.terms.payment.dueDays,
          reminderDaysBefore: state.terms.payment.reminderDaysBefore,
          vatRatePercent: state.terms.payment.vatRatePercent,
          invoiceType: state.terms.payment.invoiceType,
        },
      ];
    // the invoice outlives this run of the lifecycle (continue-as-new); termination cancels it explicitly
    await acts.startWorkflow({ workflow: 'paymentDeadline', workflowId: childId, args });
    return childId;
  };

  setHandler(
    requestTopUpUpdate,
    async (request) => {
      state.topUps += 1;
      const seq = state.topUps;
      const number = invoiceNumber(state.number, { kind: 'top_up', seq });
      await acts.recordTopUp({ contractId: state.contractId, seq, sms: request.quantity, priceFen: request.priceFen, invoiceNumber: number, actor: request.actor });
      const childId = await startPayment({
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
          throw ApplicationFailure.nonRetryable(`contract ${state.number} is ${state.status}: top-ups are bought during the term only`, 'INVALID_STATE');
        }
      },
    },
  );
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
      if (bothSigned()) {
        const effectiveAt = [state.signatures.A!.signedAt, state.signatures.B!.signedAt].sort().at(-1)!;
        const end = termEnd(effectiveAt, state.terms.term.years);
        activation = { effectiveAt, termEndsAt: end.dueAt };
        state.status = 'active';
        state.effectiveAt = effectiveAt;
        state.termEndsAt = end.dueAt;
        state.deadlines = putDeadline(dropDeadline(state.deadlines, 'signing', 'contract'), termEndDeadline(end));
      }
      await acts.recordSignature({ contractId: state.contractId, signature, activation, actor: request.actor });
      return view();
    },
    {
      validator: (request: SignContractInput) => {
        if (state.status !== 'awaiting_signatures') {
          throw ApplicationFailure.nonRetryable(`contract ${state.number} is ${state.status}, not awaiting signatures`, 'NOT_AWAITING_SIGNATURES');
        }
        const previous = state.signatures[request.party];
        if (previous) {
          throw ApplicationFailure.nonRetryable(
            `${PARTY_LABELS[request.party]} (party ${request.party}) already signed on ${previous.signedAt} as ${previous.signer}`,
            'ALREADY_SIGNED',
          );
        }
        if (request.signedAt && Date.parse(request.signedAt) > Date.now()) {
          throw ApplicationFailure.nonRetryable('signedAt must not be in the future', 'VALIDATION_FAILED');
        }
      },
    },
  );

  if (state.holidayOverrides.length === 0) state.holidayOverrides = await acts.loadHolidayOverrides();
  if (!state.documents.contract) {
    state.documents.contract = (await acts.produceDocument({ kind: 'contract', contractId: state.contractId })).id;
  }

  if (state.status === 'awaiting_signatures') {
    const signing = computeDeadline({
      from: state.createdAt,
      period: { unit: 'days', amount: state.terms.signing.periodDays },
      rule: 'act',
      calendar: calendar(),
      what: { zh: '签署', en: 'signing' },
      trigger: { zh: '合同创建', en: 'creation of the contract' },
    });
    state.deadlines = putDeadline(state.deadlines, { kind: 'signing', ref: 'contract', dueAt: signing.dueAt, explanation: signing.explanation, explanationEn: signing.explanationEn });
    await syncDeadlines();

    const reminders = reminderInstants(signing.dueAt, state.terms.signing.reminderDaysBefore, Date.now()).slice(0, MAX_SIGNING_REMINDERS);
    for (const reminder of reminders) {
      if (await waitUntil(bothSigned, reminder.at)) break;
      if (state.signingRemindersSent >= MAX_SIGNING_REMINDERS) break;
      state.signingRemindersSent += 1;
      const missing = (['A', 'B'] as const).filter((p) => !state.signatures[p]);
      await acts.notify({
        id: `${workflowId}:signing-reminder:${reminder.daysBefore}`,
        contractId: state.contractId,
        audiences: ['owner', ...missing.map((p) => (p === 'A' ? ('party_a_contact' as const) : ('party_b_contact' as const)))],
        reason: 'signing_reminder',
        subject: `合同 ${state.number} 待签署提醒`,
        body: `合同 ${state.number} 尚待${missing.map((p) => PARTY_LABELS[p]).join('、')}签字盖章，签署期限 ${signing.explanation}`,
      });
    }

    const signed = await waitUntil(bothSigned, signing.dueAt);
    await condition(allHandlersFinished);
    if (signed) {
      closed.push({ kind: 'signing', ref: 'contract', status: 'met' });
    } else {
      state.status = 'lapsed';
      closeDeadline('signing', 'contract', 'lapsed');
      await acts.changeStatus({
        contractId: state.contractId,
        from: ['awaiting_signatures'],
        to: 'lapsed',
        actor: SYSTEM_ACTOR,
        reason: `signing period lapsed: ${signing.explanation}`,
      });
      await acts.notify({
        id: `${workflowId}:lapsed`,
        contractId: state.contractId,
        audiences: ['owner'],
        reason: 'signing_lapsed',
        subject: `合同 ${state.number} 签署期限已过，合同失效`,
        body: `合同 ${state.number} 在签署期限内未完成双方签字盖章，已失效。${signing.explanation}`,
      });
      await syncDeadlines();
      return view();
    }
  }

  // Runs once, whichever way the contract became active: both signatures may
  // arrive before the signing phase even began (e.g. while the contract PDF renders).
  if (state.status === 'active' && !state.activationHandled) {
    state.documents.signedContract = (
      await acts.produceDocument({
        kind: 'signed_contract',
        contractId: state.contractId,
        signatures: view().signatures,
        effectiveAt: state.effectiveAt!,
        termEndsAt: state.termEndsAt!,
      })
    ).id;
    // contracts signed before payments existed keep their recorded history
    if (patched('initial-term-invoice')) {
      await startPayment({
        invoiceNumber: invoiceNumber(state.number, { kind: 'initial_term' }),
        kind: 'initial_term',
        periodLabel: `首期 ${state.terms.term.years} 年服务费`,
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
    });
    state.activationHandled = true;
  }

  if (state.status === 'active' && state.termEndsAt) {
    await syncDeadlines();
    await waitUntil(() => state.status !== 'active', state.termEndsAt);
  }

  await condition(allHandlersFinished);
  return view();
}
