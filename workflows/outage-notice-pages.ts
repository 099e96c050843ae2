/**
 * The outage notice (Art.5 §8) over any number of contracts
 * (`outage-batches-v1`): the input holds the outage and how many contracts
 * it affects, never the list. Every outage-wide step (held, released, the
 * 20-hour alert, late, the notices, the restoration) walks the outage's cases
 * in Postgres page by page, in case id order (an activity reads each page:
 * `WHERE outage_id = $1 AND id > $last ORDER BY id LIMIT n`), so neither the
 * input nor any activity's input or result grows with the outage.
 *
 * The steps the workflow runs by itself (the alert, late, the notices) carry
 * their cursor: after `pagesPerRun` pages (or when Temporal suggests it) the
 * run continues as new with its state (hold, instants, the step under way
 * and its cursor) and the next run resumes at the next page. Each case's
 * move is keyed (`held:<at>`, `unsent_alert`, `late`, `notified`…) and each
 * notification by workflow, kind and case, so a page retried, or rerun by
 * the next run, moves and notifies nobody twice.
 *
 * The steps an update runs (hold, release, resolve) page inside the update
 * and never continue as new halfway: a run continues only when no update is
 * in flight.
 *
 * Outages reported before the patch carry their cases in the input and keep
 * running outage-notice.ts `outageNoticeWithCases`.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Actor } from '../domain/contract';
import { outageActs, type Activities } from './activity-proxies';
import { createSerial, invalidState } from './case-support';
import { DeadlineBook } from './deadline-book';
import { getDeadlinesQuery } from './messages/deadlines';
import { getOutageQuery, holdOutageNoticeUpdate, releaseOutageNoticeUpdate, resolveOutageUpdate, type OutageView } from './messages/outage-notice';
import * as rules from './outage-rules';
import type { LateDetails, OutageBaseInput, OutageMove, OutageNotices, OutageState } from './outage-rules';
import { nowIso, waitUntil } from './shared';

/** Cases per page of a step that only writes (held, released, unsent_alert, late): one transaction each. */
export const OUTAGE_STEP_PAGE = 200;
/** Cases per page of notices: each renders a PDF and notifies, so a retried page redoes little (and nothing twice). */
export const OUTAGE_NOTICE_PAGE = 25;
/** Pages a run schedules before it continues as new at its next page (each page is about six history events). */
export const OUTAGE_PAGES_PER_RUN = 100;

/** How an outage walks its cases: page sizes, and pages per run before it continues as new. */
export type OutagePaging = { stepPage: number; noticePage: number; pagesPerRun: number };
export const OUTAGE_PAGING: OutagePaging = { stepPage: OUTAGE_STEP_PAGE, noticePage: OUTAGE_NOTICE_PAGE, pagesPerRun: OUTAGE_PAGES_PER_RUN };

type AdvanceInput = Parameters<Activities['advanceOutageCases']>[0];
type Opening = Parameters<Activities['openOutageCases']>[0]['opening'];
type Page = { after: string | null; limit: number };

/** A step the workflow runs by itself, page by page; a continued run resumes it at `after`. */
type FanOut =
  | { kind: 'open'; after: string | null }
  | { kind: 'cases'; step: AdvanceInput['step']; outage: AdvanceInput['outage']; after: string | null; then: { lateAlert: LateDetails } | null }
  | { kind: 'notices'; notices: OutageNotices; after: string | null };

/** The state a run hands the next one (continue-as-new): small whatever the outage's size. */
export type OutageCarried = Omit<OutageState, 'restoredAt'> & {
  releasedBy: Actor | null;
  fanOut: FanOut | null;
  /** the runs before this one */
  runs: number;
};

export type OutageNoticeByIdInput = OutageBaseInput & {
  /** how many contracts the outage affects (outage_contracts, written with the outage row) */
  contracts: number;
  scope: 'all' | 'listed';
  /** when it was reported: its cases open as of then */
  reportedAt: string;
  /** unset (and in every run started before it was added): OUTAGE_PAGING */
  paging?: OutagePaging;
  carried?: OutageCarried;
};

export async function outageNoticeInPages(input: OutageNoticeByIdInput): Promise<OutageView> {
  const workflowId = workflowInfo().workflowId;
  const { outageId, carried } = input;
  const { stepPage, noticePage, pagesPerRun } = input.paging ?? OUTAGE_PAGING;
  const dueMs = Date.parse(input.notice.dueAt);
  const alertMs = rules.alertMsOf(dueMs);
  const book = new DeadlineBook();
  book.put(input.notice);
  const serial = createSerial();
  const state: OutageState = rules.initialState(input, carried);
  let releasedBy = carried?.releasedBy ?? null;
  // the first step opens the cases (those of a small outage were opened with its report: nothing to do)
  let fanOut: FanOut | null = carried ? carried.fanOut : { kind: 'open', after: null };
  const opening: Opening = {
    outageId,
    workflowId,
    cause: input.cause,
    description: input.description,
    startedAt: input.startedAt,
    learnedAt: input.learnedAt,
    scope: input.scope,
    held: input.holdForReview,
    reportedAt: input.reportedAt,
    actor: input.actor,
    notice: input.notice,
  };
  /** an update waits until every case is open (it moves every case) */
  const stillOpening = () => {
    if (fanOut?.kind === 'open') throw invalidState(`outage ${outageId} is still opening the cases of its ${input.contracts} contracts: retry shortly`);
  };
  const closedNotice = state.notifiedAt !== null ? state.status : fanOut?.kind === 'notices' ? fanOut.notices.transition.to : null;
  if (closedNotice) book.close('outage_notice', outageId, closedNotice === 'notified' ? 'met' : 'lapsed');
  let pagesThisRun = 0;

  const view = (): OutageView => rules.outageView(input, state, input.contracts);

  setHandler(getOutageQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);

  /** The outage's own change of a step, given with the step's first page. */
  const outageOf = (move: OutageMove): AdvanceInput['outage'] => ({ patch: move.patch, actor: move.actor, auditType: move.auditType, contracts: input.contracts });

  /** Moves every case the same way, page by page (inside an update: never continues as new halfway). */
  async function everyCase(move: OutageMove): Promise<void> {
    const { step } = move;
    const outage = outageOf(move);
    let page: Page = { after: null, limit: stepPage };
    for (;;) {
      const done = await outageActs.advanceOutageCases({ outageId, page, step, ...(page.after === null && outage ? { outage } : {}) });
      pagesThisRun += 1;
      if (done.cases < page.limit || done.last === null) return;
      page = { after: done.last, limit: stepPage };
    }
  }

  setHandler(
    holdOutageNoticeUpdate,
    async (request) => {
      const at = nowIso();
      const wasLate = rules.applyHold(state, request, at);
      await serial(() => everyCase(rules.heldMove(outageId, request, at, state.status, wasLate)));
      return view();
    },
    {
      validator: (_request) => {
        stillOpening();
        rules.validateHold(outageId, state);
      },
    },
  );

  setHandler(
    releaseOutageNoticeUpdate,
    async (request) => {
      const at = nowIso();
      const held = state.hold!;
      releasedBy = request.actor;
      state.hold = null;
      await serial(() => everyCase(rules.releasedMove(outageId, request, at, held)));
      // the main loop sends the notices; the caller gets the outcome
      await condition(() => state.notifiedAt !== null);
      return view();
    },
    {
      validator: (_request) => {
        stillOpening();
        rules.validateRelease(outageId, state);
      },
    },
  );

  setHandler(
    resolveOutageUpdate,
    async (request) => {
      const at = nowIso();
      const restored = new Date(request.restoredAt).toISOString();
      const notifiedStatus = rules.applyRestored(state, restored);
      const description = request.description ?? input.description;
      const notices = rules.restorationNotices(workflowId, input, { at, actor: request.actor, restored, description, from: notifiedStatus }, {});
      await serial(async () => {
        let page: Page = { after: null, limit: noticePage };
        for (;;) {
          const done = await outageActs.sendOutageNoticePage({ ...notices, page });
          pagesThisRun += 1;
          if (done.cases < page.limit || done.last === null) return;
          page = { after: done.last, limit: noticePage };
        }
      });
      await serial(() => outageActs.recordOutageProgress(rules.restoredProgress(outageId, restored, request.actor)));
      return view();
    },
    { validator: (request) => rules.validateResolve(input, state, request) },
  );

  /** Hands the run over to a fresh one when its history has grown, and no update is in flight (one would be cut off). */
  async function checkpoint(): Promise<void> {
    if (pagesThisRun < pagesPerRun && !workflowInfo().continueAsNewSuggested) return;
    if (!allHandlersFinished()) return;
    const { status, hold, lastHold, alertedAt, lateAt, notifiedAt, notifiedBy, sending } = state;
    const next: OutageCarried = { status, hold, lastHold, alertedAt, lateAt, notifiedAt, notifiedBy, releasedBy, sending, fanOut, runs: (carried?.runs ?? 0) + 1 };
    await continueAsNew<(input: OutageNoticeByIdInput) => Promise<OutageView>>({ ...input, carried: next });
  }

  /** Runs the step under way to its end, page by page, continuing as new between pages when the run is long. */
  async function runFanOut(): Promise<void> {
    while (fanOut) {
      await checkpoint();
      const current = fanOut;
      if (current.kind === 'open') {
        const page: Page = { after: current.after, limit: stepPage };
        const done = await serial(() => outageActs.openOutageCases({ opening, page }));
        pagesThisRun += 1;
        fanOut = done.cases === page.limit && done.last !== null ? { kind: 'open', after: done.last } : null;
      } else if (current.kind === 'cases') {
        const page: Page = { after: current.after, limit: stepPage };
        const done = await serial(() =>
          outageActs.advanceOutageCases({ outageId, page, step: current.step, ...(page.after === null && current.outage ? { outage: current.outage } : {}) }),
        );
        pagesThisRun += 1;
        if (done.cases === page.limit && done.last !== null) {
          fanOut = { ...current, after: done.last };
          continue;
        }
        fanOut = null;
        if (current.then) await outageActs.alertStaff(rules.lateAlert(workflowId, input, current.then.lateAlert));
      } else {
        const page: Page = { after: current.after, limit: noticePage };
        const done = await serial(() => outageActs.sendOutageNoticePage({ ...current.notices, page }));
        pagesThisRun += 1;
        if (done.cases === page.limit && done.last !== null) {
          fanOut = { ...current, after: done.last };
          continue;
        }
        const { issuedAt: at, actor } = current.notices;
        const to = current.notices.transition.to as 'notified' | 'notified_late';
        await serial(() => outageActs.recordOutageProgress(rules.notifiedProgress(outageId, to, at, actor)));
        fanOut = null;
        rules.applyNotified(state, to, at, actor);
      }
    }
  }

  /** The step every case records, page by page (`then`: what follows its last page). */
  const casesFanOut = (move: OutageMove, then: { lateAlert: LateDetails } | null): FanOut => ({ kind: 'cases', step: move.step, outage: outageOf(move), after: null, then });

  /** 20 hours and still unsent: operations and legal are alerted, and each case records it. */
  async function beginAlert(): Promise<void> {
    const at = nowIso();
    state.alertedAt = at;
    const heldBy = state.hold?.by.id ?? null;
    await outageActs.alertStaff(rules.unsentAlert(workflowId, input, input.contracts, heldBy));
    fanOut = casesFanOut(rules.unsentAlertMove(input, at, heldBy), null);
  }

  /** 24 hours and still unsent: Party B is late; each case records who held the notice (or reported the outage late) and when; then staff are alerted. */
  function beginLate(): void {
    const at = nowIso();
    state.lateAt = at;
    state.status = 'late';
    const late = rules.lateDetails(input, at, state.hold ?? state.lastHold);
    fanOut = casesFanOut(rules.lateMove(outageId, at, late), { lateAlert: late });
  }

  /** The notices go out (marking Party B late first when the deadline has passed unmarked). */
  function beginNotices(actor: Actor): void {
    state.sending = true;
    if (Date.now() > dueMs && state.lateAt === null) {
      beginLate();
      return;
    }
    const at = nowIso();
    const onTime = Date.now() <= dueMs;
    const to = onTime ? 'notified' : 'notified_late';
    book.close('outage_notice', outageId, onTime ? 'met' : 'lapsed');
    fanOut = { kind: 'notices', notices: rules.interruptionNotices(workflowId, input, { at, actor, onTime, to }, {}), after: null };
  }

  while (state.notifiedAt === null) {
    if (fanOut) {
      await runFanOut();
      continue;
    }
    if (!state.hold || state.sending) {
      beginNotices(releasedBy ?? input.actor);
      continue;
    }
    if (state.alertedAt === null) {
      if (await waitUntil(() => !state.hold, alertMs)) continue;
      await beginAlert();
      continue;
    }
    if (state.lateAt === null) {
      if (await waitUntil(() => !state.hold, dueMs)) continue;
      beginLate();
      continue;
    }
    await condition(() => !state.hold);
  }
  await checkpoint();
  await condition(() => state.status === 'restored');
  await condition(allHandlersFinished);
  return view();
}
