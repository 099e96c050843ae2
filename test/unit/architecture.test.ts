/**
 * The dependency rule of docs/architecture.md, read from the code: layers
 * import only downwards, nothing outside api/ imports api/, workflows reach
 * the activities only through their one proxy module, no SQL outside db/,
 * every workflow start in one module, and no import cycles (server and
 * console). Each rule is first shown to catch a made-up violation.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importCycles,
  importsOf,
  layerViolations,
  readSources,
  sqlOutsideDb,
  workflowStartsOutsideStarter,
  type SourceFiles,
} from '../support/architecture';

const ROOT = resolve(__dirname, '../..');
const SERVER = ['domain', 'db', 'workflows', 'platform', 'pdf', 'billing', 'webhooks', 'sms', 'services', 'activities', 'api', 'worker', 'tools', 'scripts'];
const server = readSources(ROOT, SERVER.filter((dir) => dir !== 'tools' || require('node:fs').existsSync(resolve(ROOT, 'tools'))));
const consoleFiles = readSources(ROOT, ['console/src']);

describe('the rules catch what they forbid (made-up trees)', () => {
  const tree: SourceFiles = {
    'domain/rule.ts': "import { pool } from '../db/pool';\nexport const rule = 1;",
    'db/pool.ts': "import type { Thing } from '../api/things';\nexport const pool = 1;",
    'api/things.ts': 'export type Thing = 1;',
    'workflows/flow.ts': "import type * as activities from '../activities';\nimport { a } from './a';",
    'workflows/activity-proxies.ts': "import type * as activities from '../activities';",
    'workflows/a.ts': "import { b } from './b';\nexport const a = 1;",
    'workflows/b.ts': "import { a } from './a';\nexport const b = 1;",
    'activities/index.ts': 'export const x = 1;',
    'services/orders.ts': "export const q = () => db.query(`SELECT id FROM orders WHERE id = $1`);\nawait client.workflow.start(flow, {});",
    'services/workflow-starts.ts': 'await client.workflow.start(flow, {});',
    'api/routes/health.ts': "db.query('SELECT 1');",
  };

  it('finds an upward import, type-only ones included, and lets the proxy module name the activities', () => {
    expect(layerViolations(tree)).toEqual([
      'domain/rule.ts imports db/pool.ts: domain/ may import only nothing outside itself',
      'db/pool.ts imports api/things.ts (type only): db/ may import only domain',
      'workflows/flow.ts imports activities/index.ts (type only): workflows/ may import only domain',
    ]);
  });

  it('finds a cycle, SQL outside db/ (the health probe aside) and a start outside the starter', () => {
    expect(importCycles(tree)).toEqual([['workflows/a.ts', 'workflows/b.ts']]);
    expect(sqlOutsideDb(tree)).toEqual(['services/orders.ts:1: SELECT id FROM orders WHERE id = $1']);
    expect(workflowStartsOutsideStarter(tree)).toEqual(['services/orders.ts:2: await client.workflow.start(flow, {});']);
  });
});

describe('the product keeps the dependency rule', () => {
  it('reads the whole server (more than 150 files, 600 imports)', () => {
    expect(Object.keys(server).length).toBeGreaterThan(150);
    expect(importsOf(server).length).toBeGreaterThan(600);
  });

  it('imports only downwards: domain/ and db/ nothing above them, api/ nothing from outside it', () => {
    expect(layerViolations(server)).toEqual([]);
  });

  it('has no import cycle in the server or the console', () => {
    expect(importCycles(server)).toEqual([]);
    expect(importCycles(consoleFiles)).toEqual([]);
  });

  it('writes SQL only in db/', () => {
    expect(sqlOutsideDb(server)).toEqual([]);
  });

  it('starts workflows from one module', () => {
    expect(workflowStartsOutsideStarter(server)).toEqual([]);
  });

  it('lets the console share the domain rules and read the API only for its response types', () => {
    const reaching = importsOf({ ...server, ...consoleFiles }).filter((e) => e.from.startsWith('console/') && !e.to.startsWith('console/'));
    expect(reaching.length).toBeGreaterThan(10);
    const allowed = (e: { to: string; typeOnly: boolean }) => e.to.startsWith('domain/') || (e.typeOnly && /^api\/routes\/[\w-]+\.types\.ts$/.test(e.to));
    expect(reaching.filter((e) => !allowed(e)).map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type only)' : ''}`)).toEqual([]);
  });
});
