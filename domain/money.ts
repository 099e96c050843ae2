/**
 * Money is integer fen (1 CNY = 100 fen), never floats.
 */
import { z } from 'zod';

export const ZFen = z
  .number({ error: 'must be an integer number of fen (1 CNY = 100 fen)' })
  .int('must be an integer number of fen (1 CNY = 100 fen)')
  .nonnegative('must not be negative')
  .max(1_000_000_000_00, 'is larger than any amount this system handles');

/** An amount that must be more than nothing (a fee): one message, "must be positive", for zero and for a negative amount alike. */
export const ZPositiveFen = z
  .number({ error: 'must be an integer number of fen (1 CNY = 100 fen)' })
  .int('must be an integer number of fen (1 CNY = 100 fen)')
  .min(1, 'must be positive')
  .max(1_000_000_000_00, 'is larger than any amount this system handles');

export type Fen = number;

export const yuan = (amount: number): Fen => Math.round(amount * 100);

/** 299700 → "2,997.00" */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}${whole}.${cents}`;
}

/** 299700 → "¥2,997.00" is avoided on SMS (¥ is a forbidden symbol); documents use "人民币 2,997.00 元". */
export function formatCny(fen: Fen): string {
  return `人民币 ${formatYuan(fen)} 元`;
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

function capitalsOfGroup(group: number): string {
  // group is 0..9999; leading zeros inside the group become a single 零
  let out = '';
  let zeroPending = false;
  for (let pos = 3; pos >= 0; pos--) {
    const digit = Math.floor(group / 10 ** pos) % 10;
    if (digit === 0) {
      if (out !== '') zeroPending = true;
      continue;
    }
    if (zeroPending) {
      out += '零';
      zeroPending = false;
    }
    out += DIGITS[digit]! + SMALL_UNITS[pos]!;
  }
  return out;
}

/**
 * The amount in Chinese financial capitals (大写金额), as written on invoices
 * and contracts: 299700 → "贰仟玖佰玖拾柒元整", 100050 → "壹仟元伍角",
 * 1 → "零元零壹分".
 */
export function toChineseCapitals(fen: Fen): string {
  if (!Number.isInteger(fen) || fen < 0) throw new RangeError(`amount must be a non-negative integer of fen, got ${fen}`);
  const whole = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;

  let yuanPart = '';
  if (whole === 0) {
    yuanPart = fen === 0 ? '零元' : '';
  } else {
    const groups: number[] = [];
    for (let rest = whole; rest > 0; rest = Math.floor(rest / 10000)) groups.push(rest % 10000);
    let zeroPending = false;
    for (let i = groups.length - 1; i >= 0; i--) {
      const group = groups[i]!;
      if (group === 0) {
        zeroPending = yuanPart !== '';
        continue;
      }
      if (yuanPart !== '' && (zeroPending || group < 1000)) yuanPart += '零';
      zeroPending = false;
      yuanPart += capitalsOfGroup(group) + BIG_UNITS[i]!;
    }
    yuanPart += '元';
  }

  if (jiao === 0 && fenDigit === 0) return `${yuanPart}整`;
  let tail = '';
  if (jiao !== 0) tail += `${DIGITS[jiao]}角`;
  else if (whole !== 0) tail += '零';
  if (fenDigit !== 0) tail += `${DIGITS[fenDigit]}分`;
  return whole === 0 ? tail.replace(/^零/, '') : yuanPart + tail;
}
