/**
 * The published list of events the system emits (every audited change), as
 * webhooks deliver them: subscriptions name these types, a family (`invoice.*`)
 * or `*`, and nothing else. Each entry says what happened and shows the
 * `data`, `before` and `after` a delivery carries, with example values;
 * docs/webhooks.md is generated from this list (scripts/webhook-events-doc.ts)
 * and a test compares real deliveries with it.
 *
 * Every delivery body (Standard Webhooks payload, db/audit.ts builds it):
 * `{ id, type, timestamp, contractId, contractNumber, actor, requestId, data, before, after }`.
 */

export type WebhookEventSpec = {
  type: string;
  /** one sentence: what happened */
  summary: string;
  /** whether the event belongs to a contract (`contractId`, `contractNumber` set) */
  contract: boolean;
  /** example `data` (every key a delivery of this type carries) */
  data: Record<string, unknown>;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** who acts: a user (role) or the system */
  actor?: { id: string; role: string };
};

const SYSTEM = (id: string) => ({ id: `system:${id}`, role: 'system' });
const CASE_ID = 'BR-5b0e4f7c-2a51-4c86-9d0e-6f1d3c2b9a10';
const OUTAGE_ID = 'OU-0c4a7d3e-91f2-4b6e-8a55-2e7f9c1d4b33';
const INVOICE = 'INV-SMS-2026-000042-T1';
const caseData = (event: string, extra: Record<string, unknown> = {}, due: { dueAt: string | null; dueKind: string | null } = { dueAt: '2026-12-25T16:00:00.000Z', dueKind: 'cure' }) => ({
  caseId: CASE_ID,
  caseKind: 'breach',
  event,
  at: '2026-12-15T02:30:00.000Z',
  status: 'open',
  ...due,
  ...extra,
});
const outageCaseData = (event: string, extra: Record<string, unknown> = {}) => ({
  caseId: 'OC-3e1b…',
  caseKind: 'outage',
  event,
  at: '2026-12-15T02:30:00.000Z',
  status: 'pending',
  dueAt: '2026-12-16T01:10:00.000Z',
  dueKind: 'outage_notice',
  outageId: OUTAGE_ID,
  ...extra,
});
const outageData = { outageId: OUTAGE_ID, cases: 3 };
const importSource = { file: 'contracts-2026.csv', line: 12, externalRef: 'PAPER-2024-0117' };

/** Keeps the type of each entry literal, so the list is also the union of event types. */
const event = <const T extends string>(spec: WebhookEventSpec & { type: T }): WebhookEventSpec & { type: T } => spec;

export const WEBHOOK_EVENTS = [
  // contracts
  event({ type: 'contract.created', summary: 'A contract was created and awaits both signatures.', contract: true, data: { title: '智慧信息（企信版）产品服务合同', partyA: '内蒙古自治区地震局', partyACreditCode: '111500000000000007', yearlyFeeFen: 99900, totalFen: 299700, years: 3 }, before: null, after: { status: 'awaiting_signatures', number: 'SMS-2026-000042' }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'contract.signed_by_party', summary: 'One party signed the contract.', contract: true, data: { party: 'A', signer: '张示例', title: '授权代表', signedAt: '2026-12-01T02:00:00.000Z' }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'contract.activated', summary: 'The second signature put the contract in force: its term runs from effectiveAt to termEndsAt (24:00 Asia/Shanghai).', contract: true, data: { effectiveAt: '2026-12-01T02:00:00.000Z', termEndsAt: '2029-11-30T16:00:00.000Z' }, before: { status: 'awaiting_signatures' }, after: { status: 'active', effectiveAt: '2026-12-01T02:00:00.000Z', termEndsAt: '2029-11-30T16:00:00.000Z' }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'contract.delivery_confirmed', summary: 'Party A confirmed the delivery form (业务受理单, Art.3 §3): signed and sealed, or a scan of it; onTime false when it came after the confirmation deadline (sales had the work item).', contract: true, data: { formDocumentId: '3f0c2a8e-…:delivery_confirmation:1', signer: '张示例', title: '办公室主任', sealed: true, confirmedAt: '2026-12-04T02:00:00.000Z', scanDocumentId: null, deliveredAt: '2026-12-01T02:00:00.000Z', dueAt: '2026-12-11T16:00:00.000Z', onTime: true }, before: { status: 'awaiting_confirmation' }, after: { status: 'confirmed', onTime: true }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'contract.lapsed', summary: 'The signing period ended without both signatures.', contract: true, data: { reason: 'signing period ended without both signatures' }, before: { status: 'awaiting_signatures' }, after: { status: 'lapsed' }, actor: SYSTEM('lifecycle') }),
  event({ type: 'contract.expired', summary: 'The term ended after a renewal objection: the contract is no longer in force.', contract: true, data: { reason: 'term ended after a renewal objection' }, before: { status: 'active' }, after: { status: 'expired' }, actor: SYSTEM('lifecycle') }),
  event({ type: 'contract.frozen', summary: 'A confirmed content violation froze the account for good.', contract: true, data: { reason: 'violation VI-… confirmed' }, before: { status: 'active' }, after: { status: 'frozen' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'contract.renewed', summary: 'The term was renewed by a year (no objection); the renewal invoice follows as invoice.issued.', contract: true, data: { renewal: 1, invoice: 'INV-SMS-2026-000042-R1', termEndsAt: '2030-11-30T16:00:00.000Z' }, before: { termEndsAt: '2029-11-30T16:00:00.000Z' }, after: { termEndsAt: '2030-11-30T16:00:00.000Z' }, actor: SYSTEM('lifecycle') }),
  event({ type: 'contract.terminated', summary: 'The contract was terminated on effectiveAt; every open deadline is cancelled.', contract: true, data: { reason: '协商一致解除', effectiveAt: '2027-03-31T16:00:00.000Z' }, before: { status: 'active' }, after: { status: 'terminated' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'contract.freeze_requested', summary: 'A confirmed violation asked the lifecycle to freeze the account.', contract: true, data: caseData('freeze_requested', { caseKind: 'violation', caseId: 'VI-…', status: 'confirmed', reason: '违规内容经核实' }, { dueAt: null, dueKind: null }), before: { caseId: 'VI-…', status: 'confirmed' }, after: { caseId: 'VI-…', status: 'confirmed' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'contract.organisation_frozen', summary: "Another contract of the same organisation (Party A's credit code, or its exact name where a contract carries no code) was frozen for a content violation: this contract keeps its status, but no message is sent under it any more (submissions refused with ORGANISATION_FROZEN, queued messages cancelled).", contract: true, data: { caseId: 'VI-…', frozenContractId: '3f0c2a8e-…', frozenContractNumber: 'SMS-2026-000041', matchedBy: 'credit_code', status: 'active' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'contract.freeze_not_delivered', summary: 'The freeze request could not reach the lifecycle (it had already ended).', contract: true, data: caseData('freeze_not_delivered', { caseKind: 'violation', caseId: 'VI-…', status: 'confirmed', reason: '违规内容经核实' }, { dueAt: null, dueKind: null }), before: { caseId: 'VI-…', status: 'confirmed' }, after: { caseId: 'VI-…', status: 'confirmed' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'contract.suspended', summary: 'Party B suspended the service pending rectification (Art.4 §9): every submission is refused until the rectification is confirmed.', contract: true, data: { caseId: 'SU-…', source: 'authority_notice', reason: '主管部门通知：发送内容涉嫌违规营销', rectificationDays: 10, rectificationDueAt: '2026-12-25T16:00:00.000Z' }, before: { suspended: false }, after: { suspended: true, caseId: 'SU-…' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'contract.resumed', summary: 'The rectification was confirmed: the suspension ends and the service resumes.', contract: true, data: caseData('rectified', { caseKind: 'suspension', caseId: 'SU-…', status: 'rectified', note: '已删除违规内容并完善审核制度' }, { dueAt: null, dueKind: null }), before: { caseId: 'SU-…', status: 'suspended' }, after: { caseId: 'SU-…', status: 'rectified' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'contract.party_a_credit_code_set', summary: "An admin set Party A's unified social credit code on a contract stored without one.", contract: true, data: { partyA: '内蒙古自治区地震局' }, before: { partyACreditCode: null }, after: { partyACreditCode: '111500000000000007' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'contract.imported', summary: 'A contract signed on paper was brought in by a contract import.', contract: true, data: { import: importSource }, before: null, after: { status: 'active', number: 'SMS-2026-000042', effectiveAt: '2024-05-14T02:00:00.000Z', termEndsAt: '2027-05-14T16:00:00.000Z', renewals: 0 }, actor: { id: 'u-admin', role: 'admin' } }),
  event({ type: 'signature.imported', summary: 'A paper signature recorded by a contract import.', contract: true, data: { import: importSource }, before: null, after: { party: 'A', signer: '张示例', signedAt: '2024-05-14T02:00:00.000Z' }, actor: { id: 'u-admin', role: 'admin' } }),

  // supplemental agreements and renewals
  event({ type: 'amendment.proposed', summary: 'A supplemental agreement was proposed.', contract: true, data: { amendment: 1, changes: { smsPerYear: 20000 } }, before: { status: 'none', signatures: 0 }, after: { status: 'proposed', signatures: 0 }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'amendment.signed_by_party', summary: 'One party signed a supplemental agreement.', contract: true, data: { amendment: 1, changes: { smsPerYear: 20000 } }, before: { status: 'proposed', signatures: 0 }, after: { status: 'proposed', signatures: 1 }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'amendment.signed', summary: 'Both parties signed a supplemental agreement: it applies from now on.', contract: true, data: { amendment: 1, changes: { smsPerYear: 20000 } }, before: { status: 'proposed', signatures: 1 }, after: { status: 'signed', signatures: 2 }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'renewal.objected', summary: 'A party objected to the automatic renewal: the contract expires at termEndsAt.', contract: true, data: { party: 'A', reason: '不再续约', termEndsAt: '2029-11-30T16:00:00.000Z' }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'renewal.imported', summary: 'A past renewal recorded by a contract import.', contract: true, data: { import: importSource }, before: null, after: { seq: 1, previousEndAt: '2027-05-14T16:00:00.000Z', newEndAt: '2028-05-14T16:00:00.000Z' }, actor: { id: 'u-admin', role: 'admin' } }),
  event({ type: 'renewal.objection_imported', summary: 'A renewal objection recorded by a contract import.', contract: true, data: { import: importSource }, before: null, after: { party: 'A', at: '2027-03-01T02:00:00.000Z', termEndsAt: '2027-05-14T16:00:00.000Z' }, actor: { id: 'u-admin', role: 'admin' } }),

  // money
  event({ type: 'invoice.issued', summary: 'An invoice was issued: its number, amount (fen, CNY) and due moment.', contract: true, data: { invoice: INVOICE, kind: 'initial_term', period: '首期（3年）', amountFen: 299700, currency: 'CNY', vatRatePercent: 0, invoiceType: 'vat_special', dueAt: '2026-12-31T16:00:00.000Z', dueExplanation: '自签署次日起算30日…' }, before: null, after: { number: INVOICE, amountFen: 299700, dueAt: '2026-12-31T16:00:00.000Z', status: 'open' }, actor: SYSTEM('billing') }),
  event({ type: 'invoice.overdue', summary: 'An invoice was not paid in full by its due moment.', contract: true, data: { invoice: INVOICE, amountFen: 299700, paidFen: 100000, outstandingFen: 199700, currency: 'CNY', dueAt: '2026-12-31T16:00:00.000Z' }, before: { status: 'partially_paid' }, after: { status: 'overdue' }, actor: SYSTEM('billing') }),
  event({ type: 'invoice.imported', summary: 'An invoice recorded by a contract import.', contract: true, data: { import: importSource }, before: null, after: { number: 'INV-SMS-2026-000042-T1', period: 'T1', amountFen: 299700, dueAt: '2024-06-13T16:00:00.000Z', status: 'paid' }, actor: { id: 'u-admin', role: 'admin' } }),
  event({ type: 'payment.recorded', summary: 'A payment was recorded against an invoice; outstandingFen is what is still owed.', contract: true, data: { invoice: INVOICE, reference: 'BANK-0001', amountFen: 100000, method: 'bank_transfer', paidAt: '2026-12-10T02:00:00.000Z', outstandingFen: 199700, invoiceStatus: 'partially_paid', currency: 'CNY' }, before: { status: 'open', paidFen: 0 }, after: { status: 'partially_paid', paidFen: 100000 }, actor: { id: 'u-finance-1', role: 'finance' } }),
  event({ type: 'payment.imported', summary: 'A past payment recorded by a contract import.', contract: true, data: { import: importSource }, before: null, after: { invoice: 'INV-SMS-2026-000042-T1', amountFen: 299700, paidAt: '2024-06-01T02:00:00.000Z', reference: 'BANK-2024-77', method: 'bank_transfer' }, actor: { id: 'u-admin', role: 'admin' } }),
  event({ type: 'top_up.requested', summary: "A top-up was ordered, priced by the contract's price list (Art.3 §5; priceOverride: finance's other price and its reason, else null); its invoice follows as invoice.issued, the quota as quota.granted once paid.", contract: true, data: { seq: 1, sms: 12666, priceFen: 99900, invoice: 'INV-SMS-2026-000042-TU1', package: 'sms-12666', listPriceFen: 99900, priceSource: 'terms', priceExplanation: '年度短信包（12,666 条）：12666 条，999.00 元', priceOverride: null }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'quota.granted', summary: "A paid top-up raised the contract year's SMS quota.", contract: true, data: { invoice: 'INV-SMS-2026-000042-TU1', contractYear: 1, sms: 1000 }, actor: SYSTEM('billing') }),
  event({ type: 'quota.usage_imported', summary: "The year's SMS usage recorded by a contract import.", contract: true, data: { import: importSource }, before: null, after: { contractYear: 3, used: 5120 }, actor: { id: 'u-admin', role: 'admin' } }),
  event({ type: 'package.forfeited', summary: 'A confirmed violation forfeited the remaining SMS package.', contract: true, data: { caseId: 'VI-…', contractYear: 1 }, after: { yearQuotaSms: 11000, laterYears: 2, laterYearsSms: 25332 }, actor: { id: 'u-legal-1', role: 'legal' } }),

  // legal cases: every case event carries the case id, its kind (caseKind) and status, and the case's deadline after the event (dueAt, null when none)
  event({ type: 'case.opened', summary: 'A case was opened (breach notice, outage, violation report, force majeure) with its first deadline.', contract: true, data: { caseId: CASE_ID, caseKind: 'breach', status: 'open', dueAt: '2026-12-25T16:00:00.000Z', dueKind: 'cure', clause: '第三条第5款', workflowId: `breach-${CASE_ID}` }, after: { caseId: CASE_ID, kind: 'breach', status: 'open', dueAt: '2026-12-25T16:00:00.000Z' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.cured', summary: 'The breach was cured (in writing, or by the payment it was about).', contract: true, data: caseData('cured', { status: 'cured', documentId: 'doc-…' }, { dueAt: null, dueKind: null }), before: { caseId: CASE_ID, status: 'open' }, after: { caseId: CASE_ID, status: 'cured' }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'case.objected', summary: 'The breaching party objected: negotiation runs until dueAt.', contract: true, data: caseData('objected', { status: 'negotiating', negotiationDueAt: '2027-01-14T16:00:00.000Z' }, { dueAt: '2027-01-14T16:00:00.000Z', dueKind: 'negotiation' }), before: { caseId: CASE_ID, status: 'open' }, after: { caseId: CASE_ID, status: 'negotiating' }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'case.withdrawn', summary: 'The serving party withdrew the breach notice.', contract: true, data: caseData('withdrawn', { status: 'withdrawn', reason: '误发' }, { dueAt: null, dueKind: null }), before: { caseId: CASE_ID, status: 'open' }, after: { caseId: CASE_ID, status: 'withdrawn' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.settled', summary: 'The parties settled the case.', contract: true, data: caseData('settled', { status: 'settled', summary: '双方达成和解' }, { dueAt: null, dueKind: null }), before: { caseId: CASE_ID, status: 'negotiating' }, after: { caseId: CASE_ID, status: 'settled' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.escalated', summary: 'The cure or negotiation period ended: the case is escalated (the serving party may sue at the agreed venue).', contract: true, data: caseData('escalated', { status: 'escalated', reason: 'cure_period_lapsed', breachingParty: 'A', venue: '乙方所在地人民法院' }, { dueAt: null, dueKind: null }), before: { caseId: CASE_ID, status: 'open' }, after: { caseId: CASE_ID, status: 'escalated' }, actor: SYSTEM('legal') }),
  event({ type: 'case.deadline_moved', summary: "A case's deadline moved (a holiday notice recounted it).", contract: true, data: caseData('deadline_moved', { kind: 'cure', fromDueAt: '2026-12-25T16:00:00.000Z', toDueAt: '2026-12-28T16:00:00.000Z', notice: '国务院办公厅关于2027年部分节假日安排的通知' }, { dueAt: '2026-12-28T16:00:00.000Z', dueKind: 'cure' }), before: { caseId: CASE_ID, status: 'open' }, after: { caseId: CASE_ID, status: 'open' }, actor: SYSTEM('legal') }),
  event({ type: 'case.proof_filed', summary: 'Force-majeure proof was filed in time.', contract: true, data: caseData('proof_filed', { caseKind: 'force_majeure', caseId: 'FM-…', status: 'proof_filed', documentId: 'doc-…' }, { dueAt: null, dueKind: null }), before: { caseId: 'FM-…', status: 'awaiting_proof' }, after: { caseId: 'FM-…', status: 'proof_filed' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.proof_filed_late', summary: 'Force-majeure proof was filed after its deadline.', contract: true, data: caseData('proof_filed_late', { caseKind: 'force_majeure', caseId: 'FM-…', status: 'proof_filed', documentId: 'doc-…' }, { dueAt: null, dueKind: null }), before: { caseId: 'FM-…', status: 'proof_overdue' }, after: { caseId: 'FM-…', status: 'proof_filed' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.proof_missing', summary: 'No force-majeure proof by its deadline.', contract: true, data: caseData('proof_missing', { caseKind: 'force_majeure', caseId: 'FM-…', status: 'proof_overdue' }, { dueAt: null, dueKind: null }), before: { caseId: 'FM-…', status: 'awaiting_proof' }, after: { caseId: 'FM-…', status: 'proof_overdue' }, actor: SYSTEM('legal') }),
  event({ type: 'case.rectification_lapsed', summary: "A suspension's rectification period ended without a confirmed rectification: the service stays suspended and legal decides to terminate or extend.", contract: true, data: caseData('rectification_lapsed', { caseKind: 'suspension', caseId: 'SU-…', status: 'lapsed' }, { dueAt: null, dueKind: null }), before: { caseId: 'SU-…', status: 'suspended' }, after: { caseId: 'SU-…', status: 'lapsed' }, actor: SYSTEM('legal') }),
  event({ type: 'case.suspension_extended', summary: "A lapsed suspension's rectification period was extended by another period (the service stays suspended).", contract: true, data: caseData('suspension_extended', { caseKind: 'suspension', caseId: 'SU-…', status: 'suspended', days: 5, reason: '甲方已提交整改方案，给予补充整改期' }, { dueAt: '2027-01-04T16:00:00.000Z', dueKind: 'rectification' }), before: { caseId: 'SU-…', status: 'lapsed' }, after: { caseId: 'SU-…', status: 'suspended' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.violation_confirmed', summary: 'A content violation was confirmed: the account freezes and the package is forfeited.', contract: true, data: caseData('confirmed', { caseKind: 'violation', caseId: 'VI-…', status: 'confirmed', forfeiture: { contractYear: 1, yearQuotaSms: 11000 }, frozen: 'permanent' }, { dueAt: null, dueKind: null }), before: { caseId: 'VI-…', status: 'reported' }, after: { caseId: 'VI-…', status: 'confirmed' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.violation_dismissed', summary: 'A reported violation was dismissed.', contract: true, data: caseData('dismissed', { caseKind: 'violation', caseId: 'VI-…', status: 'dismissed', reason: '经核实不构成违规' }, { dueAt: null, dueKind: null }), before: { caseId: 'VI-…', status: 'reported' }, after: { caseId: 'VI-…', status: 'dismissed' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.outage_held', summary: "An outage's customer notice was held for review (this customer's case).", contract: true, data: outageCaseData('held', { status: 'held' }), before: { caseId: 'OC-3e1b…', status: 'pending' }, after: { caseId: 'OC-3e1b…', status: 'held' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'case.outage_released', summary: "A held outage notice was released (this customer's case).", contract: true, data: outageCaseData('released'), before: { caseId: 'OC-3e1b…', status: 'held' }, after: { caseId: 'OC-3e1b…', status: 'held' }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'case.outage_unsent_alert', summary: 'An outage notice is still unsent 20 hours after the outage became known.', contract: true, data: outageCaseData('unsent_alert'), before: { caseId: 'OC-3e1b…', status: 'pending' }, after: { caseId: 'OC-3e1b…', status: 'pending' }, actor: SYSTEM('legal') }),
  event({ type: 'case.outage_late', summary: "An outage notice was not sent within 24 hours: Party B's breach.", contract: true, data: outageCaseData('late', { status: 'late', dueAt: null, dueKind: null }), before: { caseId: 'OC-3e1b…', status: 'pending' }, after: { caseId: 'OC-3e1b…', status: 'late' }, actor: SYSTEM('legal') }),
  event({ type: 'case.outage_notified', summary: 'The customer was notified of the outage (on time or late).', contract: true, data: outageCaseData('notified', { status: 'notified', dueAt: null, dueKind: null, documentId: 'doc-…' }), before: { caseId: 'OC-3e1b…', status: 'pending' }, after: { caseId: 'OC-3e1b…', status: 'notified' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'case.outage_restored', summary: 'The customer was sent the restoration notice.', contract: true, data: outageCaseData('restored', { status: 'restored', dueAt: null, dueKind: null, documentId: 'doc-…' }), before: { caseId: 'OC-3e1b…', status: 'notified' }, after: { caseId: 'OC-3e1b…', status: 'restored' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'outage.held', summary: "An outage's notices were held for review.", contract: false, data: outageData, before: { outageId: OUTAGE_ID, status: 'pending' }, after: { outageId: OUTAGE_ID, status: 'held', heldBy: 'u-ops-1', heldAt: '2026-12-15T02:30:00.000Z', holdReason: '待法务审核通知措辞' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'outage.released', summary: "An outage's held notices were released.", contract: false, data: outageData, before: { outageId: OUTAGE_ID, status: 'held' }, after: { outageId: OUTAGE_ID }, actor: { id: 'u-legal-1', role: 'legal' } }),
  event({ type: 'outage.unsent_alert', summary: "An outage's notices are still unsent 20 hours after it became known.", contract: false, data: outageData, before: { outageId: OUTAGE_ID, status: 'pending' }, after: { outageId: OUTAGE_ID, alertedAt: '2026-12-15T22:10:00.000Z' }, actor: SYSTEM('legal') }),
  event({ type: 'outage.late', summary: "An outage's notices missed the 24-hour limit.", contract: false, data: outageData, before: { outageId: OUTAGE_ID, status: 'pending' }, after: { outageId: OUTAGE_ID, status: 'late', lateAt: '2026-12-16T02:10:00.000Z' }, actor: SYSTEM('legal') }),
  event({ type: 'outage.notified', summary: "An outage's customers were notified in time.", contract: false, data: outageData, before: { outageId: OUTAGE_ID, status: 'pending' }, after: { outageId: OUTAGE_ID, status: 'notified', notifiedAt: '2026-12-15T03:00:00.000Z', notifiedBy: 'u-ops-1' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'outage.notified_late', summary: "An outage's customers were notified after the 24-hour limit.", contract: false, data: outageData, before: { outageId: OUTAGE_ID, status: 'late' }, after: { outageId: OUTAGE_ID, status: 'notified_late', notifiedAt: '2026-12-16T05:00:00.000Z', notifiedBy: 'u-ops-1' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'outage.restored', summary: 'An outage ended: service restored.', contract: false, data: outageData, before: { outageId: OUTAGE_ID, status: 'notified' }, after: { outageId: OUTAGE_ID, status: 'restored', restoredAt: '2026-12-15T09:00:00.000Z' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'document.filed', summary: 'A written document (cure confirmation, objection, proof) was filed with a case, or a scan of the signed delivery form with its confirmation (caseId null, purpose delivery_confirmation).', contract: true, data: { caseId: CASE_ID, source: 'pdf_upload' }, after: { documentId: 'doc-…', kind: 'cure_confirmation', sha256: '9f86d0…', sizeBytes: 48213 }, actor: { id: 'u-customer-1', role: 'customer' } }),

  // the work queue (domain/work-items.ts): a person's acts on an item (items close themselves when their cause is resolved, unaudited beyond that cause's own event)
  event({ type: 'work_item.acknowledged', summary: 'A person acknowledged a work item of their inbox (addressed to them or their role); contractId is the contract it is about, or null (an outage).', contract: true, data: { itemId: 42, kind: 'delivery_unconfirmed', role: null, userId: 'u-sales-1', caseId: null, outageId: null, invoiceNumber: null }, before: { itemId: 42, state: 'open' }, after: { itemId: 42, state: 'acknowledged' }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'work_item.closed', summary: 'A person closed a work item of their inbox (done by hand; an item whose cause is resolved closes itself).', contract: true, data: { itemId: 43, kind: 'violation_review', role: 'legal', userId: null, caseId: CASE_ID, outageId: null, invoiceNumber: null }, before: { itemId: 43, state: 'acknowledged' }, after: { itemId: 43, state: 'done' }, actor: { id: 'u-legal-1', role: 'legal' } }),

  // the legal calendar
  event({ type: 'deadline.moved', summary: 'A holiday notice moved an open deadline (from before.dueAt to after.dueAt).', contract: true, data: { deadlineId: 'payment-INV-SMS-2026-000042-T1:payment:INV-SMS-2026-000042-T1', kind: 'payment', year: 2027, revision: 1, notice: '国务院办公厅关于2027年部分节假日安排的通知', fromDueAt: '2027-01-31T16:00:00.000Z', toDueAt: '2027-02-03T16:00:00.000Z' }, before: { dueAt: '2027-01-31T16:00:00.000Z' }, after: { dueAt: '2027-02-03T16:00:00.000Z' }, actor: SYSTEM('calendar') }),
  event({ type: 'calendar.year_entered', summary: "A State Council holiday notice was entered for a year (open deadlines are recounted; moves follow as deadline.moved).", contract: false, data: { year: 2027 }, before: null, after: { revision: 1, source: { title: '国务院办公厅关于2027年部分节假日安排的通知', publishedAt: '2026-11-10' }, days: 34 }, actor: { id: 'u-legal-1', role: 'legal' } }),

  // SMS
  event({ type: 'sms.submitted', summary: 'A batch of SMS was accepted for sending under the contract.', contract: true, data: { category: 'notification', recipients: 120, partsPerMessage: 1, rejected: 0, suppressed: 2 }, after: { submissionId: 'sub-…', accepted: 118, debitedParts: 118 }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'sms.cancelled', summary: 'Messages of a submission were cancelled before sending (by the customer, or because the account froze).', contract: true, data: { submissionId: 'sub-…', messages: 40, reason: 'cancelled_by_customer' }, actor: { id: 'u-customer-1', role: 'system' } }),
  event({ type: 'sms.opted_out', summary: 'A recipient opted out by replying (TD, 退订, STOP…): number is the opted-out mobile (E.164); the customer must not message it again.', contract: true, data: { number: '+8613800000001', customer: '内蒙古自治区地震局', source: 'mo_reply', inboundId: '5d41402abc4b2a76b9719d911017c592', matched: 'TD', routedBy: 'sender' }, actor: SYSTEM('sms') }),
  event({ type: 'sms_signature.applied', summary: "A customer operator applied for the contract's bound signature with its supporting document (a PDF among the contract's documents); operations review it by reviewDueAt (working days, the appendix).", contract: true, data: { signatureId: 'SG-…', text: '【内蒙古自治区地震局】', documentId: '3f0c2a8e-…:sms_signature_proof:SG-…', documentSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', reviewDueAt: '2026-12-08T16:00:00.000Z' }, before: null, after: { id: 'SG-…', status: 'applied' }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'sms_signature.reviewed', summary: 'Operations approved or rejected a signature application (reason given for a rejection; onTime false when decided after reviewDueAt).', contract: true, data: { signatureId: 'SG-…', text: '【内蒙古自治区地震局】', decision: 'approve', reason: null, reviewDueAt: '2026-12-08T16:00:00.000Z', onTime: true }, before: { id: 'SG-…', status: 'applied' }, after: { id: 'SG-…', status: 'approved' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'sms_template.applied', summary: 'A customer operator applied for an SMS template (content with ${name} variables), linted with the message rules; operations review it by reviewDueAt.', contract: true, data: { templateId: 'TP-…', name: '地震速报', category: 'notification', content: '地震速报：${place}发生${magnitude}级地震，请注意防范。', variables: ['place', 'magnitude'], reviewDueAt: '2026-12-08T16:00:00.000Z' }, before: null, after: { id: 'TP-…', status: 'applied' }, actor: { id: 'u-customer-1', role: 'customer' } }),
  event({ type: 'sms_template.reviewed', summary: 'Operations approved or rejected a template application: only an approved template sends (reason given for a rejection; onTime false when decided after reviewDueAt).', contract: true, data: { templateId: 'TP-…', name: '地震速报', category: 'notification', decision: 'reject', reason: '含有营销内容，请按通知类改写', reviewDueAt: '2026-12-08T16:00:00.000Z', onTime: true }, before: { id: 'TP-…', status: 'applied' }, after: { id: 'TP-…', status: 'rejected' }, actor: { id: 'u-ops-1', role: 'operations' } }),
  event({ type: 'sms.opt_outs_recorded', summary: "Complaints or opt-outs were entered by hand: numbers are the mobiles newly added to the customer's suppression list (E.164).", contract: true, data: { numbers: ['+8613800000002'], customer: '内蒙古自治区地震局', reason: 'complaint', added: 1, already: 0, invalid: 0 }, actor: { id: 'u-ops-1', role: 'operations' } }),

  // access
  event({ type: 'user.created', summary: 'A user was created.', contract: false, data: {}, after: { id: 'u-…', name: '王法务', role: 'legal', organisation: null, organisationCreditCode: null, username: 'wang.legal', hasPassword: true }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'user.organisation_code_set', summary: "A customer operator was bound to their organisation's unified social credit code.", contract: false, data: { userId: 'u-…' }, before: { organisation: '内蒙古自治区地震局', organisationCreditCode: null }, after: { organisation: '内蒙古自治区地震局', organisationCreditCode: '111500000000000007' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'user.team_lead_set', summary: "A sales user's team lead was set or cleared (null): the lead reads and acts on the user's contracts as on their own.", contract: false, data: { userId: 'u-…' }, before: { teamLeadId: null }, after: { teamLeadId: 'u-sales-lead' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'user.contact_set', summary: "A staff member's e-mail address or mobile number, where their work items and digest are sent, was set or cleared (shown masked).", contract: false, data: { userId: 'u-…' }, before: { email: null, phone: null }, after: { email: 'w***@example.com', phone: '+86138****0001' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'user.role_set', summary: "A staff member's role was changed by an admin.", contract: false, data: { userId: 'u-…' }, before: { role: 'sales' }, after: { role: 'legal' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'user.password_set', summary: "A user's sign-in password was set: by an admin (a reset, every session of theirs ended) or by the user (their other sessions ended); never the password or its hash.", contract: false, data: { userId: 'u-…', username: 'wang.legal', by: 'admin', sessionsEnded: 2 }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'user.deactivated', summary: 'A user was deactivated: every token of theirs stopped working, every session of theirs ended.', contract: false, data: { userId: 'u-…', reason: '离职' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'token.issued', summary: 'An API token was issued (its id, never the secret).', contract: false, data: { tokenId: 'tok_3a7bd3e2360a3d29eea4', userId: 'u-…', expiresAt: '2027-03-15T02:30:00.000Z' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'token.revoked', summary: 'An API token was revoked.', contract: false, data: { tokenId: 'tok_3a7bd3e2360a3d29eea4', userId: 'u-…' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'calendar_feed.issued', summary: "A user's calendar subscription URL was issued (replacing any earlier one).", contract: false, data: { userId: 'u-…', replaced: false }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'calendar_feed.revoked', summary: "A user's calendar subscription URL was revoked.", contract: false, data: { userId: 'u-…' }, actor: { id: 'u-sales-1', role: 'sales' } }),
  event({ type: 'webhook.created', summary: 'A webhook subscription was created (never its secret).', contract: false, data: {}, after: { id: 'wh_…', url: 'https://erp.example.com/hooks/sms', events: ['invoice.*', 'sms.opted_out'], description: 'ERP', active: true, createdBy: 'admin', createdAt: '2026-12-01T02:00:00.000Z' }, actor: { id: 'admin', role: 'admin' } }),
  event({ type: 'webhook.disabled', summary: 'A subscription was disabled because its endpoint answered 410 Gone (Standard Webhooks).', contract: false, data: { subscriptionId: 'wh_…', url: 'https://erp.example.com/hooks/sms', statusCode: 410 }, before: { active: true }, after: { active: false }, actor: SYSTEM('webhooks') }),
] as const;

/** Every audited change the system records (and publishes): the audit log's `type` is one of these. */
export type AuditEventType = (typeof WEBHOOK_EVENTS)[number]['type'];

export const WEBHOOK_EVENT_TYPES: readonly AuditEventType[] = WEBHOOK_EVENTS.map((e) => e.type);

/** `contract`, `invoice`, …: the part before the first dot of every published type */
export const WEBHOOK_EVENT_FAMILIES: readonly string[] = [...new Set(WEBHOOK_EVENT_TYPES.map((t) => t.split('.')[0]!))];

const KNOWN = new Set<string>(WEBHOOK_EVENT_TYPES);
const FAMILIES = new Set(WEBHOOK_EVENT_FAMILIES);

/** Whether a subscription pattern names something the system emits: a published type, `family.*` of a published family, or `*`. */
export function isKnownEventPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return FAMILIES.has(pattern.slice(0, -2));
  return KNOWN.has(pattern);
}

export const findWebhookEvent = (type: string): WebhookEventSpec | undefined => WEBHOOK_EVENTS.find((e) => e.type === type);

/** A whole example delivery body for the type, as db/audit.ts builds it. */
export function exampleDelivery(spec: WebhookEventSpec): Record<string, unknown> {
  return {
    id: 'evt_1042',
    type: spec.type,
    timestamp: '2026-12-15T02:30:00.000Z',
    contractId: spec.contract ? '3f0c2a8e-6a43-4d4b-9b7e-1f2d3c4b5a69' : null,
    contractNumber: spec.contract ? 'SMS-2026-000042' : null,
    actor: spec.actor ?? { id: 'system:lifecycle', role: 'system' },
    requestId: spec.actor && spec.actor.role !== 'system' ? '7c9e6679-7425-40de-944b-e07fc1f90ae7' : null,
    data: spec.data,
    before: spec.before ?? null,
    after: spec.after ?? null,
  };
}
