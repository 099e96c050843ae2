/**
 * End to end over real HTTP against the Temporal dev server (the same server
 * `npm start` runs), a real Postgres and the real worker, its documents
 * rendered by a render pool as worker/main.ts does.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRenderPool, type RenderPool } from '../../pdf/renderer';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let server: Server;
let base: string;
let pdf: RenderPool;

beforeAll(async () => {
  pdf = createRenderPool({ processes: 1 });
  h = await createHarness({ server: 'dev', activityDeps: { pdf } });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
  await pdf?.close();
});

const call = async (method: string, path: string, token: string | null, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = res.headers.get('content-type') ?? '';
  const payload: any = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: payload };
};

describe('over HTTP against the Temporal dev server', () => {
  it('reports Temporal and Postgres reachable on /healthz without authentication', async () => {
    const res = await call('GET', '/healthz', null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', postgres: { ok: true }, temporal: { ok: true } });
  });

  it('creates a contract, takes both signatures and serves the signed PDF', async () => {
    const sales = h.tokens.sales;
    const template = await call('GET', '/api/templates/reference', sales);
    const created = await call('POST', '/api/contracts', sales, template.body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/contracts/${id}`);

    for (const [party, signer] of [['A', '张示例'], ['B', '王示例']] as const) {
      const signed = await call('POST', `/api/contracts/${id}/signatures`, sales, { party, signer, title: '授权代表', sealed: true });
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    }
    // until the signed PDF is stored and the detail is answered live by the workflow (polled every 500 ms:
    // with no workflow cache every query replays the workflow, and a faster poll would starve its own progress)
    let detail = await call('GET', `/api/contracts/${id}`, sales);
    const ready = () => detail.body.documents.some((d: { kind: string }) => d.kind === 'signed_contract') && detail.body.deadlinesSource === 'workflow';
    for (let i = 0; i < 120 && !ready(); i++) {
      await new Promise((r) => setTimeout(r, 500));
      detail = await call('GET', `/api/contracts/${id}`, sales);
    }
    expect(detail.body.status).toBe('active');
    expect(detail.body.deadlinesSource).toBe('workflow');
    const termEnd = detail.body.deadlines.find((d: { kind: string }) => d.kind === 'term_end');
    expect(termEnd.secondsLeft).toBeGreaterThan(3 * 365 * 86_400 - 2 * 86_400);

    const signedDoc = detail.body.documents.find((d: { kind: string }) => d.kind === 'signed_contract');
    const pdf = await call('GET', signedDoc.url, sales);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const list = await call('GET', '/api/contracts?status=active', sales);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const customerView = await call('GET', `/api/contracts/${id}`, h.tokens.customer);
    expect(customerView.status).toBe(200);
  });
});
