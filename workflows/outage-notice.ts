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
import { OUTAGE_ALERT_LEAD_HOURS, type OutageStatus } from '../domain/legal';
import { outageActs, type OutageCaseRef } from './activity-proxies';
import { chunk, createSerial, invalidInput, invalidState, LEGAL_SYSTEM_ACTOR } from './case-support';
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
import { outageNoticeInPages, type OutageBaseInput, type OutageNoticeByIdInput } from './outage-notice-pages';
import { nowIso, waitUntil } from './shared';
import { outageVersion } from './versions';

export type { OutageNoticeByIdInput } from './outage-notice-pages';

/** The steps an outage's cases go through that the outage's own updates and timers record. */
type OutageCaseStep = 'held' | 'released' | 'unsent_alert' | 'late';

/** Contracts per notice activity: a retry redoes at most this many (each step is keyed, so nothing twice). */
const NOTICE_BATCH = 25;
const HOUR_MS = 3_600_000;

/** The input of runs started before `outage-batches-v1`: every affected case in the input. */
export type OutageNoticeWithCasesInput = OutageBaseInput & { cases: OutageCaseRef[] };

/** What starts an outage's workflow: since `outage-batches-v1` the outage and its count of contracts, no list. */
export type OutageNoticeInput = OutageNoticeByIdInput | OutageNoticeWithCasesInput;

export async function outageNotice(input: OutageNoticeInput): Promise<OutageView> {
  // decided at the first activation, before any await (workflows/versions.ts)
  if (outageVersion(input).pages) return outageNoticeInPages(input as OutageNoticeByIdInput);
  return outageNoticeWithCases(input as OutageNoticeWithCasesInput);
}

/** The outage workflow as it ran before `outage-batches-v1` (its case list in the input): kept as it was, for those runs' replay. */
async function outageNoticeWithCases(input: OutageNoticeWithCasesInput): Promise<OutageView> {
  const workflowId = workflowInfo().workflowId;
  const { outageId } = input;
  const dueMs = Date.parse(input.notice.dueAt);
  const alertMs = dueMs - OUTAGE_ALERT_LEAD_HOURS * HOUR_MS;
  const book = new DeadlineBook();
  book.put(input.notice);
  const serial = createSerial();
  let hold: OutageHold | null = input.holdForReview ? { by: input.actor, at: nowIso(), reason: 'held for review when reported' } : null;
  let lastHold: OutageHold | null = hold;
  let status: OutageStatus = hold ? 'held' : 'pending';
  let alertedAt: string | null = null;
  let lateAt: string | null = null;
  let notifiedAt: string | null = null;
  let notifiedBy: string | null = null;
  let restoredAt: string | null = null;
  let releasedBy: Actor | null = null;
  /** the notices are going out: too late to hold them */
  let sending = false;

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
    contracts: input.cases.length,
  });
  /** A case's event for a step of the outage, keyed `step` or `step:instant` (a step that can happen more than once). */
  const caseEvent = (c: OutageCaseRef, step: OutageCaseStep, key: OutageCaseStep | `${OutageCaseStep}:${string}`, at: string, actor: Actor, data: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
    caseId: c.caseId,
    event: { key, type: step, at, actor, data },
    audit: { type: `case.outage_${step}` as const, data: { outageId } },
    ...more,
  });

  setHandler(getOutageQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);

  setHandler(
    holdOutageNoticeUpdate,
    async (request) => {
      const at = nowIso();
      hold = { by: request.actor, at, reason: request.reason };
      lastHold = hold;
      const wasLate = status === 'late';
      if (!wasLate) status = 'held';
      await serial(() =>
        outageActs.recordOutageProgress({
          outageId,
          outage: { status, heldBy: request.actor.id, heldAt: at, holdReason: request.reason },
          actor: request.actor,
          auditType: 'outage.held',
          cases: input.cases.map((c) => ({ ...caseEvent(c, 'held', `held:${at}`, at, request.actor, { reason: request.reason }), from: ['pending', 'held', 'late'], to: wasLate ? 'late' : 'held' })),
        }),
      );
      return view();
    },
    {
      validator: (_request: HoldOutageInput) => {
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
        outageActs.recordOutageProgress({
          outageId,
          outage: {},
          actor: request.actor,
          auditType: 'outage.released',
          cases: input.cases.map((c) => caseEvent(c, 'released', `released:${at}`, at, request.actor, { note: request.note ?? null, heldBy: held.by.id, heldAt: held.at })),
        }),
      );
      // the main loop sends the notices; the caller gets the outcome
      await condition(() => notifiedAt !== null);
      return view();
    },
    {
      validator: (_request: ReleaseOutageInput) => {
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
      for (const batch of chunk(input.cases, NOTICE_BATCH)) {
        await serial(() =>
          outageActs.sendOutageNotices({
            outageId,
            workflowId,
            kind: 'restoration_notice',
            cases: batch,
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
          }),
        );
      }
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

  /** 20 hours and still unsent: operations and legal are alerted. */
  async function alertUnsent(): Promise<void> {
    const at = nowIso();
    alertedAt = at;
    const heldBy = hold?.by.id ?? null;
    await outageActs.alertStaff({
      id: `${workflowId}:unsent-alert`,
      audiences: ['operations', 'legal'],
      reason: 'outage_notice_unsent',
      subject: `服务中断通知尚未发出：${OUTAGE_ALERT_LEAD_HOURS} 小时后逾期`,
      body: `中断 ${outageId}（${input.cases.length} 个合同）的通知尚未发出${heldBy ? `（由 ${heldBy} 暂缓审核）` : ''}，须于 ${input.notice.explanation}`,
    });
    await serial(() =>
      outageActs.recordOutageProgress({
        outageId,
        outage: { alertedAt: at },
        actor: LEGAL_SYSTEM_ACTOR,
        auditType: 'outage.unsent_alert',
        cases: input.cases.map((c) => caseEvent(c, 'unsent_alert', 'unsent_alert', at, LEGAL_SYSTEM_ACTOR, { audiences: ['operations', 'legal'], heldBy, noticeDueAt: input.notice.dueAt })),
      }),
    );
  }

  /** 24 hours and still unsent: Party B is late; the record names who held the notice (or who reported the outage late) and when. */
  async function markLate(): Promise<void> {
    const at = nowIso();
    lateAt = at;
    status = 'late';
    const responsible = hold ?? lastHold;
    const late = {
      dueAt: input.notice.dueAt,
      markedAt: at,
      breachBy: 'B',
      responsible: responsible ? { id: responsible.by.id, role: responsible.by.role } : { id: input.actor.id, role: input.actor.role },
      heldSince: responsible?.at ?? null,
      holdReason: responsible?.reason ?? null,
      reason: responsible ? '通知被暂缓审核，至期限届满仍未发出' : '登记中断时已超过通知期限',
      clause: '第五条第8款',
    };
    await serial(() =>
      outageActs.recordOutageProgress({
        outageId,
        outage: { status: 'late', lateAt: at },
        actor: LEGAL_SYSTEM_ACTOR,
        auditType: 'outage.late',
        cases: input.cases.map((c) => ({ ...caseEvent(c, 'late', 'late', at, LEGAL_SYSTEM_ACTOR, late), from: ['pending', 'held'], to: 'late', addFlags: ['notice_late', 'party_b_breach'], data: { late } })),
      }),
    );
    await outageActs.alertStaff({
      id: `${workflowId}:late`,
      audiences: ['operations', 'legal'],
      reason: 'outage_notice_late',
      subject: `服务中断通知逾期（乙方违约）：${outageId}`,
      body: `中断 ${outageId} 的通知未在获知后 ${input.notice.explanation} 发出，已记为乙方违约。责任人：${late.responsible.id}${late.heldSince ? `（自 ${late.heldSince} 起暂缓）` : ''}。`,
    });
  }

  async function sendNotices(actor: Actor): Promise<void> {
    sending = true;
    const at = nowIso();
    const onTime = Date.now() <= dueMs;
    if (!onTime && lateAt === null) await markLate();
    const to: OutageStatus = onTime ? 'notified' : 'notified_late';
    book.close('outage_notice', outageId, onTime ? 'met' : 'lapsed');
    for (const batch of chunk(input.cases, NOTICE_BATCH)) {
      await serial(() =>
        outageActs.sendOutageNotices({
          outageId,
          workflowId,
          kind: 'outage_notice',
          cases: batch,
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
        }),
      );
    }
    await serial(() => outageActs.recordOutageProgress({ outageId, outage: { status: to, notifiedAt: at, notifiedBy: actor.id }, cases: [], actor, auditType: `outage.${to}` }));
    status = to;
    notifiedAt = at;
    notifiedBy = actor.id;
    sending = false;
  }

  while (notifiedAt === null) {
    if (!hold) {
      await sendNotices(releasedBy ?? input.actor);
      break;
    }
    if (alertedAt === null) {
      if (await waitUntil(() => !hold, alertMs)) continue;
      await alertUnsent();
      continue;
    }
    if (lateAt === null) {
      if (await waitUntil(() => !hold, dueMs)) continue;
      await markLate();
      continue;
    }
    await condition(() => !hold);
  }
  await condition(() => status === 'restored');
  await condition(allHandlersFinished);
  return view();
}
