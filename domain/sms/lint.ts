/**
 * Content rules a message must pass before it is sent (Art.5 §1, Art.8 §1–3).
 *
 * - SIGNATURE_*: the bound signature 【…】 appears exactly once, at the start
 *   or the end of the message (Art.5 §1).
 * - UNSUPPORTED_SYMBOL: special symbols (¥ ★ ☞ √ ※ …), emoji of any kind,
 *   keyboard emoticons (^_^ T_T :) …), 【 or 】 in the body, and invisible
 *   characters (Art.8 §3).
 * - FORBIDDEN_CATEGORY: content of a category Art.8 §2 forbids, found with a
 *   versioned keyword list (data, see keywords.ts).
 * - UNINVITED_INVITATION: invitations to register or join (Art.8 §2).
 * - UNSUBSCRIBE_*: marketing ends with an unsubscribe instruction accepting
 *   TD, T or N (Art.8 §3); with `appendUnsubscribe`, "回TD退订" is added.
 *
 * Keywords and phrases are matched after folding full-width forms and case and
 * removing spaces and zero-width characters (which are themselves reported),
 * so "股 票", "股\u200B票" and "Ａ货" are caught. Positions are UTF-16
 * [start, end) offsets into the `content` given (the appended suffix comes
 * after every body position, so they also hold for the returned content
 * except inside a trailing signature).
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import { compileKeywordList, FORBIDDEN_KEYWORDS_V1, type KeywordList } from './keywords';
import { countSegments, type SegmentCount } from './segments';
import { describeSymbol, findEmoticons, findUnsupportedCharacters, type SymbolKind } from './symbols';
import { foldForMatching, foldUnit, isInvisible } from './text';
import type { SmsCategory } from './windows';

export type LintIssueCode =
  | 'EMPTY_BODY'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_REPEATED'
  | 'SIGNATURE_MISMATCH'
  | 'SIGNATURE_POSITION'
  | 'UNSUPPORTED_SYMBOL'
  | 'FORBIDDEN_CATEGORY'
  | 'UNINVITED_INVITATION'
  | 'UNSUBSCRIBE_MISSING'
  | 'UNSUBSCRIBE_NOT_AT_END'
  | 'UNSUBSCRIBE_INVALID_REPLY';

export type LintIssue = {
  code: LintIssueCode;
  /** Chinese, for the customer's operators */
  message: string;
  messageEn: string;
  /** UTF-16 offsets into the linted content, [start, end) */
  start?: number;
  end?: number;
  /** FORBIDDEN_CATEGORY: the keyword list's category id */
  category?: string;
  /** FORBIDDEN_CATEGORY: the category's labels */
  categoryLabel?: string;
  categoryLabelEn?: string;
  /** UNSUPPORTED_SYMBOL: what kind of character */
  symbolKind?: SymbolKind;
  /** the offending text, as written */
  text?: string;
};

export type LintMessageInput = {
  content: string;
  category: SmsCategory;
  /** the bound signature, "【内蒙古自治区地震局】" (the brackets are added when missing) */
  signature: string;
  /** marketing only: append "回TD退订" when the message has no unsubscribe instruction */
  appendUnsubscribe?: boolean;
  /** defaults to FORBIDDEN_KEYWORDS_V1 */
  keywordList?: KeywordList;
};

export type LintResult = {
  ok: boolean;
  /** the text to send: the input, with the unsubscribe suffix added if asked and needed */
  content: string;
  issues: LintIssue[];
  appendedUnsubscribe: boolean;
  keywordListVersion: KeywordList['version'];
  /** parts the returned content costs */
  segments: SegmentCount;
};

export const UNSUBSCRIBE_SUFFIX = '回TD退订';
/** Replies Art.8 §3 requires an unsubscribe instruction to accept. */
export const UNSUBSCRIBE_REPLIES: readonly string[] = ['td', 't', 'n'];

type Range = { start: number; end: number };

function normalizeSignature(signature: string): string {
  const trimmed = signature.trim();
  return trimmed.startsWith('【') && trimmed.endsWith('】') ? trimmed : `【${trimmed.replace(/^【|】$/g, '')}】`;
}

function isBlank(char: string): boolean {
  return /\s/.test(char) || isInvisible(char);
}

/** The content's first and last visible positions: [first, last + 1). */
function visibleBounds(content: string): Range {
  let start = 0;
  let end = content.length;
  while (start < end && isBlank(content[start]!)) start++;
  while (end > start && isBlank(content[end - 1]!)) end--;
  return { start, end };
}

/** A folded view over the body (the content minus the signature), with the way back to content positions. */
type FoldedBody = { text: string; origin: number[] };

const SENTINEL = '\u0000';

function foldBody(content: string, excluded: Range[], dropWhitespace: boolean): FoldedBody {
  let text = '';
  const origin: number[] = [];
  let cursor = 0;
  const segments: Range[] = [];
  for (const range of [...excluded].sort((a, b) => a.start - b.start)) {
    if (range.start > cursor) segments.push({ start: cursor, end: range.start });
    cursor = Math.max(cursor, range.end);
  }
  if (cursor < content.length) segments.push({ start: cursor, end: content.length });
  segments.forEach((segment, index) => {
    if (index > 0) {
      text += SENTINEL;
      origin.push(segment.start);
    }
    const folded = foldForMatching(content, { ...segment, dropWhitespace });
    text += folded.text;
    origin.push(...folded.origin);
  });
  return { text, origin };
}

function toContentRange(body: FoldedBody, from: number, to: number): Range {
  return { start: body.origin[from]!, end: body.origin[to - 1]! + 1 };
}

function isAsciiLetter(char: string | undefined): boolean {
  return char !== undefined && /[a-z]/.test(char);
}

/**
 * Occurrences of a folded keyword in the folded body. A keyword that begins or
 * ends with a Latin letter must not touch another letter there in the written
 * text (so "spa" is not found in "space", while "KTV spa" finds both).
 */
function occurrences(content: string, body: FoldedBody, needle: string): number[] {
  const found: number[] = [];
  const guardStart = isAsciiLetter(needle[0]);
  const guardEnd = isAsciiLetter(needle[needle.length - 1]);
  const writtenLetter = (index: number) => index >= 0 && index < content.length && isAsciiLetter(String.fromCharCode(foldUnit(content.charCodeAt(index))));
  for (let at = body.text.indexOf(needle); at !== -1; at = body.text.indexOf(needle, at + 1)) {
    if (guardStart && writtenLetter(body.origin[at]! - 1)) continue;
    if (guardEnd && writtenLetter(body.origin[at + needle.length - 1]! + 1)) continue;
    found.push(at);
  }
  return found;
}

function checkSignature(content: string, signature: string, issues: LintIssue[]): Range[] {
  const groups = [...content.matchAll(/【[^【】]*】/g)].map((match) => ({ start: match.index, end: match.index + match[0].length, text: match[0] }));
  const visible = visibleBounds(content);
  const atEdge = (group: Range) => group.start === visible.start || group.end === visible.end;
  const bound = groups.filter((group) => group.text === signature);
  const signatureLike: Range[] = [];

  if (bound.length === 0) {
    const foreign = groups.find(atEdge);
    if (foreign) {
      signatureLike.push(foreign);
      issues.push({
        code: 'SIGNATURE_MISMATCH',
        message: `签名“${foreign.text}”与绑定签名“${signature}”不一致`,
        messageEn: `the signature "${foreign.text}" is not the bound signature "${signature}"`,
        start: foreign.start,
        end: foreign.end,
        text: foreign.text,
      });
    } else {
      issues.push({
        code: 'SIGNATURE_MISSING',
        message: `缺少签名“${signature}”，请在短信开头或末尾加上`,
        messageEn: `the bound signature "${signature}" is missing: put it at the start or the end`,
      });
    }
    return signatureLike;
  }

  const kept = bound.find(atEdge) ?? bound[0]!;
  signatureLike.push(...bound);
  if (!atEdge(kept)) {
    issues.push({
      code: 'SIGNATURE_POSITION',
      message: `签名“${signature}”须位于短信开头或末尾`,
      messageEn: `the signature "${signature}" must be at the start or the end of the message`,
      start: kept.start,
      end: kept.end,
      text: kept.text,
    });
  }
  for (const extra of bound.filter((group) => group !== kept)) {
    issues.push({
      code: 'SIGNATURE_REPEATED',
      message: `签名“${signature}”只能出现一次`,
      messageEn: `the signature "${signature}" may appear only once`,
      start: extra.start,
      end: extra.end,
      text: extra.text,
    });
  }
  return signatureLike;
}

function checkSymbols(content: string, signatureLike: Range[], issues: LintIssue[]): void {
  const outside = (finding: Range) => !signatureLike.some((range) => finding.start >= range.start && finding.end <= range.end);
  const findings = [...findUnsupportedCharacters(content), ...findEmoticons(content)].filter(outside);
  for (const finding of findings) {
    issues.push({
      code: 'UNSUPPORTED_SYMBOL',
      ...describeSymbol(finding),
      start: finding.start,
      end: finding.end,
      symbolKind: finding.kind,
      text: finding.text,
    });
  }
}

function checkKeywords(content: string, body: FoldedBody, list: KeywordList, issues: LintIssue[]): void {
  for (const category of compileKeywordList(list)) {
    const allowed: Range[] = [];
    for (const phrase of category.allow) {
      for (const at of occurrences(content, body, phrase)) allowed.push({ start: at, end: at + phrase.length });
    }
    const hits: (Range & { keyword: string })[] = [];
    for (const keyword of category.keywords) {
      for (const at of occurrences(content, body, keyword.folded)) {
        const hit = { start: at, end: at + keyword.folded.length, keyword: keyword.text };
        if (allowed.some((range) => hit.start >= range.start && hit.end <= range.end)) continue;
        hits.push(hit);
      }
    }
    // within a category, a hit inside a longer hit (夺宝 in 一元夺宝) is the same finding
    hits.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept = hits.filter((hit, index) => !hits.some((other, j) => j !== index && other.start <= hit.start && other.end >= hit.end && (other.end - other.start > hit.end - hit.start || j < index)));
    for (const hit of kept) {
      const range = toContentRange(body, hit.start, hit.end);
      const written = content.slice(range.start, range.end);
      issues.push({
        code: 'FORBIDDEN_CATEGORY',
        message: `含有禁止发送的“${category.label}”类内容：“${written}”`,
        messageEn: `contains ${category.labelEn} content, which may not be sent: "${written}"`,
        ...range,
        category: category.id,
        categoryLabel: category.label,
        categoryLabelEn: category.labelEn,
        text: written,
      });
    }
  }
}

/** Invitations to register or join (邀请注册、邀请成为会员), matched on the folded body. */
const INVITATIONS: readonly RegExp[] = [
  /邀请?您?(?:免费)?注册/g,
  /邀请?您?(?:成为|加入|入驻|升级为)[^，。！？,.!?;；]{0,8}?(?:会员|用户|vip|我们|平台|社群|社区)/g,
  /(?:注册|入会|开卡)(?:即|就|立|便|可|再|后)?(?:送|享|得|领|赠|有礼)/g,
  /(?:立即|马上|赶快|赶紧|快来|免费|点击|现在就?)注册/g,
  /成为(?:我们的|本店|我店)?会员(?:即|就|立|可)?(?:送|享|得|领)/g,
];

function checkInvitations(content: string, body: FoldedBody, issues: LintIssue[]): void {
  const ranges: Range[] = [];
  for (const pattern of INVITATIONS) {
    for (const match of body.text.matchAll(pattern)) ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  // overlapping matches ("立即注册" and "注册领") are one finding
  ranges.sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start < last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  for (const folded of merged) {
    const range = toContentRange(body, folded.start, folded.end);
    const written = content.slice(range.start, range.end);
    issues.push({
      code: 'UNINVITED_INVITATION',
      message: `不允许发送未经许可的邀请（邀请注册、邀请成为会员等）：“${written}”`,
      messageEn: `uninvited invitations to register or join may not be sent: "${written}"`,
      ...range,
      text: written,
    });
  }
}

const OPEN_QUOTE = '[“"\'‘「『(（\\[]?';
const CLOSE_QUOTE = '[”"\'’」』)）\\]]?';
const REPLY_TOKENS = '([a-z0-9]{1,8}(?:(?:或|/|、|,|，)[a-z0-9]{1,8})*)';
const REPLY_VERB = '(?:回复|回覆|回|发送|发|短信回复|编辑短信|编辑)';
const STOP_WORD = '(?:退订|退定|退|取消订阅|取消|拒收)';
const UNSUBSCRIBE_PATTERNS: readonly string[] = [
  // 回TD退订, 回复“T”退订, 回N拒收
  `${REPLY_VERB}${OPEN_QUOTE}${REPLY_TOKENS}${CLOSE_QUOTE}(?:即可|可)?${STOP_WORD}`,
  // 退订回T, 退订请回复TD, 拒收请回复N
  `(?:退订|退定|拒收|取消订阅|不再接收)(?:请您?|请)?${REPLY_VERB}${OPEN_QUOTE}${REPLY_TOKENS}${CLOSE_QUOTE}`,
];
const TRAILING = /[\p{P}\p{Z}\s\u0000~]+$/u;

type Instruction = Range & { replies: string[]; valid: boolean };

function findUnsubscribe(body: FoldedBody): { atEnd: Instruction | null; elsewhere: Instruction | null } {
  const tailEnd = body.text.replace(TRAILING, '').length;
  let atEnd: Instruction | null = null;
  let elsewhere: Instruction | null = null;
  for (const source of UNSUBSCRIBE_PATTERNS) {
    for (const match of body.text.matchAll(new RegExp(source, 'g'))) {
      const replies = match[1]!.split(/或|\/|、|,|，/).filter((reply) => reply !== '');
      const instruction: Instruction = {
        start: match.index,
        end: match.index + match[0].length,
        replies,
        valid: replies.some((reply) => UNSUBSCRIBE_REPLIES.includes(reply)),
      };
      const end = instruction.end;
      // a closing quote may have been cut as trailing punctuation
      if (end === tailEnd || (end > tailEnd && body.text.slice(tailEnd, end).replace(TRAILING, '') === '')) {
        if (!atEnd || instruction.valid) atEnd = instruction;
      } else if (!elsewhere) {
        elsewhere = instruction;
      }
    }
  }
  return { atEnd, elsewhere };
}

function checkUnsubscribe(content: string, body: FoldedBody, issues: LintIssue[]): 'ok' | 'missing' {
  const { atEnd, elsewhere } = findUnsubscribe(body);
  if (atEnd?.valid) return 'ok';
  if (atEnd) {
    const range = toContentRange(body, atEnd.start, atEnd.end);
    const written = content.slice(range.start, range.end);
    issues.push({
      code: 'UNSUBSCRIBE_INVALID_REPLY',
      message: `退订方式“${written}”须支持回复TD、T或N`,
      messageEn: `the unsubscribe instruction "${written}" must accept the replies TD, T or N`,
      ...range,
      text: written,
    });
    return 'ok';
  }
  if (elsewhere) {
    const range = toContentRange(body, elsewhere.start, elsewhere.end);
    const written = content.slice(range.start, range.end);
    issues.push({
      code: 'UNSUBSCRIBE_NOT_AT_END',
      message: `退订方式“${written}”须放在短信末尾`,
      messageEn: `the unsubscribe instruction "${written}" must be at the end of the message`,
      ...range,
      text: written,
    });
    return 'missing';
  }
  return 'missing';
}

function withSuffix(content: string, signatureLike: Range[]): string {
  const visible = visibleBounds(content);
  const trailing = signatureLike.find((range) => range.end === visible.end && range.start !== visible.start);
  const at = trailing ? trailing.start : visible.end;
  return content.slice(0, at) + UNSUBSCRIBE_SUFFIX + content.slice(at);
}

export function lintMessage(input: LintMessageInput): LintResult {
  const { content, category } = input;
  const signature = normalizeSignature(input.signature);
  const list = input.keywordList ?? FORBIDDEN_KEYWORDS_V1;
  const issues: LintIssue[] = [];

  const signatureLike = checkSignature(content, signature, issues);
  const matchBody = foldBody(content, signatureLike, true);
  if (matchBody.text.replace(/[\s\u0000]/g, '') === '') {
    issues.push({ code: 'EMPTY_BODY', message: '短信正文为空', messageEn: 'the message has no text besides the signature' });
  }
  checkSymbols(content, signatureLike, issues);
  checkKeywords(content, matchBody, list, issues);
  checkInvitations(content, matchBody, issues);

  let finalContent = content;
  let appendedUnsubscribe = false;
  if (category === 'marketing') {
    const unsubscribe = checkUnsubscribe(content, matchBody, issues);
    const notAtEnd = issues.some((issue) => issue.code === 'UNSUBSCRIBE_NOT_AT_END');
    if (unsubscribe === 'missing' && input.appendUnsubscribe) {
      finalContent = withSuffix(content, signatureLike);
      appendedUnsubscribe = true;
      if (notAtEnd) issues.splice(issues.findIndex((issue) => issue.code === 'UNSUBSCRIBE_NOT_AT_END'), 1);
    } else if (unsubscribe === 'missing' && !notAtEnd) {
      issues.push({
        code: 'UNSUBSCRIBE_MISSING',
        message: `营销短信末尾须带退订方式，支持回复TD、T或N，例如“${UNSUBSCRIBE_SUFFIX}”`,
        messageEn: `a marketing message must end with an unsubscribe instruction accepting TD, T or N, e.g. "${UNSUBSCRIBE_SUFFIX}"`,
      });
    }
  }

  issues.sort((a, b) => (a.start ?? -1) - (b.start ?? -1));
  return {
    ok: issues.length === 0,
    content: finalContent,
    issues,
    appendedUnsubscribe,
    keywordListVersion: list.version,
    segments: countSegments(finalContent),
  };
}
