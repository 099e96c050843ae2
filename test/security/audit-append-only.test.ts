/**
 * The audit log is append-only for the application: connected as its
 * database role (sms_app, migration 006) it can add audit events but not
 * change, remove or truncate them, while the app itself works fully under
 * that role. Each event records actor, role, request id, before and after.
 */
import pg from 'pg';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createDb, type Db } from '../../db/pool';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let appDb: Db;
let client: pg.Client;

/** the test database, every session running as sms_app */
const asAppRole = (url: string) => {
  const u = new URL(url);
  u.searchParams.set('options', '-c role=sms_app');
  return u.toString();
};

beforeAll(async () => {
  h = await createHarness();
  appDb = createDb({ connectionString: asAppRole(h.database.url), max: 3 });
  client = new pg.Client({ connectionString: h.database.url });
  await client.connect();
  await client.query('SET ROLE sms_app');
});
afterAll(async () => {
  await client?.end();
  await appDb?.close();
  await h?.close();
});

async function expectDenied(sql: string) {
  const error = await client.query(sql).then(
    () => null,
    (e: { code?: string; message: string }) => e,
  );
  expect(error, `${sql} should be refused`).not.toBeNull();
  // 42501 insufficient_privilege: the grant is missing (and the trigger raises the same code for other roles)
  expect(error!.code).toBe('42501');
}

describe('the audit log under the application role', () => {
  it('is a usable login role with no superuser or owner rights', async () => {
    const { rows } = await client.query(`SELECT current_user, r.rolcanlogin, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb
                                           FROM pg_roles r WHERE r.rolname = current_user`);
    expect(rows[0]!).toEqual({ current_user: 'sms_app', rolcanlogin: true, rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
    const owner = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'sms_app'`);
    expect(owner.rows[0]!.n).toBe(0);
  });

  it('may INSERT audit events but not UPDATE, DELETE or TRUNCATE them', async () => {
    const inserted = await client.query(
      `INSERT INTO audit_events (type, actor_id, actor_role, request_id, before, after) VALUES ('test.appended', 'test-admin', 'admin', 'req-append-1', '{"a":1}', '{"a":2}') RETURNING id`,
    );
    const id = inserted.rows[0]!.id;
    await expectDenied(`UPDATE audit_events SET type = 'tampered' WHERE id = ${id}`);
    await expectDenied(`DELETE FROM audit_events WHERE id = ${id}`);
    await expectDenied('TRUNCATE audit_events');
    const { rows } = await client.query('SELECT type, before, after FROM audit_events WHERE id = $1', [id]);
    expect(rows[0]!).toEqual({ type: 'test.appended', before: { a: 1 }, after: { a: 2 } });
  });

  it('keeps UPDATE and DELETE on the other tables (the app needs them) and has no rights on the migration ledger', async () => {
    const { rows } = await client.query(`
      SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
        FROM information_schema.role_table_grants WHERE grantee = 'sms_app' GROUP BY table_name`);
    const grants = Object.fromEntries(rows.map((r) => [r.table_name, r.privileges]));
    expect(grants.audit_events).toBe('INSERT,SELECT');
    for (const table of ['contracts', 'invoices', 'idempotency_keys', 'webhook_deliveries']) expect(grants[table], table).toBe('DELETE,INSERT,SELECT,UPDATE');
    expect(grants.schema_migrations ?? '').not.toMatch(/INSERT|UPDATE|DELETE/);
  });

  it('refuses UPDATE and DELETE even to the owner (the trigger), so a compromised migration role cannot rewrite history either', async () => {
    const owner = new pg.Client({ connectionString: h.database.url });
    await owner.connect();
    try {
      await owner.query(`INSERT INTO audit_events (type, actor_id, actor_role) VALUES ('test.owner', 'x', 'admin')`);
      await expect(owner.query(`UPDATE audit_events SET type = 'tampered' WHERE type = 'test.owner'`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM audit_events WHERE type = 'test.owner'`)).rejects.toThrow(/append-only/);
      await expect(owner.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });

  it('runs the API as sms_app and records actor, role, request id, before and after for each mutation', async () => {
    const app = createApp({ ...h.deps, db: appDb });
    const as = (role: 'sales' | 'admin') => (t: supertest.Test) => t.set('Authorization', `Bearer ${h.tokens[role]}`);

    const user = await as('admin')(supertest(app).post('/api/users').set('X-Request-Id', 'req-user-1')).send({ name: '审计测试', role: 'legal' });
    expect(user.status, JSON.stringify(user.body)).toBe(201);

    const template = await as('sales')(supertest(app).get('/api/templates/reference')).expect(200);
    const created = await as('sales')(supertest(app).post('/api/contracts').set('X-Request-Id', 'req-create-1').set('Idempotency-Key', 'audit-1')).send(template.body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    for (const [party, rid] of [['A', 'req-sign-a'], ['B', 'req-sign-b']] as const) {
      const signed = await as('sales')(supertest(app).post(`/api/contracts/${id}/signatures`).set('X-Request-Id', rid)).send({
        party,
        signer: party === 'A' ? '张示例' : '王示例',
        title: '代表',
        sealed: true,
      });
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    }

    const { rows } = await appDb.query(
      `SELECT type, actor_id, actor_role, request_id, before, after FROM audit_events WHERE contract_id = $1 OR request_id = 'req-user-1' ORDER BY id`,
      [id],
    );
    const byType = (type: string) => rows.filter((r) => r.type === type);
    expect(byType('user.created')[0]).toMatchObject({ actor_id: h.users.admin, actor_role: 'admin', request_id: 'req-user-1', before: null, after: { name: '审计测试', role: 'legal' } });
    expect(byType('contract.created')[0]).toMatchObject({ actor_id: h.users.sales, actor_role: 'sales', request_id: 'req-create-1', after: { status: 'awaiting_signatures' } });
    expect(byType('contract.signed_by_party').map((r) => r.request_id).sort()).toEqual(['req-sign-a', 'req-sign-b']);
    const activated = byType('contract.activated');
    expect(activated).toHaveLength(1);
    expect(activated[0]).toMatchObject({ actor_id: h.users.sales, actor_role: 'sales', before: { status: 'awaiting_signatures' }, after: { status: 'active' } });
    expect(['req-sign-a', 'req-sign-b']).toContain(activated[0]!.request_id);
  });
});
