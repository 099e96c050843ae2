/**
 * The staff delivery outbox (migration 027): one row per (notification,
 * staff member, channel), written in the transaction that raises a work item
 * (db/work-items.ts raiseWorkItem) or records a staff member's digest, and
 * sent by the worker's deliverer (activities/staff-deliveries.ts).
 *
 * Exactly once: a row is unique per (notification, user, channel), so a
 * retried activity writes none twice; a deliverer claims rows with a lease
 * (SKIP LOCKED: two deliverers never take the same row), writes
 * `send_started_at` right before it hands a message over, and `sent` right
 * after. An e-mail found started but never finished (its deliverer died
 * inside the SMTP transaction) is marked `unknown` and not sent again; an SMS
 * is resubmitted, its dispatch being keyed by the row (a resubmission replays).
 */
import type { StaffChannel, StaffDeliveryStatus } from '../domain/staff-notices';
import type { Queryable } from './pool';

/** Who receives a notification outside the console: `users` with an address or number, active, and the SMS's contract. */
const RECIPIENT_CHANNELS = `CROSS JOIN LATERAL (VALUES ('email', u.email), ('sms', CASE WHEN $CONTRACT::text IS NOT NULL THEN u.phone END)) AS c(channel, recipient)`;

/**
 * The deliveries of a work item just raised (by its key, the notification
 * id): to its user, or to every active user of its role; e-mail where the
 * user has an address, SMS where they have a number and the item a contract
 * to record the SMS under. None for an item already closed. Returns how many were written.
 */
export async function enqueueWorkItemDeliveries(db: Queryable, key: string): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO staff_deliveries (notification_id, work_item_id, user_id, channel, recipient, contract_id)
     SELECT w.key, w.id, u.id, c.channel, c.recipient, w.contract_id
       FROM work_items w
       JOIN users u ON u.deactivated_at IS NULL AND u.role <> 'customer' AND (u.id = w.user_id OR (w.user_id IS NULL AND u.role = w.role))
       ${RECIPIENT_CHANNELS.replace('$CONTRACT', 'w.contract_id')}
      WHERE w.key = $1 AND w.state <> 'done' AND c.recipient IS NOT NULL
     ON CONFLICT (notification_id, user_id, channel) DO NOTHING`,
    [key],
  );
  return rowCount ?? 0;
}

/** The deliveries of a notification to one staff member (the daily digest); SMS only with a contract to record it under. */
export async function enqueueUserDeliveries(db: Queryable, input: { notificationId: string; userId: string; contractId: string | null }): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO staff_deliveries (notification_id, user_id, channel, recipient, contract_id)
     SELECT $1, u.id, c.channel, c.recipient, CASE WHEN c.channel = 'sms' THEN $3 END
       FROM users u
       ${RECIPIENT_CHANNELS.replace('$CONTRACT', '$3')}
      WHERE u.id = $2 AND u.deactivated_at IS NULL AND u.role <> 'customer' AND c.recipient IS NOT NULL
     ON CONFLICT (notification_id, user_id, channel) DO NOTHING`,
    [input.notificationId, input.userId, input.contractId],
  );
  return rowCount ?? 0;
}

/** What every delivery row carries, claimed or listed. */
type DeliveryFields = {
  id: number;
  notificationId: string;
  workItemId: number | null;
  userId: string;
  channel: StaffChannel;
  recipient: string;
  attempts: number;
};

export type ClaimedDelivery = DeliveryFields & {
  contractId: string | null;
  subject: string;
  body: string;
  dueAt: string | null;
  /** the work item's state now (null: not an item) */
  itemState: string | null;
};

/**
 * Takes up to `limit` due deliveries of the channels given for `leaseMs`
 * from `at`: pending ones whose next attempt is due, and claimed ones whose
 * claimer's lease ran out without starting to send (or, for SMS, at all).
 * First, e-mails whose lease ran out after their SMTP transaction began are
 * marked `unknown` (never sent twice).
 */
export async function claimDueDeliveries(
  db: Queryable,
  input: { at: string; limit: number; leaseMs: number; channels: readonly StaffChannel[] },
): Promise<{ claimed: ClaimedDelivery[]; interrupted: number }> {
  const interrupted = await db.query(
    `UPDATE staff_deliveries
        SET status = 'unknown', claimed_until = NULL, updated_at = now(),
            last_error = 'the deliverer stopped during the SMTP transaction: not sent again, it may have arrived'
      WHERE status = 'sending' AND channel = 'email' AND send_started_at IS NOT NULL AND claimed_until <= $1::timestamptz`,
    [input.at],
  );
  const { rows } = await db.query(
    `WITH claimed AS (
       UPDATE staff_deliveries d
          SET status = 'sending', attempts = d.attempts + 1, claimed_until = $1::timestamptz + make_interval(secs => $3::double precision / 1000),
              send_started_at = NULL, updated_at = now()
        WHERE d.id IN (
          SELECT id FROM staff_deliveries
           WHERE channel = ANY($4::text[])
             AND ((status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1::timestamptz))
               OR (status = 'sending' AND claimed_until <= $1::timestamptz))
           ORDER BY next_attempt_at NULLS FIRST, id
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING d.*)
     SELECT c.id, c.notification_id, c.work_item_id, c.user_id, c.channel, c.recipient, c.contract_id, c.attempts,
            n.subject, n.body, w.due_at, w.state AS item_state
       FROM claimed c JOIN notifications n ON n.id = c.notification_id LEFT JOIN work_items w ON w.id = c.work_item_id
      ORDER BY c.id`,
    [input.at, input.limit, input.leaseMs, input.channels],
  );
  return {
    interrupted: interrupted.rowCount ?? 0,
    claimed: rows.map((r) => ({
      id: Number(r.id),
      notificationId: r.notification_id,
      workItemId: r.work_item_id === null ? null : Number(r.work_item_id),
      userId: r.user_id,
      channel: r.channel,
      recipient: r.recipient,
      contractId: r.contract_id ?? null,
      attempts: Number(r.attempts),
      subject: r.subject,
      body: r.body,
      dueAt: r.due_at ? (r.due_at as Date).toISOString() : null,
      itemState: r.item_state ?? null,
    })),
  };
}

/** Right before the message is handed over: from here on an interrupted e-mail is not sent again. */
export async function markSendStarted(db: Queryable, id: number): Promise<void> {
  await db.query(`UPDATE staff_deliveries SET send_started_at = now(), updated_at = now() WHERE id = $1 AND status = 'sending'`, [id]);
}

export async function markDeliverySent(db: Queryable, id: number, outcome: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE staff_deliveries SET status = 'sent', sent_at = now(), outcome = $2, last_error = NULL, claimed_until = NULL, updated_at = now()
      WHERE id = $1 AND status = 'sending'`,
    [id, outcome.slice(0, 500)],
  );
  return rowCount === 1;
}

/** A failed attempt: tried again at `nextAttemptAt`, or (null) given up as failed. */
export async function markDeliveryFailed(db: Queryable, input: { id: number; error: string; nextAttemptAt: string | null }): Promise<void> {
  await db.query(
    `UPDATE staff_deliveries
        SET status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END, next_attempt_at = $3::timestamptz,
            last_error = $2, claimed_until = NULL, send_started_at = NULL, updated_at = now()
      WHERE id = $1 AND status = 'sending'`,
    [input.id, input.error.slice(0, 500), input.nextAttemptAt],
  );
}

/** Not sent on purpose (its item closed before its turn). */
export async function markDeliverySkipped(db: Queryable, id: number, reason: string): Promise<void> {
  await db.query(
    `UPDATE staff_deliveries SET status = 'skipped', last_error = $2, claimed_until = NULL, updated_at = now() WHERE id = $1 AND status = 'sending'`,
    [id, reason],
  );
}

/** A channel that is off (e-mail without SMTP_URL, SMS notices off): its waiting rows are skipped, none attempted. */
export async function skipChannel(db: Queryable, channel: StaffChannel, reason: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE staff_deliveries SET status = 'skipped', last_error = $2, claimed_until = NULL, updated_at = now()
      WHERE channel = $1 AND (status = 'pending' OR (status = 'sending' AND send_started_at IS NULL AND claimed_until <= now()))`,
    [channel, reason],
  );
  return rowCount ?? 0;
}

export type StaffDeliveryRow = DeliveryFields & {
  status: StaffDeliveryStatus;
  lastError: string | null;
  outcome: string | null;
  sentAt: string | null;
};

/** The deliveries of a notification (or all of a work item), oldest first. */
export async function listStaffDeliveries(db: Queryable, filter: { notificationId?: string; workItemId?: number }): Promise<StaffDeliveryRow[]> {
  const { rows } = await db.query(
    `SELECT id, notification_id, work_item_id, user_id, channel, recipient, status, attempts, last_error, outcome, sent_at FROM staff_deliveries
      WHERE ($1::text IS NULL OR notification_id = $1) AND ($2::bigint IS NULL OR work_item_id = $2) ORDER BY id`,
    [filter.notificationId ?? null, filter.workItemId ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    notificationId: r.notification_id,
    workItemId: r.work_item_id === null ? null : Number(r.work_item_id),
    userId: r.user_id,
    channel: r.channel,
    recipient: r.recipient,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error ?? null,
    outcome: r.outcome ?? null,
    sentAt: r.sent_at ? (r.sent_at as Date).toISOString() : null,
  }));
}
