/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
import { migrate } from '../db/migrate';
import { createDb } from '../db/pool';
import { loadConfig } from '../platform/config';

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set');
  const db = createDb({ connectionString: config.databaseUrl, max: 1 });
  const applied = await migrate(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
  await db.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
