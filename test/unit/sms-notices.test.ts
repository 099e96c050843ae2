/**
 * Every SMS notice template, filled with the longest realistic values, fits
 * one 70-character part (UCS-2), says the date in Beijing time in words and
 * the amount in 元, and carries no internal id. Expected texts are written
 * by hand.
 */
import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../domain/sms/segments';
import { beijingWords, noticeSmsText, yuanWords, type NoticeSms } from '../../domain/sms/notices';

// the longest values a real contract produces: a fee of 9,999,999.99 元, the last minute of a long month, two-digit counts
const LATEST = '2099-12-31T15:59:00.000Z'; // 23:59 Beijing on 31 December 2099
const END_OF_DAY = '2099-12-30T16:00:00.000Z'; // 24:00 Beijing on 30 December 2099
const FEN = 999_999_999;
const LONGEST: NoticeSms[] = [
  { template: 'contract_signed', termEndsAt: END_OF_DAY },
  { template: 'signing_reminder', dueAt: LATEST },
  { template: 'delivery_form', dueAt: LATEST },
  { template: 'delivery_reminder', dueAt: LATEST },
  { template: 'payment_notice', what: 'initial_term', amountFen: FEN, dueAt: LATEST },
  { template: 'payment_reminder', what: 'initial_term', owedFen: FEN, dueAt: LATEST },
  { template: 'payment_overdue', what: 'initial_term', owedFen: FEN, dueAt: LATEST },
  { template: 'payment_received', what: 'initial_term', amountFen: FEN },
  { template: 'overdue_at_entry', invoices: 99 },
  { template: 'renewal_alert', termEndsAt: LATEST, renewedUntil: LATEST },
  { template: 'contract_renewed', renewedUntil: LATEST, feeFen: FEN },
  { template: 'contract_expired', termEndsAt: LATEST },
  { template: 'contract_terminated', effectiveAt: LATEST },
  { template: 'contract_frozen' },
  { template: 'deadline_moved', what: 'payment', dueAt: LATEST },
  { template: 'breach_served', clause: '第十一条第3款第（2）项', cureDueAt: LATEST },
  { template: 'breach_cured' },
  { template: 'outage_notice', startedAt: LATEST },
  { template: 'restoration_notice', restoredAt: LATEST },
  { template: 'breach_objected', negotiateUntil: LATEST },
  { template: 'breach_withdrawn' },
  { template: 'breach_settled' },
  { template: 'violation_detected' },
  { template: 'violation_confirmed' },
  { template: 'violation_dismissed' },
  { template: 'force_majeure_declared', proofDueAt: LATEST },
  { template: 'force_majeure_proof_filed', onTime: false },
  { template: 'force_majeure_proof_missing' },
];

describe('SMS notices', () => {
  it.each(LONGEST.map((sms) => [sms.template, sms] as const))('%s fits one 70-character part with the longest realistic values', (_name, sms) => {
    const text = noticeSmsText(sms);
    const split = splitMessage(text);
    expect(split.encoding).toBe('UCS2');
    expect(split.parts, text).toHaveLength(1);
    expect(text.length).toBeLessThanOrEqual(70);
    expect(text.startsWith('【中国联通】')).toBe(true);
    expect(text).not.toMatch(/INV-|SMS-\d|contract-|payment-|T\d\d:\d\d|Z\b/);
  });

  it('says instants in Beijing time in words, the end of a day as 24时', () => {
    expect(beijingWords('2027-01-04T16:00:00.000Z')).toBe('2027年1月4日24时');
    expect(beijingWords('2027-01-04T07:30:00.000Z')).toBe('2027年1月4日15时30分');
    expect(beijingWords('2027-01-04T02:00:00.000Z')).toBe('2027年1月4日10时');
    expect(beijingWords('2026-12-31T16:00:00.000Z')).toBe('2026年12月31日24时');
  });

  it('says amounts in 元 without fen when whole', () => {
    expect(yuanWords(299_700)).toBe('2997元');
    expect(yuanWords(199_750)).toBe('1997.50元');
    expect(yuanWords(5)).toBe('0.05元');
  });

  it('writes the payment notice a reader understands', () => {
    expect(noticeSmsText({ template: 'payment_notice', what: 'initial_term', amountFen: 299_700, dueAt: '2027-01-04T16:00:00.000Z' })).toBe(
      '【中国联通】首期服务费2997元，请于2027年1月4日24时前支付，详见付款通知书。',
    );
  });
});
