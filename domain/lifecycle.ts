/**
 * The term after signing (Art.6): renewal objections, automatic renewal,
 * termination and supplemental agreements (补充协议).
 */
import { z } from 'zod';
import { ZInstant } from './contract';
import { formatYuan, ZFen } from './money';
import { termEnd, type Deadline } from './periods';
import { ZPartyCode, type ContractTerms } from './terms';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const ZRenewalObjectionRequest = z.strictObject({ party: ZPartyCode, reason: text(2000) });
export type TRenewalObjectionRequest = z.infer<typeof ZRenewalObjectionRequest>;

export const ZTerminationRequest = z.strictObject({ reason: text(2000), effectiveAt: ZInstant });
export type TTerminationRequest = z.infer<typeof ZTerminationRequest>;

/** What a supplemental agreement may change; each applies to the running contract and every later renewal. */
export const ZAmendmentChanges = z
  .strictObject({
    yearlyFeeFen: ZFen.refine((fen) => fen > 0, 'must be positive').optional(),
    smsPerYear: z.number().int().positive().max(100_000_000).optional(),
    permit24h: z.boolean().optional(),
    renewalYears: z.number().int().min(1).max(5).optional(),
  })
  .refine((changes) => Object.values(changes).some((v) => v !== undefined), 'must change at least one term');
export type AmendmentChanges = z.infer<typeof ZAmendmentChanges>;

export const ZProposeAmendmentRequest = z.strictObject({ description: text(2000), changes: ZAmendmentChanges });
export type TProposeAmendmentRequest = z.infer<typeof ZProposeAmendmentRequest>;

export function applyAmendment(terms: ContractTerms, changes: AmendmentChanges): ContractTerms {
  return {
    ...terms,
    package: {
      ...terms.package,
      yearlyFeeFen: changes.yearlyFeeFen ?? terms.package.yearlyFeeFen,
      smsPerYear: changes.smsPerYear ?? terms.package.smsPerYear,
    },
    sms: { ...terms.sms, permit24h: changes.permit24h ?? terms.sms.permit24h },
    term: { ...terms.term, renewalYears: changes.renewalYears ?? terms.term.renewalYears },
  };
}

/** The changes as rows for the agreement's PDF: field, label, before, after. */
export function describeAmendment(terms: ContractTerms, changes: AmendmentChanges) {
  const rows: { field: string; label: string; before: string; after: string }[] = [];
  if (changes.yearlyFeeFen !== undefined) {
    rows.push({ field: 'package.yearlyFeeFen', label: '套餐年费', before: `${formatYuan(terms.package.yearlyFeeFen)} 元/年`, after: `${formatYuan(changes.yearlyFeeFen)} 元/年` });
  }
  if (changes.smsPerYear !== undefined) {
    rows.push({ field: 'package.smsPerYear', label: '年度短信条数', before: `${terms.package.smsPerYear} 条`, after: `${changes.smsPerYear} 条` });
  }
  if (changes.permit24h !== undefined) {
    const label = (on: boolean) => (on ? '已开通24小时发送' : '08:00—22:00 发送');
    rows.push({ field: 'sms.permit24h', label: '发送时段', before: label(terms.sms.permit24h), after: label(changes.permit24h) });
  }
  if (changes.renewalYears !== undefined) {
    rows.push({ field: 'term.renewalYears', label: '自动顺延期限', before: `${terms.term.renewalYears} 年`, after: `${changes.renewalYears} 年` });
  }
  return rows;
}

/**
 * The renewed term: it starts the day after the old term's last day and ends
 * on the corresponding day `years` later, at 24:00 (Art. 202).
 */
export function renewedTermEnd(previousTermEndsAt: string, years: number): Deadline {
  // the old term's last day is the Shanghai date just before its 24:00 end
  return termEnd(new Date(Date.parse(previousTermEndsAt) - 1).toISOString(), years);
}

export const renewalFeeFen = (terms: ContractTerms) => terms.package.yearlyFeeFen * terms.term.renewalYears;

/** The end of the term a contract is in after `renewals` automatic renewals. */
export function termEndAfterRenewals(effectiveAt: string, terms: ContractTerms, renewals: number): Deadline {
  let end = termEnd(effectiveAt, terms.term.years);
  for (let i = 0; i < renewals; i++) end = renewedTermEnd(end.dueAt, terms.term.renewalYears);
  return end;
}

/** What an invoice of a period bills, as the invoice and its notices name it. */
export const initialTermLabel = (terms: ContractTerms) => `首期 ${terms.term.years} 年服务费`;
export const renewalLabel = (terms: ContractTerms, renewal: number) => `第 ${renewal} 次自动顺延 ${terms.term.renewalYears} 年服务费`;
