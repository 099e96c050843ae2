/**
 * `npm start`: the whole system on embedded defaults.
 *   - Postgres: DATABASE_URL, or an embedded PostgreSQL with its data in DATA_DIR
 *   - Temporal: TEMPORAL_ADDRESS, or the Temporal dev server (with its web UI) persisting to DATA_DIR
 *   - SMS: SMPP_URL, or (development only) the SMSC simulator of tools/smsc/ as a child process,
 *     the worker pointed at it; with NODE_ENV=production SMPP_URL is required and no simulator runs
 *   - migrations (as DATABASE_URL's user, the owner), then the worker and the API (which also serves the
 *     console) as child processes, logged in as the application's role DATABASE_ROLE with its own password:
 *     DATABASE_APP_PASSWORD, or, for the embedded PostgreSQL, one made once in DATA_DIR/db-app-password
 * Ctrl-C (or SIGTERM) stops everything it started, in order, and exits 0.
 * Any failure to start is one line on stderr naming the cause and the way out
 * (the port and its holder, the variable to set: platform/start-failures.ts),
 * then everything started so far is stopped and it exits 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection, type TLSConfig } from '@temporalio/client';
import { migrate } from '../db/migrate';
import { createDb } from '../db/pool';
import { findPasswordLogin, findUserByToken, registerToken, setLogin, upsertUser, type Role } from '../db/users';
import { REFERENCE_PARTY_A_CREDIT_CODE, REFERENCE_TERMS } from '../domain/terms';
import { ConfigError, loadConfig } from '../platform/config';
import { generatePassword, hashPassword, verifyPassword } from '../platform/passwords';
import { appLoginOf } from '../platform/database-login';
import { ensureDatabase } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../platform/embedded-postgres';
import { describeTakenPort, takenPorts } from '../platform/ports';
import { loadSmsSettings, type SmsSettings } from '../platform/sms-config';
import { explainChildExit, explainConfigError, explainMissingSmppUrl, explainPlaintextTemporal, explainPostgresFailure, explainTemporalExit, tailOf } from '../platform/start-failures';
import { temporalConnectionOptions } from '../platform/temporal';
import { findExecutable } from '../platform/temporal-binaries';
import { smscSimulatorChild } from '../tools/smsc/child';

const ROOT = resolve(__dirname, '..');
const say = (line: string) => console.log(`[start] ${line}`);

type Stoppable = { name: string; stop: () => Promise<void> };
const started: Stoppable[] = [];

/** A failure whose message is already the one line to print (cause and way out). */
class StartFailure extends Error {
  override readonly name = 'StartFailure';
}

/** The one line on stderr, then stop what was started and exit 1. */
async function fail(line: string): Promise<never> {
  if (!shuttingDown) console.error(`[start] ${line}`);
  return shutdown(1);
}

function spawnChild(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { logFile?: string; explainExit?: (code: number | null, signal: string | null) => Promise<string> } = {},
): ChildProcess {
  const output = options.logFile ? openSync(options.logFile, 'a') : 'inherit';
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', output, output] });
  child.on('exit', (code, signal) => {
    if (shuttingDown) return;
    const explain = options.explainExit ?? ((c, s) => explainChildExit({ name, code: c, signal: s }));
    void explain(code, signal)
      .catch(() => `${name} exited unexpectedly (code ${code}, signal ${signal})`)
      .then((line) => fail(line));
  });
  started.push({
    name,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
      }),
  });
  return child;
}

async function waitForTemporal(address: string, tls: TLSConfig | undefined, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, tls, connectTimeout: '2 seconds' });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > until) throw new Error(`Temporal at ${address} did not answer within ${timeoutMs / 1000} s: ${(error as Error).message}`, { cause: error });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function readOrCreateSecret(file: string, prefix = 'smsc_'): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = `${prefix}${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

const DEMO_USERS: { id: string; name: string; role: Role; organisation: string | null; organisationCreditCode?: string }[] = [
  { id: 'demo-sales', name: '销售演示账号', role: 'sales', organisation: null },
  { id: 'demo-legal', name: '法务演示账号', role: 'legal', organisation: null },
  { id: 'demo-finance', name: '财务演示账号', role: 'finance', organisation: null },
  { id: 'demo-operations', name: '运维演示账号', role: 'operations', organisation: null },
  // bound to the reference contract's Party A by its (example) credit code
  { id: 'demo-customer', name: '客户操作员演示账号', role: 'customer', organisation: REFERENCE_TERMS.partyA.name, organisationCreditCode: REFERENCE_PARTY_A_CREDIT_CODE },
];

/** The demo accounts that sign in with a user name and password (development only): the demo users above and an administrator. */
const DEMO_ADMIN = { id: 'demo-admin', name: '管理员演示账号', role: 'admin' as const, organisation: null };
const DEMO_SIGN_INS: { userId: string; username: string }[] = [
  { userId: DEMO_ADMIN.id, username: 'admin' },
  ...DEMO_USERS.map((user) => ({ userId: user.id, username: user.role })),
];

let shuttingDown = false;
/** what main() is starting right now, for the one line a failure prints */
let starting = 'the configuration';
async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    say('stopping…');
    for (const item of [...started].reverse()) {
      await item.stop().catch((error) => say(`${item.name}: ${(error as Error).message}`));
      say(`${item.name} stopped`);
    }
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  let config: ReturnType<typeof loadConfig>;
  let smsSettings: SmsSettings;
  try {
    config = loadConfig();
    smsSettings = loadSmsSettings();
  } catch (error) {
    if (error instanceof ConfigError) throw new StartFailure(explainConfigError(error));
    throw error;
  }
  // production sends SMS to the SMSC SMPP_URL names, never to a simulator: the worker's own check (worker/main.ts), made before anything starts
  const noSmsc = explainMissingSmppUrl({ env: config.env, smppUrlConfigured: smsSettings.smppUrlConfigured });
  if (noSmsc) throw new StartFailure(noSmsc);
  // a Temporal cluster elsewhere only over mTLS in production: the worker's and the API's own check, made before anything starts
  const plaintext = explainPlaintextTemporal({ env: config.env, temporal: config.temporal });
  if (plaintext) throw new StartFailure(plaintext);
  starting = 'the data directory';
  mkdirSync(config.dataDir, { recursive: true });
  starting = 'the port checks';

  // every port this start would listen on, checked before anything starts: one line per conflict, then exit 1
  const smscPorts = smscSimulatorChild(smsSettings);
  const taken = await takenPorts([
    ...(config.databaseUrl ? [] : [{ host: '127.0.0.1', port: config.embeddedPostgresPort, what: 'the embedded PostgreSQL', wayOut: 'set EMBEDDED_POSTGRES_PORT to a free port (or DATABASE_URL to a server of yours)' }]),
    ...(config.temporal.address
      ? []
      : [
          { host: '127.0.0.1', port: config.temporal.port, what: 'the Temporal dev server', wayOut: 'set TEMPORAL_PORT to a free port (or TEMPORAL_ADDRESS to a server of yours)' },
          { host: '127.0.0.1', port: config.temporal.uiPort, what: 'the Temporal web UI', wayOut: 'set TEMPORAL_UI_PORT to a free port' },
        ]),
    { host: config.http.host, port: config.http.port, what: 'the API and console', wayOut: 'set PORT to a free port' },
    ...(config.codec.port !== undefined ? [{ host: config.codec.host, port: config.codec.port, what: 'the codec endpoint', wayOut: 'set CODEC_PORT to a free port (or unset it)' }] : []),
    ...(smscPorts
      ? [
          { host: smscPorts.host, port: smscPorts.port, what: 'the SMSC simulator', wayOut: 'set SMPP_URL to an SMSC of yours (then no simulator runs)' },
          { host: smscPorts.host, port: smscPorts.controlPort, what: "the SMSC simulator's control API", wayOut: 'set SMPP_URL to an SMSC of yours (then no simulator runs)' },
        ]
      : []),
  ]);
  if (taken.length > 0) {
    for (const t of taken) console.error(`[start] ${describeTakenPort(t)}`);
    process.exit(1);
  }

  starting = 'the Temporal binaries';
  await new Promise<void>((done, failed) =>
    spawn(process.execPath, [join(ROOT, 'scripts/install-temporal.mjs')], { stdio: 'inherit' }).on('exit', (code) =>
      code === 0
        ? done()
        : failed(new StartFailure(`installing the Temporal binaries failed (its output is above): run \`npm run setup:temporal\` to retry, or set TEMPORAL_ADDRESS to a server of yours`)),
    ),
  );

  starting = 'the database';
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort} (data in ${join(config.dataDir, 'postgres')})`);
    // its log goes to DATA_DIR/postgres.log, and a failure is explained from it
    const logFile = join(config.dataDir, 'postgres.log');
    const log: string[] = [];
    const record = (line: string) => {
      if (!line) return;
      log.push(...line.split('\n'));
      if (log.length > 200) log.splice(0, log.length - 200);
      try {
        appendFileSync(logFile, `${line}\n`);
      } catch {
        // the log is a convenience
      }
    };
    let pg: EmbeddedPostgresHandle;
    try {
      pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, handlesSignals: true, log: record });
    } catch (error) {
      throw new StartFailure(explainPostgresFailure({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log, logFile, error }));
    }
    started.push({ name: 'postgres', stop: pg.stop });
    await ensureDatabase(pg.url('postgres'), 'sms_contracts');
    databaseUrl = pg.url('sms_contracts');
  }
  // the application's own login: DATABASE_APP_PASSWORD, or for the embedded PostgreSQL a password made once for this DATA_DIR
  const appPassword = config.databaseAppPassword ?? (config.databaseUrl || !config.databaseRole ? undefined : readOrCreateSecret(join(config.dataDir, 'db-app-password'), ''));
  const appLogin = appLoginOf({ databaseRole: config.databaseRole, databaseAppPassword: appPassword });
  const db = createDb({ connectionString: databaseUrl, max: 2 });
  const applied = await migrate(db, undefined, { appLogin });
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');

  starting = 'Temporal';
  let temporalAddress = config.temporal.address;
  if (!temporalAddress) {
    const cli = findExecutable('temporal');
    if (!cli) throw new Error('the temporal CLI is not installed; run `npm run setup:temporal`');
    temporalAddress = `127.0.0.1:${config.temporal.port}`;
    say(`starting the Temporal dev server on ${temporalAddress} (data in ${join(config.dataDir, 'temporal.sqlite')})`);
    const logFile = join(config.dataDir, 'temporal.log');
    const logStart = tailOf(logFile, 100_000).length;
    spawnChild('temporal', cli, [
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', String(config.temporal.port),
      '--ui-port', String(config.temporal.uiPort),
      '--db-filename', join(config.dataDir, 'temporal.sqlite'),
      '--namespace', config.temporal.namespace,
      '--log-level', 'warn',
      // the API's codec endpoint (api/codec.ts), when CODEC_PORT asks for one: the UI shows the payloads the codec encrypted
      ...(config.codec.port !== undefined ? ['--ui-codec-endpoint', `http://127.0.0.1:${config.codec.port}/codec`] : []),
    ], process.env, {
      logFile,
      explainExit: (code, signal) =>
        explainTemporalExit({ port: config.temporal.port, uiPort: config.temporal.uiPort, log: tailOf(logFile, 100_000).slice(logStart).slice(-40), logFile, code, signal }),
    });
  }
  try {
    await waitForTemporal(temporalAddress, config.temporal.address ? temporalConnectionOptions(config.temporal).tls : undefined);
  } catch (error) {
    throw new StartFailure(
      config.temporal.address
        ? `${(error as Error).message}: check TEMPORAL_ADDRESS (${config.temporal.address}), or unset it to run the Temporal dev server`
        : `${(error as Error).message} (its log: ${join(config.dataDir, 'temporal.log')}): set TEMPORAL_ADDRESS to a server of yours, or look in that log`,
    );
  }

  starting = 'the users and tokens';
  const adminToken = config.adminToken ?? readOrCreateSecret(join(config.dataDir, 'admin-token'));
  await upsertUser(db, { id: 'admin', name: 'Administrator', role: 'admin', organisation: null });
  await registerToken(db, 'admin', adminToken, 'ADMIN_TOKEN');
  const demoTokensFile = join(config.dataDir, 'demo-tokens.json');
  let demoTokens: Record<string, string> = existsSync(demoTokensFile) ? JSON.parse(readFileSync(demoTokensFile, 'utf8')) : {};
  let demoPasswords: Record<string, string> = {};
  if (config.env !== 'production') {
    for (const user of DEMO_USERS) {
      await upsertUser(db, user);
      // kept across restarts in DATA_DIR, and registered again if the database was started afresh
      demoTokens[user.role] ??= `smsc_${randomBytes(32).toString('base64url')}`;
      await registerToken(db, user.id, demoTokens[user.role]!, 'demo');
      // revoked or expired since (a production start revokes them): a fresh one
      if (!(await findUserByToken(db, demoTokens[user.role]!))) {
        demoTokens[user.role] = `smsc_${randomBytes(32).toString('base64url')}`;
        await registerToken(db, user.id, demoTokens[user.role]!, 'demo');
      }
    }
    writeFileSync(demoTokensFile, JSON.stringify(demoTokens, null, 2), { mode: 0o600 });
    await upsertUser(db, DEMO_ADMIN);
    // generated once, kept in DATA_DIR, and set again if the database was started afresh
    const demoPasswordsFile = join(config.dataDir, 'demo-passwords.json');
    demoPasswords = existsSync(demoPasswordsFile) ? JSON.parse(readFileSync(demoPasswordsFile, 'utf8')) : {};
    for (const { userId, username } of DEMO_SIGN_INS) {
      demoPasswords[username] ??= generatePassword();
      const login = await findPasswordLogin(db, username);
      if (login?.userId !== userId || !(await verifyPassword(login.passwordHash, demoPasswords[username]!))) {
        // a user name an admin gave someone else in this database: that demo account has no password
        if ((await setLogin(db, { userId, username, passwordHash: await hashPassword(demoPasswords[username]!) })) !== 'set') delete demoPasswords[username];
      }
    }
    writeFileSync(demoPasswordsFile, JSON.stringify(demoPasswords, null, 2), { mode: 0o600 });
  } else {
    demoTokens = {};
  }
  await db.close();

  starting = 'the worker, the API and the SMSC simulator';
  const smsc = smscPorts; // SMPP_URL unset: the SMSC simulator, with its control API
  if (smsc) {
    spawnChild('smsc-simulator', process.execPath, smsc.args, process.env, {
      logFile: join(config.dataDir, 'smsc.log'),
      explainExit: (code, signal) =>
        explainChildExit({ name: `the SMSC simulator (its log: ${join(config.dataDir, 'smsc.log')})`, code, signal, port: { host: smsc.host, port: smsc.port, what: 'the SMSC simulator', wayOut: 'set SMPP_URL to an SMSC of yours (then no simulator runs)' } }),
    });
  }
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(smsc ? { SMPP_URL: smsc.url } : {}),
    ADMIN_TOKEN: adminToken,
    // the worker and the API log in as the application's role with it (platform/database-login.ts)
    ...(appLogin ? { DATABASE_APP_PASSWORD: appLogin.password } : {}),
  };
  spawnChild('worker', process.execPath, ['--import', 'tsx', 'worker/main.ts'], env);
  spawnChild('api', process.execPath, ['--import', 'tsx', 'api/main.ts'], env, {
    explainExit: (code, signal) =>
      explainChildExit({ name: 'the API', code, signal, port: { host: config.http.host, port: config.http.port, what: 'the API and console', wayOut: 'set PORT to a free port' } }),
  });
  try {
    await waitForHttp(`http://${config.http.host}:${config.http.port}/healthz`);
  } catch (error) {
    throw new StartFailure(`${(error as Error).message}: the API's output is above; set LOG_LEVEL=debug for more`);
  }

  const base = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${config.http.port}`;
  console.log(`
  SMS contract lifecycle is running
    API and console   ${base}/
    health            ${base}/healthz
    Temporal web UI   ${config.temporal.address ? '(external Temporal server)' : `http://127.0.0.1:${config.temporal.uiPort}/namespaces/${config.temporal.namespace}/workflows`}
    Temporal gRPC     ${temporalAddress}${config.temporal.tls ? ' (TLS)' : ''}
    codec endpoint    ${config.codec.port !== undefined ? `http://${config.codec.host}:${config.codec.port}/codec (payloads are encrypted: docs/security.md)` : '(CODEC_PORT unset: the web UI shows payloads encrypted)'}
    Postgres          ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}${appLogin ? ` (the worker and the API log in as ${appLogin.role})` : ''}
    SMSC              ${smsc ? `simulator on ${smsc.address}, control ${smsc.controlUrl}/state` : (config.smppUrl ?? '').replace(/:[^:@/]+@/, ':***@')}
    admin token       ${config.env === 'production' ? '(ADMIN_TOKEN, not printed in production)' : adminToken}
${Object.entries(demoTokens).map(([role, token]) => `    ${role.padEnd(17)} ${token}`).join('\n')}
${Object.keys(demoPasswords).length ? `  sign in at ${base}/ with a user name and password (demo accounts, kept in ${join(config.dataDir, 'demo-passwords.json')}):\n` : ''}${Object.entries(demoPasswords).map(([username, password]) => `    ${username.padEnd(17)} ${password}`).join('\n')}
  Ctrl-C stops everything.
`);
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500 || res.status === 503) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** what to do when starting that part failed for a reason no check above recognised */
const WAY_OUT: Record<string, string> = {
  'the data directory': 'set DATA_DIR to a directory you can write',
  'the database': 'check DATABASE_URL, or unset it to run the embedded PostgreSQL (EMBEDDED_POSTGRES_PORT, DATA_DIR)',
  Temporal: 'check TEMPORAL_ADDRESS, or unset it to run the Temporal dev server (TEMPORAL_PORT, TEMPORAL_UI_PORT)',
  'the users and tokens': 'check ADMIN_TOKEN and that the database accepts writes',
  'the worker, the API and the SMSC simulator': 'check PORT, HOST and SMPP_URL',
};

main().catch(async (error) => {
  if (error instanceof StartFailure) return fail(error.message);
  // some libraries reject with a bare string, an exit code or nothing at all: say what was being started
  const reason = error instanceof Error ? oneLine(error.message) : error === undefined || error === null ? 'no reason given' : String(error);
  let dataDir = '.data';
  try {
    dataDir = loadConfig().dataDir;
  } catch {
    // reported above
  }
  return fail(`failed while starting ${starting}: ${reason} (logs in ${dataDir}): ${WAY_OUT[starting] ?? 'fix that, then start again'}`);
});
