/**
 * `npm start` when it cannot start: one line per cause on stderr naming it
 * and the way out (the port, what needed it, the process that holds it and
 * the variable that moves it; or the variable to fix), exit code 1, nothing
 * left running. Tried with a port this test holds, with two starts side by
 * side on the same ports, with a data directory another PostgreSQL holds, and
 * with invalid settings. The start that runs also shows its worker and API
 * logged in to the embedded PostgreSQL as the application's role, with the
 * password it made, and prints the demo accounts' user names and passwords
 * (generated once, kept in DATA_DIR/demo-passwords.json, 0600): each signs in
 * as its role, and a restart on the same data directory prints and accepts
 * the same ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmscSimulator } from '../../tools/smsc/simulator';
import { freePort, waitFor } from '../support/flows';

const ROOT = resolve(__dirname, '../..');
const dirs: string[] = [];
type Started = { child: ChildProcess; exited: Promise<number | null>; out: () => string; err: () => string };
const running: Started[] = [];

afterAll(async () => {
  // a start a failed test left running: SIGTERM lets it stop its own children (a SIGKILL would orphan them), SIGKILL if it hangs
  const alive = running.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  for (const r of alive) r.child.kill('SIGTERM');
  await Promise.all(alive.map((r) => Promise.race([r.exited, new Promise((done) => setTimeout(done, 30_000))])));
  for (const r of alive) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  // the embedded PostgreSQL runs as the postgres user when started as root
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

/**
 * The worker and the API of a running start log in to its embedded PostgreSQL as sms_app, with the
 * password made once in DATA_DIR/db-app-password (the embedded server checks passwords: a wrong one is refused).
 */
async function expectAppLogin(dir: string, port: string): Promise<void> {
  const file = join(dir, 'db-app-password');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const password = readFileSync(file, 'utf8').trim();
  expect(password.length).toBeGreaterThanOrEqual(16);
  const owner = new pg.Client({ connectionString: `postgres://postgres:sms-contracts-local@127.0.0.1:${port}/sms_contracts` });
  await owner.connect();
  try {
    // each process's pool holds a connection while it polls (the API's start sweeper, the worker's webhook dispatcher)
    const sessions = await waitFor(
      async () =>
        (await owner.query(`SELECT DISTINCT application_name, usename FROM pg_stat_activity WHERE application_name IN ('sms-contracts-api', 'sms-contracts-worker') ORDER BY 1, 2`)).rows,
      // both processes connected, and no session of theirs (a pool's connection still opening, say) under another role
      (rows) => new Set(rows.map((r) => r.application_name)).size === 2 && rows.every((r) => r.usename === 'sms_app'),
      "the worker's and the API's database sessions",
      20_000,
    );
    expect(sessions).toEqual([
      { application_name: 'sms-contracts-api', usename: 'sms_app' },
      { application_name: 'sms-contracts-worker', usename: 'sms_app' },
    ]);
  } finally {
    await owner.end();
  }
  const login = (secret: string) => new pg.Client({ connectionString: `postgres://sms_app:${encodeURIComponent(secret)}@127.0.0.1:${port}/sms_contracts` });
  const app = login(password);
  await app.connect();
  try {
    expect((await app.query('SELECT session_user')).rows[0]).toEqual({ session_user: 'sms_app' });
  } finally {
    await app.end();
  }
  const wrong = login(`${password}-wrong`);
  await expect(wrong.connect()).rejects.toThrow(/password authentication failed for user "sms_app"/);
  await wrong.end().catch(() => undefined);
}

/** The printed sign-in lines: user name → password. */
function printedSignIns(out: string): Record<string, string> {
  const block = out.split(/sign in at \S+ with a user name and password[^\n]*\n/)[1] ?? '';
  const found: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const m = /^ {4}([a-z0-9._-]+) +(\S+)$/.exec(line);
    if (!m) break;
    found[m[1]!] = m[2]!;
  }
  return found;
}

/** Each of these demo accounts signs in with its printed password (POST /api/session) as its role. */
async function expectDemoSignIns(base: string, printed: Record<string, string>, accounts: readonly (readonly [string, string])[]): Promise<void> {
  for (const [username, role] of accounts) {
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: printed[username] }) });
    expect(res.status, username).toBe(201);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe(role);
  }
}

function start(env: Record<string, string>): Started {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'ADMIN_TOKEN', 'NODE_ENV']) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env: { ...base, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const r = { child, exited, out: () => stdout, err: () => stderr };
  running.push(r);
  return r;
}

async function ports() {
  return { EMBEDDED_POSTGRES_PORT: String(await freePort()), TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), PORT: String(await freePort()) };
}

describe('npm start with a port taken', () => {
  it('names the port, its holder and the variable in one line, exits 1 and starts nothing', { timeout: 60_000 }, async () => {
    const held: Server = createServer();
    await new Promise<void>((done) => held.listen(0, '127.0.0.1', () => done()));
    const port = (held.address() as { port: number }).port;
    try {
      const dir = dataDir();
      const run = start({ DATA_DIR: dir, ...(await ports()), PORT: String(port), SMPP_URL: 'smpp://test:secret@127.0.0.1:1' });
      expect(await run.exited).toBe(1);
      const lines = run.err().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^\\[start\\] port ${port} \\(the API and console\\) is already in use by pid ${process.pid} \\(.*node.*\\): stop that process, or set PORT to a free port$`));
      expect(existsSync(join(dir, 'postgres'))).toBe(false);
    } finally {
      held.close();
    }
  });

  // about 40-55 s on 2 busy cores, nearly all of it the first start; the second fails in 1-2 s; the restart ≈ 30 s
  it('started twice side by side on the same ports: the second names every taken port and exits 1, the first keeps running, signs its demo accounts in, and keeps their passwords across a restart', { timeout: 240_000 }, async () => {
    const smsc = await startSmscSimulator({ port: 0 });
    try {
      const shared = { ...(await ports()), SMPP_URL: smsc.url() };
      const firstDir = dataDir();
      const first = start({ DATA_DIR: firstDir, ...shared });
      await waitFor(async () => first.out() + first.err(), (o) => o.includes('is running') || first.child.exitCode !== null, 'the first start running', 100_000);
      expect(first.out(), first.err()).toContain('SMS contract lifecycle is running');

      const secondStarted = Date.now();
      const second = start({ DATA_DIR: dataDir(), ...shared });
      expect(await second.exited).toBe(1);
      // it fails fast: it checks the ports before starting anything (tsx compiling start.ts is most of it)
      const secondTookMs = Date.now() - secondStarted;
      console.info(`[start-ports] the second start failed in ${secondTookMs} ms`);
      expect(secondTookMs).toBeLessThan(15_000);
      const lines = second.err().trim().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(new RegExp(`^\\[start\\] port ${shared.EMBEDDED_POSTGRES_PORT} \\(the embedded PostgreSQL\\) is already in use by pid \\d+ \\(.*postgres.*\\): stop that process, or set EMBEDDED_POSTGRES_PORT`));
      expect(lines[1]).toMatch(new RegExp(`^\\[start\\] port ${shared.TEMPORAL_PORT} \\(the Temporal dev server\\) is already in use by pid \\d+ \\(.*temporal server start-dev.*\\): stop that process, or set TEMPORAL_PORT`));
      expect(lines[2]).toMatch(new RegExp(`^\\[start\\] port ${shared.TEMPORAL_UI_PORT} \\(the Temporal web UI\\) is already in use by pid \\d+ .*set TEMPORAL_UI_PORT`));
      expect(lines[3]).toMatch(new RegExp(`^\\[start\\] port ${shared.PORT} \\(the API and console\\) is already in use by pid \\d+ \\(.*api/main\\.ts.*\\): stop that process, or set PORT`));

      // the first is untouched and stops cleanly
      const base = `http://127.0.0.1:${shared.PORT}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      await expectAppLogin(firstDir, shared.EMBEDDED_POSTGRES_PORT);
      const printed = printedSignIns(first.out());
      expect(Object.keys(printed).sort()).toEqual(['admin', 'customer', 'finance', 'legal', 'operations', 'sales']);
      const passwords = join(firstDir, 'demo-passwords.json');
      expect(statSync(passwords).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(passwords, 'utf8'))).toEqual(printed);
      await expectDemoSignIns(base, printed, [
        ['admin', 'admin'],
        ['sales', 'sales'],
        ['customer', 'customer'],
      ]);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      // started again on the same data directory: the same passwords, printed and accepted
      const again = start({ DATA_DIR: firstDir, ...shared });
      await waitFor(async () => again.out() + again.err(), (o) => o.includes('is running') || again.child.exitCode !== null, 'the restart running', 100_000);
      expect(again.out(), again.err()).toContain('SMS contract lifecycle is running');
      expect(printedSignIns(again.out())).toEqual(printed);
      await expectDemoSignIns(base, printed, [['legal', 'legal']]);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    } finally {
      await smsc.stop();
    }
  });

  it('names a data directory another PostgreSQL holds, its pid and DATA_DIR, exits 1 (not "[start] undefined")', { timeout: 60_000 }, async () => {
    const dir = dataDir();
    const holderPort = await freePort();
    // a PostgreSQL an earlier run left behind on this DATA_DIR (on another port, so the port check passes)
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `require('./platform/embedded-postgres').startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, port: ${holderPort} }).then(() => console.log('ready'))`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let holderOut = '';
    holder.stdout.on('data', (c: Buffer) => (holderOut += c.toString()));
    holder.stderr.on('data', (c: Buffer) => (holderOut += c.toString()));
    const holderExited = new Promise((done) => holder.on('exit', done));
    try {
      await waitFor(async () => holderOut, (o) => o.includes('ready') || holder.exitCode !== null, 'the holding PostgreSQL', 40_000);
      expect(holderOut).toContain('ready');
      const pid = readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();

      const run = start({ DATA_DIR: dir, ...(await ports()), SMPP_URL: 'smpp://test:secret@127.0.0.1:1' });
      expect(await run.exited).toBe(1);
      const lines = run.err().trim().split('\n');
      expect(lines, run.err()).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^\\[start\\] the embedded PostgreSQL's data directory ${escapeRegExp(join(dir, 'postgres'))} is in use by pid ${pid} \\(.*postgres.*\\) \\(another npm start on this DATA_DIR\\?\\): stop that process, or set DATA_DIR to another directory`),
      );
      expect(lines[0]).not.toContain('undefined');
      // its own log says the same, for whoever looks
      expect(readFileSync(join(dir, 'postgres.log'), 'utf8')).toContain('postmaster.pid');
    } finally {
      holder.kill('SIGTERM');
      await holderExited;
      // the holder stops its PostgreSQL on SIGTERM; should it not have, stop it here
      const left = join(dir, 'postgres', 'postmaster.pid');
      if (existsSync(left)) {
        try {
          process.kill(Number(readFileSync(left, 'utf8').split('\n')[0]), 'SIGTERM');
        } catch {
          // gone already
        }
      }
    }
  });

  it('names every invalid setting in one line with the variables to fix, exits 1 and starts nothing', { timeout: 30_000 }, async () => {
    const dir = dataDir();
    const run = start({ DATA_DIR: dir, PORT: 'http', TEMPORAL_PORT: '0', SMPP_URL: 'smpp://test:secret@127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    const lines = run.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[start\] invalid configuration: PORT: .+; TEMPORAL_PORT: .+: set those variables to a valid value/);
    expect(existsSync(join(dir, 'postgres'))).toBe(false);
  });
});

describe('npm start in production', () => {
  it('without SMPP_URL names it in one line, exits 1, runs no simulator and starts nothing', { timeout: 30_000 }, async () => {
    const dir = dataDir();
    const run = start({ DATA_DIR: dir, ...(await ports()), NODE_ENV: 'production', SMPP_URL: '' });
    expect(await run.exited).toBe(1);
    const lines = run.err().trim().split('\n');
    expect(lines, run.err()).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[start\] SMPP_URL is not set: with NODE_ENV=production SMS goes only to the SMS gateway you name, never to the development simulator's address: set SMPP_URL/);
    expect(run.out()).not.toContain('simulator');
    expect(existsSync(join(dir, 'postgres'))).toBe(false);
    expect(existsSync(join(dir, 'smsc.log'))).toBe(false);
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
