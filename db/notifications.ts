/**
 * Notifications: every message the lifecycle sends to a person, recorded once
 * per id (the id is derived from the workflow and step that sent it).
 */
import { workItemRuleFor } from '../domain/work-items';
import type { Db, Queryable } from './pool';
import { raiseWorkItem } from './work-items';

export const AUDIENCES = ['party_a_contact', 'party_b_contact', 'owner', 'finance', 'legal', 'operations'] as const;
export type Audience = (typeof AUDIENCES)[number];

export type NotificationRecord = {
  id: string;
  contractId: string | null;
  audience: Audience;
  recipient: string;
  phone: string | null;
  reason: string;
  subject: string;
  body: string;
};

const isDb = (db: Queryable): db is Db => typeof (db as Partial<Db>).withTransaction === 'function';

/**
 * Returns true when this call recorded it, false when it was already recorded.
 * A staff notification that asks something of a person (domain/work-items.ts
 * WORK_ITEM_RULES) also raises its work item, in the same transaction and
 * keyed by the same id: a retry records neither twice, and an attempt that
 * died after the notification still raises the item.
 */
export async function recordNotification(db: Queryable, n: NotificationRecord): Promise<boolean> {
  const rule = workItemRuleFor(n.reason, n.audience);
  if (rule && isDb(db)) return db.withTransaction((tx) => recordNotification(tx, n));
  const { rowCount } = await db.query(
    `INSERT INTO notifications (id, contract_id, audience, recipient, phone, reason, subject, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    [n.id, n.contractId, n.audience, n.recipient, n.phone, n.reason, n.subject, n.body],
  );
  if (rule) await raiseWorkItem(db, n, rule);
  return rowCount === 1;
}

export async function listNotifications(db: Queryable, contractId: string): Promise<(NotificationRecord & { createdAt: string })[]> {
  const { rows } = await db.query(
    `SELECT id, contract_id, audience, recipient, phone, reason, subject, body, created_at FROM notifications
      WHERE contract_id = $1 ORDER BY created_at, id`,
    [contractId],
  );
  return rows.map((row) => ({
    id: row.id,
    contractId: row.contract_id,
    audience: row.audience,
    recipient: row.recipient,
    phone: row.phone,
    reason: row.reason,
    subject: row.subject,
    body: row.body,
    createdAt: (row.created_at as Date).toISOString(),
  }));
}
