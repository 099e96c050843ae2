/**
 * The audit log: a discriminated union of events, written in the same
 * transaction as the change each describes. The table rejects UPDATE and DELETE.
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

export async function appendAudit(db: Queryable, event: AuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (contract_id, type, actor_id, actor_role, request_id, before, after, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
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
