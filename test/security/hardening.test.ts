/**
 * Request hardening: body size (413), strict schemas (unknown fields are 400 on
 * every POST route), bounded strings, rate limiting of failed authentication
 * (429 with Retry-After) and security headers on every response.
 */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allRoutes, createApp } from '../../api/app';
import { AUTH_FAILURE_LIMIT } from '../../api/auth';
import { createRateLimiter } from '../../api/rate-limit';
import { API_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../api/security-headers';
import { createHarness, type Harness } from '../support/harness';
import { callerOfRoute, urlOfRoute } from '../support/routes';

let h: Harness;
let contractId: string;

beforeAll(async () => {
  h = await createHarness();
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  contractId = (await h.api('sales').post('/api/contracts', template.body).expect(201)).body.id;
});
afterAll(async () => {
  await h?.close();
});

const postRoutes = () => allRoutes(h.deps).filter((r) => r.method === 'post');
const urlOf = (path: string) => urlOfRoute(path, contractId);
const callerOf = callerOfRoute;

function expectSecurityHeaders(res: supertest.Response, api = true) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers[name.toLowerCase()], name).toBe(value);
  if (api) {
    expect(res.headers['content-security-policy']).toBe(API_CONTENT_SECURITY_POLICY);
    expect(res.headers['cache-control']).toBe('no-store');
  }
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe('request bodies', () => {
  it('refuses a body over the limit with 413 and a clear code, before any handler runs', async () => {
    const template = await h.api('sales').get('/api/templates/reference').expect(200);
    const huge = { ...template.body, padding: 'x'.repeat(300 * 1024) };
    const before = await h.database.db.query('SELECT count(*)::int AS n FROM contracts');
    const res = await h.api('sales').post('/api/contracts', huge);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expectSecurityHeaders(res);
    const after = await h.database.db.query('SELECT count(*)::int AS n FROM contracts');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('rejects an unknown field on every POST route with 400 naming the field', async () => {
    const routes = postRoutes();
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) {
      expect(route.body, `${route.path} has no body schema`).toBeDefined();
      const res = await h.api(callerOf(route)).post(urlOf(route.path), { unexpectedField: 'x' });
      expect(res.status, `${route.method} ${route.path}: ${JSON.stringify(res.body)}`).toBe(400);
      const messages = JSON.stringify(res.body.error.issues);
      expect(messages, `${route.path} does not name the unknown key`).toContain('unexpectedField');
    }
  });

  it('rejects an unknown field even when the rest of the body is valid', async () => {
    const res = await h
      .api('sales')
      .post(`/api/contracts/${contractId}/signatures`, { party: 'A', signer: '张示例', title: '授权代表', sealed: true, isAdmin: true });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.issues)).toContain('isAdmin');
    const template = await h.api('sales').get('/api/templates/reference').expect(200);
    const nested = structuredClone(template.body);
    nested.terms.partyA.role = 'admin';
    const created = await h.api('sales').post('/api/contracts', nested);
    expect(created.status).toBe(400);
    expect(JSON.stringify(created.body.error.issues)).toContain('role');
  });

  it('bounds every string field of every POST body: a 10,001-character value is refused by the schema', () => {
    const candidates = ['0', 'a', 'A', '字', '0 '].map((c) => c.repeat(10_001)).concat([`【${'字'.repeat(10_000)}】`, `https://example.com/${'a'.repeat(10_000)}`]);
    const unbounded: string[] = [];
    const walk = (schema: z.ZodType, path: string, seen: Set<unknown>) => {
      if (!schema || seen.has(schema)) return;
      seen.add(schema);
      const s = schema as any;
      const def = s._zod.def;
      switch (def.type) {
        case 'string':
          if (s.maxLength == null && candidates.some((c) => schema.safeParse(c).success)) unbounded.push(path);
          return;
        case 'object':
          for (const [k, v] of Object.entries(def.shape)) walk(v as z.ZodType, `${path}.${k}`, seen);
          if (def.catchall) walk(def.catchall, `${path}.*`, seen);
          return;
        case 'array':
          if (!(def.checks ?? []).some((c: any) => c._zod.def.check === 'max_length') && schema.safeParse(Array.from({ length: 10_001 }, () => null)).success) unbounded.push(`${path} (array length)`);
          walk(def.element, `${path}[]`, seen);
          return;
        case 'optional': case 'nullable': case 'default': case 'readonly': case 'catch': case 'nonoptional': case 'prefault':
          walk(def.innerType, path, seen);
          return;
        case 'pipe':
          walk(def.in, path, seen);
          return;
        case 'union':
          def.options.forEach((o: z.ZodType, i: number) => walk(o, `${path}|${i}`, seen));
          return;
        case 'intersection':
          walk(def.left, path, seen);
          walk(def.right, path, seen);
          return;
        case 'record':
          // as many entries as a caller sends is unbounded; a record that refuses 10,001 of them is bounded, then its values are walked
          if (schema.safeParse(Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`k${i}`, 'v']))).success) unbounded.push(`${path} (record entries)`);
          walk(def.valueType, `${path}.*`, seen);
          return;
        case 'lazy':
          walk(def.getter(), path, seen);
          return;
        default:
          return;
      }
    };
    for (const route of postRoutes()) walk(route.body!, `${route.path} body`, new Set());
    expect(unbounded).toEqual([]);
  });

  it('answers a 100,000-character string with a 4xx (400, 413; 404 where the route takes no such field; 415 sent bare, as form data), never 5xx, on every POST route', async () => {
    for (const route of postRoutes()) {
      const long = '字'.repeat(100_000);
      const inJson = await h.api(callerOf(route)).post(urlOf(route.path), { name: long, signer: long, reason: long, url: long, reference: long });
      expect([400, 404, 409, 413], `${route.path}: ${inJson.status}`).toContain(inJson.status);
      // a bare string goes out form-encoded: not JSON, so 415 (or 413 when its size is checked first)
      const bare = await h.api(callerOf(route)).post(urlOf(route.path), long);
      expect([413, 415], `${route.path}: ${bare.status}`).toContain(bare.status);
    }
  });
});

describe('failed authentication', () => {
  it(`answers 429 with Retry-After after ${AUTH_FAILURE_LIMIT} wrong tokens from one address, even for a right token, while other addresses are served`, async () => {
    const app = createApp(h.deps); // its own limiter
    const from = (ip: string) => (req: supertest.Test) => req.set('X-Forwarded-For', ip);
    const attacker = from('203.0.113.7');
    for (let i = 0; i < AUTH_FAILURE_LIMIT - 1; i++) {
      const res = await attacker(supertest(app).get('/api/me').set('Authorization', `Bearer smsc_wrong_${i.toString().padStart(20, '0')}`));
      expect(res.status).toBe(401);
    }
    const last = await attacker(supertest(app).get('/api/me').set('Authorization', 'Bearer smsc_wrong_last_000000000000'));
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(last.headers['retry-after'])).toBeLessThanOrEqual(60);
    expectSecurityHeaders(last);

    const right = await attacker(supertest(app).get('/api/me').set('Authorization', `Bearer ${h.tokens.sales}`));
    expect(right.status).toBe(429);
    const malformed = await attacker(supertest(app).get('/api/me').set('Authorization', 'Basic YWRtaW46YWRtaW4='));
    expect(malformed.status).toBe(429);

    const other = await from('198.51.100.9')(supertest(app).get('/api/me').set('Authorization', `Bearer ${h.tokens.sales}`));
    expect(other.status).toBe(200);
    // no Authorization header at all is a plain 401 and counts nothing
    for (let i = 0; i < AUTH_FAILURE_LIMIT + 2; i++) expect((await from('198.51.100.10')(supertest(app).get('/api/me'))).status).toBe(401);
    expect((await from('198.51.100.10')(supertest(app).get('/api/me').set('Authorization', `Bearer ${h.tokens.legal}`))).status).toBe(200);
  });

  it('counts failures per window and forgets them when the window ends', () => {
    let now = 1_000;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect(limiter.fail('a').blocked).toBe(false);
    expect(limiter.fail('a').blocked).toBe(false);
    const third = limiter.fail('a');
    expect(third).toMatchObject({ blocked: true, retryAfterSeconds: 60 });
    now += 30_000;
    expect(limiter.check('a')).toMatchObject({ blocked: true, retryAfterSeconds: 30 });
    expect(limiter.check('b').blocked).toBe(false);
    now += 30_000;
    expect(limiter.check('a').blocked).toBe(false);
  });

  it('keeps its memory bounded under a spray of addresses', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, maxKeys: 1_000 });
    for (let i = 0; i < 5_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size()).toBeLessThanOrEqual(1_001);
  });
});

describe('security headers', () => {
  it('are on every kind of response: public, authenticated, 401, 403, 404, 400 and PDF/ICS downloads', async () => {
    expectSecurityHeaders(await h.api(null).get('/healthz'));
    expectSecurityHeaders(await h.api('sales').get('/api/me').expect(200));
    expectSecurityHeaders(await h.api(null).get('/api/me').expect(401));
    expectSecurityHeaders(await h.api('customer').get('/api/invoices').expect(403));
    expectSecurityHeaders(await h.api('sales').get('/api/no-such-route').expect(404));
    expectSecurityHeaders(await h.api('sales').post('/api/contracts', { nope: 1 }).expect(400));
    expectSecurityHeaders(await h.api('sales').get('/api/calendar.ics').expect(200));
    // outside the API (console files): the generic headers; the console sets its own policy
    expectSecurityHeaders(await supertest(h.app).get('/no-such-page'), false);
  });
});
