import { describe, expect, it } from 'vitest';
import { countSegments, splitGsm7, splitMessage, splitUcs2 } from '../../domain/sms/segments';
import { REFERENCE_TERMS } from '../../domain/terms';

const SIGNATURE = REFERENCE_TERMS.sms.signature; // 【内蒙古自治区地震局】
const BULLETIN =
  '地震速报：5月14日10时20分在阿拉善盟发生3.2级地震，震源深度10千米，请注意防范余震。请各旗县做好地震应急值守工作，保持通讯畅通，如遇紧急情况及时上报。防震减灾，人人有责。';

/** a real Chinese body of exactly n characters */
function body(n: number): string {
  const text = BULLETIN.repeat(3).slice(0, n);
  expect(text).toHaveLength(n);
  return text;
}

describe('counting SMS parts', () => {
  it('counts the 11-character signature 【内蒙古自治区地震局】 like any other text', () => {
    expect(SIGNATURE).toHaveLength(11);
    expect(countSegments(SIGNATURE)).toMatchObject({ encoding: 'UCS2', characters: 11, parts: 1 });
  });

  it.each([
    [59, 70, 1, 70],
    [60, 71, 2, 67],
    [123, 134, 2, 67],
    [124, 135, 3, 67],
  ])('a %i-character body after the signature is %i UCS-2 characters in %i part(s) of %i', (bodyLength, characters, parts, perPart) => {
    const text = SIGNATURE + body(bodyLength);
    expect(countSegments(text)).toMatchObject({ encoding: 'UCS2', characters, parts, perPart });
    const split = splitMessage(text);
    expect(split.parts).toHaveLength(parts);
    expect(split.parts.join('')).toBe(text);
  });

  it('fits 160 GSM-7 characters in one part and splits 161 into two parts of up to 153', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM7', characters: 160, parts: 1, perPart: 160 });
    expect(countSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM7', characters: 161, parts: 2, perPart: 153 });
    expect(splitMessage('a'.repeat(161)).parts.map((part) => part.length)).toEqual([153, 8]);
  });

  it('counts GSM-7 extension characters (€ [ ] { } ^ ~ \\ |) as two septets', () => {
    expect(countSegments(`${'a'.repeat(158)}€`)).toMatchObject({ encoding: 'GSM7', characters: 160, parts: 1 });
    expect(countSegments(`${'a'.repeat(159)}€`)).toMatchObject({ encoding: 'GSM7', characters: 161, parts: 2 });
    expect(countSegments('[x]')).toMatchObject({ encoding: 'GSM7', characters: 5 });
  });

  it('never separates an extension character from its escape', () => {
    const parts = splitGsm7(`${'a'.repeat(152)}€b`, 153);
    expect(parts).toEqual(['a'.repeat(152), '€b']);
  });

  it('switches to UCS-2 as soon as one character is outside GSM-7', () => {
    expect(countSegments('Your code is 123456')).toMatchObject({ encoding: 'GSM7', parts: 1 });
    expect(countSegments('Your code is 123456。')).toMatchObject({ encoding: 'UCS2', characters: 20, parts: 1 });
  });

  it('counts an emoji as two UTF-16 code units', () => {
    expect(countSegments('😀')).toMatchObject({ encoding: 'UCS2', characters: 2 });
    expect(countSegments(`${'中'.repeat(68)}😀`)).toMatchObject({ characters: 70, parts: 1 });
    expect(countSegments(`${'中'.repeat(69)}😀`)).toMatchObject({ characters: 71, parts: 2 });
  });

  it('does not split a surrogate pair, even when that costs an extra part', () => {
    const text = `${'中'.repeat(66)}😀${'中'.repeat(66)}`; // 134 code units: 2 parts by division, 3 in fact
    const parts = splitUcs2(text, 67);
    expect(parts.map((part) => part.length)).toEqual([66, 67, 1]);
    expect(parts[1]!.startsWith('😀')).toBe(true);
    expect(parts.join('')).toBe(text);
    expect(countSegments(text)).toMatchObject({ characters: 134, parts: 3 });
  });

  it('splits long Chinese text into 67-unit parts for concatenation', () => {
    const text = SIGNATURE + body(190);
    const parts = splitUcs2(text, 67);
    expect(parts.map((part) => part.length)).toEqual([67, 67, 67]);
    expect(parts.join('')).toBe(text);
  });

  it('counts an empty text as no part', () => {
    expect(countSegments('')).toMatchObject({ characters: 0, parts: 0 });
  });
});
