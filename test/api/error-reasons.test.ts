/**
 * The API's refusals carry a stable reason id and its parameters next to the
 * code and the English message: from a route (a contract that does not exist,
 * a payment reference counted with another amount) and from a workflow's
 * update validator, through Temporal (a party signing twice).
 */
import { describe, expect, it } from 'vitest';
import { activeContract, harnessPerBlock, serverNowIso } from '../support/flows';

const ref = harnessPerBlock();

describe('refusals with a reason and its parameters', () => {
  it('answers a contract that does not exist with contract.not_found', async () => {
    const { h } = ref;
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-contract-id']) {
      const res = await h.api('sales').get(`/api/contracts/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'contract not found', reason: 'contract.not_found', params: {} });
    }
  });

  it("answers a second signature of the same party with signature.already_signed, naming the party, the time and the signer", async () => {
    const { h } = ref;
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const created = (await h.api('sales').post('/api/contracts', template).expect(201)).body as { id: string };
    const signedAt = await serverNowIso(h);
    await h.api('sales').post(`/api/contracts/${created.id}/signatures`, { party: 'A', signer: '张示例', title: '授权代表', sealed: true, signedAt }).expect(200);
    const again = await h.api('sales').post(`/api/contracts/${created.id}/signatures`, { party: 'A', signer: '王示例', title: '授权代表', sealed: true });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'ALREADY_SIGNED',
      reason: 'signature.already_signed',
      params: { party: 'A', signedAt, signer: '张示例' },
    });
    expect(again.body.error.message).toContain('already signed');
  });

  it('answers a payment reference already counted with another amount with payment.amount_mismatch, in fen', async () => {
    const { h } = ref;
    const contract = await activeContract(h);
    const payment = { reference: 'DUP-0001', paidAt: await serverNowIso(h), method: 'bank_transfer', invoiceNumber: contract.invoice };
    const first = await h.api('finance').post(`/api/contracts/${contract.id}/payments`, { ...payment, amountFen: 100_000 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const other = await h.api('finance').post(`/api/contracts/${contract.id}/payments`, { ...payment, amountFen: 50_000 });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({
      code: 'CONFLICT',
      reason: 'payment.amount_mismatch',
      params: { reference: 'DUP-0001', recordedFen: 100_000, givenFen: 50_000 },
    });
    expect(other.body.error.message).toBe('payment reference DUP-0001 was already recorded with another amount (100000 fen)');
  });
});
