/**
 * The audit log: a discriminated union of events, written in the same
 * transaction as the change each describes. The table rejects UPDATE and DELETE.
 * Each event also enqueues its outgoing webhooks (db/webhooks.ts).
 */
import type { Actor } from '../domain/contract';
import type { Queryable } from './pool';

export type AuditEvent = {
  type: string;
  contractId?: string | null;
  actor: Actor;
  before?: unknown;
  after?: unknown;
  data?: Record<string, unknown>;
};

/**
 * Appends the event and, in the same statement (so in the caller's
 * transaction), enqueues one outgoing webhook delivery per active
 * subscription that wants this event type (exact type, `family.*` or `*`).
 * The delivery body is fixed here: every attempt sends the same bytes and
 * the same event id (`evt_<audit id>`), which receivers deduplicate on.
 */
export async function appendAudit(db: Queryable, event: AuditEvent): Promise<void> {
  await db.query(
    `WITH ev AS (
       INSERT INTO audit_events (contract_id, type, actor_id, actor_role, request_id, before, after, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id, at, type, contract_id, actor_id, actor_role, request_id, before, after, data
     )
     INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, audit_event_id, body)
     SELECT s.id, 'evt_' || ev.id, ev.type, ev.id,
            jsonb_build_object(
              'id', 'evt_' || ev.id,
              'type', ev.type,
              'occurredAt', to_char(ev.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'contractId', ev.contract_id,
              'actor', jsonb_build_object('id', ev.actor_id, 'role', ev.actor_role),
              'requestId', ev.request_id,
              'before', ev.before,
              'after', ev.after,
              'data', ev.data
            )::text
       FROM ev JOIN webhook_subscriptions s
         ON s.active AND (ev.type = ANY (s.events) OR '*' = ANY (s.events) OR split_part(ev.type, '.', 1) || '.*' = ANY (s.events))`,
    [
      event.contractId ?? null,
      event.type,
      event.actor.id,
      event.actor.role,
      event.actor.requestId ?? null,
      event.before === undefined ? null : JSON.stringify(event.before),
      event.after === undefined ? null : JSON.stringify(event.after),
      JSON.stringify(event.data ?? {}),
    ],
  );
}

export type AuditRow = {
  id: number;
  at: string;
  type: string;
  actorId: string;
  actorRole: string;
  requestId: string | null;
  before: unknown;
  after: unknown;
  data: Record<string, unknown>;
};

export async function listAuditForContract(db: Queryable, contractId: string): Promise<AuditRow[]> {
  const { rows } = await db.query(
    `SELECT id, at, type, actor_id, actor_role, request_id, before, after, data
       FROM audit_events WHERE contract_id = $1 ORDER BY id`,
    [contractId],
  );
  return rows.map((row) => ({
    id: row.id,
    at: (row.at as Date).toISOString(),
    type: row.type,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    requestId: row.request_id,
    before: row.before,
    after: row.after,
    data: row.data,
  }));
}
