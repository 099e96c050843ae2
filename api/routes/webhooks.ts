import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { findWebhookSubscription, insertWebhookSubscription, listWebhookDeliveries, listWebhookSubscriptions } from '../../db/webhooks';
import { generateWebhookSecret } from '../../webhooks/signing';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { defineRoute } from '../http';

/** an audit event type (`contract.activated`), a family (`invoice.*`) or everything (`*`) */
const ZEventPattern = z
  .string()
  .trim()
  .max(80)
  .regex(/^(\*|[a-z][a-z_]*(\.\*|(\.[a-z][a-z_]*)+))$/, "must be an event type like 'contract.activated', a family like 'invoice.*', or '*'");

/** zod runs refinements even after the URL check failed: never throw here */
function hasNoCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return !url.username && !url.password;
  } catch {
    return true; // not a URL at all: the url check already reports it
  }
}

export const ZCreateWebhookRequest = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .refine(hasNoCredentials, 'must not carry credentials; the signature authenticates us'),
  events: z
    .array(ZEventPattern)
    .min(1, 'name at least one event')
    .max(50)
    .refine((events) => new Set(events).size === events.length, 'must not repeat an event'),
  description: z.string().trim().max(200).optional(),
});

const ZDeliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function webhookRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/webhooks',
      roles: ['admin'],
      summary: 'subscribe a URL to lifecycle events; the signing secret is returned once',
      body: ZCreateWebhookRequest,
      secrets: ['secret'],
      handler: async ({ body, user, res, requestId }) => {
        const secret = generateWebhookSecret();
        const subscription = await deps.db.withTransaction(async (tx) => {
          const created = await insertWebhookSubscription(tx, {
            id: `wh_${randomUUID()}`,
            url: body.url,
            events: body.events,
            secret,
            description: body.description ?? '',
            createdBy: user.id,
          });
          await appendAudit(tx, { type: 'webhook.created', actor: { id: user.id, role: user.role, requestId }, after: created });
          return created;
        });
        res.status(201).location(`/api/webhooks/${subscription.id}`);
        return { ...subscription, secret, secretNote: 'shown once: store it now; it signs every delivery (HMAC-SHA256 over `${timestamp}.${body}`)' };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/webhooks',
      roles: ['admin'],
      summary: 'webhook subscriptions (without their secrets)',
      handler: async () => ({ items: await listWebhookSubscriptions(deps.db) }),
    }),

    defineRoute({
      method: 'get',
      path: '/api/webhooks/:id/deliveries',
      roles: ['admin'],
      summary: "a subscription's delivery log: each event, its status and every attempt",
      query: ZDeliveriesQuery,
      handler: async ({ params, query }) => {
        const subscription = await findWebhookSubscription(deps.db, params.id ?? '');
        if (!subscription) throw notFound('webhook subscription');
        return { subscription, items: await listWebhookDeliveries(deps.db, subscription.id, query) };
      },
    }),
  ];
}
