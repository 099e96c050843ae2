/**
 * The pure rules of priced top-ups and the delivery confirmation, on fixed inputs, every expected
 * value worked out by hand:
 * - Art.3 §5: a top-up priced by the contract's price list (packages of N
 *   messages at a price), a quantity pro rata, and the fallback for contracts
 *   stored without a list (the yearly fee pro rata);
 * - Art.3 §3: the delivery form's confirmation period, 10 days counted by the
 *   Civil Code from the delivery, and its capped reminders.
 */
import { describe, expect, it } from 'vitest';
import { cappedDeliveryReminders, deliveryConfirmationBasis, deliveryTermsOf, ZDeliveryConfirmationRequest } from '../../domain/delivery';
import { computeDeadline } from '../../domain/periods';
import { REFERENCE_TERMS, ZContractTerms, type ContractTerms } from '../../domain/terms';
import { proRataFen, quoteTopUp, topUpPriceList, ZTopUpRequest } from '../../domain/top-ups';
import { noticeSmsText } from '../../domain/sms/notices';
import { importCsvTemplate, parseImportCsv, readCsvRecords } from '../../domain/contract-import-csv';

const reference = topUpPriceList(REFERENCE_TERMS);
const quote = (choice: { package: string } | { quantity: number }, list = reference) => {
  const result = quoteTopUp(list, choice);
  if (!result.ok) throw new Error(result.message);
  return result.quote;
};
/** A contract stored before price lists: no terms.topUps, no terms.delivery. */
const { topUps: _topUps, delivery: _delivery, ...storedBefore } = REFERENCE_TERMS;
const oldTerms: ContractTerms = { ...storedBefore, package: { ...REFERENCE_TERMS.package, yearlyFeeFen: 120_000 }, payment: { ...REFERENCE_TERMS.payment, totalFen: 360_000 } };

describe('the reference price list (Art.3 §2: 999 元 for 12,666 messages a year)', () => {
  it('keeps exactly that rate: half the yearly package, the yearly package, three years', () => {
    expect(reference.source).toBe('terms');
    expect(reference.packages.map((p) => [p.code, p.sms, p.priceFen])).toEqual([
      ['sms-6333', 6333, 49_950], // 12,666 / 2 messages for 999.00 / 2 = 499.50 元
      ['sms-12666', 12666, 99_900],
      ['sms-37998', 37998, 299_700], // 3 × 12,666 for 3 × 999 = 2,997 元 (Art.3 §4)
    ]);
    for (const p of reference.packages) expect(p.priceFen * 12_666).toBe(p.sms * 99_900);
  });

  it('is valid terms, and the reference terms still pass the schema', () => {
    expect(ZContractTerms.safeParse(REFERENCE_TERMS).success).toBe(true);
  });

  it('refuses a repeated package code or size, and reminders outside the confirmation period', () => {
    const twice = structuredClone(REFERENCE_TERMS);
    twice.topUps!.packages.push({ ...twice.topUps!.packages[0]!, sms: 1000 });
    const sizes = structuredClone(REFERENCE_TERMS);
    sizes.topUps!.packages.push({ ...sizes.topUps!.packages[0]!, code: 'other' });
    const late = structuredClone(REFERENCE_TERMS);
    late.delivery = { confirmationDays: 10, reminderDaysBefore: [10, 3] };
    const issues = (terms: unknown) => ZContractTerms.safeParse(terms).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues(twice)).toEqual(['topUps.packages.3.code: must not repeat a package code (sms-6333)']);
    expect(issues(sizes)).toEqual(['topUps.packages.3.sms: must not repeat a package size (6333 messages)']);
    expect(issues(late)).toEqual(['delivery.reminderDaysBefore: reminders must fall inside the confirmation period']);
  });
});

describe('pricing a top-up by the list', () => {
  it('prices a package at its list price', () => {
    expect(quote({ package: 'sms-12666' })).toMatchObject({ quantity: 12666, priceFen: 99_900, package: 'sms-12666', source: 'terms' });
    expect(quote({ package: 'sms-37998' })).toMatchObject({ quantity: 37998, priceFen: 299_700 });
  });

  it('prices a quantity equal to a package as that package', () => {
    expect(quote({ quantity: 6333 })).toMatchObject({ priceFen: 49_950, package: 'sms-6333' });
  });

  it('prices another quantity pro rata, rounded to the fen', () => {
    // below the smallest package: its rate. 5,000 × 49,950 ÷ 6,333 = 39,436.286… → 39,436 fen
    expect(quote({ quantity: 5000 })).toMatchObject({ quantity: 5000, priceFen: 39_436, package: null });
    // between packages: the rate of the largest not larger. 20,000 × 99,900 ÷ 12,666 = 157,745.144… → 157,745 fen
    expect(quote({ quantity: 20_000 })).toMatchObject({ priceFen: 157_745 });
    // above the largest: 50,000 × 299,700 ÷ 37,998 = 394,362.861… → 394,363 fen
    expect(quote({ quantity: 50_000 }).priceFen).toBe(394_363);
    expect(quote({ quantity: 5000 }).explanation).toBe('5000 条按增购价目「半年量短信包（6,333 条）」单价折算：5000 × 499.50 元 ÷ 6333 条 = 394.36 元（四舍五入到分）');
  });

  it('rounds half up exactly, without floating point, however large the numbers', () => {
    expect(proRataFen(1, { sms: 2, priceFen: 1 })).toBe(1); // 0.5 fen → 1
    expect(proRataFen(1, { sms: 3, priceFen: 1 })).toBe(0); // 0.333… → 0
    // 9,999,999 × 99,999,999,999 = 999,999,899,990,000,001 (beyond 2^53), ÷ 10,000,000 = 99,999,989,999.0000001
    expect(proRataFen(9_999_999, { sms: 10_000_000, priceFen: 99_999_999_999 })).toBe(99_999_989_999);
  });

  it('never charges more than the next package up', () => {
    // a list with a volume discount: 10,000 for 900 元, 50,000 for 3,000 元
    const discounted = { source: 'terms' as const, packages: [{ code: 'a', name: 'A', sms: 10_000, priceFen: 90_000 }, { code: 'b', name: 'B', sms: 50_000, priceFen: 300_000 }] };
    // 40,000 at A's rate would be 360,000 fen; B costs 300,000 fen for more
    expect(quote({ quantity: 40_000 }, discounted)).toMatchObject({ priceFen: 300_000, package: null });
    // 30,000 at A's rate: 270,000 fen, less than B
    expect(quote({ quantity: 30_000 }, discounted).priceFen).toBe(270_000);
  });

  it('refuses a package the list does not have, naming the ones it has', () => {
    expect(quoteTopUp(reference, { package: 'sms-1' })).toEqual({ ok: false, path: 'package', message: "is not a package of this contract's price list (sms-6333, sms-12666, sms-37998)" });
  });

  it('prices a contract stored without a list by its yearly fee, pro rata', () => {
    const list = topUpPriceList(oldTerms);
    expect(list).toEqual({ source: 'yearly_fee_pro_rata', packages: [{ code: 'yearly', name: '智慧信息（企信版）短信服务套餐（一年量）', sms: 12666, priceFen: 120_000 }] });
    // 5,000 × 120,000 ÷ 12,666 = 47,370.914… → 47,371 fen
    expect(quote({ quantity: 5000 }, list)).toMatchObject({ priceFen: 47_371, source: 'yearly_fee_pro_rata' });
    expect(quote({ package: 'yearly' }, list)).toMatchObject({ quantity: 12666, priceFen: 120_000 });
  });
});

describe('contracts imported from a CSV', () => {
  /** The template's example row (the reference contract) with one cell changed. */
  const importWith = (changes: Record<string, string>) => {
    const [header, example] = importCsvTemplate().replace(/^\uFEFF/, '').split('\r\n');
    const names = header!.split(',');
    const cells = readCsvRecords(`${header}\r\n${example}\r\n`)[1]!.cells;
    for (const [column, value] of Object.entries(changes)) cells[names.indexOf(column)] = value;
    const { rows, errors } = parseImportCsv(`${header}\r\n${cells.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`, REFERENCE_TERMS);
    expect(errors).toEqual([]);
    return rows[0]!.terms;
  };

  it("keep the template's price list for the template's package, and drop it for another (priced by their own yearly fee)", () => {
    expect(importWith({ party_a_contact_name: '王联系' }).topUps).toEqual(REFERENCE_TERMS.topUps);
    const other = importWith({ yearly_fee_yuan: '1200', total_yuan: '3600' });
    expect(other.topUps).toBeUndefined();
    expect(topUpPriceList(other)).toMatchObject({ source: 'yearly_fee_pro_rata', packages: [{ sms: 12666, priceFen: 120_000 }] });
  });
});

describe('the top-up request', () => {
  const issues = (body: unknown) => ZTopUpRequest.safeParse(body).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  it('takes a package or a quantity, not both, not neither', () => {
    expect(issues({ package: 'sms-12666' })).toEqual([]);
    expect(issues({ quantity: 5000 })).toEqual([]);
    expect(issues({})).toEqual(['package: give either package (a code of the price list) or quantity (priced by the list)']);
    expect(issues({ package: 'sms-12666', quantity: 5000 })).toEqual(['package: give either package (a code of the price list) or quantity (priced by the list)']);
  });
  it('accepts the old shape (quantity and priceFen): the route decides who may set a price', () => {
    expect(issues({ quantity: 5000, priceFen: 50_000 })).toEqual([]);
    expect(issues({ quantity: 5000, priceReason: '优惠' })).toEqual(['priceReason: is given only with priceFen']);
  });
});

describe('the delivery confirmation period (Art.3 §3, Civil Code Art. 201–203)', () => {
  const count = (deliveredAt: string, days = 10) => computeDeadline(deliveryConfirmationBasis(deliveredAt, days));

  it('counts 10 days from the day after the delivery and ends at 24:00', () => {
    // delivered Tue 2024-05-14; counted from 05-15; day 10 is Fri 2024-05-24, a working day
    const due = count('2024-05-14T10:00:00+08:00');
    expect(due).toMatchObject({ lastDay: '2024-05-24', extendedFrom: null, dueAt: '2024-05-24T16:00:00.000Z' });
    expect(due.explanation).toContain('确认业务受理单（交付确认单）');
  });

  it('moves a last day in the National Day holiday to the next working day', () => {
    // delivered Fri 2024-09-27; counted from 09-28; day 10 is Mon 2024-10-07, the last day of the 10-01…10-07 holiday;
    // the next working day is Tue 2024-10-08
    expect(count('2024-09-27T15:00:00+08:00')).toMatchObject({ lastDay: '2024-10-08', extendedFrom: '2024-10-07', dueAt: '2024-10-08T16:00:00.000Z' });
  });

  it('counts from the Beijing date of the delivery, not the UTC one', () => {
    // 2024-05-14T17:00Z is 01:00 on 05-15 in Beijing: counted from 05-16, day 10 is Sat 05-25 → Mon 2024-05-27
    expect(count('2024-05-14T17:00:00Z')).toMatchObject({ lastDay: '2024-05-27', extendedFrom: '2024-05-25', dueAt: '2024-05-27T16:00:00.000Z' });
  });

  it('takes the days from the terms, 10 for contracts stored without them', () => {
    expect(deliveryTermsOf(REFERENCE_TERMS)).toEqual({ confirmationDays: 10, reminderDaysBefore: [7, 3, 1] });
    expect(deliveryTermsOf(oldTerms)).toEqual({ confirmationDays: 10, reminderDaysBefore: [7, 3, 1] });
    expect(deliveryTermsOf({ delivery: { confirmationDays: 15, reminderDaysBefore: [5] } })).toEqual({ confirmationDays: 15, reminderDaysBefore: [5] });
  });

  it('caps the reminders at three, keeping the ones nearest the deadline, earliest first', () => {
    expect(cappedDeliveryReminders([9, 7, 5, 3, 1])).toEqual([5, 3, 1]);
    expect(cappedDeliveryReminders([1, 7, 7, 3])).toEqual([7, 3, 1]);
    expect(cappedDeliveryReminders([2])).toEqual([2]);
  });

  it('takes a confirmation as signed, as a scan, or both; never half a signature', () => {
    const pdf = Buffer.from('%PDF-1.4 scan').toString('base64');
    const issues = (body: unknown) => ZDeliveryConfirmationRequest.safeParse(body).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ signer: '张示例', title: '办公室主任', sealed: true })).toEqual([]);
    expect(issues({ document: { pdfBase64: pdf } })).toEqual([]);
    expect(issues({ signer: '张示例', title: '办公室主任', sealed: true, confirmedAt: '2024-05-20T10:00:00+08:00', document: { pdfBase64: pdf } })).toEqual([]);
    expect(issues({})).toEqual(['signer: give the signer, title and sealed: true, or the scanned form (document), or both']);
    expect(issues({ signer: '张示例' })).toEqual(['title: is given with signer, title and sealed together', 'sealed: is given with signer, title and sealed together']);
    expect(issues({ signer: '张示例', title: '主任', sealed: false })).toEqual(["sealed: must be true: the form is confirmed with Party A's seal (盖章)"]);
  });

  it('tells Party A by SMS in one part, the date in words', () => {
    expect(noticeSmsText({ template: 'delivery_form', dueAt: '2024-10-08T16:00:00.000Z' })).toBe('【中国联通】企业短信服务已开通，请核对业务受理单并于2024年10月8日24时前签字盖章确认。');
    expect(noticeSmsText({ template: 'delivery_reminder', dueAt: '2024-10-08T16:00:00.000Z' })).toBe('【中国联通】请于2024年10月8日24时前签字盖章确认业务受理单（交付确认单）。已确认请忽略。');
  });
});
