/**
 * Submitting messages under a contract: content rules, recipients,
 * suppressions, frequency caps and quota decided in one transaction with the
 * message rows, the quota debit, the audit event and the owed start of the
 * dispatch workflow (transactional outbox, like contract creation); the
 * workflow is started right after and decides the timing (the sending
 * window runs on Temporal's clock).
 *
 * Idempotent on (contract, idempotencyKey): the same key and body answer the
 * same results again without a second debit; the same key with another body
 * is refused.
 *
 * Refused outright (Party B's own notices aside): a frozen contract, one not
 * in force, any contract of an organisation frozen for a content violation
 * (409 ORGANISATION_FROZEN naming the case, services/organisations.ts) and a
 * suspended one. The suppression list is the organisation's: by Party A's
 * credit code where the contract has one, else by its exact name
 * (db/sms.ts findSuppressed).
 */
import { createHash } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { AppError } from '../domain/errors';
import { refusal } from '../domain/error-reasons';
import { stableStringify } from '../domain/stable-json';
import { appendAudit } from '../db/audit';
import type { ContractRow } from '../db/contracts';
import { grantedQuota } from '../db/invoices';
import { findOpenSuspension } from '../db/legal';
import {
  debitQuota,
  ensureSender,
  findSubmissionByKey,
  findSuppressed,
  holdMessages,
  insertMessages,
  insertSubmission,
  listSubmissionMessages,
  lockCustomer,
  lockQuotaUsage,
  quotaUsed,
  recentHistory,
  type MessageRow,
  type NewMessage,
  type SubmissionRow,
  type UnlistedInput,
} from '../db/sms';
import { contractYearOf } from '../domain/billing';
import type { Actor } from '../domain/contract';
import { applyFrequencyCap, fitQuota, REJECTION_MESSAGES, screenRecipients, type QuotaFit, type RecipientInput, type RecipientOutcome } from '../domain/sms/dispatch';
import { lintMessage, type LintIssue } from '../domain/sms/lint';
import { fillTemplate, freeTextAllowed, templateTermsOf } from '../domain/sms/templates';
import { findTemplate } from '../db/sms-templates';
import { SYSTEM_SMS_CUSTOMER, SYSTEM_SMS_SIGNATURE, systemNoticeKey, systemNoticeText } from '../domain/sms/system';
import { noticeSmsText, type NoticeSms } from '../domain/sms/notices';
import { nextSendingInstant, type SmsCategory } from '../domain/sms/windows';
import type { SmsSettings } from '../platform/sms-config';
import { smsDispatch } from '../workflows/sms-dispatch';
import { oweStart, startOwed, type WorkflowStartDeps } from './workflow-starts';
import { assertOrganisationOpen, organisationOfContract } from './organisations';
import type { RecipientResult, SubmissionResponse } from './sms.types';
import { getSmsDispatchQuery, type SmsDispatchView } from '../workflows/messages/sms-dispatch';
import type { SmsDispatchInput } from '../workflows/sms-dispatch';

export type SubmitMessagesRequest = {
  /** with a template: its category when absent (an alert may be sent from a notification template) */
  category?: SmsCategory | undefined;
  /** free text, with the bound signature; or, instead, `templateId` and `variables` */
  content?: string | undefined;
  /** an approved template of the contract (the appendix; domain/sms/templates.ts) */
  templateId?: string | undefined;
  /** the template's variables by name */
  variables?: Record<string, string> | undefined;
  recipients: RecipientInput[];
  idempotencyKey: string;
  appendUnsubscribe?: boolean | undefined;
  allowPartial?: boolean | undefined;
  /**
   * Party B's own message (a lifecycle notice, see `sendSystemNotice`): signed
   * 【中国联通】 and linted against that signature (symbols and keywords still
   * apply), sent from the bare service code, recorded under Party B's
   * suppression list, not capped, not debited from the quota, and sent whatever
   * the contract's status (a frozen or ended contract still gets its notices).
   */
  system?: boolean | undefined;
};

export type SmsServiceDeps = WorkflowStartDeps & { settings: SmsSettings; queryTimeoutMs: number };

export const dispatchWorkflowId = (contractId: string, idempotencyKey: string) =>
  `sms-${contractId}-${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 20)}`;

export const contentHashOf = (content: string) => createHash('sha256').update(content, 'utf8').digest('hex');

/** "位置 12–14" positions for people; the structured issue carries start/end too. */
function describeIssue(issue: LintIssue): string {
  const where = issue.start !== undefined ? ` [${issue.start}, ${issue.end})` : '';
  return `${issue.code}${where}: ${issue.messageEn}`;
}

/** The contract year's quota, in parts: package plus paid top-ups. */
async function quotaOf(deps: SmsServiceDeps, contract: ContractRow, contractYear: number): Promise<number> {
  const grants = await grantedQuota(deps.db, contract.id);
  return contract.terms.package.smsPerYear + (grants.get(contractYear) ?? 0);
}

/**
 * Art.4 §9: while the contract's service is suspended (an open suspension
 * case) every submission is refused with the reason and the end of the
 * rectification period; Party B's own notices still go out.
 */
async function refuseIfSuspended(deps: SmsServiceDeps, contract: ContractRow): Promise<void> {
  const open = await findOpenSuspension(deps.db, contract.id);
  if (!open) return;
  const reason = (open.data.reason as string | undefined) ?? open.description;
  const source = (open.data.source as string | undefined) ?? null;
  // a lapsed period stays the end to show: the service stays suspended until legal extends it or the contract ends
  const lapsed = open.data.lapsed as { dueAt?: string } | undefined;
  const until = open.due?.dueAt ?? lapsed?.dueAt ?? null;
  throw refusal(
    'contract.suspended',
    { number: contract.number, caseId: open.id, reason, until, lapsed: open.status === 'lapsed' },
    `contract ${contract.number} is suspended pending rectification (Art.4 §9, case ${open.id}): ${reason}; ` +
      (open.status === 'lapsed' ? `the rectification period ended ${until} and legal decides on termination or extension` : `the rectification period ends ${until}`),
    { suspension: { caseId: open.id, status: open.status, reason, source, suspendedAt: open.openedAt, rectificationDueAt: until, explanation: open.due?.explanation ?? null } },
  );
}

export async function submitMessages(
  deps: SmsServiceDeps,
  input: { contract: ContractRow; request: SubmitMessagesRequest; actor: Actor },
): Promise<{ response: SubmissionResponse; created: boolean }> {
  const { contract, request, actor } = input;
  const requestHash = createHash('sha256').update(stableStringify(request)).digest('hex');
  const submissionId = dispatchWorkflowId(contract.id, request.idempotencyKey);
  const system = request.system === true;

  const earlier = await findSubmissionByKey(deps.db, contract.id, request.idempotencyKey);
  if (earlier) return { response: await replay(deps, contract, earlier, requestHash), created: false };

  if (!system && contract.status === 'frozen') {
    throw new AppError('INVALID_STATE', `contract ${contract.number} is frozen after a content violation (Art.8 §5): no message can be sent under it`);
  }
  if (!system && (contract.status !== 'active' || !contract.effectiveAt)) {
    throw new AppError('INVALID_STATE', `contract ${contract.number} is ${contract.status}: messages are sent under an active contract only`);
  }
  // Art.8 §5, appendix: a freeze binds Party A's organisation, so every contract of it (by credit code, or exact name without one)
  if (!system) await assertOrganisationOpen(deps.db, organisationOfContract(contract), 'no message can be sent under any of its contracts');
  if (!system) await refuseIfSuspended(deps, contract);

  const { content, category, templateId } = system ? freeText(request) : await messageText(deps, contract, request);
  const lint = lintMessage({
    content,
    category,
    signature: system ? SYSTEM_SMS_SIGNATURE : contract.terms.sms.signature,
    appendUnsubscribe: request.appendUnsubscribe ?? false,
  });
  if (!lint.ok) {
    throw new AppError('BUSINESS_RULE', `the message breaks ${lint.issues.length} content rule${lint.issues.length === 1 ? '' : 's'}; nothing was sent`, {
      issues: lint.issues.map((issue) => ({ path: 'body.content', message: describeIssue(issue) })),
      lint: { issues: lint.issues, keywordListVersion: lint.keywordListVersion, segments: lint.segments },
    });
  }
  const partsPerMessage = lint.segments.parts;
  const contentHash = contentHashOf(lint.content);
  const customer = system ? SYSTEM_SMS_CUSTOMER : contract.partyAName;
  // whose suppression list (Art.4 §6): Party A's organisation, by its credit code where the contract has one; Party B's own by its name
  const listOwner = system ? { creditCode: null, name: SYSTEM_SMS_CUSTOMER } : organisationOfContract(contract);
  const screened = screenRecipients(request.recipients, category);
  const contractYear = contract.effectiveAt ? contractYearOf(contract.effectiveAt, Date.now()).index : 1;
  const totalParts = system ? 0 : await quotaOf(deps, contract, contractYear);

  const outcome = await deps.db.withTransaction(async (tx) => {
    await lockCustomer(tx, customer);
    // a concurrent request with the same key may have won while we waited for the lock
    const raced = await findSubmissionByKey(tx, contract.id, request.idempotencyKey);
    if (raced) return { raced } as const;

    // Party B's own messages come from the bare access number (no customer's extension)
    const sourceAddr = system ? deps.settings.serviceCode : await ensureSender(tx, { contractId: contract.id, customer, serviceCode: deps.settings.serviceCode });
    const candidates = screened.flatMap((s) => (s.outcome === 'candidate' ? [s] : []));
    const suppressed = await findSuppressed(tx, listOwner, candidates.map((c) => c.e164));
    const history = await recentHistory(tx, {
      customer,
      recipients: candidates.filter((c) => !suppressed.has(c.e164)).map((c) => c.e164),
      contentHash,
      category,
      sameContentMs: deps.settings.caps.sameContentMs,
      alertDedupMs: deps.settings.caps.alertDedupMs,
    });

    const messages: NewMessage[] = [];
    const unlisted: UnlistedInput[] = [];
    const wanting: NewMessage[] = [];
    for (const s of screened) {
      switch (s.outcome) {
        case 'invalid':
          unlisted.push({ index: s.index, input: s.input, outcome: 'rejected', reason: s.reason, message: s.message, messageEn: s.messageEn });
          break;
        case 'duplicate':
          unlisted.push({ index: s.index, input: s.input, outcome: 'duplicate', recipient: s.e164, duplicateOf: s.duplicateOf });
          break;
        case 'not_member':
          messages.push({ seq: s.index, recipient: s.e164, member: s.member, decision: 'rejected', reason: 'not_member', debitedParts: 0 });
          break;
        case 'candidate': {
          if (suppressed.has(s.e164)) {
            messages.push({ seq: s.index, recipient: s.e164, member: s.member, decision: 'suppressed', reason: 'opted_out', debitedParts: 0 });
            break;
          }
          // contractual notices are not capped: each one is owed
          const cap = system ? ({ outcome: 'ok' } as const) : applyFrequencyCap(category, history.get(s.e164), deps.settings.caps);
          if (cap.outcome === 'duplicate') {
            unlisted.push({ index: s.index, input: s.input, outcome: 'duplicate', recipient: s.e164, duplicateOf: null });
          } else if (cap.outcome === 'rejected') {
            messages.push({ seq: s.index, recipient: s.e164, member: s.member, decision: 'rejected', reason: cap.reason, debitedParts: 0 });
          } else {
            const message: NewMessage = { seq: s.index, recipient: s.e164, member: s.member, decision: 'accepted', reason: null, debitedParts: system ? 0 : partsPerMessage };
            wanting.push(message);
            messages.push(message);
          }
          break;
        }
      }
    }

    const usedParts = system ? 0 : await lockQuotaUsage(tx, contract.id, contractYear);
    const fit: QuotaFit = system ? { outcome: 'fits', accepted: wanting.length, parts: 0 } : fitQuota({ messages: wanting.length, partsPerMessage, remainingParts: totalParts - usedParts, allowPartial: request.allowPartial ?? false });
    if (fit.outcome === 'refused') {
      throw new AppError(
        'CONFLICT',
        `quota exceeded: the batch needs ${fit.requestedParts} parts (${wanting.length} messages × ${partsPerMessage}) but contract year ${contractYear} has ${fit.remainingParts} of ${totalParts} left; nothing was sent (buy a top-up, send fewer, or set allowPartial)`,
        { quota: { contractYear, totalParts, usedParts, remainingParts: fit.remainingParts, requestedParts: fit.requestedParts, messages: wanting.length, partsPerMessage } },
      );
    }
    for (const message of wanting.slice(fit.accepted)) Object.assign(message, { decision: 'rejected', reason: 'quota_exceeded', debitedParts: 0 });
    const accepted = fit.accepted;

    const submission: Omit<SubmissionRow, 'createdAt'> = {
      id: submissionId,
      contractId: contract.id,
      customer,
      idempotencyKey: request.idempotencyKey,
      requestHash,
      category,
      content: lint.content,
      appendedUnsubscribe: lint.appendedUnsubscribe,
      encoding: lint.segments.encoding,
      partsPerMessage,
      sourceAddr,
      keywordListVersion: String(lint.keywordListVersion),
      contractYear,
      unlisted,
      requestedBy: actor.id,
      system,
      templateId,
    };
    await insertSubmission(tx, submission);
    await insertMessages(tx, { submissionId, contractId: contract.id, customer, category, contentHash, parts: partsPerMessage, contractYear, messages, system });
    await debitQuota(tx, contract.id, contractYear, fit.parts);
    const workflowInput: SmsDispatchInput = {
      submissionId,
      contractId: contract.id,
      category,
      // Party B's own notices keep to the 08:00–22:00 window whatever permit the customer holds
      sms: system ? { ...contract.terms.sms, permit24h: false } : contract.terms.sms,
      messages: accepted,
      validityMs: deps.settings.validityMs,
    };
    const owed = accepted > 0 ? await oweStart(tx, smsDispatch, { workflowId: submissionId, args: [workflowInput] }) : null;
    await appendAudit(tx, {
      type: 'sms.submitted',
      contractId: contract.id,
      actor,
      after: { submissionId, accepted, debitedParts: fit.parts },
      data: {
        ...(system ? { system: true } : {}),
        ...(templateId ? { templateId } : {}),
        category,
        recipients: request.recipients.length,
        partsPerMessage,
        rejected: messages.filter((m) => m.decision === 'rejected').length + unlisted.filter((u) => u.outcome === 'rejected').length,
        suppressed: messages.filter((m) => m.decision === 'suppressed').length,
        duplicates: unlisted.filter((u) => u.outcome === 'duplicate').length,
      },
    });
    return { submission, owed, accepted } as const;
  });

  if ('raced' in outcome) return { response: await replay(deps, contract, outcome.raced!, requestHash), created: false };

  let view: SmsDispatchView | null = null;
  if (outcome.owed) {
    const started = (await startOwed(deps, outcome.owed)) !== 'owed';
    if (started) view = await queryDispatch(deps, deps.temporal.workflow.getHandle(submissionId));
    // the workflow decides on Temporal's clock; until it answers (or if it cannot be started now) the API's clock stands in
    const plan = view ?? localPlan(contract, category);
    if (plan.held) await holdMessages(deps.db, submissionId, plan.sendAt);
    const messages = await listSubmissionMessages(deps.db, submissionId);
    return {
      response: await buildResponse(deps, contract, { ...outcome.submission, createdAt: new Date().toISOString() }, messages, plan, false),
      created: true,
    };
  }
  const messages = await listSubmissionMessages(deps.db, submissionId);
  return { response: await buildResponse(deps, contract, { ...outcome.submission, createdAt: new Date().toISOString() }, messages, null, false), created: true };
}

function freeText(request: SubmitMessagesRequest): { content: string; category: SmsCategory; templateId: null } {
  if (request.content === undefined || request.category === undefined) throw new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path: 'body.content', message: 'a message needs its category and content, or a templateId' }] });
  return { content: request.content, category: request.category, templateId: null };
}

/**
 * The text to send: free text where the terms allow it for the category
 * (`sms.freeText`), else the approved template filled with its variables
 * (each value checked, the whole text linted again).
 */
async function messageText(deps: SmsServiceDeps, contract: ContractRow, request: SubmitMessagesRequest): Promise<{ content: string; category: SmsCategory; templateId: string | null }> {
  if (request.templateId === undefined) {
    const message = freeText(request);
    if (!freeTextAllowed(templateTermsOf(contract.terms.sms), message.category)) {
      throw new AppError('SMS_FREE_TEXT_NOT_ALLOWED', `contract ${contract.number} sends ${message.category} messages only from an approved template (terms sms.freeText); send with templateId and variables`, {
        freeText: templateTermsOf(contract.terms.sms).freeText,
      });
    }
    return message;
  }
  const template = await findTemplate(deps.db, request.templateId);
  if (!template || template.contractId !== contract.id) throw new AppError('NOT_FOUND', `template ${request.templateId} not found under contract ${contract.number}`);
  if (template.status !== 'approved') {
    throw new AppError('SMS_TEMPLATE_NOT_APPROVED', `template ${template.id} is ${template.status === 'applied' ? 'waiting for review' : 'rejected'}: only an approved template can be sent`, {
      template: { id: template.id, name: template.name, status: template.status, reason: template.reason, reviewDueAt: template.reviewDueAt },
    });
  }
  const category = request.category ?? template.category;
  if (category !== template.category && !(category === 'alert' && template.category === 'notification')) {
    throw new AppError('BUSINESS_RULE', `template ${template.id} is a ${template.category} template; it cannot send a ${category} message`, { issues: [{ path: 'body.category', message: `must be ${template.category} (the template's)` }] });
  }
  const filled = fillTemplate({ content: template.content, category: template.category, signature: contract.terms.sms.signature, urlVariables: template.urlVariables, values: request.variables ?? {} });
  if (!filled.ok) {
    throw new AppError('BUSINESS_RULE', `the template's variables break ${filled.issues.length} rule${filled.issues.length === 1 ? '' : 's'}; nothing was sent`, {
      issues: filled.issues.map((issue) => ({ path: issue.variable ? `body.variables.${issue.variable}` : 'body.variables', message: `${issue.code}: ${issue.messageEn}` })),
      template: { id: template.id, issues: filled.issues.map(({ lint: _lint, ...issue }) => issue) },
    });
  }
  return { content: filled.text, category, templateId: template.id };
}

type Plan = { held: boolean; sendAt: string; reason: string | null; reasonZh: string | null };

function localPlan(contract: ContractRow, category: SmsCategory): Plan {
  const decision = nextSendingInstant({ now: new Date(), category, sms: contract.terms.sms });
  return { held: decision.held, sendAt: decision.sendAt.toISOString(), reason: decision.reason, reasonZh: decision.reasonZh };
}

async function queryDispatch(deps: SmsServiceDeps, handle: WorkflowHandle): Promise<(SmsDispatchView & Plan) | null> {
  try {
    const view = await deps.temporal.connection.withDeadline(Date.now() + deps.queryTimeoutMs, () => handle.query(getSmsDispatchQuery));
    return { ...view, sendAt: view.sendAt };
  } catch (error) {
    deps.logger.warn({ workflowId: handle.workflowId, err: (error as Error).message }, 'sms dispatch did not answer; the API clock decides the window for the response');
    return null;
  }
}

async function replay(deps: SmsServiceDeps, contract: ContractRow, submission: SubmissionRow, requestHash: string): Promise<SubmissionResponse> {
  if (submission.requestHash !== requestHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', `idempotencyKey ${JSON.stringify(submission.idempotencyKey)} was already used on this contract with a different request`);
  }
  const messages = await listSubmissionMessages(deps.db, submission.id);
  const held = messages.find((m) => m.decision === 'held');
  const accepted = messages.some((m) => m.decision === 'accepted');
  const plan: Plan | null = held ? { held: true, sendAt: held.sendAt!, reason: null, reasonZh: null } : accepted ? { held: false, sendAt: submission.createdAt, reason: null, reasonZh: null } : null;
  return buildResponse(deps, contract, submission, messages, plan, true);
}

async function buildResponse(
  deps: SmsServiceDeps,
  contract: ContractRow,
  submission: SubmissionRow,
  messages: MessageRow[],
  plan: Plan | null,
  replayed: boolean,
): Promise<SubmissionResponse> {
  const results: RecipientResult[] = [];
  for (const m of messages) {
    const base = { index: m.seq, recipient: m.recipient, messageId: m.id };
    if (m.decision === 'accepted') results.push({ ...base, status: 'accepted' });
    else if (m.decision === 'held') results.push({ ...base, status: 'held', sendAt: m.sendAt ?? plan?.sendAt ?? '' });
    else if (m.decision === 'suppressed') {
      results.push({ ...base, status: 'suppressed', reason: 'opted_out', message: '该号码已退订或投诉，不再向其发送（第四条第6款）', messageEn: 'this number opted out or complained and is never sent to again (Art.4 §6)' });
    } else {
      const [message, messageEn] = REJECTION_MESSAGES[m.reason as keyof typeof REJECTION_MESSAGES] ?? ['已拒绝', 'rejected'];
      results.push({ ...base, status: 'rejected', reason: m.reason ?? 'rejected', message, messageEn });
    }
  }
  for (const u of submission.unlisted) {
    if (u.outcome === 'rejected') results.push({ index: u.index, input: u.input, status: 'rejected', reason: u.reason, message: u.message, messageEn: u.messageEn });
    else
      results.push({
        index: u.index,
        recipient: u.recipient,
        status: 'duplicate',
        duplicateOf: u.duplicateOf,
        reason: u.duplicateOf === null ? 'same_alert_recently' : 'repeated_in_request',
        ...(u.duplicateOf === null ? { message: '相同预警短信刚刚已发送给该号码', messageEn: 'the same alert went to this number moments ago' } : {}),
      });
  }
  results.sort((a, b) => a.index - b.index);
  const counts = { accepted: 0, held: 0, rejected: 0, suppressed: 0, duplicate: 0, total: results.length };
  for (const r of results) counts[r.status] += 1;
  const totalParts = await quotaOf(deps, contract, submission.contractYear);
  const usedParts = await quotaUsed(deps.db, contract.id, submission.contractYear);
  deps.logger.info(
    { submissionId: submission.id, contractId: contract.id, replayed, ...counts },
    'sms submission answered',
  );
  return {
    submissionId: submission.id,
    workflowId: submission.id,
    replayed,
    contractId: contract.id,
    category: submission.category,
    content: submission.content,
    appendedUnsubscribe: submission.appendedUnsubscribe,
    encoding: submission.encoding,
    partsPerMessage: submission.partsPerMessage,
    senderAddress: submission.sourceAddr,
    keywordListVersion: submission.keywordListVersion,
    window: plan ? { held: plan.held, sendAt: plan.held ? plan.sendAt : null, reason: plan.reason, reasonZh: plan.reasonZh } : { held: false, sendAt: null, reason: null, reasonZh: null },
    counts,
    debitedParts: messages.reduce((sum, m) => sum + m.debitedParts, 0),
    quota: { contractYear: submission.contractYear, totalParts, usedParts, remainingParts: Math.max(0, totalParts - usedParts) },
    results,
  };
}

export type SystemNoticeInput = {
  contract: ContractRow;
  /** the recorded notification's id (`<workflow>:<step>:<audience>`): the dispatch key is derived from it */
  notificationId: string;
  phone: string;
  subject: string;
  body: string;
  /** the notice written for an SMS reader (domain/sms/notices.ts); without it, the subject and body cut to size */
  sms?: NoticeSms;
};

export type SystemNoticeOutcome = {
  submissionId: string;
  /** accepted / held / rejected / suppressed for the one recipient, or `lint_rejected` (nothing was submitted) */
  status: RecipientOutcome | 'lint_rejected';
  reason?: string;
  replayed: boolean;
};

const NOTICE_ACTOR: Actor = { id: 'system:notify', role: 'system' };

/**
 * A lifecycle notice as Party B's own SMS, through `submitMessages` with
 * `system: true`: exactly once per notification id (the idempotency key and
 * so the dispatch workflow id are derived from it; a retried call replays the
 * submission). Content that breaks a rule (a forbidden symbol or keyword in a
 * notice's text) is not sent and not retried: the notification itself stays
 * recorded.
 */
export async function sendSystemNotice(deps: SmsServiceDeps, notice: SystemNoticeInput): Promise<SystemNoticeOutcome> {
  const idempotencyKey = systemNoticeKey(notice.notificationId);
  const request: SubmitMessagesRequest = {
    category: 'notification',
    content: notice.sms ? noticeSmsText(notice.sms) : systemNoticeText(notice.subject, notice.body),
    recipients: [notice.phone],
    idempotencyKey,
    system: true,
  };
  try {
    const { response } = await submitMessages(deps, { contract: notice.contract, request, actor: NOTICE_ACTOR });
    const result = response.results[0];
    return {
      submissionId: response.submissionId,
      status: result?.status ?? 'rejected',
      ...(result?.reason ? { reason: result.reason } : {}),
      replayed: response.replayed,
    };
  } catch (error) {
    if (error instanceof AppError && error.code === 'BUSINESS_RULE') {
      const codes = ((error.details as { lint?: { issues?: LintIssue[] } } | undefined)?.lint?.issues ?? []).map((i) => i.code);
      return { submissionId: dispatchWorkflowId(notice.contract.id, idempotencyKey), status: 'lint_rejected', reason: [...new Set(codes)].join(',') || 'lint', replayed: false };
    }
    throw error;
  }
}
