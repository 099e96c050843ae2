/**
 * `npx tsx scripts/notice-parts.ts`: the SMS parts each lifecycle notice
 * takes for the reference contract (SMS-2026-000123, 2,997 元, signed 14 May
 * 2024), as the cut subject and body were sent before (systemNoticeText) and
 * as the written-for-the-reader template sends it now (noticeSmsText). The
 * "before" texts follow the notifications' subject and body as the workflows
 * write them. Prints a markdown table for docs/sms.md.
 */
import { paymentBasis } from '../domain/billing';
import { recountDeadline, termEnd } from '../domain/periods';
import { createHolidayCalendar } from '../domain/calendar';
import { splitMessage } from '../domain/sms/segments';
import { noticeSmsText, type NoticeSms } from '../domain/sms/notices';
import { systemNoticeText } from '../domain/sms/system';

const number = 'SMS-2026-000123';
const invoice = `INV-${number}-T1`;
const signedAt = '2024-05-14T07:30:00.000Z';
const due = recountDeadline(paymentBasis('initial_term', signedAt, 30), createHolidayCalendar());
const end = termEnd(signedAt, 3);
const next = termEnd(new Date(Date.parse(end.dueAt) - 1).toISOString(), 1);

const rows: { name: string; before: [string, string]; after: NoticeSms }[] = [
  { name: 'contract signed', before: [`合同 ${number} 已生效`, `合同 ${number} 双方已签字盖章，自 ${signedAt} 起生效，有效期至 ${end.dueAt}`], after: { template: 'contract_signed', termEndsAt: end.dueAt } },
  { name: 'payment notice', before: [`付款通知：${invoice}`, `请于 ${due.explanation} 前支付人民币 2,997.00 元（首期 3 年服务费）。`], after: { template: 'payment_notice', what: 'initial_term', amountFen: 299_700, dueAt: due.dueAt } },
  { name: 'payment reminder', before: ['付款提醒：距截止还有 7 天', `发票 ${invoice} 尚欠人民币 2,997.00 元，截止于 ${due.explanation}`], after: { template: 'payment_reminder', what: 'initial_term', owedFen: 299_700, dueAt: due.dueAt } },
  { name: 'overdue reminder', before: [`付款逾期提醒：${invoice}`, `发票 ${invoice} 已逾期，尚欠人民币 2,997.00 元；付款期限 ${due.explanation}`], after: { template: 'payment_overdue', what: 'initial_term', owedFen: 299_700, dueAt: due.dueAt } },
  { name: 'payment received', before: [`已收到全额付款：${invoice}`, `发票 ${invoice} 已于 2024-06-01T03:00:00.000Z 付清人民币 2,997.00 元。业务受理单（交付确认单）已生成。`], after: { template: 'payment_received', what: 'initial_term', amountFen: 299_700 } },
  { name: 'renewal alert', before: [`合同 ${number} 将于 45 日后到期`, `合同 ${number} 的期限于 ${end.lastDay} 24:00 届满；如无异议将自动顺延 1 年至 ${next.lastDay}。`], after: { template: 'renewal_alert', termEndsAt: end.dueAt, renewedUntil: next.dueAt } },
  { name: 'renewed', before: [`合同 ${number} 已自动顺延`, `合同 ${number} 期限届满无异议，自动顺延至 ${next.lastDay} 24:00；续期发票 INV-${number}-R1 已开具。`], after: { template: 'contract_renewed', renewedUntil: next.dueAt, feeFen: 99_900 } },
  { name: 'expired', before: [`合同 ${number} 已到期终止`, `合同 ${number} 于 ${end.lastDay} 24:00 期限届满，因甲方提出异议不再顺延。`], after: { template: 'contract_expired', termEndsAt: end.dueAt } },
  {
    name: 'breach notice',
    before: [`违约通知书：合同 ${number}（第三条第4款）`, `乙方就合同第三条第4款向甲方送达违约通知：甲方未在付款期限（${due.explanation}）内支付发票 ${invoice} 款项，尚欠人民币 2,997.00 元。 请在期限内纠正违约并书面确认，或提出书面异议。`],
    after: { template: 'breach_served', clause: '第三条第4款', cureDueAt: '2024-06-27T16:00:00.000Z' },
  },
];

const parts = (text: string) => `${splitMessage(text).parts.length} (${Array.from(text).length} chars)`;
console.log('| notice | before: parts (chars) | after: parts (chars) | the SMS now |');
console.log('|---|---|---|---|');
for (const row of rows) {
  const before = systemNoticeText(...row.before);
  const after = noticeSmsText(row.after);
  console.log(`| ${row.name} | ${parts(before)} | ${parts(after)} | ${after} |`);
}
