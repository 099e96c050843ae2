/**
 * The unified social credit code (GB 32100-2015) and the organisation code
 * inside it (GB 11714): the check characters computed from the published
 * algorithm and compared with codes published elsewhere, the input
 * normalised as a clerk types it, every kind of mistake named; and the
 * policy binding customer operators by the code.
 */
import { describe, expect, it } from 'vitest';
import { mayOnContract } from '../../api/policy';
import {
  checkCreditCode,
  completeCreditCode,
  CREDIT_CODE_ALPHABET,
  CREDIT_CODE_REQUIRED,
  creditCodeCheckCharacter,
  creditCodeMessageZh,
  isValidCreditCode,
  normaliseCreditCode,
  organisationCodeCheckCharacter,
  ZCreditCode,
} from '../../domain/credit-code';
import { REFERENCE_PARTY_A_CREDIT_CODE, REFERENCE_TERMS, ZContractTerms } from '../../domain/terms';

/**
 * Codes published as valid by an independent implementation's test suite
 * (python-stdnum, tests/test_cn_uscc.doctest, "found online"): public
 * institutions (12…), enterprises (91…) with digit and letter organisation
 * codes, individual businesses (92…), from several provinces, Inner
 * Mongolia (1522…) among them.
 */
const PUBLISHED = [
  '121200004013590816',
  '91110000600037341L',
  '91110000710926094P',
  '91120224064012553U',
  '911522010783710635',
  '91152201078371135X',
  '9115220107837757XE',
  '9115220107837941X1',
  '91310000631696382C',
  '91310115MA1K3BTP2B',
  '9131012056010553X5',
  '91340600MA2PBM9HXD',
  '91440300568520498A',
  '9144030071526726XG',
  '91620105L015101280',
  '91620105MA73NBBLXE',
  '92340602MA2PBMEM24',
  '92340621MA2PBKRXXG',
  '92340621MA2UK3PJXE',
];

describe('the check characters (GB 32100-2015, GB 11714)', () => {
  it('uses the 31-character alphabet without I, O, S, V, Z and the weights 3^(i-1) mod 31 of the standard', () => {
    expect(CREDIT_CODE_ALPHABET).toBe('0123456789ABCDEFGHJKLMNPQRTUWXY');
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    // the standard's worked example (annex): 91350100M000100Y4 weighs 1640, 1640 mod 31 = 28, so the check character is 31 - 28 = 3
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = [...'91350100M000100Y4'].reduce((s, c, i) => s + CREDIT_CODE_ALPHABET.indexOf(c) * weights[i]!, 0);
    expect(sum).toBe(1640);
  });

  it.each(PUBLISHED)('accepts the published code %s, both check characters recomputed', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true, code });
    expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
    expect(organisationCodeCheckCharacter(code.slice(8, 16))).toBe(code[16]);
    expect(completeCreditCode(code.slice(0, 16))).toBe(code);
  });

  it("computes GB 11714's check character, X for 10 and 0 for 11", () => {
    // 60003734 → 1 (the organisation code of 91110000600037341L)
    expect(organisationCodeCheckCharacter('60003734')).toBe('1');
    expect(organisationCodeCheckCharacter('07837941')).toBe('X');
    expect(organisationCodeCheckCharacter('00000000')).toBe('0');
  });

  it('the reference contract carries a valid code, marked as an example', () => {
    expect(REFERENCE_TERMS.partyA.creditCode).toBe(REFERENCE_PARTY_A_CREDIT_CODE);
    expect(isValidCreditCode(REFERENCE_PARTY_A_CREDIT_CODE)).toBe(true);
    // a government organ (1 机构编制, 1 机关) registered in Inner Mongolia (150000)
    expect(REFERENCE_PARTY_A_CREDIT_CODE.slice(0, 8)).toBe('11150000');
    expect(ZContractTerms.safeParse(REFERENCE_TERMS).success).toBe(true);
  });
});

describe('what a clerk types', () => {
  it.each([
    ['full-width digits and letters', '９１１１００００６０００３７３４１Ｌ', '91110000600037341L'],
    ['lower case', '91310115ma1k3btp2b', '91310115MA1K3BTP2B'],
    ['spaces around, the full-width one too', '\u3000 91110000600037341L \t', '91110000600037341L'],
    ['full-width lower case with spaces', ' ９１３１０１１５ｍａ１ｋ３ｂｔｐ２ｂ　', '91310115MA1K3BTP2B'],
  ])('normalises %s', (_what, typed, stored) => {
    expect(normaliseCreditCode(typed)).toBe(stored);
    expect(checkCreditCode(typed)).toEqual({ ok: true, code: stored });
    expect(ZCreditCode.parse(typed)).toBe(stored);
  });
});

describe('every mistake named', () => {
  const problem = (input: string) => {
    const checked = checkCreditCode(input);
    if (checked.ok) throw new Error(`${input} was accepted`);
    return checked;
  };

  it('the length', () => {
    expect(problem('91110000600037341').en).toBe('must be 18 characters (统一社会信用代码), not 17');
    expect(problem('91110000600037341L1').problem).toEqual({ kind: 'length', length: 19 });
    expect(problem('').problem).toEqual({ kind: 'length', length: 0 });
  });

  it.each([
    ['O', '91110000600O37341L', 12],
    ['I', '9111000060003734IL', 17],
    ['S', 'S1110000600037341L', 1],
    ['V', '91110000V00037341L', 9],
    ['Z', '91350100M000100Y4Z', 18],
    [' ', '911100 00600037341', 7],
    ['-', '91110000-600037341', 9],
  ])("a character outside the alphabet: '%s'", (character, code, position) => {
    const p = problem(code);
    expect(p.problem).toEqual({ kind: 'character', position, character });
    expect(p.en).toContain(`character ${position} (`);
    expect(p.en).toContain('A-H, J-N, P-R, T-U, W-Y');
  });

  it('the registration authority and the organisation type of positions 1-2', () => {
    expect(problem('B1110000600037341L').problem).toEqual({ kind: 'authority', character: 'B' });
    expect(problem('94110000600037341L').en).toBe(
      "character 2 ('4') is not an organisation type of registration authority 9 (工商): expected 1 企业, 2 个体工商户, 3 农民专业合作社",
    );
  });

  it('the administrative division code of positions 3-8', () => {
    expect(problem('9111A000600037341L').problem).toEqual({ kind: 'division', position: 5, character: 'A' });
  });

  it('the check character, saying which one was expected', () => {
    const p = problem('91110000600037341N');
    expect(p.problem).toEqual({ kind: 'check', expected: 'L', found: 'N' });
    expect(p.en).toBe("the check character (character 18) should be 'L' for the first 17 characters, not 'N': a character is mistyped");
    // one character mistyped anywhere: named by the check character
    expect(problem('91110000600037841L').problem).toMatchObject({ kind: 'check', found: 'L' });
  });

  it("the organisation code's own check character (GB 11714) of position 17", () => {
    // 91110000600037341L with its 17th character changed and its 18th recomputed: the code's check passes, the organisation code's does not
    const first17 = '91110000600037342';
    const code = `${first17}${creditCodeCheckCharacter(first17)}`;
    const p = problem(code);
    expect(p.problem).toEqual({ kind: 'organisation_check', expected: '1', found: '2' });
    expect(p.en).toContain("it should be '1', not '2'");
  });

  it('the messages in Chinese, for the console', () => {
    for (const code of ['123', '91110000600O37341L', 'B1110000600037341L', '94110000600037341L', '9111A000600037341L', '91110000600037341N', '911100 00600037341']) {
      const p = problem(code);
      expect(creditCodeMessageZh(p.en), code).toBe(p.zh);
    }
    expect(creditCodeMessageZh(CREDIT_CODE_REQUIRED)).toContain('统一社会信用代码');
    expect(creditCodeMessageZh('must not be empty')).toBeNull();
  });
});

describe('the contract schema', () => {
  it('requires the code of a new contract, at terms.partyA.creditCode', () => {
    const { creditCode: _none, ...partyA } = REFERENCE_TERMS.partyA;
    const parsed = ZContractTerms.safeParse({ ...REFERENCE_TERMS, partyA });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['partyA.creditCode', CREDIT_CODE_REQUIRED]]);
  });

  it('stores the code normalised and names a bad one at its path', () => {
    const fullWidth = [...REFERENCE_PARTY_A_CREDIT_CODE].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    const typed = ZContractTerms.parse({ ...REFERENCE_TERMS, partyA: { ...REFERENCE_TERMS.partyA, creditCode: fullWidth } });
    expect(typed.partyA.creditCode).toBe(REFERENCE_PARTY_A_CREDIT_CODE);
    const bad = ZContractTerms.safeParse({ ...REFERENCE_TERMS, partyA: { ...REFERENCE_TERMS.partyA, creditCode: '111500000000000008' } });
    expect(bad.error!.issues).toEqual([expect.objectContaining({ path: ['partyA', 'creditCode'], message: expect.stringContaining("should be '7'") })]);
  });
});

describe('customer operators bound by the code (api/policy.ts)', () => {
  const OTHER = completeCreditCode('1115000012345678');
  const operator = { id: 'c', role: 'customer' as const, organisation: '内蒙古自治区地震局', organisationCreditCode: REFERENCE_PARTY_A_CREDIT_CODE };
  const contract = (partyAName: string, partyACreditCode: string | null) => ({ ownerId: 'someone', partyAName, partyACreditCode });

  it('sees the contracts of its code whatever the name, not the same name under another code', () => {
    expect(mayOnContract(operator, 'read', contract('内蒙古自治区地震局', REFERENCE_PARTY_A_CREDIT_CODE))).toBe(true);
    // renamed: same code, new name
    expect(mayOnContract(operator, 'act', contract('内蒙古自治区地震灾害防御中心', REFERENCE_PARTY_A_CREDIT_CODE))).toBe(true);
    // another organisation typed with the same name
    expect(mayOnContract(operator, 'read', contract('内蒙古自治区地震局', OTHER))).toBe(false);
    // a contract stored before codes: by the exact name
    expect(mayOnContract(operator, 'read', contract('内蒙古自治区地震局', null))).toBe(true);
    expect(mayOnContract(operator, 'read', contract('其他单位', null))).toBe(false);
  });

  it('an operator without a code keeps the binding by the exact name', () => {
    const legacy = { ...operator, organisationCreditCode: null };
    expect(mayOnContract(legacy, 'read', contract('内蒙古自治区地震局', OTHER))).toBe(true);
    expect(mayOnContract(legacy, 'read', contract('内蒙古自治区地震灾害防御中心', REFERENCE_PARTY_A_CREDIT_CODE))).toBe(false);
  });
});
