import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { findWebhookSubscription, insertWebhookSubscription, listWebhookDeliveries, listWebhookSubscriptions } from '../../db/webhooks';
import { exampleDelivery, isKnownEventPattern, WEBHOOK_EVENT_FAMILIES, WEBHOOK_EVENTS } from '../../domain/webhook-events';
import { checkDestination } from '../../webhooks/destinations';
import { generateWebhookSecret } from '../../webhooks/signing';
import type { AppDeps } from '../deps';
import { AppError, notFound } from '../errors';
import { defineRoute } from '../http';

const EVENT_PATTERN = /^(\*|[a-z][a-z_]*(\.\*|(\.[a-z][a-z_]*)+))$/;

/** an event type the system emits (`contract.activated`), a family (`invoice.*`) or everything (`*`): domain/webhook-events.ts */
const ZEventPattern = z.string().trim().max(80).regex(EVENT_PATTERN, "must be an event type like 'contract.activated', a family like 'invoice.*', or '*'");

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
    .refine((events) => new Set(events).size === events.length, 'must not repeat an event')
    .superRefine((events, ctx) => {
      // well-formed names the system never emits (a malformed one is reported by its own check)
      const unknown = events.filter((e) => EVENT_PATTERN.test(e) && !isKnownEventPattern(e));
      if (unknown.length === 0) return;
      ctx.addIssue({
        code: 'custom',
        message: `names ${unknown.length === 1 ? 'an event' : 'events'} the system does not emit: ${unknown.map((e) => `'${e}'`).join(', ')} (the published list: GET /api/webhook-events, docs/webhooks.md; families: ${WEBHOOK_EVENT_FAMILIES.map((f) => `${f}.*`).join(', ')})`,
      });
    }),
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
        // the host, and every address it resolves to now, against the destination rule (deliveries check again at connect time)
        const refusal = await checkDestination(body.url, deps.webhookDestinations, { lookup: deps.dnsLookup });
        if (refusal) {
          throw new AppError('WEBHOOK_DESTINATION_REFUSED', `webhook destination refused: ${refusal.message}`, {
            reason: refusal.reason,
            ...(refusal.address ? { address: refusal.address } : {}),
            issues: [{ path: 'body.url', message: refusal.message }],
          });
        }
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
        return {
          ...subscription,
          secret,
          secretNote: 'shown once: store it now. Deliveries follow Standard Webhooks: verify them with its library, new Webhook(secret).verify(body, headers) (docs/webhooks.md)',
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/webhook-events',
      roles: ['admin'],
      summary: 'the published list of events a subscription may name, each with an example delivery body',
      handler: async () => ({
        families: WEBHOOK_EVENT_FAMILIES,
        items: WEBHOOK_EVENTS.map((spec) => ({ type: spec.type, summary: spec.summary, example: exampleDelivery(spec) })),
      }),
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
