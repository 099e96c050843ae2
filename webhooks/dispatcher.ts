/**
 * The webhook dispatcher: a durable loop in the worker process. Deliveries
 * live in Postgres (enqueued with the audit event that caused them), so
 * nothing is lost when a worker stops or crashes: a row leased by a dead
 * dispatcher becomes due again when its lease ends. Every pass claims due
 * rows, POSTs each signed body, logs the attempt and on failure schedules the
 * next one with exponential backoff (30 s doubling to at most 6 h, with
 * jitter) until 3 days after the event, then marks it failed. Delivery is at
 * least once; receivers deduplicate on `Webhook-Id`. Any number of worker
 * processes may run it (claims use FOR UPDATE SKIP LOCKED).
 */
import type { Db } from '../db/pool';
import { claimDueDeliveries, recordDeliveryAttempt, type AttemptOutcome, type ClaimedDelivery } from '../db/webhooks';
import type { Logger } from '../platform/logger';
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
  /** per request */
  timeoutMs?: number;
  fetch?: typeof fetch;
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

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const intervalMs = options.intervalMs ?? 2_000;
  const batchSize = options.batchSize ?? 20;
  const baseDelayMs = options.baseDelayMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? 6 * 3600 * 1000;
  const giveUpAfterMs = options.giveUpAfterMs ?? WEBHOOK_RETRY_FOR_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const jitter = options.jitter ?? 0.2;
  const doFetch = options.fetch ?? fetch;
  const leaseMs = timeoutMs * 3;

  async function send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const started = performance.now();
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await doFetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'sms-contracts-webhooks/1',
          [WEBHOOK_HEADERS.id]: delivery.eventId,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, timestamp, delivery.body),
          [WEBHOOK_HEADERS.event]: delivery.eventType,
          [WEBHOOK_HEADERS.attempt]: String(delivery.attempt),
        },
        body: delivery.body,
      });
      await response.arrayBuffer().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}`, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      return { ok: false, statusCode: null, error: (e.cause?.code ?? e.name ?? 'error').slice(0, 200), durationMs: Math.round(performance.now() - started) };
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
          const outcome: AttemptOutcome = delivery.active ? await send(delivery) : { ok: false, statusCode: null, error: 'subscription disabled', durationMs: 0 };
          const delay = retryDelayMs(delivery.attempt, baseDelayMs, maxDelayMs) * (1 + Math.random() * jitter);
          const status = await recordDeliveryAttempt(options.db, delivery, outcome, { retryInMs: delay, giveUpAfterMs, giveUp: !delivery.active });
          if (status === 'failed') options.logger.warn({ deliveryId: delivery.id, eventId: delivery.eventId, attempts: delivery.attempt }, 'webhook delivery failed for good');
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
