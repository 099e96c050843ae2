/**
 * The permission matrix, written out by hand and compared with the routes the
 * app really serves (allRoutes): a route without an entry here, or whose roles
 * differ from the entry, fails. Then every route is called as every role and
 * as nobody: denied roles get 403, allowed roles anything but 401/403, nobody
 * 401 (only /healthz, signing in and the calendar subscription URL are public).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../api/app';
import type { Role } from '../../db/users';
import { createHarness, ROLE_LIST, type Harness } from '../support/harness';

const ALL: Role[] = ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'];
const STAFF: Role[] = ['sales', 'legal', 'finance', 'operations', 'admin'];

/** route → who may call it. Keep in step with the routes; a new route needs a line here. */
const EXPECTED: Record<string, Role[] | 'public'> = {
  'GET /healthz': 'public',
  'GET /api/me': ALL,
  'POST /api/session': 'public',
  'GET /api/session': ALL,
  'DELETE /api/session': ALL,
  'POST /api/session/sign-out-everywhere': ALL,
  'PUT /api/me/password': ALL,
  'POST /api/users': ['admin'],
  'GET /api/users': ['admin'],
  'PUT /api/users/:id/role': ['admin'],
  'PUT /api/users/:id/password': ['admin'],
  'PUT /api/users/:id/organisation-credit-code': ['admin'],
  'PUT /api/users/:id/team-lead': ['admin'],
  'PUT /api/users/:id/contact': ['admin'],
  'GET /api/templates/reference': [...STAFF, 'customer'],
  'POST /api/contracts': ['sales', 'admin'],
  'GET /api/contracts': ALL,
  'GET /api/contract-owners': STAFF,
  'GET /api/contracts/:id': ALL,
  'POST /api/contracts/:id/signatures': ['sales', 'admin'],
  'PUT /api/contracts/:id/party-a-credit-code': ['admin'],
  'GET /api/contracts/:id/documents/:docId': ALL,
  'GET /api/invoices': ['finance', 'sales', 'admin'],
  'GET /api/invoices/summary': ['finance', 'sales', 'admin'],
  'GET /api/invoices/ageing.csv': ['finance', 'sales', 'admin'],
  'POST /api/contracts/:id/payments': ['finance', 'admin'],
  'POST /api/contracts/:id/top-ups': ['sales', 'finance', 'customer', 'admin'],
  'GET /api/contracts/:id/quota': ALL,
  'POST /api/contracts/:id/renewal-objections': ['sales', 'legal', 'customer', 'admin'],
  'POST /api/contracts/:id/termination': ['legal', 'admin'],
  'POST /api/contracts/:id/amendments': ['sales', 'legal', 'admin'],
  'POST /api/contracts/:id/amendments/:seq/signatures': ['sales', 'legal', 'admin'],
  'GET /api/contracts/:id/amendments': ALL,
  // Art.3 §3: Party A confirms the delivery form; sales record it for them
  'GET /api/contracts/:id/delivery-confirmation': ALL,
  'POST /api/contracts/:id/delivery-confirmation': ['sales', 'admin', 'customer'],
  'GET /api/digests': ['sales', 'legal', 'finance', 'admin'],
  'GET /api/digests/latest': ['sales', 'legal', 'finance', 'admin'],
  'GET /api/calendar.ics': ALL,
  'GET /api/calendar-feed': ALL,
  'POST /api/calendar-feed': ALL,
  'DELETE /api/calendar-feed': ALL,
  // a calendar app's subscription URL: the secret in the path is the credential (test/api/calendar-feed.test.ts)
  'GET /api/calendar/:token.ics': 'public',
  'GET /api/holiday-calendar': ALL,
  'GET /api/holiday-calendar/:year': ALL,
  'PUT /api/holiday-calendar/:year': ['legal', 'admin'],
  'POST /api/contract-imports': ['admin', 'sales', 'finance'],
  'GET /api/tokens': ALL,
  'POST /api/tokens': ALL,
  'DELETE /api/tokens/:tokenId': ALL,
  'POST /api/users/:id/tokens': ['admin'],
  'POST /api/users/:id/deactivation': ['admin'],
  'POST /api/webhooks': ['admin'],
  'GET /api/webhook-events': ['admin'],
  'GET /api/webhooks': ['admin'],
  'GET /api/webhooks/:id/deliveries': ['admin'],
  // legal cases: breach (Art.10), outages (Art.5 §8), content violations (Art.4 §10(5), Art.8 §5), force majeure (Art.9)
  'GET /api/cases': ALL,
  'GET /api/cases/:id': ALL,
  'POST /api/contracts/:id/breach-notices': ['legal', 'sales', 'admin'],
  'POST /api/breach-cases/:id/cure': ['legal', 'sales', 'customer', 'admin'],
  'POST /api/breach-cases/:id/objection': ['legal', 'sales', 'customer', 'admin'],
  'POST /api/breach-cases/:id/withdrawal': ['legal', 'sales', 'customer', 'admin'],
  'POST /api/breach-cases/:id/settlement': ['legal', 'admin'],
  'POST /api/outages': ['operations', 'admin'],
  'GET /api/outages': STAFF,
  'GET /api/outages/:id': STAFF,
  'POST /api/outages/:id/hold': ['operations', 'legal', 'admin'],
  'POST /api/outages/:id/release': ['operations', 'legal', 'admin'],
  'POST /api/outages/:id/resolution': ['operations', 'admin'],
  'POST /api/contracts/:id/violations': ['customer', 'operations', 'legal', 'admin'],
  'POST /api/violations/:id/confirmation': ['legal', 'operations', 'admin'],
  'POST /api/violations/:id/dismissal': ['legal', 'operations', 'admin'],
  'POST /api/contracts/:id/force-majeure': ['legal', 'sales', 'customer', 'admin'],
  'POST /api/force-majeure/:id/proof': ['legal', 'sales', 'customer', 'admin'],
  // suspension pending rectification (Art.4 §9)
  'POST /api/contracts/:id/suspensions': ['legal', 'operations', 'admin'],
  'POST /api/suspensions/:id/rectification': ['legal', 'operations', 'admin'],
  'POST /api/suspensions/:id/extension': ['legal', 'admin'],
  // SMS sending under the contract
  'POST /api/contracts/:id/messages': ['customer', 'admin'],
  'GET /api/contracts/:id/messages': ALL,
  'POST /api/contracts/:id/messages/cancel': ['customer', 'admin'],
  'GET /api/contracts/:id/ledger': ['customer', 'finance', 'operations', 'sales', 'admin'],
  'POST /api/contracts/:id/opt-outs': ['customer', 'operations', 'admin'],
  'GET /api/contracts/:id/opt-outs': ['customer', 'operations', 'legal', 'admin'],
  // signatures and templates (the appendix): the customer applies, everyone reads, operations review
  'POST /api/contracts/:id/sms-signatures': ['customer', 'admin'],
  'GET /api/contracts/:id/sms-signatures': ALL,
  'POST /api/contracts/:id/sms-templates': ['customer', 'admin'],
  'GET /api/contracts/:id/sms-templates': ALL,
  'GET /api/sms-reviews': ['operations', 'admin'],
  'POST /api/sms-signatures/:id/review': ['operations', 'admin'],
  'POST /api/sms-templates/:id/review': ['operations', 'admin'],
  // the work queue: everyone reads their inbox (a customer operator's is empty); staff act on their items
  'GET /api/inbox': ALL,
  'GET /api/inbox/unread-count': ALL,
  'POST /api/inbox/:id/acknowledge': STAFF,
  'POST /api/inbox/:id/close': STAFF,
};

let h: Harness;
let contractId: string;

beforeAll(async () => {
  h = await createHarness();
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  const created = await h.api('sales').post('/api/contracts', template.body).expect(201);
  contractId = created.body.id;
});
afterAll(async () => {
  await h?.close();
});

const keyOf = (route: { method: string; path: string }) => `${route.method.toUpperCase()} ${route.path}`;
const sorted = (roles: readonly string[] | 'public') => (roles === 'public' ? 'public' : [...roles].sort().join(','));

/** a concrete URL for a route pattern: the contract every role may see, placeholders for the rest */
function urlOf(path: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' && path.startsWith('/api/contracts') ? contractId : name === 'seq' ? '1' : `no-such-${name}`));
}

function call(method: string, url: string, role: Role | null) {
  const api = h.api(role);
  // an empty body: allowed callers get a validation error (400) or 404/409, never an effect
  return method === 'get' ? api.get(url) : method === 'put' ? api.put(url, {}) : method === 'delete' ? api.delete(url) : api.post(url, {});
}

describe('the authorization matrix', () => {
  it('has an entry for every route the app serves, and no entry for a route that is gone', () => {
    const served = allRoutes(h.deps).map(keyOf).sort();
    const missing = served.filter((key) => !(key in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((key) => !served.includes(key));
    expect(missing, 'routes served without an entry in the expected matrix').toEqual([]);
    expect(stale, 'entries in the expected matrix for routes that do not exist').toEqual([]);
    expect(new Set(served).size, 'a method and path served twice').toBe(served.length);
  });

  it('gives every route exactly the roles the matrix expects', () => {
    const actual = Object.fromEntries(allRoutes(h.deps).map((r) => [keyOf(r), sorted(r.roles)]));
    const expected = Object.fromEntries(Object.keys(actual).map((key) => [key, EXPECTED[key] ? sorted(EXPECTED[key]!) : 'missing']));
    expect(actual).toEqual(expected);
  });

  it('makes only /healthz, signing in and the calendar subscription URL (its secret in the path) public', () => {
    expect(allRoutes(h.deps).filter((r) => r.roles === 'public').map(keyOf)).toEqual(['GET /healthz', 'POST /api/session', 'GET /api/calendar/:token.ics']);
  });

  it('answers every route as nobody (401), as each denied role (403) and as each allowed role (neither)', async () => {
    const outcomes: string[] = [];
    let calls = 0;
    for (const route of allRoutes(h.deps)) {
      const key = keyOf(route);
      const url = urlOf(route.path);
      const allowed = EXPECTED[key];
      if (!allowed) continue; // reported by the first test
      const anonymous = await call(route.method, url, null);
      calls++;
      if (allowed === 'public') {
        if ([401, 403].includes(anonymous.status)) outcomes.push(`${key} as nobody: ${anonymous.status}, expected public`);
      } else if (anonymous.status !== 401) {
        outcomes.push(`${key} as nobody: ${anonymous.status}, expected 401`);
      }
      for (const role of ROLE_LIST) {
        const res = await call(route.method, url, role);
        calls++;
        const mayCall = allowed === 'public' || allowed.includes(role);
        if (mayCall && [401, 403].includes(res.status)) outcomes.push(`${key} as ${role}: ${res.status} ${JSON.stringify(res.body)}, expected allowed`);
        if (!mayCall && res.status !== 403) outcomes.push(`${key} as ${role}: ${res.status}, expected 403`);
        if (res.status >= 500 && res.status !== 503) outcomes.push(`${key} as ${role}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(outcomes).toEqual([]);
    expect(calls).toBe(allRoutes(h.deps).length * (ROLE_LIST.length + 1));
  });
});
