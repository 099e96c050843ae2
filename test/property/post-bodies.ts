/**
 * Property-based bad input: for every POST route, at least 1,000 generated
 * bodies (arbitrary JSON, and valid bodies with fields removed, replaced by
 * arbitrary values or added). The API answers only 2xx or 4xx, a 4xx always
 * with an error code and a message, never 5xx; after every 4xx the database
 * is unchanged (row counts of the tables requests write, and no audit event
 * carrying that request's id).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import type { Role } from '../../db/users';
import { createHarness, type Harness } from '../support/harness';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1_000);
// tables only request handlers write (workflows write audit events in the background: those are checked by request id)
const TABLES = ['contracts', 'signatures', 'payments', 'users', 'api_tokens', 'idempotency_keys', 'webhook_subscriptions', 'top_ups', 'amendments', 'renewal_objections', 'terminations'] as const;

let h: Harness;
let server: Server;
let base: string;
let activeId: string;
let awaitingId: string;
let template: Record<string, unknown>;
const figures: Record<string, { requests: number; byStatus: Record<number, number> }> = {};

function harnessPerFile(part: string): void {
  beforeAll(async () => {
    h = await createHarness();
    server = h.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    awaitingId = (await h.api('sales').post('/api/contracts', template).expect(201)).body.id;
    activeId = (await h.api('sales').post('/api/contracts', template).expect(201)).body.id;
    for (const party of ['A', 'B']) await h.api('sales').post(`/api/contracts/${activeId}/signatures`, { party, signer: '张示例', title: '代表', sealed: true }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await h?.close();
    const total = Object.values(figures).reduce((sum, f) => sum + f.requests, 0);
    console.info(`[property] ${total} generated POST bodies: ${JSON.stringify(figures)}`);
    mkdirSync(resolve(__dirname, '../../test-results'), { recursive: true });
    writeFileSync(resolve(__dirname, `../../test-results/property-figures-${part}.json`), JSON.stringify({ total, runsPerRoute: RUNS, routes: figures }, null, 2));
  });
}

/** valid bodies to mutate, per route; routes missing here get arbitrary JSON only */
const VALID: Record<string, () => unknown> = {
  '/api/users': () => ({ name: '属性测试', role: 'legal' }),
  '/api/contracts': () => structuredClone(template),
  '/api/contracts/:id/signatures': () => ({ party: 'A', signer: '张示例', title: '代表', sealed: true }),
  '/api/contracts/:id/payments': () => ({ amountFen: 100, reference: 'PROP-1', paidAt: '2026-01-05T10:00:00+08:00', method: 'bank_transfer' }),
  '/api/contracts/:id/top-ups': () => ({ package: 'sms-12666' }),
  '/api/contracts/:id/delivery-confirmation': () => ({ signer: '张示例', title: '办公室主任', sealed: true }),
  '/api/contracts/:id/renewal-objections': () => ({ party: 'A', reason: '不再续约' }),
  '/api/contracts/:id/termination': () => ({ reason: '协商解除', effectiveAt: '2030-01-01T00:00:00+08:00' }),
  '/api/contracts/:id/amendments': () => ({ description: '补充协议', changes: { smsPerYear: 20000 } }),
  '/api/contracts/:id/amendments/:seq/signatures': () => ({ party: 'A', signer: '张示例', title: '代表', sealed: true }),
  '/api/webhooks': () => ({ url: 'https://example.com/hook', events: ['*'] }),
};

const nasty = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '\u200b', '\u202e忽略', '2024-02-30T00:00:00+08:00', '2024-02-29T24:00:00Z', '1e309', '-0', 'NaN', "'; DROP TABLE contracts; --", '<script>alert(1)</script>', '①②③', '１３８００００００００１'),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 63), Number.MAX_SAFE_INTEGER, 1e21, null, true, [], {}),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ minLength: 2_000, maxLength: 5_000 }),
);

type Mutation = { path: string[]; action: 'delete' | 'set' | 'add'; value?: unknown; key?: string };

function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function mutate(body: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const m of mutations) {
    let parent: any = copy;
    for (const k of m.path.slice(0, -1)) parent = parent?.[k];
    const last = m.path.at(-1);
    if (parent === null || typeof parent !== 'object') continue;
    if (m.action === 'add') parent[m.key!] = m.value;
    else if (last === undefined) continue;
    else if (m.action === 'delete') delete parent[last];
    else parent[last] = m.value;
  }
  return copy;
}

function bodiesFor(path: string): fc.Arbitrary<unknown> {
  const valid = VALID[path];
  const arbitrary = fc.oneof(fc.anything({ maxDepth: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), nasty, { maxKeys: 6 }));
  if (!valid) return arbitrary;
  const paths = pathsOf(valid());
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    path: fc.constantFrom(...paths),
    action: fc.constantFrom('delete', 'set', 'set', 'add'),
    value: nasty,
    key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'role', 'id')),
  });
  return fc.oneof({ arbitrary: arbitrary, weight: 1 }, { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => mutate(valid(), ms)), weight: 3 });
}

const urlOf = (path: string) =>
  path.replace(/:(\w+)/g, (_m, name: string) =>
    name === 'id' && path.startsWith('/api/contracts') ? (path.endsWith('/signatures') && !path.includes('amendments') ? awaitingId : activeId) : name === 'seq' ? '1' : `no-such-${name}`,
  );

/** row counts of the request-written tables, and how many audit events carry this request id */
async function snapshot(requestId: string): Promise<{ counts: string; audited: number }> {
  const { rows } = await h.database.db.query(
    `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}, (SELECT count(*) FROM audit_events WHERE request_id = $1)::int AS audited`,
    [requestId],
  );
  const { audited, ...counts } = rows[0]!;
  return { counts: JSON.stringify(counts), audited };
}

/**
 * The POST routes' paths, read when the tests are collected: the route table
 * built over dependencies that are never called (a handler runs only on a
 * request), so each route is a test of its own with its own time limit.
 */
export const POST_PATHS = allRoutes(new Proxy({}, { get: () => undefined }) as AppDeps)
  .filter((r) => r.method === 'post')
  .map((r) => r.path);

/** Valid bodies to mutate exist for these routes (the rest get arbitrary JSON only). */
export const TEMPLATED_PATHS = POST_PATHS.filter((path) => path in VALID);

/**
 * The tests of a part of the POST routes, over a harness of the part's own
 * (the routes are shared between two files so that they run side by side).
 */
export function generatedPostBodies(part: string, paths: string[]): void {
  harnessPerFile(part);
  describe(`generated POST bodies (${part})`, () => {
    const routes = () => allRoutes(h.deps).filter((r) => r.method === 'post');

    it('covers every POST route, each a test of its own', () => {
      expect(routes().map((r) => r.path)).toEqual(POST_PATHS);
      for (const path of Object.keys(VALID)) expect(POST_PATHS).toContain(path);
    });

    for (const path of paths) {
      it(`${path}: ${RUNS} bodies give only 2xx/4xx with a message, and a 4xx changes nothing`, { timeout: 300_000 }, async () => {
        const targets = routes().filter((r) => r.path === path);
        expect(targets).toHaveLength(1);
        for (const route of targets) {
          const role: Role | null = route.roles === 'public' ? null : route.roles.includes('admin') ? 'admin' : route.roles[0]!;
          const stats = (figures[route.path] = { requests: 0, byStatus: {} as Record<number, number> });
          let n = 0;
          // only a 2xx may change rows: the snapshot is retaken after each one and compared after each 4xx
          let last = (await snapshot('-')).counts;
          await fc.assert(
            fc.asyncProperty(bodiesFor(route.path), async (body) => {
              const requestId = `prop-${route.path.replace(/\W+/g, '-')}-${n++}`;
              const res = await fetch(base + urlOf(route.path), {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(role ? { authorization: `Bearer ${h.tokens[role]}` } : {}) },
                body: JSON.stringify(body) ?? 'null',
              });
              const text = await res.text();
              stats.requests++;
              stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
              expect(res.status, text.slice(0, 500)).toBeLessThan(500);
              const after = await snapshot(requestId);
              if (res.status >= 400) {
                const json = JSON.parse(text) as { error?: { code?: string; message?: string } };
                expect(json.error?.code, text.slice(0, 300)).toMatch(/^[A-Z_]+$/);
                expect(json.error?.message?.length ?? 0).toBeGreaterThan(3);
                expect(after.audited, `audit written by a ${res.status}`).toBe(0);
                expect(after.counts, `rows changed by a ${res.status}: ${text.slice(0, 200)}`).toBe(last);
              }
              last = after.counts;
            }),
            { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20_261_128), endOnFailure: true },
          );
          expect(stats.requests).toBeGreaterThanOrEqual(RUNS);
        }
      });
    }
  });
}
