/**
 * Temporal is no side door: whoever reaches the frontend (port 7233) can send
 * an update, but a workflow accepts only updates the API signed
 * (domain/actor-assertion.ts, workflows/interceptors.ts). A forged actor, a
 * missing or wrong assertion, another update's assertion reused, or an old
 * one: refused before it enters history, and nothing changes.
 */
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ACTOR_ASSERTION_HEADER, assertionKeyFromHex, signAssertion } from '../../domain/actor-assertion';
import { loadActorAssertionKey } from '../../platform/actor-key';
import { loadConfig } from '../../platform/config';
import { getInvoiceStateQuery, recordPaymentUpdate } from '../../workflows/messages/payment-deadline';
import { activeContract, harnessPerBlock, serverNowIso } from '../support/flows';

describe('updates sent straight to Temporal', () => {
  const ref = harnessPerBlock();

  it('refuses a forged actor, a missing, wrong, reused or old assertion, and changes nothing; the API itself still records the payment', async () => {
    const { h } = ref;
    const c = await activeContract(h);
    const paidAt = await serverNowIso(h);
    const payment = { amountFen: 299_700, reference: 'FORGED-1', paidAt, method: 'bank_transfer' as const, actor: { id: 'admin', role: 'admin' } };

    // an attacker's client: the same server, no key
    const raw = new Client({ connection: h.env.client.connection, namespace: 'default' });
    const withHeader = (assertion: unknown) =>
      new Client({
        connection: h.env.client.connection,
        namespace: 'default',
        interceptors: { workflow: [{ startUpdate: (input, next) => next({ ...input, headers: { ...input.headers, [ACTOR_ASSERTION_HEADER]: defaultPayloadConverter.toPayload(assertion) } }) }] },
      });
    const send = (client: Client, args = payment) => client.workflow.getHandle(c.payment.workflowId).executeUpdate(recordPaymentUpdate, { args: [args] });
    const refusal = async (attempt: Promise<unknown>) => {
      const error = await attempt.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
      expect(cause.type).toBe('UNAUTHENTICATED');
      return cause.message;
    };

    const key = assertionKeyFromHex(loadActorAssertionKey(loadConfig()));
    const wrongKey = new Uint8Array(32).fill(7);
    const signed = (k: Uint8Array, updateName: string, args: unknown[], issuedAt: number) => signAssertion(k, { workflowId: c.payment.workflowId, updateName, args, issuedAt });
    const now = Date.parse(paidAt);

    expect(await refusal(send(raw))).toContain('carries no actor assertion');
    expect(await refusal(send(withHeader(signed(wrongKey, 'recordPaymentUpdate', [payment], now))))).toContain('does not match');
    // a real assertion for other arguments (another amount) does not carry over
    const genuine = signed(key, 'recordPaymentUpdate', [{ ...payment, amountFen: 1 }], now);
    expect(await refusal(send(withHeader(genuine)))).toContain('does not match');
    // nor to another update
    expect(await refusal(send(withHeader(signed(key, 'requestTopUpUpdate', [payment], now))))).toContain('does not match');
    // nor once it is old
    expect(await refusal(send(withHeader(signed(key, 'recordPaymentUpdate', [payment], now - 10 * 60_000))))).toContain('expired');
    expect(await refusal(send(withHeader({ issuedAt: 'soon', mac: 42 })))).toContain('malformed');

    // nothing changed: no payment in the workflow, none in Postgres, no history event for the refused updates
    expect(await c.payment.query(getInvoiceStateQuery)).toMatchObject({ status: 'open', paidFen: 0, payments: [] });
    const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM payments WHERE contract_id = $1', [c.id]);
    expect(rows[0]!.n).toBe(0);
    const history = await c.payment.fetchHistory();
    expect((history.events ?? []).some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);

    // the API's own update goes through
    const res = await h.api('finance').post(`/api/contracts/${c.id}/payments`, { amountFen: 299_700, reference: 'BANK-1', paidAt, method: 'bank_transfer' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await c.payment.query(getInvoiceStateQuery)).toMatchObject({ paidFen: 299_700 });
  });
});
