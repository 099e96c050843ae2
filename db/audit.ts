/**
 * The audit log: a discriminated union of events, written in the same
 * transaction as the change each describes. The table rejects UPDATE and DELETE.
 * Each event also enqueues its outgoing webhooks (db/webhooks.ts).
 */
import type { Actor } from '../domain/contract';
import type { AuditEventType } from '../domain/webhook-events';
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './pool';

/**
 * The advisory lock class appends take turns on (pg_advisory_xact_lock(class,
 * hashtext(contract id))): one chain per contract (the events without a
 * contract form one more), so appends to different contracts never wait for
 * each other.
 */
export const AUDIT_CHAIN_LOCK = 72_017_402;

const isDb = (db: Queryable): db is Db => typeof (db as Partial<Db>).withTransaction === 'function';

export type AuditEvent = {
  /** one of the published event types (domain/webhook-events.ts) */
  type: AuditEventType;
  contractId?: string | null;
  actor: Actor;
  before?: unknown;
  after?: unknown;
  data?: Record<string, unknown>;
  /**
   * Facts only webhook subscribers get, merged into the delivery's `data` and
   * never written to the audit log (which the contract timeline shows to
   * every role): e.g. the phone number that opted out.
   */
  webhook?: Record<string, unknown>;
};

/**
 * Appends the event and, in the same statement (so in the caller's
 * transaction), enqueues one outgoing webhook delivery per active
 * subscription that wants this event type (exact type, `family.*` or `*`).
 * The delivery body is fixed here: every attempt sends the same bytes and
 * the same event id (`evt_<audit id>`, the `webhook-id` receivers
 * deduplicate on). Its shape is the Standard Webhooks payload (`type`,
 * `timestamp` of the event, `data`) with our metadata beside it; the
 * published types and their data are domain/webhook-events.ts.
 *
 * The row is chained (migration 018): it carries the hash of the row before
 * it and its own, sha256(prev_hash || the canonical text of its fields);
 * `verifyAuditChain` (npm run audit:verify) checks every link.
 */
export async function appendAudit(db: Queryable, event: AuditEvent): Promise<void> {
  // the chain lock is held until the transaction ends: outside one, make one (an autocommit would release it at once)
  if (isDb(db)) return db.withTransaction((tx) => appendAudit(tx, event));
  // the contract's chain: its appends take turns, each until its transaction commits (a predecessor that rolled back
  // would break the chain); taken in its own statement so the INSERT's snapshot sees the row the previous holder committed
  await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [AUDIT_CHAIN_LOCK, event.contractId ?? '']);
  await db.query(
    `WITH fresh AS (
       SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) AS id, now() AS at,
              CASE WHEN $1::text IS NULL THEN (SELECT hash FROM audit_events WHERE contract_id IS NULL ORDER BY id DESC LIMIT 1)
                   ELSE (SELECT hash FROM audit_events WHERE contract_id = $1 ORDER BY id DESC LIMIT 1) END AS prev_hash
     ),
     ev AS (
       INSERT INTO audit_events (id, at, contract_id, type, actor_id, actor_role, request_id, before, after, data, prev_hash, hash)
       OVERRIDING SYSTEM VALUE
       SELECT f.id, f.at, $1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, f.prev_hash,
              sha256(coalesce(f.prev_hash, '\\x'::bytea) || convert_to(audit_event_canonical(f.id, f.at, $1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb), 'UTF8'))
         FROM fresh f
       RETURNING id, at, type, contract_id, actor_id, actor_role, request_id, before, after, data
     )
     INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, audit_event_id, body)
     SELECT s.id, 'evt_' || ev.id, ev.type, ev.id,
            jsonb_build_object(
              'id', 'evt_' || ev.id,
              'type', ev.type,
              'timestamp', to_char(ev.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'contractId', ev.contract_id,
              'contractNumber', (SELECT c.number FROM contracts c WHERE c.id = ev.contract_id),
              'actor', jsonb_build_object('id', ev.actor_id, 'role', ev.actor_role),
              'requestId', ev.request_id,
              'before', ev.before,
              'after', ev.after,
              'data', ev.data || $9::jsonb
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
      JSON.stringify(event.webhook ?? {}),
    ],
  );
}

export type AuditRow = {
  id: number;
  at: string;
  type: string;
  actorId: string;
  /** the acting user's name, null for the system (`system:…`) or a user no longer known */
  actorName: string | null;
  actorRole: string;
  requestId: string | null;
  before: unknown;
  after: unknown;
  data: Record<string, unknown>;
};

export async function listAuditForContract(db: Queryable, contractId: string): Promise<AuditRow[]> {
  const { rows } = await db.query(
    `SELECT a.id, a.at, a.type, a.actor_id, u.name AS actor_name, a.actor_role, a.request_id, a.before, a.after, a.data
       FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id WHERE a.contract_id = $1 ORDER BY a.id`,
    [contractId],
  );
  return rows.map((row) => ({
    id: row.id,
    at: (row.at as Date).toISOString(),
    type: row.type,
    actorId: row.actor_id,
    actorName: (row.actor_name as string | null) ?? null,
    actorRole: row.actor_role,
    requestId: row.request_id,
    before: row.before,
    after: row.after,
    data: row.data,
  }));
}

export type AuditChainBreak = {
  /** the first row whose link does not hold */
  id: number;
  problem: 'missing_hash' | 'prev_hash_mismatch' | 'hash_mismatch';
  /** hex: what the chain says it should be, and what the row holds */
  expected: string | null;
  found: string | null;
  detail: string;
};

export type AuditChainReport = {
  rows: number;
  /** how many chains (one per contract, one for the events without a contract) */
  chains: number;
  /** the last row checked and its hash */
  head: { id: number; hash: string } | null;
  /**
   * sha256 over every chain's last hash, in chain order: record it elsewhere
   * (where the table's owner cannot write) to notice a removed tail later
   */
  root: string | null;
  firstBreak: AuditChainBreak | null;
};

const hex = (value: Buffer | null) => (value ? value.toString('hex') : null);

/**
 * Walks every chain (one per contract, one for events without a contract) in
 * id order and recomputes each hash here (node's SHA-256 over Postgres's
 * canonical text of the row), independently of the INSERT that wrote it.
 * Stops at the first broken link.
 */
export async function verifyAuditChain(db: Queryable, options: { batchSize?: number } = {}): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? 5_000;
  let rows = 0;
  let last = null as { id: number; hash: Buffer } | null;
  /** each chain's last row, by contract id ('' for the events without one) */
  const heads = new Map<string, { id: number; hash: Buffer }>();
  const report = (firstBreak: AuditChainBreak | null): AuditChainReport => {
    const chains = [...heads.keys()].sort();
    const root = chains.length ? createHash('sha256').update(Buffer.concat(chains.map((k) => heads.get(k)!.hash))).digest('hex') : null;
    return { rows, chains: chains.length, head: last ? { id: last.id, hash: last.hash.toString('hex') } : null, root, firstBreak };
  };
  let afterId = 0;
  for (;;) {
    const batch = await db.query<{ id: number; contract_id: string | null; prev_hash: Buffer | null; hash: Buffer | null; canonical: string }>(
      `SELECT id, contract_id, prev_hash, hash,
              audit_event_canonical(id, at, contract_id, type, actor_id, actor_role, request_id, before, after, data) AS canonical
         FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, batchSize],
    );
    for (const row of batch.rows) {
      rows++;
      const id = Number(row.id);
      const chain = row.contract_id ?? '';
      const previous = heads.get(chain) ?? null;
      const what = row.contract_id ? `contract ${row.contract_id}'s chain` : 'the chain of events without a contract';
      const broken = (problem: AuditChainBreak['problem'], expected: string | null, found: string | null, detail: string) => report({ id, problem, expected, found, detail });
      if (!row.hash) {
        return broken('missing_hash', null, null, `row ${id} has no hash: it was inserted directly, not through appendAudit`);
      }
      const expectedPrev: Buffer | null = previous ? previous.hash : null;
      if (hex(row.prev_hash) !== hex(expectedPrev)) {
        return broken(
          'prev_hash_mismatch',
          hex(expectedPrev),
          hex(row.prev_hash),
          previous
            ? `row ${id} does not chain to row ${previous.id} in ${what}: its prev_hash is not that row's hash (a row between them was removed, or an earlier row rewritten with its hash)`
            : `row ${id} is the first row of ${what} but carries a prev_hash (the rows before it were removed)`,
        );
      }
      const computed: Buffer = createHash('sha256')
        .update(Buffer.concat([expectedPrev ?? Buffer.alloc(0), Buffer.from(row.canonical, 'utf8')]))
        .digest();
      if (!computed.equals(row.hash)) {
        return broken('hash_mismatch', computed.toString('hex'), row.hash.toString('hex'), `row ${id}'s content does not match its hash: it was changed after it was written`);
      }
      heads.set(chain, { id, hash: row.hash });
      last = { id, hash: row.hash };
    }
    if (batch.rows.length < batchSize) break;
    afterId = Number(batch.rows[batch.rows.length - 1]!.id);
  }
  return report(null);
}
