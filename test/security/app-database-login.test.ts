/**
 * The application logs in as its own restricted role (sms_app) with its own
 * password: migrations, run as the owner, give the role DATABASE_APP_PASSWORD
 * (db/migrate.ts), and the API, the worker and audit:verify connect as the
 * role itself (platform/database-login.ts). Against a real Postgres: a
 * database migrated with the password, a pool made as api/main.ts makes it.
 *
 * The test server may use trust authentication (127.0.0.1:5432 here), which
 * does not check passwords at all; so the password the migration stored is
 * checked against the role's SCRAM verifier in pg_authid instead (what a
 * scram-sha-256 server, such as compose's postgres image, checks at login).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAudit } from '../../db/audit';
import { migrate } from '../../db/migrate';
import { createDb, type Db } from '../../db/pool';
import { upsertUser } from '../../db/users';
import { loadConfig } from '../../platform/config';
import { appDatabaseLogin, appLoginOf, sharedLoginWarning } from '../../platform/database-login';
import { withAdminClient } from '../support/postgres';

const ROOT = join(__dirname, '../..');
let adminUrl: string;
const name = `sms_contracts_test_login_${randomBytes(5).toString('hex')}`;
/** quotes, a backslash, a percent sign and an at sign: quoted by the server's format('%L'), encoded in the URL */
const password = `it's a "test" \\ 100% @pass-${randomBytes(6).toString('hex')}`;
let databaseUrl: string;
let owner: Db;
let app: Db;

beforeAll(async () => {
  adminUrl = inject('adminUrl');
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  databaseUrl = u.toString();
  // as scripts/migrate.ts (and npm start) run it: as DATABASE_URL's user, then the role's password
  const config = loadConfig({ DATABASE_URL: databaseUrl, DATABASE_APP_PASSWORD: password, NODE_ENV: 'test' });
  owner = createDb({ connectionString: databaseUrl, max: 1 });
  await migrate(owner, undefined, { appLogin: appLoginOf(config) });
  // as api/main.ts and worker/main.ts make their pool
  app = createDb({ ...appDatabaseLogin(config.databaseUrl!, config), max: 3, applicationName: 'sms-contracts-api' });
});
afterAll(async () => {
  await app?.close();
  await owner?.close();
  await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
});

/** a statement's error code, or null when it succeeded */
const refusedWith = (run: Promise<unknown>) =>
  run.then(
    () => null,
    (e: { code?: string; message: string }) => e,
  );

/** one pooled connection, for statements that must share a session */
async function onOneConnection<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release(true);
  }
}

/** whether `candidate` is the password of the SCRAM-SHA-256 verifier `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (RFC 5802, RFC 7677) */
function scramVerifierMatches(verifier: string, candidate: string): boolean {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!match) throw new Error(`not a SCRAM-SHA-256 verifier: ${verifier.slice(0, 16)}…`);
  const salted = pbkdf2Sync(candidate.normalize('NFKC'), Buffer.from(match[2]!, 'base64'), Number(match[1]), 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest();
  return timingSafeEqual(storedKey, Buffer.from(match[3]!, 'base64'));
}

describe('the application logs in as its own role', () => {
  it('derives the login from DATABASE_URL: the role and its password on the same server and database, no SET ROLE', () => {
    const settings = { databaseRole: 'sms_app', databaseAppPassword: password };
    const login = appDatabaseLogin('postgres://owner:owner-secret@db.internal:6543/sms_contracts?sslmode=require', settings);
    expect(login.role).toBeUndefined();
    const u = new URL(login.connectionString);
    expect([u.hostname, u.port, u.pathname, u.searchParams.get('sslmode')]).toEqual(['db.internal', '6543', '/sms_contracts', 'require']);
    expect(decodeURIComponent(u.username)).toBe('sms_app');
    expect(decodeURIComponent(u.password)).toBe(password);
    expect(login.connectionString).not.toContain('owner-secret');
    // without a password: DATABASE_URL's user, then SET ROLE, as before
    expect(appDatabaseLogin('postgres://owner@db/x', { databaseRole: 'sms_app', databaseAppPassword: undefined })).toEqual({ connectionString: 'postgres://owner@db/x', role: 'sms_app' });
  });

  it('reads DATABASE_APP_PASSWORD, refuses it without a role or when short, and warns in production without it', () => {
    expect(loadConfig({ DATABASE_APP_PASSWORD: password }).databaseAppPassword).toBe(password.trim());
    expect(() => loadConfig({ DATABASE_APP_PASSWORD: password, DATABASE_ROLE: '' })).toThrow(/DATABASE_APP_PASSWORD: is the password of DATABASE_ROLE, which is empty/);
    expect(() => loadConfig({ DATABASE_APP_PASSWORD: 'short' })).toThrow(/DATABASE_APP_PASSWORD: must be at least 16 characters/);
    expect(sharedLoginWarning(loadConfig({ NODE_ENV: 'production' }))).toMatch(/DATABASE_APP_PASSWORD is unset: the application logs in as DATABASE_URL's user/);
    expect(sharedLoginWarning(loadConfig({ NODE_ENV: 'production', DATABASE_APP_PASSWORD: password }))).toBeUndefined();
    expect(sharedLoginWarning(loadConfig({ NODE_ENV: 'development' }))).toBeUndefined();
  });

  it('has the migration store exactly that password for the role (its SCRAM verifier), built by the server', async () => {
    const { rows } = await withAdminClient(adminUrl, (c) => c.query(`SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = 'sms_app'`));
    expect(rows[0]!.rolcanlogin).toBe(true);
    expect(scramVerifierMatches(rows[0]!.rolpassword as string, password)).toBe(true);
    expect(scramVerifierMatches(rows[0]!.rolpassword as string, `${password}x`)).toBe(false);
    // the migration module builds no ALTER ROLE text of its own: format('%I', '%L') on the server does
    const source = readFileSync(join(ROOT, 'db/migrate.ts'), 'utf8');
    expect(source).toContain(`format('ALTER ROLE %I LOGIN PASSWORD %L'`);
    expect(source).not.toMatch(/`ALTER ROLE \$\{/);
  });

  it('is sms_app for session_user and current_user, and stays sms_app after RESET ROLE', async () => {
    const { rows } = await app.query('SELECT current_user, session_user');
    expect(rows[0]).toEqual({ current_user: 'sms_app', session_user: 'sms_app' });
    const after = await onOneConnection(app, async (client) => {
      await client.query('RESET ROLE');
      await client.query('SET ROLE NONE');
      return (await client.query('SELECT current_user, session_user')).rows[0];
    });
    expect(after).toEqual({ current_user: 'sms_app', session_user: 'sms_app' });
    // the owner cannot be reached: switching role is refused
    const ownerRole = (await owner.query('SELECT current_user AS name')).rows[0]!.name as string;
    const switched = await onOneConnection(app, (client) => refusedWith(client.query(`SET ROLE "${ownerRole.replace(/"/g, '""')}"`)));
    expect(switched?.code).toBe('42501');
  });

  it('is refused changing, removing or un-triggering the audit log (permission denied)', async () => {
    await appendAudit(owner, { type: 'user.created', actor: { id: 'test-admin', role: 'admin' }, after: { id: 'u-before' } });
    for (const sql of [
      `UPDATE audit_events SET type = 'forged.event'`,
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
      'ALTER TABLE audit_events DISABLE TRIGGER ALL',
      'DROP TABLE audit_events',
    ]) {
      const error = await refusedWith(app.query(sql));
      expect(error, `${sql} should be refused`).not.toBeNull();
      // 42501 insufficient_privilege: permission denied, or "must be owner of table audit_events"
      expect(error!.code, sql).toBe('42501');
    }
  });

  it('does what the application does: writes its tables and appends to the audit log', async () => {
    await upsertUser(app, { id: 'u-login-test', name: '登录测试', role: 'legal', organisation: null });
    await app.withTransaction((tx) => appendAudit(tx, { type: 'user.created', actor: { id: 'test-admin', role: 'admin' }, after: { id: 'u-login-test' } }));
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'user.created'`);
    expect(rows[0]!.n).toBe(2);
  });

  it('without DATABASE_APP_PASSWORD keeps the shared login, where SET ROLE NONE reaches the owner: what the own login closes', async () => {
    const shared = createDb({ ...appDatabaseLogin(databaseUrl, { databaseRole: 'sms_app', databaseAppPassword: undefined }), max: 1 });
    try {
      const before = (await shared.query('SELECT current_user, session_user')).rows[0]!;
      expect(before.current_user).toBe('sms_app');
      expect(before.session_user).not.toBe('sms_app');
      const after = await onOneConnection(shared, async (client) => {
        // RESET ROLE returns to the role the connection's options set; SET ROLE NONE to the session's user
        await client.query('RESET ROLE');
        const reset = (await client.query('SELECT current_user')).rows[0]!.current_user as string;
        await client.query('SET ROLE NONE');
        return { reset, none: (await client.query('SELECT current_user')).rows[0]!.current_user as string };
      });
      expect(after).toEqual({ reset: 'sms_app', none: before.session_user });
    } finally {
      await shared.close();
    }
  });
});

describe('docker-compose.yml', () => {
  it('runs the migrations as the owner and the worker and the API as sms_app with its password, never with the owner\'s', () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const appEnv = compose.slice(compose.indexOf('x-app-env: &appenv'), compose.indexOf('\nservices:'));
    expect(appEnv).toMatch(/DATABASE_URL: postgres:\/\/sms_app@postgres:5432\/sms_contracts\n/);
    expect(appEnv).toMatch(/DATABASE_APP_PASSWORD: \$\{DATABASE_APP_PASSWORD:\?/);
    const migrate = compose.slice(compose.indexOf('\n  migrate:'), compose.indexOf('\n  worker:'));
    expect(migrate).toMatch(/scripts\/migrate\.ts/);
    expect(migrate).toMatch(/DATABASE_URL: postgres:\/\/sms:sms@postgres/);
    expect(migrate).toMatch(/DATABASE_APP_PASSWORD: \$\{DATABASE_APP_PASSWORD:\?/);
    for (const service of ['worker', 'api']) {
      const start = compose.indexOf(`\n  ${service}:`);
      const block = compose.slice(start, compose.indexOf('\n\n', start));
      expect(block, service).toMatch(/migrate: \{ condition: service_completed_successfully \}/);
      expect(block, service).not.toMatch(/scripts\/migrate\.ts|sms:sms@/);
      expect(block, service).toMatch(/<<: \*appenv/);
    }
  });
});
