/**
 * GET /api/cases: every open case of every kind, the soonest deadline first,
 * filterable by kind, contract and owner, each with its timeline (events and
 * actors) and documents.
 */
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { issueToken, upsertUser } from '../../db/users';
import { activeContract, DAY_MS, ownServer, serverNow, waitFor } from './legal-helpers';

describe('the case list', () => {
  const server = ownServer();
  it('lists open cases of every kind by time left, filters by kind, contract and owner, and shows timelines and documents', async () => {
    const h = server.get();
    await upsertUser(h.database.db, { id: 'test-sales-2', name: '测试销售二', role: 'sales', organisation: null });
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const c1 = await activeContract(h);
    const c2id = (await h.api('admin').post('/api/contracts', { ...template, ownerId: 'test-sales-2' }).expect(201)).body.id as string;
    for (const party of ['A', 'B']) await h.api('admin').post(`/api/contracts/${c2id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true }).expect(200);

    const now = await serverNow(h);
    const breach = (await h.api('legal').post(`/api/contracts/${c1.id}/breach-notices`, { servedBy: 'B', clause: '第三条第4款', description: '逾期未付款。' }).expect(201)).body;
    const fm = (await h.api('legal').post(`/api/contracts/${c2id}/force-majeure`, { declaredBy: 'B', occurredAt: new Date(now - 10 * DAY_MS).toISOString(), description: '暴雪致基站大面积停电。' }).expect(201)).body;
    const outage = (await h.api('operations').post('/api/outages', {
      startedAt: new Date(now).toISOString(), learnedAt: new Date(now).toISOString(), cause: 'expansion', description: '扩容割接', contractIds: [c1.id, c2id], holdForReview: true,
    }).expect(201)).body;
    const violation = (await h.api('operations').post(`/api/contracts/${c2id}/violations`, { reportedBy: 'provider', learnedAt: new Date(now).toISOString(), description: '疑似违规短信。' }).expect(201)).body;

    const list = async (query = '') => (await h.api('legal').get(`/api/cases${query}`).expect(200)).body as { total: number; items: any[] };
    const all = await list();
    const outageCases = outage.cases.map((c: { id: string }) => c.id).sort();
    expect(all.items.map((i) => i.id)).toEqual([...outageCases, fm.id, breach.id, violation.id]);
    expect(all.total).toBe(5);
    const left = all.items.map((i) => i.secondsLeft);
    expect(left.slice(0, 4)).toEqual([...left.slice(0, 4)].sort((a, b) => a - b));
    expect(left[4]).toBeNull();
    expect(all.items.map((i) => i.kind)).toEqual(['outage', 'outage', 'force_majeure', 'breach', 'violation']);

    expect((await list('?kind=outage')).items.map((i) => i.id).sort()).toEqual(outageCases);
    expect((await list(`?contract=${c2id}`)).items.map((i) => i.kind)).toEqual(['outage', 'force_majeure', 'violation']);
    expect((await list('?owner=test-sales-2')).items.every((i) => i.contract.id === c2id)).toBe(true);
    expect((await list(`?owner=test-sales-2&kind=violation`)).items.map((i) => i.id)).toEqual([violation.id]);
    expect((await list('?status=closed')).items).toEqual([]);

    // each case: a timeline of events with actors, and its documents
    const withDocs = await waitFor(async () => {
      const items = (await list('?kind=breach')).items;
      return items[0]?.documents.length > 0 && items[0];
    }, 'the breach notice in the list');
    expect(withDocs.timeline[0]).toMatchObject({ type: 'served', actor: { id: h.users.legal, role: 'legal', name: '测试legal' } });
    expect(withDocs.documents[0]).toMatchObject({ role: 'breach_notice', kind: 'breach_notice', url: expect.stringContaining(`/api/contracts/${c1.id}/documents/`) });
    const outageItem = all.items[0];
    expect(outageItem).toMatchObject({ status: 'held', deadline: { kind: 'outage_notice' }, contract: { ownerId: expect.any(String) } });

    // bad filters are 400 with their paths; unknown cases 404
    const bad = await h.api('legal').get('/api/cases?kind=lawsuit&contract=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['query.contract', 'query.kind']);
    expect((await h.api('legal').get('/api/cases/BR-nope')).status).toBe(404);

    // a customer operator sees the cases of its own organisation's contracts only
    expect((await h.api('customer').get('/api/cases').expect(200)).body.total).toBe(5);
    await upsertUser(h.database.db, { id: 'test-customer-other', name: '其他客户', role: 'customer', organisation: '其他单位' });
    const other = await issueToken(h.database.db, 'test-customer-other');
    expect((await supertest(h.app).get('/api/cases').set('Authorization', `Bearer ${other}`).expect(200)).body.total).toBe(0);
    expect((await supertest(h.app).get(`/api/cases/${breach.id}`).set('Authorization', `Bearer ${other}`)).status).toBe(404);
    expect((await supertest(h.app).post(`/api/breach-cases/${breach.id}/objection`).set('Authorization', `Bearer ${other}`).send({ reason: 'x' })).status).toBe(404);
  });
});
