/**
 * Write budgets (api/write-limits.ts, counted in Postgres by
 * rate-limiter-flexible, table rate_limits of migration 017), with the API
 * running as the application's database role: past a small configured
 * budget a write is 429 RATE_LIMITED with Retry-After; users are
 * independent; two operators of one customer share their organisation's
 * budget and another organisation's is untouched; a replayed idempotent
 * request is not counted again and a 429 is not stored under its key; the
 * heavy routes have a stricter budget; and every write route of the route
 * table is behind the budget, reads never.
 */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes, createApp } from '../../api/app';
import { createDb, type Db } from '../../db/pool';
import { issueToken, upsertUser, type Role } from '../../db/users';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let appDb: Db;
let contractId: string;
const PARTY_A = '内蒙古自治区地震局';

const asAppRole = (url: string) => {
  const u = new URL(url);
  u.searchParams.set('options', '-c role=sms_app');
  return u.toString();
};

beforeAll(async () => {
  h = await createHarness();
  appDb = createDb({ connectionString: asAppRole(h.database.url), max: 4 });
  const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
  contractId = (await h.api('sales').post('/api/contracts', template).expect(201)).body.id;
});
afterAll(async () => {
  await appDb?.close();
  await h?.close();
});

let userSeq = 0;
/** a fresh user (so budgets of earlier tests do not carry over) and a client for it on `app` */
async function newUser(app: ReturnType<typeof createApp>, role: Role, organisation: string | null = null) {
  const id = `rl-${role}-${++userSeq}`;
  await upsertUser(h.database.db, { id, name: `限流${userSeq}`, role, organisation });
  const token = await issueToken(h.database.db, id);
  const auth = (t: supertest.Test) => t.set('Authorization', `Bearer ${token}`);
  return {
    id,
    get: (path: string) => auth(supertest(app).get(path)),
    post: (path: string, body: object = {}) => auth(supertest(app).post(path)).send(body),
    put: (path: string, body: object = {}) => auth(supertest(app).put(path)).send(body),
    delete: (path: string) => auth(supertest(app).delete(path)),
  };
}

const appWith = (rateLimits: { userWritesPerMinute: number; organisationWritesPerMinute: number; userHeavyPerMinute: number; organisationHeavyPerMinute: number }) =>
  createApp({ ...h.deps, db: appDb, rateLimits });

function expectLimited(res: supertest.Response, scope: 'user' | 'organisation', limitPerMinute: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error).toMatchObject({ code: 'RATE_LIMITED', scope, limitPerMinute });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body.error.retryAfterSeconds).toBe(retryAfter);
}

describe('write budgets', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the per-user budget; another user keeps theirs, and reads go on', async () => {
    const app = appWith({ userWritesPerMinute: 3, organisationWritesPerMinute: 1_000, userHeavyPerMinute: 1_000, organisationHeavyPerMinute: 1_000 });
    const a = await newUser(app, 'legal');
    const b = await newUser(app, 'legal');
    for (let i = 0; i < 3; i++) expect((await a.post('/api/tokens', { label: `a${i}` })).status).toBe(201);
    expectLimited(await a.post('/api/tokens', { label: 'a-over' }), 'user', 3);
    expectLimited(await a.delete('/api/tokens/tok_nope'), 'user', 3); // DELETE spends the same budget
    // b has its own budget
    for (let i = 0; i < 3; i++) expect((await b.post('/api/tokens', { label: `b${i}` })).status).toBe(201);
    expectLimited(await b.post('/api/tokens', { label: 'b-over' }), 'user', 3);
    // reads are not budgeted: a lists its tokens, the 3 it got and none of the refused ones
    const listed = await a.get('/api/tokens').expect(200);
    expect(listed.body.items.map((t: { label: string }) => t.label).filter((l: string) => l.startsWith('a')).sort()).toEqual(['a0', 'a1', 'a2']);
  });

  it('shares the organisation budget between two operators of one customer; another customer is untouched; a user past their own budget spends none of it', async () => {
    const app = appWith({ userWritesPerMinute: 3, organisationWritesPerMinute: 5, userHeavyPerMinute: 1_000, organisationHeavyPerMinute: 1_000 });
    const first = await newUser(app, 'customer', '测试客户甲');
    const second = await newUser(app, 'customer', '测试客户甲');
    const other = await newUser(app, 'customer', '测试客户乙');
    for (let i = 0; i < 3; i++) expect((await first.post('/api/tokens')).status).toBe(201);
    // past their own budget: refused as a user, and the organisation's budget is not spent by it
    for (let i = 0; i < 3; i++) expectLimited(await first.post('/api/tokens'), 'user', 3);
    // the second operator has 3 of their own but only 2 of the organisation's 5 are left
    expect((await second.post('/api/tokens')).status).toBe(201);
    expect((await second.post('/api/tokens')).status).toBe(201);
    expectLimited(await second.post('/api/tokens'), 'organisation', 5);
    // the other customer's operators write on
    for (let i = 0; i < 3; i++) expect((await other.post('/api/tokens')).status).toBe(201);
  });

  it('does not count an idempotent replay again, and does not store a 429 under its key (the retry runs)', async () => {
    const app = appWith({ userWritesPerMinute: 3, organisationWritesPerMinute: 1_000, userHeavyPerMinute: 1_000, organisationHeavyPerMinute: 1_000 });
    const u = await newUser(app, 'finance');
    const first = await u.post('/api/tokens', { label: 'once' }).set('Idempotency-Key', 'rl-once');
    expect(first.status).toBe(201);
    for (let i = 0; i < 4; i++) {
      const replay = await u.post('/api/tokens', { label: 'once' }).set('Idempotency-Key', 'rl-once');
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    // the replays spent nothing: two more writes fit in the budget of 3
    expect((await u.post('/api/tokens', { label: 'two' })).status).toBe(201);
    expect((await u.post('/api/tokens', { label: 'three' })).status).toBe(201);
    expectLimited(await u.post('/api/tokens', { label: 'four' }).set('Idempotency-Key', 'rl-four'), 'user', 3);
    const stored = await h.database.db.query('SELECT key FROM idempotency_keys WHERE actor_id = $1 ORDER BY key', [u.id]);
    expect(stored.rows.map((r) => r.key)).toEqual(['rl-once']);
    // a replay is still answered past the budget (it costs nothing)
    expect((await u.post('/api/tokens', { label: 'once' }).set('Idempotency-Key', 'rl-once')).headers['idempotent-replayed']).toBe('true');
  });

  it('gives the heavy routes (SMS submission, contract imports) a stricter budget of their own', async () => {
    const app = appWith({ userWritesPerMinute: 10, organisationWritesPerMinute: 1_000, userHeavyPerMinute: 2, organisationHeavyPerMinute: 1_000 });
    const u = await newUser(app, 'sales');
    // invalid imports still spend the budget: it is counted before the body is judged
    expect((await u.post('/api/contract-imports', {})).status).toBe(400);
    expect((await u.post('/api/contract-imports', {})).status).toBe(400);
    const refused = await u.post('/api/contract-imports', {});
    expectLimited(refused, 'user', 2);
    expect(refused.body.error.message).toContain('heavy writes');
    // ordinary writes go on: 3 of the 10 spent
    expect((await u.post('/api/tokens')).status).toBe(201);
  });

  it('puts every write route of the route table behind the budget, and no read', async () => {
    const app = appWith({ userWritesPerMinute: 1, organisationWritesPerMinute: 1_000_000, userHeavyPerMinute: 1, organisationHeavyPerMinute: 1_000_000 });
    const routes = allRoutes(h.deps).filter((r) => r.roles !== 'public');
    const writes = routes.filter((r) => r.method !== 'get');
    expect(writes.length).toBeGreaterThan(25);
    // a role that may act on the contract without owning it (api/policy.ts): sales only on their own
    const pick = (roles: readonly Role[]): [Role, string | null] => {
      for (const role of ['admin', 'operations', 'legal', 'finance'] as const) if (roles.includes(role)) return [role, null];
      if (roles.includes('customer')) return ['customer', PARTY_A];
      throw new Error(`no role to test ${roles.join(',')}`);
    };
    const pathOf = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' && path.startsWith('/api/contracts/') ? contractId : name === 'year' ? '2031' : 'rl-none'));
    const outcomes: string[] = [];
    for (const route of writes) {
      const [role, organisation] = pick(route.roles as readonly Role[]);
      const u = await newUser(app, role, organisation);
      const path = pathOf(route.path);
      const send = () => u[route.method as 'post' | 'put' | 'delete'](path, {});
      const first = await send();
      expect(first.status, `${route.method} ${route.path}: ${JSON.stringify(first.body)}`).not.toBe(429);
      const second = await send();
      outcomes.push(`${route.method.toUpperCase()} ${route.path} ${second.status}`);
      expect(second.status, `${route.method} ${route.path} as ${role}: ${JSON.stringify(second.body)}`).toBe(429);
      expect(second.body.error.code).toBe('RATE_LIMITED');
      expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // a user past the budget still reads
    const reader = await newUser(app, 'admin');
    await reader.post('/api/tokens').expect(201);
    expectLimited(await reader.post('/api/tokens'), 'user', 1);
    await reader.get('/api/tokens').expect(200);
    await reader.get(`/api/contracts/${contractId}`).expect(200);
    expect(outcomes).toHaveLength(writes.length);
  });
});
