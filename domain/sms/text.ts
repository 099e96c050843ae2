/**
 * Character-level helpers shared by the SMS rules: folding full-width forms
 * and case without changing positions, and recognising invisible characters.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */

/**
 * Zero-width and other invisible formatting characters, often inserted to
 * slip a word past keyword filters: ZWSP, ZWNJ, ZWJ, LRM/RLM, bidi embeddings
 * and isolates, word joiner and invisible operators, BOM, soft hyphen,
 * Mongolian vowel separator, Hangul fillers.
 */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]/;

export function isInvisible(char: string): boolean {
  return INVISIBLE.test(char);
}

export const INVISIBLE_NAMES: Readonly<Record<string, string>> = {
  '\u200B': 'ZERO WIDTH SPACE',
  '\u200C': 'ZERO WIDTH NON-JOINER',
  '\u200D': 'ZERO WIDTH JOINER',
  '\u2060': 'WORD JOINER',
  '\uFEFF': 'ZERO WIDTH NO-BREAK SPACE',
  '\u00AD': 'SOFT HYPHEN',
};

/** "U+200B" */
export function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * One UTF-16 unit folded for comparison: full-width ASCII (！ to ～) to ASCII,
 * the ideographic space to a space, ASCII letters to lower case. Everything
 * else unchanged.
 */
export function foldUnit(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
  else if (code === 0x3000) code = 0x20;
  if (code >= 0x41 && code <= 0x5a) code += 0x20;
  return code;
}

/** The text with every unit folded (same length, so positions are unchanged). */
export function foldWidthAndCase(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldUnit(text.charCodeAt(i)));
  return out;
}

export type FoldedText = {
  /** the folded text, with the dropped characters removed */
  text: string;
  /** for each unit of `text`, the index of the unit it came from in the original */
  origin: number[];
};

/**
 * Folds width and case and drops invisible characters (and whitespace when
 * asked), remembering where each remaining unit came from so a match in the
 * folded text can be highlighted in the original.
 */
export function foldForMatching(text: string, options: { dropWhitespace?: boolean; start?: number; end?: number } = {}): FoldedText {
  const start = options.start ?? 0;
  const end = options.end ?? text.length;
  let out = '';
  const origin: number[] = [];
  for (let i = start; i < end; i++) {
    const unit = text[i]!;
    if (isInvisible(unit)) continue;
    const code = foldUnit(unit.charCodeAt(0));
    if (options.dropWhitespace && (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0xa0)) continue;
    out += String.fromCharCode(code);
    origin.push(i);
  }
  return { text: out, origin };
}

/** The original [start, end) range a match at [from, to) of a folded text covers. */
export function originalRange(folded: FoldedText, from: number, to: number): { start: number; end: number } {
  return { start: folded.origin[from]!, end: folded.origin[to - 1]! + 1 };
}
