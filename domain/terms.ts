/**
 * The contract's terms: every clause of the reference contract that becomes
 * behaviour (DESIGN.md section 2), as one zod schema shared by the API, the
 * workflows, the documents and the console.
 */
import { z } from 'zod';
import { ZCreditCode } from './credit-code';
import { ZFen, ZPositiveFen } from './money';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Chinese mobile or fixed-line number, in any of the usual written shapes. */
export const ZContactPhone = z
  .string()
  .trim()
  .max(32)
  .regex(/^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, 'must be a Chinese mobile (e.g. 13800000001) or fixed-line number (e.g. 0471-1234567)');

export const ZPerson = z.strictObject({
  name: text(64),
  phone: ZContactPhone,
  email: z.email('must be an e-mail address').max(254).optional(),
});

export const ZParty = z.strictObject({
  name: text(128),
  address: text(256),
  /** 法定代表人或授权代表 (Party A) / 负责人 (Party B) */
  representative: text(64),
  contact: ZPerson,
});

export const ZBankAccount = z.strictObject({
  accountName: text(128),
  bankName: text(128),
  accountNumber: z.string().trim().regex(/^[0-9 ]{8,40}$/, 'must be digits (spaces allowed), 8 to 40 characters'),
});

export const ZProviderParty = ZParty.extend({ bank: ZBankAccount });

/**
 * 甲方: the customer, identified by its unified social credit code
 * (统一社会信用代码, domain/credit-code.ts). Required of every new contract
 * (created, imported); the terms of contracts stored before it, and the
 * workflow inputs of their histories, have none (ContractTerms below).
 */
export const ZCustomerParty = ZParty.extend({ creditCode: ZCreditCode });

export const INVOICE_TYPES = ['vat_special', 'vat_ordinary'] as const;
export const ZInvoiceType = z.enum(INVOICE_TYPES);
export type InvoiceType = z.infer<typeof ZInvoiceType>;
export const INVOICE_TYPE_LABELS: Record<InvoiceType, string> = {
  vat_special: '增值税专用发票（专票）',
  vat_ordinary: '增值税普通发票（普票）',
};

const ZClock = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be a time of day as HH:MM');
const ZDayOffsets = z
  .array(z.number().int().min(1).max(365))
  .max(5, 'at most 5 reminders')
  .refine((days) => new Set(days).size === days.length, 'must not repeat a day');

/** 【…】: the bound signature, 2 to 20 characters between the brackets. */
export const ZSmsSignature = z
  .string()
  .trim()
  .regex(/^【[^【】]{2,20}】$/, 'must be the bound signature in 【】, 2 to 20 characters inside, e.g. 【内蒙古自治区地震局】');

/**
 * Art.3 §5: one package of the price list for further purchases, as a 业务受理单
 * lists it: a number of messages at a price. `code` is what a top-up request names.
 */
export const ZTopUpPackage = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a short code: lower-case letters, digits, - or _ (e.g. sms-12666)'),
  name: text(100),
  sms: z.number().int('must be a whole number of messages').positive('must be positive').max(10_000_000),
  priceFen: ZPositiveFen,
});

export const ZContractTerms = z
  .strictObject({
    title: text(200),
    /** 甲方: the customer, with its unified social credit code */
    partyA: ZCustomerParty,
    /** 乙方: the provider, with the account payments go to */
    partyB: ZProviderParty,
    /** Art.3 §2: the package */
    package: z.strictObject({
      name: text(100),
      // one message for a fee that is not positive (negative or zero), not "must not be negative" beside it
      yearlyFeeFen: ZPositiveFen,
      smsPerYear: z.number().int().positive().max(100_000_000),
      delivery: z.literal('one_time'),
    }),
    /**
     * Art.3 §5: the price list of further purchases (domain/top-ups.ts prices a
     * top-up by it). Optional: the terms of contracts stored before it have
     * none, and a top-up of theirs is priced by the package's yearly fee, pro rata.
     */
    topUps: z.strictObject({ packages: z.array(ZTopUpPackage).min(1, 'must list at least one package').max(12, 'at most 12 packages') }).optional(),
    /**
     * Art.3 §3: Party A confirms the delivery form (业务受理单) within
     * `confirmationDays` days of delivery (counted by the Civil Code, Art. 201–203),
     * reminded `reminderDaysBefore` (at most 3 are sent, domain/delivery.ts).
     * Optional: contracts stored before it count 10 days with the default reminders.
     */
    delivery: z.strictObject({ confirmationDays: z.number().int().min(1).max(90), reminderDaysBefore: ZDayOffsets }).optional(),
    /** Art.3 §1, §4, §5': price, VAT, invoice, payment period */
    payment: z.strictObject({
      totalFen: ZFen,
      vatRatePercent: z.number().min(0).max(100),
      invoiceType: ZInvoiceType,
      dueDays: z.number().int().min(1).max(365),
      reminderDaysBefore: ZDayOffsets,
    }),
    /** Art.6 §1: term and automatic renewal */
    term: z.strictObject({
      years: z.number().int().min(1).max(10),
      autoRenew: z.boolean(),
      renewalYears: z.number().int().min(1).max(5),
      renewalAlertDaysBefore: ZDayOffsets,
    }),
    /** Art.5 §1, §2; Art.8 §3, §4 */
    sms: z.strictObject({
      signature: ZSmsSignature,
      windowStart: ZClock,
      windowEnd: ZClock,
      marketingWindowStart: ZClock,
      marketingWindowEnd: ZClock,
      /** an approved 24-hour sending permit (24小时开通申请) */
      permit24h: z.boolean(),
      /**
       * the appendix: signatures and templates are reviewed within this many
       * working days of the application (domain/sms/templates.ts); 1 when absent
       */
      templateReviewWorkingDays: z.number().int().min(1).max(30).optional(),
      /**
       * which categories may be sent as free text (without an approved
       * template); absent: notifications (and alerts) yes, marketing no
       */
      freeText: z.strictObject({ notification: z.boolean().optional(), marketing: z.boolean().optional() }).optional(),
    }),
    /** Art.4 §10(5), Art.5 §8, Art.9, Art.10 */
    legal: z.strictObject({
      cureDays: z.number().int().min(1).max(90),
      negotiationDays: z.number().int().min(1).max(365),
      outageNoticeHours: z.number().int().min(1).max(168),
      violationReportHours: z.number().int().min(1).max(48),
      forceMajeureProofDays: z.number().int().min(1).max(90),
      /** Art.4 §9: the rectification period of a suspension (限期整改), in days; 10 when absent (contracts stored before it have none) */
      rectificationDays: z.number().int().min(1).max(90).optional(),
      disputeVenue: text(200),
    }),
    /** Art.11 §3 */
    originals: z.strictObject({
      total: z.number().int().min(2).max(20),
      perParty: z.number().int().min(1).max(10),
    }),
    /** how long the contract may wait for both signatures, and the reminders before it lapses */
    signing: z.strictObject({
      periodDays: z.number().int().min(1).max(365),
      reminderDaysBefore: ZDayOffsets,
    }),
  })
  .superRefine((terms, ctx) => {
    // a rule across fields runs only when each field it reads passed its own checks: a negative
    // yearly fee is reported once, as such, and not again as a total the rule would then expect
    const valid = (...paths: string[]) =>
      !ctx.issues.some((issue) => {
        const at = (issue.path ?? []).join('.');
        return paths.some((path) => at === path || at.startsWith(`${path}.`));
      });
    const expected = terms.package.yearlyFeeFen * terms.term.years;
    if (valid('package.yearlyFeeFen', 'term.years', 'payment.totalFen') && terms.payment.totalFen !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['payment', 'totalFen'],
        message: `must equal the yearly fee times the term in years (${terms.package.yearlyFeeFen} x ${terms.term.years} = ${expected} fen)`,
      });
    }
    if (valid('originals.total', 'originals.perParty') && terms.originals.total !== terms.originals.perParty * 2) {
      ctx.addIssue({ code: 'custom', path: ['originals', 'total'], message: 'must be twice the originals held per party' });
    }
    if (valid('sms.windowStart', 'sms.windowEnd') && terms.sms.windowStart >= terms.sms.windowEnd) {
      ctx.addIssue({ code: 'custom', path: ['sms', 'windowEnd'], message: 'must be later than the window start' });
    }
    if (valid('sms.marketingWindowStart', 'sms.marketingWindowEnd') && terms.sms.marketingWindowStart >= terms.sms.marketingWindowEnd) {
      ctx.addIssue({ code: 'custom', path: ['sms', 'marketingWindowEnd'], message: 'must be later than the marketing window start' });
    }
    if (
      valid('sms.windowStart', 'sms.windowEnd', 'sms.marketingWindowStart', 'sms.marketingWindowEnd') &&
      (terms.sms.marketingWindowStart < terms.sms.windowStart || terms.sms.marketingWindowEnd > terms.sms.windowEnd)
    ) {
      ctx.addIssue({ code: 'custom', path: ['sms', 'marketingWindowStart'], message: 'the marketing window must lie inside the sending window' });
    }
    if (terms.topUps && valid('topUps')) {
      const { packages } = terms.topUps;
      packages.forEach((p, i) => {
        if (packages.findIndex((q) => q.code === p.code) !== i) ctx.addIssue({ code: 'custom', path: ['topUps', 'packages', i, 'code'], message: `must not repeat a package code (${p.code})` });
        else if (packages.findIndex((q) => q.sms === p.sms) !== i) ctx.addIssue({ code: 'custom', path: ['topUps', 'packages', i, 'sms'], message: `must not repeat a package size (${p.sms} messages)` });
      });
    }
    if (terms.delivery && valid('delivery') && Math.max(0, ...terms.delivery.reminderDaysBefore) >= terms.delivery.confirmationDays) {
      ctx.addIssue({ code: 'custom', path: ['delivery', 'reminderDaysBefore'], message: 'reminders must fall inside the confirmation period' });
    }
    if (valid('signing.reminderDaysBefore', 'signing.periodDays') && Math.max(0, ...terms.signing.reminderDaysBefore) >= terms.signing.periodDays) {
      ctx.addIssue({ code: 'custom', path: ['signing', 'reminderDaysBefore'], message: 'reminders must fall inside the signing period' });
    }
  });

export type Party = z.infer<typeof ZParty>;
/** Party A as stored: a contract from before the credit code was required has none. */
export type CustomerParty = Party & { creditCode?: string };
/** The terms of a new contract, as ZContractTerms checks them: Party A's credit code is there. */
export type NewContractTerms = z.infer<typeof ZContractTerms>;
/** The terms of any contract, as stored and as workflows carry them (Party A's code may be missing). */
export type ContractTerms = Omit<NewContractTerms, 'partyA'> & { partyA: CustomerParty };
export type ProviderParty = z.infer<typeof ZProviderParty>;

export const PARTIES = ['A', 'B'] as const;
export const ZPartyCode = z.enum(PARTIES);
export type PartyCode = z.infer<typeof ZPartyCode>;
export const otherParty = (party: PartyCode): PartyCode => (party === 'A' ? 'B' : 'A');
export const PARTY_LABELS: Record<PartyCode, string> = { A: '甲方', B: '乙方' };

/**
 * Party A's credit code in the reference contract: an EXAMPLE, not the
 * Inner Mongolia Earthquake Agency's real code (none could be confirmed from
 * a published source). It is shaped like the code of a government organ
 * registered in Inner Mongolia: 1 (机构编制) 1 (机关), division 150000, an
 * organisation code of zeros, and both check characters right.
 */
export const REFERENCE_PARTY_A_CREDIT_CODE = '111500000000000007';

/**
 * The reference contract's price list for further purchases (Art.3 §5: "根据
 * 业务受理单再次进行购买"). The contract states one price, Art.3 §2's package
 * of 999 元 for 12,666 industry messages a year; its 业务受理单 is not part of
 * the seed, so the list keeps exactly that rate (999 / 12,666 元 a message, no
 * volume discount invented): half the yearly package, the yearly package, and
 * three years' worth (the Art.3 §4 purchase of 2,997 元).
 */
export const REFERENCE_TOP_UP_PACKAGES = [
  { code: 'sms-6333', name: '半年量短信包（6,333 条）', sms: 6_333, priceFen: 49_950 },
  { code: 'sms-12666', name: '年度短信包（12,666 条）', sms: 12_666, priceFen: 99_900 },
  { code: 'sms-37998', name: '三年量短信包（37,998 条）', sms: 37_998, priceFen: 299_700 },
];

/**
 * The reference contract (seed: 2024 智慧信息（企信版）产品服务合同): the two
 * organisations' real names and addresses, an example credit code (above),
 * fictitious people, phones and bank account.
 */
export const REFERENCE_TERMS: ContractTerms = {
  title: '2024年大数据智慧信息（企信版）产品服务合同',
  partyA: {
    name: '内蒙古自治区地震局',
    creditCode: REFERENCE_PARTY_A_CREDIT_CODE,
    address: '呼和浩特市新城区哲里木路80号',
    representative: '张示例',
    contact: { name: '李联系', phone: '13800000001' },
  },
  partyB: {
    name: '中国联合网络通信有限公司内蒙古自治区分公司',
    address: '呼和浩特市新城区兴安北路55号',
    representative: '王示例',
    contact: { name: '赵经理', phone: '13800000002' },
    bank: {
      accountName: '中国联合网络通信有限公司内蒙古自治区分公司',
      bankName: '示例银行呼和浩特分行',
      accountNumber: '0000 0000 0000 0000 000',
    },
  },
  package: { name: '智慧信息（企信版）短信服务套餐', yearlyFeeFen: 99900, smsPerYear: 12666, delivery: 'one_time' },
  topUps: { packages: REFERENCE_TOP_UP_PACKAGES },
  delivery: { confirmationDays: 10, reminderDaysBefore: [7, 3, 1] },
  payment: { totalFen: 299700, vatRatePercent: 0, invoiceType: 'vat_special', dueDays: 30, reminderDaysBefore: [7, 3, 1] },
  term: { years: 3, autoRenew: true, renewalYears: 1, renewalAlertDaysBefore: [45, 15] },
  sms: {
    signature: '【内蒙古自治区地震局】',
    windowStart: '08:00',
    windowEnd: '22:00',
    marketingWindowStart: '09:00',
    marketingWindowEnd: '20:00',
    permit24h: false,
  },
  legal: {
    cureDays: 10,
    negotiationDays: 30,
    outageNoticeHours: 24,
    violationReportHours: 1,
    forceMajeureProofDays: 15,
    disputeVenue: '乙方所在地人民法院',
  },
  originals: { total: 4, perParty: 2 },
  signing: { periodDays: 30, reminderDaysBefore: [7, 3, 1] },
};

/** The date the reference contract was signed on paper by both parties. */
export const REFERENCE_SIGNED_ON = '2024-05-14';
