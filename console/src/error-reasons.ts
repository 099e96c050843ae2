/**
 * The API's refusals in the chosen language: one sentence per reason id of
 * domain/error-reasons.ts, in Chinese and English, from the reason's
 * parameters (instants in Beijing time, amounts in 元). The table's type asks
 * for both languages of every reason, so a reason added to the domain without
 * its words does not compile.
 */
import { isErrorReasonId, type ErrorReason, type ErrorReasonId, type ErrorReasonParams, type FrozenRefusal, type RecordKind } from '../../domain/error-reasons';
import { formatDateTime, formatYuan } from './format';
import type { Lang } from './lang';

/** What a sentence needs besides its parameters, in its language. */
export type Words = {
  /** an instant in Beijing time, marked as such */
  at: (iso: string) => string;
  /** integer fen as 元 */
  yuan: (fen: number) => string;
  party: (party: 'A' | 'B') => string;
  /** a contract's status (status.*) */
  status: (status: string) => string;
  /** a case's status (caseStatus.*) */
  caseStatus: (status: string) => string;
};

type Sentence<K extends ErrorReasonId> = (params: ErrorReasonParams[K], words: Words) => string;
type Sentences = { [K in ErrorReasonId]: Record<Lang, Sentence<K>> };

export const RECORD_WORDS: Record<RecordKind, Record<Lang, string>> = {
  case: { zh: '案件', en: 'case' },
  breach_case: { zh: '违约案件', en: 'breach case' },
  violation_case: { zh: '违规案件', en: 'violation case' },
  force_majeure_case: { zh: '不可抗力案件', en: 'force majeure case' },
  outage_case: { zh: '中断服务案件', en: 'outage case' },
  outage: { zh: '服务中断', en: 'outage' },
  document: { zh: '文件', en: 'document' },
  submission: { zh: '短信提交', en: 'submission' },
  user: { zh: '用户', en: 'user' },
  customer_operator: { zh: '客户操作员', en: 'customer operator' },
  token: { zh: '访问令牌', en: 'token' },
  webhook_subscription: { zh: '回调订阅', en: 'webhook subscription' },
  work_item: { zh: '待办事项', en: 'work item' },
  calendar_subscription: { zh: '日历订阅', en: 'calendar subscription' },
  calendar_year: { zh: '年度节假日安排', en: 'holiday calendar year' },
  digest: { zh: '每日摘要', en: 'digest' },
  signature_application: { zh: '签名申请', en: 'signature application' },
  template_application: { zh: '模板申请', en: 'template application' },
  record: { zh: '记录', en: 'record' },
};

const FROZEN_REFUSED: Record<FrozenRefusal, Record<Lang, string>> = {
  new_contract: { zh: '不能再与其签订新合同', en: 'no new contract can be made with it' },
  import: { zh: '不能导入其合同', en: 'no contract of it can be imported' },
  amendment: { zh: '不能再与其签订补充协议', en: 'no supplemental agreement can be made with it' },
  amendment_signing: { zh: '不能再签署其补充协议', en: 'no supplemental agreement can be signed with it' },
  sms: { zh: '其任何合同下都不能再发送短信', en: 'no message can be sent under any of its contracts' },
  other: { zh: '不能办理此事项', en: 'this cannot be done' },
};

const list = (items: string[], lang: Lang) => items.join(lang === 'zh' ? '或' : ' or ');

export const REASON_SENTENCES: Sentences = {
  'contract.not_found': {
    zh: () => '合同不存在或无权查看',
    en: () => 'This contract does not exist or you may not see it',
  },
  'invoice.not_found': {
    zh: (p) => `该合同下没有发票 ${p.number}`,
    en: (p) => `There is no invoice ${p.number} on this contract`,
  },
  'amendment.not_found': {
    zh: (p) => (p.seq === null ? '补充协议不存在' : `补充协议 ${p.seq} 不存在`),
    en: (p) => (p.seq === null ? 'This supplemental agreement does not exist' : `Supplemental agreement ${p.seq} does not exist`),
  },
  'record.not_found': {
    zh: (p) => `所请求的${RECORD_WORDS[p.kind].zh}不存在或无权查看`,
    en: (p) => `This ${RECORD_WORDS[p.kind].en} does not exist or you may not see it`,
  },
  'signature.already_signed': {
    zh: (p, w) => `${w.party(p.party)}已于 ${w.at(p.signedAt)}由 ${p.signer} 签署，不能重复签署`,
    en: (p, w) => `${w.party(p.party)} already signed on ${w.at(p.signedAt)} (${p.signer}); a party signs once`,
  },
  'amendment.already_signed': {
    zh: (p, w) => `${w.party(p.party)}已签署补充协议 ${p.seq}`,
    en: (p, w) => `${w.party(p.party)} already signed supplemental agreement ${p.seq}`,
  },
  'contract.not_awaiting_signatures': {
    zh: (p, w) => `合同 ${p.number} 当前为「${w.status(p.status)}」，不在待签署状态`,
    en: (p, w) => `Contract ${p.number} is ${w.status(p.status)}, not awaiting signatures`,
  },
  'contract.not_in_term': {
    zh: (p, w) => `合同 ${p.number} ${p.terminating ? '正在终止' : `当前为「${w.status(p.status)}」`}：此操作仅在合同履行期内可以办理`,
    en: (p, w) => `Contract ${p.number} is ${p.terminating ? 'being terminated' : w.status(p.status)}: this is possible only during the term`,
  },
  'contract.never_effective': {
    zh: (p, w) => `合同 ${p.number} 当前为「${w.status(p.status)}」，从未生效`,
    en: (p, w) => `Contract ${p.number} is ${w.status(p.status)}: it never took effect`,
  },
  'contract.already_frozen': {
    zh: (p) => `合同 ${p.number} 已被永久冻结（第八条第5款）`,
    en: (p) => `Contract ${p.number} is already frozen for good (Art.8 §5)`,
  },
  'contract.already_suspended': {
    zh: (p) => `合同 ${p.number} 已在暂停服务中${p.caseId ? `（案件 ${p.caseId}）` : ''}：请确认整改或延长该暂停`,
    en: (p) => `Contract ${p.number} is already suspended${p.caseId ? ` (case ${p.caseId})` : ''}: confirm the rectification or extend that suspension`,
  },
  'contract.process_ended': {
    zh: () => '该合同的流程已结束，不能再办理此操作',
    en: () => "The contract's process has ended: this can no longer be done",
  },
  'contract.suspended': {
    zh: (p, w) =>
      `合同 ${p.number} 的短信服务已暂停（第四条第9款，案件 ${p.caseId}）：${p.reason}；` +
      (p.until ? (p.lapsed ? `整改期已于 ${w.at(p.until)}届满，待法务决定` : `整改期至 ${w.at(p.until)}`) : '整改确认前不能发送'),
    en: (p, w) =>
      `The SMS service of contract ${p.number} is suspended pending rectification (Art.4 §9, case ${p.caseId}): ${p.reason}; ` +
      (p.until ? (p.lapsed ? `the rectification period ended ${w.at(p.until)} and legal decides` : `the rectification period ends ${w.at(p.until)}`) : 'nothing is sent until it is confirmed'),
  },
  'case.invalid_state': {
    zh: (p, w) => `案件当前为「${w.caseStatus(p.status)}」：此操作仅在「${list(p.allowed.map(w.caseStatus), 'zh')}」时可以办理`,
    en: (p, w) => `The case is ${w.caseStatus(p.status)}: this is possible only while it is ${list(p.allowed.map(w.caseStatus), 'en')}`,
  },
  'case.closed': {
    zh: () => '该案件已结束，不能再办理此操作',
    en: () => 'The case is closed: its process has ended',
  },
  'payment.amount_mismatch': {
    zh: (p, w) => `付款流水号 ${p.reference} 已按另一金额（${w.yuan(p.recordedFen)}）登记过，本次填写的是 ${w.yuan(p.givenFen)}`,
    en: (p, w) => `Payment reference ${p.reference} was already recorded with another amount (${w.yuan(p.recordedFen)}); this one is ${w.yuan(p.givenFen)}`,
  },
  'payment.overpayment': {
    zh: (p, w) => `发票 ${p.invoiceNumber} 尚欠 ${w.yuan(p.outstandingFen)}，本次付款 ${w.yuan(p.givenFen)} 超出应付金额`,
    en: (p, w) => `Invoice ${p.invoiceNumber} has ${w.yuan(p.outstandingFen)} outstanding; the payment of ${w.yuan(p.givenFen)} is more than that`,
  },
  'invoice.already_paid': {
    zh: (p) => `发票 ${p.number} 已全额付清`,
    en: (p) => `Invoice ${p.number} is already paid in full`,
  },
  'invoice.none_unpaid': {
    zh: () => '该合同没有未付发票',
    en: () => 'This contract has no unpaid invoice',
  },
  'input.in_future': {
    zh: (p) => `${{ signedAt: '签署时间', paidAt: '付款时间', confirmedAt: '确认时间' }[p.field]}不能晚于当前时间`,
    en: (p) => `The ${{ signedAt: 'signing time', paidAt: 'payment time', confirmedAt: 'confirmation time' }[p.field]} must not be in the future`,
  },
  'delivery.already_confirmed': {
    zh: (p, w) => `交付确认单已于 ${w.at(p.confirmedAt)}${p.signer ? `由 ${p.signer} ` : ''}确认`,
    en: (p, w) => `The delivery form was already confirmed on ${w.at(p.confirmedAt)}${p.signer ? ` by ${p.signer}` : ''}`,
  },
  'delivery.nothing_to_confirm': {
    zh: (p) => `合同 ${p.number} 生效早于交付确认流程，交付确认单已随首笔付款办理，无需确认`,
    en: (p) => `Contract ${p.number} took effect before delivery confirmations were awaited: nothing is to confirm`,
  },
  'renewal.already_objected': {
    zh: (p, w) => `${w.party(p.party)}已于 ${w.at(p.at)}提出不续约异议`,
    en: (p, w) => `${w.party(p.party)} already objected to the renewal on ${w.at(p.at)}`,
  },
  'renewal.term_ended': {
    zh: (p, w) => `合同期已于 ${w.at(p.termEndsAt)}届满，不能再提出续约异议`,
    en: (p, w) => `The term ended on ${w.at(p.termEndsAt)}: objections are no longer possible`,
  },
  'termination.after_term_end': {
    zh: (p, w) => `终止生效时间不能晚于合同期满（${w.at(p.termEndsAt)}）`,
    en: (p, w) => `The effective time must not be after the end of the term (${w.at(p.termEndsAt)})`,
  },
  'amendment.pending': {
    zh: (p) => `补充协议 ${p.seq} 仍在等待签署`,
    en: (p) => `Supplemental agreement ${p.seq} is still awaiting signatures`,
  },
  'amendment.completed': {
    zh: (p) => `补充协议 ${p.seq} 已由双方签署`,
    en: (p) => `Supplemental agreement ${p.seq} is already signed by both parties`,
  },
  'organisation.frozen': {
    zh: (p, w) =>
      `单位 ${p.organisation} 已于 ${w.at(p.frozenAt)}因违规内容案件 ${p.caseId}（合同 ${p.contractNumber}）永久冻结` +
      `（${p.matchedBy === 'credit_code' ? '按统一社会信用代码认定' : '按甲方名称认定'}；第八条第5款）：${FROZEN_REFUSED[p.refused].zh}`,
    en: (p, w) =>
      `The organisation ${p.organisation} was frozen for good on ${w.at(p.frozenAt)} by the content violation case ${p.caseId} on contract ${p.contractNumber} ` +
      `(matched by ${p.matchedBy === 'credit_code' ? 'its credit code' : 'its exact name'}; Art.8 §5): ${FROZEN_REFUSED[p.refused].en}`,
  },
  'idempotency.key_reused': {
    zh: () => '该请求编号已用于另一内容的请求：请刷新页面后重新提交',
    en: () => 'This request key was already used for a different request: reload the page and submit again',
  },
  'idempotency.in_progress': {
    zh: () => '同一请求仍在处理中，请稍后查看结果',
    en: () => 'The same request is still being processed; check again shortly',
  },
  'rate.limited': {
    zh: (p) => `操作过于频繁，请 ${p.retryAfterSeconds} 秒后再试`,
    en: (p) => `Too many requests; try again in ${p.retryAfterSeconds} s`,
  },
  'auth.required': {
    zh: () => '请先登录',
    en: () => 'Please sign in',
  },
  'auth.token_invalid': {
    zh: () => '登录已失效，请重新登录',
    en: () => 'Your sign-in is no longer valid; please sign in again',
  },
  'auth.credentials_invalid': {
    zh: () => '用户名或密码不正确',
    en: () => 'The user name or password is not correct',
  },
  'auth.session_invalid': {
    zh: () => '登录已结束，请重新登录',
    en: () => 'Your session has ended; please sign in again',
  },
  'auth.csrf_invalid': {
    zh: () => '请求缺少有效的安全校验，请刷新页面后重试',
    en: () => 'The request lacked a valid security check; reload the page and try again',
  },
  'password.too_short': {
    zh: (p) => `密码至少需要 ${p.minLength} 个字符`,
    en: (p) => `The password must be at least ${p.minLength} characters long`,
  },
  'password.current_wrong': {
    zh: () => '当前密码不正确',
    en: () => 'The current password is not correct',
  },
  'username.taken': {
    zh: () => '该用户名已被其他用户使用',
    en: (p) => `The user name ${p.username} is already taken`,
  },
  'role.forbidden': {
    zh: () => '您的角色无权办理此操作',
    en: () => 'Your role may not do this',
  },
  'contract.forbidden': {
    zh: () => '只有合同负责人、法务、财务或管理员可以办理此合同的操作',
    en: () => "Only the contract's owner, legal, finance or an admin may act on this contract",
  },
};

/** The reason of an error answer (`{ reason, params }`), or null when it carries none this console knows. */
export function reasonOfAnswer(reason: unknown, params: unknown): ErrorReason | null {
  if (!isErrorReasonId(reason) || typeof params !== 'object' || params === null) return null;
  return { id: reason, params } as ErrorReason;
}

/** The reason in words of the chosen language. */
export function reasonSentence(reason: ErrorReason, lang: Lang, words: Words): string {
  // the union of sentences takes the union of parameters: each reason's own pair is matched by its id
  const sentence = REASON_SENTENCES[reason.id][lang] as (params: unknown, words: Words) => string;
  return sentence(reason.params, words);
}

/** The words in a language; `label` gives a status's name by its message key (status.*, caseStatus.*), or null when there is none. */
export function wordsOf(lang: Lang, label: (key: string) => string | null): Words {
  return {
    at: (iso) => (lang === 'zh' ? `${formatDateTime(iso, lang)}（北京时间）` : `${formatDateTime(iso, lang)} (Beijing time)`),
    yuan: (fen) => (lang === 'zh' ? `${formatYuan(fen)} 元` : `CNY ${formatYuan(fen)}`),
    party: (party) => (lang === 'zh' ? (party === 'A' ? '甲方' : '乙方') : `Party ${party}`),
    status: (status) => label(`status.${status}`) ?? (lang === 'zh' ? '其他状态' : status.replace(/_/g, ' ')),
    caseStatus: (status) => label(`caseStatus.${status}`) ?? (lang === 'zh' ? '其他状态' : status.replace(/_/g, ' ')),
  };
}
