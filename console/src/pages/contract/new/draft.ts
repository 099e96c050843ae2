/**
 * The new-contract form as data: its sections and fields (paths into
 * ContractTerms), and the draft of text inputs read from and written back to
 * the terms, with the fields that could not even be read (e.g. "abc" as an amount).
 */
import type { ContractTerms } from '../../../../../domain/terms';
import { formatYuan, parseYuan } from '../../../format';
import type { MessageKey } from '../../../i18n';

export type Kind = 'text' | 'creditCode' | 'int' | 'number' | 'yuan' | 'days' | 'bool' | 'invoiceType' | 'clock' | 'optional-text';
export type FieldDef = { path: string; label: MessageKey; kind: Kind; wide?: boolean };
export type SectionDef = { title: MessageKey; fields: FieldDef[] };

const party = (p: 'partyA' | 'partyB'): FieldDef[] => [
  { path: `${p}.name`, label: 'f.name', kind: 'text', wide: true },
  // Party A is identified by its unified social credit code (domain/credit-code.ts)
  ...(p === 'partyA' ? [{ path: 'partyA.creditCode', label: 'f.creditCode', kind: 'creditCode', wide: true } as FieldDef] : []),
  { path: `${p}.address`, label: 'f.address', kind: 'text', wide: true },
  { path: `${p}.representative`, label: 'f.representative', kind: 'text' },
  { path: `${p}.contact.name`, label: 'f.contactName', kind: 'text' },
  { path: `${p}.contact.phone`, label: 'f.contactPhone', kind: 'text' },
  { path: `${p}.contact.email`, label: 'f.contactEmail', kind: 'optional-text' },
];

export const SECTIONS: SectionDef[] = [
  { title: 'new.section.general', fields: [{ path: 'title', label: 'f.title', kind: 'text', wide: true }] },
  { title: 'new.section.partyA', fields: party('partyA') },
  {
    title: 'new.section.partyB',
    fields: [
      ...party('partyB'),
      { path: 'partyB.bank.accountName', label: 'f.bankAccountName', kind: 'text', wide: true },
      { path: 'partyB.bank.bankName', label: 'f.bankName', kind: 'text' },
      { path: 'partyB.bank.accountNumber', label: 'f.bankAccountNumber', kind: 'text' },
    ],
  },
  {
    title: 'new.section.package',
    fields: [
      { path: 'package.name', label: 'f.packageName', kind: 'text', wide: true },
      { path: 'package.yearlyFeeFen', label: 'f.yearlyFee', kind: 'yuan' },
      { path: 'package.smsPerYear', label: 'f.smsPerYear', kind: 'int' },
    ],
  },
  {
    title: 'new.section.payment',
    fields: [
      { path: 'payment.totalFen', label: 'f.total', kind: 'yuan' },
      { path: 'payment.vatRatePercent', label: 'f.vat', kind: 'number' },
      { path: 'payment.invoiceType', label: 'f.invoiceType', kind: 'invoiceType' },
      { path: 'payment.dueDays', label: 'f.dueDays', kind: 'int' },
      { path: 'payment.reminderDaysBefore', label: 'f.reminders', kind: 'days' },
    ],
  },
  {
    title: 'new.section.term',
    fields: [
      { path: 'term.years', label: 'f.years', kind: 'int' },
      { path: 'term.autoRenew', label: 'f.autoRenew', kind: 'bool' },
      { path: 'term.renewalYears', label: 'f.renewalYears', kind: 'int' },
      { path: 'term.renewalAlertDaysBefore', label: 'f.renewalAlerts', kind: 'days' },
    ],
  },
  {
    title: 'new.section.sms',
    fields: [
      { path: 'sms.signature', label: 'f.signature', kind: 'text' },
      { path: 'sms.permit24h', label: 'f.permit24h', kind: 'bool' },
      { path: 'sms.windowStart', label: 'f.windowStart', kind: 'clock' },
      { path: 'sms.windowEnd', label: 'f.windowEnd', kind: 'clock' },
      { path: 'sms.marketingWindowStart', label: 'f.marketingStart', kind: 'clock' },
      { path: 'sms.marketingWindowEnd', label: 'f.marketingEnd', kind: 'clock' },
    ],
  },
  {
    title: 'new.section.legal',
    fields: [
      { path: 'legal.cureDays', label: 'f.cureDays', kind: 'int' },
      { path: 'legal.negotiationDays', label: 'f.negotiationDays', kind: 'int' },
      { path: 'legal.outageNoticeHours', label: 'f.outageHours', kind: 'int' },
      { path: 'legal.violationReportHours', label: 'f.violationHours', kind: 'int' },
      { path: 'legal.forceMajeureProofDays', label: 'f.fmDays', kind: 'int' },
      { path: 'legal.disputeVenue', label: 'f.venue', kind: 'text' },
    ],
  },
  {
    title: 'new.section.signing',
    fields: [
      { path: 'originals.total', label: 'f.originalsTotal', kind: 'int' },
      { path: 'originals.perParty', label: 'f.originalsPerParty', kind: 'int' },
      { path: 'signing.periodDays', label: 'f.signingDays', kind: 'int' },
      { path: 'signing.reminderDaysBefore', label: 'f.signingReminders', kind: 'days' },
    ],
  },
];

export const ALL_FIELDS = SECTIONS.flatMap((s) => s.fields);

export type Draft = Record<string, string | boolean>;

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), obj);
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    if (!cur[key] || typeof cur[key] !== 'object') cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  if (value === undefined) delete cur[keys[keys.length - 1]!];
  else cur[keys[keys.length - 1]!] = value;
}

export function toDraft(terms: ContractTerms): Draft {
  const draft: Draft = {};
  for (const f of ALL_FIELDS) {
    const v = getPath(terms, f.path);
    if (f.kind === 'bool') draft[f.path] = Boolean(v);
    else if (f.kind === 'yuan') draft[f.path] = typeof v === 'number' ? formatYuan(v).replace(/,/g, '') : '';
    else if (f.kind === 'days') draft[f.path] = Array.isArray(v) ? v.join(', ') : '';
    else draft[f.path] = v === undefined || v === null ? '' : String(v);
  }
  return draft;
}

/** The draft as the API body, plus the fields that could not even be read (e.g. "abc" as an amount). */
export function fromDraft(draft: Draft, base: ContractTerms): { terms: Record<string, unknown>; unreadable: Record<string, 'yuan' | 'int' | 'number' | 'days'> } {
  const terms = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const unreadable: Record<string, 'yuan' | 'int' | 'number' | 'days'> = {};
  for (const f of ALL_FIELDS) {
    const raw = draft[f.path];
    switch (f.kind) {
      case 'bool':
        setPath(terms, f.path, Boolean(raw));
        break;
      case 'yuan': {
        const fen = parseYuan(String(raw));
        if (fen === null) unreadable[f.path] = 'yuan';
        setPath(terms, f.path, fen ?? Number.NaN);
        break;
      }
      case 'int':
      case 'number': {
        const text = String(raw).trim();
        const n = text === '' ? Number.NaN : Number(text);
        if (!Number.isFinite(n)) unreadable[f.path] = f.kind;
        setPath(terms, f.path, n);
        break;
      }
      case 'days': {
        const parts = String(raw).split(/[,，\s]+/).filter(Boolean);
        const days = parts.map(Number);
        if (days.some((d) => !Number.isFinite(d))) unreadable[f.path] = 'days';
        setPath(terms, f.path, days);
        break;
      }
      case 'optional-text':
        setPath(terms, f.path, String(raw).trim() === '' ? undefined : String(raw));
        break;
      default:
        setPath(terms, f.path, String(raw));
    }
  }
  return { terms, unreadable };
}

export const UNREADABLE: Record<string, { zh: string; en: string }> = {
  yuan: { zh: '请输入金额（元），例如 999.00', en: 'must be an amount in CNY, e.g. 999.00' },
  int: { zh: '请输入整数', en: 'must be a whole number' },
  number: { zh: '请输入数字', en: 'must be a number' },
  days: { zh: '请输入天数，以逗号分隔，例如 7, 3, 1', en: 'must be days separated by commas, e.g. 7, 3, 1' },
};
