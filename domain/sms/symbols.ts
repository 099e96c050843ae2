/**
 * Characters and character sequences an SMS may not carry (Art.8 §3: "鉴于特殊符号
 * 可能会导致短信出现乱码，不支持如¥、★以及通过按键录入的组合型特殊符号，例如^_^&，☞，√，※等"):
 * special symbols, emoji (with their ZWJ sequences, skin tones, keycaps, flags
 * and variation selectors), keyboard emoticons, and invisible characters.
 *
 * Every finding carries its UTF-16 [start, end) range in the scanned text so a
 * UI can highlight it in place.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import { codePointLabel, foldForMatching, INVISIBLE_NAMES, isInvisible } from './text';

export type SymbolKind = 'symbol' | 'emoji' | 'emoticon' | 'invisible' | 'bracket';

export type SymbolFinding = { kind: SymbolKind; start: number; end: number; text: string };

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/** Explicitly refused characters outside the blocks below. */
const REFUSED = new Set([
  0x00a4, // ¤
  0x00a5, // ¥
  0x00a9, // ©
  0x00ae, // ®
  0x2022, // •
  0x2023, // ‣
  0x203b, // ※
  0x203c, // ‼
  0x2049, // ⁉
  0x2121, // ℡
  0x2122, // ™
  0x221a, // √
  0x2234, // ∴
  0x2235, // ∵
  0x3013, // 〓
  0xfffd, // replacement character: already garbled
  0xffe5, // ￥
]);

/** Blocks of pictographs and dingbats that phones render as boxes or garbage. */
const REFUSED_BLOCKS: readonly [number, number][] = [
  [0x2190, 0x21ff], // arrows → ⇒
  [0x2300, 0x23ff], // miscellaneous technical ⌘ ⏰
  [0x2500, 0x25ff], // box drawing, block elements, geometric shapes ■ □ ▲ ● ◆ ◎
  [0x2600, 0x27bf], // miscellaneous symbols and dingbats ★ ☆ ☞ ☎ ♀ ♥ ✓ ✔ ✈ ❤
  [0x27f0, 0x27ff], // supplemental arrows-A
  [0x2900, 0x297f], // supplemental arrows-B
  [0x2b00, 0x2bff], // miscellaneous symbols and arrows ⭐
  [0x3200, 0x32ff], // enclosed CJK letters and months ㊣ ㊙
  [0xe000, 0xf8ff], // private use area
  [0x1f000, 0x1ffff], // emoji, mahjong and playing cards, enclosed supplements
];

function isRefusedSymbol(cp: number): boolean {
  if (REFUSED.has(cp)) return true;
  return REFUSED_BLOCKS.some(([from, to]) => cp >= from && cp <= to);
}

const isVariationSelector = (cp: number) => cp === 0xfe0e || cp === 0xfe0f;
const isSkinTone = (cp: number) => cp >= 0x1f3fb && cp <= 0x1f3ff;
const isTag = (cp: number) => cp >= 0xe0020 && cp <= 0xe007f;
const isRegionalIndicator = (cp: number) => cp >= 0x1f1e6 && cp <= 0x1f1ff;
const KEYCAP = 0x20e3;
const ZWJ = 0x200d;

function isPictographic(cp: number): boolean {
  return PICTOGRAPHIC.test(String.fromCodePoint(cp));
}

function codePointAt(text: string, index: number): number | undefined {
  return index < text.length ? text.codePointAt(index) : undefined;
}

function unitLength(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

/**
 * The end of an emoji sequence starting at `index` (which holds `cp`): takes
 * variation selectors, skin tones, keycaps, tag sequences, ZWJ-joined
 * pictographs and a second regional indicator along.
 */
function emojiSequenceEnd(text: string, index: number, cp: number): number {
  let end = index + unitLength(cp);
  if (isRegionalIndicator(cp)) {
    const next = codePointAt(text, end);
    if (next !== undefined && isRegionalIndicator(next)) end += 2;
    return end;
  }
  for (;;) {
    const next = codePointAt(text, end);
    if (next === undefined) return end;
    if (isVariationSelector(next) || isSkinTone(next) || next === KEYCAP || isTag(next)) {
      end += unitLength(next);
      continue;
    }
    if (next === ZWJ) {
      const joined = codePointAt(text, end + 1);
      if (joined !== undefined && (isPictographic(joined) || isRefusedSymbol(joined))) {
        end += 1 + unitLength(joined);
        continue;
      }
    }
    return end;
  }
}

/**
 * Symbols, emoji, invisible characters and stray 【 】 in text[start, end).
 */
export function findUnsupportedCharacters(text: string, start = 0, end = text.length): SymbolFinding[] {
  const findings: SymbolFinding[] = [];
  let i = start;
  while (i < end) {
    const cp = text.codePointAt(i)!;
    const size = unitLength(cp);
    // keycap: 1️⃣ #⃣ — the base is an ordinary character, the sequence is an emoji
    if (/[0-9#*]/.test(text[i]!)) {
      let j = i + 1;
      if (j < end && isVariationSelector(text.charCodeAt(j))) j += 1;
      if (j < end && text.charCodeAt(j) === KEYCAP) {
        findings.push({ kind: 'emoji', start: i, end: j + 1, text: text.slice(i, j + 1) });
        i = j + 1;
        continue;
      }
      i += 1;
      continue;
    }
    const emojiLike = isPictographic(cp) || isRegionalIndicator(cp) || isSkinTone(cp) || isTag(cp) || cp === KEYCAP;
    if (emojiLike || isRefusedSymbol(cp)) {
      const stop = Math.min(end, emojiLike || cp >= 0x1f000 ? emojiSequenceEnd(text, i, cp) : i + size);
      const sequence = text.slice(i, stop);
      const kind: SymbolKind = cp >= 0x1f000 || stop - i > size || (isPictographic(cp) && !isRefusedSymbol(cp)) ? 'emoji' : 'symbol';
      findings.push({ kind, start: i, end: stop, text: sequence });
      i = stop;
      continue;
    }
    if (isVariationSelector(cp)) {
      findings.push({ kind: 'emoji', start: i, end: i + 1, text: text[i]! });
      i += 1;
      continue;
    }
    if (isInvisible(text[i]!)) {
      findings.push({ kind: 'invisible', start: i, end: i + 1, text: text[i]! });
      i += 1;
      continue;
    }
    if (cp === 0x3010 || cp === 0x3011) {
      findings.push({ kind: 'bracket', start: i, end: i + 1, text: text[i]! });
      i += 1;
      continue;
    }
    i += size;
  }
  return findings;
}

/**
 * Keyboard emoticons (组合型特殊符号), matched on the text folded to half-width
 * lower case with invisible characters removed (so ＾＿＾ and ^\u200B_^ are
 * found too). Letter-based ones must stand alone, so identifiers and words
 * (foo_bar, Tomato) do not match.
 */
const EMOTICONS: readonly RegExp[] = [
  /\^[^\s^]{0,2}\^/g, // ^_^ ^-^ ^^ ^o^ ^ω^
  /(?<![a-z0-9])(?:t[_^]t|q_q|o_o|0_0|x_x|orz)(?![a-z0-9])/g, // T_T T^T
  />_<|>\.<|>_>|<_<|=_=|-_-|@_@|\*_\*|\+_\+|\._\./g,
  /(?<![a-z0-9])[:;=][-']?(?:[)(\][|*]|[dpo](?![\p{L}\p{N}]))/gu, // :) :-) :( ;) :D :P
];

export function findEmoticons(text: string, start = 0, end = text.length): SymbolFinding[] {
  const folded = foldForMatching(text, { start, end });
  const found: SymbolFinding[] = [];
  for (const pattern of EMOTICONS) {
    pattern.lastIndex = 0;
    for (const match of folded.text.matchAll(pattern)) {
      const from = match.index;
      const to = from + match[0].length;
      const range = { start: folded.origin[from]!, end: folded.origin[to - 1]! + 1 };
      // the colon-and-bracket faces only from ASCII keys: "注：）" in Chinese text is punctuation
      if (/^[:;=]/.test(match[0]) && !/[:;=]/.test(text[range.start]!)) continue;
      if (found.some((other) => range.start < other.end && other.start < range.end)) continue;
      found.push({ kind: 'emoticon', ...range, text: text.slice(range.start, range.end) });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

export function describeSymbol(finding: SymbolFinding): { message: string; messageEn: string } {
  const shown = finding.text;
  switch (finding.kind) {
    case 'invisible': {
      const name = INVISIBLE_NAMES[shown] ?? 'invisible formatting character';
      return {
        message: `含有不可见字符 ${codePointLabel(shown)}（零宽或格式控制字符），请删除`,
        messageEn: `contains an invisible character ${codePointLabel(shown)} (${name}); remove it`,
      };
    }
    case 'emoji':
      return { message: `不支持表情符号“${shown}”，可能导致乱码`, messageEn: `emoji "${shown}" is not supported and may arrive garbled` };
    case 'emoticon':
      return { message: `不支持按键组合符号“${shown}”`, messageEn: `keyboard emoticon "${shown}" is not supported` };
    case 'bracket':
      return {
        message: `正文中不能使用“${shown}”，【】仅用于签名`,
        messageEn: `"${shown}" may not appear in the message body: 【】 are reserved for the signature`,
      };
    case 'symbol':
      return { message: `不支持特殊符号“${shown}”，可能导致乱码`, messageEn: `special symbol "${shown}" is not supported and may arrive garbled` };
  }
}
