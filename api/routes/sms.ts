/**
 * SMS under a contract: submit messages, list them with their
 * status, the reconciliation ledger (发送信息对账, Art.5 §3) with a CSV
 * export, and the suppression list (opt-outs and complaints, Art.4 §6).
 *
 * A customer operator acts for the contracts of their own organisation
 * (the contract gate answers 404 for any other); staff read.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { addSuppressions, findSender, findSubmission, findSubmissionByKey, ledger, listMessages, listParts, listSuppressions } from '../../db/sms';
import { SMS_CATEGORIES, SMS_MESSAGE_STATUSES } from '../../domain/sms/dispatch';
import { normalizeRecipient } from '../../domain/sms/phone';
import { shanghaiDate, addDays } from '../../domain/time';
import { organisationOfContract } from '../../services/organisations';
import { dispatchWorkflowId, submitMessages } from '../../services/sms';
import { cancelSmsDispatchSignal, getSmsDispatchQuery } from '../../workflows/messages/sms-dispatch';
import type { AppDeps } from '../deps';
import { maskRecipient, mayOnContract } from '../policy';
import { AppError, notFound } from '../errors';
import { defineRoute } from '../http';

const READERS = ['customer', 'sales', 'legal', 'finance', 'operations', 'admin'] as const;

const ZIdempotencyKey = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const ZRecipientNumber = z.string().max(40, 'must be at most 40 characters');

export const ZSubmitMessagesRequest = z.strictObject({
  /** required with `content`; with `templateId`, the template's category when absent */
  category: z.enum(SMS_CATEGORIES).optional(),
  /** free text with the bound signature 【…】 (at most 1,000 characters: 15 UCS-2 parts), where the terms allow free text for the category */
  content: z.string().min(1, 'must not be empty').max(1_000, 'must be at most 1,000 characters').optional(),
  /** instead of `content`: an approved template of the contract (GET /api/contracts/:id/sms-templates?status=approved) */
  templateId: z.string().trim().min(1).max(64).optional(),
  /** the template's variables by name, each value at most 35 characters */
  variables: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, 'must be a variable name'), z.string().max(200, 'must be at most 200 characters'))
    .refine((values) => Object.keys(values).length <= 32, 'must name at most 32 variables')
    .optional(),
  /**
   * Chinese mobile numbers, as strings or { number, member }. 10,000 numbers
   * as strings fit the default 256 kB body limit; as objects, raise BODY_LIMIT.
   */
  recipients: z
    .array(z.union([ZRecipientNumber, z.strictObject({ number: ZRecipientNumber, member: z.boolean().optional() })]))
    .min(1, 'must name at least one recipient')
    .max(10_000, 'at most 10,000 recipients per request'),
  idempotencyKey: ZIdempotencyKey,
  /** marketing without an unsubscribe instruction: append "回TD退订" instead of refusing */
  appendUnsubscribe: z.boolean().optional(),
  /** a batch larger than the quota left: send what fits (in request order) instead of refusing it whole */
  allowPartial: z.boolean().optional(),
})
  .superRefine((body, ctx) => {
    if (body.templateId === undefined) {
      if (body.content === undefined) ctx.addIssue({ code: 'custom', path: ['content'], message: 'is required (or send templateId and variables)' });
      if (body.category === undefined) ctx.addIssue({ code: 'custom', path: ['category'], message: 'is required with content' });
      if (body.variables !== undefined) ctx.addIssue({ code: 'custom', path: ['variables'], message: 'are sent with a templateId only' });
    } else if (body.content !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'must not be sent with a templateId: the template is the text' });
    }
  });
export type TSubmitMessagesRequest = z.infer<typeof ZSubmitMessagesRequest>;

const ZMessageListQuery = z.strictObject({
  status: z.enum(SMS_MESSAGE_STATUSES).optional(),
  submissionId: z.string().trim().min(1).max(200).optional(),
  idempotencyKey: ZIdempotencyKey.optional(),
  recipient: ZRecipientNumber.optional(),
  parts: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const ZDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
const ZLedgerQuery = z
  .strictObject({
    from: ZDate.optional(),
    to: ZDate.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export const ZOptOutRequest = z.strictObject({
  numbers: z.array(ZRecipientNumber).min(1).max(1_000),
  /** complaint (投诉) or an opt-out request received another way */
  reason: z.enum(['complaint', 'opt_out']).default('complaint'),
  note: z.string().trim().max(500).optional(),
});

const ZCancelRequest = z.strictObject({ idempotencyKey: ZIdempotencyKey, reason: z.string().trim().min(1).max(200).optional() });

const ZPage = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function smsRoutes(deps: AppDeps) {
  const settings = deps.smsSettings;
  const service = { ...deps, settings };

  return [
    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/messages',
      roles: ['customer', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'submit an SMS to up to 10,000 recipients: per-recipient results (accepted, held with sendAt, rejected with reason, suppressed, duplicate)',
      heavy: true,
      body: ZSubmitMessagesRequest,
      handler: async ({ body, user, res, requestId, contract }) => {
        const { response, created } = await submitMessages(service, { contract, request: body, actor: { id: user.id, role: user.role, requestId } });
        res.status(created ? 202 : 200).location(`/api/contracts/${contract.id}/messages?submissionId=${encodeURIComponent(response.submissionId)}`);
        return response;
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/messages',
      roles: READERS,
      contract: { param: 'id', action: 'read' },
      summary: "the contract's messages with their status, newest first (filter by status, submission, recipient)",
      query: ZMessageListQuery,
      handler: async ({ query, user, contract }) => {
        const revealRecipients = mayOnContract(user, 'readRecipients', contract);
        let submissionId = query.submissionId;
        if (query.idempotencyKey) submissionId = dispatchWorkflowId(contract.id, query.idempotencyKey);
        let recipient: string | undefined;
        if (query.recipient) {
          const normalized = normalizeRecipient(query.recipient);
          if (!normalized.ok) throw new AppError('VALIDATION_FAILED', 'query is invalid', { issues: [{ path: 'query.recipient', message: normalized.messageEn }] });
          recipient = normalized.e164;
        }
        const { items, total, byStatus } = await listMessages(deps.db, {
          contractId: contract.id,
          ...(query.status ? { status: query.status } : {}),
          ...(submissionId ? { submissionId } : {}),
          ...(recipient ? { recipient } : {}),
          limit: query.limit,
          offset: query.offset,
        });
        const parts = query.parts === 'true' ? await listParts(deps.db, items.map((m) => m.id)) : null;
        let dispatch: unknown = undefined;
        if (submissionId) {
          const submission = await findSubmission(deps.db, submissionId);
          if (!submission || submission.contractId !== contract.id) throw notFound('submission');
          dispatch = await deps.temporal.connection
            .withDeadline(Date.now() + deps.queryTimeoutMs, () => deps.temporal.workflow.getHandle(submissionId!).query(getSmsDispatchQuery))
            .catch(() => null);
        }
        return {
          senderAddress: await findSender(deps.db, contract.id),
          total,
          byStatus,
          ...(dispatch !== undefined ? { dispatch } : {}),
          items: items.map((m) => ({
            ...m,
            // recipient numbers only for those whose work needs them (api/policy.ts)
            recipient: revealRecipients ? m.recipient : maskRecipient(m.recipient),
            ...(parts ? { partsDetail: parts.filter((p) => p.messageId === m.id).map(({ messageId: _m, ...p }) => p) } : {}),
          })),
        };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/messages/cancel',
      roles: ['customer', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'cancel a submission: messages not yet handed to the SMSC are cancelled and their parts credited back',
      body: ZCancelRequest,
      handler: async ({ body, user, res, contract }) => {
        const submission = await findSubmissionByKey(deps.db, contract.id, body.idempotencyKey);
        if (!submission) throw notFound('submission');
        try {
          await deps.temporal.workflow.getHandle(submission.id).signal(cancelSmsDispatchSignal, { actorId: user.id, ...(body.reason ? { reason: body.reason } : {}) });
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) throw new AppError('INVALID_STATE', 'this submission has finished: every message was already handed to the SMSC or ended');
          throw error;
        }
        res.status(202);
        return { submissionId: submission.id, status: 'cancelling', message: 'messages not yet handed to the SMSC will be cancelled' };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/ledger',
      roles: ['customer', 'finance', 'operations', 'sales', 'admin'],
      contract: { param: 'id', action: 'read' },
      summary: 'reconciliation (Art.5 §3): per Asia/Shanghai day, messages and parts by status; ?format=csv for a CSV export',
      query: ZLedgerQuery,
      handler: async ({ query, res, contract }) => {
        const today = shanghaiDate(new Date());
        const to = query.to ?? today;
        const from = query.from ?? addDays(to, -30);
        if (addDays(from, 366) < to) throw new AppError('VALIDATION_FAILED', 'query is invalid', { issues: [{ path: 'query.from', message: 'the range may span at most 366 days' }] });
        const rows = await ledger(deps.db, { contractId: contract.id, from, to });
        if (query.format === 'csv') {
          const lines = ['date,status,messages,parts,debited_parts', ...rows.map((r) => [r.date, r.status, r.messages, r.parts, r.debitedParts].map(csvCell).join(','))];
          res
            .status(200)
            .type('text/csv; charset=utf-8')
            .set('Content-Disposition', `attachment; filename="sms-ledger-${contract.number}-${from}-${to}.csv"`)
            .send(`${lines.join('\r\n')}\r\n`);
          return undefined;
        }
        const days = new Map<string, { date: string; byStatus: Record<string, { messages: number; parts: number; debitedParts: number }>; messages: number; parts: number; debitedParts: number }>();
        for (const r of rows) {
          const day = days.get(r.date) ?? { date: r.date, byStatus: {}, messages: 0, parts: 0, debitedParts: 0 };
          day.byStatus[r.status] = { messages: r.messages, parts: r.parts, debitedParts: r.debitedParts };
          day.messages += r.messages;
          day.parts += r.parts;
          day.debitedParts += r.debitedParts;
          days.set(r.date, day);
        }
        const totals = rows.reduce(
          (t, r) => ({ messages: t.messages + r.messages, parts: t.parts + r.parts, debitedParts: t.debitedParts + r.debitedParts }),
          { messages: 0, parts: 0, debitedParts: 0 },
        );
        return { contractId: contract.id, number: contract.number, from, to, timeZone: 'Asia/Shanghai', days: [...days.values()], totals };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/opt-outs',
      roles: ['customer', 'operations', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: "record complaints or opt-outs by hand: the numbers join the customer's suppression list (Art.4 §6)",
      body: ZOptOutRequest,
      handler: async ({ body, user, requestId, res, contract }) => {
        const results = body.numbers.map((input, index) => ({ index, input, normalized: normalizeRecipient(input) }));
        const valid = [...new Set(results.flatMap((r) => (r.normalized.ok ? [r.normalized.e164] : [])))];
        const added = await deps.db.withTransaction(async (tx) => {
          const fresh = await addSuppressions(tx, {
            owner: organisationOfContract(contract),
            contractId: contract.id,
            recipients: valid,
            source: body.reason,
            detail: body.note ?? null,
            recordedBy: user.id,
          });
          await appendAudit(tx, {
            type: 'sms.opt_outs_recorded',
            contractId: contract.id,
            actor: { id: user.id, role: user.role, requestId },
            data: { customer: contract.partyAName, reason: body.reason, added: fresh.length, already: valid.length - fresh.length, invalid: results.length - results.filter((r) => r.normalized.ok).length },
            // the numbers go to webhook subscribers only, never to the audit log the contract timeline shows
            webhook: { numbers: fresh },
          });
          return new Set(fresh);
        });
        const seen = new Set<string>();
        res.status(added.size > 0 ? 201 : 200);
        return {
          customer: contract.partyAName,
          creditCode: contract.partyACreditCode,
          added: added.size,
          results: results.map(({ index, input, normalized }) => {
            if (!normalized.ok) return { index, input, status: 'invalid', reason: normalized.reason, message: normalized.messageEn };
            const first = !seen.has(normalized.e164);
            seen.add(normalized.e164);
            return { index, recipient: normalized.e164, status: first && added.has(normalized.e164) ? 'added' : 'already_suppressed' };
          }),
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/opt-outs',
      roles: ['customer', 'operations', 'legal', 'admin'],
      contract: { param: 'id', action: 'read' },
      summary: "the customer's suppression list: numbers never sent to again (Party A's organisation's: by its credit code, whatever its name; by its exact name for a contract without a code)",
      query: ZPage,
      handler: async ({ query, contract }) => {
        return { customer: contract.partyAName, creditCode: contract.partyACreditCode, ...(await listSuppressions(deps.db, organisationOfContract(contract), query.limit, query.offset)) };
      },
    }),
  ];
}
