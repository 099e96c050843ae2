/**
 * POST/GET /api/contracts/:id/messages, opt-outs and the ledger, over the real
 * worker, simulator and Postgres. The contracts hold the 24-hour permit, so
 * notifications leave at any hour the suite runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../domain/time';
import { activeContract, number, onTheWire, SIGNATURE, skipToShanghai, startSmsRig, statusCounts, waitUntil, type SmsRig } from '../sms/dispatch-rig';

let rig: SmsRig;
let contractId: string;

beforeAll(async () => {
  rig = await startSmsRig();
  // marketing as free text is allowed only where the terms say so (the default is templates only): this suite sends it
  contractId = (await activeContract(rig.h, { sms: { permit24h: true, freeText: { marketing: true } } })).id;
  // marketing goes out 09:00–20:00 whatever the permit: run inside that window
  await skipToShanghai(rig.h, '10:00');
});
afterAll(async () => {
  await rig?.close();
});

const post = (id: string, body: unknown, role: Parameters<SmsRig['h']['api']>[0] = 'customer') => rig.h.api(role).post(`/api/contracts/${id}/messages`, body);
const NOTICE = `${SIGNATURE}明日上午9时召开防震减灾工作会议，请准时参加。`;
const messageRows = async (where = 'true', values: unknown[] = []) =>
  (await rig.h.database.db.query(`SELECT count(*)::int AS n FROM sms_messages WHERE contract_id = '${contractId}' AND ${where}`, values)).rows[0]!.n as number;

describe('submitting messages', () => {
  it('refuses content that breaks the rules with 422, naming each rule with its position, and sends nothing', async () => {
    const content = `${SIGNATURE}内部荐股，稳赚不赔¥，详情加微信咨询^_^`;
    const res = await post(contractId, { category: 'notification', content, recipients: [number(1)], idempotencyKey: 'lint-1' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('BUSINESS_RULE');
    const issues = res.body.error.lint.issues as { code: string; start: number; end: number; category?: string; text?: string }[];
    const pick = (code: string, text: string) => issues.find((i) => i.code === code && i.text === text);
    expect(pick('FORBIDDEN_CATEGORY', '荐股')).toMatchObject({ category: 'stocks', start: content.indexOf('荐股'), end: content.indexOf('荐股') + 2 });
    expect(pick('FORBIDDEN_CATEGORY', '稳赚')).toMatchObject({ category: 'investment', start: content.indexOf('稳赚') });
    expect(pick('UNSUPPORTED_SYMBOL', '¥')).toMatchObject({ start: content.indexOf('¥'), end: content.indexOf('¥') + 1 });
    expect(pick('UNSUPPORTED_SYMBOL', '^_^')).toMatchObject({ start: content.indexOf('^_^') });
    expect(res.body.error.issues.every((i: { path: string }) => i.path === 'body.content')).toBe(true);
    expect(await messageRows()).toBe(0);

    const unsigned = await post(contractId, { category: 'notification', content: '明日召开会议。', recipients: [number(1)], idempotencyKey: 'lint-2' });
    expect(unsigned.status).toBe(422);
    expect(unsigned.body.error.lint.issues.map((i: { code: string }) => i.code)).toEqual(['SIGNATURE_MISSING']);
    const marketing = await post(contractId, { category: 'marketing', content: `${SIGNATURE}会员日全场八折。`, recipients: [{ number: number(1), member: true }], idempotencyKey: 'lint-3' });
    expect(marketing.status).toBe(422);
    expect(marketing.body.error.lint.issues.map((i: { code: string }) => i.code)).toEqual(['UNSUBSCRIBE_MISSING']);
  });

  it('answers 400 with field paths for a malformed body', async () => {
    const res = await post(contractId, { category: 'spam', content: '', recipients: [], idempotencyKey: 'bad key', extra: 1 });
    expect(res.status).toBe(400);
    const paths = res.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.category', 'body.content', 'body.recipients', 'body.idempotencyKey']));
    const tooMany = await post(contractId, { category: 'notification', content: NOTICE, recipients: Array.from({ length: 10_001 }, (_, i) => number(i)), idempotencyKey: 'many' });
    expect(tooMany.status).toBe(400);
  });

  it('answers per recipient: invalid numbers rejected, repeats collapsed, marketing to non-members rejected, the unsubscribe instruction appended', async () => {
    const res = await post(contractId, {
      category: 'marketing',
      content: `${SIGNATURE}地震科普馆会员开放日本周六举行，欢迎参加`,
      appendUnsubscribe: true,
      recipients: [
        { number: number(11), member: true },
        { number: `+86 ${number(11).slice(0, 3)} ${number(11).slice(3, 7)} ${number(11).slice(7)}`, member: true },
        { number: 'abc', member: true },
        { number: number(12) },
        '0471-1234567',
        { number: number(13), member: true },
      ],
      idempotencyKey: 'mixed-1',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.content).toBe(`${SIGNATURE}地震科普馆会员开放日本周六举行，欢迎参加回TD退订`);
    expect(res.body.appendedUnsubscribe).toBe(true);
    expect(res.body.results.map((r: { index: number; status: string; reason?: string }) => [r.index, r.status, r.reason ?? null])).toEqual([
      [0, 'accepted', null],
      [1, 'duplicate', 'repeated_in_request'],
      [2, 'rejected', 'letters'],
      [3, 'rejected', 'not_member'],
      [4, 'rejected', 'landline'],
      [5, 'accepted', null],
    ]);
    expect(res.body.counts).toMatchObject({ accepted: 2, duplicate: 1, rejected: 3, total: 6 });
    expect(res.body.debitedParts).toBe(2);
    await waitUntil(async () => (await statusCounts(rig.h, res.body.submissionId)).delivered === 2, 20_000, 'two delivered');
    expect(rig.smsc.submitCount({ destination: onTheWire(11) })).toBe(1);
    expect(rig.smsc.submitCount({ destination: onTheWire(12) })).toBe(0);

    const listed = await rig.h.api('customer').get(`/api/contracts/${contractId}/messages?submissionId=${encodeURIComponent(res.body.submissionId)}&parts=true`).expect(200);
    expect(listed.body.byStatus).toEqual({ delivered: 2, rejected: 1 });
    expect(listed.body.senderAddress).toMatch(/^106575\d{4}$/);
    const delivered = listed.body.items.find((m: { recipient: string }) => m.recipient === `+86${number(11)}`);
    expect(delivered).toMatchObject({ status: 'delivered', parts: 1, partsDetail: [expect.objectContaining({ partNo: 1, state: 'delivered', smscStatus: 'DELIVRD' })] });
    expect(listed.body.dispatch).toMatchObject({ submissionId: res.body.submissionId });
  });

  it('answers a repeated idempotencyKey with the same results and no second debit; another body under the same key is 422', async () => {
    const body = { category: 'notification', content: `${SIGNATURE}今晚22时系统维护，届时暂停服务。`, recipients: [number(21), number(22)], idempotencyKey: 'same-key' };
    const first = await post(contractId, body);
    expect(first.status).toBe(202);
    const again = await post(contractId, body);
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    expect(again.body.results).toEqual(first.body.results);
    expect(again.body.quota.usedParts).toBe(first.body.quota.usedParts);
    const other = await post(contractId, { ...body, recipients: [number(23)] });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await waitUntil(async () => (await statusCounts(rig.h, first.body.submissionId)).delivered === 2, 20_000, 'two delivered');
    expect(rig.smsc.submitCount({ destination: onTheWire(21) })).toBe(1);
  });

  it('caps frequency per recipient: the same content twice within 30 s is rejected, alerts are collapsed as duplicates, not capped', async () => {
    const first = await post(contractId, { category: 'notification', content: NOTICE, recipients: [number(31)], idempotencyKey: 'cap-1' });
    expect(first.body.results[0].status).toBe('accepted');
    const second = await post(contractId, { category: 'notification', content: NOTICE, recipients: [number(31), number(32)], idempotencyKey: 'cap-2' });
    expect(second.body.results.map((r: { status: string; reason?: string }) => [r.status, r.reason ?? null])).toEqual([
      ['rejected', 'frequency_cap_same_content'],
      ['accepted', null],
    ]);
    // five an hour: three more different messages pass, the sixth is refused
    for (let i = 0; i < 3; i++) {
      const res = await post(contractId, { category: 'notification', content: `${SIGNATURE}第${i + 1}次值班提醒。`, recipients: [number(31)], idempotencyKey: `cap-more-${i}` });
      expect(res.body.results[0].status).toBe('accepted');
    }
    const another = await post(contractId, { category: 'notification', content: `${SIGNATURE}第4次值班提醒。`, recipients: [number(31)], idempotencyKey: 'cap-more-3' });
    expect(another.body.results[0].status).toBe('accepted');
    const sixth = await post(contractId, { category: 'notification', content: `${SIGNATURE}第5次值班提醒。`, recipients: [number(31)], idempotencyKey: 'cap-more-4' });
    expect(sixth.body.results[0]).toMatchObject({ status: 'rejected', reason: 'frequency_cap_hourly' });

    const alert = `${SIGNATURE}地震预警：请立即避险。`;
    const a1 = await post(contractId, { category: 'alert', content: alert, recipients: [number(31)], idempotencyKey: 'alert-1' });
    expect(a1.body.results[0].status).toBe('accepted');
    const a2 = await post(contractId, { category: 'alert', content: alert, recipients: [number(31)], idempotencyKey: 'alert-2' });
    expect(a2.body.results[0]).toMatchObject({ status: 'duplicate', reason: 'same_alert_recently' });
    expect(a2.body.debitedParts).toBe(0);
    const a3 = await post(contractId, { category: 'alert', content: `${SIGNATURE}地震预警解除。`, recipients: [number(31)], idempotencyKey: 'alert-3' });
    expect(a3.body.results[0].status).toBe('accepted');
  });
});

describe('opt-outs (Art.4 §6)', () => {
  it('a TD reply puts the number on the suppression list at once: the next submission to it is suppressed', async () => {
    const first = await post(contractId, { category: 'notification', content: NOTICE, recipients: [number(41), number(42)], idempotencyKey: 'td-1' });
    expect(first.status).toBe(202);
    await waitUntil(async () => (await statusCounts(rig.h, first.body.submissionId)).delivered === 2, 20_000, 'two delivered');
    await rig.smsc.injectMo({ source: onTheWire(41), destination: first.body.senderAddress, text: ' ＴＤ。' });
    await waitUntil(
      async () => (await rig.h.database.db.query('SELECT 1 FROM sms_suppressions WHERE recipient = $1', [`+86${number(41)}`])).rowCount === 1,
      10_000,
      'the suppression',
    );
    const next = await post(contractId, { category: 'alert', content: `${SIGNATURE}余震预警：请远离危险建筑。`, recipients: [number(41), number(42)], idempotencyKey: 'td-2' });
    expect(next.body.results.map((r: { status: string }) => r.status)).toEqual(['suppressed', 'accepted']);
    expect(next.body.debitedParts).toBe(1);
    await waitUntil(async () => (await statusCounts(rig.h, next.body.submissionId)).delivered === 1, 20_000, 'one delivered');
    expect(rig.smsc.submitCount({ destination: onTheWire(41) })).toBe(1);
    const { rows } = await rig.h.database.db.query(`SELECT source, detail FROM sms_suppressions WHERE recipient = $1`, [`+86${number(41)}`]);
    expect(rows[0]).toEqual({ source: 'mo_reply', detail: 'td' });
    // a reply that is not an opt-out is logged and changes nothing
    await rig.smsc.injectMo({ source: onTheWire(42), destination: first.body.senderAddress, text: '收到，谢谢' });
    await waitUntil(async () => (await rig.h.database.db.query('SELECT 1 FROM sms_inbound WHERE opt_out = false')).rowCount === 1, 10_000, 'the inbound log');
    expect((await rig.h.database.db.query('SELECT 1 FROM sms_suppressions WHERE recipient = $1', [`+86${number(42)}`])).rowCount).toBe(0);
  });

  it('records complaints by hand; the numbers are suppressed from then on', async () => {
    const res = await rig.h.api('customer').post(`/api/contracts/${contractId}/opt-outs`, { numbers: [number(51), `+86${number(51)}`, 'x'], reason: 'complaint', note: '客服热线投诉' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['added', 'already_suppressed', 'invalid']);
    const list = await rig.h.api('customer').get(`/api/contracts/${contractId}/opt-outs`).expect(200);
    expect(list.body.items.map((i: { recipient: string; source: string }) => [i.recipient, i.source])).toContainEqual([`+86${number(51)}`, 'complaint']);
    const sent = await post(contractId, { category: 'notification', content: NOTICE, recipients: [number(51)], idempotencyKey: 'complained-1' });
    expect(sent.body.results[0].status).toBe('suppressed');
    expect(await rig.h.api('finance').post(`/api/contracts/${contractId}/opt-outs`, { numbers: [number(52)] }).then((r) => r.status)).toBe(403);
  });
});

describe('quota (Art.3 §2, §5)', () => {
  it('refuses a batch exceeding what is left of the contract year whole (10,000 recipients included), with the numbers; allowPartial sends what fits', async () => {
    const small = await activeContract(rig.h, { sms: { permit24h: true }, package: { smsPerYear: 5 } });
    const six = Array.from({ length: 6 }, (_, i) => number(61 + i));
    const refused = await post(small.id, { category: 'notification', content: NOTICE, recipients: six, idempotencyKey: 'quota-1' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.quota).toEqual({ contractYear: 1, totalParts: 5, usedParts: 0, remainingParts: 5, requestedParts: 6, messages: 6, partsPerMessage: 1 });
    expect((await rig.h.database.db.query('SELECT count(*)::int AS n FROM sms_messages WHERE contract_id = $1', [small.id])).rows[0]!.n).toBe(0);

    const three = await post(small.id, { category: 'notification', content: NOTICE, recipients: six.slice(0, 3), idempotencyKey: 'quota-2' });
    expect(three.status).toBe(202);
    expect(three.body.quota).toEqual({ contractYear: 1, totalParts: 5, usedParts: 3, remainingParts: 2 });
    const partial = await post(small.id, { category: 'notification', content: NOTICE, recipients: six.slice(3), idempotencyKey: 'quota-3', allowPartial: true });
    expect(partial.status).toBe(202);
    expect(partial.body.results.map((r: { status: string; reason?: string }) => [r.status, r.reason ?? null])).toEqual([
      ['accepted', null],
      ['accepted', null],
      ['rejected', 'quota_exceeded'],
    ]);
    expect(partial.body.quota.remainingParts).toBe(0);
    const tenThousand = Array.from({ length: 10_000 }, (_, i) => `139${String(i).padStart(8, '0')}`);
    const big = await post(small.id, { category: 'notification', content: `${SIGNATURE}全员通知。`, recipients: tenThousand, idempotencyKey: 'quota-10k' });
    expect(big.status).toBe(409);
    expect(big.body.error.quota).toMatchObject({ remainingParts: 0, requestedParts: 10_000, messages: 10_000 });
    const none = await post(small.id, { category: 'notification', content: `${SIGNATURE}通知。`, recipients: [number(70)], idempotencyKey: 'quota-4' });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain('0 of 5 left');
  });
});

describe('parts (segments) and debit', () => {
  it('debits per part: with the 11-character signature, 70 characters cost one part, 71 two, 134 two and 135 three', async () => {
    expect(SIGNATURE).toHaveLength(11);
    for (const [total, parts, n] of [[70, 1, 91], [71, 2, 92], [134, 2, 93], [135, 3, 94]] as const) {
      const content = SIGNATURE + '请'.repeat(total - SIGNATURE.length);
      const res = await post(contractId, { category: 'notification', content, recipients: [number(n)], idempotencyKey: `parts-${total}` });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect([res.body.partsPerMessage, res.body.debitedParts]).toEqual([parts, parts]);
      await waitUntil(async () => (await statusCounts(rig.h, res.body.submissionId)).delivered === 1, 20_000, `the ${total}-character message delivered`);
      expect(rig.smsc.submitCount({ destination: onTheWire(n) })).toBe(parts);
      expect(rig.smsc.messages().find((m) => m.destination === onTheWire(n))).toMatchObject({ text: content, parts });
    }
  });
});

describe('who may send, and when not at all', () => {
  it('refuses a frozen contract outright; another organisation does not see the contract; finance may not send', async () => {
    const frozen = await activeContract(rig.h, { sms: { permit24h: true } });
    await rig.h.database.db.query(`UPDATE contracts SET status = 'frozen' WHERE id = $1`, [frozen.id]);
    const res = await post(frozen.id, { category: 'notification', content: NOTICE, recipients: [number(81)], idempotencyKey: 'frozen-1' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('frozen');

    const foreign = await activeContract(rig.h, { sms: { permit24h: true }, partyA: { name: '某某市示例局' } });
    expect((await post(foreign.id, { category: 'notification', content: NOTICE, recipients: [number(82)], idempotencyKey: 'foreign-1' })).status).toBe(404);
    expect((await rig.h.api('customer').get(`/api/contracts/${foreign.id}/messages`)).status).toBe(404);
    expect((await post(contractId, { category: 'notification', content: NOTICE, recipients: [number(83)], idempotencyKey: 'finance-1' }, 'finance')).status).toBe(403);
    expect((await post(contractId, { category: 'notification', content: `${SIGNATURE}管理员代发通知。`, recipients: [number(84)], idempotencyKey: 'admin-1' }, 'admin')).status).toBe(202);
  });
});

describe('reconciliation ledger (Art.5 §3)', () => {
  it('counts messages and parts per day by status, and exports them as CSV', async () => {
    await waitUntil(async () => (await messageRows(`status IN ('queued', 'held', 'sending', 'submitted')`)) === 0, 20_000, 'every message settled');
    // the ledger ends today by default; this file's today is the time-skipping server's, days after the wall clock's
    const today = shanghaiDate(new Date(await rig.h.env.currentTimeMs()));
    const res = await rig.h.api('finance').get(`/api/contracts/${contractId}/ledger?to=${today}`).expect(200);
    expect(res.body.to).toBe(today);
    expect(res.body.timeZone).toBe('Asia/Shanghai');
    const { rows } = await rig.h.database.db.query(`SELECT count(*)::int AS n, sum(parts)::int AS parts, sum(debited_parts)::int AS debited FROM sms_messages WHERE contract_id = $1`, [contractId]);
    expect(res.body.totals).toEqual({ messages: rows[0]!.n, parts: rows[0]!.parts, debitedParts: rows[0]!.debited });
    const statuses = new Set(res.body.days.flatMap((d: { byStatus: Record<string, unknown> }) => Object.keys(d.byStatus)));
    expect(statuses).toEqual(new Set(['delivered', 'rejected', 'suppressed']));

    const csv = await rig.h.api('customer').get(`/api/contracts/${contractId}/ledger?format=csv&from=${res.body.from}&to=${res.body.to}`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('sms-ledger-');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('date,status,messages,parts,debited_parts');
    const total = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[2]), 0);
    expect(total).toBe(rows[0]!.n);
    expect((await rig.h.api('finance').get(`/api/contracts/${contractId}/ledger?from=2026-02-30`)).status).toBe(400);
  });
});
