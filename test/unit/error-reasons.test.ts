import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { REASON_SENTENCES, reasonSentence, wordsOf } from '../../console/src/error-reasons';
import { legal } from '../../console/src/messages/legal';
import { shell } from '../../console/src/messages/shell';
import { ERROR_REASON_IDS, ERROR_REASONS, reasonDetails, reasonOfDetails, refusal, type ErrorReason, type ErrorReasonId, type ErrorReasonParams } from '../../domain/error-reasons';
import { ERROR_STATUS } from '../../domain/errors';

const dictionaries = { zh: { ...shell.zh, ...legal.zh }, en: { ...shell.en, ...legal.en } } as const;
const words = (lang: 'zh' | 'en') => wordsOf(lang, (key) => (dictionaries[lang] as Record<string, string>)[key] ?? null);

/** One set of parameters per reason, written out (the type asks for every reason); ids and names without Latin words. */
const SAMPLES: { [K in ErrorReasonId]: ErrorReasonParams[K] } = {
  'contract.not_found': {},
  'invoice.not_found': { number: '2026-000001-T1' },
  'amendment.not_found': { seq: 2 },
  'record.not_found': { kind: 'document' },
  'signature.already_signed': { party: 'A', signedAt: '2026-12-07T01:44:52.522Z', signer: '张示例' },
  'amendment.already_signed': { seq: 1, party: 'B' },
  'contract.not_awaiting_signatures': { number: '2026-000001', status: 'active' },
  'contract.not_in_term': { number: '2026-000001', status: 'expired', terminating: false },
  'contract.never_effective': { number: '2026-000001', status: 'lapsed' },
  'contract.already_frozen': { number: '2026-000001' },
  'contract.already_suspended': { number: '2026-000001', caseId: '7' },
  'contract.process_ended': {},
  'contract.suspended': { number: '2026-000001', caseId: '7', reason: '发送未报备的营销短信', until: '2026-12-20T16:00:00.000Z', lapsed: false },
  'case.invalid_state': { caseId: '7', status: 'settled', allowed: ['served', 'negotiating'] },
  'case.closed': {},
  'payment.amount_mismatch': { reference: '20261207001', recordedFen: 100_000, givenFen: 50_000 },
  'payment.overpayment': { invoiceNumber: '2026-000001-T1', outstandingFen: 199_700, givenFen: 299_700 },
  'invoice.already_paid': { number: '2026-000001-T1' },
  'invoice.none_unpaid': {},
  'input.in_future': { field: 'paidAt' },
  'delivery.already_confirmed': { confirmedAt: '2026-12-07T01:44:52.522Z', signer: '李示例' },
  'delivery.nothing_to_confirm': { number: '2026-000001' },
  'renewal.already_objected': { party: 'A', at: '2026-12-07T01:44:52.522Z' },
  'renewal.term_ended': { termEndsAt: '2029-12-06T16:00:00.000Z' },
  'termination.after_term_end': { termEndsAt: '2029-12-06T16:00:00.000Z' },
  'amendment.pending': { seq: 1 },
  'amendment.completed': { seq: 1 },
  'organisation.frozen': { organisation: '内蒙古自治区地震局', caseId: '7', contractNumber: '2026-000001', frozenAt: '2026-12-07T01:44:52.522Z', matchedBy: 'credit_code', refused: 'new_contract' },
  'idempotency.key_reused': {},
  'idempotency.in_progress': {},
  'rate.limited': { retryAfterSeconds: 12 },
  'auth.required': {},
  'auth.token_invalid': {},
  'auth.credentials_invalid': {},
  'auth.session_invalid': {},
  'auth.csrf_invalid': {},
  'password.too_short': { minLength: 10 },
  'password.current_wrong': {},
  'username.taken': { username: 'wang.legal' },
  'role.forbidden': { roles: ['finance', 'admin'], role: 'sales' },
  'contract.forbidden': {},
};

const sentence = (id: ErrorReasonId, lang: 'zh' | 'en') => reasonSentence({ id, params: SAMPLES[id] } as ErrorReason, lang, words(lang));

describe('the error reasons and their words', () => {
  it('words every reason in Chinese and in English, the Chinese without a word of English', () => {
    expect(ERROR_REASON_IDS.length).toBeGreaterThanOrEqual(30);
    for (const id of ERROR_REASON_IDS) {
      expect(typeof REASON_SENTENCES[id].zh, id).toBe('function');
      expect(typeof REASON_SENTENCES[id].en, id).toBe('function');
      const zh = sentence(id, 'zh');
      const en = sentence(id, 'en');
      expect(zh.length, id).toBeGreaterThan(3);
      expect(zh, id).not.toMatch(/[A-Za-z]{2,}/);
      expect(zh, id).toMatch(/[\u4e00-\u9fff]/);
      expect(en, id).toMatch(/^[A-Z][a-z]/);
    }
  });

  it('gives every error code its own text in both languages', () => {
    for (const code of Object.keys(ERROR_STATUS)) {
      const key = `errorCode.${code}`;
      expect((shell.zh as Record<string, string>)[key], code).toMatch(/[\u4e00-\u9fff]/);
      expect((shell.en as Record<string, string>)[key], code).toMatch(/[a-z]/);
    }
    expect(shell.zh['errorCode.NETWORK']).toBe('无法连接服务器');
  });

  it('ties every reason to an error code', () => {
    for (const id of ERROR_REASON_IDS) expect(Object.keys(ERROR_STATUS), id).toContain(ERROR_REASONS[id]);
    expect(ERROR_REASONS['signature.already_signed']).toBe('ALREADY_SIGNED');
    expect(ERROR_REASONS['payment.amount_mismatch']).toBe('CONFLICT');
    expect(ERROR_REASONS['contract.not_found']).toBe('NOT_FOUND');
  });

  it('dates a second signature in Beijing time', () => {
    // 01:44 UTC on 7 December is 09:44 in Beijing
    expect(sentence('signature.already_signed', 'zh')).toBe('甲方已于 2026/12/07 09:44（北京时间）由 张示例 签署，不能重复签署');
    expect(sentence('signature.already_signed', 'en')).toBe('Party A already signed on 07/12/2026, 09:44 (Beijing time) (张示例); a party signs once');
  });

  it('states amounts in yuan', () => {
    expect(sentence('payment.amount_mismatch', 'zh')).toBe('付款流水号 20261207001 已按另一金额（1,000.00 元）登记过，本次填写的是 500.00 元');
    expect(sentence('payment.overpayment', 'en')).toBe('Invoice 2026-000001-T1 has CNY 1,997.00 outstanding; the payment of CNY 2,997.00 is more than that');
  });

  it("names statuses by the console's words", () => {
    expect(sentence('contract.not_in_term', 'zh')).toBe('合同 2026-000001 当前为「已到期」：此操作仅在合同履行期内可以办理');
    expect(sentence('case.invalid_state', 'zh')).toBe('案件当前为「已和解」：此操作仅在「已送达或协商中」时可以办理');
  });

  it("reads a reason back from a failure's details, and ignores what it does not know", () => {
    const failure = ApplicationFailure.nonRetryable('x', 'ALREADY_SIGNED', reasonDetails('signature.already_signed', SAMPLES['signature.already_signed']));
    expect(reasonOfDetails(failure.details?.[0])).toEqual({ id: 'signature.already_signed', params: { party: 'A', signedAt: '2026-12-07T01:44:52.522Z', signer: '张示例' } });
    expect(reasonOfDetails({ reason: 'private_address', params: {} })).toBeNull();
    expect(reasonOfDetails({ reason: 'contract.not_found' })).toBeNull();
    expect(reasonOfDetails(undefined)).toBeNull();
  });

  it('builds an AppError with the code of its reason', () => {
    const error = refusal('invoice.already_paid', { number: 'T1' }, 'invoice T1 is already paid in full');
    expect(error.code).toBe('CONFLICT');
    expect(error.status).toBe(409);
    expect(error.reason).toEqual({ id: 'invoice.already_paid', params: { number: 'T1' } });
  });
});
