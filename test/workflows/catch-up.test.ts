/**
 * Moments that passed while nobody acted (domain/catch-up.ts), on a real
 * worker and the time-skipping server:
 * - an invoice whose workflow wakes weeks late (a worker down) sends one
 *   catch-up per kind of ladder step, never the whole ladder at once, and
 *   serves its breach notice when it is sent, not back-dated;
 * - a contract entered today with signatures from last year gets an overdue
 *   invoice and a work item, never an automatic breach notice, and at most
 *   one word to Party A.
 */
import { describe, expect, it } from 'vitest';
import { invoiceNumber, paymentWorkflowId } from '../../domain/billing';
import { DAY, harnessPerBlock, referencePaymentInput, waitFor } from '../support/flows';
import { recordHistoryIfAsked } from '../support/histories';

const overdueNotices = async (h: ReturnType<typeof harnessPerBlock>['h'], contractId: string) =>
  (await h.database.db.query(`SELECT id, reason, audience FROM notifications WHERE contract_id = $1 AND (reason LIKE 'overdue%' OR reason LIKE 'payment%') ORDER BY id`, [contractId])).rows as {
    id: string; reason: string; audience: string;
  }[];

describe('a payment workflow that wakes up late', () => {
  const ref = harnessPerBlock();

  it('takes the last missed step of each rung once and serves the breach notice at the moment it is sent', async () => {
    const { h } = ref;
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const contract = (await h.api('sales').post('/api/contracts', template).expect(201)).body as { id: string; number: string };
    const now = await h.env.currentTimeMs();
    // a period that began 50 days ago, for a contract known for 51: its 30 days (plus at most 9 rest days) lapsed 11 or more days ago,
    // so by now the ladder's steps at +0, +1, +7 and +8 days have all passed while the workflow was not running
    const trigger = new Date(now - 50 * DAY).toISOString();
    const number = `${invoiceNumber(contract.number, { kind: 'initial_term' })}-LATE`;
    const input = referencePaymentInput(contract, number, trigger, { knownSince: new Date(now - 51 * DAY).toISOString() });
    const started = await h.env.currentTimeMs();
    await h.env.client.workflow.start('paymentDeadline', { workflowId: paymentWorkflowId(number), taskQueue: h.taskQueue, args: [input] });

    const caseId = `nonpayment-${number}`;
    const served = await waitFor(
      async () => (await h.database.db.query('SELECT opened_at AS served_at FROM legal_cases WHERE id = $1', [caseId])).rows[0] as { served_at: Date } | undefined,
      (row) => row !== undefined,
      'the breach case',
    );
    // served now, not at the due date weeks ago: the cure period runs from the notice a customer can actually read
    expect(served!.served_at.getTime()).toBeGreaterThanOrEqual(started - 1_000);
    // the last step that had passed when the workflow woke is the customer reminder at +8 days (or +15)
    await waitFor(() => overdueNotices(h, contract.id), (n) => n.some((x) => x.reason === 'overdue_remind-customer'), 'the catch-up reminder to the customer');
    await new Promise((r) => setTimeout(r, 500));
    const notices = await overdueNotices(h, contract.id);
    const steps = [...new Set(notices.map((n) => n.id.split(':').slice(1, -1).join(':')))].sort();
    // one of each kind: the notice, the finance alert, the last customer reminder missed (repeat 1, at +8 days; or 2 at +15), the legal escalation
    expect(steps.filter((s) => s.startsWith('ladder:remind-customer'))).toHaveLength(1);
    expect(steps.filter((s) => s.startsWith('ladder:notify-finance-and-owner'))).toHaveLength(1);
    expect(steps.filter((s) => s.startsWith('ladder:escalate-to-legal'))).toHaveLength(1);
    // no "n days left" reminder after the due date
    expect(notices.filter((n) => n.reason === 'payment_reminder')).toEqual([]);
    await recordHistoryIfAsked('payment-late-v7', h.env.client.workflow.getHandle(paymentWorkflowId(number)));
  });
});

describe('a contract entered with signatures from last year', () => {
  const ref = harnessPerBlock();

  it('gets an overdue invoice and a work item, no breach case, and Party A hears only that the contract is in force', async () => {
    const { h } = ref;
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const contract = (await h.api('sales').post('/api/contracts', template).expect(201)).body as { id: string; number: string };
    const now = await h.env.currentTimeMs();
    const signedAt = new Date(now - 180 * DAY).toISOString();
    for (const party of ['A', 'B']) {
      const res = await h.api('sales').post(`/api/contracts/${contract.id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true, signedAt });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const invoice = invoiceNumber(contract.number, { kind: 'initial_term' });
    await waitFor(
      async () => (await h.database.db.query(`SELECT count(*)::int AS n FROM notifications WHERE contract_id = $1 AND reason = 'overdue_at_entry'`, [contract.id])).rows[0]!.n,
      (n) => n === 2,
      'the work item for finance and legal',
    );
    expect((await h.database.db.query('SELECT status FROM invoices WHERE number = $1', [invoice])).rows[0]).toEqual({ status: 'overdue' });
    // forty days on, the ladder's later steps would all have passed: still no case, and nothing of the past reached Party A
    await h.env.sleep(40 * DAY);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await h.database.db.query('SELECT id FROM legal_cases WHERE contract_id = $1', [contract.id])).rows).toEqual([]);
    const toPartyA = (await h.database.db.query(`SELECT reason FROM notifications WHERE contract_id = $1 AND audience = 'party_a_contact'`, [contract.id])).rows;
    expect(toPartyA).toEqual([{ reason: 'contract_signed' }]);
  });
});
