/**
 * Runs once before all test files: makes sure the Temporal binaries are
 * installed, prepares a migrated template database (each test file clones
 * it into a fresh database), and bundles the workflows once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { migrate } from '../../db/migrate';
import { createDb } from '../../db/pool';
import { loadActorAssertionKey } from '../../platform/actor-key';
import { loadConfig } from '../../platform/config';
import { workflowBundleOptions } from '../../worker';
import { resolveAdminUrl, templateDbName, withAdminClient } from './postgres';

const ROOT = resolve(__dirname, '../..');

export default async function setup(project: TestProject) {
  execFileSync(process.execPath, [join(ROOT, 'scripts/install-temporal.mjs')], { stdio: 'inherit' });

  const { adminUrl, stop } = await resolveAdminUrl();
  // one template per run, so runs on the same server never drop each other's
  const TEMPLATE_DB = templateDbName();
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEMPLATE_DB]);
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  const db = createDb({ connectionString: withDatabase(adminUrl, TEMPLATE_DB), max: 1 });
  await migrate(db);
  await db.close();

  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  // the product's bundle: the update interceptor with the run's key (vitest.config.mts sets ACTOR_ASSERTION_KEY)
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(loadActorAssertionKey(loadConfig())), logger: quietLogger });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', TEMPLATE_DB);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`)).catch(() => undefined);
    await stop();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    workflowBundlePath: string;
  }
}
