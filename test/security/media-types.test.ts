/**
 * Media types: every route that takes a body answers 415 naming the accepted
 * type when the body is not sent as JSON (text/plain, form-encoded as curl -d
 * sends it, or no Content-Type at all), before any handler or idempotency
 * record runs (one test per body route of the route table); valid JSON that
 * is not an object is named as such, a request without a body is told to
 * send one, and a bad field gets one message that does not contradict another.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import type { RouteDef } from '../../api/http';
import { createHarness, type Harness } from '../support/harness';
import { callerOfRoute, urlOfRoute } from '../support/routes';

let h: Harness;
let server: Server;
let base: string;
let contractId: string;

beforeAll(async () => {
  h = await createHarness();
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  contractId = (await h.api('sales').post('/api/contracts', template.body).expect(201)).body.id;
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

const bodyRoutes = () => allRoutes(h.deps).filter((r) => r.body !== undefined);
const urlOf = (path: string) => urlOfRoute(path, contractId);
const callerOf = callerOfRoute;

/** A raw request with exactly the headers given (fetch adds no Content-Type for a byte body). */
async function send(route: RouteDef<any, any>, body: Uint8Array | string, contentType: string | null, idempotencyKey?: string) {
  const caller = callerOf(route);
  const headers: Record<string, string> = {};
  if (caller) headers.authorization = `Bearer ${h.tokens[caller]}`;
  if (contentType) headers['content-type'] = contentType;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(`${base}${urlOf(route.path)}`, { method: route.method.toUpperCase(), headers, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { error: { code: string; message: string; accepted?: string[] } } };
}

/** The route table as the app builds it (route definitions only: nothing is called), for one test per body route. */
const BODY_ROUTES = allRoutes({} as AppDeps)
  .filter((r) => r.body !== undefined)
  .map((r) => ({ name: `${r.method.toUpperCase()} ${r.path}`, method: r.method, path: r.path }));

describe('request media types', () => {
  it('has body routes to check', () => {
    expect(BODY_ROUTES.length).toBeGreaterThan(20);
    expect(bodyRoutes().map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual(BODY_ROUTES.map((r) => r.name));
  });

  it.each(BODY_ROUTES)('$name answers 415 naming application/json for text/plain, form-encoded and no Content-Type', async ({ method, path }) => {
    const route = bodyRoutes().find((r) => r.method === method && r.path === path)!;
    const json = JSON.stringify({ reason: '测试' });
    const cases: [string, Uint8Array | string, string | null][] = [
      ['text/plain', json, 'text/plain;charset=UTF-8'],
      ['form-encoded', 'reason=x&amount=1', 'application/x-www-form-urlencoded'],
      ['no Content-Type', new TextEncoder().encode(json), null],
    ];
    for (const [name, body, type] of cases) {
      const res = await send(route, body, type);
      const where = `${route.method.toUpperCase()} ${route.path} (${name})`;
      expect(res.status, `${where}: ${JSON.stringify(res.body)}`).toBe(415);
      expect(res.body.error.code, where).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.error.message, where).toContain('application/json');
      expect(res.body.error.accepted, where).toEqual(['application/json']);
      expect(res.headers.get('accept-post'), where).toBe('application/json');
    }
  });

  it('names the type that was sent, writes nothing and keeps no idempotency record', async () => {
    const route = allRoutes(h.deps).find((r) => r.method === 'post' && r.path === '/api/contracts')!;
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const before = (await h.database.db.query('SELECT count(*)::int AS n FROM contracts')).rows[0]!.n;
    const res = await send(route, JSON.stringify(template), 'text/plain', 'media-type-1');
    expect(res.status).toBe(415);
    expect(res.body.error.message).toBe('the body must be sent as application/json, not text/plain');
    expect(res.body.error.accepted).toEqual(['application/json']);
    expect((await h.database.db.query('SELECT count(*)::int AS n FROM contracts')).rows[0]!.n).toBe(before);
    // the same key with the right type is a fresh request, not a replay of the 415
    const ok = await send(route, JSON.stringify(template), 'application/json', 'media-type-1');
    expect(ok.status).toBe(201);
  });

  it('still takes JSON with a charset, refuses other charsets with 415, and names a body that is JSON but not an object', async () => {
    const route = allRoutes(h.deps).find((r) => r.method === 'post' && r.path === '/api/contracts')!;
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    expect((await send(route, JSON.stringify(template), 'application/json; charset=utf-8')).status).toBe(201);
    const gbk = await send(route, JSON.stringify(template), 'application/json; charset=gbk');
    expect(gbk.status).toBe(415);
    const nullBody = await send(route, 'null', 'application/json');
    expect(nullBody.status).toBe(400);
    expect(nullBody.body.error.message).toBe('request body must be a JSON object, not null');
    const broken = await send(route, '{"terms":', 'application/json');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toBe('request body is not valid JSON');
  });

  it('never contradicts itself: no body is "missing", null is "must be a JSON object", a negative yearly fee is just "must be positive"', async () => {
    const route = allRoutes(h.deps).find((r) => r.method === 'post' && r.path === '/api/contracts')!;
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;

    const empty = await fetch(`${base}/api/contracts`, { method: 'POST', headers: { authorization: `Bearer ${h.tokens.sales}` } });
    const emptyBody = (await empty.json()) as { error: { code: string; message: string; issues: { path: string; message: string }[] } };
    expect(empty.status).toBe(400);
    expect(emptyBody.error.message).toBe('request body is missing: send a JSON object as application/json');
    expect(emptyBody.error.issues).toEqual([{ path: 'body', message: 'must be a JSON object' }]);
    expect(JSON.stringify(emptyBody)).not.toContain('received undefined');

    for (const [raw, what] of [['null', 'null'], ['5', 'a number'], ['"terms"', 'a string'], ['[]', 'an array']] as const) {
      const res = await send(route, raw, 'application/json');
      expect(res.status, raw).toBe(400);
      expect(res.body.error.message, raw).toBe(`request body must be a JSON object, not ${what}`);
    }

    // the reference terms with a negative yearly fee (and the total the reference terms give, 299,700 fen)
    for (const fee of [-99_900, 0]) {
      const terms = structuredClone(template.terms);
      terms.package.yearlyFeeFen = fee;
      const res = await send(route, JSON.stringify({ terms }), 'application/json');
      expect(res.status).toBe(400);
      const issues = (res.body.error as unknown as { issues: { path: string; message: string }[] }).issues;
      expect(issues, JSON.stringify(issues)).toEqual([{ path: 'body.terms.package.yearlyFeeFen', message: 'must be positive' }]);
    }
    // a valid fee with a wrong total still names the total it expects (999 CNY x 3 years = 2,997 CNY)
    const terms = structuredClone(template.terms);
    terms.payment.totalFen = 100;
    const wrongTotal = await send(route, JSON.stringify({ terms }), 'application/json');
    expect((wrongTotal.body.error as unknown as { issues: { path: string; message: string }[] }).issues).toEqual([
      { path: 'body.terms.payment.totalFen', message: 'must equal the yearly fee times the term in years (99900 x 3 = 299700 fen)' },
    ]);
  });
});
