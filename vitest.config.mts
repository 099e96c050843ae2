import { defineConfig } from 'vitest/config';

// One actor assertion key for the whole run (platform/actor-key.ts): the workflow bundle of
// test/support/global-setup.ts checks it, the in-process API signs with it, spawned workers and
// APIs inherit it. A test key, of no use anywhere else.
process.env.ACTOR_ASSERTION_KEY ??= Buffer.from('test-only actor assertion key, 32+ bytes long').toString('base64');
// Likewise one payload codec key (platform/payload-codec.ts): the harness's clients and workers, the replays and
// spawned processes encrypt and decrypt every Temporal payload with it. 32 bytes, a test key.
process.env.PAYLOAD_KEY ??= `test-run:${Buffer.from('test-only payload key, 32 bytes!').toString('base64')}`;

export default defineConfig({
  test: {
    // The Temporal SDK's native bridge misbehaves in worker threads: use forked processes.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    // with no workflow cache (npm run test:uncached) every query replays the workflow, and one that lands while a
    // local activity runs costs that workflow task its 10 s timeout: the same tests take several times as long
    testTimeout: process.env.WORKER_MAX_CACHED_WORKFLOWS === '0' ? 180_000 : 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
    maxWorkers: 2,
    fileParallelism: true,
    reporters: ['default'],
  },
});
