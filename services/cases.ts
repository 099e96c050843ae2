/**
 * Opening legal cases from the API: the case row(s), their first timeline
 * event, deadlines, audit events and the owed workflow start commit in one
 * transaction; the workflow is started right after, and the API's sweeper
 * retries a start that did not happen. Written documents filed with a case
 * action are stored (with their audit event) before the action is sent to
 * the workflow.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { deadlineFrom, documentId, type Actor } from '../domain/contract';
import {
  breachWorkflowId,
  CLAUSES,
  forceMajeureWorkflowId,
  outageCaseId,
  outageWorkflowId,
  violationWorkflowId,
  type CaseDocumentRef,
  type TBreachNoticeRequest,
  type TForceMajeureRequest,
  type TOutageRequest,
  type TViolationRequest,
  type TWrittenDocument,
} from '../domain/legal';
import { computeDeadline, recountDeadline, type DeadlineBasis } from '../domain/periods';
import { PARTY_LABELS } from '../domain/terms';
import { appendAudit } from '../db/audit';
import type { ContractRow } from '../db/contracts';
import { storeDocument } from '../db/documents';
import { loadCalendarAt } from '../db/calendar';
import { insertOutage, listHolidayOverrides, openCase } from '../db/legal';
import { enqueueWorkflowStart } from '../db/outbox';
import type { Db, Queryable } from '../db/pool';
import { sha256Hex } from '../pdf';
import { renderWrittenStatementPdf } from '../pdf/legal-documents';
import type { Logger } from '../platform/logger';
import { startOwed, type OwedStart as CaseStart } from './workflow-starts';
import type { BreachCaseInput } from '../workflows/breach-case';
import type { ForceMajeureInput } from '../workflows/force-majeure';
import type { OutageNoticeInput } from '../workflows/outage-notice';
import type { ViolationCaseInput } from '../workflows/violation';

export type CaseServiceDeps = { db: Db; temporal: Client; taskQueue: string; logger: Logger };

type OwedStart = CaseStart & { workflow: 'breachCase' | 'outageNotice' | 'contentViolation' | 'forceMajeure' };

/**
 * Writes what opens a case (its rows, events and deadlines) and the owed
 * workflow start in one transaction, then starts the workflow: a crash or a
 * failed start in between leaves the start owed, and the sweeper makes it.
 */
async function openWithWorkflow(deps: CaseServiceDeps, owed: OwedStart, write: (tx: Queryable) => Promise<void>): Promise<void> {
  await deps.db.withTransaction(async (tx) => {
    await write(tx);
    await enqueueWorkflowStart(tx, owed);
  });
  await startOwed(deps, owed);
}

const iso = (instant: string) => new Date(instant).toISOString();

// ---------------------------------------------------------------- breach

export async function serveBreachNotice(
  deps: CaseServiceDeps,
  input: { contract: ContractRow; request: TBreachNoticeRequest; actor: Actor; now: number },
): Promise<string> {
  const { contract, request, actor } = input;
  const caseId = `BR-${randomUUID()}`;
  const workflowId = breachWorkflowId(caseId);
  const servedAt = request.servedAt ? iso(request.servedAt) : new Date(input.now).toISOString();
  const holidayOverrides = await listHolidayOverrides(deps.db);
  const cureBasis: DeadlineBasis = {
    from: servedAt,
    period: { unit: 'days', amount: contract.terms.legal.cureDays },
    rule: 'act',
    what: { zh: '纠正违约并书面通知，或提出书面异议', en: 'curing the breach and confirming in writing, or objecting in writing' },
    trigger: { zh: '违约通知送达', en: 'service of the breach notice' },
  };
  const cure = deadlineFrom('cure', caseId, recountDeadline(cureBasis, await loadCalendarAt(deps.db, servedAt)), cureBasis);
  const negotiationDays = request.negotiationDays ?? contract.terms.legal.negotiationDays;
  const workflowInput: BreachCaseInput = {
    caseId,
    contractId: contract.id,
    contractNumber: contract.number,
    servedBy: request.servedBy,
    clause: request.clause,
    clauseText: request.clauseText,
    description: request.description,
    evidence: request.evidence,
    servedAt,
    cure,
    negotiationDays,
    disputeVenue: contract.terms.legal.disputeVenue,
    holidayOverrides,
    source: 'api',
    actor,
  };
  await openWithWorkflow(deps, { workflowId, workflow: 'breachCase', input: workflowInput }, async (tx) => {
    await openCase(tx, {
      id: caseId,
      kind: 'breach',
      contractId: contract.id,
      status: 'served',
      servedBy: request.servedBy,
      clause: request.clause,
      description: request.description,
      openedAt: servedAt,
      actor,
      due: { kind: 'cure', dueAt: cure.dueAt, explanation: cure.explanation },
      workflowId,
      data: { source: 'api', evidence: request.evidence ?? null, negotiationDays },
      event: { type: 'served', data: { servedBy: request.servedBy, clause: request.clause, cureDueAt: cure.dueAt } },
      deadlines: { open: [cure], closed: [] },
    });
  });
  return caseId;
}

// ---------------------------------------------------------------- outage

export async function reportOutage(
  deps: CaseServiceDeps,
  input: { contracts: ContractRow[]; request: TOutageRequest; scope: 'all' | 'listed'; actor: Actor },
): Promise<string> {
  const { request, actor } = input;
  const outageId = `OU-${randomUUID()}`;
  const workflowId = outageWorkflowId(outageId);
  const learnedAt = iso(request.learnedAt);
  // Art.5 §8 in hours from the moment of learning; the strictest affected contract sets the outage's deadline
  const hours = Math.min(...input.contracts.map((c) => c.terms.legal.outageNoticeHours));
  const due = computeDeadline({
    from: learnedAt,
    period: { unit: 'hours', amount: hours },
    rule: 'act',
    what: { zh: '通知甲方', en: 'notifying Party A' },
    trigger: { zh: '乙方获知服务中断', en: 'Party B learning of the interruption' },
  });
  const held = request.holdForReview === true;
  const cases = input.contracts.map((c) => ({ caseId: outageCaseId(outageId, c.number), contractId: c.id }));
  const workflowInput: OutageNoticeInput = {
    outageId,
    startedAt: iso(request.startedAt),
    learnedAt,
    cause: request.cause,
    description: request.description,
    cases,
    notice: deadlineFrom('outage_notice', outageId, due),
    holdForReview: held,
    actor,
  };
  await openWithWorkflow(deps, { workflowId, workflow: 'outageNotice', input: workflowInput }, async (tx) => {
    const now = new Date().toISOString();
    await insertOutage(tx, {
      id: outageId,
      startedAt: workflowInput.startedAt,
      learnedAt,
      cause: request.cause,
      description: request.description,
      scope: input.scope,
      status: held ? 'held' : 'pending',
      noticeDueAt: due.dueAt,
      noticeExplanation: due.explanation,
      heldBy: held ? actor.id : null,
      heldAt: held ? now : null,
      holdReason: held ? 'held for review when reported' : null,
      reportedBy: actor.id,
      workflowId,
    });
    for (const c of cases) {
      await openCase(tx, {
        id: c.caseId,
        kind: 'outage',
        contractId: c.contractId,
        status: held ? 'held' : 'pending',
        servedBy: null,
        clause: CLAUSES.outage,
        description: request.description,
        openedAt: now,
        actor,
        due: { kind: 'outage_notice', dueAt: due.dueAt, explanation: due.explanation },
        workflowId,
        outageId,
        data: { outageId, cause: request.cause, startedAt: workflowInput.startedAt, learnedAt, scope: input.scope, holdForReview: held },
        event: { type: 'reported', at: now, data: { outageId, learnedAt, noticeDueAt: due.dueAt, holdForReview: held } },
        deadlines: { open: [deadlineFrom('outage_notice', c.caseId, due)], closed: [] },
        audit: { data: { outageId } },
      });
    }
  });
  return outageId;
}

// ---------------------------------------------------------------- violation

export async function recordViolation(
  deps: CaseServiceDeps,
  input: { contract: ContractRow; request: TViolationRequest; actor: Actor; now: number },
): Promise<string> {
  const { contract, request, actor } = input;
  const caseId = `VI-${randomUUID()}`;
  const workflowId = violationWorkflowId(caseId);
  const learnedAt = iso(request.learnedAt);
  const reportedAt = new Date(input.now).toISOString();
  const deadline =
    request.reportedBy === 'customer'
      ? computeDeadline({
          from: learnedAt,
          period: { unit: 'hours', amount: contract.terms.legal.violationReportHours },
          rule: 'act',
          what: { zh: '向乙方报告内容违规', en: 'reporting the violation to Party B' },
          trigger: { zh: '甲方知道违规', en: 'Party A learning of the violation' },
        })
      : null;
  const report = deadline ? { reportedAt, dueAt: deadline.dueAt, explanation: deadline.explanation, onTime: input.now <= Date.parse(deadline.dueAt) } : null;
  const workflowInput: ViolationCaseInput = {
    caseId,
    contractId: contract.id,
    contractNumber: contract.number,
    reportedBy: request.reportedBy,
    learnedAt,
    report,
    description: request.description,
    messageRef: request.messageRef,
    actor,
  };
  await openWithWorkflow(deps, { workflowId, workflow: 'contentViolation', input: workflowInput }, async (tx) => {
    await openCase(tx, {
      id: caseId,
      kind: 'violation',
      contractId: contract.id,
      status: request.reportedBy === 'customer' ? 'reported' : 'detected',
      servedBy: request.reportedBy === 'customer' ? 'A' : 'B',
      clause: CLAUSES.violation,
      description: request.description,
      openedAt: reportedAt,
      actor,
      due: null,
      workflowId,
      flags: report && !report.onTime ? ['reported_late'] : [],
      data: { reportedBy: request.reportedBy, learnedAt, report, messageRef: request.messageRef ?? null },
      event: {
        type: request.reportedBy === 'customer' ? 'reported' : 'detected',
        data: report ? { learnedAt, reportedAt, onTime: report.onTime, dueAt: report.dueAt } : { learnedAt },
      },
      // the report deadline is decided by the report itself: met or lapsed
      deadlines: deadline
        ? { open: [deadlineFrom('violation_report', caseId, deadline)], closed: [{ kind: 'violation_report', ref: caseId, status: report!.onTime ? 'met' : 'lapsed' }] }
        : undefined,
      audit: { data: report ? { reportOnTime: report.onTime, reportDueAt: report.dueAt } : { detectedBy: 'provider' } },
    });
  });
  return caseId;
}

// ---------------------------------------------------------------- force majeure

export async function declareForceMajeure(
  deps: CaseServiceDeps,
  input: { contract: ContractRow; request: TForceMajeureRequest; actor: Actor },
): Promise<string> {
  const { contract, request, actor } = input;
  const caseId = `FM-${randomUUID()}`;
  const workflowId = forceMajeureWorkflowId(caseId);
  const occurredAt = iso(request.occurredAt);
  const proofBasis: DeadlineBasis = {
    from: occurredAt,
    period: { unit: 'days', amount: contract.terms.legal.forceMajeureProofDays },
    rule: 'act',
    what: { zh: '提供不可抗力书面证明', en: 'written proof of the force majeure event' },
    trigger: { zh: '不可抗力事件发生', en: 'the event' },
  };
  const proof = deadlineFrom('force_majeure_proof', caseId, recountDeadline(proofBasis, await loadCalendarAt(deps.db, occurredAt)), proofBasis);
  const event = request.event ?? (request.description.length > 40 ? `${request.description.slice(0, 40)}…` : request.description);
  const workflowInput: ForceMajeureInput = {
    caseId,
    contractId: contract.id,
    contractNumber: contract.number,
    declaredBy: request.declaredBy,
    event,
    occurredAt,
    description: request.description,
    proof,
    actor,
  };
  await openWithWorkflow(deps, { workflowId, workflow: 'forceMajeure', input: workflowInput }, async (tx) => {
    await openCase(tx, {
      id: caseId,
      kind: 'force_majeure',
      contractId: contract.id,
      status: 'declared',
      servedBy: request.declaredBy,
      clause: CLAUSES.forceMajeure,
      description: request.description,
      openedAt: new Date().toISOString(),
      actor,
      due: { kind: 'force_majeure_proof', dueAt: proof.dueAt, explanation: proof.explanation },
      workflowId,
      data: { declaredBy: request.declaredBy, event, occurredAt },
      event: { type: 'declared', data: { declaredBy: request.declaredBy, occurredAt, proofDueAt: proof.dueAt } },
      deadlines: { open: [proof], closed: [] },
    });
  });
  return caseId;
}

// ---------------------------------------------------------------- written documents

/** The PDF bytes of a written document: the upload as is, or the statement's text rendered. */
export async function writtenDocumentContent(
  doc: TWrittenDocument,
  meta: { documentId: string; title: string; contractNumber: string; caseId: string; submittedBy: string; at: string },
): Promise<Buffer> {
  if (doc.pdfBase64 !== undefined) return Buffer.from(doc.pdfBase64, 'base64');
  return renderWrittenStatementPdf({
    documentId: meta.documentId,
    title: meta.title,
    contractNumber: meta.contractNumber,
    caseId: meta.caseId,
    submittedBy: meta.submittedBy,
    submittedAt: meta.at,
    text: doc.text!,
    issuedAt: meta.at,
  });
}

/**
 * Stores a written document filed with a case action (a cure confirmation,
 * an objection, a settlement, proof of force majeure) with its audit event.
 * Its id carries the content's hash, so a retried request stores it once.
 */
export async function fileWrittenDocument(
  db: Db,
  input: { contract: ContractRow; caseId: string; role: string; defaultTitle: string; doc: TWrittenDocument; party: 'A' | 'B' | null; actor: Actor; actorName: string },
): Promise<CaseDocumentRef> {
  const title = input.doc.title ?? input.defaultTitle;
  const at = new Date().toISOString();
  const submittedBy = input.party ? `${PARTY_LABELS[input.party]}（${input.party === 'A' ? input.contract.partyAName : input.contract.partyBName}）` : input.actorName;
  const sourceHash = sha256Hex(Buffer.from(input.doc.pdfBase64 ?? `text:${title}:${input.doc.text}`));
  const id = documentId(input.contract.id, input.role, `${input.caseId}:${sourceHash.slice(0, 16)}`);
  const content = await writtenDocumentContent(input.doc, { documentId: id, title, contractNumber: input.contract.number, caseId: input.caseId, submittedBy, at });
  const sha256 = sha256Hex(content);
  return db.withTransaction(async (tx) => {
    const stored = await storeDocument(tx, { id, contractId: input.contract.id, kind: input.role, title, sha256, content });
    if (stored.sha256 === sha256) {
      await appendAudit(tx, {
        type: 'document.filed',
        contractId: input.contract.id,
        actor: input.actor,
        after: { documentId: id, kind: input.role, sha256, sizeBytes: content.length },
        data: { caseId: input.caseId, source: input.doc.pdfBase64 !== undefined ? 'pdf_upload' : 'text' },
      });
    }
    return { documentId: stored.id, title: stored.title, sha256: stored.sha256 };
  });
}
