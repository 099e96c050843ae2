/**
 * A freeze and what it refuses are atomic: the freeze's write and the check
 * of a new contract, an imported row or a supplemental agreement hold the
 * organisation's lock (db/organisations.ts lockOrganisation), and each checks
 * again inside its own transaction. Each test holds a freeze open (the
 * organisation's lock taken and the forfeiture written, as the confirmation
 * of a content violation does), starts the request, sees it wait for the
 * lock (before the fix it went through: nothing made it wait), commits the
 * freeze, and finds the request refused with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { completeCreditCode } from '../../domain/credit-code';
import { insertForfeiture } from '../../db/legal';
import { lockOrganisation, type OrganisationKey } from '../../db/organisations';
import { getContractStateQuery } from '../../workflows/messages/contract-lifecycle';
import { activeContract, DAY, harnessPerBlock, serverNowIso, waitFor } from '../support/flows';
import type { Harness } from '../support/harness';

type Terms = { partyA: { name: string; creditCode?: string } } & Record<string, unknown>;

/** Example codes made for these tests (valid check characters, no real organisation meant). */
const CODE_CREATE = completeCreditCode('1215010031310001');
const CODE_IMPORT = completeCreditCode('1215010031310002');
const CODE_AMEND = completeCreditCode('1215010031310003');
/** When the provider learned of the violation: a fixed instant in the past. */
const LEARNED_AT = '2025-03-03T02:00:00.000Z';
const FROZEN_AT = '2025-03-03T03:00:00.000Z';

/** An active contract of the organisation, and a content violation case detected on it (not confirmed yet). */
async function organisationWithCase(h: Harness, organisation: { name: string; creditCode: string }) {
  const contract = await activeContract(h, (terms: Terms) => {
    terms.partyA = { ...terms.partyA, ...organisation };
  });
  const detected = await h.api('operations').post(`/api/contracts/${contract.id}/violations`, { reportedBy: 'provider', learnedAt: LEARNED_AT, description: '监测发现发送赌博类推广短信。' });
  expect(detected.status, JSON.stringify(detected.body)).toBe(201);
  return { contract, caseId: detected.body.id as string };
}

/**
 * A freeze held open: the organisation's lock taken and the forfeiture
 * written in a transaction that commits only when told (the confirmation's
 * write, activities/legal.ts confirmViolation, stopped before its commit).
 */
async function holdFreeze(h: Harness, organisation: OrganisationKey, frozen: { caseId: string; contractId: string }) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const committed = h.database.db.withTransaction(async (tx) => {
    await lockOrganisation(tx, organisation);
    await insertForfeiture(tx, {
      caseId: frozen.caseId,
      contractId: frozen.contractId,
      frozenAt: FROZEN_AT,
      contractYear: 1,
      yearQuotaSms: 12_666,
      laterYears: 2,
      laterYearsSms: 25_332,
      detail: {},
      recordedBy: h.users.legal,
    });
    locked();
    await released;
  });
  await Promise.race([
    holding,
    committed.then(() => {
      throw new Error('the freeze committed before it was held');
    }),
  ]);
  return {
    commit: async () => {
      release();
      await committed;
    },
  };
}

/** Transactions of this test's database waiting for an advisory lock. */
const lockWaiters = async (h: Harness) =>
  (
    await h.database.db.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )
  ).rows[0]!.n as number;

/** Waits until the request waits for the organisation's lock, then commits the freeze (committed whatever happens: nothing is left holding the lock). */
async function waitingThenCommit(h: Harness, freeze: { commit: () => Promise<void> }, what: string): Promise<void> {
  try {
    await waitFor(() => lockWaiters(h), (n) => n >= 1, what, 10_000);
  } finally {
    await freeze.commit();
  }
}

/** Starts the request now (supertest sends on `then`) and resolves with its response. */
const started = <T>(request: PromiseLike<T>): Promise<T> => new Promise<T>((resolve, reject) => request.then(resolve, reject));

const expectRefusedBy = (res: { status: number; body: { error?: { code: string; freeze?: unknown } } }, caseId: string, contractId: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body.error!.code).toBe('ORGANISATION_FROZEN');
  expect(res.body.error!.freeze).toMatchObject({ caseId, contractId, matchedBy: 'credit_code' });
};

describe('a freeze committed while a request is between its check and its write', () => {
  const ref = harnessPerBlock();

  it('refuses the new contract: it waits for the freeze, then sees it; no contract row', async () => {
    const { h } = ref;
    const organisation = { name: '包头市示例气象台', creditCode: CODE_CREATE };
    const { contract, caseId } = await organisationWithCase(h, organisation);
    const freeze = await holdFreeze(h, organisation, { caseId, contractId: contract.id });

    const { terms } = (await h.api('sales').get('/api/templates/reference').expect(200)).body as { terms: Terms };
    // another name, the same code: the organisation is its code
    const creating = started(h.api('sales').post('/api/contracts', { terms: { ...terms, partyA: { ...terms.partyA, name: '包头市示例气象局', creditCode: CODE_CREATE } } }));
    await waitingThenCommit(h, freeze, 'the creation waiting for the organisation lock');

    expectRefusedBy(await creating, caseId, contract.id);
    const { rows } = await h.database.db.query('SELECT id FROM contracts WHERE party_a_credit_code = $1', [CODE_CREATE]);
    expect(rows.map((r) => r.id)).toEqual([contract.id]);
  });

  it('refuses the imported row: it waits for the freeze in its commit, then sees it; no contract row', async () => {
    const { h } = ref;
    const organisation = { name: '赤峰市示例地震台', creditCode: CODE_IMPORT };
    const { contract, caseId } = await organisationWithCase(h, organisation);
    const freeze = await holdFreeze(h, organisation, { caseId, contractId: contract.id });

    const { terms } = (await h.api('sales').get('/api/templates/reference').expect(200)).body as { terms: Terms };
    const signedAt = new Date(Date.parse(await serverNowIso(h)) - 40 * DAY).toISOString();
    const row = {
      externalRef: 'RACE-001',
      terms: { ...terms, partyA: { ...terms.partyA, ...organisation } },
      signatures: [
        { party: 'A', signer: '王主任', title: '办公室主任', sealed: true, signedAt },
        { party: 'B', signer: '李经理', title: '政企客户经理', sealed: true, signedAt },
      ],
      owner: h.users.sales,
    };
    // the rows are checked before any commits (the freeze is not committed yet): the row is planned, then waits in its transaction
    const importing = started(h.api('finance').post('/api/contract-imports', { dryRun: false, file: 'book.csv', contracts: [row] }));
    await waitingThenCommit(h, freeze, 'the import row waiting for the organisation lock');

    const res = await importing;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toMatchObject({ total: 1, ok: 0, failed: 1, imported: 0 });
    expect(res.body.results[0]).toMatchObject({ externalRef: 'RACE-001', ok: false, code: 'ORGANISATION_FROZEN', freeze: { caseId, contractId: contract.id } });
    expect(res.body.results[0].errors).toEqual([{ path: 'contracts.0.terms.partyA.creditCode', message: expect.stringContaining(caseId) }]);
    const { rows } = await h.database.db.query(`SELECT count(*)::int AS n FROM contracts WHERE external_ref = 'RACE-001'`);
    expect(rows[0]!.n).toBe(0);
  });

  it("refuses the supplemental agreement on the organisation's other contract: it waits for the freeze, then sees it; nothing recorded", async () => {
    const { h } = ref;
    const organisation = { name: '通辽市示例水文站', creditCode: CODE_AMEND };
    const { contract, caseId } = await organisationWithCase(h, organisation);
    const other = await activeContract(h, (terms: Terms) => {
      terms.partyA = { ...terms.partyA, ...organisation };
    });
    const freeze = await holdFreeze(h, organisation, { caseId, contractId: contract.id });

    const proposing = started(h.api('sales').post(`/api/contracts/${other.id}/amendments`, { description: '增加年度短信条数', changes: { smsPerYear: 20000 } }));
    await waitingThenCommit(h, freeze, 'the agreement waiting for the organisation lock');

    expectRefusedBy(await proposing, caseId, contract.id);
    const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM amendments WHERE contract_id = $1', [other.id]);
    expect(rows[0]!.n).toBe(0);
    // the lifecycle never got the update: no agreement is pending in it
    const state = await h.env.client.workflow.getHandle(other.workflowId).query(getContractStateQuery);
    expect(state.amendments).toEqual([]);
  });
});
