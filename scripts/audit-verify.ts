/**
 * `npm run audit:verify`: walks the audit log's hash chain (migration 018,
 * db/audit.ts verifyAuditChain) on DATABASE_URL and reports the first broken
 * link: the row id and what differs. Exit code 0 when every link holds, 1
 * when one does not (or the check could not run). There is a chain per
 * contract; it prints the head (last id and hash) and the root (a hash over
 * every chain's last hash) so it can be recorded elsewhere: a chain cut short
 * at its end is noticed only against such a record.
 */
import { verifyAuditChain } from '../db/audit';
import { createDb } from '../db/pool';
import { loadConfig } from '../platform/config';
import { appDatabaseLogin } from '../platform/database-login';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set (the database npm start or the deployment uses)');
  // read-only: the application's role may read the whole log (its own login with DATABASE_APP_PASSWORD)
  const db = createDb({ ...appDatabaseLogin(config.databaseUrl, config), max: 1, applicationName: 'sms-contracts-audit-verify' });
  try {
    const report = await verifyAuditChain(db);
    const head = report.head ? `head row ${report.head.id} ${report.head.hash}` : 'no rows';
    if (!report.firstBreak) {
      console.log(`audit chain intact: ${report.rows} rows; ${head}; ${report.chains} chains, root ${report.root ?? '(none)'}`);
      return 0;
    }
    const b = report.firstBreak;
    console.error(`audit chain broken at row ${b.id} (${b.problem}): ${b.detail}`);
    if (b.expected !== null || b.found !== null) console.error(`  expected ${b.expected ?? '(none)'}\n  found    ${b.found ?? '(none)'}`);
    console.error(`  ${report.rows - 1} rows before it hold; last good: ${head}`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`audit chain not verified: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
