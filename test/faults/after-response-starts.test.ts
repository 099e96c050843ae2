/**
 * A contract's creation answers once its rows and its owed workflow start are
 * committed; the start follows the response (api/main.ts). Two guarantees
 * hold across that gap:
 *
 * - kill -9 of the API between the commit and the start loses nothing: the
 *   outbox holds every owed start, and the next API process (its sweeper)
 *   starts each workflow once;
 * - a signature sent before the workflow runs is not refused: the request
 *   makes the owed start itself, then signs.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { AfterResponseStarts } from '../../services/workflow-starts';
import { waitFor } from '../support/flows';
import { createHarness, type Harness } from '../support/harness';
import { createChildren } from '../support/processes';

let h: Harness;
const children = createChildren();

beforeAll(async () => {
  h = await createHarness({ server: 'dev' });
});
afterAll(async () => {
  children.killAll();
  await h?.close();
});

/**
 * A TCP relay to the Temporal frontend that can hold what the client sends:
 * while held, nothing the API sends reaches the server; `cut` drops the held
 * bytes with every connection, as a dead process's would be.
 */
async function relayTo(target: string): Promise<{ address: string; hold: () => void; cut: () => void; close: () => Promise<void> }> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  let held = false;
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (!held) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: relayPort } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${relayPort}`,
    hold: () => void (held = true),
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function workflowType(workflowId: string): Promise<string | null> {
  try {
    return (await h.env.client.workflow.getHandle(workflowId).describe()).type;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

const owedStarts = async () => (await h.database.db.query<{ workflow_id: string; workflow: string }>('SELECT workflow_id, workflow FROM workflow_outbox ORDER BY workflow_id')).rows;

/** An API process on a port it picks itself (PORT=0, read back from its log: no other test can take it in between), once healthy. */
async function startApi(env: Record<string, string>): Promise<{ child: ReturnType<typeof children.spawnMain>; base: string }> {
  const child = children.spawnMain('api/main.ts', h, { PORT: '0', HOST: '127.0.0.1', ...env });
  const line = await waitFor(
    async () => child.output().split('\n').find((l) => l.includes('"api listening"')) ?? '',
    (l) => l !== '',
    'the api listening',
    90_000,
  );
  const base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  await waitFor(
    async () => fetch(`${base}/healthz`).then((r) => r.status, () => 0),
    (status) => status === 200,
    'api healthy',
    90_000,
  );
  return { child, base };
}

describe('workflow starts after the response', () => {
  it('kill -9 of the API between the commits and the starts: the next API starts every owed workflow once', { timeout: 240_000 }, async () => {
    const relay = await relayTo(h.env.address);
    const taskQueue = `after-response-${randomBytes(3).toString('hex')}`;
    const { child: first, base } = await startApi({ TASK_QUEUE: taskQueue, TEMPORAL_ADDRESS: relay.address });

    // from here on nothing the API sends reaches Temporal: every start it makes is in flight, none is made
    relay.hold();
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const headers = { authorization: `Bearer ${h.tokens.sales}`, 'content-type': 'application/json' };
    const created: { id: string; workflowId: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${base}/api/contracts`, { method: 'POST', headers, body: JSON.stringify(template) });
      // the creation answers with Temporal unreachable: it waited for its commit only
      expect(res.status).toBe(201);
      created.push((await res.json()) as { id: string; workflowId: string });
    }
    const ids = created.map((c) => c.workflowId).sort();
    expect((await owedStarts()).map((o) => [o.workflow_id, o.workflow])).toEqual(ids.map((id) => [id, 'contractLifecycle']));

    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    relay.cut();
    await relay.close();
    // the dead process's starts never arrived
    for (const id of ids) expect(await workflowType(id)).toBeNull();
    expect((await owedStarts()).length).toBe(5);

    // the next API process, on the real address: its sweeper makes what the first one owed
    const second = await startApi({ TASK_QUEUE: h.taskQueue });
    await waitFor(owedStarts, (rows) => rows.length === 0, 'the outbox emptied by the sweeper', 60_000);
    for (const id of ids) expect(await workflowType(id)).toBe('contractLifecycle');
    const stamped = await h.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contracts WHERE id = ANY($1) AND workflow_started_at IS NOT NULL', [
      created.map((c) => c.id),
    ]);
    expect(stamped.rows[0]!.n).toBe(5);
    // one run each: a start made twice would have been refused (REJECT_DUPLICATE), never doubled
    for (const id of ids) {
      const runs = await h.env.client.workflowService.listWorkflowExecutions({ namespace: 'default', query: `WorkflowId = '${id}'` });
      expect(runs.executions.length).toBe(1);
    }

    // and the contracts work: party A signs through the new API, the harness's worker runs the lifecycle
    const signed = await fetch(`${second.base}/api/contracts/${created[0]!.id}/signatures`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ party: 'A', signer: '签署人', title: '代表', sealed: true }),
    });
    expect(signed.status, await signed.clone().text()).toBe(200);
    expect(((await signed.json()) as { signatures: { party: string }[] }).signatures.map((s) => s.party)).toEqual(['A']);
  });

  it('a signature sent before the contract workflow started makes the start, then signs', async () => {
    // starts queued after the response and not made yet (nothing takes them from the queue)
    const waiting = new AfterResponseStarts({ concurrency: 0, maxQueued: 10 });
    const app = createApp({ ...h.deps, afterResponseStarts: waiting });
    const auth = `Bearer ${h.tokens.sales}`;
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const created = await supertest(app).post('/api/contracts').set('Authorization', auth).send(template);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(waiting.pending).toBe(1);
    const { id, workflowId } = created.body as { id: string; workflowId: string };
    expect(await workflowType(workflowId)).toBeNull();

    // read before the start: served from the rows, not an error
    const read = await supertest(app).get(`/api/contracts/${id}`).set('Authorization', auth);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('awaiting_signatures');
    expect(read.body.deadlinesSource).toBe('read-model');

    for (const party of ['A', 'B']) {
      const signed = await supertest(app).post(`/api/contracts/${id}/signatures`).set('Authorization', auth).send({ party, signer: '签署人', title: '代表', sealed: true });
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    }
    expect(await workflowType(workflowId)).toBe('contractLifecycle');
    expect((await owedStarts()).map((o) => o.workflow_id)).not.toContain(workflowId);
    const detail = await waitFor(
      async () => (await supertest(app).get(`/api/contracts/${id}`).set('Authorization', auth)).body,
      (d) => d.status === 'active',
      'the contract active',
    );
    expect(detail.signatures.map((s: { party: string }) => s.party).sort()).toEqual(['A', 'B']);
    expect(detail.effectiveAt).toBeTruthy();
  });
});
