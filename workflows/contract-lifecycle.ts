/**
 * The contract lifecycle: signing (with reminders and a lapse deadline), then
 * the term. Every deadline is a durable timer; every human action is an update
 * validated here before it enters history.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import { invoiceNumber, paymentWorkflowId, type PaymentRecord, type TTopUpRequest } from '../domain/billing';
import type { HolidayOverride } from '../domain/calendar';
import { OVERDUE_REMINDER_AT_ENTRY, reminderStillDue } from '../domain/catch-up';
import {
  SYSTEM_ACTOR,
  type Actor,
  type ContractStatus,
  type DeadlineState,
  type SignatureRecord,
  type TSignContractRequest,
} from '../domain/contract';
import {
  applyAmendment,
  initialTermLabel,
  renewalFeeFen,
  renewalLabel,
  renewedTermEnd,
  termEndAfterRenewals,
  type AmendmentChanges,
  type TProposeAmendmentRequest,
  type TRenewalObjectionRequest,
  type TTerminationRequest,
} from '../domain/lifecycle';
import { recountDeadline, termEnd, type Deadline, type DeadlineBasis } from '../domain/periods';
import { PARTY_LABELS, type ContractTerms, type PartyCode } from '../domain/terms';
import { announceMoves, calendarChangedSignal, calendarYearAt, LegalCalendar, recountDeadlines, waitUntilDue } from './calendar';
import { deadlineFrom } from './deadline-book';
import type { PaymentDeadlineInput } from './payment-deadline';
import { getDeadlinesQuery } from './queries';
import { lifecycleVersion } from './versions';
import { dropDeadline, nowIso, putDeadline, reminderInstants, waitUntil } from './shared';

const acts = proxyActivities<ReturnType<typeof activities.createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
/**
 * The short Postgres bookkeeping (holiday overrides, the deadline read model)
 * as local activities: run by the worker inside the workflow task, with no
 * activity task and no extra workflow task on the server of their own (three
 * round trips fewer per contract before its first timer). Still retried until
 * they succeed, and recorded in history like any activity.
 */
const bookkeeping = proxyLocalActivities<ReturnType<typeof activities.createActivities>>({
  startToCloseTimeout: '30 seconds',
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
  renewals: number;
  objection: { party: PartyCode; reason: string; at: string } | null;
  termination: { reason: string; effectiveAt: string; actor: Actor } | null;
  freeze: FreezeContractInput | null;
  amendments: AmendmentState[];
  renewalAlertsSent: string[];
};

export type AmendmentState = {
  seq: number;
  description: string;
  changes: AmendmentChanges;
  status: 'proposed' | 'signed';
  signatures: Partial<Record<PartyCode, SignatureRecord>>;
};

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

export type ContractStateView = Pick<
  LifecycleState,
  'contractId' | 'number' | 'status' | 'effectiveAt' | 'termEndsAt' | 'deadlines' | 'documents' | 'renewals' | 'objection' | 'amendments'
> & { signatures: SignatureRecord[]; terms: ContractTerms; termination: { reason: string; effectiveAt: string } | null };

export type SignContractInput = TSignContractRequest & { actor: Actor };

export const getContractStateQuery = defineQuery<ContractStateView>('getContractStateQuery');
export const signContractUpdate = defineUpdate<ContractStateView, [SignContractInput]>('signContractUpdate');
/** A confirmed content violation freezes the account permanently (Art.8 §5): sent by the violation workflow. */
export type FreezeContractInput = { caseId: string; reason: string; actor: Actor };
export const freezeContractSignal = defineSignal<[FreezeContractInput]>('freezeContractSignal');

export type ObjectToRenewalInput = TRenewalObjectionRequest & { actor: Actor };
export const objectToRenewalUpdate = defineUpdate<ContractStateView, [ObjectToRenewalInput]>('objectToRenewalUpdate');
export type TerminateContractInput = TTerminationRequest & { actor: Actor };
export const terminateContractUpdate = defineUpdate<ContractStateView, [TerminateContractInput]>('terminateContractUpdate');
export type ProposeAmendmentInput = TProposeAmendmentRequest & { actor: Actor };
export const proposeAmendmentUpdate = defineUpdate<AmendmentState, [ProposeAmendmentInput]>('proposeAmendmentUpdate');
export type SignAmendmentInput = Omit<TSignContractRequest, 'signedAt'> & { seq: number; actor: Actor };
export const signAmendmentUpdate = defineUpdate<AmendmentState, [SignAmendmentInput]>('signAmendmentUpdate');

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
  const state: LifecycleState = {
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
    renewals: 0,
    objection: null,
    termination: null,
    freeze: null,
    amendments: [],
    renewalAlertsSent: [],
    // a continued run carries its state; fields added later keep their defaults
    ...input.state,
  };
  // first, before any await: which code this run follows (workflows/versions.ts)
  const version = lifecycleVersion();
  const workflowId = workflowInfo().workflowId;
  if (input.imported && !input.state) {
    // signed on paper, renewed as it happened: in force from the first activation
    const imported = input.imported;
    for (const signature of imported.signatures) state.signatures[signature.party] = signature;
    state.effectiveAt = imported.signatures.map((s) => s.signedAt).sort().at(-1)!;
    const end = termEndAfterRenewals(state.effectiveAt, state.terms, imported.renewals);
    state.status = 'active';
    state.termEndsAt = end.dueAt;
    state.renewals = imported.renewals;
    state.objection = imported.objection;
    state.deadlines = [termEndDeadline(end)];
  }
  // when the contract entered the system: invoices never answer a lapse before it with a breach notice
  const knownSince = input.imported?.importedAt ?? state.createdAt;
  // runs whose history has the regular activities keep them (replay must see the same commands)
  const books = version.localBookkeeping ? bookkeeping : acts;
  const view = (): ContractStateView => ({
    contractId: state.contractId,
    number: state.number,
    status: state.status,
    effectiveAt: state.effectiveAt,
    termEndsAt: state.termEndsAt,
    deadlines: state.deadlines,
    documents: state.documents,
    renewals: state.renewals,
    objection: state.objection,
    amendments: state.amendments,
    terms: state.terms,
    termination: state.termination ? { reason: state.termination.reason, effectiveAt: state.termination.effectiveAt } : null,
    signatures: (['A', 'B'] as const).flatMap((p): SignatureRecord[] => { const s = state.signatures[p]; return s ? [s] : []; }),
  });
  const bothSigned = () => Boolean(state.signatures.A && state.signatures.B);
  // runs from before calendar years count with the override snapshot in their state
  let legal = new LegalCalendar(null, state.holidayOverrides);
  let signing: Deadline | null = null;
  const signingBasis = (): DeadlineBasis => ({
    from: state.createdAt,
    period: { unit: 'days', amount: state.terms.signing.periodDays },
    rule: 'act',
    what: { zh: '签署', en: 'signing' },
    trigger: { zh: '合同创建', en: 'creation of the contract' },
  });
  const closed: { kind: string; ref: string; status: 'met' | 'lapsed' | 'cancelled' }[] = [];
  const syncDeadlines = async () => {
    await books.syncDeadlines({ workflowId, contractId: state.contractId, open: state.deadlines, closed: closed.splice(0) });
  };
  const closeDeadline = (kind: DeadlineState['kind'], ref: string, status: 'met' | 'lapsed' | 'cancelled') => {
    state.deadlines = dropDeadline(state.deadlines, kind, ref);
    closed.push({ kind, ref, status });
  };

  setHandler(getContractStateQuery, view);
  setHandler(getDeadlinesQuery, () => state.deadlines);

  const startPayment = async (input: Omit<PaymentDeadlineInput, 'contractId' | 'contractNumber' | 'holidayOverrides' | 'cureDays' | 'dueDays' | 'reminderDaysBefore' | 'vatRatePercent' | 'invoiceType' | 'knownSince'>) => {
    const childId = paymentWorkflowId(input.invoiceNumber);
    if (state.children.includes(childId)) return childId;
    state.children.push(childId);
    const args: [PaymentDeadlineInput] = [
        {
          ...input,
          contractId: state.contractId,
          contractNumber: state.number,
          // newer invoices load the calendar themselves when they count (no snapshot handed down)
          holidayOverrides: version.calendarYears ? [] : state.holidayOverrides,
          cureDays: state.terms.legal.cureDays,
          dueDays: state.terms.payment.dueDays,
          reminderDaysBefore: state.terms.payment.reminderDaysBefore,
          vatRatePercent: state.terms.payment.vatRatePercent,
          invoiceType: state.terms.payment.invoiceType,
          ...(version.catchUp ? { knownSince } : {}),
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


  const inTerm = () => state.status === 'active' && !state.termination && !state.freeze;
  const requireInTerm = (what: string) => {
    if (!inTerm()) {
      throw ApplicationFailure.nonRetryable(`contract ${state.number} is ${state.termination ? 'being terminated' : state.status}: ${what} is only possible during the term`, 'INVALID_STATE');
    }
  };

  setHandler(
    objectToRenewalUpdate,
    async (request) => {
      state.objection = { party: request.party, reason: request.reason, at: nowIso() };
      closeDeadline('renewal_objection', state.termEndsAt!.slice(0, 10), 'met');
      await acts.recordRenewalObjection({ contractId: state.contractId, termEndsAt: state.termEndsAt!, party: request.party, reason: request.reason, actor: request.actor });
      return view();
    },
    {
      validator: (request: ObjectToRenewalInput) => {
        requireInTerm('objecting to renewal');
        if (Date.now() >= Date.parse(state.termEndsAt!)) {
          throw ApplicationFailure.nonRetryable(`the term ended at ${state.termEndsAt}: objections are no longer possible`, 'INVALID_STATE');
        }
        if (state.objection) {
          throw ApplicationFailure.nonRetryable(`${PARTY_LABELS[state.objection.party]} already objected to the renewal on ${state.objection.at}`, 'CONFLICT');
        }
        void request;
      },
    },
  );

  setHandler(
    terminateContractUpdate,
    async (request) => {
      state.termination = { reason: request.reason, effectiveAt: new Date(request.effectiveAt).toISOString(), actor: request.actor };
      return view();
    },
    {
      validator: (request: TerminateContractInput) => {
        requireInTerm('termination');
        if (Date.parse(request.effectiveAt) > Date.parse(state.termEndsAt!)) {
          throw ApplicationFailure.nonRetryable(`the effective date must not be after the term end (${state.termEndsAt})`, 'VALIDATION_FAILED');
        }
      },
    },
  );

  setHandler(freezeContractSignal, (request) => {
    if (state.status === 'active') state.freeze ??= request;
  });

  setHandler(
    proposeAmendmentUpdate,
    async (request) => {
      const amendment: AmendmentState = { seq: state.amendments.length + 1, description: request.description, changes: request.changes, status: 'proposed', signatures: {} };
      state.amendments.push(amendment);
      await acts.recordAmendment({ contractId: state.contractId, seq: amendment.seq, description: amendment.description, changes: amendment.changes, signatures: [], actor: request.actor });
      return amendment;
    },
    {
      validator: (_request: ProposeAmendmentInput) => {
        requireInTerm('a supplemental agreement');
        const pending = state.amendments.find((a) => a.status === 'proposed');
        if (pending) throw ApplicationFailure.nonRetryable(`supplemental agreement ${pending.seq} is still awaiting signatures`, 'CONFLICT');
      },
    },
  );

  setHandler(
    signAmendmentUpdate,
    async (request) => {
      const amendment = state.amendments.find((a) => a.seq === request.seq)!;
      amendment.signatures[request.party] = {
        party: request.party,
        signer: request.signer,
        title: request.title,
        sealed: true,
        signedAt: nowIso(),
        recordedBy: request.actor.id,
      };
      const signatures = (['A', 'B'] as const).flatMap((p): SignatureRecord[] => (amendment.signatures[p] ? [amendment.signatures[p]!] : []));
      const termsBefore = state.terms;
      let signedTerms: ContractTerms | undefined;
      if (signatures.length === 2) {
        amendment.status = 'signed';
        signedTerms = applyAmendment(state.terms, amendment.changes);
        state.terms = signedTerms;
      }
      await acts.recordAmendment({
        contractId: state.contractId,
        seq: amendment.seq,
        description: amendment.description,
        changes: amendment.changes,
        signatures,
        signedTerms,
        actor: request.actor,
      });
      if (signedTerms) {
        await acts.produceLifecycleDocument({ kind: 'amendment', contractId: state.contractId, seq: amendment.seq, termsBefore, changes: amendment.changes, signatures, issuedAt: nowIso() });
      }
      return amendment;
    },
    {
      validator: (request: SignAmendmentInput) => {
        requireInTerm('signing a supplemental agreement');
        const amendment = state.amendments.find((a) => a.seq === request.seq);
        if (!amendment) throw ApplicationFailure.nonRetryable(`supplemental agreement ${request.seq} does not exist`, 'NOT_FOUND');
        if (amendment.status !== 'proposed') throw ApplicationFailure.nonRetryable(`supplemental agreement ${request.seq} is already signed by both parties`, 'CONFLICT');
        if (amendment.signatures[request.party]) {
          throw ApplicationFailure.nonRetryable(`${PARTY_LABELS[request.party]} already signed supplemental agreement ${request.seq}`, 'ALREADY_SIGNED');
        }
      },
    },
  );

  // a notice that changes a day the signing period was counted over moves it (workflows/calendar.ts)
  setHandler(calendarChangedSignal, async (change) => {
    if (state.status !== 'awaiting_signatures') return;
    const entered = await legal.refresh(change, state.deadlines, (centreYear) => books.loadCalendar({ centreYear }));
    if (!entered || state.status !== 'awaiting_signatures') return;
    const { recounted, moves } = recountDeadlines(state.deadlines, entered.year, legal.calendar);
    if (recounted.length === 0) return;
    for (const deadline of recounted) state.deadlines = putDeadline(state.deadlines, deadline);
    signing = recountDeadline(signingBasis(), legal.calendar);
    await syncDeadlines();
    const missing = (['A', 'B'] as const).filter((p) => !state.signatures[p]);
    await announceMoves(acts, {
      workflowId,
      contractId: state.contractId,
      change: entered,
      moves,
      audiences: ['owner', ...missing.map((p) => (p === 'A' ? ('party_a_contact' as const) : ('party_b_contact' as const)))],
      subject: `签署期限调整：合同 ${state.number}`,
      what: () => `合同 ${state.number} 的签署期限`,
    });
  });

  if (version.calendarYears) {
    if (state.status === 'awaiting_signatures') legal = new LegalCalendar(await books.loadCalendar({ centreYear: calendarYearAt(state.createdAt) }));
  } else if (state.holidayOverrides.length === 0) {
    state.holidayOverrides = await books.loadHolidayOverrides();
    legal = new LegalCalendar(null, state.holidayOverrides);
  }
  if (!state.documents.contract) {
    state.documents.contract = (await acts.produceDocument({ kind: 'contract', contractId: state.contractId })).id;
  }

  if (state.status === 'awaiting_signatures') {
    signing = recountDeadline(signingBasis(), legal.calendar);
    state.deadlines = putDeadline(
      state.deadlines,
      version.calendarYears
        ? deadlineFrom('signing', 'contract', signing, signingBasis())
        : { kind: 'signing', ref: 'contract', dueAt: signing.dueAt, explanation: signing.explanation, explanationEn: signing.explanationEn },
    );
    await syncDeadlines();
    const signingDue = () => signing!.dueAt;

    const reminders = reminderInstants(signingDue(), state.terms.signing.reminderDaysBefore, Date.now()).slice(0, MAX_SIGNING_REMINDERS);
    // the reminder keeps its distance to the deadline when a calendar notice moves it
    const reminderAt = (r: { daysBefore: number }) => Date.parse(signingDue()) - r.daysBefore * 86_400_000;
    for (const [i, reminder] of reminders.entries()) {
      if (await waitUntilDue(bothSigned, () => reminderAt(reminder))) break;
      if (state.signingRemindersSent >= MAX_SIGNING_REMINDERS) break;
      // woken late: only the last reminder missed, and none after the deadline
      if (version.catchUp && !reminderStillDue(reminders.map(reminderAt), i, Date.parse(signingDue()), Date.now())) continue;
      state.signingRemindersSent += 1;
      const missing = (['A', 'B'] as const).filter((p) => !state.signatures[p]);
      await acts.notify({
        id: `${workflowId}:signing-reminder:${reminder.daysBefore}`,
        contractId: state.contractId,
        audiences: ['owner', ...missing.map((p) => (p === 'A' ? ('party_a_contact' as const) : ('party_b_contact' as const)))],
        reason: 'signing_reminder',
        subject: `合同 ${state.number} 待签署提醒`,
        body: `合同 ${state.number} 尚待${missing.map((p) => PARTY_LABELS[p]).join('、')}签字盖章，签署期限 ${signing!.explanation}`,
        sms: { template: 'signing_reminder', dueAt: signing!.dueAt },
      });
    }

    const signed = await waitUntilDue(bothSigned, signingDue);
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
        reason: `signing period lapsed: ${signing!.explanation}`,
      });
      await acts.notify({
        id: `${workflowId}:lapsed`,
        contractId: state.contractId,
        audiences: ['owner'],
        reason: 'signing_lapsed',
        subject: `合同 ${state.number} 签署期限已过，合同失效`,
        body: `合同 ${state.number} 在签署期限内未完成双方签字盖章，已失效。${signing!.explanation}`,
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
    if (input.imported) {
      // the periods still unpaid get their workflows; nothing of the past is announced
      for (const invoice of input.imported.unpaid) {
        await startPayment({ ...invoice, imported: { payments: invoice.payments } });
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
        await startPayment({
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
    }
    state.activationHandled = true;
  }

  if (state.status === 'active' && state.termEndsAt) {
    await syncDeadlines();
    // contracts that went active before renewals existed keep their recorded history
    if (!version.termRenewal()) {
      await waitUntil(() => state.status !== 'active', state.termEndsAt);
    } else {
      await runTerm();
    }
  }

  await condition(allHandlersFinished);
  return view();

  /** One term: renewal alerts, then at its end renew (continue-as-new) or expire; or stop early on termination or freeze. */
  async function runTerm(): Promise<void> {
    const termEndsAt = state.termEndsAt!;
    const termRef = termEndsAt.slice(0, 10);
    const interrupted = () => state.termination !== null || state.freeze !== null;
    const renews = () => state.terms.term.autoRenew && !state.objection;
    if (renews() && Date.now() < Date.parse(termEndsAt)) {
      state.deadlines = putDeadline(state.deadlines, {
        kind: 'renewal_objection',
        ref: termRef,
        dueAt: termEndsAt,
        explanation: `如有异议，须在合同期限届满（${termEndsAt.slice(0, 10)} 24:00 北京时间前）之前书面提出；无异议则自动顺延 ${state.terms.term.renewalYears} 年。`,
        explanationEn: `A written objection must reach the other party before the term ends; without one the contract renews by ${state.terms.term.renewalYears} year(s).`,
      });
      await syncDeadlines();
    }

    const alerts = reminderInstants(termEndsAt, state.terms.term.renewalAlertDaysBefore, Date.now());
    for (const [i, alert] of alerts.entries()) {
      if (await waitUntil(interrupted, alert.at)) break;
      const key = `${termRef}:${alert.daysBefore}`;
      if (!renews() || state.renewalAlertsSent.includes(key)) continue;
      // woken late: only the last alert missed, and none once the term has ended
      if (version.catchUp && !reminderStillDue(alerts.map((a) => a.at), i, Date.parse(termEndsAt), Date.now())) continue;
      state.renewalAlertsSent.push(key);
      const next = renewedTermEnd(termEndsAt, state.terms.term.renewalYears);
      await acts.produceLifecycleDocument({
        kind: 'renewal_notice',
        contractId: state.contractId,
        ref: key,
        termEndsAt,
        renewedUntil: next.dueAt,
        renewalFeeFen: renewalFeeFen(state.terms),
        issuedAt: new Date(alert.at).toISOString(),
      });
      await acts.notify({
        id: `${workflowId}:renewal-alert:${key}`,
        contractId: state.contractId,
        audiences: ['party_a_contact', 'owner'],
        reason: 'renewal_alert',
        subject: `合同 ${state.number} 将于 ${alert.daysBefore} 日后到期`,
        body: `合同 ${state.number} 的期限于 ${termRef} 24:00 届满；如无异议将自动顺延 ${state.terms.term.renewalYears} 年至 ${next.lastDay}。`,
        sms: { template: 'renewal_alert', termEndsAt, renewedUntil: next.dueAt },
      });
    }

    for (;;) {
      // a long wait for the term end: start a fresh history first if the server suggests it
      if (workflowInfo().continueAsNewSuggested && !interrupted()) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof contractLifecycle>({ ...input, state });
      }
      await waitUntil(interrupted, termEndsAt);
      if (!interrupted()) break;
      if (state.freeze) return endContract('frozen', `content violation ${state.freeze.caseId}: ${state.freeze.reason}`, state.freeze.actor);
      // a termination takes effect on its date, unless a freeze comes first
      const termination = state.termination!;
      if (await waitUntil(() => state.freeze !== null, termination.effectiveAt)) continue;
      return endContract('terminated', termination.reason, termination.actor, termination.effectiveAt);
    }
    await condition(allHandlersFinished);

    if (!renews()) {
      state.status = 'expired';
      for (const d of state.deadlines) closed.push({ kind: d.kind, ref: d.ref, status: d.kind === 'term_end' ? 'met' : 'cancelled' });
      state.deadlines = [];
      await acts.changeStatus({
        contractId: state.contractId,
        from: ['active'],
        to: 'expired',
        actor: SYSTEM_ACTOR,
        reason: state.objection ? `${PARTY_LABELS[state.objection.party]} objected to renewal: ${state.objection.reason}` : 'the contract does not renew automatically',
      });
      if (state.objection) {
        await acts.produceLifecycleDocument({ kind: 'expiry_notice', contractId: state.contractId, ref: termRef, expiredAt: termEndsAt, objection: { party: state.objection.party, reason: state.objection.reason } });
      }
      await syncDeadlines();
      await acts.notify({
        id: `${workflowId}:expired:${termRef}`,
        contractId: state.contractId,
        audiences: ['party_a_contact', 'party_b_contact', 'owner'],
        reason: 'contract_expired',
        subject: `合同 ${state.number} 已到期终止`,
        body: `合同 ${state.number} 于 ${termRef} 24:00 期限届满${state.objection ? `，因${PARTY_LABELS[state.objection.party]}提出异议不再顺延` : ''}。`,
        sms: { template: 'contract_expired', termEndsAt },
      });
      return;
    }

    state.renewals += 1;
    const next = renewedTermEnd(termEndsAt, state.terms.term.renewalYears);
    const invoice = invoiceNumber(state.number, { kind: 'renewal', renewal: state.renewals });
    await startPayment({
      invoiceNumber: invoice,
      kind: 'renewal',
      periodLabel: renewalLabel(state.terms, state.renewals),
      amountFen: renewalFeeFen(state.terms),
      trigger: termEndsAt,
    });
    await acts.recordRenewal({ contractId: state.contractId, seq: state.renewals, previousEndAt: termEndsAt, newEndAt: next.dueAt, invoiceNumber: invoice });
    closed.push({ kind: 'term_end', ref: termRef, status: 'met' }, { kind: 'renewal_objection', ref: termRef, status: 'lapsed' });
    state.deadlines = putDeadline(dropDeadline(dropDeadline(state.deadlines, 'term_end', termRef), 'renewal_objection', termRef), termEndDeadline(next));
    state.termEndsAt = next.dueAt;
    state.objection = null;
    state.renewalAlertsSent = [];
    await syncDeadlines();
    await acts.notify({
      id: `${workflowId}:renewed:${state.renewals}`,
      contractId: state.contractId,
      audiences: ['party_a_contact', 'owner'],
      reason: 'contract_renewed',
      subject: `合同 ${state.number} 已自动顺延`,
      body: `合同 ${state.number} 期限届满无异议，自动顺延至 ${next.lastDay} 24:00；续期发票 ${invoice} 已开具。`,
      sms: { template: 'contract_renewed', renewedUntil: next.dueAt, feeFen: renewalFeeFen(state.terms) },
    });
    await condition(allHandlersFinished);
    // a term boundary: start a fresh history carrying only plain JSON state
    await continueAsNew<typeof contractLifecycle>({ ...input, state });
  }

  async function endContract(status: 'terminated' | 'frozen', reason: string, actor: Actor, effectiveAt = nowIso()): Promise<void> {
    state.status = status;
    for (const d of state.deadlines) closed.push({ kind: d.kind, ref: d.ref, status: 'cancelled' });
    state.deadlines = [];
    await acts.cancelWorkflows({ workflowIds: state.children });
    if (status === 'terminated') {
      await acts.recordTermination({ contractId: state.contractId, reason, effectiveAt, actor });
    } else {
      await acts.changeStatus({ contractId: state.contractId, from: ['active'], to: 'frozen', actor, reason });
    }
    await syncDeadlines();
    await acts.notify({
      id: `${workflowId}:${status}`,
      contractId: state.contractId,
      audiences: ['party_a_contact', 'party_b_contact', 'owner', 'legal'],
      reason: `contract_${status}`,
      subject: status === 'terminated' ? `合同 ${state.number} 已解除` : `合同 ${state.number} 账号已永久冻结`,
      body: status === 'terminated' ? `合同 ${state.number} 自 ${effectiveAt} 起解除：${reason}` : `因违规内容，账号永久冻结，剩余套餐作废且不可重新申请开通：${reason}`,
      sms: status === 'terminated' ? { template: 'contract_terminated', effectiveAt } : { template: 'contract_frozen' },
    });
  }
}
