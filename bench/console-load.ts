/**
 * (10) The console's first load on a slow mobile line: Debian's Chromium,
 * throttled through the DevTools protocol to "slow 3G" (400 ms round trip,
 * 400 kbit/s down, 400 kbit/s up, the figures Lighthouse uses for its slow
 * mobile profile), opens the sign-in page from the API process with an empty
 * cache, five times. Measured: first contentful paint and the bytes that came
 * over the wire.
 *
 * Baseline, same run, same build: the same page with the browser asking for
 * no compression (Accept-Encoding: identity), which is how every asset went
 * out before the build precompressed them.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { createApp, type AppDeps } from '../api/app';
import { loadConfig } from '../platform/config';
import { say } from './env';
import { row, type Row } from './report';
import { percentile } from './stats';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };

type Load = { fcpMs: number; bytes: number };

export async function benchConsoleLoad(options: { runs: number }): Promise<{ rows: Row[]; raw: { compressed: Load[]; identity: Load[] } }> {
  // the console needs no database or Temporal to be served
  const deps = { db: {} as AppDeps['db'], temporal: {} as AppDeps['temporal'], taskQueue: 'none', logger: pino({ level: 'silent' }), bodyLimit: '256kb', queryTimeoutMs: 1, rateLimits: loadConfig().rateLimits } as AppDeps;
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signin`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  const once = async (identity: boolean): Promise<Load> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    if (identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => (bytes += event.encodedDataLength));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 60_000 });
    const fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]!.startTime);
    await context.close();
    return { fcpMs, bytes };
  };
  const compressed: Load[] = [];
  const identity: Load[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      // alternated, so a busy moment of the machine falls on both
      compressed.push(await once(false));
      identity.push(await once(true));
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
  const median = (loads: Load[], key: keyof Load) => percentile(loads.map((l) => l[key]), 0.5);
  say(`(10) sign-in page on slow 3G: first paint ${median(compressed, 'fcpMs').toFixed(0)} ms compressed, ${median(identity, 'fcpMs').toFixed(0)} ms without`);
  const rows = [
    row({
      id: '10a',
      measure: 'console first contentful paint, slow 3G, empty cache (median of 5)',
      value: median(compressed, 'fcpMs'),
      unit: 'ms',
      baseline: { measure: 'the same build sent uncompressed', value: median(identity, 'fcpMs'), unit: 'ms' },
      target: 'half the uncompressed first paint or less',
      check: ({ ratio }) => ratio !== null && ratio <= 0.5,
    }),
    row({
      id: '10b',
      measure: 'console first load, bytes over the wire',
      value: median(compressed, 'bytes') / 1024,
      unit: 'KiB',
      baseline: { measure: 'the same build sent uncompressed', value: median(identity, 'bytes') / 1024, unit: 'KiB' },
      target: 'a third of the uncompressed bytes or less',
      check: ({ ratio }) => ratio !== null && ratio <= 1 / 3,
    }),
  ];
  return { rows, raw: { compressed, identity } };
}
