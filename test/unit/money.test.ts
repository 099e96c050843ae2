import { describe, expect, it } from 'vitest';
import { formatYuan, toChineseCapitals } from '../../domain/money';

describe('amounts in Chinese capitals', () => {
  it.each([
    [299700, '贰仟玖佰玖拾柒元整'],
    [99900, '玖佰玖拾玖元整'],
    [0, '零元整'],
    [100050, '壹仟元伍角'],
    [100005, '壹仟元零伍分'],
    [1, '壹分'],
    [10, '壹角'],
    [1000100, '壹万零壹元整'],
    [10010000, '壹拾万零壹佰元整'],
    [100000000, '壹佰万元整'],
    [1000000000000, '壹佰亿元整'],
    [10000010000, '壹亿零壹佰元整'],
    [123456789, '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
  ])('writes %i fen as %s', (fen, words) => {
    expect(toChineseCapitals(fen)).toBe(words);
  });

  it('refuses fractional fen and negative amounts', () => {
    expect(() => toChineseCapitals(1.5)).toThrow(RangeError);
    expect(() => toChineseCapitals(-1)).toThrow(RangeError);
  });

  it('formats figures with thousands separators and two decimals', () => {
    expect(formatYuan(299700)).toBe('2,997.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(123456789)).toBe('1,234,567.89');
  });
});
