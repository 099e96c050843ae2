/**
 * Team leads in the policy (api/policy.ts, migration 026): an admin sets a
 * sales user's lead (PUT /api/users/:id/team-lead, audited); the lead then
 * reads and acts on the member's contracts through every route the owner may
 * use, and finds them in their contract, invoice and calendar lists and in
 * their part of the daily digest; the member gains nothing over the lead's
 * contracts, and nobody over another team's. Clearing the lead, or
 * deactivating the member, ends it at the next request.
 */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../api/app';
import { invoiceNumber } from '../../domain/billing';
import { storeDigest } from '../../db/digests';
import { deactivateUser, issueToken, upsertUser, type Role } from '../../db/users';
import { waitFor, waitForInvoice } from '../support/flows';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
const SALES = ['team-lead', 'team-member', 'team-member-2', 'team-outsider', 'chain-a', 'chain-b', 'chain-c'] as const;
type SalesId = (typeof SALES)[number];
const tokens = {} as Record<SalesId, string>;
/** a contract of each owner, created by an admin on their behalf */
const contracts = {} as Record<'lead' | 'member' | 'member2' | 'outsider', string>;

const as = (id: SalesId) => ({
  get: (url: string) => supertest(h.app).get(url).set('Authorization', `Bearer ${tokens[id]}`),
  post: (url: string, body: unknown = {}) => supertest(h.app).post(url).set('Authorization', `Bearer ${tokens[id]}`).send(body as object),
});
const setLead = (userId: string, leadId: string | null) => h.api('admin').put(`/api/users/${userId}/team-lead`, { leadId });
const listed = async (id: SalesId, url: string) => (await as(id).get(url).expect(200)).body;
/** an iCalendar file's text with its folded lines unfolded (RFC 5545 §3.1) */
const unfolded = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const contractIds = (body: { items: { id: string }[] }) => body.items.map((c) => c.id).sort();

beforeAll(async () => {
  h = await createHarness();
  for (const id of SALES) {
    await upsertUser(h.database.db, { id, name: `销售 ${id}`, role: 'sales', organisation: null });
    tokens[id] = await issueToken(h.database.db, id);
  }
  const template = (await h.api('admin').get('/api/templates/reference').expect(200)).body;
  const owners = { lead: 'team-lead', member: 'team-member', member2: 'team-member-2', outsider: 'team-outsider' } as const;
  for (const [key, ownerId] of Object.entries(owners)) {
    contracts[key as keyof typeof owners] = (await h.api('admin').post('/api/contracts', { ...template, ownerId }).expect(201)).body.id;
  }
  await setLead('team-member', 'team-lead').expect(200);
  await setLead('team-member-2', 'team-lead').expect(200);
});
afterAll(async () => {
  await h?.close();
});

describe('setting a team lead', () => {
  it('answers the change and audits it with the lead before and after', async () => {
    const audited = await h.database.db.query(
      `SELECT actor_id, actor_role, before, after, data FROM audit_events WHERE type = 'user.team_lead_set' AND data->>'userId' = 'team-member'`,
    );
    expect(audited.rows).toEqual([{ actor_id: h.users.admin, actor_role: 'admin', before: { teamLeadId: null }, after: { teamLeadId: 'team-lead' }, data: { userId: 'team-member' } }]);
    // the same lead again changes nothing and audits nothing more
    expect((await setLead('team-member', 'team-lead').expect(200)).body).toEqual({ id: 'team-member', teamLeadId: 'team-lead' });
    expect((await h.database.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'user.team_lead_set' AND data->>'userId' = 'team-member'`)).rows[0]!.n).toBe(1);
  });

  it('refuses a lead who is the user, not an active sales user or unknown, a user who is not sales, and a cycle', async () => {
    const self = await setLead('team-member', 'team-member').expect(400);
    expect(self.body.error.issues).toEqual([{ path: 'body.leadId', message: 'a user cannot be their own team lead' }]);
    expect((await setLead('team-member', h.users.legal).expect(400)).body.error.issues[0].path).toBe('body.leadId');
    expect((await setLead('team-member', 'no-such-user').expect(400)).body.error.issues[0].path).toBe('body.leadId');
    await setLead(h.users.legal, 'team-lead').expect(404);
    await setLead('no-such-user', 'team-lead').expect(404);
    // a chain a → b → c: c may not be led by a (nor b by a... through c), a may not lead itself through the chain
    await setLead('chain-a', 'chain-b').expect(200);
    await setLead('chain-b', 'chain-c').expect(200);
    const cycle = await setLead('chain-c', 'chain-a').expect(409);
    expect(cycle.body.error.message).toContain('chain-c → chain-a → chain-b → chain-c');
    await setLead('chain-b', 'chain-a').expect(409);
    // the member's lead is the lead: the lead may not be led by the member
    await setLead('team-lead', 'team-member').expect(409);
    // a deactivated sales user leads no one
    await deactivateUser(h.database.db, { userId: 'chain-c', by: 'test' });
    await setLead('chain-a', 'chain-c').expect(400);
    // only admins set leads
    expect((await supertest(h.app).put('/api/users/team-member/team-lead').set('Authorization', `Bearer ${tokens['team-lead']}`).send({ leadId: null })).status).toBe(403);
  });
});

describe('a lead and the team\'s contracts', () => {
  const urlOf = (path: string, contractId: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? contractId : name === 'seq' ? '1' : `no-such-${name}`));
  const call = (id: SalesId, method: string, url: string) => (method === 'get' ? as(id).get(url) : method === 'put' ? supertest(h.app).put(url).set('Authorization', `Bearer ${tokens[id]}`).send({}) : method === 'delete' ? supertest(h.app).delete(url).set('Authorization', `Bearer ${tokens[id]}`) : as(id).post(url));

  it('walks every route that acts on a contract: the lead gets through on a member\'s contract; the member not on the lead\'s, the lead not on another team\'s', async () => {
    const routes = allRoutes(h.deps).filter((r) => r.contract);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const wrong: string[] = [];
    for (const route of routes) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      const salesMay = (route.roles as readonly Role[]).includes('sales');
      const through = await call('team-lead', route.method, urlOf(route.path, contracts.member));
      const refusedByGate = through.status === 403 || (through.status === 404 && through.body?.error?.message === 'contract not found');
      if (salesMay && refusedByGate) wrong.push(`${key} as the lead on the member's contract: ${through.status} ${JSON.stringify(through.body)}`);
      for (const [who, contractId, what] of [
        ['team-member', contracts.lead, "the member on the lead's contract"],
        ['team-member', contracts.member2, "the member on a teammate's contract"],
        ['team-lead', contracts.outsider, "the lead on another team's contract"],
      ] as const) {
        const res = await call(who, route.method, urlOf(route.path, contractId));
        const expected = salesMay ? 404 : 403;
        if (res.status !== expected) wrong.push(`${key} as ${what}: ${res.status} ${JSON.stringify(res.body)}, expected ${expected}`);
        if (expected === 404 && res.body?.error?.message !== 'contract not found') wrong.push(`${key} as ${what}: ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets the lead sign a member\'s contract (200) and refuses the member on the lead\'s (404)', async () => {
    const template = (await h.api('admin').get('/api/templates/reference').expect(200)).body;
    const contractId = (await h.api('admin').post('/api/contracts', { ...template, ownerId: 'team-member' }).expect(201)).body.id;
    await as('team-member').post(`/api/contracts/${contracts.lead}/signatures`, { party: 'A', signer: '签署人', title: '代表', sealed: true }).expect(404);
    await as('team-lead').post(`/api/contracts/${contractId}/signatures`, { party: 'A', signer: '签署人', title: '代表', sealed: true }).expect(200);
    const signed = await as('team-lead').post(`/api/contracts/${contractId}/signatures`, { party: 'B', signer: '签署人', title: '代表', sealed: true }).expect(200);
    expect(signed.body.status).toBe('active');
    expect((await as('team-lead').get(`/api/contracts/${contractId}`).expect(200)).body.owner.id).toBe('team-member');
    // the activation's invoice: in the lead's and the member's invoice lists, not another team's
    const invoice = invoiceNumber(signed.body.number, { kind: 'initial_term' });
    await waitForInvoice(h, invoice);
    const numbers = async (id: SalesId) => (await listed(id, '/api/invoices')).items.map((i: { number: string }) => i.number);
    expect(await numbers('team-lead')).toContain(invoice);
    expect(await numbers('team-member')).toContain(invoice);
    expect(await numbers('team-outsider')).not.toContain(invoice);
    const csv = (await as('team-lead').get('/api/invoices/ageing.csv').expect(200)).text;
    expect(csv).toContain(signed.body.number);
    expect((await as('team-outsider').get('/api/invoices/ageing.csv').expect(200)).text).not.toContain(signed.body.number);
  });

  it("lists the member's contracts to the lead, and not another team's; the member's list holds their own only", async () => {
    const lead = contractIds(await listed('team-lead', '/api/contracts'));
    expect(lead).toEqual(expect.arrayContaining([contracts.lead, contracts.member, contracts.member2]));
    expect(lead).not.toContain(contracts.outsider);
    // an owner filter narrows the team, and cannot reach outside it
    const memberOnly = await listed('team-lead', '/api/contracts?owner=team-member');
    expect(memberOnly.items.every((c: { ownerId: string }) => c.ownerId === 'team-member')).toBe(true);
    expect(contractIds(memberOnly)).toContain(contracts.member);
    expect((await listed('team-lead', '/api/contracts?owner=team-outsider')).items).toEqual([]);
    const member = contractIds(await listed('team-member', '/api/contracts'));
    expect(member).toContain(contracts.member);
    expect(member).not.toContain(contracts.lead);
    expect(member).not.toContain(contracts.member2);
    expect((await listed('team-member', '/api/contracts?owner=team-lead')).items).toEqual([]);
  });

  it("puts the member's deadlines in the lead's calendar and calendar subscription, not another team's", async () => {
    // each contract's signing deadline, once its workflow has written it
    for (const id of [contracts.member, contracts.outsider]) {
      await waitFor(async () => (await h.database.db.query(`SELECT 1 FROM deadlines WHERE contract_id = $1 AND status = 'open'`, [id])).rowCount, (n) => (n ?? 0) > 0, `deadlines of ${id}`);
    }
    const ics = unfolded((await as('team-lead').get('/api/calendar.ics').expect(200)).text);
    expect(ics).toContain(`/contracts/${contracts.member}`);
    expect(ics).not.toContain(`/contracts/${contracts.outsider}`);
    const feed = await as('team-lead').post('/api/calendar-feed').expect(201);
    const subscribed = unfolded((await supertest(h.app).get(new URL(feed.body.url).pathname).expect(200)).text);
    expect(subscribed).toContain(`/contracts/${contracts.member}`);
    expect(subscribed).not.toContain(`/contracts/${contracts.outsider}`);
    expect(unfolded((await as('team-member').get('/api/calendar.ics').expect(200)).text)).not.toContain(`/contracts/${contracts.lead}`);
  });

  it("shows the lead their own and the member's groups of the daily digest, not another team's", async () => {
    const group = (ownerId: string) => ({ ownerId, ownerName: ownerId, renewalWindows: [], termsEnding: [], payments: [], cures: [] });
    const now = new Date().toISOString();
    await storeDigest(h.database.db, { id: 'digest-team-test', generatedAt: now, horizonDays: 30, asOf: now, groups: ['team-lead', 'team-member', 'team-outsider'].map(group) });
    const owners = async (id: SalesId) => (await listed(id, '/api/digests/latest')).groups.map((g: { ownerId: string }) => g.ownerId).sort();
    expect(await owners('team-lead')).toEqual(['team-lead', 'team-member']);
    expect(await owners('team-member')).toEqual(['team-member']);
    expect(await owners('team-outsider')).toEqual(['team-outsider']);
  });

  it('ends at the next request when the lead is cleared or the member deactivated', async () => {
    await deactivateUser(h.database.db, { userId: 'team-member-2', by: 'test' });
    await as('team-lead').get(`/api/contracts/${contracts.member2}`).expect(404);
    expect(contractIds(await listed('team-lead', '/api/contracts'))).not.toContain(contracts.member2);

    expect((await setLead('team-member', null).expect(200)).body).toEqual({ id: 'team-member', teamLeadId: null });
    await as('team-lead').get(`/api/contracts/${contracts.member}`).expect(404);
    expect(contractIds(await listed('team-lead', '/api/contracts'))).not.toContain(contracts.member);
    const cleared = await h.database.db.query(`SELECT before, after FROM audit_events WHERE type = 'user.team_lead_set' AND data->>'userId' = 'team-member' ORDER BY id DESC LIMIT 1`);
    expect(cleared.rows[0]).toEqual({ before: { teamLeadId: 'team-lead' }, after: { teamLeadId: null } });
    // the member still has their own
    await as('team-member').get(`/api/contracts/${contracts.member}`).expect(200);
  });
});
