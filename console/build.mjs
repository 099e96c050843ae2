#!/usr/bin/env node
/**
 * Builds the web console into console/dist: typechecks it (its own tsconfig:
 * DOM and JSX, which the server's does not have), then runs vite.
 *
 *   node console/build.mjs             always build (npm run build:console)
 *   node console/build.mjs --if-stale  build only when console/dist is missing or
 *                                      was built from other inputs (npm start, npm test)
 *
 * "Stale" is decided by a SHA-256 over every input (the console's sources,
 * the shared domain code, the API route table it reads, the lockfile), kept
 * in console/dist/.inputs.sha256, so a checkout that only touches mtimes does
 * not rebuild and any real change does. Concurrent callers (parallel test
 * files) wait for one build under a lock directory.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(here, 'dist');
const stampFile = join(dist, '.inputs.sha256');
const lockDir = join(here, '.build-lock');

const INPUTS = ['console/index.html', 'console/src', 'console/scripts', 'console/vite.config.mts', 'console/tsconfig.json', 'console/build.mjs', 'domain', 'api/app.ts', 'api/http.ts', 'api/routes', 'package-lock.json'];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => files(relative(root, join(full, entry.name))));
}

export function inputsHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files).sort()) {
    hash.update(relative(root, file).split('\\').join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const isFresh = (hash) => existsSync(join(dist, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash;

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function withLock(fn) {
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // a lock left by a build that died is taken over after 5 minutes
      if (Date.now() - statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs > 300_000) rmSync(lockDir, { recursive: true, force: true });
      if (waited % 10_000 === 0) console.log('[console] waiting for another console build to finish');
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function build(hash) {
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const started = Date.now();
  console.log('[console] typechecking and building the web console into console/dist');
  run(bin('tsc'), ['--noEmit', '-p', 'console/tsconfig.json']);
  run(bin('tsc'), ['--noEmit', '-p', 'console/tsconfig.node.json']);
  run(bin('vite'), ['build', '--logLevel', 'warn', '-c', 'console/vite.config.mts']);
  const { compressed, maps } = finishAssets();
  writeFileSync(stampFile, `${hash}\n`);
  console.log(`[console] ${compressed} assets precompressed (br, gzip); ${maps} source maps kept in console/sourcemaps/, not served`);
  console.log(`[console] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * After vite: the source maps leave dist/ (kept beside it for the team, never
 * served), and every text asset gets a brotli and a gzip twin that the API
 * sends to browsers that accept them (api/console.ts).
 */
function finishAssets() {
  const maps = join(here, 'sourcemaps');
  rmSync(maps, { recursive: true, force: true });
  mkdirSync(maps, { recursive: true });
  let compressed = 0;
  let moved = 0;
  for (const file of files('console/dist')) {
    if (file.endsWith('.map')) {
      renameSync(file, join(maps, relative(join(dist, 'assets'), file).split('/').join('_')));
      moved += 1;
      continue;
    }
    if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
    const body = readFileSync(file);
    if (body.length < 1024) continue;
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    compressed += 1;
  }
  return { compressed, maps: moved };
}

const ifStale = process.argv.includes('--if-stale');
const hash = inputsHash();
if (ifStale && isFresh(hash)) process.exit(0);
try {
  withLock(() => {
    // another process may have built it while we waited for the lock
    if (ifStale && isFresh(inputsHash())) return;
    build(inputsHash());
  });
} catch (error) {
  console.error(`[console] build failed: ${error.message.split('\n')[0]}`);
  process.exit(1);
}
