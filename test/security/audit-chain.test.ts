/**
 * The audit log is a hash chain (migration 018, db/audit.ts): every append,
 * from parallel transactions too, links to the row before it; the hash is
 * what docs/security.md defines (recomputed here from the row's fields by
 * hand); the migration's backfill gives the rows written before it the same
 * hashes; `npm run audit:verify` exits 0 on an intact chain and names the
 * first broken link (exit 1) after the table owner changes a row with the
 * append-only trigger off, removes one, or a row is inserted directly. The
 * cost of the chain on append is measured against the statement before it.
 */
import type { AuditEventType } from '../../domain/webhook-events';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../db/audit';
import { createDb, type Db } from '../../db/pool';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

let database: TestDatabase;
/** the application's role (sms_app), as the API and worker run */
let appDb: Db;
/** the table owner, who can switch the append-only trigger off */
let owner: pg.Client;

const asAppRole = (url: string) => {
  const u = new URL(url);
  u.searchParams.set('options', '-c role=sms_app');
  return u.toString();
};

beforeAll(async () => {
  database = await createTestDatabase(inject('adminUrl'), inject('templateDb'));
  appDb = createDb({ connectionString: asAppRole(database.url), max: 8 });
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
});
afterAll(async () => {
  await owner?.end();
  await appDb?.close();
  await database?.drop();
});

const actor = { id: 'test-admin', role: 'admin', requestId: 'req-chain' } as const;

/** `npm run audit:verify` against the test database, as the application's role */
async function verifyCommand(): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'audit:verify'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, DATABASE_ROLE: 'sms_app', NODE_ENV: 'test' },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** With the append-only trigger off for one statement, as only the table owner can. */
async function asOwnerWithoutTrigger(sql: string, values: unknown[] = []): Promise<void> {
  await owner.query('BEGIN');
  await owner.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
  await owner.query(sql, values);
  await owner.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update');
  await owner.query('COMMIT');
}

/** The canonical text docs/security.md defines, built here by hand: jsonb's text of the fields in order, the moment in UTC to the µs. */
function canonicalByHand(row: { id: number; atMicros: bigint; contract_id: string | null; type: string; actor_id: string; actor_role: string; request_id: string | null; before: string; after: string; data: string }): string {
  const ms = Number(row.atMicros / 1000n);
  const micros = String(row.atMicros % 1_000_000n).padStart(6, '0');
  const at = `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`;
  const s = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
  return `[${row.id}, ${s(at)}, ${s(row.contract_id)}, ${s(row.type)}, ${s(row.actor_id)}, ${s(row.actor_role)}, ${s(row.request_id)}, ${row.before}, ${row.after}, ${row.data}]`;
}

describe('the audit hash chain', () => {
  it('computes each hash as documented: sha256(prev_hash || canonical text of the row)', async () => {
    await appendAudit(appDb, { type: 'test.first' as AuditEventType, actor, before: { status: 'a' }, after: { status: 'b' }, data: { note: '引号 " and \\ backslash' } });
    await appendAudit(appDb, { type: 'test.second' as AuditEventType, actor: { id: 'system:test', role: 'system' } });
    type Row = { id: number; at_micros: string; contract_id: string | null; type: string; actor_id: string; actor_role: string; request_id: string | null; prev_hash: Buffer | null; hash: Buffer };
    const { rows } = await appDb.query<Row>(
      `SELECT id, (extract(epoch FROM at) * 1000000)::bigint::text AS at_micros, contract_id, type, actor_id, actor_role, request_id, prev_hash, hash
         FROM audit_events ORDER BY id`,
    );
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [Row, Row];
    const texts = [
      { before: '{"status": "a"}', after: '{"status": "b"}', data: '{"note": "引号 \\" and \\\\ backslash"}' },
      { before: 'null', after: 'null', data: '{}' },
    ];
    let prev = Buffer.alloc(0);
    for (const [i, row] of [first, second].entries()) {
      const canonical = canonicalByHand({ ...row, id: Number(row.id), atMicros: BigInt(row.at_micros), ...texts[i]! });
      const expected = createHash('sha256').update(Buffer.concat([prev, Buffer.from(canonical, 'utf8')])).digest();
      expect(row.hash.toString('hex'), `row ${row.id}`).toBe(expected.toString('hex'));
      expect(row.prev_hash === null ? null : row.prev_hash.toString('hex')).toBe(i === 0 ? null : first.hash.toString('hex'));
      prev = expected;
    }
  });

  it('forms one chain in id order from 40 parallel transactions, each writing before and between its appends', async () => {
    const before = (await appDb.query('SELECT count(*)::int AS n FROM audit_events')).rows[0]!.n as number;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        appDb.withTransaction(async (tx) => {
          await tx.query(`INSERT INTO users (id, name, role) VALUES ($1, $2, 'legal')`, [`chain-${i}`, `链${i}`]);
          await tx.query('SELECT pg_sleep($1)', [(i % 5) / 1000]);
          await appendAudit(tx, { type: 'test.parallel' as AuditEventType, actor, data: { i, step: 1 } });
          await tx.query('SELECT pg_sleep($1)', [(i % 3) / 1000]);
          await appendAudit(tx, { type: 'test.parallel' as AuditEventType, actor, data: { i, step: 2 } });
        }),
      ),
    );
    // and outside any transaction (appendAudit makes one)
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendAudit(appDb, { type: 'test.autocommit' as AuditEventType, actor, data: { i } })));
    const report = await verifyAuditChain(appDb);
    expect(report.firstBreak).toBeNull();
    expect(report.rows).toBe(before + 90);
    // each transaction's two appends are adjacent: the second waited for nobody
    const { rows } = await appDb.query(`SELECT data FROM audit_events WHERE type = 'test.parallel' ORDER BY id`);
    for (let k = 0; k < rows.length; k += 2) expect(rows[k + 1]!.data).toEqual({ ...rows[k]!.data, step: 2 });
  });

  it('keeps one chain per contract: an append held open on one contract does not hold up another contract, and each chain links only its own rows', async () => {
    for (const id of ['chain-a', 'chain-b']) {
      await owner.query(`INSERT INTO users (id, name, role) VALUES ('chain-owner', '链测试', 'sales') ON CONFLICT DO NOTHING`);
      await owner.query(
        `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, workflow_id) VALUES ($1, $2, 'chain-owner', 'active', '{}', 'A', 'B', $3)`,
        [id, `SMS-CHAIN-${id}`, `contract-${id}`],
      );
    }
    const held = await appDb.withTransaction(async (tx) => {
      await appendAudit(tx, { type: 'test.held' as AuditEventType, contractId: 'chain-a', actor });
      // while contract A's append is uncommitted, contract B's goes through (a global chain would wait here until the timeout)
      const started = Date.now();
      await Promise.race([
        appendAudit(appDb, { type: 'test.other' as AuditEventType, contractId: 'chain-b', actor }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('contract B waited for contract A')), 3_000)),
      ]);
      return Date.now() - started;
    });
    expect(held).toBeLessThan(3_000);
    await appendAudit(appDb, { type: 'test.after' as AuditEventType, contractId: 'chain-a', actor });
    const { rows } = await owner.query(`SELECT id, contract_id, prev_hash, hash FROM audit_events WHERE contract_id IN ('chain-a', 'chain-b') ORDER BY id`);
    const a = rows.filter((r) => r.contract_id === 'chain-a');
    const b = rows.filter((r) => r.contract_id === 'chain-b');
    expect(a).toHaveLength(2);
    expect(a[0].prev_hash).toBeNull();
    expect(a[1].prev_hash.equals(a[0].hash)).toBe(true);
    expect(b).toHaveLength(1);
    expect(b[0].prev_hash).toBeNull();
    const report = await verifyAuditChain(appDb);
    expect(report.firstBreak).toBeNull();
    expect(report.chains).toBeGreaterThanOrEqual(3);
  });

  it('gives the rows written before migration 018 the hashes an append would have given them (its backfill, in id order)', async () => {
    const { rows: online } = await owner.query('SELECT id, prev_hash, hash FROM audit_events ORDER BY id');
    expect(online.length).toBeGreaterThan(50);
    // as before the migration: no hashes; then the migration's own backfill block
    const migration = readFileSync(join(ROOT, 'db/migrations/018_audit_hash_chain.sql'), 'utf8');
    const backfill = /DO \$\$[\s\S]*?END \$\$;/.exec(migration)![0];
    await asOwnerWithoutTrigger('UPDATE audit_events SET prev_hash = NULL, hash = NULL');
    expect((await verifyAuditChain(appDb)).firstBreak).toMatchObject({ id: Number(online[0]!.id), problem: 'missing_hash' });
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
    await owner.query(backfill);
    await owner.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update');
    await owner.query('COMMIT');
    const { rows: backfilled } = await owner.query('SELECT id, prev_hash, hash FROM audit_events ORDER BY id');
    expect(backfilled).toEqual(online);
  });

  it('npm run audit:verify: exit 0 on the intact chain, then names the first broken link and exits 1', async () => {
    const intact = await verifyCommand();
    expect(intact.code, intact.out).toBe(0);
    const total = (await appDb.query('SELECT count(*)::int AS n, max(id)::int AS last FROM audit_events')).rows[0]!;
    expect(intact.out).toContain(`audit chain intact: ${total.n} rows; head row ${total.last} `);

    const { rows: ids } = await appDb.query<{ id: number }>('SELECT id FROM audit_events ORDER BY id');
    const changed = Number(ids[10]!.id);
    const removed = Number(ids[20]!.id);
    const nextAfterRemoved = Number(ids[21]!.id);

    // the owner rewrites a row's content with the trigger off
    const original = (await owner.query('SELECT data FROM audit_events WHERE id = $1', [changed])).rows[0]!.data;
    await asOwnerWithoutTrigger(`UPDATE audit_events SET data = data || '{"amountFen": 1}' WHERE id = $1`, [changed]);
    const rewritten = await verifyCommand();
    expect(rewritten.code, rewritten.out).toBe(1);
    expect(rewritten.out).toContain(`audit chain broken at row ${changed} (hash_mismatch)`);
    expect((await verifyAuditChain(appDb)).firstBreak).toMatchObject({ id: changed, problem: 'hash_mismatch' });
    await asOwnerWithoutTrigger('UPDATE audit_events SET data = $2 WHERE id = $1', [changed, original]);
    expect((await verifyCommand()).code).toBe(0);

    // the owner removes a row: the next one no longer chains to the one before it
    await owner.query('CREATE TEMP TABLE removed_row AS SELECT * FROM audit_events WHERE id = $1', [removed]);
    await asOwnerWithoutTrigger('DELETE FROM audit_events WHERE id = $1', [removed]);
    const cut = await verifyCommand();
    expect(cut.code, cut.out).toBe(1);
    expect(cut.out).toContain(`audit chain broken at row ${nextAfterRemoved} (prev_hash_mismatch)`);
    expect(cut.out).toContain(`does not chain to row ${Number(ids[19]!.id)}`);
    // put back as it was (to the microsecond): the chain holds again
    await owner.query('INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM removed_row');
    expect((await verifyCommand()).code).toBe(0);

    // a row inserted directly by the application's role, not through appendAudit
    const forged = await appDb.query(`INSERT INTO audit_events (type, actor_id, actor_role) VALUES ('payment.recorded', 'test-finance', 'finance') RETURNING id`);
    const forgedId = Number(forged.rows[0]!.id);
    const found = await verifyCommand();
    expect(found.code, found.out).toBe(1);
    expect(found.out).toContain(`audit chain broken at row ${forgedId} (missing_hash): row ${forgedId} has no hash`);
  });
});

describe('the cost of the chain on append', () => {
  /** the statement appendAudit ran before migration 018 (the webhook fan-out included, with no subscriptions) */
  const UNCHAINED = `WITH ev AS (
       INSERT INTO audit_events (contract_id, type, actor_id, actor_role, request_id, before, after, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id, at, type, contract_id, actor_id, actor_role, request_id, before, after, data
     )
     INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, audit_event_id, body)
     SELECT s.id, 'evt_' || ev.id, ev.type, ev.id, ev.data::text
       FROM ev JOIN webhook_subscriptions s ON s.active AND ev.type = ANY (s.events)`;
  const values = ['c-none', 'bench.append', 'bench', 'admin', 'req', '{"status":"a"}', '{"status":"b"}', '{"n":1}'].map((v, i) => (i === 0 ? null : v));

  it('measures appends per second, unchained and chained, one at a time and from 8 connections', async () => {
    const bench = await createTestDatabase(inject('adminUrl'), inject('templateDb'));
    const db = createDb({ connectionString: asAppRole(bench.url), max: 8 });
    try {
      const N = 1_000;
      const measure = async (connections: number, append: () => Promise<unknown>) => {
        const started = performance.now();
        await Promise.all(Array.from({ length: connections }, async () => {
          for (let i = 0; i < N / connections; i++) await append();
        }));
        return Math.round(N / ((performance.now() - started) / 1000));
      };
      const unchained = () => db.withTransaction((tx) => tx.query(UNCHAINED, values));
      const chained = () => db.withTransaction((tx) => appendAudit(tx, { type: 'bench.append' as AuditEventType, actor: { id: 'bench', role: 'admin', requestId: 'req' }, before: { status: 'a' }, after: { status: 'b' }, data: { n: 1 } }));
      await measure(8, unchained); // warm up both
      await measure(8, chained);
      const figures = {
        sequential: { unchained: await measure(1, unchained), chained: await measure(1, chained) },
        parallel8: { unchained: await measure(8, unchained), chained: await measure(8, chained) },
      };
      console.info(`[audit-chain] appends/s, ${N} each, one transaction per append: ${JSON.stringify(figures)}`);
      for (const f of Object.values(figures)) expect(Math.min(f.unchained, f.chained)).toBeGreaterThan(0);
    } finally {
      await db.close();
      await bench.drop();
    }
  });
});
