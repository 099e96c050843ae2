/**
 * Party A's identity (issue 16): the unified social credit code on a new
 * contract (a bad code is a 400 naming the field; full-width and lower case
 * input is stored normalised), an admin setting it on a contract stored
 * without one; customer operators bound to their organisation by the code,
 * not by the name; and a freeze that binds the organisation: after a
 * confirmed content violation, a new contract, an imported row and a
 * supplemental agreement for it are refused (409 ORGANISATION_FROZEN naming
 * the case and the contract).
 */
import supertest from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeCreditCode, CREDIT_CODE_REQUIRED, creditCodeCheckCharacter } from '../../domain/credit-code';
import { REFERENCE_PARTY_A_CREDIT_CODE } from '../../domain/terms';
import { activeContract, DAY, harnessPerBlock, serverNowIso } from '../support/flows';
import type { Harness } from '../support/harness';

type Terms = { partyA: { name: string; creditCode?: string } } & Record<string, unknown>;

const template = async (h: Harness) => (await h.api('sales').get('/api/templates/reference').expect(200)).body as { terms: Terms };
const withPartyA = async (h: Harness, partyA: Partial<Terms['partyA']>) => {
  const { terms } = await template(h);
  return { terms: { ...terms, partyA: { ...terms.partyA, ...partyA } } };
};
const create = async (h: Harness, partyA: Partial<Terms['partyA']>) => h.api('sales').post('/api/contracts', await withPartyA(h, partyA));
const created = async (h: Harness, partyA: Partial<Terms['partyA']>) => {
  const res = await create(h, partyA);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string };
};
/** Makes the contract one stored before credit codes: neither its column nor its terms carry one. */
const forgetCode = (h: Harness, contractId: string) =>
  h.database.db.query(`UPDATE contracts SET party_a_credit_code = NULL, terms = terms #- '{partyA,creditCode}' WHERE id = $1`, [contractId]);

/** Example codes made for these tests (valid check characters, no real organisation meant). */
const CODE_B = completeCreditCode('1115000012345678');
const CODE_F = completeCreditCode('1215010087654321');
const CODE_G = completeCreditCode('5215010000001111');
/** The reference code with its organisation code's check character (position 17) wrong and its own (18) recomputed. */
const ORGANISATION_CHECK_WRONG = `11150000000000005${creditCodeCheckCharacter('11150000000000005')}`;

describe("Party A's unified social credit code", () => {
  const ref = harnessPerBlock();

  it('the reference template carries a valid code', async () => {
    const { terms } = await template(ref.h);
    expect(terms.partyA.creditCode).toBe(REFERENCE_PARTY_A_CREDIT_CODE);
  });

  it.each([
    ['missing', undefined, CREDIT_CODE_REQUIRED],
    ['wrong length', '11150000000000000', 'must be 18 characters (统一社会信用代码), not 17'],
    ['a character outside the alphabet', '1115000000O000000X', "character 11 ('O') is not allowed"],
    ['a wrong check character', '111500000000000008', "the check character (character 18) should be '7' for the first 17 characters, not '8'"],
    ['a wrong organisation code check character', ORGANISATION_CHECK_WRONG, "character 17 is the check character of the organisation code (characters 9 to 17, GB 11714): it should be '0', not '5'"],
  ])('refuses a new contract with a %s code: 400 naming terms.partyA.creditCode', async (_what, code, message) => {
    const { h } = ref;
    const { terms } = await template(h);
    const partyA = { ...terms.partyA };
    if (code === undefined) delete partyA.creditCode;
    else partyA.creditCode = code;
    const res = await h.api('sales').post('/api/contracts', { terms: { ...terms, partyA } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const issue = res.body.error.issues.find((i: { path: string }) => i.path === 'body.terms.partyA.creditCode');
    expect(issue, JSON.stringify(res.body.error.issues)).toBeDefined();
    expect(issue.message).toContain(message);
  });

  it('accepts full-width, lower-case input with spaces around, and stores it as ASCII upper case', async () => {
    const { h } = ref;
    // 91310115MA1K3BTP2B, published as valid, typed on a Chinese keyboard
    const contract = await created(h, { name: '上海示例科技有限公司', creditCode: '　９１３１０１１５ｍａ１ｋ３ｂｔｐ２ｂ ' });
    const detail = (await h.api('sales').get(`/api/contracts/${contract.id}`).expect(200)).body;
    expect(detail.terms.partyA.creditCode).toBe('91310115MA1K3BTP2B');
    expect(detail.parties.A.creditCode).toBe('91310115MA1K3BTP2B');
    const { rows } = await h.database.db.query('SELECT party_a_credit_code, terms #>> $2 AS in_terms FROM contracts WHERE id = $1', [contract.id, '{partyA,creditCode}']);
    expect(rows).toEqual([{ party_a_credit_code: '91310115MA1K3BTP2B', in_terms: '91310115MA1K3BTP2B' }]);
    const audit = (await h.database.db.query(`SELECT data FROM audit_events WHERE contract_id = $1 AND type = 'contract.created'`, [contract.id])).rows;
    expect(audit[0]!.data).toMatchObject({ partyACreditCode: '91310115MA1K3BTP2B' });
  });

  it('lets an admin set the code on a contract stored without one, once', async () => {
    const { h } = ref;
    const contract = await created(h, {});
    await forgetCode(h, contract.id);
    const before = (await h.api('sales').get(`/api/contracts/${contract.id}`).expect(200)).body;
    expect(before.terms.partyA.creditCode).toBeUndefined();
    const path = `/api/contracts/${contract.id}/party-a-credit-code`;
    expect((await h.api('sales').put(path, { creditCode: REFERENCE_PARTY_A_CREDIT_CODE })).status).toBe(403);
    const bad = await h.api('admin').put(path, { creditCode: '111500000000000008' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.creditCode']);
    const set = await h.api('admin').put(path, { creditCode: ` ${REFERENCE_PARTY_A_CREDIT_CODE.toLowerCase()} ` });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.terms.partyA.creditCode).toBe(REFERENCE_PARTY_A_CREDIT_CODE);
    // the same again changes nothing; another code is refused: it is part of the signed terms
    expect((await h.api('admin').put(path, { creditCode: REFERENCE_PARTY_A_CREDIT_CODE })).status).toBe(200);
    const other = await h.api('admin').put(path, { creditCode: CODE_B });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain(`already carries Party A's credit code ${REFERENCE_PARTY_A_CREDIT_CODE}`);
    const audit = (await h.database.db.query(`SELECT before, after, actor_id FROM audit_events WHERE contract_id = $1 AND type = 'contract.party_a_credit_code_set'`, [contract.id])).rows;
    expect(audit).toEqual([{ before: { partyACreditCode: null }, after: { partyACreditCode: REFERENCE_PARTY_A_CREDIT_CODE }, actor_id: 'test-admin' }]);
  });
});

describe('customer operators bound to their organisation by its code', () => {
  const ref = harnessPerBlock();
  const NAME = '内蒙古自治区地震局';
  const RENAMED = '内蒙古自治区地震灾害防御中心';
  let contracts: Record<'own' | 'sameNameOtherCode' | 'renamed' | 'legacy', { id: string; number: string }>;
  let coded: string;

  beforeAll(async () => {
    const { h } = ref;
    contracts = {
      own: await created(h, {}),
      sameNameOtherCode: await created(h, { name: NAME, creditCode: CODE_B }),
      renamed: await created(h, { name: RENAMED, creditCode: REFERENCE_PARTY_A_CREDIT_CODE }),
      legacy: await created(h, {}),
    };
    await forgetCode(h, contracts.legacy.id);
    const user = await h.api('admin').post('/api/users', { name: '地震局操作员', role: 'customer', organisation: NAME, organisationCreditCode: REFERENCE_PARTY_A_CREDIT_CODE.toLowerCase() });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    expect(user.body.user.organisationCreditCode).toBe(REFERENCE_PARTY_A_CREDIT_CODE);
    coded = user.body.token;
  });

  const as = (h: Harness, token: string) => ({
    list: async () => {
      const res = await supertest(h.app).get('/api/contracts?limit=200').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      return (res.body.items as { id: string }[]).map((c) => c.id).sort();
    },
    get: async (id: string) => (await supertest(h.app).get(`/api/contracts/${id}`).set('Authorization', `Bearer ${token}`)).status,
  });
  const ids = (...keys: (keyof typeof contracts)[]) => keys.map((k) => contracts[k].id).sort();

  it("an operator with the code sees its organisation's contracts under any name, not another organisation typed with the same name", async () => {
    const { h } = ref;
    const operator = as(h, coded);
    expect(await operator.list()).toEqual(ids('own', 'renamed', 'legacy'));
    expect(await operator.get(contracts.renamed.id)).toBe(200);
    expect(await operator.get(contracts.sameNameOtherCode.id)).toBe(404);
    // acting on it is refused the same way as reading
    const objection = await supertest(h.app)
      .post(`/api/contracts/${contracts.sameNameOtherCode.id}/renewal-objections`)
      .set('Authorization', `Bearer ${coded}`)
      .send({ party: 'A', reason: '不续约' });
    expect(objection.status).toBe(404);
  });

  it('an operator without a code keeps the name binding until an admin sets the code', async () => {
    const { h } = ref;
    const legacy = as(h, h.tokens.customer);
    expect(await legacy.list()).toEqual(ids('own', 'sameNameOtherCode', 'legacy'));
    expect(await legacy.get(contracts.renamed.id)).toBe(404);

    expect((await h.api('sales').put(`/api/users/${h.users.customer}/organisation-credit-code`, { creditCode: REFERENCE_PARTY_A_CREDIT_CODE })).status).toBe(403);
    expect((await h.api('admin').put(`/api/users/${h.users.sales}/organisation-credit-code`, { creditCode: REFERENCE_PARTY_A_CREDIT_CODE })).status).toBe(404);
    const bound = await h.api('admin').put(`/api/users/${h.users.customer}/organisation-credit-code`, { creditCode: REFERENCE_PARTY_A_CREDIT_CODE });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(bound.body).toMatchObject({ id: h.users.customer, organisation: NAME, organisationCreditCode: REFERENCE_PARTY_A_CREDIT_CODE });
    expect(await legacy.list()).toEqual(ids('own', 'renamed', 'legacy'));
    expect(await legacy.get(contracts.sameNameOtherCode.id)).toBe(404);
    const audit = (await h.database.db.query(`SELECT before, after FROM audit_events WHERE type = 'user.organisation_code_set'`)).rows;
    expect(audit).toEqual([{ before: { organisation: NAME, organisationCreditCode: null }, after: { organisation: NAME, organisationCreditCode: REFERENCE_PARTY_A_CREDIT_CODE } }]);
  });
});

describe('a frozen organisation never opens again (Art.8 §5, appendix)', () => {
  const ref = harnessPerBlock();
  const NAME = '乌兰察布市示例信息中心';
  let frozen: { id: string; number: string };
  let stillActive: { id: string; number: string };
  let caseId: string;

  beforeAll(async () => {
    const { h } = ref;
    const partyA = (terms: Terms) => {
      terms.partyA = { ...terms.partyA, name: NAME, creditCode: CODE_F };
    };
    frozen = await activeContract(h, partyA);
    stillActive = await activeContract(h, partyA);
    const detected = await h.api('operations').post(`/api/contracts/${frozen.id}/violations`, { reportedBy: 'provider', learnedAt: new Date().toISOString(), description: '监测发现发送赌博类推广短信。' });
    expect(detected.status, JSON.stringify(detected.body)).toBe(201);
    caseId = detected.body.id;
    const confirmed = await h.api('legal').post(`/api/violations/${caseId}/confirmation`, { finding: '经复核，短信内容属禁止发送的赌博类信息。' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  });

  const expectFrozen = (res: { status: number; body: { error?: { code: string; message: string; freeze?: unknown } } }) => {
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error!.code).toBe('ORGANISATION_FROZEN');
    expect(res.body.error!.message).toContain(caseId);
    expect(res.body.error!.message).toContain(frozen.number);
    expect(res.body.error!.freeze).toMatchObject({ caseId, contractId: frozen.id, contractNumber: frozen.number });
  };

  it('refuses a new contract for its credit code, whatever the name; another code under the same name is another organisation', async () => {
    const { h } = ref;
    const again = await create(h, { name: `${NAME}（新）`, creditCode: CODE_F });
    expectFrozen(again);
    expect(again.body.error.freeze).toMatchObject({ matchedBy: 'credit_code' });
    expect(again.body.error.message).toContain('no new contract can be made with it');
    await created(h, { name: NAME, creditCode: CODE_G });
  });

  it('refuses the row of an import for it, and imports nothing of it', async () => {
    const { h } = ref;
    const { terms } = await withPartyA(h, { name: NAME, creditCode: CODE_F });
    const signedAt = new Date(Date.parse(await serverNowIso(h)) - 40 * DAY).toISOString();
    const row = (externalRef: string, t: Terms) => ({
      externalRef,
      terms: t,
      signatures: [
        { party: 'A', signer: '王主任', title: '办公室主任', sealed: true, signedAt },
        { party: 'B', signer: '李经理', title: '政企客户经理', sealed: true, signedAt },
      ],
      owner: h.users.sales,
    });
    const other = (await withPartyA(h, { name: '锡林郭勒盟示例局', creditCode: CODE_G })).terms;
    const res = await h.api('finance').post('/api/contract-imports', { dryRun: false, file: 'book.csv', contracts: [row('FROZEN-001', terms), row('OPEN-001', other)] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toMatchObject({ total: 2, ok: 1, failed: 1, imported: 1 });
    const [refused, imported] = res.body.results;
    expect(refused).toMatchObject({ externalRef: 'FROZEN-001', ok: false, code: 'ORGANISATION_FROZEN', freeze: { caseId, contractId: frozen.id, contractNumber: frozen.number } });
    expect(refused.errors).toEqual([{ path: 'contracts.0.terms.partyA.creditCode', message: expect.stringContaining(caseId) }]);
    expect(imported).toMatchObject({ externalRef: 'OPEN-001', ok: true });
    const { rows } = await h.database.db.query(`SELECT count(*)::int AS n FROM contracts WHERE external_ref = 'FROZEN-001'`);
    expect(rows[0]!.n).toBe(0);
  });

  it("refuses a supplemental agreement on the organisation's other contract, proposed or signed", async () => {
    const { h } = ref;
    expectFrozen(await h.api('sales').post(`/api/contracts/${stillActive.id}/amendments`, { description: '增加年度短信条数', changes: { smsPerYear: 20000 } }));
    expectFrozen(await h.api('legal').post(`/api/contracts/${stillActive.id}/amendments/1/signatures`, { party: 'A', signer: '王主任', title: '授权代表', sealed: true }));
    expectFrozen(await h.api('sales').post(`/api/contracts/${frozen.id}/amendments`, { description: '恢复开通', changes: { permit24h: true } }));
  });

  it('binds by the exact Party A name when the frozen contract was stored without a code', async () => {
    const { h } = ref;
    await forgetCode(h, frozen.id);
    const res = await create(h, { name: NAME, creditCode: completeCreditCode('1215010011112222') });
    expectFrozen(res);
    expect(res.body.error.freeze).toMatchObject({ matchedBy: 'name' });
    expect(res.body.error.message).toContain('carries no credit code');
  });
});
