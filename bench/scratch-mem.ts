import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { join } from 'node:path';
import { cleanup, startDevServer } from './env';
const gc = (globalThis as any).gc as () => void;
async function main() {
  const variant = process.env.VARIANT ?? 'full';
  const K = Number(process.env.K ?? 400);
  const srv = await startDevServer();
  const noop = () => undefined;
  const logger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
  const path = variant === 'noop' ? join(__dirname, '../workflows/noop.ts') : variant === 'full' ? join(__dirname, '../workflows/index.ts') : join(__dirname, 'tmpwf', variant + '.ts');
  const preload = process.env.PRELOAD ? process.env.PRELOAD.split(',') : undefined;
  const bundle = await bundleWorkflowCode({ workflowsPath: path, logger, preloadModules: preload });
  console.log(variant, 'bundle KB', (bundle.code.length / 1024).toFixed(0));
  const worker = await Worker.create({ connection: srv.env.nativeConnection, taskQueue: 'm', workflowBundle: bundle, debugMode: process.env.DEBUGMODE === '1' });
  await worker.runUntil(async () => {
    await srv.env.client.workflow.execute('noop', { taskQueue: 'm', workflowId: 'warm', args: [{}] });
    await new Promise((r) => setTimeout(r, 500));
    gc(); gc();
    const before = process.memoryUsage();
    const t0 = await srv.counter('command', { commandType: 'StartTimer' });
    for (let i = 0; i < K; i++) await srv.env.client.workflow.start('noop', { taskQueue: 'm', workflowId: 't' + i, args: [{ timerMs: 1e9 }] });
    while ((await srv.counter('command', { commandType: 'StartTimer' })) < t0 + K) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 500));
    gc(); gc();
    const after = process.memoryUsage();
    const fs = require('node:fs');
    const maps = fs.readFileSync('/proc/self/smaps', 'utf8').split('\n');
    const agg: Record<string, number> = {};
    let cur = '';
    for (const l of maps) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(l)) { const parts = l.trim().split(/\s+/); cur = parts[5] ?? '[anon]'; }
      else if (l.startsWith('Rss:')) { agg[cur] = (agg[cur] ?? 0) + Number(l.split(/\s+/)[1]); }
    }
    console.log(Object.entries(agg).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k}=${(v / 1024).toFixed(0)}MiB`).join(' '));
    const code = bundle.code; console.log('eval count', (code.match(/eval\(/g) ?? []).length, 'devtool sourceURL', (code.match(/sourceURL/g) ?? []).length);
    console.log(variant, process.env.PRELOAD ?? '', 'per workflow KiB heapUsed', ((after.heapUsed - before.heapUsed) / 1024 / K).toFixed(0), 'rss', ((after.rss - before.rss) / 1024 / K).toFixed(0), 'heapUsed MiB', (after.heapUsed / 1048576).toFixed(0), 'heapTotal', (before.heapTotal/1048576).toFixed(0), '->', (after.heapTotal/1048576).toFixed(0), 'external', (before.external/1048576).toFixed(0), '->', (after.external/1048576).toFixed(0), 'rss', (before.rss/1048576).toFixed(0), '->', (after.rss/1048576).toFixed(0));
  });
}
main().catch(console.error).finally(() => cleanup());
