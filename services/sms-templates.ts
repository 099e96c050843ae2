/**
 * Signature and template applications and their review (the appendix:
 * "短信技术支持会对用户申请的短信签名和短信模板进行审核"; domain/sms/templates.ts).
 *
 * - A customer operator applies for the contract's bound signature with its
 *   supporting document (a PDF, kept in `documents`), and for templates, linted
 *   at application with the message rules; each application is due for review
 *   by the end of the N-th working day after it (terms
 *   `sms.templateReviewWorkingDays`, default 1) by the holiday calendar.
 * - Operations (or an admin) approve or reject it with a reason; an
 *   application is decided once (409 ALREADY_REVIEWED after).
 * - The reminder: while it waits, the review is an open deadline of the
 *   contract (kind 'sms_review'), so the contract's deadlines, every staff
 *   calendar subscription (an alarm on the due day, domain/ics.ts) and the
 *   review queue (soonest due first, overdue flagged) show it, and operations'
 *   inbox holds it as a work item (kind 'sms_review', due then) raised in the
 *   application's transaction; deciding closes both in the same transaction.
 *   No workflow: nothing happens by itself when a review lapses, there is
 *   only a person to remind.
 *
 * Every write and its audit event commit in one transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendAudit } from '../db/audit';
import { loadCalendarAt } from '../db/calendar';
import type { ContractRow } from '../db/contracts';
import { storeDocument } from '../db/documents';
import type { Db } from '../db/pool';
import {
  decideSignature,
  decideTemplate,
  findSignature,
  findTemplate,
  insertSignature,
  insertTemplate,
  type SmsSignatureRow,
  type SmsTemplateRow,
  type WithContract,
} from '../db/sms-templates';
import { documentId, type Actor } from '../domain/contract';
import { AppError } from '../domain/errors';
import { reviewDeadline } from '../domain/sms/review-deadline';
import { lintTemplate, templateTermsOf, type ReviewDecision, type TemplateCategory } from '../domain/sms/templates';
import type { SmsSignatureView, SmsTemplateView } from './sms-templates.types';

export type SmsTemplateDeps = { db: Db };

/** A PDF's first bytes. */
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

function overdue(row: { status: string; reviewDueAt: string }, now: number): boolean {
  return row.status === 'applied' && Date.parse(row.reviewDueAt) < now;
}

export const signatureView = (row: SmsSignatureRow | WithContract<SmsSignatureRow>, now: number): SmsSignatureView => ({ ...row, overdue: overdue(row, now) });
export const templateView = (row: SmsTemplateRow | WithContract<SmsTemplateRow>, now: number): SmsTemplateView => ({ ...row, overdue: overdue(row, now) });

async function reviewOf(deps: SmsTemplateDeps, contract: ContractRow, appliedAt: Date) {
  const calendar = await loadCalendarAt(deps.db, appliedAt.toISOString());
  return reviewDeadline(appliedAt, templateTermsOf(contract.terms.sms).reviewWorkingDays, calendar);
}

function refuseUnlessActive(contract: ContractRow): void {
  if (contract.status === 'frozen') throw new AppError('INVALID_STATE', `contract ${contract.number} is frozen after a content violation (Art.8 §5): no application can be made under it`);
  if (contract.status !== 'active' && contract.status !== 'awaiting_signatures') {
    throw new AppError('INVALID_STATE', `contract ${contract.number} is ${contract.status}: signatures and templates are applied for under a contract in force or being signed`);
  }
}

export type SignatureApplication = { text: string; documentBase64: string; documentTitle?: string | undefined };

export async function applyForSignature(
  deps: SmsTemplateDeps,
  input: { contract: ContractRow; request: SignatureApplication; actor: Actor; now?: Date },
): Promise<SmsSignatureView> {
  const { contract, request, actor } = input;
  const now = input.now ?? new Date();
  refuseUnlessActive(contract);
  if (request.text !== contract.terms.sms.signature) {
    throw new AppError('BUSINESS_RULE', `the signature applied for must be the contract's bound signature ${contract.terms.sms.signature} (Art.5 §1); another signature needs a supplemental agreement (Art.6 §2)`, {
      issues: [{ path: 'body.text', message: `must be the bound signature ${contract.terms.sms.signature}` }],
    });
  }
  const content = Buffer.from(request.documentBase64, 'base64');
  if (content.length < PDF_MAGIC.length || !content.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    throw new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path: 'body.documentBase64', message: 'must be a PDF (base64), e.g. the organisation certificate or the authorisation letter' }] });
  }
  const review = await reviewOf(deps, contract, now);
  const id = `SG-${randomUUID()}`;
  return deps.db.withTransaction(async (tx) => {
    const doc = await storeDocument(tx, {
      id: documentId(contract.id, 'sms_signature_proof', id),
      contractId: contract.id,
      kind: 'sms_signature_proof',
      title: request.documentTitle ?? `短信签名${request.text}证明材料`,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    });
    const row = await insertSignature(tx, { id, contractId: contract.id, contractNumber: contract.number, text: request.text, documentId: doc.id, appliedBy: actor.id, appliedAt: now.toISOString(), review });
    await appendAudit(tx, {
      type: 'sms_signature.applied',
      contractId: contract.id,
      actor,
      before: null,
      after: { id, status: 'applied' },
      data: { signatureId: id, text: request.text, documentId: doc.id, documentSha256: doc.sha256, reviewDueAt: review.dueAt },
    });
    return signatureView(row, now.getTime());
  });
}

export type TemplateApplication = { name: string; category: TemplateCategory; content: string; urlVariables?: string[] | undefined; remark?: string | undefined };

export async function applyForTemplate(
  deps: SmsTemplateDeps,
  input: { contract: ContractRow; request: TemplateApplication; actor: Actor; now?: Date },
): Promise<SmsTemplateView> {
  const { contract, request, actor } = input;
  const now = input.now ?? new Date();
  refuseUnlessActive(contract);
  const lint = lintTemplate({ content: request.content, category: request.category, signature: contract.terms.sms.signature, urlVariables: request.urlVariables ?? [] });
  if (!lint.ok) {
    const where = (issue: { start?: number | undefined; end?: number | undefined }) => (issue.start !== undefined ? ` [${issue.start}, ${issue.end})` : '');
    throw new AppError('BUSINESS_RULE', `the template breaks ${lint.issues.length} content rule${lint.issues.length === 1 ? '' : 's'}; it was not applied for`, {
      issues: lint.issues.map((issue) => ({ path: 'body.content', message: `${issue.code}${where(issue)}: ${issue.messageEn}` })),
      template: { issues: lint.issues.map(({ lint: _lint, ...issue }) => issue), variables: lint.variables },
    });
  }
  const review = await reviewOf(deps, contract, now);
  const id = `TP-${randomUUID()}`;
  return deps.db.withTransaction(async (tx) => {
    const row = await insertTemplate(tx, {
      id,
      contractId: contract.id,
      contractNumber: contract.number,
      name: request.name,
      category: request.category,
      content: request.content,
      variables: lint.variables,
      urlVariables: request.urlVariables ?? [],
      remark: request.remark ?? null,
      appliedBy: actor.id,
      appliedAt: now.toISOString(),
      review,
    });
    await appendAudit(tx, {
      type: 'sms_template.applied',
      contractId: contract.id,
      actor,
      before: null,
      after: { id, status: 'applied' },
      data: { templateId: id, name: request.name, category: request.category, content: request.content, variables: lint.variables, reviewDueAt: review.dueAt },
    });
    return templateView(row, now.getTime());
  });
}

export type ReviewRequest = { decision: ReviewDecision; reason?: string | undefined };

function decisionOf(request: ReviewRequest): { status: 'approved' | 'rejected'; reason: string | null } {
  if (request.decision === 'reject' && !request.reason) {
    throw new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path: 'body.reason', message: 'a rejection must give its reason' }] });
  }
  return { status: request.decision === 'approve' ? 'approved' : 'rejected', reason: request.reason ?? null };
}

function alreadyReviewed(kind: 'signature' | 'template', row: { id: string; status: string; reason: string | null; reviewedBy: string | null; reviewedAt: string | null }): AppError {
  return new AppError('ALREADY_REVIEWED', `${kind} ${row.id} was already ${row.status} (${row.reviewedAt}); an application is reviewed once, a new one can be made`, {
    review: { id: row.id, status: row.status, reason: row.reason, reviewedBy: row.reviewedBy, reviewedAt: row.reviewedAt },
  });
}

export async function reviewSignature(deps: SmsTemplateDeps, input: { id: string; request: ReviewRequest; actor: Actor; now?: Date }): Promise<SmsSignatureView> {
  const decision = decisionOf(input.request);
  const now = input.now ?? new Date();
  return deps.db.withTransaction(async (tx) => {
    const before = await findSignature(tx, input.id, true);
    if (!before) throw new AppError('NOT_FOUND', 'signature application not found');
    const row = await decideSignature(tx, { id: input.id, ...decision, reviewedBy: input.actor.id, reviewedAt: now.toISOString() });
    if (!row) throw alreadyReviewed('signature', before);
    await appendAudit(tx, {
      type: 'sms_signature.reviewed',
      contractId: row.contractId,
      actor: input.actor,
      before: { id: row.id, status: 'applied' },
      after: { id: row.id, status: row.status },
      data: { signatureId: row.id, text: row.text, decision: input.request.decision, reason: row.reason, reviewDueAt: row.reviewDueAt, onTime: Date.parse(row.reviewDueAt) >= now.getTime() },
    });
    return signatureView(row, now.getTime());
  });
}

export async function reviewTemplate(deps: SmsTemplateDeps, input: { id: string; request: ReviewRequest; actor: Actor; now?: Date }): Promise<SmsTemplateView> {
  const decision = decisionOf(input.request);
  const now = input.now ?? new Date();
  return deps.db.withTransaction(async (tx) => {
    const before = await findTemplate(tx, input.id, true);
    if (!before) throw new AppError('NOT_FOUND', 'template application not found');
    const row = await decideTemplate(tx, { id: input.id, ...decision, reviewedBy: input.actor.id, reviewedAt: now.toISOString() });
    if (!row) throw alreadyReviewed('template', before);
    await appendAudit(tx, {
      type: 'sms_template.reviewed',
      contractId: row.contractId,
      actor: input.actor,
      before: { id: row.id, status: 'applied' },
      after: { id: row.id, status: row.status },
      data: { templateId: row.id, name: row.name, category: row.category, decision: input.request.decision, reason: row.reason, reviewDueAt: row.reviewDueAt, onTime: Date.parse(row.reviewDueAt) >= now.getTime() },
    });
    return templateView(row, now.getTime());
  });
}
