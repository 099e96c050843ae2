/**
 * Faults on the Temporal dev server, each bounded in time:
 *   - kill -9 of a worker process while activities run; a new worker finishes:
 *     one invoice per contract, one PDF per document, nothing doubled;
 *   - Postgres unreachable: the API answers 503 with Retry-After, never 500;
 *   - SIGTERM to the API and to the worker: both exit 0.
 * The worker and API run as child processes (`node --import tsx …/main.ts`)
 * against this file's database and dev server.
 */
import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createDb } from '../../db/pool';
import { freePort, waitFor } from '../support/flows';
import { createHarness, type Harness } from '../support/harness';
import { createChildren } from '../support/processes';

let h: Harness;
const children = createChildren();
const spawnMain = (main: 'worker/main.ts' | 'api/main.ts', env: Record<string, string>) => children.spawnMain(main, h, env);

beforeAll(async () => {
  h = await createHarness({ server: 'dev' });
});
afterAll(async () => {
  children.killAll();
  await h?.close();
});

describe('faults', () => {
  it('finishes the work of a worker killed with SIGKILL mid-activity: one invoice, one PDF per document', { timeout: 240_000 }, async () => {
    const taskQueue = `kill-${randomBytes(4).toString('hex')}`;
    const app = createApp({ ...h.deps, taskQueue });
    const as = (role: 'sales' | 'finance') => (t: supertest.Test) => t.set('Authorization', `Bearer ${h.tokens[role]}`);
    const first = spawnMain('worker/main.ts', { TASK_QUEUE: taskQueue });
    await waitFor(async () => first.output(), (o) => o.includes('worker running'), 'first worker running', 90_000);

    const template = (await as('sales')(supertest(app).get('/api/templates/reference')).expect(200)).body;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await as('sales')(supertest(app).post('/api/contracts')).send(template).expect(201)).body.id);
    await Promise.all(
      ids.map(async (id) => {
        for (const party of ['A', 'B'] as const) {
          const res = await as('sales')(supertest(app).post(`/api/contracts/${id}/signatures`)).send({ party, signer: '张示例', title: '代表', sealed: true });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
        }
      }),
    );
    // activation set off PDF rendering, invoice issuance and notices: kill the worker in the middle of them
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const doneBeforeKill = (await h.database.db.query(`SELECT count(*)::int AS n FROM invoices WHERE contract_id = ANY($1)`, [ids])).rows[0]!.n;

    const second = spawnMain('worker/main.ts', { TASK_QUEUE: taskQueue });
    const complete = await waitFor(
      async () =>
        (
          await h.database.db.query(
            `SELECT c.id,
                    (SELECT count(*)::int FROM invoices i WHERE i.contract_id = c.id) AS invoices,
                    (SELECT count(*)::int FROM documents d WHERE d.contract_id = c.id AND d.kind = 'signed_contract') AS signed_pdfs,
                    (SELECT count(*)::int FROM documents d WHERE d.contract_id = c.id AND d.kind = 'contract') AS contract_pdfs,
                    (SELECT count(*)::int FROM documents d WHERE d.contract_id = c.id AND d.kind = 'payment_notice') AS notice_pdfs
               FROM contracts c WHERE c.id = ANY($1) ORDER BY c.id`,
            [ids],
          )
        ).rows,
      (rows) => rows.every((r) => r.invoices >= 1 && r.signed_pdfs >= 1 && r.contract_pdfs >= 1 && r.notice_pdfs >= 1), 
      'the new worker finishes the work',
      180_000,
    );
    for (const row of complete) expect(row).toMatchObject({ invoices: 1, signed_pdfs: 1, contract_pdfs: 1, notice_pdfs: 1 });
    const dupDocs = await h.database.db.query(`SELECT contract_id, kind, count(*)::int AS n FROM documents WHERE contract_id = ANY($1) GROUP BY 1, 2 HAVING count(*) > 1`, [ids]);
    expect(dupDocs.rows).toEqual([]);
    const issued = await h.database.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE contract_id = ANY($1) AND type = 'invoice.issued'`, [ids]);
    expect(issued.rows[0]!.n).toBe(3);
    const activated = await h.database.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE contract_id = ANY($1) AND type = 'contract.activated'`, [ids]);
    expect(activated.rows[0]!.n).toBe(3);
    console.info(`[faults] kill -9: 3 contracts, ${doneBeforeKill} invoices before the kill, 3 after, 12 PDFs, 0 duplicates`);

    second.process.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('answers 503 with Retry-After, not 500, when Postgres is unreachable', async () => {
    const deadDb = createDb({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere', max: 2 });
    try {
      const app = createApp({ ...h.deps, db: deadDb });
      const auth = (t: supertest.Test) => t.set('Authorization', `Bearer ${h.tokens.sales}`);
      const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
      const requests = [
        auth(supertest(app).get('/api/me')),
        auth(supertest(app).get('/api/contracts')),
        auth(supertest(app).post('/api/contracts').send(template)),
        auth(supertest(app).post('/api/contracts').set('Idempotency-Key', 'pg-down-1').send(template)),
      ];
      for (const res of await Promise.all(requests)) {
        expect(res.status, JSON.stringify(res.body)).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body.error.code).toBe('UNAVAILABLE');
      }
      const health = await supertest(app).get('/healthz');
      expect(health.status).toBe(503);
      expect(health.headers['retry-after']).toBe('5');
    } finally {
      await deadDb.close();
    }
  });

  it('exits 0 on SIGTERM: the API after finishing in-flight requests, the worker after draining', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const api = spawnMain('api/main.ts', { PORT: String(port), HOST: '127.0.0.1', TASK_QUEUE: `sigterm-${randomBytes(3).toString('hex')}` });
    await waitFor(
      async () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0),
      (status) => status === 200,
      'api healthy',
      90_000,
    );
    // a request in flight when the signal arrives still gets its answer: reading a contract whose workflow
    // has no worker on this queue waits for the live query (2 s) before serving the read model
    const headers = { authorization: `Bearer ${h.tokens.sales}`, 'content-type': 'application/json' };
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const created = await fetch(`http://127.0.0.1:${port}/api/contracts`, { method: 'POST', headers, body: JSON.stringify(template) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const started = Date.now();
    const inFlight = fetch(`http://127.0.0.1:${port}/api/contracts/${id}`, { headers });
    await new Promise((r) => setTimeout(r, 500));
    api.process.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { deadlinesSource: string }).deadlinesSource).toBe('read-model');
    expect(Date.now() - started).toBeGreaterThan(1_500);
    expect(await api.exited).toEqual({ code: 0, signal: null });

    const worker = spawnMain('worker/main.ts', { TASK_QUEUE: `sigterm-${randomBytes(3).toString('hex')}` });
    await waitFor(async () => worker.output(), (o) => o.includes('worker running'), 'worker running', 90_000);
    worker.process.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain('worker stopped');
  });
});
