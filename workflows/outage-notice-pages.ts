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
 * their cursor: after PAGES_PER_RUN pages (or when Temporal suggests it) the
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
import type { Actor, DeadlineState } from '../domain/contract';
import { OUTAGE_ALERT_LEAD_HOURS, type OutageCause, type OutageStatus } from '../domain/legal';
import { outageActs, type Activities } from './activity-proxies';
import { createSerial, invalidInput, invalidState, LEGAL_SYSTEM_ACTOR } from './case-support';
import { DeadlineBook } from './deadline-book';
import { getDeadlinesQuery } from './messages/deadlines';
import {
  getOutageQuery,
  holdOutageNoticeUpdate,
  releaseOutageNoticeUpdate,
  resolveOutageUpdate,
  type HoldOutageInput,
  type OutageHold,
  type OutageView,
  type ReleaseOutageInput,
  type ResolveOutageInput,
} from './messages/outage-notice';
import { nowIso, waitUntil } from './shared';

/** Cases per page of a step that only writes (held, released, unsent_alert, late): one transaction each. */
export const OUTAGE_STEP_PAGE = 200;
/** Cases per page of notices: each renders a PDF and notifies, so a retried page redoes little (and nothing twice). */
export const OUTAGE_NOTICE_PAGE = 25;
/** Pages a run schedules before it continues as new at its next page (each page is about six history events). */
export const OUTAGE_PAGES_PER_RUN = 100;
const HOUR_MS = 3_600_000;

type AdvanceInput = Parameters<Activities['advanceOutageCases']>[0];
type NoticePageInput = Parameters<Activities['sendOutageNoticePage']>[0];
type Opening = Parameters<Activities['openOutageCases']>[0]['opening'];
type Page = { after: string | null; limit: number };

/** What every outage workflow gets (the outage as reported). */
export type OutageBaseInput = {
  outageId: string;
  startedAt: string;
  learnedAt: string;
  cause: OutageCause;
  description: string;
  /** computeDeadline, hours from learnedAt (ref: the outage id) */
  notice: DeadlineState;
  holdForReview: boolean;
  /** who reported the outage */
  actor: Actor;
};

/** A step the workflow runs by itself, page by page; a continued run resumes it at `after`. */
type FanOut =
  | { kind: 'open'; after: string | null }
  | { kind: 'cases'; step: AdvanceInput['step']; outage: AdvanceInput['outage']; after: string | null; then: { lateAlert: LateDetails } | null }
  | { kind: 'notices'; notices: Omit<NoticePageInput, 'page'>; after: string | null };

/** The state a run hands the next one (continue-as-new): small whatever the outage's size. */
export type OutageCarried = {
  status: OutageStatus;
  hold: OutageHold | null;
  lastHold: OutageHold | null;
  alertedAt: string | null;
  lateAt: string | null;
  notifiedAt: string | null;
  notifiedBy: string | null;
  releasedBy: Actor | null;
  sending: boolean;
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
  carried?: OutageCarried;
};

type LateDetails = ReturnType<typeof lateDetails>;

/** The late record of each case: Party B's breach, who held the notice (or reported the outage late) and when. */
function lateDetails(input: OutageBaseInput, at: string, responsible: OutageHold | null) {
  return {
    dueAt: input.notice.dueAt,
    markedAt: at,
    breachBy: 'B',
    responsible: responsible ? { id: responsible.by.id, role: responsible.by.role } : { id: input.actor.id, role: input.actor.role },
    heldSince: responsible?.at ?? null,
    holdReason: responsible?.reason ?? null,
    reason: responsible ? '通知被暂缓审核，至期限届满仍未发出' : '登记中断时已超过通知期限',
    clause: '第五条第8款',
  };
}

export async function outageNoticeInPages(input: OutageNoticeByIdInput): Promise<OutageView> {
  const workflowId = workflowInfo().workflowId;
  const { outageId, carried } = input;
  const dueMs = Date.parse(input.notice.dueAt);
  const alertMs = dueMs - OUTAGE_ALERT_LEAD_HOURS * HOUR_MS;
  const book = new DeadlineBook();
  book.put(input.notice);
  const serial = createSerial();
  const reportedHold: OutageHold | null = input.holdForReview ? { by: input.actor, at: nowIso(), reason: 'held for review when reported' } : null;
  let hold: OutageHold | null = carried ? carried.hold : reportedHold;
  let lastHold: OutageHold | null = carried ? carried.lastHold : reportedHold;
  let status: OutageStatus = carried?.status ?? (hold ? 'held' : 'pending');
  let alertedAt = carried?.alertedAt ?? null;
  let lateAt = carried?.lateAt ?? null;
  let notifiedAt = carried?.notifiedAt ?? null;
  let notifiedBy = carried?.notifiedBy ?? null;
  let restoredAt: string | null = null;
  let releasedBy = carried?.releasedBy ?? null;
  /** the notices are going out (or Party B is being marked late on the way): too late to hold them */
  let sending = carried?.sending ?? false;
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
  const closedNotice = notifiedAt !== null ? status : fanOut?.kind === 'notices' ? fanOut.notices.transition.to : null;
  if (closedNotice) book.close('outage_notice', outageId, closedNotice === 'notified' ? 'met' : 'lapsed');
  let pagesThisRun = 0;

  const view = (): OutageView => ({
    outageId,
    status,
    notice: input.notice,
    alertAt: new Date(alertMs).toISOString(),
    hold,
    lastHold,
    alertedAt,
    lateAt,
    notifiedAt,
    notifiedBy,
    restoredAt,
    contracts: input.contracts,
  });

  setHandler(getOutageQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);

  /** Moves every case the same way, page by page (inside an update: never continues as new halfway). */
  async function everyCase(step: AdvanceInput['step'], outage: AdvanceInput['outage']): Promise<void> {
    let page: Page = { after: null, limit: OUTAGE_STEP_PAGE };
    for (;;) {
      const done = await outageActs.advanceOutageCases({ outageId, page, step, ...(page.after === null && outage ? { outage } : {}) });
      pagesThisRun += 1;
      if (done.cases < page.limit || done.last === null) return;
      page = { after: done.last, limit: OUTAGE_STEP_PAGE };
    }
  }

  /** The case step of the outage: keyed `step` or `step:instant` (a step that can happen more than once). */
  const caseStep = (type: 'held' | 'released' | 'unsent_alert' | 'late', key: string, at: string, actor: Actor, data: Record<string, unknown>, more: Partial<AdvanceInput['step']> = {}): AdvanceInput['step'] => ({
    event: { key, type, at, actor, data },
    audit: { type: `case.outage_${type}`, data: { outageId } },
    ...more,
  });

  setHandler(
    holdOutageNoticeUpdate,
    async (request) => {
      const at = nowIso();
      hold = { by: request.actor, at, reason: request.reason };
      lastHold = hold;
      const wasLate = status === 'late';
      if (!wasLate) status = 'held';
      await serial(() =>
        everyCase(caseStep('held', `held:${at}`, at, request.actor, { reason: request.reason }, { from: ['pending', 'held', 'late'], to: wasLate ? 'late' : 'held' }), {
          patch: { status, heldBy: request.actor.id, heldAt: at, holdReason: request.reason },
          actor: request.actor,
          auditType: 'outage.held',
          contracts: input.contracts,
        }),
      );
      return view();
    },
    {
      validator: (_request: HoldOutageInput) => {
        stillOpening();
        if (notifiedAt !== null || sending) {
          throw invalidState(`the interruption notices of outage ${outageId} ${sending ? 'are being sent' : `were already sent at ${notifiedAt}`}: nothing to hold`);
        }
        if (hold) throw invalidState(`the interruption notices of outage ${outageId} are already held (by ${hold.by.id} since ${hold.at})`);
      },
    },
  );

  setHandler(
    releaseOutageNoticeUpdate,
    async (request) => {
      const at = nowIso();
      const held = hold!;
      releasedBy = request.actor;
      hold = null;
      await serial(() =>
        everyCase(caseStep('released', `released:${at}`, at, request.actor, { note: request.note ?? null, heldBy: held.by.id, heldAt: held.at }), {
          patch: {},
          actor: request.actor,
          auditType: 'outage.released',
          contracts: input.contracts,
        }),
      );
      // the main loop sends the notices; the caller gets the outcome
      await condition(() => notifiedAt !== null);
      return view();
    },
    {
      validator: (_request: ReleaseOutageInput) => {
        stillOpening();
        if (!hold) throw invalidState(`the interruption notices of outage ${outageId} are not held${notifiedAt ? ` (sent at ${notifiedAt})` : ''}`);
      },
    },
  );

  setHandler(
    resolveOutageUpdate,
    async (request) => {
      const at = nowIso();
      const restored = new Date(request.restoredAt).toISOString();
      const notifiedStatus = status;
      status = 'restored';
      restoredAt = restored;
      const description = request.description ?? input.description;
      const notices: Omit<NoticePageInput, 'page'> = {
        outageId,
        workflowId,
        kind: 'restoration_notice',
        cause: input.cause,
        description,
        startedAt: input.startedAt,
        learnedAt: input.learnedAt,
        restoredAt: restored,
        issuedAt: at,
        actor: request.actor,
        transition: {
          from: [notifiedStatus],
          to: 'restored',
          close: true,
          eventType: 'restored',
          auditType: 'case.outage_restored',
          data: { restoration: { restoredAt: restored, noticeSentAt: at, by: request.actor.id } },
        },
        subject: '服务恢复通知',
        body: `此前通知的短信服务中断已于 ${restored} 恢复。${description}`,
      };
      await serial(async () => {
        let page: Page = { after: null, limit: OUTAGE_NOTICE_PAGE };
        for (;;) {
          const done = await outageActs.sendOutageNoticePage({ ...notices, page });
          pagesThisRun += 1;
          if (done.cases < page.limit || done.last === null) return;
          page = { after: done.last, limit: OUTAGE_NOTICE_PAGE };
        }
      });
      await serial(() => outageActs.recordOutageProgress({ outageId, outage: { status: 'restored', restoredAt: restored }, cases: [], actor: request.actor, auditType: 'outage.restored' }));
      return view();
    },
    {
      validator: (request: ResolveOutageInput) => {
        if (status === 'restored') throw invalidState(`outage ${outageId} was already resolved (restored at ${restoredAt})`);
        if (notifiedAt === null) {
          throw invalidState(`the interruption notices of outage ${outageId} were not sent yet${hold ? ' (held for review: release them first)' : ''}`);
        }
        const restored = Date.parse(request.restoredAt);
        if (restored < Date.parse(input.startedAt)) throw invalidInput('restoredAt must not be before the outage started');
        if (restored > Date.now() + 60_000) throw invalidInput('restoredAt must not be in the future');
      },
    },
  );

  /** Hands the run over to a fresh one when its history has grown, and no update is in flight (one would be cut off). */
  async function checkpoint(): Promise<void> {
    if (pagesThisRun < OUTAGE_PAGES_PER_RUN && !workflowInfo().continueAsNewSuggested) return;
    if (!allHandlersFinished()) return;
    const next: OutageCarried = { status, hold, lastHold, alertedAt, lateAt, notifiedAt, notifiedBy, releasedBy, sending, fanOut, runs: (carried?.runs ?? 0) + 1 };
    await continueAsNew<(input: OutageNoticeByIdInput) => Promise<OutageView>>({ ...input, carried: next });
  }

  /** Runs the step under way to its end, page by page, continuing as new between pages when the run is long. */
  async function runFanOut(): Promise<void> {
    while (fanOut) {
      await checkpoint();
      const current = fanOut;
      if (current.kind === 'open') {
        const page: Page = { after: current.after, limit: OUTAGE_STEP_PAGE };
        const done = await serial(() => outageActs.openOutageCases({ opening, page }));
        pagesThisRun += 1;
        fanOut = done.cases === page.limit && done.last !== null ? { kind: 'open', after: done.last } : null;
      } else if (current.kind === 'cases') {
        const page: Page = { after: current.after, limit: OUTAGE_STEP_PAGE };
        const done = await serial(() =>
          outageActs.advanceOutageCases({ outageId, page, step: current.step, ...(page.after === null && current.outage ? { outage: current.outage } : {}) }),
        );
        pagesThisRun += 1;
        if (done.cases === page.limit && done.last !== null) {
          fanOut = { ...current, after: done.last };
          continue;
        }
        fanOut = null;
        if (current.then) await alertLate(current.then.lateAlert);
      } else {
        const page: Page = { after: current.after, limit: OUTAGE_NOTICE_PAGE };
        const done = await serial(() => outageActs.sendOutageNoticePage({ ...current.notices, page }));
        pagesThisRun += 1;
        if (done.cases === page.limit && done.last !== null) {
          fanOut = { ...current, after: done.last };
          continue;
        }
        const { issuedAt: at, actor } = current.notices;
        const to = current.notices.transition.to as 'notified' | 'notified_late';
        await serial(() => outageActs.recordOutageProgress({ outageId, outage: { status: to, notifiedAt: at, notifiedBy: actor.id }, cases: [], actor, auditType: `outage.${to}` }));
        fanOut = null;
        status = to;
        notifiedAt = at;
        notifiedBy = actor.id;
        sending = false;
      }
    }
  }

  /** 20 hours and still unsent: operations and legal are alerted, and each case records it. */
  async function beginAlert(): Promise<void> {
    const at = nowIso();
    alertedAt = at;
    const heldBy = hold?.by.id ?? null;
    await outageActs.alertStaff({
      id: `${workflowId}:unsent-alert`,
      audiences: ['operations', 'legal'],
      reason: 'outage_notice_unsent',
      subject: `服务中断通知尚未发出：${OUTAGE_ALERT_LEAD_HOURS} 小时后逾期`,
      body: `中断 ${outageId}（${input.contracts} 个合同）的通知尚未发出${heldBy ? `（由 ${heldBy} 暂缓审核）` : ''}，须于 ${input.notice.explanation}`,
    });
    fanOut = {
      kind: 'cases',
      step: caseStep('unsent_alert', 'unsent_alert', at, LEGAL_SYSTEM_ACTOR, { audiences: ['operations', 'legal'], heldBy, noticeDueAt: input.notice.dueAt }),
      outage: { patch: { alertedAt: at }, actor: LEGAL_SYSTEM_ACTOR, auditType: 'outage.unsent_alert', contracts: input.contracts },
      after: null,
      then: null,
    };
  }

  /** 24 hours and still unsent: Party B is late; each case records who held the notice (or reported the outage late) and when. */
  function beginLate(): void {
    const at = nowIso();
    lateAt = at;
    status = 'late';
    const late = lateDetails(input, at, hold ?? lastHold);
    fanOut = {
      kind: 'cases',
      step: caseStep('late', 'late', at, LEGAL_SYSTEM_ACTOR, late, { from: ['pending', 'held'], to: 'late', addFlags: ['notice_late', 'party_b_breach'], data: { late } }),
      outage: { patch: { status: 'late', lateAt: at }, actor: LEGAL_SYSTEM_ACTOR, auditType: 'outage.late', contracts: input.contracts },
      after: null,
      then: { lateAlert: late },
    };
  }

  async function alertLate(late: LateDetails): Promise<void> {
    await outageActs.alertStaff({
      id: `${workflowId}:late`,
      audiences: ['operations', 'legal'],
      reason: 'outage_notice_late',
      subject: `服务中断通知逾期（乙方违约）：${outageId}`,
      body: `中断 ${outageId} 的通知未在获知后 ${input.notice.explanation} 发出，已记为乙方违约。责任人：${late.responsible.id}${late.heldSince ? `（自 ${late.heldSince} 起暂缓）` : ''}。`,
    });
  }

  /** The notices go out (marking Party B late first when the deadline has passed unmarked). */
  function beginNotices(actor: Actor): void {
    sending = true;
    if (Date.now() > dueMs && lateAt === null) {
      beginLate();
      return;
    }
    const at = nowIso();
    const onTime = Date.now() <= dueMs;
    const to = onTime ? 'notified' : 'notified_late';
    book.close('outage_notice', outageId, onTime ? 'met' : 'lapsed');
    fanOut = {
      kind: 'notices',
      notices: {
        outageId,
        workflowId,
        kind: 'outage_notice',
        cause: input.cause,
        description: input.description,
        startedAt: input.startedAt,
        learnedAt: input.learnedAt,
        issuedAt: at,
        actor,
        transition: {
          from: ['pending', 'held', 'late'],
          to,
          due: null,
          eventType: to,
          auditType: 'case.outage_notified',
          data: { notice: { sentAt: at, onTime, sentBy: actor.id, dueAt: input.notice.dueAt } },
        },
        subject: '服务中断通知',
        body: `乙方于 ${input.learnedAt} 获知短信服务中断（开始于 ${input.startedAt}）：${input.description}`,
      },
      after: null,
    };
  }

  while (notifiedAt === null) {
    if (fanOut) {
      await runFanOut();
      continue;
    }
    if (!hold || sending) {
      beginNotices(releasedBy ?? input.actor);
      continue;
    }
    if (alertedAt === null) {
      if (await waitUntil(() => !hold, alertMs)) continue;
      await beginAlert();
      continue;
    }
    if (lateAt === null) {
      if (await waitUntil(() => !hold, dueMs)) continue;
      beginLate();
      continue;
    }
    await condition(() => !hold);
  }
  await checkpoint();
  await condition(() => status === 'restored');
  await condition(allHandlersFinished);
  return view();
}
