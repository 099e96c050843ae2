/**
 * The policy per object (api/policy.ts), walked over every route that acts on
 * a contract (the route table's `contract` entry): the owner and the
 * customer's own operators get through to the route's own checks; a sales
 * user who does not own the contract and an operator of another organisation
 * find no such contract (404, whatever body they send), or are refused by
 * role (403) where the route is not theirs. Lists are scoped the same way,
 * and recipient numbers are shown only to the roles whose work needs them.
 */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../api/app';
import { maskRecipient, mayOnContract } from '../../api/policy';
import { issueToken, upsertUser, type Role } from '../../db/users';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let contractId: string;
const extra: Record<'otherSales' | 'otherCustomer', string> = { otherSales: '', otherCustomer: '' };

beforeAll(async () => {
  h = await createHarness();
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  contractId = (await h.api('sales').post('/api/contracts', template.body).expect(201)).body.id;
  await upsertUser(h.database.db, { id: 'test-sales-2', name: '另一位销售', role: 'sales', organisation: null });
  extra.otherSales = await issueToken(h.database.db, 'test-sales-2');
  await upsertUser(h.database.db, { id: 'test-customer-2', name: '他单位操作员', role: 'customer', organisation: '包头市气象局' });
  extra.otherCustomer = await issueToken(h.database.db, 'test-customer-2');
});
afterAll(async () => {
  await h?.close();
});

type Caller = { name: string; token: string; role: Role };
const as = (caller: Caller, method: string, url: string) => {
  const request = supertest(h.app)[method as 'get' | 'post'](url).set('Authorization', `Bearer ${caller.token}`);
  // an empty body: the policy answers before the body is read
  return method === 'get' ? request : request.send({});
};
const urlOf = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? contractId : name === 'seq' ? '1' : `no-such-${name}`));

describe('the policy per contract', () => {
  it('walks every route that acts on a contract: owner and own customer get through, another sales user and another organisation do not', async () => {
    const owner: Caller = { name: 'the owner (sales)', token: h.tokens.sales, role: 'sales' };
    const ownCustomer: Caller = { name: 'an operator of Party A', token: h.tokens.customer, role: 'customer' };
    const otherSales: Caller = { name: 'another sales user', token: extra.otherSales, role: 'sales' };
    const otherCustomer: Caller = { name: 'an operator of another organisation', token: extra.otherCustomer, role: 'customer' };
    const routes = allRoutes(h.deps).filter((r) => r.contract);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const wrong: string[] = [];
    for (const route of routes) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      const roles = route.roles as readonly Role[];
      for (const caller of [owner, ownCustomer]) {
        const res = await as(caller, route.method, urlOf(route.path));
        const refused = res.status === 403 || (res.status === 404 && res.body?.error?.message === 'contract not found');
        if (roles.includes(caller.role) && refused) wrong.push(`${key} as ${caller.name}: ${res.status} ${JSON.stringify(res.body)}`);
        if (!roles.includes(caller.role) && res.status !== 403) wrong.push(`${key} as ${caller.name}: ${res.status}, expected 403 by role`);
      }
      for (const caller of [otherSales, otherCustomer]) {
        const res = await as(caller, route.method, urlOf(route.path));
        const expected = roles.includes(caller.role) ? 404 : 403;
        if (res.status !== expected) wrong.push(`${key} as ${caller.name}: ${res.status} ${JSON.stringify(res.body)}, expected ${expected}`);
        if (expected === 404 && res.body?.error?.message !== 'contract not found') wrong.push(`${key} as ${caller.name}: ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets finance act on money and legal on legal acts of any contract, and tells a sales user who may act', async () => {
    expect(mayOnContract({ id: 'f', role: 'finance', organisation: null }, 'act', { ownerId: 'someone', partyAName: 'x' })).toBe(true);
    expect(mayOnContract({ id: 'l', role: 'legal', organisation: null }, 'act', { ownerId: 'someone', partyAName: 'x' })).toBe(true);
    expect(mayOnContract({ id: 's', role: 'sales', organisation: null }, 'act', { ownerId: 'someone', partyAName: 'x' })).toBe(false);
    expect(mayOnContract({ id: 's', role: 'sales', organisation: null }, 'act', { ownerId: 's', partyAName: 'x' })).toBe(true);
    // the customer of another organisation cannot even read it; one with no organisation reads nothing
    expect(mayOnContract({ id: 'c', role: 'customer', organisation: null }, 'read', { ownerId: 's', partyAName: 'x' })).toBe(false);
  });

  it('scopes the lists: another sales user sees none of the owner\'s contracts, invoices or cases', async () => {
    const listed = async (token: string, url: string) => (await supertest(h.app).get(url).set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect((await listed(h.tokens.sales, '/api/contracts')).items.map((c: { id: string }) => c.id)).toContain(contractId);
    const foreign = await listed(extra.otherSales, '/api/contracts');
    expect(foreign.items.map((c: { id: string }) => c.id)).not.toContain(contractId);
    // asking for the owner's contracts by filter changes nothing
    expect((await listed(extra.otherSales, `/api/contracts?owner=${h.users.sales}`)).items).toEqual([]);
    expect((await listed(extra.otherSales, '/api/invoices')).items.filter((i: { contractId: string }) => i.contractId === contractId)).toEqual([]);
    expect((await listed(extra.otherSales, '/api/cases?status=all')).items.filter((c: { contract: { id: string } | null }) => c.contract?.id === contractId)).toEqual([]);
    // legal still sees every contract
    expect((await listed(h.tokens.legal, '/api/contracts')).items.map((c: { id: string }) => c.id)).toContain(contractId);
  });

  it('shows recipient numbers to operations, legal, admins and the customer, masked to everyone else', () => {
    const contract = { ownerId: 'test-sales', partyAName: '内蒙古自治区地震局' };
    const reveals = (role: Role, organisation: string | null = null) => mayOnContract({ id: `test-${role}`, role, organisation }, 'readRecipients', contract);
    expect([reveals('operations'), reveals('legal'), reveals('admin'), reveals('customer', '内蒙古自治区地震局')]).toEqual([true, true, true, true]);
    expect([reveals('finance'), reveals('sales')]).toEqual([false, false]);
    expect(maskRecipient('+8613800000011')).toBe('+86****0011');
  });
});
