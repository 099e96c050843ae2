/**
 * SMS signatures and templates (the appendix: applied for, then reviewed
 * before use; services/sms-templates.ts, domain/sms/templates.ts).
 *
 * - A customer operator applies under their own organisation's contract (the
 *   contract gate answers 404 for any other); staff and the customer read.
 * - Operations or an admin approve or reject (a reason for a rejection); an
 *   application is reviewed once (409 ALREADY_REVIEWED).
 * - The review queue lists applications across contracts, soonest due first.
 */
import { z } from 'zod';
import { listReviewQueue, listSignatures, listTemplates } from '../../db/sms-templates';
import { REVIEW_DECISIONS, REVIEW_STATUSES, TEMPLATE_CATEGORIES, templateTermsOf, VARIABLE_NAME } from '../../domain/sms/templates';
import { ZSmsSignature } from '../../domain/terms';
import { applyForSignature, applyForTemplate, reviewSignature, reviewTemplate, signatureView, templateView } from '../../services/sms-templates';
import type { SmsReviewQueue, SmsSignatureList, SmsTemplateList } from '../../services/sms-templates.types';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { defineRoute } from '../http';

const READERS = ['customer', 'sales', 'legal', 'finance', 'operations', 'admin'] as const;
const REVIEWERS = ['operations', 'admin'] as const;

export const ZSignatureApplication = z.strictObject({
  /** the contract's bound signature, 【…】 */
  text: ZSmsSignature,
  /** the supporting document (organisation certificate, authorisation letter): a PDF, base64, at most about 180 kB */
  documentBase64: z
    .string()
    .min(8, 'must be a PDF in base64')
    .max(250_000, 'must be at most 250,000 characters of base64 (about 180 kB)')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  documentTitle: z.string().trim().min(1).max(100).optional(),
});

export const ZTemplateApplication = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(30, 'must be at most 30 characters'),
  category: z.enum(TEMPLATE_CATEGORIES),
  /** the text, with ${name} variables; the bound signature is added at the start unless it carries it */
  content: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  /** variables whose value may be a link */
  urlVariables: z.array(z.string().regex(VARIABLE_NAME, 'must be a variable name')).max(5).optional(),
  /** what the template is for, for the reviewer */
  remark: z.string().trim().max(200).optional(),
});

export const ZReviewRequest = z
  .strictObject({
    decision: z.enum(REVIEW_DECISIONS),
    reason: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  })
  .refine((r) => r.decision !== 'reject' || r.reason !== undefined, { path: ['reason'], message: 'a rejection must give its reason' });

const ZReviewQueueQuery = z.strictObject({ status: z.enum([...REVIEW_STATUSES, 'all']).default('applied') });
const ZTemplateListQuery = z.strictObject({ status: z.enum(REVIEW_STATUSES).optional() });
const ZApplicationId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-[0-9a-f-]{36}$`));

export function smsTemplateRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/sms-signatures',
      roles: ['customer', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: "apply for the contract's bound signature with its supporting PDF: reviewed by operations within the terms' working days",
      body: ZSignatureApplication,
      handler: async ({ body, user, requestId, res, contract }) => {
        const view = await applyForSignature(deps, { contract, request: body, actor: { id: user.id, role: user.role, requestId } });
        res.status(201).location(`/api/contracts/${contract.id}/sms-signatures`);
        return view;
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/sms-signatures',
      roles: READERS,
      contract: { param: 'id', action: 'read' },
      summary: "the contract's signature applications with their review status, newest first",
      handler: async ({ contract }): Promise<SmsSignatureList> => {
        const now = Date.now();
        return { contractId: contract.id, boundSignature: contract.terms.sms.signature, items: (await listSignatures(deps.db, contract.id)).map((row) => signatureView(row, now)) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/sms-templates',
      roles: ['customer', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'apply for an SMS template (content with ${name} variables, notification or marketing), linted with the message rules',
      body: ZTemplateApplication,
      handler: async ({ body, user, requestId, res, contract }) => {
        const view = await applyForTemplate(deps, { contract, request: body, actor: { id: user.id, role: user.role, requestId } });
        res.status(201).location(`/api/contracts/${contract.id}/sms-templates`);
        return view;
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/sms-templates',
      roles: READERS,
      contract: { param: 'id', action: 'read' },
      summary: "the contract's templates with their review status (?status=approved for those that send), and its free-text policy",
      query: ZTemplateListQuery,
      handler: async ({ query, contract }): Promise<SmsTemplateList> => {
        const now = Date.now();
        const terms = templateTermsOf(contract.terms.sms);
        return {
          contractId: contract.id,
          freeText: terms.freeText,
          reviewWorkingDays: terms.reviewWorkingDays,
          items: (await listTemplates(deps.db, contract.id, query.status)).map((row) => templateView(row, now)),
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/sms-reviews',
      roles: REVIEWERS,
      summary: 'signature and template applications across contracts (default: waiting for review, soonest due first)',
      query: ZReviewQueueQuery,
      handler: async ({ query }): Promise<SmsReviewQueue> => {
        const now = Date.now();
        const queue = await listReviewQueue(deps.db, query.status);
        return { signatures: queue.signatures.map((row) => signatureView(row, now)), templates: queue.templates.map((row) => templateView(row, now)) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/sms-signatures/:id/review',
      roles: REVIEWERS,
      summary: 'approve or reject a signature application (a reason for a rejection); once only',
      body: ZReviewRequest,
      handler: async ({ params, body, user, requestId }) => {
        const id = ZApplicationId('SG').safeParse(params.id);
        if (!id.success) throw notFound('signature application');
        return reviewSignature(deps, { id: id.data, request: body, actor: { id: user.id, role: user.role, requestId } });
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/sms-templates/:id/review',
      roles: REVIEWERS,
      summary: 'approve or reject a template application (a reason for a rejection); once only',
      body: ZReviewRequest,
      handler: async ({ params, body, user, requestId }) => {
        const id = ZApplicationId('TP').safeParse(params.id);
        if (!id.success) throw notFound('template application');
        return reviewTemplate(deps, { id: id.data, request: body, actor: { id: user.id, role: user.role, requestId } });
      },
    }),
  ];
}
