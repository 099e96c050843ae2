/**
 * The webhook dispatcher: a durable loop in the worker process. Deliveries
 * live in Postgres (enqueued with the audit event that caused them), so
 * nothing is lost when a worker stops or crashes: a row leased by a dead
 * dispatcher becomes due again when its lease ends. Every pass claims due
 * rows, POSTs each body signed as Standard Webhooks specifies
 * (webhooks/signing.ts), logs the attempt and on failure schedules the next
 * one with exponential backoff (30 s doubling to at most 6 h, with jitter,
 * later when the receiver's Retry-After asks) until 3 days after the event,
 * then marks it failed. A 2xx is success; anything else (3xx included:
 * redirects are not followed) is a failure, and 410 Gone disables the
 * subscription, as the specification says. Delivery is at least once;
 * receivers deduplicate on `webhook-id`. Any number of worker processes may
 * run it (claims use FOR UPDATE SKIP LOCKED). Bodies go out through
 * request-filtering-agent (webhooks/destinations.ts): a destination that
 * resolves to an address the rule refuses (169.254.169.254 always; private
 * and loopback ones in production) fails at once, the reason in its attempt,
 * and is not retried.
 */
import type { Db } from '../db/pool';
import { claimDueDeliveries, disableSubscriptionGone, recordDeliveryAttempt, type AttemptOutcome, type ClaimedDelivery } from '../db/webhooks';
import type { Logger } from '../platform/logger';
import { createDeliveryTransport, refusalOf, type DeliveryTransport, type DnsLookup, type WebhookDestinationPolicy } from './destinations';
import { signWebhook, WEBHOOK_HEADERS } from './signing';

export const WEBHOOK_RETRY_FOR_MS = 3 * 24 * 3600 * 1000;

export type WebhookDispatcherOptions = {
  db: Db;
  logger: Logger;
  /** how often to look for due deliveries */
  intervalMs?: number;
  batchSize?: number;
  /** first retry delay; doubles per attempt */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** stop retrying this long after the event */
  giveUpAfterMs?: number;
  /** per request (the specification recommends 15 to 30 s) */
  timeoutMs?: number;
  /**
   * where deliveries may go (webhooks/destinations.ts): the worker passes the
   * configured policy; unset, internal receivers are allowed (development, tests)
   */
  destinations?: WebhookDestinationPolicy;
  /** name resolution for deliveries (tests: a name that resolves to a metadata address) */
  lookup?: DnsLookup;
  /** how bodies are sent; by default node's http(s) over request-filtering-agent */
  transport?: DeliveryTransport;
  /** 0..1 random spread added to each delay (default 0.2) */
  jitter?: number;
};

export type WebhookDispatcher = {
  /** one pass: sends every due delivery it can claim; resolves with how many it attempted */
  drain(): Promise<number>;
  stop(): Promise<void>;
};

export function retryDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** A receiver's Retry-After (seconds or an HTTP date) in ms from now, or null. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const intervalMs = options.intervalMs ?? 2_000;
  const batchSize = options.batchSize ?? 20;
  const baseDelayMs = options.baseDelayMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? 6 * 3600 * 1000;
  const giveUpAfterMs = options.giveUpAfterMs ?? WEBHOOK_RETRY_FOR_MS;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const jitter = options.jitter ?? 0.2;
  const transport = options.transport ?? createDeliveryTransport(options.destinations ?? { allowInternal: true, allowedHosts: [] }, { lookup: options.lookup });
  const leaseMs = timeoutMs * 3;

  async function send(delivery: ClaimedDelivery): Promise<AttemptOutcome & { retryAfterMs: number | null; refused?: boolean }> {
    const started = performance.now();
    const timestamp = Math.floor(Date.now() / 1000);
    let signature: string;
    try {
      signature = signWebhook(delivery.secret, delivery.eventId, timestamp, delivery.body);
    } catch (error) {
      // a secret that is not whsec_ + base64 (none is issued so; migration 015 converted the older ones)
      return { ok: false, statusCode: null, error: `cannot sign: ${(error as Error).message}`.slice(0, 200), durationMs: 0, retryAfterMs: null };
    }
    try {
      const response = await transport.post(delivery.url, {
        timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'sms-contracts-webhooks/1',
          [WEBHOOK_HEADERS.id]: delivery.eventId,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signature,
          [WEBHOOK_HEADERS.event]: delivery.eventType,
          [WEBHOOK_HEADERS.attempt]: String(delivery.attempt),
        },
        body: delivery.body,
      });
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        statusCode: response.status,
        error: ok ? null : `HTTP ${response.status}`,
        durationMs: Math.round(performance.now() - started),
        retryAfterMs: ok ? null : retryAfterMs(response.retryAfter),
      };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      // a destination the rule refuses (a name now resolving to 169.254.169.254): failed for good, with the reason, never retried
      const refused = refusalOf(error);
      if (refused) return { ok: false, statusCode: null, error: refused.slice(0, 200), durationMs, retryAfterMs: null, refused: true };
      const e = error as Error & { code?: string; cause?: { code?: string } };
      const reason = e.name === 'AbortError' || e.name === 'TimeoutError' ? 'timeout' : (e.code ?? e.cause?.code ?? e.name ?? 'error');
      return { ok: false, statusCode: null, error: reason.slice(0, 200), durationMs, retryAfterMs: null };
    }
  }

  // passes run one at a time per dispatcher; a caller during a pass waits for it, then runs another
  let chain: Promise<unknown> = Promise.resolve();
  async function pass(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await claimDueDeliveries(options.db, batchSize, leaseMs);
      if (claimed.length === 0) return attempted;
      await Promise.all(
        claimed.map(async (delivery) => {
          const outcome = delivery.active ? await send(delivery) : { ok: false, statusCode: null, error: 'subscription disabled', durationMs: 0, retryAfterMs: null };
          const backoff = retryDelayMs(delivery.attempt, baseDelayMs, maxDelayMs) * (1 + Math.random() * jitter);
          // a receiver's Retry-After may push past the backoff (even past maxDelayMs): the 3-day window still ends it
          const delay = Math.max(backoff, outcome.retryAfterMs ?? 0);
          const gone = outcome.statusCode === 410;
          const status = await recordDeliveryAttempt(options.db, delivery, outcome, { retryInMs: delay, giveUpAfterMs, giveUp: !delivery.active || gone || outcome.refused === true });
          if (gone && (await disableSubscriptionGone(options.db, delivery))) {
            options.logger.warn({ subscriptionId: delivery.subscriptionId, eventId: delivery.eventId }, 'webhook endpoint answered 410 Gone: subscription disabled');
          }
          if (outcome.refused) options.logger.warn({ deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, reason: outcome.error }, 'webhook destination refused: delivery failed');
          else if (status === 'failed') options.logger.warn({ deliveryId: delivery.id, eventId: delivery.eventId, attempts: delivery.attempt }, 'webhook delivery failed for good');
        }),
      );
      attempted += claimed.length;
    }
  }
  const drain = (): Promise<number> => {
    const run = chain.then(() => pass());
    chain = run.catch(() => undefined);
    return run;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const loop = () => {
    if (stopped) return;
    drain()
      .catch((error) => options.logger.warn({ err: (error as Error).message }, 'webhook dispatch pass failed; retrying'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  if (intervalMs > 0) timer = setTimeout(loop, 0);

  return {
    drain,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}
