/**
 * The SMS a contact person gets for a notice, written for the reader: what
 * happened or what to do and by when, the date in Beijing time in words
 * (2027年1月4日24时), amounts in 元, no internal ids, and one 70-character
 * part wherever the content allows (the PDF and the console carry the
 * detail). The notification itself (subject and body) keeps the full text.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox (workflows build the
 * `NoticeSms` they hand to the notify activity).
 */
import { SYSTEM_SMS_SIGNATURE } from './system';

/** What an invoice bills, as short as a reader needs it. */
export type BilledWhat = 'initial_term' | 'renewal' | 'top_up';
const WHAT: Record<BilledWhat, string> = { initial_term: '首期服务费', renewal: '续期服务费', top_up: '增购短信费' };

export type NoticeSms =
  | { template: 'contract_signed'; termEndsAt: string }
  | { template: 'signing_reminder'; dueAt: string }
  | { template: 'delivery_form'; dueAt: string }
  | { template: 'delivery_reminder'; dueAt: string }
  | { template: 'payment_notice'; what: BilledWhat; amountFen: number; dueAt: string }
  | { template: 'payment_reminder'; what: BilledWhat; owedFen: number; dueAt: string }
  | { template: 'payment_overdue'; what: BilledWhat; owedFen: number; dueAt: string }
  | { template: 'payment_received'; what: BilledWhat; amountFen: number }
  | { template: 'overdue_at_entry'; invoices: number }
  | { template: 'renewal_alert'; termEndsAt: string; renewedUntil: string }
  | { template: 'contract_renewed'; renewedUntil: string; feeFen: number }
  | { template: 'contract_expired'; termEndsAt: string }
  | { template: 'contract_terminated'; effectiveAt: string }
  | { template: 'contract_frozen' }
  | { template: 'deadline_moved'; what: 'payment' | 'signing' | 'cure' | 'other'; dueAt: string }
  | { template: 'breach_served'; clause: string; cureDueAt: string }
  | { template: 'breach_cured' }
  | { template: 'breach_objected'; negotiateUntil: string }
  | { template: 'breach_withdrawn' }
  | { template: 'breach_settled' }
  | { template: 'violation_detected' }
  | { template: 'violation_confirmed' }
  | { template: 'violation_dismissed' }
  | { template: 'force_majeure_declared'; proofDueAt: string }
  | { template: 'force_majeure_proof_filed'; onTime: boolean }
  | { template: 'force_majeure_proof_missing' }
  | { template: 'outage_notice'; startedAt: string }
  | { template: 'restoration_notice'; restoredAt: string };

const DEADLINE_WHAT = { payment: '付款期限', signing: '签署期限', cure: '纠正期限', other: '期限' } as const;

/**
 * An instant in Beijing time, in words: "2027年1月4日24时" for the end of a
 * day (the instant of 24:00 is the next day's 00:00), else with the hour and
 * minute ("2027年1月4日15时30分").
 */
export function beijingWords(instant: string): string {
  const ms = Date.parse(instant) + 8 * 3_600_000;
  const at = new Date(ms);
  const endOfDay = at.getUTCHours() === 0 && at.getUTCMinutes() === 0 && at.getUTCSeconds() === 0;
  const day = endOfDay ? new Date(ms - 1) : at;
  const date = `${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日`;
  if (endOfDay) return `${date}24时`;
  const minutes = at.getUTCMinutes();
  return `${date}${at.getUTCHours()}时${minutes ? `${minutes}分` : ''}`;
}

/** An amount in 元: whole yuan without decimals, else two ("2997元", "1997.50元"); no thousands separator (a comma reads as a pause in Chinese text). */
export function yuanWords(fen: number): string {
  const whole = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return cents === 0 ? `${whole}元` : `${whole}.${String(cents).padStart(2, '0')}元`;
}

function body(sms: NoticeSms): string {
  switch (sms.template) {
    case 'contract_signed':
      return `您单位的企业短信服务合同已生效，有效期至${beijingWords(sms.termEndsAt)}。`;
    case 'signing_reminder':
      return `企业短信服务合同尚待贵方签字盖章，请于${beijingWords(sms.dueAt)}前完成。`;
    case 'delivery_form':
      return `企业短信服务已开通，请核对业务受理单并于${beijingWords(sms.dueAt)}前签字盖章确认。`;
    case 'delivery_reminder':
      return `请于${beijingWords(sms.dueAt)}前签字盖章确认业务受理单（交付确认单）。已确认请忽略。`;
    case 'payment_notice':
      return `${WHAT[sms.what]}${yuanWords(sms.amountFen)}，请于${beijingWords(sms.dueAt)}前支付，详见付款通知书。`;
    case 'payment_reminder':
      return `${WHAT[sms.what]}尚欠${yuanWords(sms.owedFen)}，请于${beijingWords(sms.dueAt)}前支付。已付请忽略。`;
    case 'payment_overdue':
      return `${WHAT[sms.what]}${yuanWords(sms.owedFen)}已逾期（期限${beijingWords(sms.dueAt)}），请尽快支付。已付请忽略。`;
    case 'payment_received':
      return `已收到${WHAT[sms.what]}${yuanWords(sms.amountFen)}，谢谢。`;
    case 'overdue_at_entry':
      return `您单位有${sms.invoices}笔短信服务费已逾期未付，请尽快支付；如已付款请联系客户经理核对。`;
    case 'renewal_alert':
      return `企业短信服务合同将于${beijingWords(sms.termEndsAt)}到期，如无异议将自动续期至${beijingWords(sms.renewedUntil)}。`;
    case 'contract_renewed':
      return `企业短信服务合同已自动续期至${beijingWords(sms.renewedUntil)}，续期费${yuanWords(sms.feeFen)}，付款通知另发。`;
    case 'contract_expired':
      return `企业短信服务合同已于${beijingWords(sms.termEndsAt)}到期终止。`;
    case 'contract_terminated':
      return `企业短信服务合同已于${beijingWords(sms.effectiveAt)}解除，详见解除通知。`;
    case 'contract_frozen':
      return '因发送违规内容，您单位的短信账号已永久冻结，剩余套餐作废。';
    case 'deadline_moved':
      return `因节假日安排调整，${DEADLINE_WHAT[sms.what]}调整为${beijingWords(sms.dueAt)}。`;
    case 'breach_served':
      return `违约通知（合同${sms.clause}）已送达：请于${beijingWords(sms.cureDueAt)}前纠正并书面确认，或书面提出异议。`;
    case 'breach_cured':
      return '违约已在期限内纠正，案件已结案，谢谢配合。';
    case 'breach_objected':
      return `对方已对违约通知提出书面异议，双方协商至${beijingWords(sms.negotiateUntil)}。`;
    case 'breach_withdrawn':
      return '违约通知已撤回，案件已结案。';
    case 'breach_settled':
      return '违约事项已由双方协商解决，案件已结案。';
    case 'violation_detected':
      return '我方发现您单位发送的短信疑似违规，正在审核，结果另行通知。';
    case 'violation_confirmed':
      return '经审核确认存在违规内容，您单位的短信账号已永久冻结，剩余套餐作废。';
    case 'violation_dismissed':
      return '经审核，所涉短信不构成违规，服务照常。';
    case 'force_majeure_declared':
      return `对方通知发生不可抗力，书面证明应于${beijingWords(sms.proofDueAt)}前提交。`;
    case 'force_majeure_proof_filed':
      return sms.onTime ? '不可抗力书面证明已按期提交。' : '不可抗力书面证明已提交，但已超过期限。';
    case 'force_majeure_proof_missing':
      return '贵方通知的不可抗力事件，书面证明已逾期未提交，请尽快提交。';
    case 'outage_notice':
      return `企业短信服务自${beijingWords(sms.startedAt)}起中断，我方正在处理，恢复后另行通知。`;
    case 'restoration_notice':
      return `企业短信服务已于${beijingWords(sms.restoredAt)}恢复，给您带来不便，深表歉意。`;
  }
}

/** The SMS text of a notice, the provider's signature first. */
export function noticeSmsText(sms: NoticeSms): string {
  return `${SYSTEM_SMS_SIGNATURE}${body(sms)}`;
}
