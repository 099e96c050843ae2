import { describe, expect, it } from 'vitest';
import { contractMatters, worstMatter, type RiskFacts } from '../../domain/risk';

const NOW = Date.parse('2026-12-10T02:00:00Z'); // 10 December 2026, 10:00 Beijing
const base: RiskFacts = { status: 'active', invoices: [], cases: [], deadlines: [] };

describe("a contract's open matters, worst first", () => {
  it('has none for a contract in order', () => {
    expect(worstMatter(base, NOW)).toBeNull();
  });

  it('names an overdue invoice with the days it is late and what is owed', () => {
    // due at the end of 1 December 2026 (Beijing): 8 whole days late on 10 December at 10:00
    const facts: RiskFacts = { ...base, invoices: [{ number: 'INV-SMS-2026-000001-T1', status: 'overdue', dueAt: '2026-12-01T16:00:00.000Z', amountFen: 299_700, paidFen: 100_000 }] };
    expect(worstMatter(facts, NOW)).toMatchObject({
      kind: 'invoice_overdue',
      severity: 'high',
      invoiceNumber: 'INV-SMS-2026-000001-T1',
      zh: '发票 INV-SMS-2026-000001-T1 已逾期 8 天，欠款 1,997.00 元',
    });
  });

  it('puts an escalated breach case before an overdue invoice, and a freeze before both', () => {
    const facts: RiskFacts = {
      ...base,
      invoices: [{ number: 'INV-1', status: 'overdue', dueAt: '2026-10-01T16:00:00.000Z', amountFen: 1, paidFen: 0 }],
      cases: [{ id: 'nonpayment-INV-1', kind: 'breach', status: 'escalated', dueAt: null }],
    };
    expect(contractMatters(facts, NOW).map((m) => m.kind)).toEqual(['case_escalated', 'invoice_overdue']);
    expect(contractMatters({ ...facts, status: 'frozen' }, NOW).map((m) => m.kind)).toEqual(['frozen', 'case_escalated', 'invoice_overdue']);
  });

  it('ignores paid and open invoices and closed kinds of cases, and notes a provisional deadline last', () => {
    const facts: RiskFacts = {
      ...base,
      invoices: [
        { number: 'INV-1', status: 'paid', dueAt: '2026-10-01T16:00:00.000Z', amountFen: 1, paidFen: 1 },
        { number: 'INV-2', status: 'open', dueAt: '2027-01-04T16:00:00.000Z', amountFen: 1, paidFen: 0 },
      ],
      cases: [{ id: 'breach-1', kind: 'breach', status: 'served', dueAt: '2026-12-14T16:00:00.000Z' }],
      deadlines: [{ kind: 'payment', dueAt: '2027-01-04T16:00:00.000Z', provisional: true }],
    };
    const matters = contractMatters(facts, NOW);
    expect(matters.map((m) => m.kind)).toEqual(['breach_served', 'provisional_deadline']);
    expect(matters[0]!.zh).toBe('违约通知已送达，纠正期内，期限 2026-12-14 24:00');
  });

  it('warns of a signing period ending within three days', () => {
    const facts: RiskFacts = { ...base, status: 'awaiting_signatures', deadlines: [{ kind: 'signing', dueAt: '2026-12-11T16:00:00.000Z' }] };
    expect(worstMatter(facts, NOW)).toMatchObject({ kind: 'signing_lapsing', severity: 'medium' });
    expect(worstMatter({ ...facts, deadlines: [{ kind: 'signing', dueAt: '2026-12-20T16:00:00.000Z' }] }, NOW)).toBeNull();
  });
});
