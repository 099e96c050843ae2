/**
 * How many SMS parts a text costs, and the parts themselves (GSM 03.38 / 3GPP TS 23.040).
 *
 * - GSM-7: text made only of the default alphabet and its extension table.
 *   Extension characters (^ { } [ ] ~ \ | € and form feed) cost two septets.
 *   160 septets fit one part; longer text goes in parts of 153 (7 octets of
 *   each part are taken by the concatenation header).
 * - UCS-2: anything else (all Chinese text). Counted in UTF-16 code units, so a
 *   character outside the BMP (an emoji) counts 2. 70 fit one part; longer
 *   text goes in parts of 67.
 *
 * The signature is part of the text and counts like any other character.
 * A character is never split across parts (a surrogate pair stays together,
 * an extension character stays with its escape), so a split can need one more
 * part than a plain division suggests; `parts` is always the number of parts
 * the split really produces.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */

export type SmsEncoding = 'GSM7' | 'UCS2';

export type SegmentCount = {
  encoding: SmsEncoding;
  /** septets (GSM7, extension characters count 2) or UTF-16 code units (UCS2) */
  characters: number;
  /** number of parts sent; 0 for an empty text */
  parts: number;
  /** capacity of each part: 160/153 (GSM7) or 70/67 (UCS2) */
  perPart: number;
  /** characters still free in the last part before another part is needed */
  remainingInLastPart: number;
};

export const GSM7_SINGLE = 160;
export const GSM7_MULTI = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTI = 67;

/** GSM 03.38 default alphabet (without the escape 0x1B). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: each costs an escape plus the character. */
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

/** Septets one character costs in GSM-7, or undefined when it is not in the alphabet. */
export function gsm7Septets(char: string): 1 | 2 | undefined {
  if (BASIC.has(char)) return 1;
  if (EXTENSION.has(char)) return 2;
  return undefined;
}

/** True when every character of the text is in the GSM-7 alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const char of text) if (gsm7Septets(char) === undefined) return false;
  return true;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Splits text into parts of at most `perPart` UTF-16 code units, never between
 * the two halves of a surrogate pair.
 */
export function splitUcs2(text: string, perPart: number = UCS2_MULTI): string[] {
  if (!Number.isInteger(perPart) || perPart < 2) throw new RangeError(`perPart must be an integer of at least 2, got ${perPart}`);
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + perPart, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

/**
 * Splits GSM-7 text into parts of at most `perPart` septets, never between an
 * extension character's escape and the character. Throws on text outside GSM-7.
 */
export function splitGsm7(text: string, perPart: number = GSM7_MULTI): string[] {
  if (!Number.isInteger(perPart) || perPart < 2) throw new RangeError(`perPart must be an integer of at least 2, got ${perPart}`);
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const char of text) {
    const cost = gsm7Septets(char);
    if (cost === undefined) throw new RangeError('text is not GSM-7');
    if (used + cost > perPart) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += cost;
  }
  if (current !== '') parts.push(current);
  return parts;
}

function gsm7Length(text: string): number {
  let septets = 0;
  for (const char of text) septets += gsm7Septets(char) ?? 0;
  return septets;
}

export type SplitMessage = { encoding: SmsEncoding; parts: string[] };

/**
 * The parts a text is sent as: one part when it fits a single SMS, otherwise
 * parts sized for a concatenation header (153 septets / 67 code units).
 */
export function splitMessage(text: string): SplitMessage {
  if (isGsm7(text)) {
    if (gsm7Length(text) <= GSM7_SINGLE) return { encoding: 'GSM7', parts: text === '' ? [] : [text] };
    return { encoding: 'GSM7', parts: splitGsm7(text, GSM7_MULTI) };
  }
  if (text.length <= UCS2_SINGLE) return { encoding: 'UCS2', parts: [text] };
  return { encoding: 'UCS2', parts: splitUcs2(text, UCS2_MULTI) };
}

export function countSegments(text: string): SegmentCount {
  const { encoding, parts } = splitMessage(text);
  if (encoding === 'GSM7') {
    const characters = gsm7Length(text);
    const perPart = characters <= GSM7_SINGLE ? GSM7_SINGLE : GSM7_MULTI;
    const last = parts.length > 0 ? gsm7Length(parts[parts.length - 1]!) : 0;
    return { encoding, characters, parts: parts.length, perPart, remainingInLastPart: perPart - last };
  }
  const characters = text.length;
  const perPart = characters <= UCS2_SINGLE ? UCS2_SINGLE : UCS2_MULTI;
  const last = parts.length > 0 ? parts[parts.length - 1]!.length : 0;
  return { encoding, characters, parts: parts.length, perPart, remainingInLastPart: perPart - last };
}
