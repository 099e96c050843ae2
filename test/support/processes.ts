/**
 * The product's own entry points as child processes (`node --import tsx
 * worker/main.ts`), against a harness's database and Temporal server: what a
 * fault test kills, signals and starts again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Harness } from './harness';

const ROOT = resolve(__dirname, '../..');

export type Child = { process: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

export function createChildren() {
  const all: ChildProcess[] = [];
  return {
    spawnMain(main: 'worker/main.ts' | 'api/main.ts', h: Harness, env: Record<string, string>): Child {
      const child = spawn(process.execPath, ['--import', 'tsx', main], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: h.database.url, TEMPORAL_ADDRESS: h.env.address, LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      all.push(child);
      let output = '';
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
      return { process: child, output: () => output, exited };
    },
    /** SIGKILL to every child still running */
    killAll(): void {
      for (const child of all) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
