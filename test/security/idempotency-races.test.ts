/**
 * Idempotency and races: twenty concurrent identical POSTs with one
 * Idempotency-Key have one effect; the key with another body is a 422; two
 * parties signing at the same instant, repeated payments racing each other
 * and a payment racing its deadline each end in one consistent state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let template: unknown;

beforeAll(async () => {
  h = await createHarness();
  template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
});
afterAll(async () => {
  await h?.close();
});

const count = async (sql: string, values: unknown[] = []) => (await h.database.db.query(sql, values)).rows[0]!.n as number;

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function activeContract(): Promise<{ id: string; invoice: { number: string; amountFen: number; dueAt: string } }> {
  const id = (await h.api('sales').post('/api/contracts', template).expect(201)).body.id as string;
  const [a, b] = await Promise.all([
    h.api('sales').post(`/api/contracts/${id}/signatures`, { party: 'A', signer: '张示例', title: '代表', sealed: true }),
    h.api('sales').post(`/api/contracts/${id}/signatures`, { party: 'B', signer: '王示例', title: '负责人', sealed: true }),
  ]);
  expect([a.status, b.status]).toEqual([200, 200]);
  const invoices = await waitFor(
    async () => (await h.api('finance').get(`/api/contracts/${id}`).expect(200)).body.invoices as { number: string; amountFen: number; dueAt: string; status: string }[],
    (list) => list.length === 1,
  );
  return { id, invoice: invoices[0]! };
}

describe('Idempotency-Key', () => {
  it('turns 20 concurrent identical POSTs with one key into exactly one contract, one audit event and one workflow', async () => {
    const key = 'race-create-1';
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.api('sales').post('/api/contracts', template).set('Idempotency-Key', key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201), JSON.stringify(statuses)).toBe(true);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    const [id] = [...ids];
    expect(await count(`SELECT count(*)::int AS n FROM contracts WHERE idempotency_key = $1`, [key])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE contract_id = $1 AND type = 'contract.created'`, [id])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM workflow_outbox WHERE workflow_id = $1`, [`contract-${id}`])).toBe(0);
    const described = await h.env.client.workflow.getHandle(`contract-${id}`).describe();
    expect(described.status.name).toBe('RUNNING');
  });

  it('answers the same key with another body 422, and with the same body the stored response', async () => {
    const key = 'race-create-2';
    const first = await h.api('sales').post('/api/contracts', template).set('Idempotency-Key', key).expect(201);
    const other = structuredClone(template) as { terms: { partyA: { contact: { name: string } } } };
    other.terms.partyA.contact.name = '李示例';
    const reused = await h.api('sales').post('/api/contracts', other).set('Idempotency-Key', key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const replay = await h.api('sales').post('/api/contracts', template).set('Idempotency-Key', key).expect(201);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await count(`SELECT count(*)::int AS n FROM contracts WHERE idempotency_key = $1`, [key])).toBe(1);
  });

  it('records one payment for 20 concurrent identical payment POSTs with one key', async () => {
    const { id, invoice } = await activeContract();
    const body = { amountFen: 100_00, reference: 'RACE-PAY-1', paidAt: new Date().toISOString(), method: 'bank_transfer' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.api('finance').post(`/api/contracts/${id}/payments`, body).set('Idempotency-Key', 'pay-key-1')));
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200]));
    expect(await count(`SELECT count(*)::int AS n FROM payments WHERE invoice_number = $1`, [invoice.number])).toBe(1);
    expect(await count(`SELECT paid_fen::int AS n FROM invoices WHERE number = $1`, [invoice.number])).toBe(100_00);
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE contract_id = $1 AND type = 'payment.recorded'`, [id])).toBe(1);
  });
});

describe('races', () => {
  it('activates once when both parties sign at the same instant', async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await activeContract();
      const detail = (await h.api('sales').get(`/api/contracts/${id}`).expect(200)).body;
      expect(detail.status).toBe('active');
      expect(detail.signatures.map((s: { party: string }) => s.party).sort()).toEqual(['A', 'B']);
      expect(detail.audit.filter((e: { type: string }) => e.type === 'contract.activated')).toHaveLength(1);
      expect(await count(`SELECT count(*)::int AS n FROM invoices WHERE contract_id = $1`, [id])).toBe(1);
    }
  });

  it('counts a payment racing concurrent retries of itself (no key, same reference) once', async () => {
    const { id, invoice } = await activeContract();
    const body = { amountFen: invoice.amountFen, reference: 'RACE-PAY-2', paidAt: new Date().toISOString(), method: 'bank_transfer' };
    const responses = await Promise.all(Array.from({ length: 10 }, () => h.api('finance').post(`/api/contracts/${id}/payments`, body)));
    expect(responses.every((r) => r.status === 200), JSON.stringify(responses.map((r) => [r.status, r.body.error]))).toBe(true);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM payments WHERE invoice_number = $1`, [invoice.number])).toBe(1);
    const stored = await h.database.db.query(`SELECT status, paid_fen FROM invoices WHERE number = $1`, [invoice.number]);
    expect(stored.rows[0]!).toEqual({ status: 'paid', paid_fen: invoice.amountFen });
  });

  it('ends a payment racing its deadline in one consistent state: paid, once, overdue only if the deadline won', async () => {
    const { id, invoice } = await activeContract();
    const untilDue = Date.parse(invoice.dueAt) - Date.now();
    const body = { amountFen: invoice.amountFen, reference: 'RACE-DEADLINE', paidAt: new Date().toISOString(), method: 'bank_transfer' };
    // skip time to the deadline while the payment arrives
    const [paid] = await Promise.all([h.api('finance').post(`/api/contracts/${id}/payments`, body), h.env.sleep(untilDue)]);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const stored = await waitFor(
      () => h.database.db.query(`SELECT status, paid_fen, overdue_at FROM invoices WHERE number = $1`, [invoice.number]),
      (r) => r.rows[0]!.status === 'paid',
    );
    expect(stored.rows[0]!.paid_fen).toBe(invoice.amountFen);
    expect(await count(`SELECT count(*)::int AS n FROM payments WHERE invoice_number = $1`, [invoice.number])).toBe(1);
    const overdueEvents = await count(`SELECT count(*)::int AS n FROM audit_events WHERE contract_id = $1 AND type = 'invoice.overdue'`, [id]);
    expect(overdueEvents).toBeLessThanOrEqual(1);
    // the invoice row and the audit trail agree on who won
    expect(overdueEvents === 1).toBe(stored.rows[0]!.overdue_at !== null);
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE contract_id = $1 AND type = 'payment.recorded'`, [id])).toBe(1);
  });
});
