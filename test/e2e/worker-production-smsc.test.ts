/**
 * The worker in production sends SMS only to the SMS gateway SMPP_URL names:
 * `tsx worker/main.ts` with NODE_ENV=production and no SMPP_URL exits 1 with
 * one line on stderr naming SMPP_URL, before it connects to anything (it used
 * to bind to the development simulator's address and credentials). With
 * SMPP_URL set it gets past that check and stops at the next one this test
 * controls (no DATABASE_URL), which names DATABASE_URL instead; in
 * development no SMPP_URL is needed (`npm start` runs the simulator).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

type Ran = { code: number | null; stdout: string; stderr: string };

function runWorker(env: Record<string, string>): Promise<Ran> {
  const base = { ...process.env };
  // whatever the test run has set, this worker gets only what each case names
  for (const name of Object.keys(base)) if (/^(SMPP_|SMS_)/.test(name)) delete base[name];
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'NODE_ENV']) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env: { ...base, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // a worker that got further than the checks would connect to Temporal: never here, but never hang the file either
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

describe('the worker in production without an SMS gateway', () => {
  it('refuses to start without SMPP_URL: exit 1, one line naming SMPP_URL', { timeout: 30_000 }, async () => {
    const run = await runWorker({ NODE_ENV: 'production' });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^SMPP_URL is not set: with NODE_ENV=production SMS goes only to the SMS gateway you name, never to the development simulator's address: set SMPP_URL to your SMSC, smpp:\/\/system_id:password@host:port/);
    // nothing started, nothing logged
    expect(run.stdout).toBe('');
  });

  it('an empty SMPP_URL is no SMPP_URL', { timeout: 30_000 }, async () => {
    const run = await runWorker({ NODE_ENV: 'production', SMPP_URL: '  ' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^SMPP_URL is not set: /);
  });

  it('with SMPP_URL set gets past that check: here it stops at the next, DATABASE_URL', { timeout: 30_000 }, async () => {
    const run = await runWorker({ NODE_ENV: 'production', SMPP_URL: 'smpp://esme:secret@smsc.example.net:2775' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('DATABASE_URL must be set for the worker (npm start sets it)');
    expect(run.stderr).not.toContain('SMPP_URL');
  });

  it('in development needs no SMPP_URL (npm start runs the simulator and hands it over)', { timeout: 30_000 }, async () => {
    const run = await runWorker({ NODE_ENV: 'development' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('DATABASE_URL must be set for the worker (npm start sets it)');
  });

  it('an SMPP_URL that is not smpp:// is named as invalid', { timeout: 30_000 }, async () => {
    const run = await runWorker({ NODE_ENV: 'production', SMPP_URL: 'http://smsc.example.net:2775' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Invalid SMS configuration:\s+SMPP_URL: must be an smpp:\/\/ URL/);
  });
});
