/**
 * Force majeure (Art.9): the affected party declares the event and must give
 * written proof within 15 days of it (Civil Code count, 'act' rule). Proof
 * on time closes the case; none by the deadline flags it (proof missing), and
 * proof filed later is recorded and flagged as late.
 *
 * Workflow id: force-majeure-<caseId>. The case row exists before the
 * workflow starts (POST /api/contracts/:id/force-majeure).
 */
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Actor, DeadlineState } from '../domain/contract';
import { CASE_ACTIONS, contactAudienceOf, type ForceMajeureStatus } from '../domain/legal';
import { otherParty, PARTY_LABELS, type PartyCode } from '../domain/terms';
import { acts } from './activity-proxies';
import { caseTransitions, createSerial, invalidState, LEGAL_SYSTEM_ACTOR, recordCaseMoves } from './case-support';
import { DeadlineBook } from './deadline-book';
import { calendarChangedSignal } from './messages/calendar';
import { getDeadlinesQuery } from './messages/deadlines';
import { fileForceMajeureProofUpdate, getForceMajeureQuery, type FileProofInput, type ForceMajeureView } from './messages/force-majeure';
import { announceMoves, LegalCalendar, recountDeadlines, waitUntilDue } from './calendar';
import { nowIso } from './shared';

export type ForceMajeureInput = {
  caseId: string;
  contractId: string;
  contractNumber: string;
  declaredBy: PartyCode;
  event: string;
  occurredAt: string;
  description: string;
  /** computeDeadline, days from the event, 'act' rule */
  proof: DeadlineState;
  actor: Actor;
};

export async function forceMajeure(input: ForceMajeureInput): Promise<ForceMajeureView> {
  const workflowId = workflowInfo().workflowId;
  const { caseId, contractId } = input;
  const book = new DeadlineBook();
  book.put(input.proof);
  // the proof period moves when a calendar notice changes a day it was counted over (workflows/calendar.ts)
  let proof = input.proof;
  const legal = new LegalCalendar(null);
  const serial = createSerial();
  const transition = caseTransitions(acts.recordCaseTransition, caseId, serial, () => ({ workflowId, open: book.open, closed: book.drainClosed() }));
  const recipient = otherParty(input.declaredBy);
  let status: ForceMajeureStatus = 'declared';
  let proofFiledAt: string | null = null;
  let proofOnTime: boolean | null = null;
  let flaggedMissingAt: string | null = null;
  let noticeDocumentId: string | null = null;
  const view = (): ForceMajeureView => ({
    caseId,
    contractId,
    status,
    declaredBy: input.declaredBy,
    occurredAt: input.occurredAt,
    proof,
    proofFiledAt,
    proofOnTime,
    flaggedMissingAt,
    noticeDocumentId,
  });
  const head = `合同 ${input.contractNumber} 不可抗力案件 ${caseId}`;

  setHandler(getForceMajeureQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);

  setHandler(
    fileForceMajeureProofUpdate,
    async (request) => {
      const at = nowIso();
      const onTime = Date.now() <= Date.parse(proof.dueAt);
      const before = status;
      status = onTime ? 'proof_filed' : 'proof_filed_late';
      proofFiledAt = at;
      proofOnTime = onTime;
      book.close('force_majeure_proof', caseId, onTime ? 'met' : 'lapsed');
      await transition({
        from: [before],
        to: status,
        close: true,
        due: null,
        addFlags: onTime ? [] : ['proof_late'],
        event: { key: 'proof_filed', type: onTime ? 'proof_filed' : 'proof_filed_late', at, actor: request.actor, data: { documentId: request.document.documentId, onTime, dueAt: proof.dueAt, note: request.note ?? null } },
        documents: [{ documentId: request.document.documentId, role: 'force_majeure_proof' }],
        data: { proof: { at, onTime, by: request.actor.id, documentId: request.document.documentId, dueAt: proof.dueAt } },
        audit: { type: onTime ? 'case.proof_filed' : 'case.proof_filed_late', data: { documentId: request.document.documentId, dueAt: proof.dueAt } },
      });
      await acts.notify({
        id: `${workflowId}:proof`,
        contractId,
        audiences: [contactAudienceOf(recipient), 'owner', 'legal'],
        reason: onTime ? 'force_majeure_proof_filed' : 'force_majeure_proof_late',
        subject: `${head}：书面证明已${onTime ? '按期' : '逾期'}提交`,
        body: `${PARTY_LABELS[input.declaredBy]}于 ${at} 提交不可抗力书面证明（${request.document.title}）${onTime ? '，在期限内' : `，已超过期限（${proof.explanation}）`}。`,
        sms: { template: 'force_majeure_proof_filed', onTime },
      });
      return view();
    },
    {
      validator: (_request: FileProofInput) => {
        if (!CASE_ACTIONS.proof.when.includes(status)) throw invalidState(`force majeure case ${caseId} already has its proof (${status}, filed at ${proofFiledAt})`);
      },
    },
  );

  setHandler(calendarChangedSignal, async (change) => {
    if (status !== 'declared') return;
    const entered = await legal.refresh(change, book.open, (centreYear) => acts.loadCalendar({ centreYear }));
    if (!entered || status !== 'declared') return;
    const { recounted, moves } = recountDeadlines(book.open, entered.year, legal.calendar);
    if (recounted.length === 0) return;
    for (const deadline of recounted) book.put(deadline);
    proof = recounted.find((d) => d.kind === 'force_majeure_proof') ?? proof;
    await recordCaseMoves(transition, { status: 'declared', entered, moves, at: nowIso() });
    await announceMoves(acts, {
      workflowId,
      contractId,
      change: entered,
      moves,
      audiences: [contactAudienceOf(input.declaredBy), 'owner', 'legal'],
      subject: `${head}：不可抗力证明期限调整`,
      what: () => '不可抗力书面证明期限',
    });
    if (moves.length === 0) await acts.syncDeadlines({ workflowId, contractId, open: book.open, closed: book.drainClosed() });
  });

  noticeDocumentId = (
    await acts.produceDocument({
      kind: 'force_majeure_notice',
      contractId,
      caseId,
      declaredBy: input.declaredBy,
      event: input.event,
      occurredAt: input.occurredAt,
      description: input.description,
      proofDueAt: proof.dueAt,
      proofExplanation: proof.explanation,
      issuedAt: workflowInfo().startTime.toISOString(),
    })
  ).id;
  await acts.notify({
    id: `${workflowId}:declared`,
    contractId,
    audiences: [contactAudienceOf(recipient), 'owner', 'legal'],
    reason: 'force_majeure_declared',
    subject: `${head}：${PARTY_LABELS[input.declaredBy]}通知发生不可抗力`,
    body: `${input.event}（发生于 ${input.occurredAt}）。书面证明期限：${proof.explanation}`,
    sms: { template: 'force_majeure_declared', proofDueAt: proof.dueAt },
  });

  await waitUntilDue(() => status !== 'declared', () => proof.dueAt);
  if (status === 'declared') {
    const at = nowIso();
    status = 'proof_overdue';
    flaggedMissingAt = at;
    book.close('force_majeure_proof', caseId, 'lapsed');
    await transition({
      from: ['declared'],
      to: 'proof_overdue',
      addFlags: ['proof_missing'],
      event: { key: 'proof_missing', type: 'proof_missing', at, actor: LEGAL_SYSTEM_ACTOR, data: { dueAt: proof.dueAt } },
      data: { proofMissing: { flaggedAt: at, dueAt: proof.dueAt } },
      audit: { type: 'case.proof_missing', data: { dueAt: proof.dueAt } },
    });
    await acts.notify({
      id: `${workflowId}:proof-missing`,
      contractId,
      audiences: [contactAudienceOf(input.declaredBy), 'owner', 'legal'],
      reason: 'force_majeure_proof_missing',
      subject: `${head}：书面证明逾期未提交`,
      body: `${PARTY_LABELS[input.declaredBy]}未在期限内提交不可抗力书面证明（合同第九条第2款）：${proof.explanation}`,
      sms: { template: 'force_majeure_proof_missing' },
    });
  }
  await condition(() => status === 'proof_filed' || status === 'proof_filed_late');
  await condition(allHandlersFinished);
  return view();
}
