/**
 * The API's schemas (domain/) carry their own messages in English; the
 * console shows them in Chinese when Chinese is chosen: the schemas' custom
 * messages through this table, zod's built-in ones through zod's zh-CN locale.
 * A message not in the table is shown as written.
 */
import { config } from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { creditCodeMessageZh } from '../../domain/credit-code';
import type { Lang } from './lang';

const EXACT: Record<string, string> = {
  'must not be empty': '不能为空',
  'must be a Chinese mobile (e.g. 13800000001) or fixed-line number (e.g. 0471-1234567)': '须为中国大陆手机号（如 13800000001）或固定电话（如 0471-1234567）',
  'must be an e-mail address': '须为电子邮箱地址',
  'must be a time of day as HH:MM': '须为 HH:MM 格式的时间',
  'must be digits (spaces allowed), 8 to 40 characters': '须为 8 至 40 位数字（可含空格）',
  'must be positive': '须大于 0',
  'must be printable ASCII without spaces': '须为不含空格的英文字母、数字或符号',
  'must be the bound signature in 【】, 2 to 20 characters inside, e.g. 【内蒙古自治区地震局】': '须为【】中的绑定签名，括号内 2 至 20 个字，如【内蒙古自治区地震局】',
  'must be the code as text': '须为文本形式的代码',
  'is for customer operators only': '仅适用于客户操作员',
  'must change at least one term': '至少须修改一项条款',
  'must not repeat a day': '天数不能重复',
  'at most 5 reminders': '最多 5 次提醒',
  'is larger than any amount this system handles': '金额超出系统可处理的范围',
  'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-14T10:00:00+08:00': '须为带时区的日期时间，如 2024-05-14T10:00:00+08:00',
  'must be an integer number of fen (1 CNY = 100 fen)': '须为以分计的整数金额（1 元 = 100 分）',
  'must be true: the contract takes effect only when signed and sealed (Art.6 §1, Art.11 §1)': '须确认已签字并盖章：合同经双方签字盖章后生效（第六条第1款、第十一条第1款）',
  'must be twice the originals held per party': '正本总数须为每方份数的两倍',
  'must be later than the window start': '须晚于发送时段开始时间',
  'must be later than the marketing window start': '须晚于营销时段开始时间',
  'the marketing window must lie inside the sending window': '营销时段须在发送时段之内',
  'reminders must fall inside the signing period': '提醒须在签署期限之内',
  'give exactly one of pdfBase64 or text': '请提供 PDF 文件或文字说明（二选一）',
  'is not a contract id': '不是有效的合同编号',
  'must be a whole number of days': '须为整数天',
  'must be a whole number of messages': '须为整数条',
  // POST /api/contract-imports: a row's problems
  'must not be in the future': '不能晚于当前时间',
  "must hold both signatures, Party A's and Party B's": '须有甲乙双方的签署',
  'must be one signature of each party (A and B)': '须为甲方、乙方各一份签署',
  'must be T1 (the initial term) or R1, R2, … (the renewals)': '须为 T1（首期）或 R1、R2…（续约）',
  'top-up invoices are not imported: request the top-up in the system after the import': '加购发票不导入：请在导入后于系统中申请加购',
  'must hold at least one contract': '至少须有一份合同',
};

const PATTERNS: [RegExp, string][] = [
  // the API's own sentences (api/errors.ts notFound, the payment and signing routes)
  [/^contract not found$/, '合同不存在或无权查看'],
  [/^(invoice|case|breach case|violation case|force majeure case|outage case|document|submission|user|webhook) not found$/, '所请求的记录不存在'],
  [/^payment reference (\S+) was already recorded with another amount \((\d+) fen\)$/, '付款流水号 $1 已按另一金额（$2 分）登记过'],
  [/^(甲方|乙方) \(party [AB]\) already signed on (\d{4})-(\d{2})-(\d{2})T[\d:.]+Z as (.+)$/, '$1已于 $2-$3-$4 由 $5 签署'],
  [/^invoice (\S+) is already paid in full$/, '发票 $1 已全额付清'],
  [/^this contract has no unpaid invoice$/, '该合同没有未付发票'],
  [/^must be at most (\d+) characters$/, '不能超过 $1 个字符'],
  [/^must equal the yearly fee times the term in years \((\d+) x (\d+) = (\d+) fen\)$/, '须等于年费乘以年限（$1 分 × $2 = $3 分）'],
  [/^must not be before the contract took effect \((.+)\)$/, '不能早于合同生效时间（$1）'],
  [/^the contract ended at (\S+) 24:00 \(Beijing time\) after the objection to its renewal: only contracts still in force are imported$/, '合同因续约异议已于 $1 24:00（北京时间）期满：只能导入仍在履行中的合同'],
  [/^the contract ended at (\S+) 24:00 \(Beijing time\), it does not renew automatically: only contracts still in force are imported$/, '合同已于 $1 24:00（北京时间）期满且不自动续约：只能导入仍在履行中的合同'],
  [/^the contract has no period (\S+): it began at (\S+) and renewed (\d+) time\(s\) since \(periods (.+)\)$/, '合同没有期间 $1：合同于 $2 生效，此后续约 $3 次（期间：$4）'],
  [/^the reference (\S+) appears twice: each payment is counted once by its reference$/, '流水号 $1 出现了两次：每笔付款按流水号只计一次'],
  [/^the payments of (\S+) add up to (\S+) CNY, more than its (\S+) CNY$/, '期间 $1 的付款合计 $2 元，超过应付的 $3 元'],
  [/^must not exceed the package's (\d+) messages a year \(top-ups are not imported\)$/, '不能超过套餐每年 $1 条（加购不导入）'],
  [/^must be at most (\d+) contracts$/, '最多 $1 份合同'],
];

/** ORGANISATION_FROZEN (services/organisations.ts): what is refused, in Chinese. */
const FROZEN_REFUSALS: Record<string, string> = {
  'no new contract can be made with it': '不能再与其签订新合同',
  'no contract of it can be imported': '不能导入其合同',
  'no supplemental agreement can be made with it': '不能再与其签订补充协议',
  'no supplemental agreement can be signed with it': '不能再签署其补充协议',
  'no message can be sent under any of its contracts': '其任何合同下都不能再发送短信',
};
const FROZEN = /^the organisation (.+) was frozen for good by the content violation case (\S+) on contract (\S+) \(matched by (its credit code|its exact name \(contract \S+ carries no credit code\)); Art\.8 §5\): (.+)$/;

function frozenZh(message: string): string | null {
  const m = FROZEN.exec(message);
  if (!m) return null;
  const how = m[4] === 'its credit code' ? '按统一社会信用代码认定' : `按甲方名称认定：合同 ${m[3]} 未登记统一社会信用代码`;
  return `单位 ${m[1]} 已因违规内容案件 ${m[2]}（合同 ${m[3]}）永久冻结（${how}；第八条第5款）：${FROZEN_REFUSALS[m[5]!] ?? m[5]}`;
}

export function localizeMessage(message: string, lang: Lang): string {
  if (lang !== 'zh') return message;
  const exact = EXACT[message];
  if (exact) return exact;
  // the credit code's own messages and the frozen organisation's refusal (domain/credit-code.ts, services/organisations.ts)
  const domain = creditCodeMessageZh(message) ?? frozenZh(message);
  if (domain) return domain;
  for (const [pattern, replacement] of PATTERNS) if (pattern.test(message)) return message.replace(pattern, replacement);
  return message;
}

/** zod's own messages ("expected number, received NaN") in the chosen language. */
export function setZodLocale(lang: Lang): void {
  config(lang === 'zh' ? zhCN() : en());
}
