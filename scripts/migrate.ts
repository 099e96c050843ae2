/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (as its user,
 * the schema's owner); with DATABASE_APP_PASSWORD, then gives DATABASE_ROLE
 * that password, the login the API and the worker use.
 */
import { migrate } from '../db/migrate';
import { createDb } from '../db/pool';
import { loadConfig } from '../platform/config';
import { appLoginOf } from '../platform/database-login';

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set');
  const db = createDb({ connectionString: config.databaseUrl, max: 1 });
  const appLogin = appLoginOf(config);
  const applied = await migrate(db, undefined, { appLogin });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
  if (appLogin) console.log(`the database role ${appLogin.role} logs in with DATABASE_APP_PASSWORD`);
  await db.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
