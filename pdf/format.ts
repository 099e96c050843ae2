/**
 * How documents write instants, amounts and small numbers. Times are always
 * Asia/Shanghai (fixed UTC+8), amounts always in figures and in Chinese
 * financial capitals.
 */
import { formatCny, toChineseCapitals, type Fen } from '../domain/money';
import { addDays, shanghaiClock, shanghaiDate, toInstant } from '../domain/time';
import { PARTY_LABELS, type ContractTerms, type PartyCode } from '../domain/terms';

/** An instant: a Date, or an ISO 8601 string with 'Z' or an offset. */
export type Instant = Date | string;

export { toInstant };

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
export function formatShanghai(instant: Instant): string {
  return `${shanghaiDate(instant)} ${shanghaiClock(instant)}`;
}

/**
 * 'YYYY-MM-DD HH:mm' in Asia/Shanghai, for the END of a period: an instant at
 * local midnight is written as 24:00 of the day before (2027-05-15T00:00+08:00
 * → '2027-05-14 24:00'), the way the Civil Code (Art. 203) and the contract
 * speak of a last day.
 */
export function formatShanghaiEnd(instant: Instant): string {
  const clock = shanghaiClock(instant);
  if (clock === '00:00') return `${addDays(shanghaiDate(instant), -1)} 24:00`;
  return `${shanghaiDate(instant)} ${clock}`;
}

/** 'YYYY年M月D日' in Asia/Shanghai. */
export function formatShanghaiDateCn(instant: Instant): string {
  const [y, m, d] = shanghaiDate(instant).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** '人民币 2,997.00 元（大写：贰仟玖佰玖拾柒元整）' */
export function formatAmount(fen: Fen): string {
  return `${formatCny(fen)}（大写：${toChineseCapitals(fen)}）`;
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CN_UNITS = ['', '十', '百', '千'];

/** Small counts in Chinese numerals, as contracts write them: 3 → 三, 10 → 十, 11 → 十一, 30 → 三十, 105 → 一百零五. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`chineseNumeral takes an integer 0..9999, got ${n}`);
  if (n === 0) return '零';
  const digits = String(n).split('').map(Number);
  let out = '';
  let zeroPending = false;
  digits.forEach((digit, i) => {
    const unit = CN_UNITS[digits.length - 1 - i]!;
    if (digit === 0) {
      zeroPending = out !== '';
      return;
    }
    if (zeroPending) out += '零';
    zeroPending = false;
    out += CN_DIGITS[digit]! + unit;
  });
  return out.startsWith('一十') ? out.slice(1) : out;
}

/** 第一条 … 第十一条 */
export const articleNumber = (n: number): string => `第${chineseNumeral(n)}条`;

/** The party's organisation name from the terms. */
export function partyName(terms: ContractTerms, party: PartyCode): string {
  return party === 'A' ? terms.partyA.name : terms.partyB.name;
}

/** '甲方（内蒙古自治区地震局）' */
export function partyWithName(terms: ContractTerms, party: PartyCode): string {
  return `${PARTY_LABELS[party]}（${partyName(terms, party)}）`;
}

/** '08:00' → '8:00', as the contract writes a clock time in prose. */
export const clockInProse = (clock: string): string => clock.replace(/^0(\d)/, '$1');
