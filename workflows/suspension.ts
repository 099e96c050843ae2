/**
 * Suspension pending rectification (Art.4 §9): on a notice from the
 * authorities, a report or its own finding, Party B suspends the service and
 * sets a rectification period (限期整改, days by the Civil Code count, 'act'
 * rule). While the case is open every submission under the contract is
 * refused (services/sms.ts reads the open case). Rectification confirmed by
 * legal or operations closes the case and the service resumes; the period
 * lapsing leaves the service suspended and puts the case before legal, to
 * terminate the contract or extend the period (another period, counted from
 * the extension).
 *
 * Workflow id: suspension-<caseId>. The case row exists before the workflow
 * starts (POST /api/contracts/:id/suspensions).
 */
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Actor, DeadlineState } from '../domain/contract';
import { CASE_ACTIONS, SUSPENSION_SOURCE_LABELS, type SuspensionSource, type SuspensionStatus } from '../domain/legal';
import { acts } from './activity-proxies';
import { announceMoves, LegalCalendar, recountDeadlines, waitUntilDue } from './calendar';
import { caseTransitions, createSerial, invalidState, LEGAL_SYSTEM_ACTOR, recordCaseMoves } from './case-support';
import { DeadlineBook } from './deadline-book';
import { calendarChangedSignal } from './messages/calendar';
import { getDeadlinesQuery } from './messages/deadlines';
import {
  confirmRectificationUpdate,
  extendSuspensionUpdate,
  getSuspensionQuery,
  type ConfirmRectificationInput,
  type ExtendSuspensionInput,
  type SuspensionView,
} from './messages/suspension';
import { nowIso } from './shared';

export type SuspensionInput = {
  caseId: string;
  contractId: string;
  contractNumber: string;
  source: SuspensionSource;
  reason: string;
  suspendedAt: string;
  rectificationDays: number;
  /** computeDeadline, days from the suspension, 'act' rule (kind rectification, ref the case id) */
  rectification: DeadlineState;
  actor: Actor;
};

export async function suspension(input: SuspensionInput): Promise<SuspensionView> {
  const workflowId = workflowInfo().workflowId;
  const { caseId, contractId } = input;
  const book = new DeadlineBook();
  book.put(input.rectification);
  let rectification = input.rectification;
  const legal = new LegalCalendar(null);
  const serial = createSerial();
  const transition = caseTransitions(acts.recordCaseTransition, caseId, serial, () => ({ workflowId, open: book.open, closed: book.drainClosed() }));
  let status: SuspensionStatus = 'suspended';
  let lapsedAt: string | null = null;
  let rectifiedAt: string | null = null;
  let noticeDocumentId: string | null = null;
  const extensions: SuspensionView['extensions'] = [];
  const view = (): SuspensionView => ({
    caseId,
    contractId,
    status,
    source: input.source,
    reason: input.reason,
    suspendedAt: input.suspendedAt,
    rectification,
    lapsedAt,
    extensions: [...extensions],
    rectifiedAt,
    noticeDocumentId,
  });
  const head = `合同 ${input.contractNumber} 暂停服务案件 ${caseId}`;
  /** The case allows the action (domain/legal.ts CASE_ACTIONS, the API checks the same table). */
  const requireOpen = (action: 'rectification' | 'extension') => {
    const { when, name } = CASE_ACTIONS[action];
    if (!(when as readonly string[]).includes(status)) throw invalidState(`suspension case ${caseId} is ${status}: ${name} is not possible now`);
  };

  setHandler(getSuspensionQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);

  setHandler(
    confirmRectificationUpdate,
    async (request) => {
      const at = nowIso();
      const before = status;
      status = 'rectified';
      rectifiedAt = at;
      book.close('rectification', rectification.ref, 'met');
      await transition({
        from: [before],
        to: 'rectified',
        close: true,
        due: null,
        event: { key: 'rectified', type: 'rectified', at, actor: request.actor, data: { note: request.note, dueAt: rectification.dueAt, lapsed: before === 'lapsed' } },
        data: { rectification: { at, by: request.actor.id, note: request.note } },
        audit: { type: 'contract.resumed', data: { note: request.note } },
      });
      await acts.notify({
        id: `${workflowId}:rectified`,
        contractId,
        audiences: ['party_a_contact', 'owner', 'legal', 'operations'],
        reason: 'suspension_rectified',
        subject: `${head}：整改已确认，服务恢复`,
        body: `经确认，甲方已完成整改（${request.note}）。短信服务自 ${at} 起恢复。`,
      });
      return view();
    },
    { validator: (_request: ConfirmRectificationInput) => requireOpen('rectification') },
  );

  setHandler(
    extendSuspensionUpdate,
    async (request) => {
      const at = nowIso();
      status = 'suspended';
      rectification = request.rectification;
      book.put(request.rectification);
      extensions.push({ at, days: request.days, reason: request.reason, dueAt: request.rectification.dueAt, by: request.actor.id });
      await transition({
        from: ['lapsed'],
        to: 'suspended',
        due: { kind: 'rectification', dueAt: request.rectification.dueAt, explanation: request.rectification.explanation },
        event: {
          key: `extended:${request.rectification.ref}`,
          type: 'extended',
          at,
          actor: request.actor,
          data: { days: request.days, reason: request.reason, dueAt: request.rectification.dueAt },
        },
        data: { extensions },
        audit: { type: 'case.suspension_extended', data: { days: request.days, reason: request.reason } },
      });
      await acts.notify({
        id: `${workflowId}:extended:${request.rectification.ref}`,
        contractId,
        audiences: ['party_a_contact', 'owner', 'legal', 'operations'],
        reason: 'suspension_extended',
        subject: `${head}：整改期限延长`,
        body: `整改期限延长 ${request.days} 日（${request.reason}），服务继续暂停。新的整改期限：${request.rectification.explanation}`,
      });
      return view();
    },
    { validator: (_request: ExtendSuspensionInput) => requireOpen('extension') },
  );

  setHandler(calendarChangedSignal, async (change) => {
    if (status !== 'suspended') return;
    const entered = await legal.refresh(change, book.open, (centreYear) => acts.loadCalendar({ centreYear }));
    if (!entered || status !== 'suspended') return;
    const { recounted, moves } = recountDeadlines(book.open, entered.year, legal.calendar);
    if (recounted.length === 0) return;
    for (const deadline of recounted) book.put(deadline);
    rectification = recounted.find((d) => d.kind === 'rectification') ?? rectification;
    await recordCaseMoves(transition, { status: 'suspended', entered, moves, at: nowIso() });
    await announceMoves(acts, {
      workflowId,
      contractId,
      change: entered,
      moves,
      audiences: ['party_a_contact', 'owner', 'legal'],
      subject: `${head}：整改期限调整`,
      what: () => '整改期限',
    });
    if (moves.length === 0) await acts.syncDeadlines({ workflowId, contractId, open: book.open, closed: book.drainClosed() });
  });

  noticeDocumentId = (
    await acts.produceDocument({
      kind: 'suspension_notice',
      contractId,
      caseId,
      source: input.source,
      reason: input.reason,
      suspendedAt: input.suspendedAt,
      rectificationDays: input.rectificationDays,
      rectificationDueAt: input.rectification.dueAt,
      rectificationExplanation: input.rectification.explanation,
      issuedAt: input.suspendedAt,
    })
  ).id;
  await acts.notify({
    id: `${workflowId}:suspended`,
    contractId,
    audiences: ['party_a_contact', 'owner', 'legal', 'operations'],
    reason: 'suspension_notice',
    subject: `${head}：短信服务暂停，限期整改`,
    body: `依据合同第四条第9款（${SUSPENSION_SOURCE_LABELS[input.source].zh}），短信服务自 ${input.suspendedAt} 起暂停：${input.reason}。整改期限：${input.rectification.explanation} 整改经确认后恢复服务。`,
  });

  for (;;) {
    await waitUntilDue(() => status !== 'suspended', () => rectification.dueAt);
    if (status === 'suspended') {
      const at = nowIso();
      status = 'lapsed';
      lapsedAt = at;
      const lapsed = rectification;
      book.close('rectification', lapsed.ref, 'lapsed');
      await transition({
        from: ['suspended'],
        to: 'lapsed',
        due: null,
        addFlags: ['rectification_lapsed'],
        event: { key: `lapsed:${lapsed.ref}`, type: 'rectification_lapsed', at, actor: LEGAL_SYSTEM_ACTOR, data: { dueAt: lapsed.dueAt } },
        data: { lapsed: { at, dueAt: lapsed.dueAt } },
        audit: { type: 'case.rectification_lapsed', data: { dueAt: lapsed.dueAt } },
      });
      await acts.alertStaff({
        id: `${workflowId}:lapsed:${lapsed.ref}`,
        audiences: ['legal'],
        reason: 'suspension_rectification_lapsed',
        subject: `${head}：整改期限届满，待决定终止合同或延长整改期限`,
        body: `整改期限已届满（${lapsed.explanation}），未确认整改，服务继续暂停。请依合同第四条第9款决定单方终止合同，或延长整改期限（POST /api/suspensions/${caseId}/extension）。`,
      });
    }
    await condition(() => status !== 'lapsed');
    // an update moved it on (TypeScript does not see handlers change `status`)
    if ((status as SuspensionStatus) === 'rectified') break;
  }
  await condition(allHandlersFinished);
  return view();
}
