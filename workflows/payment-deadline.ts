/**
 * One invoice's payment deadline (Art.3 §4, §5): issue the invoice and its
 * payment notice, remind before the due date, take payments (partial ones
 * accumulate, a repeated reference counts once, an overpayment is refused),
 * and when the deadline lapses unpaid walk the overdue escalation ladder.
 */
import { allHandlersFinished, CancellationScope, condition, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import { applyPayment, ladderSchedule, paymentBasis, OVERDUE_LADDER, type EscalationRung, type InvoiceKind, type PaymentRecord } from '../domain/billing';
import type { HolidayOverride } from '../domain/calendar';
import { lapsedBeforeKnown, OVERDUE_AT_ENTRY, reminderStillDue, servedAt, supersededAt } from '../domain/catch-up';
import { formatYuan } from '../domain/money';
import { actBasis, recountDeadline, type Deadline, type DeadlineBasis } from '../domain/periods';
import type { InvoiceType } from '../domain/terms';
import { acts } from './activity-proxies';
import { announceMoves, calendarYearAt, LegalCalendar, recountDeadlines, waitUntilDue } from './calendar';
import { DeadlineBook, deadlineFrom } from './deadline-book';
import { calendarChangedSignal } from './messages/calendar';
import { getDeadlinesQuery } from './messages/deadlines';
import { getInvoiceStateQuery, recordPaymentUpdate, type InvoiceState, type RecordPaymentInput } from './messages/payment-deadline';
import { refuse } from './refusals';
import { calendarVersion } from './versions';
import { nowIso, reminderInstants } from './shared';

export type PaymentDeadlineInput = {
  contractId: string;
  contractNumber: string;
  invoiceNumber: string;
  kind: InvoiceKind;
  periodLabel: string;
  amountFen: number;
  vatRatePercent: number;
  invoiceType: InvoiceType;
  /** the moment the payment period starts (signing, renewal, top-up request) */
  trigger: string;
  dueDays: number;
  reminderDaysBefore: number[];
  /** the lifecycle's override snapshot, for runs from before calendar years (newer runs load the calendar themselves) */
  holidayOverrides: HolidayOverride[];
  cureDays: number;
  topUpSms?: number;
  ladder?: EscalationRung[];
  /** when the contract entered the system: a lapse before it is never answered with an automatic breach notice */
  knownSince?: string;
  /** an invoice brought in with an imported contract: its payments so far (already recorded), and nothing of its past is sent */
  imported?: { payments: PaymentRecord[] };
  /** the lifecycle produced the delivery form at activation (Art.3 §3, delivery-confirmation-v1): paying the first invoice does not produce it again */
  deliveryFormAtActivation?: boolean;
};

export async function paymentDeadline(input: PaymentDeadlineInput): Promise<InvoiceState> {
  // first, before any await: which code this run follows (workflows/versions.ts)
  const version = calendarVersion();
  const workflowId = workflowInfo().workflowId;
  const book = new DeadlineBook();
  const payments: PaymentRecord[] = [];
  let status: InvoiceState['status'] = 'open';
  let dueAt: string | null = null;
  const paidFen = () => payments.reduce((sum, p) => sum + p.amountFen, 0);
  const fullyPaid = () => paidFen() >= input.amountFen;
  const view = (): InvoiceState => ({
    invoiceNumber: input.invoiceNumber,
    status,
    amountFen: input.amountFen,
    paidFen: paidFen(),
    outstandingFen: input.amountFen - paidFen(),
    dueAt,
    paidLate: status === 'paid' && dueAt !== null && payments.some((p) => Date.parse(p.paidAt) > Date.parse(dueAt!)),
    payments,
  });

  if (version.catchUp && input.imported) payments.push(...input.imported.payments);

  setHandler(getInvoiceStateQuery, view);
  setHandler(getDeadlinesQuery, () => book.open);
  setHandler(
    recordPaymentUpdate,
    async (request) => {
      const payment: PaymentRecord = {
        reference: request.reference,
        amountFen: request.amountFen,
        paidAt: new Date(request.paidAt).toISOString(),
        method: request.method,
        recordedBy: request.actor.id,
      };
      const result = applyPayment({ amountFen: input.amountFen, payments }, payment);
      if (result.outcome === 'duplicate') return { ...view(), duplicate: true };
      payments.push(payment);
      if (fullyPaid()) status = 'paid';
      await acts.recordPayment({ contractId: input.contractId, invoiceNumber: input.invoiceNumber, payment, actor: request.actor });
      return { ...view(), duplicate: false };
    },
    {
      validator: (request: RecordPaymentInput) => {
        if (Date.parse(request.paidAt) > Date.now() + 60_000) {
          throw refuse('input.in_future', { field: 'paidAt' }, 'paidAt must not be in the future');
        }
        const result = applyPayment(
          { amountFen: input.amountFen, payments },
          { reference: request.reference, amountFen: request.amountFen, paidAt: request.paidAt, method: request.method, recordedBy: request.actor.id },
        );
        if (result.outcome === 'overpayment') {
          throw refuse(
            'payment.overpayment',
            { invoiceNumber: input.invoiceNumber, outstandingFen: result.outstandingFen, givenFen: request.amountFen },
            `overpayment refused: invoice ${input.invoiceNumber} has ${formatYuan(result.outstandingFen)} CNY outstanding, the payment is ${formatYuan(request.amountFen)} CNY`,
          );
        }
      },
    },
  );

  const legal = new LegalCalendar(
    version.calendarYears ? await acts.loadCalendar({ centreYear: calendarYearAt(input.trigger) }) : null,
    input.holidayOverrides,
  );
  const basis: DeadlineBasis = paymentBasis(input.kind, input.trigger, input.dueDays);
  // the due date moves when a calendar notice changes a day it was counted over (until it lapses)
  let due: Deadline = recountDeadline(basis, legal.calendar);
  dueAt = due.dueAt;
  book.put(deadlineFrom('payment', input.invoiceNumber, due, basis));
  const sync = () => acts.syncDeadlines({ workflowId, contractId: input.contractId, open: book.open, closed: book.drainClosed() });

  setHandler(calendarChangedSignal, async (change) => {
    if (status !== 'open') return;
    const entered = await legal.refresh(change, book.open, (centreYear) => acts.loadCalendar({ centreYear }));
    if (!entered || status !== 'open') return;
    const { recounted, moves } = recountDeadlines(book.open, entered.year, legal.calendar);
    if (recounted.length === 0) return;
    due = recountDeadline(basis, legal.calendar);
    dueAt = due.dueAt;
    for (const deadline of recounted) book.put(deadline);
    await sync();
    await announceMoves(acts, {
      workflowId,
      contractId: input.contractId,
      change: entered,
      moves,
      audiences: ['party_a_contact', 'owner'],
      subject: `付款期限调整：${input.invoiceNumber}`,
      what: () => `发票 ${input.invoiceNumber} 的付款期限`,
    });
  });

  try {
    await acts.issueInvoice({
      number: input.invoiceNumber,
      contractId: input.contractId,
      kind: input.kind,
      periodLabel: input.periodLabel,
      amountFen: input.amountFen,
      vatRatePercent: input.vatRatePercent,
      invoiceType: input.invoiceType,
      issuedAt: nowIso(),
      dueAt: due.dueAt,
      dueExplanation: due.explanation,
      topUpSms: input.topUpSms ?? null,
      workflowId,
    });
    await sync();
    await acts.produceDocument({ kind: 'payment_notice', contractId: input.contractId, invoiceNumber: input.invoiceNumber });
    // an imported invoice was delivered on paper; one whose period lapsed before the contract was entered is a person's to chase
    const lapsedEarly = version.catchUp && lapsedBeforeKnown(due.dueAt, input.knownSince);
    if (!(version.catchUp && (input.imported || lapsedEarly))) {
      await acts.notify({
        id: `${workflowId}:notice`,
        contractId: input.contractId,
        audiences: ['party_a_contact', 'owner'],
        reason: 'payment_notice',
        subject: `付款通知：${input.invoiceNumber}`,
        body: `请于 ${due.explanation} 前支付人民币 ${formatYuan(input.amountFen)} 元（${input.periodLabel}）。`,
        sms: { template: 'payment_notice', what: input.kind, amountFen: input.amountFen, dueAt: due.dueAt },
      });
    }

    const reminders = reminderInstants(due.dueAt, input.reminderDaysBefore, Date.now());
    // the reminder keeps its distance to the due date when that moves
    const reminderAt = (r: { daysBefore: number }) => Date.parse(due.dueAt) - r.daysBefore * 86_400_000;
    for (const [i, reminder] of reminders.entries()) {
      if (await waitUntilDue(fullyPaid, () => reminderAt(reminder))) break;
      // woken late (a worker down): only the last reminder missed, and none once the due date has passed
      if (version.catchUp && !reminderStillDue(reminders.map(reminderAt), i, Date.parse(due.dueAt), Date.now())) continue;
      await acts.notify({
        id: `${workflowId}:reminder:${reminder.daysBefore}`,
        contractId: input.contractId,
        audiences: ['party_a_contact', 'owner'],
        reason: 'payment_reminder',
        subject: `付款提醒：距截止还有 ${reminder.daysBefore} 天`,
        body: `发票 ${input.invoiceNumber} 尚欠人民币 ${formatYuan(input.amountFen - paidFen())} 元，截止于 ${due.explanation}`,
        sms: { template: 'payment_reminder', what: input.kind, owedFen: input.amountFen - paidFen(), dueAt: due.dueAt },
      });
    }

    const paidInTime = await waitUntilDue(fullyPaid, () => due.dueAt);
    if (!paidInTime) {
      status = 'overdue';
      book.close('payment', input.invoiceNumber, 'lapsed');
      await acts.markInvoiceOverdue({ contractId: input.contractId, invoiceNumber: input.invoiceNumber, at: due.dueAt });
      await sync();
      let ladder = ladderSchedule(due.dueAt, input.ladder ?? OVERDUE_LADDER);
      if (version.catchUp && lapsedBeforeKnown(due.dueAt, input.knownSince)) {
        // overdue before the contract was in the system: a work item, no breach notice, no burst of past steps
        await acts.notify({
          id: `${workflowId}:${OVERDUE_AT_ENTRY.reason}`,
          contractId: input.contractId,
          audiences: [...OVERDUE_AT_ENTRY.audiences],
          reason: OVERDUE_AT_ENTRY.reason,
          subject: OVERDUE_AT_ENTRY.subject(input.invoiceNumber),
          body: OVERDUE_AT_ENTRY.body(input.invoiceNumber, formatYuan(input.amountFen - paidFen()), due.explanation),
        });
        const now = Date.now();
        ladder = ladder.filter((step) => step.at > now && step.rung.action.kind === 'notify');
      }
      for (const step of ladder) {
        if (await waitUntilDue(fullyPaid, () => step.at)) break;
        if (version.catchUp) {
          // woken late: of the steps of one rung already past, only the last is taken; a notice is served when it is sent
          const sameRung = ladder.filter((s) => s.rung.id === step.rung.id);
          if (supersededAt(sameRung.map((s) => s.at), sameRung.indexOf(step), Date.now())) continue;
          await runRung(step.rung, step.repeat, servedAt(step.at, Date.now()));
        } else {
          await runRung(step.rung, step.repeat, step.at);
        }
      }
      await condition(fullyPaid);
      status = 'paid';
    } else {
      book.close('payment', input.invoiceNumber, 'met');
      await sync();
    }
    await condition(allHandlersFinished);

    await settlePaid();
    return view();
  } catch (error) {
    // the contract ended (terminated or frozen): the invoice's deadlines close with it
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(async () => {
        book.closeAll('cancelled');
        await sync();
      });
    }
    throw error;
  }

  async function settlePaid(): Promise<void> {
    const lastPaidAt = payments.map((p) => p.paidAt).sort().at(-1)!;
    // contracts in force before delivery-confirmation-v1 get their delivery form with the first payment in full
    const deliveryFormOnPayment = input.kind === 'initial_term' && !input.deliveryFormAtActivation;
    if (deliveryFormOnPayment) {
      await acts.produceDocument({ kind: 'delivery_confirmation', contractId: input.contractId, invoiceNumber: input.invoiceNumber });
    }
    if (input.kind === 'top_up' && input.topUpSms) {
      await acts.grantTopUpQuota({ contractId: input.contractId, invoiceNumber: input.invoiceNumber, sms: input.topUpSms, paidAt: lastPaidAt });
    }
    await acts.notify({
      id: `${workflowId}:paid`,
      contractId: input.contractId,
      audiences: ['party_a_contact', 'owner', 'finance'],
      reason: 'invoice_paid',
      subject: `已收到全额付款：${input.invoiceNumber}`,
      body: `发票 ${input.invoiceNumber} 已于 ${lastPaidAt} 付清人民币 ${formatYuan(input.amountFen)} 元。${deliveryFormOnPayment ? '业务受理单（交付确认单）已生成。' : ''}`,
      sms: { template: 'payment_received', what: input.kind, amountFen: input.amountFen },
    });
  }

  async function runRung(rung: EscalationRung, repeat: number, at: number): Promise<void> {
    const outstanding = formatYuan(input.amountFen - paidFen());
    if (rung.action.kind === 'notify') {
      await acts.notify({
        id: `${workflowId}:ladder:${rung.id}:${repeat}`,
        contractId: input.contractId,
        audiences: rung.action.audiences,
        reason: `overdue_${rung.id}`,
        subject: `${rung.action.subject}：${input.invoiceNumber}`,
        body: `发票 ${input.invoiceNumber} 已逾期，尚欠人民币 ${outstanding} 元；付款期限 ${due.explanation}`,
        sms: { template: 'payment_overdue', what: input.kind, owedFen: input.amountFen - paidFen(), dueAt: due.dueAt },
      });
      return;
    }
    const servedAt = new Date(at).toISOString();
    const cureBasis = actBasis(servedAt, { unit: 'days', amount: input.cureDays }, { zh: '纠正违约并书面通知', en: 'curing the breach in writing' }, { zh: '违约通知送达', en: 'service of the breach notice' });
    const cure = recountDeadline(cureBasis, legal.calendar);
    const caseId = `nonpayment-${input.invoiceNumber}`;
    await acts.openBreachCase({
      caseId,
      contractId: input.contractId,
      servedBy: rung.action.servedBy,
      clause: rung.action.clause,
      description: `甲方未在付款期限（${due.explanation}）内支付发票 ${input.invoiceNumber} 款项，尚欠人民币 ${outstanding} 元。`,
      servedAt,
      cure: deadlineFrom('cure', caseId, cure, cureBasis),
      source: workflowId,
      actor: { id: 'system:billing', role: 'system' },
    });
  }
}
