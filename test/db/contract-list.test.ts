/**
 * The contract list (GET /api/contracts) on a real Postgres: which contracts a
 * filter matches, their order, each one's next open deadline and the total.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { insertContract, listContracts, updateContractStatus, type ContractFilter } from '../../db/contracts';
import { syncDeadlines } from '../../db/deadlines';
import { upsertUser } from '../../db/users';
import { REFERENCE_TERMS } from '../../domain/terms';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

let database: TestDatabase;
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
/** in creation order: [owner, status, open deadlines due in (days), closed deadlines due in (days)] */
const SPEC: [string, 'active' | 'awaiting_signatures', number[], number[]][] = [
  ['u-li', 'active', [40, 10], []],
  ['u-li', 'awaiting_signatures', [5], []],
  ['u-wang', 'active', [], [3]],
  ['u-wang', 'active', [25], []],
  ['u-li', 'active', [90], [2]],
];
const ids: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject('adminUrl'), inject('templateDb'));
  const db = database.db;
  for (const id of ['u-li', 'u-wang']) await upsertUser(db, { id, name: id, role: 'sales', organisation: null } as never);
  for (const [i, [owner, status, open, closed]] of SPEC.entries()) {
    const id = randomUUID();
    ids.push(id);
    await insertContract(db, { id, ownerId: owner, terms: REFERENCE_TERMS, workflowId: `contract-${id}`, idempotencyKey: null });
    // distinct creation instants, oldest first
    await db.query(`UPDATE contracts SET created_at = now() - make_interval(mins => $2) WHERE id = $1`, [id, 100 - i]);
    if (status === 'active') expect(await updateContractStatus(db, { id, from: ['awaiting_signatures'], to: 'active' })).toBe(true);
    const deadline = (kind: 'payment', days: number) => ({ kind, ref: String(days), dueAt: at(days), explanation: `${days} 日`, explanationEn: `${days} days` });
    await syncDeadlines(db, { workflowId: `contract-${id}`, contractId: id, open: [...open, ...closed].map((d) => deadline('payment', d)), closed: [] });
    await syncDeadlines(db, { workflowId: `contract-${id}`, contractId: id, open: [], closed: closed.map((d) => ({ kind: 'payment', ref: String(d), status: 'met' as const })) });
  }
});
afterAll(() => database?.drop());

const list = (filter: Partial<ContractFilter>) => listContracts(database.db, { limit: 50, offset: 0, ...filter });
const positions = (items: { id: string }[]) => items.map((item) => ids.indexOf(item.id));

describe('the contract list', () => {
  it('lists newest first with each contract’s next open deadline, closed ones left out', async () => {
    const { items, total } = await list({});
    expect(total).toBe(5);
    expect(positions(items)).toEqual([4, 3, 2, 1, 0]);
    expect(items.map((i) => i.nextDeadline && Math.round((Date.parse(i.nextDeadline.dueAt) - Date.now()) / DAY))).toEqual([90, 25, null, 5, 10]);
    expect(items[4]!.nextDeadline).toMatchObject({ kind: 'payment', explanation: '10 日' });
  });

  it('filters by status, owner and deadline within N days, alone and together, with the total of every match', async () => {
    expect(positions((await list({ status: 'active' })).items)).toEqual([4, 3, 2, 0]);
    expect(positions((await list({ ownerId: 'u-wang' })).items)).toEqual([3, 2]);
    const due30 = await list({ deadlineWithinDays: 30 });
    expect([positions(due30.items), due30.total]).toEqual([[3, 1, 0], 3]);
    const narrow = await list({ status: 'active', ownerId: 'u-li', deadlineWithinDays: 30 });
    expect([positions(narrow.items), narrow.total]).toEqual([[0], 1]);
    expect((await list({ deadlineWithinDays: 1 })).total).toBe(0);
  });

  it('pages with limit and offset and keeps the total, also past the last page', async () => {
    const first = await list({ limit: 2 });
    const second = await list({ limit: 2, offset: 2 });
    const past = await list({ limit: 2, offset: 10 });
    expect([positions(first.items), positions(second.items), past.items]).toEqual([[4, 3], [2, 1], []]);
    expect([first.total, second.total, past.total]).toEqual([5, 5, 5]);
    const due = await list({ deadlineWithinDays: 30, limit: 1, offset: 1 });
    expect([positions(due.items), due.total]).toEqual([[1], 3]);
  });
});
