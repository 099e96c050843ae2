import { describe, expect, it } from 'vitest';
import {
  describeImportPath,
  IMPORT_CSV_COLUMNS,
  importCsvTemplate,
  parseImportCsv,
  parseImportBoolean,
  parseImportDate,
  parseYuanToFen,
  readCsvRecords,
} from '../../domain/contract-import-csv';
import { ZImportRow } from '../../domain/contract-import';
import { completeCreditCode } from '../../domain/credit-code';
import { REFERENCE_TERMS, type ContractTerms } from '../../domain/terms';

/** Example credit codes (valid check characters, no real organisation meant): a school and a hospital, public institutions (12) of Hohhot and Baotou. */
const SCHOOL_CODE = completeCreditCode('1215010200000001');
const HOSPITAL_CODE = completeCreditCode('12150203000000A2');
/** as typed on a Chinese keyboard: full-width, lower case */
const fullWidth = (text: string) => [...text.toLowerCase()].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

// the required columns only, in an order of the clerk's own
const HEADER =
  'party_a_name,external_ref,party_a_credit_code,party_a_address,party_a_representative,party_a_contact_name,party_a_contact_phone,sms_signature,yearly_fee_yuan,sms_per_year,term_years,' +
  'party_a_signer,party_a_signer_title,party_a_signed_on,party_b_signer,party_b_signer_title,party_b_signed_on';
const SCHOOL = `呼和浩特市第一中学,BT-001,${SCHOOL_CODE},"呼和浩特市新城区某路1号, 2号楼",王校长,刘老师,13900000001,【呼市一中】,1200,20000,2,王校长,校长,2025/3/1,王示例,负责人,2025-03-02`;
const HOSPITAL = `"包头市""康复""医院（东院）",BT-002,${fullWidth(HOSPITAL_CODE)},包头市昆区钢铁大街9号,赵院长,孙主任,0472-5123456,【包头康复医院】,"1,500.50",８０００,1,赵院长,院长,２０２５－０６－０１,王示例,负责人,2025-06-01`;

/** REFERENCE_TERMS with the school's cells (written out by hand). */
const SCHOOL_TERMS: ContractTerms = {
  ...REFERENCE_TERMS,
  partyA: { name: '呼和浩特市第一中学', creditCode: SCHOOL_CODE, address: '呼和浩特市新城区某路1号, 2号楼', representative: '王校长', contact: { name: '刘老师', phone: '13900000001' } },
  sms: { ...REFERENCE_TERMS.sms, signature: '【呼市一中】' },
  package: { ...REFERENCE_TERMS.package, yearlyFeeFen: 120000, smsPerYear: 20000 },
  term: { ...REFERENCE_TERMS.term, years: 2 },
  payment: { ...REFERENCE_TERMS.payment, totalFen: 240000 },
  // another package than the template's: the template's price list does not fit it (top-ups priced by the yearly fee, domain/top-ups.ts)
  topUps: undefined,
};

describe('import CSV cells', () => {
  it.each([
    ['2024-05-14', '2024-05-14T04:00:00.000Z'],
    ['2024/5/4', '2024-05-04T04:00:00.000Z'],
    ['2024/05/04', '2024-05-04T04:00:00.000Z'],
    ['2024-1-1', '2024-01-01T04:00:00.000Z'],
    ['2024-02-29', '2024-02-29T04:00:00.000Z'],
  ])('reads the date %s as 12:00 Beijing time that day (%s)', (text, instant) => {
    expect(parseImportDate(text)).toEqual({ ok: true, value: instant });
  });

  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '14/05/2024', '2024-05-14 10:00', '2024-05/14', '20240514', ''])('refuses %j as a date', (text) => {
    expect(parseImportDate(text).ok).toBe(false);
  });

  it.each([
    ['2997', 299700],
    ['2997.5', 299750],
    ['2997.00', 299700],
    ['2,997.00', 299700],
    ['1,234,567.89', 123456789],
    ['0.07', 7],
    ['19.99', 1999],
    ['0.29', 29],
    ['1.1', 110],
    ['007', 700],
  ])('reads %s yuan as %i fen from the digits', (text, fen) => {
    expect(parseYuanToFen(text)).toEqual({ ok: true, value: fen });
  });

  it.each(['1.005', '-5', '1,23', '12,34.5', '2997元', '1e3', '.5', '5.', '1 000', '9999999999'])('refuses %j as an amount', (text) => {
    expect(parseYuanToFen(text).ok).toBe(false);
  });

  it.each([
    ['是', true],
    ['否', false],
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['1', true],
    ['0', false],
  ])('reads %s as %s', (text, value) => {
    expect(parseImportBoolean(text)).toEqual({ ok: true, value });
  });

  it('refuses a word that is not a yes or a no', () => {
    expect(parseImportBoolean('对').ok).toBe(false);
  });
});

describe('RFC 4180 records', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes, CRLF and LF, and numbers records by their first line', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\n"two\r\nlines",z\n\nlast,\n';
    expect(readCsvRecords(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['two\nlines', 'z'] },
      { line: 5, cells: [''] },
      { line: 6, cells: ['last', ''] },
    ]);
  });

  it('names the line of a quoted cell that is never closed', () => {
    const records = readCsvRecords('a,b\n1,"open\n2,3\n');
    expect(records[1]).toMatchObject({ line: 2, problem: { en: expect.stringContaining('never closed') } });
  });

  it('flags text after a closing quote', () => {
    expect(readCsvRecords('"ab"c,d\n')[0]?.problem?.en).toContain('after the closing quote');
  });
});

describe('the import template', () => {
  it('is UTF-8 with a BOM: a header of every documented column and the reference contract as its example row', () => {
    const template = importCsvTemplate();
    expect(template.startsWith('\uFEFF')).toBe(true);
    const [header] = template.slice(1).split('\r\n');
    expect(header!.split(',')).toEqual(IMPORT_CSV_COLUMNS.map((c) => c.name));
    expect(header).toContain('payment_6_method');
  });

  it('parses back into the reference contract, signed 2024-05-14 by both, T1 paid in full on 2024-06-01', () => {
    const { rows, errors } = parseImportCsv(importCsvTemplate(), REFERENCE_TERMS);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        externalRef: 'NM-2024-0001',
        line: 2,
        terms: REFERENCE_TERMS,
        signatures: [
          { party: 'A', signer: '张示例', title: '授权代表', sealed: true, signedAt: '2024-05-14T04:00:00.000Z' },
          { party: 'B', signer: '王示例', title: '负责人', sealed: true, signedAt: '2024-05-14T04:00:00.000Z' },
        ],
        payments: [{ period: 'T1', amountFen: 299700, paidAt: '2024-06-01T04:00:00.000Z', reference: 'BANK-20240601-0001', method: 'bank_transfer' }],
        remindOverdue: false,
      },
    ]);
  });
});

describe('reading an import CSV', () => {
  it('takes the required columns in any order, fills the rest from the template, and reads full-width digits and quoted cells', () => {
    const { rows, errors } = parseImportCsv(`\uFEFF${HEADER}\r\n${SCHOOL}\r\n${HOSPITAL}\r\n\r\n\r\n`, REFERENCE_TERMS);
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      externalRef: 'BT-001',
      line: 2,
      terms: SCHOOL_TERMS,
      signatures: [
        { party: 'A', signer: '王校长', title: '校长', sealed: true, signedAt: '2025-03-01T04:00:00.000Z' },
        { party: 'B', signer: '王示例', title: '负责人', sealed: true, signedAt: '2025-03-02T04:00:00.000Z' },
      ],
      payments: [],
      remindOverdue: false,
    });
    const hospital = rows[1]!;
    expect(hospital.line).toBe(3);
    // a legal name keeps its full-width brackets; the doubled quotes are one quote
    expect(hospital.terms.partyA.name).toBe('包头市"康复"医院（东院）');
    // the credit code typed full-width and in lower case is read as the code
    expect(hospital.terms.partyA.creditCode).toBe(HOSPITAL_CODE);
    expect(hospital.terms.partyA.contact.phone).toBe('0472-5123456');
    expect(hospital.terms.package.yearlyFeeFen).toBe(150050);
    expect(hospital.terms.package.smsPerYear).toBe(8000);
    expect(hospital.terms.payment.totalFen).toBe(150050);
    expect(hospital.signatures[0]!.signedAt).toBe('2025-06-01T04:00:00.000Z');
  });

  it('takes the Chinese labels as column names', () => {
    const header =
      '外部合同编号,甲方名称,甲方统一社会信用代码,甲方地址,甲方法定代表人/授权代表,甲方联系人,甲方联系电话,短信签名,年费（元）,每合同年短信条数,合同期限（年）,甲方签署人,甲方签署人职务,甲方签署日期,乙方签署人,乙方签署人职务,乙方签署日期';
    const row = `BT-001,呼和浩特市第一中学,${SCHOOL_CODE},"呼和浩特市新城区某路1号, 2号楼",王校长,刘老师,13900000001,【呼市一中】,1200,20000,2,王校长,校长,2025/3/1,王示例,负责人,2025-03-02`;
    const { rows, errors } = parseImportCsv(`${header}\n${row}\n`, REFERENCE_TERMS);
    expect(errors).toEqual([]);
    expect(rows[0]?.terms).toEqual(SCHOOL_TERMS);
  });

  it('reads the optional columns: owner, payments, the renewal objection, the quota used and the overdue reminder', () => {
    const header =
      `${HEADER},owner,invoice_type,auto_renew,vat_rate_percent,due_days,total_yuan,` +
      'payment_1_period,payment_1_amount_yuan,payment_1_paid_on,payment_1_reference,payment_1_method,' +
      'payment_2_period,payment_2_amount_yuan,payment_2_paid_on,payment_2_reference,payment_2_method,' +
      'renewal_objection_party,renewal_objection_reason,renewal_objection_on,sms_used_this_year,remind_overdue';
    const extra = ',test-sales,普票,否,6,15,2400.00,t1,1200,2025/3/20,HX-0001,现金,T1,1200.00,2025-04-01,HX-0002,online,甲方,预算调整,2025/12/1,"1,234",是';
    const { rows, errors } = parseImportCsv(`${header}\n${SCHOOL}${extra}\n`, REFERENCE_TERMS);
    expect(errors).toEqual([]);
    const row = rows[0]!;
    expect(row.owner).toBe('test-sales');
    expect(row.terms.payment).toEqual({ ...REFERENCE_TERMS.payment, totalFen: 240000, vatRatePercent: 6, invoiceType: 'vat_ordinary', dueDays: 15 });
    expect(row.terms.term.autoRenew).toBe(false);
    expect(row.payments).toEqual([
      { period: 'T1', amountFen: 120000, paidAt: '2025-03-20T04:00:00.000Z', reference: 'HX-0001', method: 'cash' },
      { period: 'T1', amountFen: 120000, paidAt: '2025-04-01T04:00:00.000Z', reference: 'HX-0002', method: 'online' },
    ]);
    expect(row.renewalObjection).toEqual({ party: 'A', reason: '预算调整', at: '2025-12-01T04:00:00.000Z' });
    expect(row.smsUsedThisYear).toBe(1234);
    expect(row.remindOverdue).toBe(true);
  });

  it('names the line and the column of a bad cell, leaves that row out and keeps the others', () => {
    const bad = SCHOOL.replace('BT-001', 'BT-003').replace('2025/3/1', '2025-02-30');
    const { rows, errors } = parseImportCsv(`${HEADER}\n${SCHOOL}\n${bad}\n${HOSPITAL}\n`, REFERENCE_TERMS);
    expect(rows.map((r) => [r.externalRef, r.line])).toEqual([
      ['BT-001', 2],
      ['BT-002', 4],
    ]);
    expect(errors).toEqual([{ line: 3, column: 'party_a_signed_on', message: '没有这一天：2025-02-30', messageEn: 'no such calendar date: 2025-02-30', externalRef: 'BT-003' }]);
  });

  it('counts lines inside a quoted cell, so the next row keeps its real line number', () => {
    const multiline = SCHOOL.replace('"呼和浩特市新城区某路1号, 2号楼"', '"呼和浩特市新城区某路1号\n2号楼"');
    const bad = HOSPITAL.replace('0472-5123456', '12345');
    const { rows, errors } = parseImportCsv(`${HEADER}\n${multiline}\n${bad}\n`, REFERENCE_TERMS);
    expect(rows[0]?.terms.partyA.address).toBe('呼和浩特市新城区某路1号\n2号楼');
    // the school spans lines 2 and 3: the hospital is on line 4, its phone checked by the contract schema
    expect(errors).toEqual([expect.objectContaining({ line: 4, column: 'party_a_contact_phone' })]);
  });

  it('reports every empty required cell of a row, by column', () => {
    const blanks = SCHOOL.replace('王校长,刘老师', ',刘老师').replace(',1200,', ',,');
    const { rows, errors } = parseImportCsv(`${HEADER}\n${blanks}\n`, REFERENCE_TERMS);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'party_a_representative'],
      [2, 'yearly_fee_yuan'],
    ]);
    expect(errors[0]!.message).toBe('甲方法定代表人/授权代表不能为空');
  });

  it("names a bad credit code on its column, with the check character expected, and wants the column in the header", () => {
    const wrong = `${SCHOOL_CODE.slice(0, 17)}${SCHOOL_CODE[17] === '0' ? '1' : '0'}`;
    const { rows, errors } = parseImportCsv(`${HEADER}\n${SCHOOL.replace(SCHOOL_CODE, wrong)}\n${HOSPITAL.replace('BT-002', 'BT-011').replace(fullWidth(HOSPITAL_CODE), '1215020300000')}\n`, REFERENCE_TERMS);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'party_a_credit_code'],
      [3, 'party_a_credit_code'],
    ]);
    expect(errors[0]!.message).toContain(`校验码（第 18 位）应为“${SCHOOL_CODE[17]}”`);
    expect(errors[0]!.messageEn).toContain(`should be '${SCHOOL_CODE[17]}'`);
    expect(errors[1]!.messageEn).toContain('must be 18 characters');
    const missing = parseImportCsv(`${HEADER.replace('party_a_credit_code,', '')}\n${SCHOOL.replace(`${SCHOOL_CODE},`, '')}\n`, REFERENCE_TERMS);
    expect(missing.rows).toEqual([]);
    expect(missing.errors).toEqual([expect.objectContaining({ line: 1, column: 'party_a_credit_code', message: '缺少必填列“party_a_credit_code”（甲方统一社会信用代码）' })]);
  });

  it('refuses a total that is not the yearly fee times the years, on the total column', () => {
    const { errors } = parseImportCsv(`${HEADER},total_yuan\n${SCHOOL},2000\n`, REFERENCE_TERMS);
    expect(errors).toEqual([expect.objectContaining({ line: 2, column: 'total_yuan', message: 'must equal the yearly fee times the term in years (120000 x 2 = 240000 fen)' })]);
  });

  it('wants a payment group filled entirely and in order', () => {
    const header = `${HEADER},payment_1_period,payment_1_amount_yuan,payment_1_paid_on,payment_1_reference,payment_1_method,payment_2_period,payment_2_amount_yuan,payment_2_paid_on,payment_2_reference,payment_2_method`;
    const partial = `${SCHOOL},T1,1200,,HX-1,现金,,,,,`;
    const gap = `${SCHOOL.replace('BT-001', 'BT-009')},,,,,,T1,1200,2025-04-01,HX-2,现金`;
    const spaces = `${SCHOOL.replace('BT-001', 'BT-010')},T1,0,2025-04-01,HX 3,刷卡,,,,,`;
    const { rows, errors } = parseImportCsv(`${header}\n${partial}\n${gap}\n${spaces}\n`, REFERENCE_TERMS);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'payment_1_paid_on'],
      [3, 'payment_2_period'],
      [4, 'payment_1_reference'],
      [4, 'payment_1_method'],
    ]);
  });

  it('wants the three renewal objection cells together', () => {
    const { errors } = parseImportCsv(`${HEADER},renewal_objection_party,renewal_objection_reason,renewal_objection_on\n${SCHOOL},乙方,,\n`, REFERENCE_TERMS);
    expect(errors.map((e) => e.column)).toEqual(['renewal_objection_reason', 'renewal_objection_on']);
  });

  it('refuses the same external reference twice in one file, on the later line', () => {
    const { rows, errors } = parseImportCsv(`${HEADER}\n${SCHOOL}\n${SCHOOL}\n`, REFERENCE_TERMS);
    expect(rows).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ line: 3, column: 'external_ref', message: '与第 2 行的外部合同编号重复：BT-001' })]);
  });

  it('refuses an unknown column, a repeated column and a missing required column in the header, and then reads no row', () => {
    const header = HEADER.replace('party_b_signed_on', 'party_b_signed_at') + ',owner,OWNER';
    const { rows, errors } = parseImportCsv(`${header}\n${SCHOOL},a,b\n`, REFERENCE_TERMS);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [1, 'party_b_signed_at'],
      [1, 'owner'],
      [1, 'party_b_signed_on'],
    ]);
  });

  it('refuses a value in a cell beyond the header', () => {
    const { rows, errors } = parseImportCsv(`${HEADER}\n${SCHOOL},stray\n${HOSPITAL},\n`, REFERENCE_TERMS);
    expect(rows.map((r) => r.externalRef)).toEqual(['BT-002']);
    expect(errors).toEqual([expect.objectContaining({ line: 2, column: '', messageEn: 'cell 18 has a value but no column name' })]);
  });

  it("gives rows the server's row schema (POST /api/contract-imports) accepts unchanged", () => {
    const header = `${HEADER},owner,payment_1_period,payment_1_amount_yuan,payment_1_paid_on,payment_1_reference,payment_1_method,renewal_objection_party,renewal_objection_reason,renewal_objection_on,sms_used_this_year`;
    const { rows } = parseImportCsv(`${header}\n${SCHOOL},test-sales,T1,2400,2025-03-20,HX-0001,支票,B,不再续约,2026-01-05,100\n${HOSPITAL}\n`, REFERENCE_TERMS);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(ZImportRow.parse(row)).toEqual(row);
  });

  it('says so when the file is empty or has no contract rows', () => {
    expect(parseImportCsv('\uFEFF\r\n', REFERENCE_TERMS).errors[0]?.messageEn).toContain('empty');
    expect(parseImportCsv(`${HEADER}\r\n`, REFERENCE_TERMS).errors[0]?.messageEn).toContain('no contract rows');
  });
});

describe('error paths in words', () => {
  it.each([
    ['contracts.3.signatures.0.signedAt', 'party_a_signed_on', '甲方签署日期'],
    ['contracts.0.signatures.1.signer', 'party_b_signer', '乙方签署人'],
    ['contracts.12.payments.1.amountFen', 'payment_2_amount_yuan', '付款2金额（元）'],
    ['contracts.0.terms.partyA.contact.phone', 'party_a_contact_phone', '甲方联系电话'],
    ['contracts.5.terms.partyA.creditCode', 'party_a_credit_code', '甲方统一社会信用代码'],
    ['terms.package.yearlyFeeFen', 'yearly_fee_yuan', '年费（元）'],
    ['contracts.2.renewalObjection.at', 'renewal_objection_on', '续约异议日期'],
  ])('names the column of %s', (path, column, words) => {
    const described = describeImportPath(path);
    expect(described.column?.name).toBe(column);
    expect(described.words).toBe(words);
  });

  it('puts a path without a column in Chinese words, keeping a part it has no word for', () => {
    expect(describeImportPath('contracts.1.terms.legal.cureDays')).toEqual({ column: null, words: '条款 · 违约与争议条款 · cureDays' });
    expect(describeImportPath('contracts.1.payments.2')).toEqual({ column: null, words: '付款 · 第3笔' });
    expect(describeImportPath('contracts.1.renewalObjection')).toEqual({ column: null, words: '续约异议' });
    expect(describeImportPath('contracts.4')).toEqual({ column: null, words: '整行' });
  });
});
