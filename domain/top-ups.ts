/**
 * Art.3 §5 of the reference contract: during the term Party A may buy more
 * messages "根据业务受理单", prepaying the package's price. The price comes
 * from the contract, never from the caller: a top-up names a package of the
 * terms' price list, or a quantity priced by that list. Finance (and admins)
 * may set another price, only with a reason, which the audit log records.
 *
 * Pure: the API prices a request with it before the lifecycle's update, the
 * console shows the same quote before it is sent.
 */
import { z } from 'zod';
import { formatYuan, type Fen } from './money';
import type { ContractTerms } from './terms';

export type TopUpPackage = { code: string; name: string; sms: number; priceFen: Fen };

/**
 * A contract's price list: its terms' (`terms.topUps`), or for contracts
 * stored before price lists existed, one package implied by Art.3 §2: the
 * yearly package at its yearly fee, so any quantity is priced by that fee pro
 * rata (an amendment of the fee changes it; a stored list stays as signed).
 */
export type TopUpPriceList = { source: 'terms' | 'yearly_fee_pro_rata'; packages: TopUpPackage[] };

/** The code of the one package a contract without a price list offers. */
export const YEARLY_PACKAGE_CODE = 'yearly';

export function topUpPriceList(terms: Pick<ContractTerms, 'package' | 'topUps'>): TopUpPriceList {
  if (terms.topUps && terms.topUps.packages.length > 0) {
    return { source: 'terms', packages: [...terms.topUps.packages].sort((a, b) => a.sms - b.sms) };
  }
  return {
    source: 'yearly_fee_pro_rata',
    packages: [{ code: YEARLY_PACKAGE_CODE, name: `${terms.package.name}（一年量）`, sms: terms.package.smsPerYear, priceFen: terms.package.yearlyFeeFen }],
  };
}

/** quantity × price ÷ size, rounded to the nearest fen (half up), without floating point. */
export function proRataFen(quantity: number, pkg: Pick<TopUpPackage, 'sms' | 'priceFen'>): Fen {
  const numerator = BigInt(quantity) * BigInt(pkg.priceFen) * 2n + BigInt(pkg.sms);
  return Number(numerator / (BigInt(pkg.sms) * 2n));
}

export type TopUpQuote = {
  quantity: number;
  priceFen: Fen;
  /** the package bought, or null for a quantity priced by the list */
  package: string | null;
  source: TopUpPriceList['source'];
  /** how the price was found, for the audit log and the console */
  explanation: string;
  explanationEn: string;
};

export type TopUpChoice = { package: string } | { quantity: number };

/**
 * The list price of a top-up.
 *
 * - A package: its price. A quantity equal to a package's size: that package.
 * - Another quantity: pro rata at the rate of the largest package not larger
 *   than it (the smallest package's rate below the smallest size), rounded to
 *   the fen, and never more than the price of the smallest package at least as
 *   large (buying that package would cost less).
 *
 * A package code the list does not have is an error naming the codes it has.
 */
export function quoteTopUp(list: TopUpPriceList, choice: TopUpChoice): { ok: true; quote: TopUpQuote } | { ok: false; path: 'package' | 'quantity'; message: string } {
  const packages = [...list.packages].sort((a, b) => a.sms - b.sms);
  const named = (pkg: TopUpPackage, quantity = pkg.sms): TopUpQuote => ({
    quantity,
    priceFen: pkg.priceFen,
    package: pkg.code,
    source: list.source,
    explanation: `${pkg.name}：${pkg.sms} 条，${formatYuan(pkg.priceFen)} 元`,
    explanationEn: `package ${pkg.code}: ${pkg.sms} messages for ${formatYuan(pkg.priceFen)} CNY`,
  });
  if ('package' in choice) {
    const pkg = packages.find((p) => p.code === choice.package);
    if (!pkg) return { ok: false, path: 'package', message: `is not a package of this contract's price list (${packages.map((p) => p.code).join(', ')})` };
    return { ok: true, quote: named(pkg) };
  }
  const { quantity } = choice;
  if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, path: 'quantity', message: 'must be a positive whole number of messages' };
  const exact = packages.find((p) => p.sms === quantity);
  if (exact) return { ok: true, quote: named(exact, quantity) };
  const rate = [...packages].reverse().find((p) => p.sms <= quantity) ?? packages[0]!;
  const proRata = proRataFen(quantity, rate);
  const ceiling = packages.find((p) => p.sms >= quantity);
  const capped = ceiling !== undefined && ceiling.priceFen < proRata;
  const priceFen = capped ? ceiling.priceFen : proRata;
  const basis = list.source === 'terms' ? '增购价目' : '合同年费';
  return {
    ok: true,
    quote: {
      quantity,
      priceFen,
      package: null,
      source: list.source,
      explanation: capped
        ? `${quantity} 条按${basis}折算高于「${ceiling.name}」（${ceiling.sms} 条 ${formatYuan(ceiling.priceFen)} 元），按该套餐价格计 ${formatYuan(priceFen)} 元`
        : `${quantity} 条按${basis}「${rate.name}」单价折算：${quantity} × ${formatYuan(rate.priceFen)} 元 ÷ ${rate.sms} 条 = ${formatYuan(priceFen)} 元（四舍五入到分）`,
      explanationEn: capped
        ? `${quantity} messages pro rata would cost more than package ${ceiling.code} (${ceiling.sms} messages for ${formatYuan(ceiling.priceFen)} CNY): priced at ${formatYuan(priceFen)} CNY`
        : `${quantity} messages at the rate of ${list.source === 'terms' ? `package ${rate.code}` : 'the yearly fee'}: ${quantity} × ${formatYuan(rate.priceFen)} CNY ÷ ${rate.sms} = ${formatYuan(priceFen)} CNY (rounded to the fen)`,
    },
  };
}

/** How a top-up was priced, carried into the lifecycle's update and the audit log (`top_up.requested`). */
export type TopUpPricing = {
  package: string | null;
  source: TopUpPriceList['source'];
  listPriceFen: Fen;
  explanation: string;
  /** finance's (or an admin's) price instead of the list's, with the reason given */
  override: { reason: string; byRole: string } | null;
};

/** What the lifecycle's top-up update carries: the messages, the price to invoice, and how it was priced (absent on updates from before price lists). */
export type PricedTopUp = { quantity: number; priceFen: Fen; pricing?: TopUpPricing };

/** The roles that may invoice a top-up at another price than the list's (with a reason). */
export const PRICE_OVERRIDE_ROLES = ['finance', 'admin'] as const;
export const mayOverrideTopUpPrice = (role: string): boolean => (PRICE_OVERRIDE_ROLES as readonly string[]).includes(role);

const code = z.string().trim().min(1, 'must not be empty').max(32, 'must be at most 32 characters');

/**
 * POST /api/contracts/:id/top-ups: a package of the price list, or a
 * quantity priced by it. `priceFen` (with `priceReason`) is finance's and an
 * admin's override; the route refuses it from anyone else.
 */
export const ZTopUpRequest = z
  .strictObject({
    /** a package code of the contract's price list (GET /api/contracts/:id: terms.topUps) */
    package: code.optional(),
    /** extra SMS, priced by the list */
    quantity: z.number().int('must be a whole number of messages').min(1).max(10_000_000).optional(),
    /** finance and admins only: the price to invoice instead of the list's */
    priceFen: z
      .number({ error: 'must be an integer number of fen (1 CNY = 100 fen)' })
      .int('must be an integer number of fen (1 CNY = 100 fen)')
      .min(1, 'must be positive')
      .max(1_000_000_000_00, 'is larger than any amount this system handles')
      .optional(),
    /** why the price differs from the list's (required with priceFen) */
    priceReason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.package === undefined) === (body.quantity === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['package'], message: 'give either package (a code of the price list) or quantity (priced by the list)' });
    }
    if (body.priceReason !== undefined && body.priceFen === undefined) {
      ctx.addIssue({ code: 'custom', path: ['priceReason'], message: 'is given only with priceFen' });
    }
  });
export type TTopUpRequest = z.infer<typeof ZTopUpRequest>;
