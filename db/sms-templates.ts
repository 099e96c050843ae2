/**
 * SMS signature and template applications and their review (migration 025).
 * Each write is one statement of the caller's transaction, which also writes
 * the audit event; an application's review is an open row of `deadlines`
 * (kind 'sms_review') until it is decided, and a work item for operations
 * (kind 'sms_review', domain/work-items.ts) raised by a staff notification
 * recorded with it, closed by the decision.
 */
import { deadlineRowId } from '../domain/contract';
import type { ReviewStatus, TemplateCategory } from '../domain/sms/templates';
import { recordNotification } from './notifications';
import type { Queryable } from './pool';
import { rowReader } from './rows';
import { settleWorkItems } from './work-items';

/** What an application carries however it is reviewed: its status, the decision and the review deadline. */
type ReviewFields = {
  id: string;
  contractId: string;
  status: ReviewStatus;
  reason: string | null;
  appliedBy: string;
  appliedAt: string;
  reviewDueAt: string;
  reviewExplanation: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
};

export type SmsSignatureRow = ReviewFields & { text: string; documentId: string };


export type SmsTemplateRow = ReviewFields & {
  name: string;
  category: TemplateCategory;
  content: string;
  variables: string[];
  urlVariables: string[];
  remark: string | null;
};

/** A row as the review list shows it: with its contract's number and Party A. */
export type WithContract<T> = T & { contractNumber: string; partyAName: string };

const SIGNATURE = rowReader<SmsSignatureRow>({
  id: true, contractId: true, text: true, documentId: true, status: true, reason: true, appliedBy: true, appliedAt: true,
  reviewDueAt: true, reviewExplanation: true, reviewedBy: true, reviewedAt: true,
});
const TEMPLATE = rowReader<SmsTemplateRow>({
  id: true, contractId: true, name: true, category: true, content: true, variables: true, urlVariables: true, remark: true, status: true,
  reason: true, appliedBy: true, appliedAt: true, reviewDueAt: true, reviewExplanation: true, reviewedBy: true, reviewedAt: true,
});

const prefixed = (columns: string, alias: string) => columns.split(', ').map((c) => `${alias}.${c}`).join(', ');

export type SmsReviewKind = 'signature' | 'template';
/** The workflow id a review deadline row is filed under: there is no workflow, the id only keys the row. */
export const smsReviewWorkflowId = (id: string) => `sms-review-${id}`;
export const smsReviewDeadlineId = (id: string) => deadlineRowId(smsReviewWorkflowId(id), { kind: 'sms_review', ref: id });
/** The staff notification that asks operations for the review (and keys its work item): one per application. */
export const smsReviewNotificationId = (id: string) => `${smsReviewWorkflowId(id)}:applied:operations`;

/** What an application is, for people: its kind and its signature text or template name, under its contract. */
type Application = { id: string; kind: SmsReviewKind; contractId: string; contractNumber: string; label: string };

/**
 * The review's deadline and, in the same transaction, operations' work item:
 * a staff notification of reason 'sms_review_applied' (db/notifications.ts
 * raises the item, due at the deadline, keyed by the application: recorded
 * once however often this runs).
 */
async function openReview(tx: Queryable, input: Application & Review): Promise<void> {
  const what = input.kind === 'signature' ? '短信签名' : '短信模板';
  const whatEn = input.kind === 'signature' ? 'SMS signature' : 'SMS template';
  // no calendar years: no workflow holds this deadline, so a calendar recount has nothing to signal
  await tx.query(
    `INSERT INTO deadlines (id, contract_id, kind, due_at, explanation, explanation_en, status, workflow_id, provisional)
     VALUES ($1, $2, 'sms_review', $3, $4, $5, 'open', $6, $7) ON CONFLICT (id) DO NOTHING`,
    [smsReviewDeadlineId(input.id), input.contractId, input.dueAt, `${what}${input.id}：${input.explanation}`, `${whatEn} ${input.id}: ${input.explanationEn}`, smsReviewWorkflowId(input.id), input.provisional],
  );
  const named = input.kind === 'signature' ? `${what}${input.label}` : `${what}「${input.label}」`;
  await recordNotification(tx, {
    id: smsReviewNotificationId(input.id),
    contractId: input.contractId,
    audience: 'operations',
    recipient: 'operations',
    phone: null,
    reason: 'sms_review_applied',
    subject: `合同 ${input.contractNumber} ${named}待审核`,
    body: `合同 ${input.contractNumber} 申请的${named}（${input.id}）待审核，审核期限：${input.explanation}`,
  });
}

/** The review decided: its deadline met, and operations' work item closed as resolved, at the decision's time. */
async function closeReview(tx: Queryable, id: string, at: string): Promise<void> {
  await tx.query(`UPDATE deadlines SET status = 'met', updated_at = now() WHERE id = $1 AND status = 'open'`, [smsReviewDeadlineId(id)]);
  await settleWorkItems(tx, { key: smsReviewNotificationId(id) }, at);
}

type Review = { dueAt: string; explanation: string; explanationEn: string; provisional: boolean };

export async function insertSignature(
  tx: Queryable,
  s: { id: string; contractId: string; contractNumber: string; text: string; documentId: string; appliedBy: string; appliedAt: string; review: Review },
): Promise<SmsSignatureRow> {
  const { rows } = await tx.query(
    `INSERT INTO sms_signatures (id, contract_id, text, document_id, applied_by, applied_at, review_due_at, review_explanation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SIGNATURE.columns}`,
    [s.id, s.contractId, s.text, s.documentId, s.appliedBy, s.appliedAt, s.review.dueAt, s.review.explanation],
  );
  await openReview(tx, { id: s.id, kind: 'signature', contractId: s.contractId, contractNumber: s.contractNumber, label: s.text, ...s.review });
  return SIGNATURE.read(rows[0]!);
}

export async function insertTemplate(
  tx: Queryable,
  t: {
    id: string;
    contractId: string;
    contractNumber: string;
    name: string;
    category: TemplateCategory;
    content: string;
    variables: string[];
    urlVariables: string[];
    remark: string | null;
    appliedBy: string;
    appliedAt: string;
    review: Review;
  },
): Promise<SmsTemplateRow> {
  const { rows } = await tx.query(
    `INSERT INTO sms_templates (id, contract_id, name, category, content, variables, url_variables, remark, applied_by, applied_at, review_due_at, review_explanation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${TEMPLATE.columns}`,
    [t.id, t.contractId, t.name, t.category, t.content, t.variables, t.urlVariables, t.remark, t.appliedBy, t.appliedAt, t.review.dueAt, t.review.explanation],
  );
  await openReview(tx, { id: t.id, kind: 'template', contractId: t.contractId, contractNumber: t.contractNumber, label: t.name, ...t.review });
  return TEMPLATE.read(rows[0]!);
}

export async function findSignature(db: Queryable, id: string, forUpdate = false): Promise<SmsSignatureRow | null> {
  const { rows } = await db.query(`SELECT ${SIGNATURE.columns} FROM sms_signatures WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? SIGNATURE.read(rows[0]) : null;
}

export async function findTemplate(db: Queryable, id: string, forUpdate = false): Promise<SmsTemplateRow | null> {
  const { rows } = await db.query(`SELECT ${TEMPLATE.columns} FROM sms_templates WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? TEMPLATE.read(rows[0]) : null;
}

export async function listSignatures(db: Queryable, contractId: string): Promise<SmsSignatureRow[]> {
  const { rows } = await db.query(`SELECT ${SIGNATURE.columns} FROM sms_signatures WHERE contract_id = $1 ORDER BY applied_at DESC, id LIMIT 500`, [contractId]);
  return rows.map(SIGNATURE.read);
}

export async function listTemplates(db: Queryable, contractId: string, status?: ReviewStatus): Promise<SmsTemplateRow[]> {
  const { rows } = await db.query(
    `SELECT ${TEMPLATE.columns} FROM sms_templates WHERE contract_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY applied_at DESC, id LIMIT 500`,
    [contractId, status ?? null],
  );
  return rows.map(TEMPLATE.read);
}

/** Applications across contracts, for operations: by status (pending first due first), with their contract. */
export async function listReviewQueue(
  db: Queryable,
  status: ReviewStatus | 'all',
): Promise<{ signatures: WithContract<SmsSignatureRow>[]; templates: WithContract<SmsTemplateRow>[] }> {
  const order = status === 'applied' ? 'x.review_due_at, x.id' : 'x.applied_at DESC, x.id';
  const where = status === 'all' ? 'TRUE' : 'x.status = $1';
  const values = status === 'all' ? [] : [status];
  const signatures = await db.query(
    `SELECT ${prefixed(SIGNATURE.columns, 'x')}, c.number AS contract_number, c.party_a_name
       FROM sms_signatures x JOIN contracts c ON c.id = x.contract_id WHERE ${where} ORDER BY ${order} LIMIT 500`,
    values,
  );
  const templates = await db.query(
    `SELECT ${prefixed(TEMPLATE.columns, 'x')}, c.number AS contract_number, c.party_a_name
       FROM sms_templates x JOIN contracts c ON c.id = x.contract_id WHERE ${where} ORDER BY ${order} LIMIT 500`,
    values,
  );
  const withContract = <T>(read: (row: Record<string, unknown>) => T) => (row: Record<string, unknown>): WithContract<T> => ({
    ...read(row),
    contractNumber: row.contract_number as string,
    partyAName: row.party_a_name as string,
  });
  return { signatures: signatures.rows.map(withContract(SIGNATURE.read)), templates: templates.rows.map(withContract(TEMPLATE.read)) };
}

type Decision = { id: string; status: 'approved' | 'rejected'; reason: string | null; reviewedBy: string; reviewedAt: string };

/** Decides an application still waiting (guarded by status); null when it was already decided. */
export async function decideSignature(tx: Queryable, d: Decision): Promise<SmsSignatureRow | null> {
  const { rows } = await tx.query(
    `UPDATE sms_signatures SET status = $2, reason = $3, reviewed_by = $4, reviewed_at = $5 WHERE id = $1 AND status = 'applied' RETURNING ${SIGNATURE.columns}`,
    [d.id, d.status, d.reason, d.reviewedBy, d.reviewedAt],
  );
  if (!rows[0]) return null;
  await closeReview(tx, d.id, d.reviewedAt);
  return SIGNATURE.read(rows[0]);
}

export async function decideTemplate(tx: Queryable, d: Decision): Promise<SmsTemplateRow | null> {
  const { rows } = await tx.query(
    `UPDATE sms_templates SET status = $2, reason = $3, reviewed_by = $4, reviewed_at = $5 WHERE id = $1 AND status = 'applied' RETURNING ${TEMPLATE.columns}`,
    [d.id, d.status, d.reason, d.reviewedBy, d.reviewedAt],
  );
  if (!rows[0]) return null;
  await closeReview(tx, d.id, d.reviewedAt);
  return TEMPLATE.read(rows[0]);
}
