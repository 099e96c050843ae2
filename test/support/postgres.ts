/**
 * Real Postgres for tests: TEST_DATABASE_URL, else the server on
 * 127.0.0.1:5432, else an embedded one under .data/ (always the embedded one
 * with TEST_POSTGRES=embedded). Each test file gets its
 * own database, cloned from a migrated template.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../../db/pool';
import { startEmbeddedPostgres } from '../../platform/embedded-postgres';

export const templateDbName = () => `sms_contracts_test_template_${process.pid}`;
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function withAdminClient<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function resolveAdminUrl(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  // a server of the run's own, started by (and so on the clock of) this process: npm run test:dates shifts it
  if (process.env.TEST_POSTGRES === 'embedded') {
    const embedded = await startEmbeddedPostgres({ dataDir: resolve(__dirname, '../../.data/test-embedded'), port: Number(process.env.TEST_POSTGRES_PORT ?? 5435) });
    return { adminUrl: embedded.url('postgres'), stop: embedded.stop };
  }
  const candidate = process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  try {
    await withAdminClient(candidate, (c) => c.query('SELECT 1'));
    return { adminUrl: candidate, stop: async () => undefined };
  } catch (error) {
    if (process.env.TEST_DATABASE_URL) throw error;
    const embedded = await startEmbeddedPostgres({ dataDir: resolve(__dirname, '../../.data/test'), port: 5434 });
    return { adminUrl: embedded.url('postgres'), stop: embedded.stop };
  }
}

export type TestDatabase = { db: Db; url: string; name: string; drop: () => Promise<void> };

/** A fresh database for one test file, migrated (cloned from the template). */
export async function createTestDatabase(adminUrl: string, templateDb: string): Promise<TestDatabase> {
  const name = `sms_contracts_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb({ connectionString: url, max: 5 });
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.close();
      await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
