/**
 * The outbox: a request whose workflow start fails after its commit (the
 * Temporal frontend unreachable, or the API gone between the two) still
 * answers with its rows, and the sweeper starts exactly what was owed, by
 * workflow type, with its follow-up (the lifecycle stamps its contract).
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { enqueueWorkflowStart } from '../../db/outbox';
import { sweepOwedStarts } from '../../services/workflow-starts';
import { activeContract } from '../support/flows';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let realClient: Client;

beforeAll(async () => {
  h = await createHarness();
  realClient = h.env.client;
});
afterAll(async () => {
  await h?.close();
});

/** A client on the same server whose workflow starts fail as an unreachable frontend's do (what the API's own client is built from). */
function clientThatCannotStart(client: Client): Client {
  const bound = (target: object, key: string | symbol) => {
    const value = Reflect.get(target, key);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  const service = new Proxy(client.connection.workflowService, {
    get: (target, key) =>
      key === 'startWorkflowExecution' ? async () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 })) : bound(target, key),
  });
  const connection = new Proxy(client.connection, { get: (target, key) => (key === 'workflowService' ? service : bound(target, key)) });
  return new Client({ connection, namespace: client.options.namespace, dataConverter: client.options.dataConverter });
}

const outbox = async () =>
  (await h.database.db.query('SELECT workflow_id, workflow, attempts, last_error FROM workflow_outbox ORDER BY workflow_id')).rows as {
    workflow_id: string;
    workflow: string;
    attempts: number;
    last_error: string | null;
  }[];

async function running(workflowId: string): Promise<string | null> {
  try {
    return (await realClient.workflow.getHandle(workflowId).describe()).type;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

describe('workflow starts owed in the outbox', () => {
  it('keeps a contract and a breach case whose starts failed, and the sweeper starts each by its type', async () => {
    const active = await activeContract(h);
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;

    // the same API over a client whose starts fail
    const cut = supertest(createApp({ ...h.deps, temporal: clientThatCannotStart(realClient) }));
    const created = await cut.post('/api/contracts').set('Authorization', `Bearer ${h.tokens.sales}`).send(template);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const served = await cut
      .post(`/api/contracts/${active.id}/breach-notices`)
      .set('Authorization', `Bearer ${h.tokens.legal}`)
      .send({ servedBy: 'B', clause: '第三条第4款', description: '甲方未在合同签订后 30 日内支付三年服务费。' });
    expect(served.status, JSON.stringify(served.body)).toBe(201);

    const contractWorkflowId: string = created.body.workflowId;
    const caseWorkflowId: string = served.body.workflowId;
    const owed = await outbox();
    expect(owed.map((o) => [o.workflow_id, o.workflow, o.attempts])).toEqual(
      [
        [contractWorkflowId, 'contractLifecycle', 1],
        [caseWorkflowId, 'breachCase', 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(owed.every((o) => o.last_error?.includes('gRPC'))).toBe(true);
    expect(await running(contractWorkflowId)).toBeNull();
    expect(await running(caseWorkflowId)).toBeNull();
    const before = await h.database.db.query('SELECT workflow_started_at FROM contracts WHERE id = $1', [created.body.id]);
    expect(before.rows[0]!.workflow_started_at).toBeNull();

    // an entry naming a workflow that is not startable by business id stays for a person to see
    await enqueueWorkflowStart(h.database.db, { workflowId: 'zz-unknown-1', workflow: 'dropEverything', args: [{}] });

    const started = await sweepOwedStarts({ db: h.database.db, temporal: realClient, taskQueue: h.taskQueue, logger: h.deps.logger }, 0);
    expect(started).toBe(2);
    expect(await running(contractWorkflowId)).toBe('contractLifecycle');
    expect(await running(caseWorkflowId)).toBe('breachCase');
    expect((await outbox()).map((o) => o.workflow_id)).toEqual(['zz-unknown-1']);
    const after = await h.database.db.query('SELECT workflow_started_at FROM contracts WHERE id = $1', [created.body.id]);
    expect(after.rows[0]!.workflow_started_at).toBeInstanceOf(Date);

    // the started contract answers like any other, and a second sweep starts nothing twice
    const detail = (await h.api('sales').get(`/api/contracts/${created.body.id}`).expect(200)).body;
    expect(detail.status).toBe('awaiting_signatures');
    expect(await sweepOwedStarts({ db: h.database.db, temporal: realClient, taskQueue: h.taskQueue, logger: h.deps.logger }, 0)).toBe(0);
  });
});
