/**
 * Recipients: Chinese mobile numbers in any written shape, to E.164.
 *
 * Accepted: 13800000001, +86 138 0000 0001, 0086-138-0000-0001,
 * 86 13800000001, (+86) 138-0000-0001, full-width digits and signs
 * (１３８…, ＋８６), with spaces, dashes or parentheses anywhere, and stray
 * zero-width characters (pasted from chat apps). Rejected: fixed lines,
 * other countries, numbers of the wrong length, prefixes other than 13–19,
 * anything with letters.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import { foldUnit, isInvisible } from './text';

export type RecipientRejection = 'empty' | 'letters' | 'invalid_characters' | 'landline' | 'foreign' | 'length' | 'prefix';

export type NormalizedRecipient =
  | { ok: true; e164: string }
  | { ok: false; reason: RecipientRejection; message: string; messageEn: string };

const MESSAGES: Record<RecipientRejection, [zh: string, en: string]> = {
  empty: ['号码为空', 'the number is empty'],
  letters: ['号码中含有字母', 'the number contains letters'],
  invalid_characters: ['号码中含有无效字符', 'the number contains characters other than digits, spaces, dashes, parentheses and a leading +'],
  landline: ['这是固定电话号码，不能接收短信', 'this is a fixed-line number, which cannot receive SMS'],
  foreign: ['仅支持中国大陆手机号码（+86）', 'only mainland Chinese mobile numbers (+86) are supported'],
  length: ['手机号码应为11位数字', 'a Chinese mobile number has 11 digits'],
  prefix: ['手机号码应以13至19开头', 'a Chinese mobile number starts with 13 to 19'],
};

function reject(reason: RecipientRejection): NormalizedRecipient {
  const [message, messageEn] = MESSAGES[reason];
  return { ok: false, reason, message, messageEn };
}

/** Dash-like separators people type between digit groups. */
const DASHES = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE63', '\u30FC']);
const SPACES = new Set([' ', '\t', '\u00A0', '\u2002', '\u2003', '\u2009', '\u202F', '\u205F']);

export function normalizeRecipient(input: string): NormalizedRecipient {
  let compact = '';
  for (const raw of input) {
    if (isInvisible(raw)) continue;
    const char = raw.length === 1 ? String.fromCharCode(foldUnit(raw.charCodeAt(0))) : raw;
    if (SPACES.has(char) || DASHES.has(char) || char === '(' || char === ')' || char === '.') continue;
    compact += char;
  }
  if (compact === '') return reject('empty');
  if (/\p{L}/u.test(compact)) return reject('letters');
  if (!/^\+?\d+$/.test(compact)) return reject('invalid_characters');

  let national: string;
  let international = true;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+86')) return reject('foreign');
    national = compact.slice(3);
  } else if (compact.startsWith('0086')) {
    national = compact.slice(4);
  } else if (compact.startsWith('00')) {
    return reject('foreign');
  } else if (compact.startsWith('86') && compact.length === 13) {
    national = compact.slice(2);
  } else {
    national = compact;
    international = false;
  }
  // "+86 (0) 138…": the trunk zero some people keep after the country code
  if (national.startsWith('01') && national.length === 12 && /^01[3-9]/.test(national)) national = national.slice(1);

  if (national.startsWith('0')) return reject('landline');
  // "+86 471 1234567", "+86 10 12345678": a fixed line written internationally drops the trunk zero
  if (international && /^([2-9]|10)/.test(national) && national.length >= 9 && national.length <= 11) return reject('landline');
  if (national.length !== 11) return reject('length');
  if (!/^1[3-9]\d{9}$/.test(national)) return reject('prefix');
  return { ok: true, e164: `+86${national}` };
}

/** A mask safe for logs and screens: +86138****0001. */
export function maskRecipient(e164: string): string {
  return e164.length > 8 ? `${e164.slice(0, 6)}****${e164.slice(-4)}` : '****';
}
