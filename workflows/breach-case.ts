/**
 * A breach case (Art.10): a written notice is served; within the cure period
 * (10 days by the Civil Code count, from service) the notified party cures
 * and confirms in writing, or objects in writing and the parties negotiate
 * for a limited time. Silence, or a negotiation that runs out unsettled,
 * escalates the case: legal and the account owner are alerted, and the case
 * records the breaching party's liability for direct losses and the serving
 * party's route to Party B's local court. The serving party may withdraw.
 *
 * Workflow id: breach-<caseId>. The case row exists before the workflow
 * starts (opened by the API or by billing's non-payment ladder).
 */
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { NoticeSms } from '../domain/sms/notices';
import type { HolidayOverride } from '../domain/calendar';
import type { Actor, DeadlineState } from '../domain/contract';
import { CASE_ACTIONS, contactAudienceOf, escalationRecord, type BreachStatus, type CaseAction, type EscalationRecord, type ServedBreach } from '../domain/legal';
import { actBasis, recountDeadline } from '../domain/periods';
import { otherParty, PARTY_LABELS } from '../domain/terms';
import { acts } from './activity-proxies';
import { caseTransitions, createSerial, invalidState, LEGAL_SYSTEM_ACTOR, recordCaseMoves } from './case-support';
import { DeadlineBook, deadlineFrom } from './deadline-book';
import {
  cureBreachUpdate,
  getBreachCaseQuery,
  objectBreachUpdate,
  settleBreachUpdate,
  withdrawBreachUpdate,
  type BreachCaseView,
  type CureBreachInput,
  type ObjectBreachInput,
  type SettleBreachInput,
  type WithdrawBreachInput,
} from './messages/breach-case';
import { calendarChangedSignal } from './messages/calendar';
import { getDeadlinesQuery } from './messages/deadlines';
import { announceMoves, calendarYearAt, LegalCalendar, recountDeadlines, waitUntilDue } from './calendar';
import { calendarVersion } from './versions';
import { nowIso } from './shared';

export type BreachCaseInput = ServedBreach & {
  contractId: string;
  contractNumber: string;
  /** computed once by whoever served the notice (computeDeadline, 'act', from service) */
  cure: DeadlineState;
  /** the negotiation limit after an objection (terms.legal.negotiationDays unless set on the notice) */
  negotiationDays: number;
  /** Party B's local court (terms.legal.disputeVenue) */
  disputeVenue: string;
  holidayOverrides: HolidayOverride[];
  /** what served it: 'api' or the workflow (e.g. the payment workflow of an unpaid invoice) */
  source: string;
  actor: Actor;
  /** a non-payment case: paying the invoice in full within the cure period cures it */
  invoiceNumber?: string;
};

const DAY_MS = 86_400_000;
const BILLING_ACTOR: Actor = { id: 'system:billing', role: 'system' };

const STATUS_ZH: Record<BreachStatus, string> = {
  served: '已送达，纠正期内',
  negotiating: '协商中',
  escalated: '已升级（诉讼）',
  cured: '已纠正',
  settled: '已和解',
  withdrawn: '已撤回',
};

export async function breachCase(input: BreachCaseInput): Promise<BreachCaseView> {
  // first, before any await: which code this run follows (workflows/versions.ts)
  const version = calendarVersion();
  const workflowId = workflowInfo().workflowId;
  const { caseId, contractId } = input;
  const breaching = otherParty(input.servedBy);
  const book = new DeadlineBook();
  book.put(input.cure);
  const serial = createSerial();
  // runs from before calendar years count with the override snapshot of their input until a notice reaches them
  const legal = new LegalCalendar(null, input.holidayOverrides);
  // the cure period moves when a calendar notice changes a day it was counted over
  let cure = input.cure;
  let status: BreachStatus = 'served';
  let negotiation: DeadlineState | null = null;
  let escalation: EscalationRecord | null = null;
  let noticeDocumentId: string | null = null;

  const view = (): BreachCaseView => ({
    caseId,
    contractId,
    status,
    servedBy: input.servedBy,
    breachingParty: breaching,
    servedAt: input.servedAt,
    cure,
    negotiation,
    escalation,
    noticeDocumentId,
    deadlines: book.open,
  });
  /** The case allows the action (domain/legal.ts CASE_ACTIONS, the API checks the same table). */
  const requireStatus = (action: Extract<CaseAction, 'cure' | 'objection' | 'withdrawal' | 'settlement'>) => {
    const { when, name } = CASE_ACTIONS[action];
    if (!when.includes(status)) {
      throw invalidState(`breach case ${caseId} is ${status} (${STATUS_ZH[status]}): ${name} is possible only while it is ${when.join(' or ')}`);
    }
  };
  const requireWithinCurePeriod = (action: string) => {
    if (Date.now() > Date.parse(cure.dueAt)) {
      throw invalidState(`the cure period of case ${caseId} ended at ${cure.dueAt}: too late for ${action} (${cure.explanationEn})`);
    }
  };
  const sync = () => ({ workflowId, open: book.open, closed: book.drainClosed() });
  const transition = caseTransitions(acts.recordCaseTransition, caseId, serial, sync);
  // `sms`: what a contact person's SMS says (domain/sms/notices.ts); without it the subject and body, cut to size
  const tell = (id: string, audiences: ('party_a_contact' | 'party_b_contact' | 'owner' | 'legal')[], reason: string, subject: string, body: string, sms?: NoticeSms) =>
    acts.notify({ id: `${workflowId}:${id}`, contractId, audiences, reason, subject, body, ...(sms ? { sms } : {}) });
  const head = `合同 ${input.contractNumber} 违约案件 ${caseId}`;

  setHandler(getBreachCaseQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);

  setHandler(
    cureBreachUpdate,
    async (request) => {
      const at = nowIso();
      status = 'cured';
      book.close('cure', caseId, 'met');
      await transition({
        from: ['served'],
        to: 'cured',
        close: true,
        due: null,
        event: { key: 'cured', type: 'cured', at, actor: request.actor, data: { documentId: request.confirmation.documentId, note: request.note ?? null } },
        documents: [{ documentId: request.confirmation.documentId, role: 'cure_confirmation' }],
        data: { cure: { at, by: request.actor.id, documentId: request.confirmation.documentId, sha256: request.confirmation.sha256 } },
        audit: { type: 'case.cured', data: { documentId: request.confirmation.documentId } },
      });
      await tell('cured', [contactAudienceOf(input.servedBy), 'owner', 'legal'], 'breach_cured', `${head}：违约已纠正并书面确认`, `${PARTY_LABELS[breaching]}已于 ${at} 在纠正期限内纠正违约并提交书面确认（${request.confirmation.title}），案件结案。`, { template: 'breach_cured' });
      return view();
    },
    {
      validator: (_request: CureBreachInput) => {
        requireStatus('cure');
        requireWithinCurePeriod('a cure');
      },
    },
  );

  setHandler(
    objectBreachUpdate,
    async (request) => {
      const at = nowIso();
      status = 'negotiating';
      book.close('cure', caseId, 'met');
      const basis = actBasis(at, { unit: 'days', amount: input.negotiationDays }, { zh: '协商解决', en: 'settling by negotiation' }, { zh: '书面异议', en: 'the written objection' });
      const limit = recountDeadline(basis, legal.calendar);
      negotiation = deadlineFrom('negotiation', caseId, limit, basis);
      book.put(negotiation);
      await transition({
        from: ['served'],
        to: 'negotiating',
        due: { kind: 'negotiation', dueAt: limit.dueAt, explanation: limit.explanation },
        event: { key: 'objected', type: 'objected', at, actor: request.actor, data: { reason: request.reason, documentId: request.document?.documentId ?? null, negotiationDueAt: limit.dueAt } },
        documents: request.document ? [{ documentId: request.document.documentId, role: 'objection' }] : [],
        data: { objection: { at, by: request.actor.id, reason: request.reason }, negotiation: { dueAt: limit.dueAt, days: input.negotiationDays } },
        audit: { type: 'case.objected', data: { negotiationDueAt: limit.dueAt } },
      });
      await tell('objected', [contactAudienceOf(input.servedBy), 'owner', 'legal'], 'breach_objected', `${head}：对方提出书面异议，进入协商`, `${PARTY_LABELS[breaching]}于 ${at} 提出书面异议：${request.reason}。协商期限：${limit.explanation}`, { template: 'breach_objected', negotiateUntil: limit.dueAt });
      return view();
    },
    {
      validator: (_request: ObjectBreachInput) => {
        requireStatus('objection');
        requireWithinCurePeriod('an objection');
      },
    },
  );

  setHandler(
    withdrawBreachUpdate,
    async (request) => {
      const at = nowIso();
      const before = status;
      status = 'withdrawn';
      book.closeAll('cancelled');
      await transition({
        from: [before],
        to: 'withdrawn',
        close: true,
        due: null,
        event: { key: 'withdrawn', type: 'withdrawn', at, actor: request.actor, data: { reason: request.reason } },
        data: { withdrawal: { at, by: request.actor.id, reason: request.reason } },
        audit: { type: 'case.withdrawn', data: { reason: request.reason } },
      });
      await tell('withdrawn', [contactAudienceOf(breaching), 'owner', 'legal'], 'breach_withdrawn', `${head}：违约通知已撤回`, `${PARTY_LABELS[input.servedBy]}于 ${at} 撤回违约通知：${request.reason}`, { template: 'breach_withdrawn' });
      return view();
    },
    { validator: (_request: WithdrawBreachInput) => requireStatus('withdrawal') },
  );

  setHandler(
    settleBreachUpdate,
    async (request) => {
      const at = nowIso();
      const before = status;
      status = 'settled';
      book.closeAll('met');
      await transition({
        from: [before],
        to: 'settled',
        close: true,
        due: null,
        event: { key: 'settled', type: 'settled', at, actor: request.actor, data: { summary: request.summary, documentId: request.document?.documentId ?? null } },
        documents: request.document ? [{ documentId: request.document.documentId, role: 'settlement' }] : [],
        data: { settlement: { at, by: request.actor.id, summary: request.summary } },
        audit: { type: 'case.settled', data: { summary: request.summary } },
      });
      await tell('settled', [contactAudienceOf(breaching), contactAudienceOf(input.servedBy), 'owner', 'legal'], 'breach_settled', `${head}：双方已协商解决`, `双方于 ${at} 达成和解：${request.summary}`, { template: 'breach_settled' });
      return view();
    },
    { validator: (_request: SettleBreachInput) => requireStatus('settlement') },
  );

  async function cureByPayment(settlement: { paidAt: string | null; references: string[]; amountFen: number }): Promise<void> {
    const at = nowIso();
    status = 'cured';
    book.close('cure', caseId, 'met');
    const payment = { invoiceNumber: input.invoiceNumber, paidAt: settlement.paidAt, references: settlement.references, amountFen: settlement.amountFen };
    await transition({
      from: ['served'],
      to: 'cured',
      close: true,
      due: null,
      event: { key: 'cured', type: 'cured', at, actor: BILLING_ACTOR, data: { by: 'payment', ...payment } },
      data: { cure: { at, by: BILLING_ACTOR.id, payment } },
      audit: { type: 'case.cured', data: { by: 'payment', invoiceNumber: input.invoiceNumber } },
    });
    await tell('cured', [contactAudienceOf(breaching), 'owner', 'legal'], 'breach_cured', `${head}：欠款已付清，违约已纠正`, `发票 ${input.invoiceNumber} 已于 ${settlement.paidAt} 付清（付款参考号：${settlement.references.join('、')}），在纠正期限内纠正了违约，案件结案。`, { template: 'breach_cured' });
  }

  async function escalate(reason: EscalationRecord['reason']): Promise<void> {
    const at = nowIso();
    const before = status;
    status = 'escalated';
    book.closeAll('lapsed');
    escalation = { ...escalationRecord(breaching, input.servedBy, input.disputeVenue), at, reason };
    const record = escalation;
    await transition({
      from: [before],
      to: 'escalated',
      due: null,
      addFlags: ['escalated_to_litigation'],
      event: { key: 'escalated', type: 'escalated', at, actor: LEGAL_SYSTEM_ACTOR, data: { reason, liability: record.liability, disputeRoute: record.disputeRoute } },
      data: { escalation: record },
      audit: { type: 'case.escalated', data: { reason, breachingParty: breaching, venue: input.disputeVenue } },
    });
    const why = reason === 'cure_period_lapsed' ? `纠正期限届满（${cure.explanation}）未纠正亦未提出书面异议` : `协商期限届满（${negotiation?.explanation ?? ''}）未能协商解决`;
    await tell('escalated', ['legal', 'owner'], 'breach_escalated', `${head}已升级：${why}`, `${why}。${record.liability}${record.disputeRoute}`);
  }

  // a notice that changes a day the cure or negotiation period was counted over moves it (workflows/calendar.ts)
  setHandler(calendarChangedSignal, async (change) => {
    if (status !== 'served' && status !== 'negotiating') return;
    const entered = await legal.refresh(change, book.open, (centreYear) => acts.loadCalendar({ centreYear }));
    if (!entered || (status !== 'served' && status !== 'negotiating')) return;
    const { recounted, moves } = recountDeadlines(book.open, entered.year, legal.calendar);
    if (recounted.length === 0) return;
    for (const deadline of recounted) {
      book.put(deadline);
      if (deadline.kind === 'cure') cure = deadline;
      if (deadline.kind === 'negotiation') negotiation = deadline;
    }
    await recordCaseMoves(transition, { status, entered, moves, at: nowIso() });
    await announceMoves(acts, {
      workflowId,
      contractId,
      change: entered,
      moves,
      audiences: [contactAudienceOf(breaching), 'owner', 'legal'],
      subject: `${head}：期限调整`,
      what: ({ after }) => (after.kind === 'cure' ? '纠正期限' : '协商期限'),
    });
    if (moves.length === 0) await acts.syncDeadlines({ workflowId, contractId, open: book.open, closed: book.drainClosed() });
  });
  if (version.calendarYears) legal.years = await acts.loadCalendar({ centreYear: calendarYearAt(input.servedAt) });

  // The notice: a PDF quoting the clause, the facts, the cure deadline and the dispute route; the other party is told.
  noticeDocumentId = (
    await acts.produceDocument({
      kind: 'breach_notice',
      contractId,
      caseId,
      servedBy: input.servedBy,
      clause: input.clause,
      clauseText: input.clauseText,
      description: input.description,
      evidence: input.evidence,
      servedAt: input.servedAt,
      cureDueAt: input.cure.dueAt,
      cureExplanation: input.cure.explanation,
    })
  ).id;
  await tell(
    'served',
    [contactAudienceOf(breaching), 'owner', 'legal'],
    'breach_notice_served',
    `违约通知书：合同 ${input.contractNumber}（${input.clause}）`,
    `${PARTY_LABELS[input.servedBy]}就合同${input.clause}向${PARTY_LABELS[breaching]}送达违约通知：${input.description} 请在期限内纠正违约并书面确认，或提出书面异议。${input.cure.explanation}`,
    { template: 'breach_served', clause: input.clause, cureDueAt: input.cure.dueAt },
  );

  // handlers change the status while the timers run: read it afresh after each wait
  const current = (): BreachStatus => status;
  const cureDueMs = () => Date.parse(cure.dueAt);
  if (input.invoiceNumber) {
    // a non-payment case: the payment itself is the cure, looked for daily and at the deadline
    while (current() === 'served') {
      const dayEnd = Date.now() + DAY_MS;
      await waitUntilDue(() => current() !== 'served', () => Math.min(dayEnd, cureDueMs()));
      if (current() !== 'served') break;
      const settlement = await acts.findInvoiceSettlement({ invoiceNumber: input.invoiceNumber });
      if (settlement?.paid && current() === 'served') {
        await cureByPayment(settlement);
        break;
      }
      if (Date.now() >= cureDueMs()) break;
    }
  } else {
    await waitUntilDue(() => current() !== 'served', () => cure.dueAt);
  }
  if (current() === 'served') await escalate('cure_period_lapsed');
  if (current() === 'negotiating') {
    await waitUntilDue(() => current() !== 'negotiating', () => negotiation!.dueAt);
    if (current() === 'negotiating') await escalate('negotiation_lapsed');
  }
  // an escalated case stays open for legal until settled out of court or withdrawn
  await condition(() => status === 'cured' || status === 'settled' || status === 'withdrawn');
  await condition(allHandlersFinished);
  return view();
}
