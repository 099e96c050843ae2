/**
 * `npm start` in development prints the demo accounts' user names and
 * passwords, generated once and kept in DATA_DIR/demo-passwords.json (0600):
 * each signs in with POST /api/session as its role, and a second start on the
 * same data directory prints and accepts the same passwords.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmscSimulator } from '../../tools/smsc/simulator';
import { freePort, waitFor } from '../support/flows';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'npm-start-demo-'));
// the embedded PostgreSQL runs as the postgres user when started as root
chmodSync(dir, 0o755);
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'ADMIN_TOKEN', 'NODE_ENV']) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env: { ...base, HOST: '127.0.0.1', DATA_DIR: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
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

describe('npm start prints demo credentials', () => {
  // two starts of about 40 s each on 2 busy cores
  it('prints a user name and password per demo account, each signs in as its role, and a restart keeps them', { timeout: 240_000 }, async () => {
    const smsc = await startSmscSimulator({ port: 0 });
    try {
      const env = { EMBEDDED_POSTGRES_PORT: String(await freePort()), TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), PORT: String(await freePort()), SMPP_URL: smsc.url() };
      const base = `http://127.0.0.1:${env.PORT}`;
      const runOnce = async () => {
        const run = start(env);
        await waitFor(async () => run.out() + run.err(), (o) => o.includes('Ctrl-C stops everything') || run.child.exitCode !== null, 'the start running', 150_000);
        expect(run.out(), run.err()).toContain('SMS contract lifecycle is running');
        const printed = printedSignIns(run.out());
        run.child.kill('SIGTERM');
        return { run, printed };
      };

      const first = await runOnce();
      const printed = first.printed;
      expect(Object.keys(printed).sort()).toEqual(['admin', 'customer', 'finance', 'legal', 'operations', 'sales']);
      const file = join(dir, 'demo-passwords.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(printed);
      expect(await first.run.exited).toBe(0);

      const second = start(env);
      await waitFor(async () => second.out() + second.err(), (o) => o.includes('Ctrl-C stops everything') || second.child.exitCode !== null, 'the second start running', 150_000);
      expect(printedSignIns(second.out())).toEqual(printed);
      for (const [username, role] of [
        ['admin', 'admin'],
        ['sales', 'sales'],
        ['customer', 'customer'],
      ] as const) {
        const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: printed[username] }) });
        expect(res.status, username).toBe(201);
        expect(((await res.json()) as { user: { role: string } }).user.role).toBe(role);
      }
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await smsc.stop();
    }
  });
});
