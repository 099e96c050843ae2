/**
 * SMS signatures and templates, applied for and reviewed before use (the
 * contract's appendix: "短信技术支持会对用户申请的短信签名和短信模板进行审核"):
 *
 * - A template is text with named variables `${name}` (names
 *   [A-Za-z_][A-Za-z0-9_]{0,31}, at most 20 distinct), of category notification
 *   or marketing. It is linted at application with the same rules as a message
 *   (domain/sms/lint.ts), each variable standing in as "某"; the bound signature
 *   is added at the start when the template does not carry it itself.
 * - A message from an approved template fills its variables: each value at
 *   most 35 characters (as the carriers limit them), full-width digits made
 *   ASCII, no URL unless the template names the variable as a link, and no
 *   forbidden content, symbol, signature bracket, invitation or unsubscribe
 *   word smuggled in; then the filled text is linted again as a whole (a
 *   keyword split across a variable and the template's text is caught there).
 * - The review is due by the end of the N-th working day after the day of
 *   application (review-deadline.ts; N is the terms'
 *   `sms.templateReviewWorkingDays`, default 1).
 * - Free text (a message without a template) is allowed per category as the
 *   terms' `sms.freeText` says: by default notifications (and alerts) yes,
 *   marketing no.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import type { ContractTerms } from '../terms';
import { lintMessage, type LintIssue, type LintResult } from './lint';
import { foldForMatching } from './text';
import type { SmsCategory } from './windows';

export const TEMPLATE_CATEGORIES = ['notification', 'marketing'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const REVIEW_STATUSES = ['applied', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_DECISIONS = ['approve', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
export const MAX_VARIABLES = 20;
/** a variable's value, in characters (UTF-16 units), as the carriers limit it */
export const MAX_VARIABLE_LENGTH = 35;
export const DEFAULT_REVIEW_WORKING_DAYS = 1;
export const DEFAULT_FREE_TEXT = { notification: true, marketing: false } as const;
/** what stands in for a variable when a template is linted at application */
export const VARIABLE_PLACEHOLDER = '某';

export type TemplateIssueCode =
  | 'VARIABLE_SYNTAX'
  | 'VARIABLE_NAME_INVALID'
  | 'TOO_MANY_VARIABLES'
  | 'URL_VARIABLE_UNKNOWN'
  | 'VARIABLE_MISSING'
  | 'VARIABLE_UNKNOWN'
  | 'VARIABLE_EMPTY'
  | 'VARIABLE_TOO_LONG'
  | 'VARIABLE_URL'
  | 'VARIABLE_UNSUBSCRIBE'
  | 'VARIABLE_SIGNATURE'
  | 'VARIABLE_FORBIDDEN_CONTENT';

export type TemplateIssue = {
  code: TemplateIssueCode | LintIssue['code'];
  message: string;
  messageEn: string;
  /** the variable the issue is about */
  variable?: string;
  /** UTF-16 offsets into the template's content (application) */
  start?: number;
  end?: number;
  /** for a value's content: the lint's own issue */
  lint?: LintIssue;
};

type Token = { kind: 'text'; text: string; start: number } | { kind: 'variable'; name: string; start: number; end: number };

export type ParsedTemplate = { ok: boolean; variables: string[]; issues: TemplateIssue[]; tokens: Token[] };

/** Splits `content` into text and `${name}` variables; reports bad syntax and names. */
export function parseTemplate(content: string): ParsedTemplate {
  const tokens: Token[] = [];
  const issues: TemplateIssue[] = [];
  const variables: string[] = [];
  let cursor = 0;
  let text = '';
  let textStart = 0;
  while (cursor < content.length) {
    if (content.startsWith('${', cursor)) {
      const close = content.indexOf('}', cursor + 2);
      const nextOpen = content.indexOf('${', cursor + 2);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        issues.push({ code: 'VARIABLE_SYNTAX', message: '变量“${”未以“}”结束', messageEn: 'a variable "${" is not closed by "}"', start: cursor, end: close === -1 ? content.length : nextOpen });
        cursor += 2;
        continue;
      }
      const name = content.slice(cursor + 2, close);
      if (!VARIABLE_NAME.test(name)) {
        issues.push({
          code: 'VARIABLE_NAME_INVALID',
          message: `变量名“${name}”无效：须以字母或下划线开头，仅含字母、数字、下划线，至多32个字符`,
          messageEn: `the variable name "${name}" is invalid: a letter or _ first, then letters, digits or _, at most 32 characters`,
          variable: name,
          start: cursor,
          end: close + 1,
        });
      } else {
        if (text !== '') tokens.push({ kind: 'text', text, start: textStart });
        text = '';
        tokens.push({ kind: 'variable', name, start: cursor, end: close + 1 });
        if (!variables.includes(name)) variables.push(name);
      }
      cursor = close + 1;
      textStart = cursor;
      continue;
    }
    if (text === '') textStart = cursor;
    text += content[cursor];
    cursor += 1;
  }
  if (text !== '') tokens.push({ kind: 'text', text, start: textStart });
  if (variables.length > MAX_VARIABLES) {
    issues.push({ code: 'TOO_MANY_VARIABLES', message: `变量至多${MAX_VARIABLES}个`, messageEn: `at most ${MAX_VARIABLES} variables` });
  }
  return { ok: issues.length === 0, variables, issues, tokens };
}

const normalizeSignature = (signature: string) => {
  const trimmed = signature.trim();
  return trimmed.startsWith('【') && trimmed.endsWith('】') ? trimmed : `【${trimmed.replace(/^【|】$/g, '')}】`;
};

/** The text as sent: the bound signature first, unless the text already carries it at its start or end. */
export function withSignature(text: string, signature: string): { text: string; offset: number } {
  const bound = normalizeSignature(signature);
  const trimmed = text.trim();
  if (trimmed.startsWith(bound) || trimmed.endsWith(bound)) return { text, offset: 0 };
  return { text: bound + text, offset: bound.length };
}

export type TemplateLintInput = {
  content: string;
  category: TemplateCategory;
  signature: string;
  /** variables whose value may be a link */
  urlVariables?: readonly string[];
};

export type TemplateLint = { ok: boolean; variables: string[]; issues: TemplateIssue[]; lint: LintResult | null };

/**
 * A template at application: its variables, and the message rules on its text
 * with each variable as "某" (positions of the lint's issues are mapped back to
 * the template's own content; one inside a variable points at the variable).
 */
export function lintTemplate(input: TemplateLintInput): TemplateLint {
  const parsed = parseTemplate(input.content);
  const issues: TemplateIssue[] = [...parsed.issues];
  for (const name of input.urlVariables ?? []) {
    if (!parsed.variables.includes(name)) {
      issues.push({ code: 'URL_VARIABLE_UNKNOWN', message: `链接变量“${name}”不在模板中`, messageEn: `the link variable "${name}" is not in the template`, variable: name });
    }
  }
  if (!parsed.ok) return { ok: false, variables: parsed.variables, issues, lint: null };

  // the text with placeholders, and for each of its units the template position it came from
  let text = '';
  const origin: { start: number; end: number }[] = [];
  for (const token of parsed.tokens) {
    if (token.kind === 'text') {
      for (let i = 0; i < token.text.length; i++) origin.push({ start: token.start + i, end: token.start + i + 1 });
      text += token.text;
    } else {
      origin.push({ start: token.start, end: token.end });
      text += VARIABLE_PLACEHOLDER;
    }
  }
  const signed = withSignature(text, input.signature);
  const lint = lintMessage({ content: signed.text, category: input.category, signature: input.signature });
  for (const issue of lint.issues) {
    const mapped: TemplateIssue = { code: issue.code, message: issue.message, messageEn: issue.messageEn, lint: issue };
    if (issue.start !== undefined && issue.end !== undefined && issue.start >= signed.offset) {
      const from = origin[issue.start - signed.offset];
      const to = origin[issue.end - 1 - signed.offset];
      if (from && to) Object.assign(mapped, { start: from.start, end: to.end });
    }
    issues.push(mapped);
  }
  return { ok: issues.length === 0, variables: parsed.variables, issues, lint };
}

/** Full-width digits (０–９) as ASCII digits: a code typed on a Chinese keyboard is still a code. */
export const normalizeDigits = (value: string) => value.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/** A link in a value: a scheme, www., or a host with a common top-level domain (after folding width and case). */
const URL_PATTERN = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.|(?:[a-z0-9-]+\.)+(?:com|cn|net|org|top|xyz|cc|me|io|vip|info|shop|club|site|link|ly|gl|tv|co|biz|wang|ink|fun|online|tech|ren|mobi|asia|app)(?![a-z0-9-]))/;

/** Words of an unsubscribe instruction a value may not carry: the template's own instruction is the only one. */
const UNSUBSCRIBE_WORDS = /退订|退定|拒收|取消订阅|不再接收|回复?[“"'‘「]?(?:td|t|n)(?![a-z])|(?:^|[^a-z])td(?![a-z])/;

export type FillInput = {
  content: string;
  category: TemplateCategory;
  signature: string;
  urlVariables?: readonly string[];
  values: Readonly<Record<string, string>>;
};

export type FillResult = { ok: true; text: string; lint: LintResult } | { ok: false; issues: TemplateIssue[]; text: string | null; lint: LintResult | null };

/** Checks one value on its own: length, link, unsubscribe words, signature brackets, and the message rules. */
export function checkVariableValue(name: string, raw: string, options: { allowUrl: boolean; signature: string; category: TemplateCategory }): { value: string; issues: TemplateIssue[] } {
  const value = normalizeDigits(raw);
  const issues: TemplateIssue[] = [];
  if (value.trim() === '') {
    issues.push({ code: 'VARIABLE_EMPTY', message: `变量“${name}”的值为空`, messageEn: `the value of "${name}" is empty`, variable: name });
    return { value, issues };
  }
  if (value.length > MAX_VARIABLE_LENGTH) {
    issues.push({ code: 'VARIABLE_TOO_LONG', message: `变量“${name}”的值至多${MAX_VARIABLE_LENGTH}个字符（现为${value.length}个）`, messageEn: `the value of "${name}" may have at most ${MAX_VARIABLE_LENGTH} characters (it has ${value.length})`, variable: name });
  }
  const folded = foldForMatching(value, { dropWhitespace: true }).text;
  if (!options.allowUrl && URL_PATTERN.test(folded)) {
    issues.push({ code: 'VARIABLE_URL', message: `变量“${name}”不得含有链接（模板未将其申请为链接变量）`, messageEn: `the value of "${name}" may not carry a link (the template does not name it a link variable)`, variable: name });
  }
  if (UNSUBSCRIBE_WORDS.test(folded)) {
    issues.push({ code: 'VARIABLE_UNSUBSCRIBE', message: `变量“${name}”不得含有退订用语：退订方式只能写在模板中`, messageEn: `the value of "${name}" may not carry unsubscribe words: the unsubscribe instruction belongs to the template`, variable: name });
  }
  if (/[【】]/.test(value)) {
    issues.push({ code: 'VARIABLE_SIGNATURE', message: `变量“${name}”不得含有签名括号【】`, messageEn: `the value of "${name}" may not carry the signature brackets 【】`, variable: name });
  }
  // the message rules on the value alone (as a notification: the unsubscribe rule is the template's)
  const signature = normalizeSignature(options.signature);
  const lint = lintMessage({ content: signature + value.replace(/[【】]/g, ''), category: 'notification', signature });
  for (const issue of lint.issues) {
    if (issue.code === 'EMPTY_BODY' || issue.code.startsWith('SIGNATURE_')) continue;
    issues.push({
      code: 'VARIABLE_FORBIDDEN_CONTENT',
      message: `变量“${name}”：${issue.message}`,
      messageEn: `the value of "${name}": ${issue.messageEn}`,
      variable: name,
      lint: issue,
    });
  }
  return { value, issues };
}

/** The message a template's variables make: every value checked, then the whole text linted again. */
export function fillTemplate(input: FillInput): FillResult {
  const parsed = parseTemplate(input.content);
  if (!parsed.ok) return { ok: false, issues: parsed.issues, text: null, lint: null };
  const issues: TemplateIssue[] = [];
  const values = new Map<string, string>();
  for (const name of parsed.variables) {
    const raw = Object.prototype.hasOwnProperty.call(input.values, name) ? input.values[name] : undefined;
    if (raw === undefined) {
      issues.push({ code: 'VARIABLE_MISSING', message: `缺少变量“${name}”的值`, messageEn: `the value of "${name}" is missing`, variable: name });
      continue;
    }
    const checked = checkVariableValue(name, raw, { allowUrl: (input.urlVariables ?? []).includes(name), signature: input.signature, category: input.category });
    issues.push(...checked.issues);
    values.set(name, checked.value);
  }
  for (const name of Object.keys(input.values)) {
    if (!parsed.variables.includes(name)) issues.push({ code: 'VARIABLE_UNKNOWN', message: `模板中没有变量“${name}”`, messageEn: `the template has no variable "${name}"`, variable: name });
  }
  if (issues.length > 0) return { ok: false, issues, text: null, lint: null };
  const body = parsed.tokens.map((token) => (token.kind === 'text' ? token.text : values.get(token.name)!)).join('');
  const text = withSignature(body, input.signature).text;
  const lint = lintMessage({ content: text, category: input.category, signature: input.signature });
  if (!lint.ok) {
    return { ok: false, issues: lint.issues.map((issue) => ({ code: issue.code, message: issue.message, messageEn: issue.messageEn, lint: issue })), text, lint };
  }
  return { ok: true, text: lint.content, lint };
}

// ---------------------------------------------------------------- the terms

export type TemplateTerms = { reviewWorkingDays: number; freeText: { notification: boolean; marketing: boolean } };

/** The terms' review period and free-text policy, with their defaults for contracts stored before them. */
export function templateTermsOf(sms: Pick<ContractTerms['sms'], 'templateReviewWorkingDays' | 'freeText'>): TemplateTerms {
  return {
    reviewWorkingDays: sms.templateReviewWorkingDays ?? DEFAULT_REVIEW_WORKING_DAYS,
    freeText: { notification: sms.freeText?.notification ?? DEFAULT_FREE_TEXT.notification, marketing: sms.freeText?.marketing ?? DEFAULT_FREE_TEXT.marketing },
  };
}

/** Whether the terms let a message of this category go out as free text (alerts are notifications, Art.8 §1). */
export function freeTextAllowed(terms: TemplateTerms, category: SmsCategory): boolean {
  return category === 'marketing' ? terms.freeText.marketing : terms.freeText.notification;
}
