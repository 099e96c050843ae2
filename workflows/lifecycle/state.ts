/**
 * One run of a contract's lifecycle, shared by its phases (signing.ts,
 * activation.ts, term.ts, renewal.ts, ending.ts) and its message handlers
 * (payments.ts, amendments.ts and the phases'): the plain JSON state it
 * carries through continue-as-new, the deadlines it holds, the calendar it
 * counts with, and the few questions every phase asks.
 *
 * Order of commands. Replay compares the commands of each workflow task in
 * the order the workflow made them, and the main flow and the update handlers
 * make theirs side by side: in one task when their activities complete
 * together. Which comes first depends on how many microtask turns each takes
 * after its activity resolves, and every `await` of an async function adds
 * one. So the main flow keeps the await structure it has always had: a phase
 * is entered with no await of its own, a step that ends in one activity is a
 * plain function returning that activity's promise, and where a phase ends
 * while handlers may be running (after an activity or a timer) the next one
 * begins in the same turn (`activate` ends by running the term). After
 * `condition(allHandlersFinished)`, where every update is refused (a lapse,
 * an expiry), or where nothing follows, an extra turn changes nothing.
 */
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { HolidayOverride } from '../../domain/calendar';
import type { Actor, ContractStatus, DeadlineState, SignatureRecord } from '../../domain/contract';
import type { DeliveryState } from '../../domain/delivery';
import type { Deadline } from '../../domain/periods';
import type { ContractTerms, PartyCode } from '../../domain/terms';
import { acts, bookkeeping } from '../activity-proxies';
import { announceMoves, LegalCalendar, recountDeadlines } from '../calendar';
import type { contractLifecycle, ContractLifecycleInput } from '../contract-lifecycle';
import { DeadlineBook } from '../deadline-book';
import { refuse } from '../refusals';
import type { CalendarChange } from '../messages/calendar';
import type { AmendmentState, ContractDocuments, ContractStateView, FreezeContractInput, RenewalObjection } from '../messages/contract-lifecycle';
import type { LifecycleVersion } from '../versions';

/** What a run carries into the next (continue-as-new): plain JSON only. */
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
  /** the open deadlines (kept by the run's DeadlineBook) */
  deadlines: DeadlineState[];
  documents: ContractDocuments;
  holidayOverrides: HolidayOverride[];
  signingRemindersSent: number;
  /** payment workflows (and later cases) this contract started; cancelled on termination */
  children: string[];
  topUps: number;
  activationHandled: boolean;
  renewals: number;
  objection: RenewalObjection | null;
  termination: { reason: string; effectiveAt: string; actor: Actor } | null;
  freeze: FreezeContractInput | null;
  amendments: AmendmentState[];
  renewalAlertsSent: string[];
  /** Art.3 §3: the delivery form and its confirmation (lifecycle/delivery.ts); absent on runs from before delivery-confirmation-v1 */
  delivery?: DeliveryState;
};

/** The term's end as a deadline (its ref: the last day). */
export const termEndDeadline = (end: Deadline): DeadlineState => ({
  kind: 'term_end',
  ref: end.lastDay ?? end.dueAt,
  dueAt: end.dueAt,
  explanation: end.explanation,
  explanationEn: end.explanationEn,
});

export class ContractRun {
  readonly state: LifecycleState;
  readonly workflowId = workflowInfo().workflowId;
  /** the deadlines it holds: the open ones live in `state.deadlines` */
  readonly book: DeadlineBook;
  /** when the contract entered the system: invoices never answer a lapse before it with a breach notice */
  readonly knownSince: string;
  /** the short Postgres bookkeeping; runs whose history has the regular activities keep them (replay must see the same commands) */
  readonly bookkeeping: typeof acts | typeof bookkeeping;
  /** the calendar periods are counted with; runs from before calendar years count with the override snapshot in their state */
  legal: LegalCalendar;
  /** the signing period as counted now: a calendar notice may move it (signing.ts) */
  signing: Deadline | null = null;

  constructor(
    readonly input: ContractLifecycleInput,
    readonly version: LifecycleVersion,
  ) {
    this.state = {
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
    this.book = new DeadlineBook(this.state);
    this.knownSince = input.imported?.importedAt ?? this.state.createdAt;
    this.bookkeeping = version.localBookkeeping ? bookkeeping : acts;
    this.legal = new LegalCalendar(null, this.state.holidayOverrides);
  }

  /** What the contract query (and every update) answers. */
  readonly view = (): ContractStateView => {
    const { state } = this;
    return {
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
      delivery: state.delivery ?? null,
      signatures: (['A', 'B'] as const).flatMap((p): SignatureRecord[] => { const s = state.signatures[p]; return s ? [s] : []; }),
    };
  };

  readonly bothSigned = (): boolean => Boolean(this.state.signatures.A && this.state.signatures.B);

  /** A termination or a freeze stops the term early (ending.ts). */
  readonly interrupted = (): boolean => this.state.termination !== null || this.state.freeze !== null;

  /** Refuses an update that only makes sense during the term (not once a termination is under way). */
  requireInTerm(what: string): void {
    const { state } = this;
    if (!(state.status === 'active' && !state.termination && !state.freeze)) {
      throw refuse(
        'contract.not_in_term',
        { number: state.number, status: state.status, terminating: state.termination !== null },
        `contract ${state.number} is ${state.termination ? 'being terminated' : state.status}: ${what} is only possible during the term`,
      );
    }
  }

  /**
   * Closes a deadline and tells the read model so at the next sync, even when
   * this run no longer holds it (a handler may have taken it off meanwhile).
   */
  closeDeadline(kind: DeadlineState['kind'], ref: string, status: 'met' | 'lapsed' | 'cancelled'): void {
    this.book.drop(kind, ref);
    this.book.record(kind, ref, status);
  }

  /** Writes the open deadlines and the ones closed since the last sync to the read model. */
  async syncDeadlines(): Promise<void> {
    await this.bookkeeping.syncDeadlines({ workflowId: this.workflowId, contractId: this.state.contractId, open: this.book.open, closed: this.book.drainClosed() });
  }

  /**
   * A holiday notice that changes a day some of the open deadlines were
   * counted over: those (`which`) are counted again while `still` holds, the
   * book takes them, `apply` updates what the phase keeps of them, the read
   * model is synced and each move is recorded and told once (to whom `tell`
   * says then).
   */
  async recountOnNotice(
    change: CalendarChange,
    spec: { still: () => boolean; which: (open: readonly DeadlineState[]) => readonly DeadlineState[]; apply: (recounted: DeadlineState[]) => void; tell: () => Pick<Parameters<typeof announceMoves>[1], 'audiences' | 'subject' | 'what'> },
  ): Promise<void> {
    const entered = await this.legal.refresh(change, this.book.open, (centreYear) => this.bookkeeping.loadCalendar({ centreYear }));
    if (!entered || !spec.still()) return;
    const { recounted, moves } = recountDeadlines(spec.which(this.book.open), entered.year, this.legal.calendar);
    if (recounted.length === 0) return;
    for (const deadline of recounted) this.book.put(deadline);
    spec.apply(recounted);
    await this.syncDeadlines();
    await announceMoves(acts, { workflowId: this.workflowId, contractId: this.state.contractId, change: entered, moves, ...spec.tell() });
  }

  /** A fresh history carrying only the plain JSON state (once every handler has finished). */
  async continueAsNew(): Promise<never> {
    await condition(allHandlersFinished);
    return continueAsNew<typeof contractLifecycle>({ ...this.input, state: this.state });
  }
}
