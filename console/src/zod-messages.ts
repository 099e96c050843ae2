/**
 * The API's schemas (domain/) carry their own messages in English; the
 * console shows them in Chinese when Chinese is chosen: the schemas' custom
 * messages through this table, zod's built-in ones through zod's zh-CN locale.
 * A message not in the table is shown as written.
 */
import { config } from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { Lang } from './i18n';

const EXACT: Record<string, string> = {
  'must not be empty': '不能为空',
  'must be a Chinese mobile (e.g. 13800000001) or fixed-line number (e.g. 0471-1234567)': '须为中国大陆手机号（如 13800000001）或固定电话（如 0471-1234567）',
  'must be an e-mail address': '须为电子邮箱地址',
  'must be a time of day as HH:MM': '须为 HH:MM 格式的时间',
  'must be digits (spaces allowed), 8 to 40 characters': '须为 8 至 40 位数字（可含空格）',
  'must be positive': '须大于 0',
  'must be printable ASCII without spaces': '须为不含空格的英文字母、数字或符号',
  'must be the bound signature in 【】, 2 to 20 characters inside, e.g. 【内蒙古自治区地震局】': '须为【】中的绑定签名，括号内 2 至 20 个字，如【内蒙古自治区地震局】',
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
};

const PATTERNS: [RegExp, string][] = [
  [/^must be at most (\d+) characters$/, '不能超过 $1 个字符'],
  [/^must equal the yearly fee times the term in years \((\d+) x (\d+) = (\d+) fen\)$/, '须等于年费乘以年限（$1 分 × $2 = $3 分）'],
];

export function localizeMessage(message: string, lang: Lang): string {
  if (lang !== 'zh') return message;
  const exact = EXACT[message];
  if (exact) return exact;
  for (const [pattern, replacement] of PATTERNS) if (pattern.test(message)) return message.replace(pattern, replacement);
  return message;
}

/** zod's own messages ("expected number, received NaN") in the chosen language. */
export function setZodLocale(lang: Lang): void {
  config(lang === 'zh' ? zhCN() : en());
}
