/**
 * What both outage workflows share (Art.5 §8): `outageNoticeWithCases`
 * (outage-notice.ts, runs whose input carries the case list) and
 * `outageNoticeInPages` (outage-notice-pages.ts, since `outage-batches-v1`).
 * The rules their updates check, the view they answer, each case's move for
 * every outage-wide step, the staff alerts and the notices, each in one place.
 *
 * Deterministic, and the commands both workflows schedule are built here:
 * any change to an id, a subject, a body, a key or an argument's shape here
 * changes what recorded histories replay (test/histories/outage-notice-*).
 */
import type { Actor, DeadlineState } from '../domain/contract';
import { OUTAGE_ALERT_LEAD_HOURS, type OutageCause, type OutageStatus } from '../domain/legal';
import type { Activities, OutageCaseRef } from './activity-proxies';
import { invalidInput, invalidState, LEGAL_SYSTEM_ACTOR } from './case-support';
import type { HoldOutageInput, OutageHold, OutageView, ReleaseOutageInput, ResolveOutageInput } from './messages/outage-notice';
import { nowIso } from './shared';

const HOUR_MS = 3_600_000;

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

/** The outage's state its updates check and its view shows. */
export type OutageState = Pick<OutageView, 'status' | 'hold' | 'lastHold' | 'alertedAt' | 'lateAt' | 'notifiedAt' | 'notifiedBy' | 'restoredAt'> & {
  /** the notices are going out (or Party B is being marked late on the way): too late to hold them */
  sending: boolean;
};

type AdvanceInput = Parameters<Activities['advanceOutageCases']>[0];
/** One case's move for an outage-wide step (the same for every case of the outage). */
export type OutageCaseStep = AdvanceInput['step'];
/** An outage-wide step: each case's move and the outage's own change (audited once). */
export type OutageMove = { step: OutageCaseStep } & Omit<NonNullable<AdvanceInput['outage']>, 'contracts'>;
/** The notices (interruption or restoration) for a batch or page of the outage's cases. */
export type OutageNotices = Omit<Parameters<Activities['sendOutageNoticePage']>[0], 'page'>;
type StaffAlert = Parameters<Activities['alertStaff']>[0];
type OutageProgress = Parameters<Activities['recordOutageProgress']>[0];
/** The late record of each case (see lateDetails). */
export type LateDetails = ReturnType<typeof lateDetails>;

/** When operations and legal are alerted of notices still unsent: OUTAGE_ALERT_LEAD_HOURS before they are due. */
export function alertMsOf(dueMs: number): number {
  return dueMs - OUTAGE_ALERT_LEAD_HOURS * HOUR_MS;
}

/** The state a run starts with: as reported (held for review or not), or as the run before handed it over (`carried`). */
export function initialState(input: OutageBaseInput, carried?: Omit<OutageState, 'restoredAt'>): OutageState {
  const reported: OutageHold | null = input.holdForReview ? { by: input.actor, at: nowIso(), reason: 'held for review when reported' } : null;
  return {
    status: carried?.status ?? (reported ? 'held' : 'pending'),
    hold: carried ? carried.hold : reported,
    lastHold: carried ? carried.lastHold : reported,
    alertedAt: carried?.alertedAt ?? null,
    lateAt: carried?.lateAt ?? null,
    notifiedAt: carried?.notifiedAt ?? null,
    notifiedBy: carried?.notifiedBy ?? null,
    restoredAt: null,
    sending: carried?.sending ?? false,
  };
}

// ---- the state's changes

/** An operator holds the notices (a late outage stays late); whether it was late. */
export function applyHold(state: OutageState, request: HoldOutageInput, at: string): boolean {
  state.hold = { by: request.actor, at, reason: request.reason };
  state.lastHold = state.hold;
  const wasLate = state.status === 'late';
  if (!wasLate) state.status = 'held';
  return wasLate;
}

/** Every interruption notice went out. */
export function applyNotified(state: OutageState, to: 'notified' | 'notified_late', at: string, actor: Actor): void {
  state.status = to;
  state.notifiedAt = at;
  state.notifiedBy = actor.id;
  state.sending = false;
}

/** The service is restored; the status the interruption notices left the cases in. */
export function applyRestored(state: OutageState, restored: string): OutageStatus {
  const notifiedStatus = state.status;
  state.status = 'restored';
  state.restoredAt = restored;
  return notifiedStatus;
}

export function outageView(input: OutageBaseInput, state: OutageState, contracts: number): OutageView {
  return {
    outageId: input.outageId,
    status: state.status,
    notice: input.notice,
    alertAt: new Date(alertMsOf(Date.parse(input.notice.dueAt))).toISOString(),
    hold: state.hold,
    lastHold: state.lastHold,
    alertedAt: state.alertedAt,
    lateAt: state.lateAt,
    notifiedAt: state.notifiedAt,
    notifiedBy: state.notifiedBy,
    restoredAt: state.restoredAt,
    contracts,
  };
}

// ---- the updates' rules

export function validateHold(outageId: string, state: OutageState): void {
  const { notifiedAt, sending, hold } = state;
  if (notifiedAt !== null || sending) {
    throw invalidState(`the interruption notices of outage ${outageId} ${sending ? 'are being sent' : `were already sent at ${notifiedAt}`}: nothing to hold`);
  }
  if (hold) throw invalidState(`the interruption notices of outage ${outageId} are already held (by ${hold.by.id} since ${hold.at})`);
}

export function validateRelease(outageId: string, state: OutageState): void {
  if (!state.hold) throw invalidState(`the interruption notices of outage ${outageId} are not held${state.notifiedAt ? ` (sent at ${state.notifiedAt})` : ''}`);
}

export function validateResolve(input: OutageBaseInput, state: OutageState, request: ResolveOutageInput): void {
  const { outageId } = input;
  if (state.status === 'restored') throw invalidState(`outage ${outageId} was already resolved (restored at ${state.restoredAt})`);
  if (state.notifiedAt === null) {
    throw invalidState(`the interruption notices of outage ${outageId} were not sent yet${state.hold ? ' (held for review: release them first)' : ''}`);
  }
  const restored = Date.parse(request.restoredAt);
  if (restored < Date.parse(input.startedAt)) throw invalidInput('restoredAt must not be before the outage started');
  if (restored > Date.now() + 60_000) throw invalidInput('restoredAt must not be in the future');
}

// ---- the outage-wide steps: each case's move (keyed `step` or `step:instant`, a step that can happen more than once) and the outage's change

function caseStep(outageId: string, type: 'held' | 'released' | 'unsent_alert' | 'late', key: string, at: string, actor: Actor, data: Record<string, unknown>, more: Partial<OutageCaseStep> = {}): OutageCaseStep {
  return {
    event: { key, type, at, actor, data },
    audit: { type: `case.outage_${type}`, data: { outageId } },
    ...more,
  };
}

/** An operator holds the notices for review (a late outage stays late). */
export function heldMove(outageId: string, request: HoldOutageInput, at: string, status: OutageStatus, wasLate: boolean): OutageMove {
  return {
    step: caseStep(outageId, 'held', `held:${at}`, at, request.actor, { reason: request.reason }, { from: ['pending', 'held', 'late'], to: wasLate ? 'late' : 'held' }),
    patch: { status, heldBy: request.actor.id, heldAt: at, holdReason: request.reason },
    actor: request.actor,
    auditType: 'outage.held',
  };
}

export function releasedMove(outageId: string, request: ReleaseOutageInput, at: string, held: OutageHold): OutageMove {
  return {
    step: caseStep(outageId, 'released', `released:${at}`, at, request.actor, { note: request.note ?? null, heldBy: held.by.id, heldAt: held.at }),
    patch: {},
    actor: request.actor,
    auditType: 'outage.released',
  };
}

export function unsentAlertMove(input: OutageBaseInput, at: string, heldBy: string | null): OutageMove {
  return {
    step: caseStep(input.outageId, 'unsent_alert', 'unsent_alert', at, LEGAL_SYSTEM_ACTOR, { audiences: ['operations', 'legal'], heldBy, noticeDueAt: input.notice.dueAt }),
    patch: { alertedAt: at },
    actor: LEGAL_SYSTEM_ACTOR,
    auditType: 'outage.unsent_alert',
  };
}

/** The late record of each case: Party B's breach, who held the notice (or reported the outage late) and when. */
export function lateDetails(input: OutageBaseInput, at: string, responsible: OutageHold | null) {
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

export function lateMove(outageId: string, at: string, late: LateDetails): OutageMove {
  return {
    step: caseStep(outageId, 'late', 'late', at, LEGAL_SYSTEM_ACTOR, late, { from: ['pending', 'held'], to: 'late', addFlags: ['notice_late', 'party_b_breach'], data: { late } }),
    patch: { status: 'late', lateAt: at },
    actor: LEGAL_SYSTEM_ACTOR,
    auditType: 'outage.late',
  };
}

/** The outage's own record once every notice went out (its cases moved with their notices). */
export function notifiedProgress(outageId: string, to: 'notified' | 'notified_late', at: string, actor: Actor): OutageProgress {
  return { outageId, outage: { status: to, notifiedAt: at, notifiedBy: actor.id }, cases: [], actor, auditType: `outage.${to}` };
}

/** The outage's own record once every restoration notice went out. */
export function restoredProgress(outageId: string, restored: string, actor: Actor): OutageProgress {
  return { outageId, outage: { status: 'restored', restoredAt: restored }, cases: [], actor, auditType: 'outage.restored' };
}

// ---- the staff alerts

/** 20 hours and still unsent: operations and legal are alerted. */
export function unsentAlert(workflowId: string, input: OutageBaseInput, contracts: number, heldBy: string | null): StaffAlert {
  return {
    id: `${workflowId}:unsent-alert`,
    audiences: ['operations', 'legal'],
    reason: 'outage_notice_unsent',
    subject: `服务中断通知尚未发出：${OUTAGE_ALERT_LEAD_HOURS} 小时后逾期`,
    body: `中断 ${input.outageId}（${contracts} 个合同）的通知尚未发出${heldBy ? `（由 ${heldBy} 暂缓审核）` : ''}，须于 ${input.notice.explanation}`,
  };
}

/** 24 hours and still unsent: Party B is late (its breach), and who is responsible. */
export function lateAlert(workflowId: string, input: OutageBaseInput, late: LateDetails): StaffAlert {
  const { outageId } = input;
  return {
    id: `${workflowId}:late`,
    audiences: ['operations', 'legal'],
    reason: 'outage_notice_late',
    subject: `服务中断通知逾期（乙方违约）：${outageId}`,
    body: `中断 ${outageId} 的通知未在获知后 ${input.notice.explanation} 发出，已记为乙方违约。责任人：${late.responsible.id}${late.heldSince ? `（自 ${late.heldSince} 起暂缓）` : ''}。`,
  };
}

// ---- the notices to the affected customers (`batch`: `{ cases }` in a run whose input carries its cases, `{}` where the activity reads a page)

type CaseBatch = { cases?: OutageCaseRef[] };
type Notice = Pick<OutageNotices, 'kind' | 'description' | 'restoredAt' | 'actor' | 'transition' | 'subject' | 'body'> & { at: string };

function notices<B extends CaseBatch>(workflowId: string, input: OutageBaseInput, batch: B, notice: Notice): OutageNotices & B {
  const { restoredAt } = notice;
  return {
    outageId: input.outageId,
    workflowId,
    kind: notice.kind,
    ...batch,
    cause: input.cause,
    description: notice.description,
    startedAt: input.startedAt,
    learnedAt: input.learnedAt,
    ...(restoredAt === undefined ? {} : { restoredAt }),
    issuedAt: notice.at,
    actor: notice.actor,
    transition: notice.transition,
    subject: notice.subject,
    body: notice.body,
  };
}

/** The interruption notices, sent by `actor` at `at` (`onTime`: within the notice's deadline). */
export function interruptionNotices<B extends CaseBatch>(
  workflowId: string,
  input: OutageBaseInput,
  sent: { at: string; actor: Actor; onTime: boolean; to: 'notified' | 'notified_late' },
  batch: B,
): OutageNotices & B {
  const { at, actor, onTime, to } = sent;
  return notices(workflowId, input, batch, {
    kind: 'outage_notice',
    description: input.description,
    at,
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
  });
}

/** The restoration notices, which close the cases (`from`: the status the interruption notices left them in). */
export function restorationNotices<B extends CaseBatch>(
  workflowId: string,
  input: OutageBaseInput,
  sent: { at: string; actor: Actor; restored: string; description: string; from: OutageStatus },
  batch: B,
): OutageNotices & B {
  const { at, actor, restored, description } = sent;
  return notices(workflowId, input, batch, {
    kind: 'restoration_notice',
    description,
    restoredAt: restored,
    at,
    actor,
    transition: {
      from: [sent.from],
      to: 'restored',
      close: true,
      eventType: 'restored',
      auditType: 'case.outage_restored',
      data: { restoration: { restoredAt: restored, noticeSentAt: at, by: actor.id } },
    },
    subject: '服务恢复通知',
    body: `此前通知的短信服务中断已于 ${restored} 恢复。${description}`,
  });
}
