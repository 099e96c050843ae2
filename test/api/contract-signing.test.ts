import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline } from '../../domain/periods';
import { REFERENCE_TERMS } from '../../domain/terms';
import { contractLifecycle } from '../../workflows/contract-lifecycle';
import { createHarness, type Harness } from '../support/harness';
import { recordHistoryIfAsked } from '../support/histories';
import { pdfText } from '../support/pdf-text';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

async function createReferenceContract(key?: string) {
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  const request = h.api('sales').post('/api/contracts', template.body);
  if (key) request.set('Idempotency-Key', key);
  const res = await request;
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string; status: string; workflowId: string };
}

// 30 s: with no workflow cache (npm run test:uncached) a live query replays the workflow beside its running
// task, and a task lost that way waits out Temporal's 10 s workflow task timeout before its retry
async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const detail = async (id: string) => (await h.api('sales').get(`/api/contracts/${id}`).expect(200)).body;


describe('creating and signing a contract', () => {
  it('serves the reference terms as a body that creation accepts unchanged', async () => {
    const res = await h.api('sales').get('/api/templates/reference').expect(200);
    expect(res.body.terms.partyA.name).toBe('内蒙古自治区地震局');
    expect(res.body.terms.payment.totalFen).toBe(299700);
    const created = await createReferenceContract();
    expect(created.status).toBe('awaiting_signatures');
    expect(created.workflowId).toBe(`contract-${created.id}`);
  });

  it('activates the contract when both parties have signed, with the later signature as effective date and the term ending 3 years later at 24:00', async () => {
    const contract = await createReferenceContract();
    const withDeadline = await waitFor(
      () => detail(contract.id),
      (d) => d.deadlines.some((x: { kind: string }) => x.kind === 'signing'),
    );
    const signing = withDeadline.deadlines.find((x: { kind: string }) => x.kind === 'signing');
    expect(signing.secondsLeft).toBeGreaterThan(29 * 86_400);
    expect(signing.explanation).toContain('30');

    const a = await h
      .api('sales')
      .post(`/api/contracts/${contract.id}/signatures`, { party: 'A', signer: '张示例', title: '授权代表', sealed: true, signedAt: '2024-05-14T09:30:00+08:00' })
      .expect(200);
    expect(a.body.status).toBe('awaiting_signatures');
    const b = await h
      .api('sales')
      .post(`/api/contracts/${contract.id}/signatures`, { party: 'B', signer: '王示例', title: '负责人', sealed: true, signedAt: '2024-05-14T16:00:00+08:00' })
      .expect(200);
    expect(b.body.status).toBe('active');
    expect(b.body.effectiveAt).toBe('2024-05-14T08:00:00.000Z');
    expect(b.body.termEndsAt).toBe('2027-05-14T16:00:00.000Z');
    expect(b.body.signatures.map((s: { party: string }) => s.party)).toEqual(['A', 'B']);

    // the signed PDF, then the term's deadlines in the read model (an uncached run may answer from it, not from the workflow)
    const active = await waitFor(
      () => detail(contract.id),
      (d) => d.documents.some((doc: { kind: string }) => doc.kind === 'signed_contract') && d.deadlines.some((x: { kind: string }) => x.kind === 'term_end'),
      60_000,
    );
    expect(active.status).toBe('active');
    // the paper contract's payment period (from 2024-05-14) already lapsed: its consequences are applied, the term runs on
    expect(active.deadlines.map((x: { kind: string }) => x.kind)).toContain('term_end');
    expect(active.deadlines.map((x: { kind: string }) => x.kind)).not.toContain('signing');
    // the contract's own events (the invoice the activation starts may already be issued too)
    expect(active.audit.map((e: { type: string }) => e.type).filter((t: string) => t.startsWith('contract.'))).toEqual([
      'contract.created',
      'contract.signed_by_party',
      'contract.signed_by_party',
      'contract.activated',
    ]);
    const activated = active.audit.find((e: { type: string }) => e.type === 'contract.activated');
    expect(activated.before).toEqual({ status: 'awaiting_signatures' });
    expect(activated.after.status).toBe('active');
    expect(activated.actorId).toBe(h.users.sales);

    const original = active.documents.find((d: { kind: string }) => d.kind === 'contract');
    const signed = active.documents.find((d: { kind: string }) => d.kind === 'signed_contract');
    const download = await h.api('sales').get(signed.url).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    const text = pdfText(download.body as Buffer).replace(/[\s-]+/g, '');
    expect(text).toContain('张示例');
    expect(text).toContain('王示例');
    expect(text).toContain(original.sha256);
    await recordHistoryIfAsked('lifecycle-signed-v10', h.env.client.workflow.getHandle(contract.workflowId));
  });

  it('renders the contract PDF with both parties, 2,997 and 贰仟玖佰玖拾柒元', async () => {
    const contract = await createReferenceContract();
    const withDoc = await waitFor(
      () => detail(contract.id),
      (d) => d.documents.some((doc: { kind: string }) => doc.kind === 'contract'),
    );
    const doc = withDoc.documents.find((d: { kind: string }) => d.kind === 'contract');
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    const res = await h.api('sales').get(doc.url).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const text = pdfText(res.body as Buffer).replace(/\s+/g, '');
    expect(text).toContain('内蒙古自治区地震局');
    expect(text).toContain('中国联合网络通信有限公司内蒙古自治区分公司');
    expect(text).toContain('2,997');
    expect(text).toContain('贰仟玖佰玖拾柒元');
  });

  it('refuses a second signature of the same party with 409 and a clear message', async () => {
    const contract = await createReferenceContract();
    const body = { party: 'A', signer: '张示例', title: '授权代表', sealed: true };
    await h.api('sales').post(`/api/contracts/${contract.id}/signatures`, body).expect(200);
    const again = await h.api('sales').post(`/api/contracts/${contract.id}/signatures`, body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_SIGNED');
    expect(again.body.error.message).toContain('already signed');
  });

  it('refuses signatures on a contract that is no longer awaiting them', async () => {
    const contract = await createReferenceContract();
    for (const party of ['A', 'B']) {
      await h.api('sales').post(`/api/contracts/${contract.id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true }).expect(200);
    }
    const late = await h.api('sales').post(`/api/contracts/${contract.id}/signatures`, { party: 'A', signer: '签署人', title: '代表', sealed: true });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('NOT_AWAITING_SIGNATURES');
  });

  it('lapses an unsigned contract at the end of day 30, after capped reminders', async () => {
    const contract = await createReferenceContract();
    const created = await detail(contract.id);
    const expected = computeDeadline({ from: created.createdAt, period: { unit: 'days', amount: 30 }, rule: 'act' });

    await h.env.sleep('29 days');
    const day29 = await detail(contract.id);
    expect(day29.status).toBe('awaiting_signatures');

    const handle = h.env.client.workflow.getHandle<typeof contractLifecycle>(contract.workflowId);
    const outcome = await handle.result();
    expect(outcome.status).toBe('lapsed');
    await recordHistoryIfAsked('lifecycle-lapsed-v10', handle);
    const end = await detail(contract.id);
    expect(end.status).toBe('lapsed');
    expect(end.deadlines).toEqual([]);
    const lapseEvent = end.audit.find((e: { type: string }) => e.type === 'contract.lapsed');
    expect(lapseEvent.data.reason).toContain(`${expected.lastDay} 24:00`);
    const reminders = end.notifications.filter((n: { reason: string }) => n.reason === 'signing_reminder');
    const reminderIds = new Set(reminders.map((n: { id: string }) => n.id.split(':').slice(0, -1).join(':')));
    expect(reminderIds.size).toBe(3);
    expect(end.notifications.some((n: { reason: string }) => n.reason === 'signing_lapsed')).toBe(true);

    const history = await handle.fetchHistory();
    const firedTimers = history.events!.filter((e) => e.timerFiredEventAttributes);
    expect(firedTimers.length).toBeGreaterThanOrEqual(4);
    const late = await h.api('sales').post(`/api/contracts/${contract.id}/signatures`, { party: 'A', signer: '张示例', title: '代表', sealed: true });
    expect(late.status).toBe(409);
    expect(end.deadlines.length).toBe(0);
    expect(Date.parse(expected.dueAt) - Date.parse(created.createdAt)).toBeGreaterThan(29 * 86_400_000);
  });
});

describe('bad input', () => {
  it('answers 400 with field paths for an invalid contract and writes nothing', async () => {
    const before = await h.database.db.query('SELECT count(*)::int AS n FROM contracts');
    const terms = structuredClone(REFERENCE_TERMS) as Record<string, any>;
    terms.payment.totalFen = 100;
    terms.partyA.contact.phone = 'not-a-phone';
    delete terms.partyB.name;
    const res = await h.api('sales').post('/api/contracts', { terms });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.terms.partyA.contact.phone', 'body.terms.partyB.name']));
    const after = await h.database.db.query('SELECT count(*)::int AS n FROM contracts');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('rejects unknown fields, malformed JSON and unsealed signatures', async () => {
    const extra = await h.api('sales').post('/api/contracts', { terms: REFERENCE_TERMS, surprise: 1 });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body.error.issues)).toContain('surprise');
    const malformed = await h.api('sales').post('/api/contracts').set('Content-Type', 'application/json').send('{"terms":');
    expect(malformed.status).toBe(400);
    const contract = await createReferenceContract();
    const unsealed = await h.api('sales').post(`/api/contracts/${contract.id}/signatures`, { party: 'A', signer: 'x', title: 'y', sealed: false });
    expect(unsealed.status).toBe(400);
    expect(unsealed.body.error.issues[0].path).toBe('body.sealed');
    const future = await h
      .api('sales')
      .post(`/api/contracts/${contract.id}/signatures`, { party: 'A', signer: 'x', title: 'y', sealed: true, signedAt: '2999-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
  });

  it('answers 404 for unknown contracts and documents, 401 without a token, 403 for the wrong role', async () => {
    await h.api('sales').get('/api/contracts/00000000-0000-4000-8000-000000000000').expect(404);
    await h.api('sales').get('/api/contracts/not-a-uuid').expect(404);
    const contract = await createReferenceContract();
    await h.api('sales').get(`/api/contracts/${contract.id}/documents/nope`).expect(404);
    await h.api(null).get('/api/contracts').expect(401);
    const forbidden = await h.api('finance').post('/api/contracts', { terms: REFERENCE_TERMS });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toContain('sales');
  });

  it('creates one contract for a repeated Idempotency-Key and refuses the key with another body', async () => {
    const first = await createReferenceContract('create-once-1');
    const again = await h.api('sales').post('/api/contracts', { terms: REFERENCE_TERMS }).set('Idempotency-Key', 'create-once-1');
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = structuredClone(REFERENCE_TERMS);
    other.title = '另一份合同';
    const reused = await h.api('sales').post('/api/contracts', { terms: other }).set('Idempotency-Key', 'create-once-1');
    expect(reused.status).toBe(422);
    const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM contracts WHERE idempotency_key = $1', ['create-once-1']);
    expect(rows[0]!.n).toBe(1);
  });
});
