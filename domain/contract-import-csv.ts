/**
 * The CSV format a branch fills in (in Excel) to bring its existing contract
 * book in: one contract per row, read into the rows POST /api/contract-imports
 * takes. Pure: no Node or DOM APIs, shared by the console (which parses the
 * chosen file in the browser) and tests.
 *
 * What a row does not say comes from a template ContractTerms (the console
 * passes GET /api/templates/reference): Party B, the legal clauses, the
 * reminder schedules. docs/contract-import-csv.md describes the columns.
 */
import { PAYMENT_METHODS } from './billing';
import { checkCreditCode } from './credit-code';
import { formatYuan } from './money';
import { atShanghaiTime, daysInMonth } from './time';
import { PARTY_LABELS, REFERENCE_SIGNED_ON, REFERENCE_TERMS, ZContractTerms, type ContractTerms, type InvoiceType, type PartyCode } from './terms';

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** One contract of an import: the body of one entry of POST /api/contract-imports' `contracts`. */
export type ContractImportRow = {
  externalRef: string;
  /** the CSV line the row came from (its first line when a quoted cell spans several) */
  line?: number;
  terms: ContractTerms;
  signatures: { party: PartyCode; signer: string; title: string; sealed: true; signedAt: string }[];
  payments: { period: string; amountFen: number; paidAt: string; reference: string; method: PaymentMethod }[];
  renewalObjection?: { party: PartyCode; reason: string; at: string };
  smsUsedThisYear?: number;
  owner?: string;
  remindOverdue?: boolean;
};

/**
 * A problem with the file: the line, the column (its name; '' for the whole
 * line), in Chinese and English (a problem the contract schema ZContractTerms
 * found carries the schema's own message in both: the console translates it);
 * the row's external reference when it has one.
 */
export type ImportCsvError = { line: number; column: string; message: string; messageEn: string; externalRef?: string };

export type ImportCsvResult = { rows: ContractImportRow[]; errors: ImportCsvError[] };

/**
 * How a cell is read. Free text keeps its characters (NFC) so legal names keep
 * their full-width （）; every other kind is NFKC-normalised first (２０２４ is 2024).
 */
export type ImportCsvKind =
  | 'ref'
  | 'reference'
  | 'user'
  | 'text'
  | 'creditCode'
  | 'phone'
  | 'email'
  | 'signature'
  | 'yuan'
  | 'int'
  | 'decimal'
  | 'date'
  | 'bool'
  | 'party'
  | 'invoiceType'
  | 'period'
  | 'method';

export type ImportCsvColumn = {
  /** the header cell (the Chinese label is accepted as well) */
  name: string;
  /** 中文列名 */
  label: string;
  /** required on every row; a payment group's or the renewal objection's cells are required together */
  required: boolean;
  kind: ImportCsvKind;
  /** the example row's value in the template ('' when the reference contract leaves it empty) */
  example: string;
  /** the field of the import row it fills, e.g. 'terms.partyA.name', 'payments.0.amountFen' */
  mapsTo: string;
  /** what it means and how it is written, in English (the docs' table) */
  description: string;
  /** free text: at most this many characters */
  max?: number;
};

/** Payments per row: numbered column groups payment_1_… to payment_6_…. */
export const IMPORT_CSV_MAX_PAYMENTS = 6;

const REF = REFERENCE_TERMS;
const yuanText = (fen: number) => formatYuan(fen).replace(/,/g, '');
const EXAMPLE_PAYMENT = { period: 'T1', amount: yuanText(REF.payment.totalFen), paidOn: '2024-06-01', reference: 'BANK-20240601-0001', method: '银行转账' };

const col = (name: string, label: string, required: boolean, kind: ImportCsvKind, mapsTo: string, example: string, description: string, max?: number): ImportCsvColumn => ({
  name,
  label,
  required,
  kind,
  example,
  mapsTo,
  description,
  ...(max !== undefined ? { max } : {}),
});

function paymentColumns(n: number): ImportCsvColumn[] {
  const first = n === 1;
  const i = n - 1;
  return [
    col(`payment_${n}_period`, `付款${n}期间`, false, 'period', `payments.${i}.period`, first ? EXAMPLE_PAYMENT.period : '', 'The invoice the payment settles: T1 (the initial term), R1, R2, … (the renewals, in order). TU1, TU2, … (top-ups) are read, but the import refuses them: request a top-up in the system afterwards.'),
    col(`payment_${n}_amount_yuan`, `付款${n}金额（元）`, false, 'yuan', `payments.${i}.amountFen`, first ? EXAMPLE_PAYMENT.amount : '', 'Amount paid, in yuan.'),
    col(`payment_${n}_paid_on`, `付款${n}日期`, false, 'date', `payments.${i}.paidAt`, first ? EXAMPLE_PAYMENT.paidOn : '', 'The day the money arrived.'),
    col(`payment_${n}_reference`, `付款${n}流水号`, false, 'reference', `payments.${i}.reference`, first ? EXAMPLE_PAYMENT.reference : '', 'Bank (or receipt) reference: printable ASCII without spaces, at most 64 characters; a reference already recorded counts once.'),
    col(`payment_${n}_method`, `付款${n}方式`, false, 'method', `payments.${i}.method`, first ? EXAMPLE_PAYMENT.method : '', '银行转账/现金/支票/在线支付/其他, or bank_transfer/cash/cheque/online/other.'),
  ];
}

export const IMPORT_CSV_COLUMNS: readonly ImportCsvColumn[] = [
  col('external_ref', '外部合同编号', true, 'ref', 'externalRef', 'NM-2024-0001', "The branch's own contract reference, 1 to 64 characters, unique in the file. Importing the same reference again changes nothing."),
  col('owner', '负责人（用户ID）', false, 'user', 'owner', '', 'User id of the sales owner; empty: whoever imports.'),
  col('title', '合同名称', false, 'text', 'terms.title', REF.title, "The contract's title; empty: the template's.", 200),
  col('party_a_name', '甲方名称', true, 'text', 'terms.partyA.name', REF.partyA.name, "Party A (the customer)'s registered name.", 128),
  col('party_a_credit_code', '甲方统一社会信用代码', true, 'creditCode', 'terms.partyA.creditCode', REF.partyA.creditCode ?? '', "Party A's unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the check characters are verified; full-width characters and lower case are accepted. It identifies the organisation: a frozen one is refused."),
  col('party_a_address', '甲方地址', true, 'text', 'terms.partyA.address', REF.partyA.address, "Party A's address.", 256),
  col('party_a_representative', '甲方法定代表人/授权代表', true, 'text', 'terms.partyA.representative', REF.partyA.representative, "Party A's legal or authorised representative.", 64),
  col('party_a_contact_name', '甲方联系人', true, 'text', 'terms.partyA.contact.name', REF.partyA.contact.name, "Party A's contact person (reminders go to this person).", 64),
  col('party_a_contact_phone', '甲方联系电话', true, 'phone', 'terms.partyA.contact.phone', REF.partyA.contact.phone, 'A Chinese mobile (13800000001) or fixed-line number (0471-1234567).'),
  col('party_a_contact_email', '甲方联系人邮箱', false, 'email', 'terms.partyA.contact.email', '', "The contact's e-mail address (optional)."),
  col('sms_signature', '短信签名', true, 'signature', 'terms.sms.signature', REF.sms.signature, 'The bound SMS signature in 【】, 2 to 20 characters inside.'),
  col('package_name', '套餐名称', false, 'text', 'terms.package.name', REF.package.name, "The package's name; empty: the template's.", 100),
  col('yearly_fee_yuan', '年费（元）', true, 'yuan', 'terms.package.yearlyFeeFen', yuanText(REF.package.yearlyFeeFen), 'The yearly fee, in yuan.'),
  col('sms_per_year', '每合同年短信条数', true, 'int', 'terms.package.smsPerYear', String(REF.package.smsPerYear), 'Messages in the package per contract year.'),
  col('term_years', '合同期限（年）', true, 'int', 'terms.term.years', String(REF.term.years), 'The term in whole years (1 to 10).'),
  col('total_yuan', '合同总价（元）', false, 'yuan', 'terms.payment.totalFen', yuanText(REF.payment.totalFen), 'The total price, in yuan; must equal the yearly fee times the years. Empty: computed.'),
  col('vat_rate_percent', '增值税率（%）', false, 'decimal', 'terms.payment.vatRatePercent', String(REF.payment.vatRatePercent), "VAT rate in percent; empty: the template's."),
  col('invoice_type', '发票类型', false, 'invoiceType', 'terms.payment.invoiceType', '专票', "专票 or 普票 (vat_special, vat_ordinary); empty: the template's."),
  col('due_days', '付款期限（天）', false, 'int', 'terms.payment.dueDays', String(REF.payment.dueDays), "Days to pay an invoice; empty: the template's."),
  col('auto_renew', '期满自动续约', false, 'bool', 'terms.term.autoRenew', REF.term.autoRenew ? '是' : '否', "Renews automatically unless a party objects; empty: the template's."),
  col('renewal_years', '每次续约（年）', false, 'int', 'terms.term.renewalYears', String(REF.term.renewalYears), "Years per renewal; empty: the template's."),
  col('permit_24h', '已批准24小时发送', false, 'bool', 'terms.sms.permit24h', REF.sms.permit24h ? '是' : '否', "Whether a 24-hour sending permit is approved; empty: the template's."),
  col('party_a_signer', '甲方签署人', true, 'text', 'signatures.0.signer', REF.partyA.representative, 'Who signed for Party A.', 64),
  col('party_a_signer_title', '甲方签署人职务', true, 'text', 'signatures.0.title', '授权代表', "The Party A signer's title.", 64),
  col('party_a_signed_on', '甲方签署日期', true, 'date', 'signatures.0.signedAt', REFERENCE_SIGNED_ON, 'The day Party A signed and sealed.'),
  col('party_b_signer', '乙方签署人', true, 'text', 'signatures.1.signer', REF.partyB.representative, 'Who signed for Party B (the provider).', 64),
  col('party_b_signer_title', '乙方签署人职务', true, 'text', 'signatures.1.title', '负责人', "The Party B signer's title.", 64),
  col('party_b_signed_on', '乙方签署日期', true, 'date', 'signatures.1.signedAt', REFERENCE_SIGNED_ON, 'The day Party B signed and sealed.'),
  ...Array.from({ length: IMPORT_CSV_MAX_PAYMENTS }, (_, i) => paymentColumns(i + 1)).flat(),
  col('renewal_objection_party', '续约异议方', false, 'party', 'renewalObjection.party', '', 'A party that already objected to renewal: 甲方 or 乙方 (A, B).'),
  col('renewal_objection_reason', '续约异议理由', false, 'text', 'renewalObjection.reason', '', 'The reason given in the objection.', 2000),
  col('renewal_objection_on', '续约异议日期', false, 'date', 'renewalObjection.at', '', 'The day the objection was made.'),
  col('sms_used_this_year', '本合同年已用短信条数', false, 'int', 'smsUsedThisYear', '', "Messages already sent this contract year, counted against the quota (at most the package's messages a year)."),
  col('remind_overdue', '导入时催缴逾期款', false, 'bool', 'remindOverdue', '否', 'Send Party A one overdue reminder at import when an invoice is already overdue; empty: no.'),
];

const BY_NAME = new Map(IMPORT_CSV_COLUMNS.map((c) => [c.name, c]));
const BY_HEADER = new Map<string, ImportCsvColumn>(IMPORT_CSV_COLUMNS.flatMap((c) => [[headerKey(c.name), c] as const, [headerKey(c.label), c] as const]));
const BY_PATH = new Map(IMPORT_CSV_COLUMNS.map((c) => [c.mapsTo, c]));

function headerKey(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

// ---------------------------------------------------------------- the template

const BOM = '\uFEFF';

/** One CSV field, quoted when it must be (a comma, a quote, a line break, or spaces at either end). */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The import template: a header row and one example row (the reference contract), UTF-8 with a BOM for Excel, CRLF line ends. */
export function importCsvTemplate(): string {
  const header = IMPORT_CSV_COLUMNS.map((c) => csvField(c.name)).join(',');
  const example = IMPORT_CSV_COLUMNS.map((c) => csvField(c.example)).join(',');
  return `${BOM}${header}\r\n${example}\r\n`;
}

// ---------------------------------------------------------------- RFC 4180

type CsvRecord = { line: number; cells: string[]; problem?: { zh: string; en: string } };

/**
 * RFC 4180 records: fields separated by commas, records by CRLF, LF or CR; a
 * quoted field may hold commas, line breaks and doubled quotes. Each record
 * carries the line it starts on (1-based).
 */
export function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let cells: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted and its closing quote seen
  let startLine = 1;
  let problem: CsvRecord['problem'];
  const endField = () => {
    cells.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    records.push(problem ? { line: startLine, cells, problem } : { line: startLine, cells });
    cells = [];
    problem = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          wasQuoted = true;
        }
      } else if (ch === '\r' || ch === '\n') {
        if (ch === '\r' && text[i + 1] === '\n') i++;
        field += '\n';
        line++;
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === ',') {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else if (ch === '"' && field === '' && !wasQuoted) {
      quoted = true;
    } else {
      if (wasQuoted && !problem) {
        problem = { zh: `第 ${cells.length + 1} 个单元格的右引号之后还有文字（引号内的 " 须写成 ""）`, en: `text after the closing quote of cell ${cells.length + 1} (a " inside quotes is written "")` };
      }
      field += ch;
    }
  }
  if (quoted) problem ??= { zh: '引号未闭合：该单元格一直延续到文件末尾', en: 'a quoted cell is never closed: it runs to the end of the file' };
  // a final line break ends the last record; nothing after it is another record
  if (field !== '' || cells.length > 0 || quoted || wasQuoted) endRecord();
  return records;
}

const isBlank = (record: CsvRecord) => record.cells.every((cell) => cell.trim() === '');

// ---------------------------------------------------------------- cells

type Cell<T> = { ok: true; value: T } | { ok: false; zh: string; en: string };
const ok = <T>(value: T): Cell<T> => ({ ok: true, value });
const bad = (zh: string, en: string): Cell<never> => ({ ok: false, zh, en });

const DATE = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;

/** YYYY-MM-DD or YYYY/M/D: 12:00 Beijing time that day, as an ISO instant (UTC). */
export function parseImportDate(text: string): Cell<string> {
  const match = DATE.exec(text);
  const wrong = bad(`须为日期，写作 YYYY-MM-DD 或 YYYY/M/D，例如 2024-05-14：${text}`, `must be a date as YYYY-MM-DD or YYYY/M/D, e.g. 2024-05-14: ${text}`);
  if (!match) return wrong;
  const year = Number(match[1]);
  const month = Number(match[3]);
  const day = Number(match[4]);
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return bad(`没有这一天：${text}`, `no such calendar date: ${text}`);
  }
  const date = `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return ok(atShanghaiTime(date, '12:00').toISOString());
}

/** Yuan with at most two decimals ("2997", "2997.5", "2,997.00") to integer fen, read from the digits (no floating point). */
export function parseYuanToFen(text: string): Cell<number> {
  const grouped = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text);
  const plain = grouped ? text.replace(/,/g, '') : text;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(plain);
  if (!match) return bad(`须为以元计的金额，例如 2997.00：${text}`, `must be an amount in yuan, e.g. 2997.00: ${text}`);
  const cents = match[2] ?? '';
  if (cents.length > 2) return bad(`金额最多两位小数（到分）：${text}`, `an amount has at most 2 decimals (fen): ${text}`);
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  if (whole.length > 9) return bad(`金额超出系统可处理的范围：${text}`, `is larger than any amount this system handles: ${text}`);
  return ok(Number(whole) * 100 + Number(cents.padEnd(2, '0')));
}

const TRUE_WORDS = new Set(['是', 'true', '1', 'y', 'yes']);
const FALSE_WORDS = new Set(['否', 'false', '0', 'n', 'no']);

export function parseImportBoolean(text: string): Cell<boolean> {
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return bad(`须为 是/否（或 true/false、1/0）：${text}`, `must be 是/否 (or true/false, 1/0): ${text}`);
}

function parseWholeNumber(text: string): Cell<number> {
  const digits = /^\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, '') : text;
  if (!/^\d{1,12}$/.test(digits)) return bad(`须为不带小数的非负整数：${text}`, `must be a whole number, at least 0: ${text}`);
  return ok(Number(digits));
}

function parseDecimal(text: string): Cell<number> {
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(text)) return bad(`须为数字，例如 6 或 6.5：${text}`, `must be a number, e.g. 6 or 6.5: ${text}`);
  return ok(Number(text));
}

const PARTY_WORDS: Record<string, PartyCode> = { a: 'A', b: 'B', 甲方: 'A', 乙方: 'B', 甲: 'A', 乙: 'B' };
const INVOICE_TYPE_WORDS: Record<string, InvoiceType> = {
  专票: 'vat_special',
  增值税专用发票: 'vat_special',
  vat_special: 'vat_special',
  普票: 'vat_ordinary',
  增值税普通发票: 'vat_ordinary',
  vat_ordinary: 'vat_ordinary',
};
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = { bank_transfer: '银行转账', cash: '现金', cheque: '支票', online: '在线支付', other: '其他' };
const METHOD_WORDS: Record<string, PaymentMethod> = Object.fromEntries(
  PAYMENT_METHODS.flatMap((m) => [
    [m, m],
    [PAYMENT_METHOD_LABELS[m], m],
  ]),
);
const PERIOD = /^(T1|R[1-9]\d{0,2}|TU[1-9]\d{0,3})$/;

function parseCell(column: ImportCsvColumn, text: string): Cell<unknown> {
  switch (column.kind) {
    case 'text':
    case 'signature':
      if (column.max !== undefined && [...text].length > column.max) return bad(`不能超过 ${column.max} 个字符`, `must be at most ${column.max} characters`);
      return ok(text);
    case 'ref':
    case 'user':
      if (text.length > 64) return bad('不能超过 64 个字符', 'must be at most 64 characters');
      if (/[\u0000-\u001f\u007f]/.test(text)) return bad('不能含控制字符或换行', 'must not contain control characters or line breaks');
      return ok(text);
    case 'reference':
      if (text.length > 64) return bad('不能超过 64 个字符', 'must be at most 64 characters');
      if (!/^[\x21-\x7e]+$/.test(text)) return bad(`须为不含空格的英文字母、数字或符号：${text}`, `must be printable ASCII without spaces: ${text}`);
      return ok(text);
    case 'creditCode': {
      const checked = checkCreditCode(text);
      return checked.ok ? ok(checked.code) : bad(`${checked.zh}：${text}`, `${checked.en}: ${text}`);
    }
    case 'phone':
    case 'email':
      return ok(text);
    case 'yuan':
      return parseYuanToFen(text);
    case 'int':
      return parseWholeNumber(text);
    case 'decimal':
      return parseDecimal(text);
    case 'date':
      return parseImportDate(text);
    case 'bool':
      return parseImportBoolean(text);
    case 'party': {
      const party = PARTY_WORDS[text.toLowerCase()];
      return party ? ok(party) : bad(`须为 甲方 或 乙方（或 A、B）：${text}`, `must be 甲方 or 乙方 (or A, B): ${text}`);
    }
    case 'invoiceType': {
      const type = INVOICE_TYPE_WORDS[text.toLowerCase()];
      return type ? ok(type) : bad(`须为 专票 或 普票：${text}`, `must be 专票 or 普票 (vat_special, vat_ordinary): ${text}`);
    }
    case 'period': {
      const period = text.toUpperCase();
      return PERIOD.test(period) ? ok(period) : bad(`须为 T1（首期）、R1、R2…（续约）或 TU1、TU2…（加购）：${text}`, `must be T1 (initial term), R1, R2, … (renewals) or TU1, TU2, … (top-ups): ${text}`);
    }
    case 'method': {
      const method = METHOD_WORDS[text.toLowerCase()];
      return method ? ok(method) : bad(`须为 银行转账、现金、支票、在线支付 或 其他：${text}`, `must be 银行转账, 现金, 支票, 在线支付 or 其他 (bank_transfer, cash, cheque, online, other): ${text}`);
    }
  }
}

/** Free text keeps its characters (NFC): a legal name's full-width （） stays; everything else is NFKC. */
function normalizeCell(column: ImportCsvColumn, raw: string): string {
  return (column.kind === 'text' || column.kind === 'signature' ? raw.normalize('NFC') : raw.normalize('NFKC')).trim();
}

// ---------------------------------------------------------------- rows

type Values = Map<string, unknown>;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function buildTerms(template: ContractTerms, v: Values): ContractTerms {
  const terms = clone(template);
  const given = <T>(name: string): T | undefined => v.get(name) as T | undefined;
  terms.title = given<string>('title') ?? terms.title;
  terms.partyA = {
    name: given<string>('party_a_name')!,
    creditCode: given<string>('party_a_credit_code')!,
    address: given<string>('party_a_address')!,
    representative: given<string>('party_a_representative')!,
    contact: {
      name: given<string>('party_a_contact_name')!,
      phone: given<string>('party_a_contact_phone')!,
      ...(v.has('party_a_contact_email') ? { email: given<string>('party_a_contact_email')! } : {}),
    },
  };
  terms.sms.signature = given<string>('sms_signature')!;
  terms.sms.permit24h = given<boolean>('permit_24h') ?? terms.sms.permit24h;
  terms.package.name = given<string>('package_name') ?? terms.package.name;
  terms.package.yearlyFeeFen = given<number>('yearly_fee_yuan')!;
  terms.package.smsPerYear = given<number>('sms_per_year')!;
  terms.term.years = given<number>('term_years')!;
  terms.term.autoRenew = given<boolean>('auto_renew') ?? terms.term.autoRenew;
  terms.term.renewalYears = given<number>('renewal_years') ?? terms.term.renewalYears;
  terms.payment.totalFen = given<number>('total_yuan') ?? terms.package.yearlyFeeFen * terms.term.years;
  terms.payment.vatRatePercent = given<number>('vat_rate_percent') ?? terms.payment.vatRatePercent;
  terms.payment.invoiceType = given<InvoiceType>('invoice_type') ?? terms.payment.invoiceType;
  terms.payment.dueDays = given<number>('due_days') ?? terms.payment.dueDays;
  // the template's price list of further purchases (Art.3 §5) is priced for its package: a row with
  // another package has none, and its top-ups are priced by its own yearly fee (domain/top-ups.ts)
  if (terms.package.yearlyFeeFen !== template.package.yearlyFeeFen || terms.package.smsPerYear !== template.package.smsPerYear) delete terms.topUps;
  return terms;
}

const PAYMENT_PARTS = ['period', 'amount_yuan', 'paid_on', 'reference', 'method'] as const;
const OBJECTION_PARTS = ['renewal_objection_party', 'renewal_objection_reason', 'renewal_objection_on'] as const;

/** The row, or the problems of its cells. Cells are already normalised; empty cells are absent from `cells`. */
function readRow(line: number, cells: Map<string, string>, template: ContractTerms): { row: ContractImportRow | null; errors: ImportCsvError[] } {
  const errors: ImportCsvError[] = [];
  const fail = (column: string, zh: string, en: string) => errors.push({ line, column, message: zh, messageEn: en });
  const values: Values = new Map();
  for (const column of IMPORT_CSV_COLUMNS) {
    const text = cells.get(column.name);
    if (text === undefined) {
      if (column.required) fail(column.name, `${column.label}不能为空`, 'must not be empty');
      continue;
    }
    const parsed = parseCell(column, text);
    if (parsed.ok) values.set(column.name, parsed.value);
    else fail(column.name, parsed.zh, parsed.en);
  }

  // payment groups: all five cells or none, from payment_1 on without gaps
  const payments: ContractImportRow['payments'] = [];
  let gapAt: number | null = null;
  for (let n = 1; n <= IMPORT_CSV_MAX_PAYMENTS; n++) {
    const names = PAYMENT_PARTS.map((part) => `payment_${n}_${part}`);
    const filled = names.filter((name) => cells.has(name));
    if (filled.length === 0) {
      gapAt ??= n;
      continue;
    }
    if (gapAt !== null) {
      fail(filled[0]!, `付款请从 payment_1 起依次填写：payment_${gapAt} 为空，payment_${n} 却有内容`, `fill payments in order from payment_1: payment_${gapAt} is empty but payment_${n} is not`);
      continue;
    }
    for (const name of names) if (!cells.has(name)) fail(name, `${BY_NAME.get(name)!.label}不能为空：同一笔付款的五列须一起填写`, 'must not be empty: the five cells of a payment are filled together');
    if (names.every((name) => values.has(name))) {
      const [period, amount, paidOn, reference, method] = names.map((name) => values.get(name));
      if ((amount as number) <= 0) fail(names[1]!, '须大于 0', 'must be positive');
      payments.push({ period: period as string, amountFen: amount as number, paidAt: paidOn as string, reference: reference as string, method: method as PaymentMethod });
    }
  }

  const objection = OBJECTION_PARTS.filter((name) => cells.has(name));
  if (objection.length > 0) {
    for (const name of OBJECTION_PARTS) if (!cells.has(name)) fail(name, `${BY_NAME.get(name)!.label}不能为空：续约异议的三列须一起填写`, 'must not be empty: the three renewal objection cells are filled together');
  }

  if (errors.length > 0) return { row: null, errors };

  const terms = buildTerms(template, values);
  const checked = ZContractTerms.safeParse(terms);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = ['terms', ...issue.path.map(String)].join('.');
      const column = BY_PATH.get(path);
      errors.push({ line, column: column?.name ?? '', message: column ? issue.message : `${path}：${issue.message}`, messageEn: column ? issue.message : `${path}: ${issue.message}` });
    }
    return { row: null, errors };
  }

  const signature = (party: PartyCode, prefix: 'party_a' | 'party_b') => ({
    party,
    signer: values.get(`${prefix}_signer`) as string,
    title: values.get(`${prefix}_signer_title`) as string,
    sealed: true as const,
    signedAt: values.get(`${prefix}_signed_on`) as string,
  });
  const row: ContractImportRow = {
    externalRef: values.get('external_ref') as string,
    line,
    terms: checked.data,
    signatures: [signature('A', 'party_a'), signature('B', 'party_b')],
    payments,
    ...(objection.length > 0
      ? {
          renewalObjection: {
            party: values.get('renewal_objection_party') as PartyCode,
            reason: values.get('renewal_objection_reason') as string,
            at: values.get('renewal_objection_on') as string,
          },
        }
      : {}),
    ...(values.has('sms_used_this_year') ? { smsUsedThisYear: values.get('sms_used_this_year') as number } : {}),
    ...(values.has('owner') ? { owner: values.get('owner') as string } : {}),
    remindOverdue: (values.get('remind_overdue') as boolean | undefined) ?? false,
  };
  return { row, errors };
}

/**
 * Reads an import CSV (RFC 4180; a BOM, CRLF or LF, trailing empty lines;
 * header by column name or Chinese label, in any order) into import rows over
 * the template's terms. A row with any cell error is left out of `rows`; its
 * errors name the line and the column. A header error leaves every row out.
 */
export function parseImportCsv(text: string, template: ContractTerms): ImportCsvResult {
  const records = readCsvRecords(text.startsWith(BOM) ? text.slice(1) : text).filter((r) => !isBlank(r) || r.problem);
  const errors: ImportCsvError[] = [];
  const header = records[0];
  if (!header) return { rows: [], errors: [{ line: 1, column: '', message: '文件是空的：第一行须为列名', messageEn: 'the file is empty: the first line must name the columns' }] };
  if (header.problem) return { rows: [], errors: [{ line: header.line, column: '', message: header.problem.zh, messageEn: header.problem.en }] };

  const positions: (ImportCsvColumn | null)[] = [];
  const seen = new Set<string>();
  for (const raw of header.cells) {
    const key = headerKey(raw);
    if (key === '') {
      positions.push(null);
      continue;
    }
    const column = BY_HEADER.get(key);
    if (!column) {
      errors.push({ line: header.line, column: raw.trim(), message: `未知的列“${raw.trim()}”（列名见导入说明）`, messageEn: `unknown column "${raw.trim()}" (see the documented columns)` });
      positions.push(null);
    } else if (seen.has(column.name)) {
      errors.push({ line: header.line, column: column.name, message: `列“${column.name}”出现了两次`, messageEn: `column "${column.name}" appears twice` });
      positions.push(null);
    } else {
      seen.add(column.name);
      positions.push(column);
    }
  }
  for (const column of IMPORT_CSV_COLUMNS) {
    if (column.required && !seen.has(column.name)) {
      errors.push({ line: header.line, column: column.name, message: `缺少必填列“${column.name}”（${column.label}）`, messageEn: `the required column "${column.name}" is missing` });
    }
  }
  if (errors.length > 0) return { rows: [], errors };

  const rows: ContractImportRow[] = [];
  const refLines = new Map<string, number>();
  for (const record of records.slice(1)) {
    if (record.problem) {
      errors.push({ line: record.line, column: '', message: record.problem.zh, messageEn: record.problem.en });
      continue;
    }
    const cells = new Map<string, string>();
    const stray: number[] = [];
    record.cells.forEach((raw, i) => {
      const column = positions[i];
      if (column) {
        const value = normalizeCell(column, raw);
        if (value !== '') cells.set(column.name, value);
      } else if (raw.trim() !== '') {
        stray.push(i + 1);
      }
    });
    const rowErrors: ImportCsvError[] = stray.map((n) => ({ line: record.line, column: '', message: `第 ${n} 个单元格没有列名，却有内容`, messageEn: `cell ${n} has a value but no column name` }));
    const { row, errors: cellErrors } = readRow(record.line, cells, template);
    rowErrors.push(...cellErrors);
    const ref = cells.get('external_ref');
    if (ref !== undefined) {
      const first = refLines.get(ref);
      if (first !== undefined) rowErrors.push({ line: record.line, column: 'external_ref', message: `与第 ${first} 行的外部合同编号重复：${ref}`, messageEn: `repeats the external reference of line ${first}: ${ref}` });
      else refLines.set(ref, record.line);
    }
    if (row && rowErrors.length === 0) rows.push(row);
    errors.push(...(ref === undefined ? rowErrors : rowErrors.map((error) => ({ ...error, externalRef: ref }))));
  }
  if (rows.length === 0 && errors.length === 0) errors.push({ line: header.line + 1, column: '', message: '文件只有列名，没有合同行', messageEn: 'the file has a header but no contract rows' });
  return { rows, errors };
}

// ---------------------------------------------------------------- paths in words

const PATH_WORDS: Record<string, string> = {
  externalRef: '外部合同编号',
  owner: '负责人',
  terms: '条款',
  title: '合同名称',
  partyA: '甲方',
  partyB: '乙方',
  name: '名称',
  address: '地址',
  representative: '代表人',
  contact: '联系人',
  phone: '电话',
  email: '邮箱',
  bank: '银行账户',
  accountName: '户名',
  bankName: '开户行',
  accountNumber: '账号',
  package: '套餐',
  yearlyFeeFen: '年费',
  smsPerYear: '每年短信条数',
  payment: '付款条款',
  totalFen: '合同总价',
  vatRatePercent: '增值税率',
  invoiceType: '发票类型',
  dueDays: '付款期限',
  reminderDaysBefore: '提醒天数',
  term: '期限',
  years: '年限',
  autoRenew: '自动续约',
  renewalYears: '续约年数',
  renewalAlertDaysBefore: '续约提醒天数',
  sms: '短信',
  signature: '签名',
  legal: '违约与争议条款',
  originals: '正本份数',
  signing: '签署条款',
  signatures: '签署',
  signer: '签署人',
  party: '当事方',
  sealed: '盖章',
  signedAt: '签署日期',
  payments: '付款',
  period: '期间',
  amountFen: '金额',
  paidAt: '付款日期',
  reference: '流水号',
  method: '付款方式',
  renewalObjection: '续约异议',
  reason: '理由',
  at: '日期',
  smsUsedThisYear: '本合同年已用短信条数',
  remindOverdue: '导入时催缴逾期款',
  line: '行号',
};

/**
 * An error path of the import answer ("contracts.3.signatures.0.signedAt", or
 * a row path "terms.partyA.name") in words: the CSV column it came from when
 * there is one, else the path's parts in Chinese (the raw part where no word is known).
 */
export function describeImportPath(path: string): { column: ImportCsvColumn | null; words: string } {
  const rowPath = path.replace(/^(body\.)?contracts\.\d+\.?/, '');
  const column = BY_PATH.get(rowPath) ?? null;
  if (column) return { column, words: column.label };
  if (rowPath === '') return { column: null, words: '整行' };
  const parts = rowPath.split('.');
  const words = parts.map((part, i) => {
    if (/^\d+$/.test(part)) {
      const parent = parts[i - 1];
      if (parent === 'signatures') return PARTY_LABELS[part === '0' ? 'A' : 'B'];
      return `第${Number(part) + 1}${parent === 'payments' ? '笔' : '项'}`;
    }
    return PATH_WORDS[part] ?? part;
  });
  return { column: null, words: words.join(' · ') };
}
