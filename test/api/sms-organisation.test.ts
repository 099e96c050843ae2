/**
 * The organisation behind a contract's SMS, over the real worker, simulator,
 * Postgres and the time-skipping Temporal server:
 *
 * - a freeze binds Party A's organisation (the appendix: "账号冻结后，后续不可
 *   申请开通使用"): once a content violation is confirmed on one contract,
 *   every submission under the organisation's other contracts (same credit
 *   code, whatever the name; the exact name for a contract without a code)
 *   is refused with 409 ORGANISATION_FROZEN naming the case, their held
 *   messages are cancelled when their window opens (credited back), their
 *   status stays as it was and each gets an audit event; another
 *   organisation of the same name but another code still sends;
 * - the suppression list (Art.4 §6) is the organisation's: a renamed Party A
 *   (same code, new name on a new contract) keeps its opt-outs, another
 *   organisation with the same name but another code does not see them, and
 *   a contract without a code goes by the exact name.
 *
 * Messages are sent as admin (the test customer operator is bound to the
 * reference organisation's name only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeCreditCode } from '../../domain/credit-code';
import { activeContract, number, onTheWire, SIGNATURE, skipToShanghai, startSmsRig, statusCounts, waitUntil, type SmsRig } from '../sms/dispatch-rig';

let rig: SmsRig;

beforeAll(async () => {
  rig = await startSmsRig();
});
afterAll(async () => {
  await rig?.close();
});

/** Example codes made for these tests (valid check characters, no real organisation meant). */
const CODE_FROZEN_ORG = completeCreditCode('1115010046460001');
const CODE_SAME_NAME = completeCreditCode('1115010046460002');
const CODE_OPT_OUTS = completeCreditCode('1115010046460003');
const CODE_OPT_OUTS_NAMESAKE = completeCreditCode('1115010046460004');
/** When the provider learned of the violation: a fixed instant in the past. */
const LEARNED_AT = '2025-03-03T02:00:00.000Z';

const send = (contractId: string, body: Record<string, unknown>) => rig.h.api('admin').post(`/api/contracts/${contractId}/messages`, { category: 'notification', ...body });
/** Makes the contract one stored before credit codes: neither its column nor its terms carry one. */
const forgetCode = (contractId: string) =>
  rig.h.database.db.query(`UPDATE contracts SET party_a_credit_code = NULL, terms = terms #- '{partyA,creditCode}' WHERE id = $1`, [contractId]);
const auditOf = async (contractId: string, type: string) =>
  (await rig.h.database.db.query('SELECT data, actor_id FROM audit_events WHERE contract_id = $1 AND type = $2 ORDER BY id', [contractId, type])).rows as { data: Record<string, unknown>; actor_id: string }[];
const usedParts = async (contractId: string) =>
  Number((await rig.h.database.db.query('SELECT coalesce(sum(used_parts), 0) AS n FROM sms_quota_usage WHERE contract_id = $1', [contractId])).rows[0]!.n);

describe('a freeze binds every contract of the organisation (Art.8 §5, appendix)', () => {
  const NAME = '呼和浩特市示例应急管理局';
  let frozen: { id: string; number: string };
  let renamed: { id: string; number: string };
  let legacy: { id: string; number: string };
  let namesake: { id: string; number: string };

  beforeAll(async () => {
    const { h } = rig;
    frozen = await activeContract(h, { partyA: { name: NAME, creditCode: CODE_FROZEN_ORG }, sms: { permit24h: true } });
    // the same organisation under a new name (the same code), without the 24-hour permit: its night message is held
    renamed = await activeContract(h, { partyA: { name: '呼和浩特市示例应急指挥中心', creditCode: CODE_FROZEN_ORG } });
    // the same name on a contract stored without a code: bound by the name
    legacy = await activeContract(h, { partyA: { name: NAME, creditCode: CODE_FROZEN_ORG }, sms: { permit24h: true } });
    await forgetCode(legacy.id);
    // the same name, another code: another organisation
    namesake = await activeContract(h, { partyA: { name: NAME, creditCode: CODE_SAME_NAME }, sms: { permit24h: true } });
  });

  it("refuses every submission under the organisation's other contracts, cancels their held messages, and leaves their status and another organisation alone", async () => {
    const { h } = rig;
    // 23:00 Beijing time: without the permit a notification is held until 08:00
    await skipToShanghai(h, '23:00');
    const held = await send(renamed.id, { content: `${SIGNATURE}明日上午9时召开应急演练部署会。`, recipients: [number(1)], idempotencyKey: 'held-before-freeze' });
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    expect(held.body.results[0].status).toBe('held');
    expect(await usedParts(renamed.id)).toBe(1);

    const detected = await h.api('operations').post(`/api/contracts/${frozen.id}/violations`, { reportedBy: 'provider', learnedAt: LEARNED_AT, description: '监测发现发送赌博类推广短信。' });
    expect(detected.status, JSON.stringify(detected.body)).toBe(201);
    const caseId = detected.body.id as string;
    const confirmed = await h.api('legal').post(`/api/violations/${caseId}/confirmation`, { finding: '经复核，短信内容属禁止发送的赌博类信息。' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);

    // the organisation's other contracts: 409 ORGANISATION_FROZEN naming the case and the frozen contract, by code and by name
    for (const [contract, matchedBy] of [[renamed, 'credit_code'], [legacy, 'name']] as const) {
      const refused = await send(contract.id, { content: `${SIGNATURE}应急值班安排已更新。`, recipients: [number(2)], idempotencyKey: `after-freeze-${contract.number}` });
      expect(refused.status, JSON.stringify(refused.body)).toBe(409);
      expect(refused.body.error.code).toBe('ORGANISATION_FROZEN');
      expect(refused.body.error.message).toContain(caseId);
      expect(refused.body.error.message).toContain(frozen.number);
      expect(refused.body.error.message).toContain('no message can be sent under any of its contracts');
      expect(refused.body.error).toMatchObject({ reason: 'organisation.frozen', params: { caseId, contractNumber: frozen.number, matchedBy, refused: 'sms' } });
      expect(refused.body.error.freeze).toMatchObject({ caseId, contractId: frozen.id, contractNumber: frozen.number, matchedBy });
      // each keeps its status (a contract of its own) and has the freeze in its audit log
      expect((await h.database.db.query('SELECT status FROM contracts WHERE id = $1', [contract.id])).rows[0]!.status).toBe('active');
      expect((await auditOf(contract.id, 'contract.organisation_frozen')).map((e) => [e.data, e.actor_id])).toEqual([
        [{ caseId, frozenContractId: frozen.id, frozenContractNumber: frozen.number, matchedBy, status: 'active' }, h.users.legal],
      ]);
    }
    expect(await auditOf(namesake.id, 'contract.organisation_frozen')).toEqual([]);

    // 08:00: the held message is cancelled, not sent, and its part credited back (this contract's package is not forfeited)
    await skipToShanghai(h, '08:00:30');
    await waitUntil(async () => (await statusCounts(h, held.body.submissionId)).cancelled === 1, 20_000, 'the held message cancelled');
    const { rows } = await h.database.db.query('SELECT status, reason, debited_parts FROM sms_messages WHERE submission_id = $1', [held.body.submissionId]);
    expect(rows).toEqual([{ status: 'cancelled', reason: 'organisation_frozen', debited_parts: 0 }]);
    expect(rig.smsc.submitCount({ destination: onTheWire(1) })).toBe(0);
    expect(await usedParts(renamed.id)).toBe(0);
    expect((await auditOf(renamed.id, 'sms.cancelled')).map((e) => e.data)).toEqual([{ submissionId: held.body.submissionId, messages: 1, reason: 'organisation_frozen' }]);

    // another organisation of the same name (another code) still sends
    const sent = await send(namesake.id, { content: `${SIGNATURE}明日上午9时召开防汛工作会议。`, recipients: [number(3)], idempotencyKey: 'namesake-1' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.results[0].status).toBe('accepted');
    await waitUntil(async () => (await statusCounts(h, sent.body.submissionId)).delivered === 1, 20_000, 'the other organisation delivered');
    expect(rig.smsc.submitCount({ destination: onTheWire(3) })).toBe(1);
  });
});

describe("opt-outs are the organisation's, by its credit code (Art.4 §6)", () => {
  const NAME = '鄂尔多斯市示例疾病预防控制中心';
  const NEW_NAME = '鄂尔多斯市示例公共卫生中心';

  it('a renamed Party A keeps its opt-outs; another organisation of the same name with another code does not see them; a contract without a code goes by the name', async () => {
    const { h } = rig;
    const original = await activeContract(h, { partyA: { name: NAME, creditCode: CODE_OPT_OUTS }, sms: { permit24h: true } });
    // an opt-out by reply (TD to the contract's sender address) and a complaint entered by hand
    const first = await send(original.id, { content: `${SIGNATURE}请于本周内完成流感疫苗接种预约。`, recipients: [number(51)], idempotencyKey: 'optout-first' });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    await waitUntil(async () => (await statusCounts(h, first.body.submissionId)).delivered === 1, 20_000, 'the first message delivered');
    await rig.smsc.injectMo({ source: onTheWire(51), destination: first.body.senderAddress, text: 'TD' });
    const complaint = await h.api('operations').post(`/api/contracts/${original.id}/opt-outs`, { numbers: [number(52)], reason: 'complaint', note: '热线投诉' });
    expect(complaint.status, JSON.stringify(complaint.body)).toBe(201);
    await waitUntil(async () => (await h.database.db.query('SELECT 1 FROM sms_suppressions WHERE recipient = $1', [`+86${number(51)}`])).rowCount === 1, 10_000, 'the opt-out by reply');
    const { rows } = await h.database.db.query('SELECT recipient, customer, credit_code, source FROM sms_suppressions WHERE recipient = ANY($1::text[]) ORDER BY recipient', [[`+86${number(51)}`, `+86${number(52)}`]]);
    expect(rows).toEqual([
      { recipient: `+86${number(51)}`, customer: NAME, credit_code: CODE_OPT_OUTS, source: 'mo_reply' },
      { recipient: `+86${number(52)}`, customer: NAME, credit_code: CODE_OPT_OUTS, source: 'complaint' },
    ]);

    const renamed = await activeContract(h, { partyA: { name: NEW_NAME, creditCode: CODE_OPT_OUTS }, sms: { permit24h: true } });
    const namesake = await activeContract(h, { partyA: { name: NAME, creditCode: CODE_OPT_OUTS_NAMESAKE }, sms: { permit24h: true } });
    const legacy = await activeContract(h, { partyA: { name: NAME, creditCode: CODE_OPT_OUTS }, sms: { permit24h: true } });
    await forgetCode(legacy.id);
    const recipients = [number(51), number(52), number(53)];
    const outcomes = async (contractId: string, key: string, content: string) => {
      const res = await send(contractId, { content: `${SIGNATURE}${content}`, recipients, idempotencyKey: key });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.results.map((r: { status: string }) => r.status);
    };
    const listed = async (contractId: string) => {
      const res = await h.api('operations').get(`/api/contracts/${contractId}/opt-outs`).expect(200);
      return (res.body.items as { recipient: string }[]).map((i) => i.recipient).sort();
    };

    // the renamed organisation (same code, new name): both numbers stay suppressed, and its list shows them
    expect(await outcomes(renamed.id, 'renamed-1', '门诊时间调整通知。')).toEqual(['suppressed', 'suppressed', 'accepted']);
    expect(await listed(renamed.id)).toEqual([`+86${number(51)}`, `+86${number(52)}`]);
    expect((await h.api('operations').get(`/api/contracts/${renamed.id}/opt-outs`).expect(200)).body).toMatchObject({ customer: NEW_NAME, creditCode: CODE_OPT_OUTS, total: 2 });
    // another organisation with the same name and another code: nothing suppressed, an empty list
    expect(await outcomes(namesake.id, 'namesake-1', '体检报告已可领取。')).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await listed(namesake.id)).toEqual([]);
    // a contract stored without a code: by the exact name
    expect(await outcomes(legacy.id, 'legacy-1', '健康讲座报名通知。')).toEqual(['suppressed', 'suppressed', 'accepted']);

    // the same number entered again under the renamed contract is already suppressed: no second row
    const again = await h.api('operations').post(`/api/contracts/${renamed.id}/opt-outs`, { numbers: [number(52)], reason: 'opt_out' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['already_suppressed']);
    expect((await h.database.db.query('SELECT count(*)::int AS n FROM sms_suppressions WHERE recipient = $1', [`+86${number(52)}`])).rows[0]!.n).toBe(1);
  });
});
