/**
 * A contract's open matters, worst first: what a person must see before
 * anything else about the contract (the list row, the page header). A green
 * "in force" with a term end three years away says nothing when an invoice is
 * overdue and a breach case is heading for court.
 *
 * Pure: the API computes it from the read model (invoices, cases, deadlines)
 * for the list and the detail, the console only renders it.
 */
import type { ContractStatus } from './contract';
import { formatYuan } from './money';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type MatterKind =
  | 'frozen'
  | 'case_escalated'
  | 'invoice_overdue'
  | 'breach_served'
  | 'violation_open'
  | 'outage_open'
  | 'force_majeure_open'
  | 'signing_lapsing'
  | 'provisional_deadline';

export type Matter = {
  kind: MatterKind;
  severity: Severity;
  /** in words, Chinese and English */
  zh: string;
  en: string;
  /** what the matter is about, for the console's link to act */
  invoiceNumber?: string;
  caseId?: string;
  /** the instant that matters: a due date passed or ahead */
  at?: string;
};

export type RiskFacts = {
  status: ContractStatus;
  invoices: { number: string; status: string; dueAt: string; amountFen: number; paidFen: number }[];
  /** open cases (not closed) */
  cases: { id: string; kind: string; status: string; dueAt: string | null }[];
  /** open deadlines */
  deadlines: { kind: string; dueAt: string; provisional?: boolean }[];
};

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const DAY = 86_400_000;
/** A signing period this close to its end is a matter of its own. */
const SIGNING_WARNING_MS = 3 * DAY;

/** The Beijing date whose 24:00 a deadline's instant is (the instant itself is the next day's 00:00). */
const beijingDay = (dueAt: string) => new Date(Date.parse(dueAt) - 1 + 8 * 3_600_000).toISOString().slice(0, 10);

/** Every open matter of the contract, worst first (ties: the earliest instant first). */
export function contractMatters(facts: RiskFacts, now: number): Matter[] {
  const matters: Matter[] = [];
  if (facts.status === 'frozen') {
    matters.push({ kind: 'frozen', severity: 'critical', zh: '账号已永久冻结（违规内容）', en: 'The account is frozen for good (content violation)' });
  }
  for (const c of facts.cases) {
    if (c.kind === 'breach' && c.status === 'escalated') {
      matters.push({ kind: 'case_escalated', severity: 'critical', zh: '违约案件已升级：纠正期限届满未纠正，可诉至法院', en: 'Breach case escalated: the cure period ended without a cure, court is open', caseId: c.id });
    } else if (c.kind === 'breach' && (c.status === 'served' || c.status === 'negotiating')) {
      const until = c.dueAt ? `，期限 ${beijingDay(c.dueAt)} 24:00` : '';
      matters.push({
        kind: 'breach_served',
        severity: 'high',
        zh: c.status === 'served' ? `违约通知已送达，纠正期内${until}` : `违约案件协商中${until}`,
        en: c.status === 'served' ? `Breach notice served, in its cure period${c.dueAt ? ` until ${beijingDay(c.dueAt)} 24:00` : ''}` : `Breach case in negotiation${c.dueAt ? ` until ${beijingDay(c.dueAt)} 24:00` : ''}`,
        caseId: c.id,
        ...(c.dueAt ? { at: c.dueAt } : {}),
      });
    } else if (c.kind === 'violation' && (c.status === 'reported' || c.status === 'detected')) {
      matters.push({ kind: 'violation_open', severity: 'high', zh: '违规内容待核实', en: 'A content violation awaits confirmation', caseId: c.id });
    } else if (c.kind === 'outage') {
      matters.push({ kind: 'outage_open', severity: 'medium', zh: '服务中断处理中', en: 'A service outage is open', caseId: c.id, ...(c.dueAt ? { at: c.dueAt } : {}) });
    } else if (c.kind === 'force_majeure') {
      matters.push({
        kind: 'force_majeure_open',
        severity: c.status === 'proof_overdue' ? 'high' : 'medium',
        zh: c.status === 'proof_overdue' ? '不可抗力证明逾期未提交' : '不可抗力事件处理中',
        en: c.status === 'proof_overdue' ? 'Force majeure proof overdue' : 'A force majeure event is open',
        caseId: c.id,
      });
    }
  }
  for (const invoice of facts.invoices) {
    if (invoice.status !== 'overdue') continue;
    const days = Math.max(0, Math.floor((now - Date.parse(invoice.dueAt)) / DAY));
    const owed = formatYuan(invoice.amountFen - invoice.paidFen);
    matters.push({
      kind: 'invoice_overdue',
      severity: 'high',
      zh: `发票 ${invoice.number} 已逾期 ${days} 天，欠款 ${owed} 元`,
      en: `Invoice ${invoice.number} overdue by ${days} day(s), ${owed} CNY outstanding`,
      invoiceNumber: invoice.number,
      at: invoice.dueAt,
    });
  }
  if (facts.status === 'awaiting_signatures') {
    const signing = facts.deadlines.find((d) => d.kind === 'signing');
    if (signing && Date.parse(signing.dueAt) - now < SIGNING_WARNING_MS) {
      matters.push({ kind: 'signing_lapsing', severity: 'medium', zh: `签署期限将于 ${beijingDay(signing.dueAt)} 24:00 届满，届时合同失效`, en: `The signing period ends ${beijingDay(signing.dueAt)} 24:00; the contract lapses then`, at: signing.dueAt });
    }
  }
  const provisional = facts.deadlines.filter((d) => d.provisional).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  if (provisional) {
    matters.push({ kind: 'provisional_deadline', severity: 'low', zh: `期限暂定：${beijingDay(provisional.dueAt)} 所在年度的节假日安排尚未公布`, en: `Provisional deadline: the holidays of ${beijingDay(provisional.dueAt).slice(0, 4)} are not announced yet`, at: provisional.dueAt });
  }
  return matters.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.at ?? '').localeCompare(b.at ?? ''));
}

/** The contract's worst open matter, or null when nothing is open. */
export const worstMatter = (facts: RiskFacts, now: number): Matter | null => contractMatters(facts, now)[0] ?? null;
