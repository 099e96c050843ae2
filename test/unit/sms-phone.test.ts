import { describe, expect, it } from 'vitest';
import { maskRecipient, normalizeRecipient } from '../../domain/sms/phone';

describe('normalising recipients to E.164', () => {
  it.each([
    '13800000001',
    '138 0000 0001',
    '138-0000-0001',
    '(138) 0000-0001',
    '+8613800000001',
    '+86 138 0000 0001',
    '+86-138-0000-0001',
    '(+86) 138 0000 0001',
    '+86 (0) 138 0000 0001',
    '0086 138 0000 0001',
    '0086-138-0000-0001',
    '008613800000001',
    '86 13800000001',
    '8613800000001',
    '１３８０００００００１',
    '＋８６ １３８ ００００ ０００１',
    '１３８－００００－０００１',
    '\u200B13800000001',
    '13800000001\u200B',
    '\uFEFF 138 0000 0001 \u200D',
    '  13800000001\t',
    '138\u00A00000\u00A00001',
  ])('reads %j as +8613800000001', (input) => {
    expect(normalizeRecipient(input)).toEqual({ ok: true, e164: '+8613800000001' });
  });

  it.each(['13', '14', '15', '16', '17', '18', '19'])('accepts the mobile prefix %s', (prefix) => {
    expect(normalizeRecipient(`${prefix}012345678`)).toEqual({ ok: true, e164: `+86${prefix}012345678` });
  });

  it.each([
    ['0471-1234567', 'landline'],
    ['0471 123 4567', 'landline'],
    ['010-12345678', 'landline'],
    ['(010) 1234 5678', 'landline'],
    ['+86 471 1234567', 'landline'],
    ['+86 10 12345678', 'landline'],
    ['1380000000', 'length'],
    ['138000000011', 'length'],
    ['+86 138 0000 00011', 'length'],
    ['10086', 'length'],
    ['12800000001', 'prefix'],
    ['11800000001', 'prefix'],
    ['10800000001', 'prefix'],
    ['138abcd0001', 'letters'],
    ['138O0000001', 'letters'],
    ['tel:13800000001', 'letters'],
    ['+1 415 555 0100', 'foreign'],
    ['+852 9123 4567', 'foreign'],
    ['001 415 555 0100', 'foreign'],
    ['138#0000#0001', 'invalid_characters'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['\u200B', 'empty'],
  ])('rejects %j (%s)', (input, reason) => {
    const result = normalizeRecipient(input);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) {
      expect(result.message).toMatch(/\p{Script=Han}/u);
      expect(result.messageEn).not.toBe('');
    }
  });

  it('masks a number for logs and screens', () => {
    expect(maskRecipient('+8613800000001')).toBe('+86138****0001');
  });
});
