/**
 * An outage (Art.5 §8): Party B must notify every affected customer within
 * 24 hours of learning of an interruption. The notices go out at once unless
 * an operator holds them for review; at 20 hours unsent, operations and legal
 * are alerted; at 24 hours each affected contract's case is marked late
 * (Party B's breach), with who held the notice and since when. The
 * resolution sends the restoration notice and closes the cases.
 *
 * Workflow id: outage-<outageId>. The outage row and one case per affected
 * contract exist before the workflow starts (POST /api/outages).
 *
 * Since `outage-batches-v1` the input holds the outage and how many contracts
 * it affects, and the workflow walks the cases in Postgres page by page,
 * continuing as new as it goes (outage-notice-pages.ts): an "all" outage over
 * every contract fits. Runs started before carry the case list in their input
 * (it broke Temporal's 2 MB payload limit at about 600 contracts) and keep
 * the code below, `outageNoticeWithCases`, unchanged for their replay.
 */
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Actor } from '../domain/contract';
import { outageActs, type OutageCaseRef } from './activity-proxies';
import { chunk, createSerial } from './case-support';
import { DeadlineBook } from './deadline-book';
import { getDeadlinesQuery } from './messages/deadlines';
import { getOutageQuery, holdOutageNoticeUpdate, releaseOutageNoticeUpdate, resolveOutageUpdate, type OutageView } from './messages/outage-notice';
import { outageNoticeInPages, type OutageNoticeByIdInput } from './outage-notice-pages';
import * as rules from './outage-rules';
import type { OutageBaseInput, OutageMove, OutageState } from './outage-rules';
import { nowIso, waitUntil } from './shared';
import { outageVersion } from './versions';

export type { OutageNoticeByIdInput, OutagePaging } from './outage-notice-pages';

/** Contracts per notice activity: a retry redoes at most this many (each step is keyed, so nothing twice). */
const NOTICE_BATCH = 25;

/** The input of runs started before `outage-batches-v1`: every affected case in the input. */
export type OutageNoticeWithCasesInput = OutageBaseInput & { cases: OutageCaseRef[] };

/** What starts an outage's workflow: since `outage-batches-v1` the outage and its count of contracts, no list. */
export type OutageNoticeInput = OutageNoticeByIdInput | OutageNoticeWithCasesInput;

export async function outageNotice(input: OutageNoticeInput): Promise<OutageView> {
  // decided at the first activation, before any await (workflows/versions.ts)
  if (outageVersion(input).pages) return outageNoticeInPages(input as OutageNoticeByIdInput);
  return outageNoticeWithCases(input as OutageNoticeWithCasesInput);
}

/**
 * The outage workflow as it ran before `outage-batches-v1` (its case list in
 * the input): its commands kept as they were, for those runs' replay (the
 * rules, texts and moves it shares with the paged one: outage-rules.ts).
 */
async function outageNoticeWithCases(input: OutageNoticeWithCasesInput): Promise<OutageView> {
  const workflowId = workflowInfo().workflowId;
  const { outageId } = input;
  const dueMs = Date.parse(input.notice.dueAt);
  const alertMs = rules.alertMsOf(dueMs);
  const book = new DeadlineBook();
  book.put(input.notice);
  const serial = createSerial();
  const state: OutageState = rules.initialState(input);
  let releasedBy: Actor | null = null;

  const view = (): OutageView => rules.outageView(input, state, input.cases.length);
  /** Moves every case of the outage the same way, with the outage's own change. */
  const everyCase = (move: OutageMove) =>
    outageActs.recordOutageProgress({
      outageId,
      outage: move.patch,
      actor: move.actor,
      auditType: move.auditType,
      cases: input.cases.map((c) => ({ caseId: c.caseId, ...move.step })),
    });

  setHandler(getOutageQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);

  setHandler(
    holdOutageNoticeUpdate,
    async (request) => {
      const at = nowIso();
      const wasLate = rules.applyHold(state, request, at);
      await serial(() => everyCase(rules.heldMove(outageId, request, at, state.status, wasLate)));
      return view();
    },
    { validator: (_request) => rules.validateHold(outageId, state) },
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
    { validator: (_request) => rules.validateRelease(outageId, state) },
  );

  setHandler(
    resolveOutageUpdate,
    async (request) => {
      const at = nowIso();
      const restored = new Date(request.restoredAt).toISOString();
      const notifiedStatus = rules.applyRestored(state, restored);
      const description = request.description ?? input.description;
      for (const batch of chunk(input.cases, NOTICE_BATCH)) {
        await serial(() =>
          outageActs.sendOutageNotices(rules.restorationNotices(workflowId, input, { at, actor: request.actor, restored, description, from: notifiedStatus }, { cases: batch })),
        );
      }
      await serial(() => outageActs.recordOutageProgress(rules.restoredProgress(outageId, restored, request.actor)));
      return view();
    },
    { validator: (request) => rules.validateResolve(input, state, request) },
  );

  /** 20 hours and still unsent: operations and legal are alerted. */
  async function alertUnsent(): Promise<void> {
    const at = nowIso();
    state.alertedAt = at;
    const heldBy = state.hold?.by.id ?? null;
    await outageActs.alertStaff(rules.unsentAlert(workflowId, input, input.cases.length, heldBy));
    await serial(() => everyCase(rules.unsentAlertMove(input, at, heldBy)));
  }

  /** 24 hours and still unsent: Party B is late; the record names who held the notice (or who reported the outage late) and when. */
  async function markLate(): Promise<void> {
    const at = nowIso();
    state.lateAt = at;
    state.status = 'late';
    const late = rules.lateDetails(input, at, state.hold ?? state.lastHold);
    await serial(() => everyCase(rules.lateMove(outageId, at, late)));
    await outageActs.alertStaff(rules.lateAlert(workflowId, input, late));
  }

  async function sendNotices(actor: Actor): Promise<void> {
    state.sending = true;
    const at = nowIso();
    const onTime = Date.now() <= dueMs;
    if (!onTime && state.lateAt === null) await markLate();
    const to = onTime ? 'notified' : 'notified_late';
    book.close('outage_notice', outageId, onTime ? 'met' : 'lapsed');
    for (const batch of chunk(input.cases, NOTICE_BATCH)) {
      await serial(() => outageActs.sendOutageNotices(rules.interruptionNotices(workflowId, input, { at, actor, onTime, to }, { cases: batch })));
    }
    await serial(() => outageActs.recordOutageProgress(rules.notifiedProgress(outageId, to, at, actor)));
    rules.applyNotified(state, to, at, actor);
  }

  while (state.notifiedAt === null) {
    if (!state.hold) {
      await sendNotices(releasedBy ?? input.actor);
      break;
    }
    if (state.alertedAt === null) {
      if (await waitUntil(() => !state.hold, alertMs)) continue;
      await alertUnsent();
      continue;
    }
    if (state.lateAt === null) {
      if (await waitUntil(() => !state.hold, dueMs)) continue;
      await markLate();
      continue;
    }
    await condition(() => !state.hold);
  }
  await condition(() => state.status === 'restored');
  await condition(allHandlersFinished);
  return view();
}
