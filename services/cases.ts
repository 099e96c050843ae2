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
import { deadlineFrom, documentId, type Actor, type DeadlineKind, type DeadlineState } from '../domain/contract';
import {
  breachWorkflowId,
  CLAUSES,
  forceMajeureWorkflowId,
  outageCaseId,
  outageWorkflowId,
  rectificationDaysOf,
  SUSPENSION_SOURCE_LABELS,
  suspensionWorkflowId,
  violationWorkflowId,
  type CaseDocumentRef,
  type TBreachNoticeRequest,
  type TForceMajeureRequest,
  type TOutageRequest,
  type TSuspensionRequest,
  type TViolationRequest,
  type TWrittenDocument,
} from '../domain/legal';
import { actBasis, computeDeadline, recountDeadline, type DeadlineBasis } from '../domain/periods';
import { PARTY_LABELS } from '../domain/terms';
import { appendAudit } from '../db/audit';
import type { ContractRow } from '../db/contracts';
import { storeDocument } from '../db/documents';
import { loadCalendarAt } from '../db/calendar';
import { findOpenSuspension, insertOutage, insertOutageContracts, isOpenSuspensionConflict, listHolidayOverrides, openCase, type NewCase } from '../db/legal';
import type { Db, Queryable } from '../db/pool';
import { sha256Hex } from '../pdf';
import { IN_PROCESS_RENDERER, type PdfRenderer } from '../pdf/renderer';
import type { Logger } from '../platform/logger';
import { oweStart, startOwed, type OwedStartOutcome, type StartRequest } from './workflow-starts';
import { breachCase, type BreachCaseInput } from '../workflows/breach-case';
import { forceMajeure, type ForceMajeureInput } from '../workflows/force-majeure';
import { outageNotice, type OutageNoticeByIdInput, type OutagePaging } from '../workflows/outage-notice';
import { suspension, type SuspensionInput } from '../workflows/suspension';
import { contentViolation, type ViolationCaseInput } from '../workflows/violation';
import { AppError } from '../domain/errors';
import { refusal } from '../domain/error-reasons';

export type CaseServiceDeps = { db: Db; temporal: Client; taskQueue: string; logger: Logger };

type CaseWorkflow = typeof breachCase | typeof outageNotice | typeof contentViolation | typeof forceMajeure | typeof suspension;

/**
 * Writes what opens a case (its rows, events and deadlines) and the owed
 * workflow start in one transaction, then starts the workflow: a crash or a
 * failed start in between leaves the start owed, and the sweeper makes it.
 */
async function openWithWorkflow<W extends CaseWorkflow>(
  deps: CaseServiceDeps,
  workflow: W,
  start: StartRequest<W>,
  write: (tx: Queryable) => Promise<void>,
): Promise<OwedStartOutcome> {
  const owed = await deps.db.withTransaction(async (tx) => {
    await write(tx);
    return oweStart(tx, workflow, start);
  });
  return startOwed(deps, owed);
}

const iso = (instant: string) => new Date(instant).toISOString();

/** A deadline counted over the calendar as it stood at its start, its basis kept so that a calendar notice can count it again. */
async function countedOver(db: Queryable, kind: DeadlineKind, ref: string, basis: DeadlineBasis): Promise<DeadlineState> {
  return deadlineFrom(kind, ref, recountDeadline(basis, await loadCalendarAt(db, basis.from)), basis);
}

// ---------------------------------------------------------------- breach

/** What opens a breach case: the workflow's input, less what the contract row gives, plus what the case row keeps. */
export type OpenBreachCase = Omit<BreachCaseInput, 'contractId' | 'contractNumber' | 'disputeVenue' | 'holidayOverrides'> & {
  contract: ContractRow;
  /** kept on the case row */
  caseData: Record<string, unknown>;
  auditData?: Record<string, unknown>;
};

/**
 * Opens a breach case with its cure deadline and starts its workflow
 * breach-<caseId>: the one door for a notice served through the API and for
 * the one the payment workflow serves. Keyed by the case id, so a retry finds
 * the case and makes only the start it may still owe.
 */
export async function openBreachCase(deps: CaseServiceDeps, open: OpenBreachCase): Promise<{ opened: boolean; start: OwedStartOutcome }> {
  const { contract, caseData, auditData, ...given } = open;
  const workflowId = breachWorkflowId(open.caseId);
  const workflowInput: BreachCaseInput = {
    ...given,
    contractId: contract.id,
    contractNumber: contract.number,
    disputeVenue: contract.terms.legal.disputeVenue,
    holidayOverrides: await listHolidayOverrides(deps.db),
  };
  let opened = false;
  const start = await openWithWorkflow(deps, breachCase, { workflowId, args: [workflowInput] }, async (tx) => {
    opened = await openCase(tx, {
      id: open.caseId,
      kind: 'breach',
      contractId: contract.id,
      status: 'served',
      servedBy: open.servedBy,
      clause: open.clause,
      description: open.description,
      openedAt: open.servedAt,
      actor: open.actor,
      due: { kind: 'cure', dueAt: open.cure.dueAt, explanation: open.cure.explanation },
      workflowId,
      data: caseData,
      event: { type: 'served', data: { servedBy: open.servedBy, clause: open.clause, cureDueAt: open.cure.dueAt } },
      deadlines: { open: [open.cure], closed: [] },
      ...(auditData ? { audit: { data: auditData } } : {}),
    });
  });
  return { opened, start };
}

export async function serveBreachNotice(
  deps: CaseServiceDeps,
  input: { contract: ContractRow; request: TBreachNoticeRequest; actor: Actor; now: number },
): Promise<string> {
  const { contract, request, actor } = input;
  const caseId = `BR-${randomUUID()}`;
  const servedAt = request.servedAt ? iso(request.servedAt) : new Date(input.now).toISOString();
  const cure = await countedOver(
    deps.db,
    'cure',
    caseId,
    actBasis(
      servedAt,
      { unit: 'days', amount: contract.terms.legal.cureDays },
      { zh: '纠正违约并书面通知，或提出书面异议', en: 'curing the breach and confirming in writing, or objecting in writing' },
      { zh: '违约通知送达', en: 'service of the breach notice' },
    ),
  );
  const negotiationDays = request.negotiationDays ?? contract.terms.legal.negotiationDays;
  await openBreachCase(deps, {
    caseId,
    contract,
    servedBy: request.servedBy,
    clause: request.clause,
    clauseText: request.clauseText,
    description: request.description,
    evidence: request.evidence,
    servedAt,
    cure,
    negotiationDays,
    source: 'api',
    actor,
    caseData: { source: 'api', evidence: request.evidence ?? null, negotiationDays },
  });
  return caseId;
}

// ---------------------------------------------------------------- outage

/** What opens each case of an outage: the same for every contract it affects. */
export type OutageOpening = {
  outageId: string;
  workflowId: string;
  cause: TOutageRequest['cause'];
  description: string;
  startedAt: string;
  learnedAt: string;
  scope: 'all' | 'listed';
  held: boolean;
  reportedAt: string;
  actor: Actor;
  /** the outage's notice deadline (ref: the outage id); each case holds it under its own id */
  notice: DeadlineState;
};

/** The case of one affected contract, keyed by the outage and the contract number: opening it again opens nothing. */
export function outageCase(o: OutageOpening, contract: { id: string; number: string }): NewCase {
  const id = outageCaseId(o.outageId, contract.number);
  return {
    id,
    kind: 'outage',
    contractId: contract.id,
    status: o.held ? 'held' : 'pending',
    servedBy: null,
    clause: CLAUSES.outage,
    description: o.description,
    openedAt: o.reportedAt,
    actor: o.actor,
    due: { kind: 'outage_notice', dueAt: o.notice.dueAt, explanation: o.notice.explanation },
    workflowId: o.workflowId,
    outageId: o.outageId,
    data: { outageId: o.outageId, cause: o.cause, startedAt: o.startedAt, learnedAt: o.learnedAt, scope: o.scope, holdForReview: o.held },
    event: { type: 'reported', at: o.reportedAt, data: { outageId: o.outageId, learnedAt: o.learnedAt, noticeDueAt: o.notice.dueAt, holdForReview: o.held } },
    deadlines: { open: [{ ...o.notice, ref: id }], closed: [] },
    audit: { data: { outageId: o.outageId } },
  };
}

/**
 * Outages up to this many contracts open their cases in the reporting
 * request (the answer shows them); larger ones are opened by the workflow's
 * first pages (each case's audit takes its contract's chain lock, and one
 * transaction cannot hold 20,000 of them).
 */
export const OUTAGE_CASES_IN_REQUEST = 200;

export async function reportOutage(
  deps: CaseServiceDeps,
  input: { contracts: ContractRow[]; request: TOutageRequest; scope: 'all' | 'listed'; actor: Actor; paging?: OutagePaging },
): Promise<string> {
  const { request, actor } = input;
  const outageId = `OU-${randomUUID()}`;
  const workflowId = outageWorkflowId(outageId);
  const learnedAt = iso(request.learnedAt);
  // Art.5 §8 in hours from the moment of learning; the strictest affected contract sets the outage's deadline
  const hours = input.contracts.reduce((min, c) => Math.min(min, c.terms.legal.outageNoticeHours), Infinity);
  const due = computeDeadline(actBasis(learnedAt, { unit: 'hours', amount: hours }, { zh: '通知甲方', en: 'notifying Party A' }, { zh: '乙方获知服务中断', en: 'Party B learning of the interruption' }));
  const held = request.holdForReview === true;
  const reportedAt = new Date().toISOString();
  // the outage and how many contracts it affects, never the list (it grows with the outage: the workflow reads it in pages)
  const workflowInput: OutageNoticeByIdInput = {
    outageId,
    startedAt: iso(request.startedAt),
    learnedAt,
    cause: request.cause,
    description: request.description,
    contracts: input.contracts.length,
    scope: input.scope,
    reportedAt,
    notice: deadlineFrom('outage_notice', outageId, due),
    holdForReview: held,
    actor,
    ...(input.paging ? { paging: input.paging } : {}),
  };
  const opening: OutageOpening = { ...workflowInput, workflowId, held, notice: workflowInput.notice };
  await openWithWorkflow(deps, outageNotice, { workflowId, args: [workflowInput] }, async (tx) => {
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
      heldAt: held ? reportedAt : null,
      holdReason: held ? 'held for review when reported' : null,
      reportedBy: actor.id,
      workflowId,
    });
    await insertOutageContracts(tx, outageId, input.contracts.map((c) => c.id));
    if (input.contracts.length <= OUTAGE_CASES_IN_REQUEST) for (const c of input.contracts) await openCase(tx, outageCase(opening, c));
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
      ? computeDeadline(
          actBasis(
            learnedAt,
            { unit: 'hours', amount: contract.terms.legal.violationReportHours },
            { zh: '向乙方报告内容违规', en: 'reporting the violation to Party B' },
            { zh: '甲方知道违规', en: 'Party A learning of the violation' },
          ),
        )
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
  await openWithWorkflow(deps, contentViolation, { workflowId, args: [workflowInput] }, async (tx) => {
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
  const proof = await countedOver(
    deps.db,
    'force_majeure_proof',
    caseId,
    actBasis(occurredAt, { unit: 'days', amount: contract.terms.legal.forceMajeureProofDays }, { zh: '提供不可抗力书面证明', en: 'written proof of the force majeure event' }, { zh: '不可抗力事件发生', en: 'the event' }),
  );
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
  await openWithWorkflow(deps, forceMajeure, { workflowId, args: [workflowInput] }, async (tx) => {
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

// ---------------------------------------------------------------- suspension (Art.4 §9)

/** The refusal of a second suspension while one is open (409). */
function alreadySuspended(contract: ContractRow, caseId: string | null): AppError {
  return refusal(
    'contract.already_suspended',
    { number: contract.number, caseId },
    `contract ${contract.number} is already suspended${caseId ? ` (case ${caseId})` : ''}: confirm the rectification or extend that suspension`,
    { ...(caseId ? { caseId } : {}) },
  );
}

const rectificationPeriod = (db: Queryable, ref: string, from: string, days: number, trigger: { zh: string; en: string }) =>
  countedOver(db, 'rectification', ref, actBasis(from, { unit: 'days', amount: days }, { zh: '完成整改', en: 'completing the rectification' }, trigger));

/**
 * Suspends the contract's service pending rectification (Art.4 §9): the case
 * with its rectification deadline, the contract's audit event and the owed
 * start of the suspension workflow in one transaction. A contract has at
 * most one open suspension (409 for a second).
 */
export async function suspendContract(
  deps: CaseServiceDeps,
  input: { contract: ContractRow; request: TSuspensionRequest; actor: Actor; now: number },
): Promise<string> {
  const { contract, request, actor } = input;
  const open = await findOpenSuspension(deps.db, contract.id);
  if (open) throw alreadySuspended(contract, open.id);
  const caseId = `SU-${randomUUID()}`;
  const workflowId = suspensionWorkflowId(caseId);
  const suspendedAt = new Date(input.now).toISOString();
  const days = request.rectificationDays ?? rectificationDaysOf(contract.terms);
  const rectification = await rectificationPeriod(deps.db, caseId, suspendedAt, days, { zh: '暂停服务', en: 'the suspension of the service' });
  const workflowInput: SuspensionInput = {
    caseId,
    contractId: contract.id,
    contractNumber: contract.number,
    source: request.source,
    reason: request.reason,
    suspendedAt,
    rectificationDays: days,
    rectification,
    actor,
  };
  try {
    await openWithWorkflow(deps, suspension, { workflowId, args: [workflowInput] }, async (tx) => {
      await openCase(tx, {
        id: caseId,
        kind: 'suspension',
        contractId: contract.id,
        status: 'suspended',
        servedBy: 'B',
        clause: CLAUSES.suspension,
        description: request.reason,
        openedAt: suspendedAt,
        actor,
        due: { kind: 'rectification', dueAt: rectification.dueAt, explanation: rectification.explanation },
        workflowId,
        data: { source: request.source, sourceLabel: SUSPENSION_SOURCE_LABELS[request.source].zh, reason: request.reason, suspendedAt, rectificationDays: days },
        event: { type: 'suspended', data: { source: request.source, rectificationDays: days, rectificationDueAt: rectification.dueAt } },
        deadlines: { open: [rectification], closed: [] },
        audit: { data: { source: request.source } },
      });
      await appendAudit(tx, {
        type: 'contract.suspended',
        contractId: contract.id,
        actor,
        before: { suspended: false },
        after: { suspended: true, caseId },
        data: { caseId, source: request.source, reason: request.reason, rectificationDays: days, rectificationDueAt: rectification.dueAt },
      });
    });
  } catch (error) {
    if (isOpenSuspensionConflict(error)) throw alreadySuspended(contract, (await findOpenSuspension(deps.db, contract.id))?.id ?? null);
    throw error;
  }
  return caseId;
}

/** Another rectification period of `days` days from the extension (a lapsed suspension; Civil Code count). */
export async function extensionPeriod(db: Queryable, caseId: string, extensionNumber: number, at: string, days: number): Promise<DeadlineState> {
  return rectificationPeriod(db, `${caseId}:extension-${extensionNumber}`, at, days, { zh: '延长整改期限', en: 'the extension of the rectification period' });
}

// ---------------------------------------------------------------- written documents

/**
 * The PDF bytes of a written document: the upload as is, or the statement's
 * text rendered by `pdf` (the API's render pool: a 20,000-character statement
 * is seconds of CPU that must not hold the event loop every request shares).
 */
export async function writtenDocumentContent(
  doc: TWrittenDocument,
  meta: { documentId: string; title: string; contractNumber: string; caseId: string; submittedBy: string; at: string },
  pdf: PdfRenderer = IN_PROCESS_RENDERER,
): Promise<Buffer> {
  if (doc.pdfBase64 !== undefined) return Buffer.from(doc.pdfBase64, 'base64');
  return pdf.render('written_statement', {
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
 * A statement given as text is rendered by `deps.pdf` (the API passes its
 * render pool; in this process when unset).
 */
export async function fileWrittenDocument(
  deps: { db: Db; pdf?: PdfRenderer },
  input: { contract: ContractRow; caseId: string; role: string; defaultTitle: string; doc: TWrittenDocument; party: 'A' | 'B' | null; actor: Actor; actorName: string },
): Promise<CaseDocumentRef> {
  const { db } = deps;
  const title = input.doc.title ?? input.defaultTitle;
  const at = new Date().toISOString();
  const submittedBy = input.party ? `${PARTY_LABELS[input.party]}（${input.party === 'A' ? input.contract.partyAName : input.contract.partyBName}）` : input.actorName;
  const sourceHash = sha256Hex(Buffer.from(input.doc.pdfBase64 ?? `text:${title}:${input.doc.text}`));
  const id = documentId(input.contract.id, input.role, `${input.caseId}:${sourceHash.slice(0, 16)}`);
  const content = await writtenDocumentContent(input.doc, { documentId: id, title, contractNumber: input.contract.number, caseId: input.caseId, submittedBy, at }, deps.pdf);
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
