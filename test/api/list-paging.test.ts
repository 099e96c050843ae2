/**
 * The console's growing lists page through the API: the inbox (GET
 * /api/inbox), the cases (GET /api/cases) and the outages (GET /api/outages)
 * each take `limit` and `offset`, answer the total of the whole list with
 * every page (a page past the end too: empty, the total still counted), keep
 * their order from page to page, and refuse a bad limit or offset with 400
 * VALIDATION_FAILED naming the parameter. The rows are stored directly, each
 * with its own due time, so every page's rows are known in advance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContract } from '../../db/contracts';
import { insertOutage, openCase } from '../../db/legal';
import { recordNotification } from '../../db/notifications';
import { REFERENCE_TERMS } from '../../domain/terms';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;

/** 23 of each: two full pages of 10 and a third of 3 */
const N = 23;
const two = (i: number) => String(i).padStart(2, '0');
/** the i-th (1-based) due time: a day apart, in the order the lists show them */
const dueAt = (i: number) => new Date(Date.UTC(2031, 0, i, 16)).toISOString();

const CONTRACT = '00000000-0000-4000-8000-00000000a001';
const OTHER_CONTRACT = '00000000-0000-4000-8000-00000000a002';

beforeAll(async () => {
  h = await createHarness();
  const db = h.database.db;
  for (const id of [CONTRACT, OTHER_CONTRACT]) {
    await insertContract(db, { id, ownerId: h.users.sales, terms: REFERENCE_TERMS, workflowId: `contract-${id}`, idempotencyKey: null });
  }
  const actor = { id: h.users.legal, role: 'legal' };
  for (let i = 1; i <= N; i++) {
    // the breach cases of the first contract, due a day apart; the other contract's one case falls between them in time
    await db.withTransaction((tx) =>
      openCase(tx, {
        id: `case-paging-${two(i)}`, kind: 'breach', contractId: CONTRACT, status: 'served', servedBy: 'B', clause: '第八条第3款', description: `违约 ${two(i)}`,
        openedAt: '2030-12-01T02:00:00.000Z', actor, due: { kind: 'cure', dueAt: dueAt(i), explanation: '纠正期限' }, workflowId: `breach-paging-${two(i)}`,
        event: { type: 'served' },
      }),
    );
    await insertOutage(db, {
      id: `outage-paging-${two(i)}`, startedAt: '2030-12-01T02:00:00.000Z', learnedAt: '2030-12-01T02:00:00.000Z', cause: 'network', description: `中断 ${two(i)}`,
      scope: 'listed', status: 'pending', noticeDueAt: dueAt(i), noticeExplanation: '24 小时内通知', reportedBy: h.users.operations, workflowId: `outage-paging-${two(i)}`,
    });
    // one escalated breach for legal's inbox each (no due time: newest first)
    await recordNotification(db, {
      id: `escalation-paging-${two(i)}:escalated`, contractId: CONTRACT, audience: 'legal', recipient: 'legal', phone: null, reason: 'breach_escalated',
      subject: `待办 ${two(i)}`, body: '纠正期限届满，请决定是否起诉。',
    });
  }
  await db.withTransaction((tx) =>
    openCase(tx, {
      id: 'case-paging-other', kind: 'breach', contractId: OTHER_CONTRACT, status: 'served', servedBy: 'B', clause: '第八条第3款', description: '另一合同的违约',
      openedAt: '2030-12-01T02:00:00.000Z', actor, due: { kind: 'cure', dueAt: new Date(Date.UTC(2031, 0, 5, 20)).toISOString(), explanation: '纠正期限' }, workflowId: 'breach-paging-other',
      event: { type: 'served' },
    }),
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
});

type Page = { total: number; ids: string[] };

const range = (from: number, to: number, name: (i: number) => string) =>
  from <= to ? Array.from({ length: to - from + 1 }, (_, k) => name(from + k)) : Array.from({ length: from - to + 1 }, (_, k) => name(from - k));

async function page(path: string, role: Parameters<Harness['api']>[0], idOf: (item: Record<string, unknown>) => string): Promise<Page> {
  const res = await h.api(role).get(path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { total: res.body.total, ids: (res.body.items as Record<string, unknown>[]).map(idOf) };
}

async function expectRefused(path: string, role: Parameters<Harness['api']>[0], param: 'limit' | 'offset'): Promise<void> {
  const res = await h.api(role).get(path);
  expect(res.status, path).toBe(400);
  expect(res.body.error.code).toBe('VALIDATION_FAILED');
  expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual([`query.${param}`]);
}

describe('the inbox in pages (GET /api/inbox)', () => {
  const inbox = (query: string) => page(`/api/inbox?${query}`, 'legal', (item) => item.title as string);
  const title = (i: number) => `待办 ${two(i)}`;

  it('answers the total with each page, newest first from page to page, and an empty page past the end', async () => {
    expect(await inbox('limit=10')).toEqual({ total: N, ids: range(23, 14, title) });
    expect(await inbox('limit=10&offset=10')).toEqual({ total: N, ids: range(13, 4, title) });
    expect(await inbox('limit=10&offset=20')).toEqual({ total: N, ids: range(3, 1, title) });
    expect(await inbox('limit=10&offset=30')).toEqual({ total: N, ids: [] });
    // another state's pages count that state only
    expect(await inbox('state=done&limit=10&offset=10')).toEqual({ total: 0, ids: [] });
  });

  it('refuses a limit or offset out of bounds or not a whole number', async () => {
    for (const limit of ['0', '501', '-1', '2.5', 'ten']) await expectRefused(`/api/inbox?limit=${limit}`, 'legal', 'limit');
    for (const offset of ['-1', '1.5', '1000001']) await expectRefused(`/api/inbox?offset=${offset}`, 'legal', 'offset');
  });
});

describe('the cases in pages (GET /api/cases)', () => {
  const cases = (query: string) => page(`/api/cases?${query}`, 'legal', (item) => item.id as string);
  const caseId = (i: number) => `case-paging-${two(i)}`;

  it("answers the total with each page, soonest due first from page to page, within a contract's cases too", async () => {
    // the other contract's case is due between the 5th and the 6th
    expect(await cases('limit=10')).toEqual({ total: N + 1, ids: [...range(1, 5, caseId), 'case-paging-other', ...range(6, 9, caseId)] });
    expect(await cases('limit=10&offset=10')).toEqual({ total: N + 1, ids: range(10, 19, caseId) });
    expect(await cases('limit=10&offset=20')).toEqual({ total: N + 1, ids: range(20, 23, caseId) });
    expect(await cases(`contract=${CONTRACT}&status=all&limit=10&offset=20`)).toEqual({ total: N, ids: range(21, 23, caseId) });
    expect(await cases(`contract=${OTHER_CONTRACT}&kind=breach&limit=10`)).toEqual({ total: 1, ids: ['case-paging-other'] });
  });

  it('answers an empty page past the end with the total still counted', async () => {
    expect(await cases('limit=10&offset=30')).toEqual({ total: N + 1, ids: [] });
    expect(await cases(`contract=${CONTRACT}&status=all&limit=20&offset=40`)).toEqual({ total: N, ids: [] });
    expect(await cases('status=closed&limit=10&offset=10')).toEqual({ total: 0, ids: [] });
  });

  it('refuses a limit or offset out of bounds or not a whole number', async () => {
    for (const limit of ['0', '501', '-1', '2.5', 'ten']) await expectRefused(`/api/cases?limit=${limit}`, 'legal', 'limit');
    for (const offset of ['-1', '1.5', '1000001']) await expectRefused(`/api/cases?offset=${offset}`, 'legal', 'offset');
  });
});

describe('the outages in pages (GET /api/outages)', () => {
  const outages = (query: string) => page(`/api/outages?${query}`, 'operations', (item) => item.id as string);
  const outageId = (i: number) => `outage-paging-${two(i)}`;

  it('answers the total with each page, soonest notice deadline first from page to page, and an empty page past the end', async () => {
    expect(await outages('limit=10')).toEqual({ total: N, ids: range(1, 10, outageId) });
    expect(await outages('limit=10&offset=10')).toEqual({ total: N, ids: range(11, 20, outageId) });
    expect(await outages('status=all&limit=10&offset=20')).toEqual({ total: N, ids: range(21, 23, outageId) });
    expect(await outages('limit=10&offset=30')).toEqual({ total: N, ids: [] });
    expect(await outages('status=all&limit=200&offset=23')).toEqual({ total: N, ids: [] });
  });

  it('refuses a limit or offset out of bounds or not a whole number', async () => {
    for (const limit of ['0', '201', '-1', '2.5', 'ten']) await expectRefused(`/api/outages?limit=${limit}`, 'operations', 'limit');
    for (const offset of ['-1', '1.5', '1000001']) await expectRefused(`/api/outages?offset=${offset}`, 'operations', 'offset');
  });
});
