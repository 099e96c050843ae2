/**
 * Forward-only migrations: numbered, immutable .sql files in db/migrations,
 * each applied once, in order, inside a transaction, under an advisory lock
 * so concurrent starters do not race. Run as the schema's owner; given the
 * application's login (platform/database-login.ts), they then give the
 * application's role its password, so that the API and the worker log in as
 * that role itself.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Queryable } from './pool';

const MIGRATIONS_DIR = join(__dirname, 'migrations');
const LOCK_KEY = 72_017_401;

export type Migration = { version: number; name: string; sql: string; checksum: string };

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export type MigrateOptions = {
  /** the application's role and its password, set (LOGIN PASSWORD) after the migrations are applied */
  appLogin?: { role: string; password: string };
};

export async function migrate(db: Db, dir = MIGRATIONS_DIR, options: MigrateOptions = {}): Promise<string[]> {
  const applied: string[] = [];
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; checksum: string; name: string }>('SELECT version, checksum, name FROM schema_migrations');
    const done = new Map(rows.map((row) => [row.version, row]));
    for (const migration of listMigrations(dir)) {
      const previous = done.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    if (options.appLogin) {
      try {
        await setRolePassword(client, options.appLogin.role, options.appLogin.password);
      } catch (error) {
        throw new Error(`setting the password of the database role ${options.appLogin.role} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}

/**
 * Gives the role LOGIN and this password (the connecting user must be a
 * superuser or hold CREATEROLE with ADMIN on it). The statement is built by
 * the server: the role and the password reach it as parameters (transaction-
 * local settings) and `format('%I', '%L')` quotes them; neither is ever
 * spliced into SQL text here, and the DO block's text, which a statement log
 * would show, holds neither.
 */
export async function setRolePassword(db: Queryable, role: string, password: string): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query(`SELECT set_config('sms_contracts.login_role', $1, true), set_config('sms_contracts.login_password', $2, true)`, [role, password]);
    await db.query(`DO $$
      BEGIN
        EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', current_setting('sms_contracts.login_role'), current_setting('sms_contracts.login_password'));
      END $$`);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Creates the database if it does not exist (connecting to the server's `postgres` database). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
