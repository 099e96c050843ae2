/**
 * Webhook subscriptions, their queued deliveries and the log of attempts.
 * Deliveries are enqueued by appendAudit (db/audit.ts); the dispatcher
 * (webhooks/dispatcher.ts) claims due ones with a lease so several worker
 * processes never send the same attempt twice at once.
 */
import { appendAudit } from './audit';
import type { Db, Queryable } from './pool';

export type WebhookSubscription = {
  id: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  createdBy: string;
  createdAt: string;
};

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export type WebhookDelivery = {
  id: number;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: { attempt: number; at: string; statusCode: number | null; error: string | null; durationMs: number }[];
};

export type ClaimedDelivery = {
  id: number;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  body: string;
  attempt: number;
  url: string;
  secret: string;
  active: boolean;
};

const iso = (value: Date | null) => (value ? value.toISOString() : null);

const subscriptionOf = (row: Record<string, any>): WebhookSubscription => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  active: row.active,
  createdBy: row.created_by,
  createdAt: (row.created_at as Date).toISOString(),
});

export async function insertWebhookSubscription(
  db: Queryable,
  input: { id: string; url: string; events: string[]; secret: string; description: string; createdBy: string },
): Promise<WebhookSubscription> {
  const { rows } = await db.query(
    `INSERT INTO webhook_subscriptions (id, url, events, secret, description, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, url, events, description, active, created_by, created_at`,
    [input.id, input.url, input.events, input.secret, input.description, input.createdBy],
  );
  return subscriptionOf(rows[0]!);
}

export async function listWebhookSubscriptions(db: Queryable): Promise<WebhookSubscription[]> {
  const { rows } = await db.query('SELECT id, url, events, description, active, created_by, created_at FROM webhook_subscriptions ORDER BY created_at, id');
  return rows.map(subscriptionOf);
}

export async function findWebhookSubscription(db: Queryable, id: string): Promise<WebhookSubscription | null> {
  const { rows } = await db.query('SELECT id, url, events, description, active, created_by, created_at FROM webhook_subscriptions WHERE id = $1', [id]);
  return rows[0] ? subscriptionOf(rows[0]) : null;
}

export async function listWebhookDeliveries(
  db: Queryable,
  subscriptionId: string,
  options: { status?: WebhookDeliveryStatus; limit: number; offset: number },
): Promise<WebhookDelivery[]> {
  const { rows } = await db.query(
    `SELECT d.id, d.event_id, d.event_type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.id)
                        FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::jsonb) AS log
       FROM webhook_deliveries d
      WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2)
      ORDER BY d.id DESC LIMIT $3 OFFSET $4`,
    [subscriptionId, options.status ?? null, options.limit, options.offset],
  );
  return rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: (row.created_at as Date).toISOString(),
    deliveredAt: iso(row.delivered_at),
    log: (row.log as { attempt: number; at: string; statusCode: number | null; error: string | null; durationMs: number }[]).map((entry) => ({
      ...entry,
      at: new Date(entry.at).toISOString(),
    })),
  }));
}

/** Leases up to `limit` due deliveries (skipping rows another dispatcher holds) and counts the attempt. */
export async function claimDueDeliveries(db: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query(
    `UPDATE webhook_deliveries d
        SET locked_until = now() + make_interval(secs => $2::double precision / 1000), attempts = d.attempts + 1
       FROM webhook_subscriptions s
      WHERE s.id = d.subscription_id
        AND d.id IN (SELECT id FROM webhook_deliveries
                      WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.subscription_id, d.event_id, d.event_type, d.body, d.attempts, s.url, s.secret, s.active`,
    [limit, leaseMs],
  );
  return rows.map((row) => ({
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    body: row.body,
    attempt: row.attempts,
    url: row.url,
    secret: row.secret,
    active: row.active,
  }));
}

export type AttemptOutcome = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

/**
 * Records one attempt. A success marks the delivery delivered; a failure
 * schedules the next attempt `retryInMs` later, or marks it failed when that
 * would fall past `giveUpAfterMs` from the event (or when `giveUp` is set).
 */
export async function recordDeliveryAttempt(
  db: Queryable,
  delivery: Pick<ClaimedDelivery, 'id' | 'attempt'>,
  outcome: AttemptOutcome,
  retry: { retryInMs: number; giveUpAfterMs: number; giveUp?: boolean },
): Promise<WebhookDeliveryStatus> {
  await db.query('INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)', [
    delivery.id,
    delivery.attempt,
    outcome.statusCode,
    outcome.error,
    outcome.durationMs,
  ]);
  const { rows } = await db.query(
    `UPDATE webhook_deliveries
        SET locked_until = NULL, last_status_code = $2, last_error = $3,
            status = CASE WHEN $4 THEN 'delivered'
                          WHEN $7 OR now() + make_interval(secs => $5::double precision / 1000) > created_at + make_interval(secs => $6::double precision / 1000) THEN 'failed'
                          ELSE 'pending' END,
            delivered_at = CASE WHEN $4 THEN now() ELSE NULL END,
            next_attempt_at = CASE WHEN $4 THEN next_attempt_at ELSE now() + make_interval(secs => $5::double precision / 1000) END
      WHERE id = $1
      RETURNING status`,
    [delivery.id, outcome.statusCode, outcome.error, outcome.ok, retry.retryInMs, retry.giveUpAfterMs, retry.giveUp ?? false],
  );
  return rows[0]!.status as WebhookDeliveryStatus;
}

/**
 * The endpoint answered 410 Gone: the subscription is disabled (Standard
 * Webhooks: the receiver wants no more), with its audit event; its pending
 * deliveries fail as they come due. False when it was disabled already.
 */
export async function disableSubscriptionGone(db: Db, delivery: Pick<ClaimedDelivery, 'subscriptionId' | 'url'>): Promise<boolean> {
  return db.withTransaction(async (tx) => {
    const { rowCount } = await tx.query('UPDATE webhook_subscriptions SET active = false WHERE id = $1 AND active', [delivery.subscriptionId]);
    if (rowCount !== 1) return false;
    await appendAudit(tx, {
      type: 'webhook.disabled',
      actor: { id: 'system:webhooks', role: 'system' },
      before: { active: true },
      after: { active: false },
      data: { subscriptionId: delivery.subscriptionId, url: delivery.url, statusCode: 410 },
    });
    return true;
  });
}
