/**
 * Bringing the existing contract book in (POST /api/contract-imports): the
 * reference contract signed on paper in May 2024 and paid, a contract renewed
 * once, a contract never paid, a row with a bad date; none of them may send
 * a customer anything of its past, and none may serve a breach notice.
 *
 * The scenarios are the ones of the day they were written: the import
 * happens on 10 December 2026 (Beijing). When the test server's clock is
 * later than that, every date of the scenario moves by the same whole number
 * of years (month, day and time kept), so the test does not depend on the day
 * it runs. Expected instants are computed by hand: a term that ends "on 14 May
 * 2027 at 24:00 Beijing time" is 2027-05-14T16:00:00Z.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY, harnessPerBlock, sleepUntil, waitFor } from '../support/flows';
import type { Harness } from '../support/harness';
import { recordHistoryIfAsked } from '../support/histories';

const IMPORT_DAY = '2026-12-10T10:00:00+08:00';
const shiftYears = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
const utc = (iso: string) => new Date(iso).toISOString();

/** The whole years the scenario moves by, and the test server's clock set to its import day. */
async function scenarioClock(h: Harness): Promise<(iso: string) => string> {
  const now = await h.env.currentTimeMs();
  let years = 0;
  while (Date.parse(shiftYears(IMPORT_DAY, years)) < now) years += 1;
  await sleepUntil(h, shiftYears(IMPORT_DAY, years));
  return (iso) => shiftYears(iso, years);
}

type Row = Record<string, unknown>;

async function referenceTerms(h: Harness) {
  return (await h.api('sales').get('/api/templates/reference').expect(200)).body.terms as { payment: { totalFen: number }; package: { yearlyFeeFen: number } } & Record<string, unknown>;
}

const signatures = (signedOn: (party: 'A' | 'B') => string) => [
  { party: 'A', signer: '王主任', title: '办公室主任', sealed: true, signedAt: signedOn('A') },
  { party: 'B', signer: '李经理', title: '政企客户经理', sealed: true, signedAt: signedOn('B') },
];

async function counts(h: Harness) {
  const { rows } = await h.database.db.query(
    `SELECT (SELECT count(*)::int FROM contracts) AS contracts, (SELECT count(*)::int FROM invoices) AS invoices,
            (SELECT count(*)::int FROM payments) AS payments, (SELECT count(*)::int FROM signatures) AS signatures,
            (SELECT count(*)::int FROM audit_events) AS audit, (SELECT count(*)::int FROM workflow_outbox) AS outbox,
            (SELECT count(*)::int FROM notifications) AS notifications, (SELECT count(*)::int FROM renewals) AS renewals`,
  );
  return rows[0] as Record<string, number>;
}

const partyANotices = async (h: Harness, contractId: string) =>
  (await h.database.db.query(`SELECT id, reason FROM notifications WHERE contract_id = $1 AND audience = 'party_a_contact' ORDER BY id`, [contractId])).rows as { id: string; reason: string }[];
const casesOf = async (h: Harness, contractId: string) => (await h.database.db.query('SELECT id FROM legal_cases WHERE contract_id = $1', [contractId])).rows;
const invoicesOf = async (h: Harness, contractId: string) =>
  (await h.database.db.query('SELECT number, kind, status, paid_fen, amount_fen FROM invoices WHERE contract_id = $1 ORDER BY number', [contractId])).rows as {
    number: string; kind: string; status: string; paid_fen: number; amount_fen: number;
  }[];

/** Waits until the contract's lifecycle has taken over: its signed PDF stored and its term in the deadline read model. */
async function settled(h: Harness, contractId: string, alsoKinds: string[] = []) {
  await waitFor(
    async () => (await h.database.db.query(`SELECT kind FROM deadlines WHERE contract_id = $1 AND status = 'open'`, [contractId])).rows.map((r) => r.kind as string),
    (kinds) => ['term_end', ...alsoKinds].every((k) => kinds.includes(k)),
    'the imported contract\'s open deadlines',
  );
  await waitFor(
    async () => (await h.database.db.query(`SELECT 1 FROM documents WHERE contract_id = $1 AND kind = 'signed_contract'`, [contractId])).rowCount,
    (n) => n === 1,
    'the signed contract PDF',
  );
}

describe('importing contracts already signed on paper', () => {
  const ref = harnessPerBlock();
  let at: (iso: string) => string;
  let terms: Awaited<ReturnType<typeof referenceTerms>>;
  let referenceId: string;
  beforeAll(async () => {
    at = await scenarioClock(ref.h);
    terms = await referenceTerms(ref.h);
  });

  const referenceRow = (externalRef: string): Row => ({
    externalRef,
    line: 2,
    terms,
    signatures: signatures((p) => at(p === 'A' ? '2024-05-14T10:00:00+08:00' : '2024-05-14T15:30:00+08:00')),
    payments: [{ period: 'T1', amountFen: terms.payment.totalFen, paidAt: at('2024-06-01T11:00:00+08:00'), reference: 'BOC-20240601-0001', method: 'bank_transfer' }],
    owner: ref.h.users.sales,
  });

  it('plans the reference contract paid on 1 June 2024 in a dry run and writes nothing', async () => {
    const { h } = ref;
    const before = await counts(h);
    const res = await h.api('finance').post('/api/contract-imports', { dryRun: true, file: 'book.csv', contracts: [referenceRow('PAPER-2024-001')] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toMatchObject({ total: 1, ok: 1, failed: 0, existing: 0, imported: 0 });
    const [row] = res.body.results;
    expect(row).toMatchObject({ externalRef: 'PAPER-2024-001', ok: true, plan: { status: 'active', standing: 'in_order', renewals: 0, termEndsAt: utc(at('2027-05-14T16:00:00Z')) } });
    expect(row.contractId).toBeUndefined();
    expect(row.plan.invoices).toEqual([expect.objectContaining({ number: null, period: 'T1', status: 'paid', paidFen: terms.payment.totalFen })]);
    expect(row.plan.notifications).toEqual([]);
    expect(row.plan.deadlines.map((d: { kind: string }) => d.kind).sort()).toEqual(['renewal_objection', 'term_end']);
    expect(await counts(h)).toEqual(before);
  });

  it('imports it in force: T1 paid, no overdue, no case, nothing sent to Party A; the same reference again changes nothing', async () => {
    const { h } = ref;
    const res = await h.api('finance').post('/api/contract-imports', { dryRun: false, file: 'book.csv', contracts: [referenceRow('PAPER-2024-002')] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [row] = res.body.results;
    expect(row, JSON.stringify(row)).toMatchObject({ ok: true, plan: { status: 'active', termEndsAt: utc(at('2027-05-14T16:00:00Z')) } });
    const id = row.contractId as string;
    referenceId = id;
    expect(row.plan.invoices).toEqual([expect.objectContaining({ number: `INV-${row.contractNumber}-T1`, status: 'paid' })]);
    await settled(h, id, ['renewal_objection']);
    await recordHistoryIfAsked('lifecycle-imported-v7', h.env.client.workflow.getHandle(`contract-${id}`));

    const detail = (await h.api('sales').get(`/api/contracts/${id}`).expect(200)).body;
    expect(detail).toMatchObject({
      status: 'active',
      termEndsAt: utc(at('2027-05-14T16:00:00Z')),
      effectiveAt: utc(at('2024-05-14T15:30:00+08:00')),
      imported: { externalRef: 'PAPER-2024-002' },
    });
    expect(Math.abs(Date.parse(detail.imported.at) - Date.parse(at(IMPORT_DAY)))).toBeLessThan(5 * 60_000);
    expect(detail.signatures).toHaveLength(2);
    expect(await invoicesOf(h, id)).toEqual([expect.objectContaining({ number: `INV-${row.contractNumber}-T1`, status: 'paid', paid_fen: terms.payment.totalFen })]);
    expect(await casesOf(h, id)).toEqual([]);
    expect(await partyANotices(h, id)).toEqual([]);
    // every record names who imported it, the file and the row
    const audit = (await h.database.db.query('SELECT type, actor_id, data FROM audit_events WHERE contract_id = $1 ORDER BY id', [id])).rows;
    const imported = audit.filter((e) => String(e.type).endsWith('imported'));
    expect(imported.map((e) => e.type)).toEqual(['contract.imported', 'signature.imported', 'signature.imported', 'invoice.imported', 'payment.imported']);
    for (const event of imported) expect(event).toMatchObject({ actor_id: h.users.finance, data: { import: { file: 'book.csv', line: 2, externalRef: 'PAPER-2024-002' } } });

    const before = await counts(h);
    const again = await h.api('finance').post('/api/contract-imports', { dryRun: false, file: 'book.csv', contracts: [referenceRow('PAPER-2024-002')] });
    expect(again.status).toBe(200);
    expect(again.body.results[0]).toMatchObject({ ok: true, existing: true, contractId: id, contractNumber: row.contractNumber });
    expect(again.body.summary).toMatchObject({ existing: 1, imported: 0 });
    expect(await counts(h)).toEqual(before);
  });

  it('imports a contract signed 1 March 2023 and renewed in 2026 with R1 paid: in force until 1 March 2027, both invoices paid, nothing sent', async () => {
    const { h } = ref;
    const row: Row = {
      externalRef: 'PAPER-2023-017',
      terms,
      signatures: signatures(() => at('2023-03-01T10:00:00+08:00')),
      payments: [
        { period: 'T1', amountFen: terms.payment.totalFen, paidAt: at('2023-03-20T10:00:00+08:00'), reference: 'ICBC-20230320-17', method: 'bank_transfer' },
        { period: 'R1', amountFen: terms.package.yearlyFeeFen, paidAt: at('2026-03-10T10:00:00+08:00'), reference: 'ICBC-20260310-17', method: 'bank_transfer' },
      ],
      owner: h.users.sales,
    };
    const res = await h.api('admin').post('/api/contract-imports', { dryRun: false, contracts: [row] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = res.body.results[0];
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, plan: { status: 'active', renewals: 1, termEndsAt: utc(at('2027-03-01T16:00:00Z')) } });
    const id = result.contractId as string;
    await settled(h, id, ['renewal_objection']);
    expect((await invoicesOf(h, id)).map((i) => [i.number.slice(-2), i.kind, i.status])).toEqual([['R1', 'renewal', 'paid'], ['T1', 'initial_term', 'paid']]);
    const renewals = (await h.database.db.query('SELECT seq, previous_end_at, new_end_at FROM renewals WHERE contract_id = $1', [id])).rows;
    expect(renewals).toEqual([{ seq: 1, previous_end_at: new Date(at('2026-03-01T16:00:00Z')), new_end_at: new Date(at('2027-03-01T16:00:00Z')) }]);
    expect((await h.api('sales').get(`/api/contracts/${id}`).expect(200)).body).toMatchObject({ status: 'active', termEndsAt: utc(at('2027-03-01T16:00:00Z')) });
    expect(await partyANotices(h, id)).toEqual([]);
    expect(await casesOf(h, id)).toEqual([]);
  });

  it('imports a contract signed in June 2025 and never paid: overdue, one work item for finance and legal, no breach case, nothing to Party A unless a person chose one reminder', async () => {
    const { h } = ref;
    const unpaid = (externalRef: string, remindOverdue: boolean): Row => ({
      externalRef,
      terms,
      signatures: signatures(() => at('2025-06-10T10:00:00+08:00')),
      payments: [],
      owner: h.users.sales,
      remindOverdue,
      smsUsedThisYear: 1234,
    });
    const res = await h.api('finance').post('/api/contract-imports', { dryRun: false, contracts: [unpaid('PAPER-2025-031', false), unpaid('PAPER-2025-032', true)] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [silent, reminded] = res.body.results;
    expect(silent.plan).toMatchObject({ standing: 'overdue', invoices: [{ period: 'T1', status: 'overdue' }] });
    expect(silent.plan.notifications).toEqual([expect.objectContaining({ audiences: ['finance', 'legal'], reason: 'overdue_at_entry' })]);
    expect(reminded.plan.notifications.map((n: { reason: string }) => n.reason)).toEqual(['overdue_at_entry', 'overdue_reminder_at_entry']);

    for (const result of [silent, reminded]) {
      const id = result.contractId as string;
      await settled(h, id);
      await waitFor(
        async () => (await h.database.db.query(`SELECT count(*)::int AS n FROM notifications WHERE contract_id = $1 AND reason = 'overdue_at_entry'`, [id])).rows[0]!.n,
        (n) => n === 2,
        'the work item for finance and legal',
      );
      expect((await invoicesOf(h, id))[0]).toMatchObject({ status: 'overdue', paid_fen: 0 });
      // the contract year's quota counts what was used before the import
      const used = (await h.database.db.query('SELECT used_parts FROM sms_quota_usage WHERE contract_id = $1', [id])).rows;
      expect(used).toEqual([{ used_parts: 1234 }]);
    }
    // a month later: still no breach case, no ladder burst, and Party A heard at most the one reminder a person chose
    await sleepUntil(h, Date.parse(at(IMPORT_DAY)) + 31 * DAY);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await casesOf(h, silent.contractId)).toEqual([]);
    expect(await casesOf(h, reminded.contractId)).toEqual([]);
    expect(await partyANotices(h, silent.contractId)).toEqual([]);
    expect((await partyANotices(h, reminded.contractId)).map((n) => n.reason)).toEqual(['overdue_reminder_at_entry']);
    const workItems = (await h.database.db.query(`SELECT DISTINCT split_part(id, ':', 1) || split_part(id, ':', 2) AS item FROM notifications WHERE contract_id = $1 AND reason = 'overdue_at_entry'`, [silent.contractId])).rows;
    expect(workItems).toHaveLength(1);
    await recordHistoryIfAsked('payment-imported-overdue-v7', h.env.client.workflow.getHandle(`payment-INV-${reminded.contractNumber}-T1`));
  });

  it('alerts Party A of the reference contract\'s renewal 45 and 15 days before 14 May 2027, the first words it gets after the import', async () => {
    const { h } = ref;
    const alerts = async () => (await partyANotices(h, referenceId)).filter((n) => n.reason === 'renewal_alert').map((n) => n.id.split(':').slice(-3, -1).join(':'));
    // by hand: 45 days before 2027-05-14T16:00Z is 2027-03-30T16:00Z, 15 days before is 2027-04-29T16:00Z
    await sleepUntil(h, at('2027-03-30T15:59:00Z'));
    await new Promise((r) => setTimeout(r, 500));
    expect(await alerts()).toEqual([]);
    await sleepUntil(h, at('2027-03-30T16:01:00Z'));
    await waitFor(alerts, (a) => a.length === 1, 'the 45-day renewal alert');
    expect(await alerts()).toEqual([`${at('2027-05-14')}:45`]);
    await sleepUntil(h, at('2027-04-29T16:01:00Z'));
    await waitFor(alerts, (a) => a.length === 2, 'the 15-day renewal alert');
    expect((await alerts()).sort()).toEqual([`${at('2027-05-14')}:15`, `${at('2027-05-14')}:45`]);
    expect((await partyANotices(h, referenceId)).every((n) => n.reason === 'renewal_alert')).toBe(true);
  });
});

describe('a bad row in an import', () => {
  const ref = harnessPerBlock();

  it('is reported with its path and skipped while the good row goes in; a dry run of both writes nothing', async () => {
    const { h } = ref;
    const at = await scenarioClock(h);
    const terms = await referenceTerms(h);
    const good: Row = {
      externalRef: 'PAPER-GOOD',
      terms,
      signatures: signatures(() => at('2024-09-02T10:00:00+08:00')),
      payments: [{ period: 'T1', amountFen: terms.payment.totalFen, paidAt: at('2024-09-20T10:00:00+08:00'), reference: 'CCB-0920', method: 'bank_transfer' }],
      owner: h.users.sales,
    };
    const bad: Row = { ...good, externalRef: 'PAPER-BAD', signatures: [{ ...(good.signatures as Row[])[0], signedAt: '2024-13-45T10:00:00+08:00' }, (good.signatures as Row[])[1]] };
    const future: Row = { ...good, externalRef: 'PAPER-FUTURE', payments: [{ period: 'R1', amountFen: 100, paidAt: at('2024-09-20T10:00:00+08:00'), reference: 'X-1', method: 'cash' }] };

    const before = await counts(h);
    const dry = await h.api('finance').post('/api/contract-imports', { dryRun: true, contracts: [good, bad, future] });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.summary).toMatchObject({ total: 3, ok: 1, failed: 2 });
    expect(dry.body.results[1]).toMatchObject({ externalRef: 'PAPER-BAD', ok: false, errors: [{ path: 'contracts.1.signatures.0.signedAt', message: expect.stringContaining('ISO 8601') }] });
    expect(dry.body.results[2]).toMatchObject({ ok: false, errors: [{ path: 'contracts.2.payments.0.period', message: expect.stringContaining('no period R1') }] });
    expect(await counts(h)).toEqual(before);

    const committed = await h.api('finance').post('/api/contract-imports', { dryRun: false, contracts: [good, bad] });
    expect(committed.status).toBe(200);
    expect(committed.body.summary).toMatchObject({ total: 2, ok: 1, failed: 1, imported: 1 });
    expect((await h.database.db.query(`SELECT external_ref FROM contracts WHERE external_ref IS NOT NULL ORDER BY 1`)).rows).toEqual([{ external_ref: 'PAPER-GOOD' }]);

    // a request that is not an import at all is a 400 with the path
    const wrong = await h.api('finance').post('/api/contract-imports', { dryRun: 'yes', contracts: [] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('VALIDATION_FAILED');
    // sales import only their own contracts
    const foreign = await h.api('sales').post('/api/contract-imports', { dryRun: true, contracts: [{ ...good, externalRef: 'PAPER-OTHER', owner: h.users.admin }] });
    expect(foreign.body.results[0]).toMatchObject({ ok: false, errors: [{ path: 'contracts.0.owner' }] });
  });
});
