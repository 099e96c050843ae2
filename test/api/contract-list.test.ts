/**
 * GET /api/contracts searched, sorted and paged, and GET /api/contract-owners,
 * over a hand-built book of eight contracts with fixed numbers, names, credit
 * codes, creation instants and deadlines (no instant depends on today).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContract } from '../../db/contracts';
import { syncDeadlines } from '../../db/deadlines';
import { deactivateUser, setTeamLead, upsertUser } from '../../db/users';
import { REFERENCE_TERMS } from '../../domain/terms';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;

const OTHER_SALES = 'u-list-other';
const TEAM_MEMBER = 'u-list-member';
const DEACTIVATED = 'u-list-gone';
const CREDIT_CODE_A = '91150100MA0N7X2K2W';

/** [key, id, number, Party A, created at, the open deadline's due instant, owned by the other sales user] */
const BOOK = [
  ['A', 'c-list-a', 'SMS-2031-000005', 'Alpha 呼和浩特气象局', '2030-01-01T02:00:00.000Z', '2031-03-01T16:00:00.000Z', false],
  ['B', 'c-list-b', 'SMS-2031-000003', 'Bravo 50%折扣商行', '2030-01-02T02:00:00.000Z', '2031-01-01T16:00:00.000Z', false],
  ['C', 'c-list-c', 'SMS-2031-000008', 'Charlie 5折商行\\分部', '2030-01-03T02:00:00.000Z', '2031-02-01T16:00:00.000Z', false],
  ['D', 'c-list-d', 'SMS-2031-000001', 'Delta_公司', '2030-01-04T02:00:00.000Z', null, false],
  ['E', 'c-list-e', 'SMS-2031-000007', 'Echo 北京（分公司）', '2030-01-05T02:00:00.000Z', null, true],
  ['F1', 'c-list-f1', 'SMS-2031-000002', 'Foxtrot 同名', '2030-01-06T02:00:00.000Z', null, false],
  ['F2', 'c-list-f2', 'SMS-2031-000006', 'Foxtrot 同名', '2030-01-06T02:00:00.000Z', null, false],
  ['F3', 'c-list-f3', 'SMS-2031-000004', 'Foxtrot 同名', '2030-01-06T02:00:00.000Z', null, false],
] as const;
type Key = (typeof BOOK)[number][0];
const keyOf = new Map<string, Key>(BOOK.map(([key, id]) => [id, key]));

beforeAll(async () => {
  h = await createHarness();
  const db = h.database.db;
  await upsertUser(db, { id: OTHER_SALES, name: '丙销售', role: 'sales', organisation: null });
  await upsertUser(db, { id: TEAM_MEMBER, name: '甲销售', role: 'sales', organisation: null });
  await upsertUser(db, { id: DEACTIVATED, name: '乙销售', role: 'sales', organisation: null });
  expect(await deactivateUser(db, { userId: DEACTIVATED, by: 'test' })).toBe(true);
  expect((await setTeamLead(db, { userId: TEAM_MEMBER, leadId: h.users.sales })).outcome).toBe('set');
  for (const [key, id, number, name, createdAt, dueAt, other] of BOOK) {
    const partyA = { ...REFERENCE_TERMS.partyA, name, ...(key === 'A' ? { creditCode: CREDIT_CODE_A } : {}) };
    await insertContract(db, { id, ownerId: other ? OTHER_SALES : h.users.sales, terms: { ...REFERENCE_TERMS, partyA }, workflowId: `contract-${id}`, idempotencyKey: null });
    await db.query('UPDATE contracts SET number = $2, created_at = $3 WHERE id = $1', [id, number, createdAt]);
    if (dueAt) {
      await syncDeadlines(db, {
        workflowId: `contract-${id}`,
        contractId: id,
        open: [{ kind: 'payment', ref: 'T1', dueAt, explanation: '付款期限', explanationEn: 'payment deadline' }],
        closed: [],
      });
    }
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Listed = { total: number; items: { id: string; number: string; partyA: string; ownerId: string }[] };

const list = async (query: Record<string, string | number>, role: 'admin' | 'sales' | 'customer' = 'admin') => {
  const res = await h.api(role).get(`/api/contracts?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const body = res.body as Listed;
  return { total: body.total, keys: body.items.map((item) => keyOf.get(item.id)) };
};

describe('searching the contract list (q)', () => {
  it('finds a contract by a part of its number, in any case', async () => {
    expect(await list({ q: 'SMS-2031-000005' })).toEqual({ total: 1, keys: ['A'] });
    expect(await list({ q: 'sms-2031-00000', sort: 'number' })).toEqual({ total: 8, keys: ['D', 'F1', 'B', 'F3', 'A', 'F2', 'E', 'C'] });
  });

  it("finds a contract by a part of Party A's name, in any case", async () => {
    expect(await list({ q: 'bravo' })).toEqual({ total: 1, keys: ['B'] });
    expect(await list({ q: '气象' })).toEqual({ total: 1, keys: ['A'] });
    expect(await list({ q: 'FOXTROT', sort: 'number' })).toEqual({ total: 3, keys: ['F1', 'F3', 'F2'] });
  });

  it("finds a contract by a part of Party A's credit code, in any case", async () => {
    expect(await list({ q: 'ma0n7x2k' })).toEqual({ total: 1, keys: ['A'] });
  });

  it('folds full-width input: digits, letters, hyphens and spaces as typed by a Chinese input method', async () => {
    expect(await list({ q: 'ＳＭＳ－２０３１－０００００５' })).toEqual({ total: 1, keys: ['A'] });
    expect(await list({ q: '　ｅｃｈｏ　' })).toEqual({ total: 1, keys: ['E'] });
    // the stored name has full-width brackets, the query ordinary ones
    expect(await list({ q: '北京(分公司)' })).toEqual({ total: 1, keys: ['E'] });
  });

  it('matches %, _ and \\ literally', async () => {
    expect(await list({ q: '50%' })).toEqual({ total: 1, keys: ['B'] });
    expect(await list({ q: '%' })).toEqual({ total: 1, keys: ['B'] });
    expect(await list({ q: 'a_' })).toEqual({ total: 1, keys: ['D'] });
    expect(await list({ q: '\\' })).toEqual({ total: 1, keys: ['C'] });
  });

  it("searches within the caller's scope, and combines with the other filters", async () => {
    // Echo belongs to another sales user, outside this one's team
    expect(await list({ q: 'echo' }, 'sales')).toEqual({ total: 0, keys: [] });
    expect(await list({ q: 'bravo' }, 'customer')).toEqual({ total: 0, keys: [] });
    expect(await list({ q: 'Foxtrot', owner: h.users.sales, sort: 'number' }, 'sales')).toEqual({ total: 3, keys: ['F1', 'F3', 'F2'] });
    expect(await list({ q: 'echo', owner: OTHER_SALES })).toEqual({ total: 1, keys: ['E'] });
    expect(await list({ q: 'echo', owner: h.users.sales })).toEqual({ total: 0, keys: [] });
  });
});

describe('sorting the contract list (sort)', () => {
  const ORDERS: Record<string, Key[]> = {
    number: ['D', 'F1', 'B', 'F3', 'A', 'F2', 'E', 'C'],
    '-number': ['C', 'E', 'F2', 'A', 'F3', 'B', 'F1', 'D'],
    partyA: ['A', 'B', 'C', 'D', 'E', 'F1', 'F2', 'F3'],
    // equal names keep the id order in either direction
    '-partyA': ['F1', 'F2', 'F3', 'E', 'D', 'C', 'B', 'A'],
    createdAt: ['A', 'B', 'C', 'D', 'E', 'F1', 'F2', 'F3'],
    '-createdAt': ['F1', 'F2', 'F3', 'E', 'D', 'C', 'B', 'A'],
    // contracts without an open deadline last, either way
    nextDeadline: ['B', 'C', 'A', 'D', 'E', 'F1', 'F2', 'F3'],
    '-nextDeadline': ['A', 'C', 'B', 'D', 'E', 'F1', 'F2', 'F3'],
  };

  it.each(Object.entries(ORDERS))('sorts by %s', async (sort, keys) => {
    expect(await list({ sort })).toEqual({ total: 8, keys });
  });

  it('keeps the newest first when no sort is asked for', async () => {
    expect(await list({})).toEqual({ total: 8, keys: ORDERS['-createdAt'] });
  });

  it('pages every sort without repeating or skipping a row, ties included, with the total on every page', async () => {
    for (const [sort, keys] of Object.entries(ORDERS)) {
      const pages = [await list({ sort, limit: 3, offset: 0 }), await list({ sort, limit: 3, offset: 3 }), await list({ sort, limit: 3, offset: 6 })];
      expect(pages.map((p) => p.total)).toEqual([8, 8, 8]);
      expect(pages.map((p) => p.keys)).toEqual([keys.slice(0, 3), keys.slice(3, 6), keys.slice(6)]);
    }
    expect(await list({ sort: 'partyA', limit: 3, offset: 10 })).toEqual({ total: 8, keys: [] });
    expect(await list({ q: 'foxtrot', sort: '-partyA', limit: 2, offset: 2 })).toEqual({ total: 3, keys: ['F3'] });
  });

  it('refuses an unknown sort, an empty or overlong search and a search of spaces only, naming the parameter', async () => {
    for (const [query, path] of [
      ['sort=status', 'query.sort'],
      ['sort=-', 'query.sort'],
      ['sort=number,partyA', 'query.sort'],
      ['q=', 'query.q'],
      ['q=%E3%80%80%20', 'query.q'],
      [`q=${'x'.repeat(101)}`, 'query.q'],
    ] as const) {
      const res = await h.api('admin').get(`/api/contracts?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual([path]);
    }
    expect((await list({ q: 'x'.repeat(100) })).total).toBe(0);
  });
});

describe('the owners a contract list can be narrowed to (GET /api/contract-owners)', () => {
  type Owners = { items: { id: string; name: string; role: string; active: boolean }[] };

  it('gives other staff every sales user by name, the deactivated ones marked', async () => {
    for (const role of ['admin', 'legal', 'finance', 'operations'] as const) {
      const res = await h.api(role).get('/api/contract-owners');
      expect(res.status, role).toBe(200);
      // by name: 丙 (U+4E19), 乙 (U+4E59), 测 (U+6D4B), 甲 (U+7532)
      expect((res.body as Owners).items).toEqual([
        { id: OTHER_SALES, name: '丙销售', role: 'sales', active: true },
        { id: DEACTIVATED, name: '乙销售', role: 'sales', active: false },
        { id: h.users.sales, name: '测试sales', role: 'sales', active: true },
        { id: TEAM_MEMBER, name: '甲销售', role: 'sales', active: true },
      ]);
    }
  });

  it('gives a sales user themself and the team they lead, the owners their list can show', async () => {
    const res = await h.api('sales').get('/api/contract-owners');
    expect(res.status).toBe(200);
    expect((res.body as Owners).items.map((o) => o.id).sort()).toEqual([TEAM_MEMBER, h.users.sales].sort());
  });

  it('is not for customers', async () => {
    const res = await h.api('customer').get('/api/contract-owners');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});
