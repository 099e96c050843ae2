/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): the
 * identity of Party A's organisation. Pure (no Node or DOM APIs), shared by
 * the API's schema, the contract import and the console's form.
 *
 * 18 characters from a 31-character alphabet (the digits and the capital
 * letters without I, O, S, V, Z):
 *
 * - 1: the registration authority (登记管理部门代码), 2: the organisation type
 *   within it (机构类别代码), checked against the published table below;
 * - 3-8: the registering authority's administrative division code
 *   (行政区划码, GB/T 2260), six digits;
 * - 9-17: the organisation code (主体标识码, GB 11714), whose 9th character
 *   (position 17) is its own check character: weights 3, 7, 9, 10, 5, 8, 4, 2
 *   over the first 8 (digits 0-9, letters A=10 … Z=35), C = 11 − (Σ mod 11),
 *   written X for 10 and 0 for 11;
 * - 18: the check character: weights Wᵢ = 3^(i−1) mod 31 over the first 17
 *   (character values are their places in the alphabet), C = 31 − (Σ mod 31),
 *   0 for 31.
 *
 * Some codes issued by early pilot regions before the standard (e.g. in
 * Fujian, 2015) do not satisfy the check character; they are refused here
 * like any other mistyped code.
 */
import { z } from 'zod';

/** The code's characters, in the order of their values 0 … 30. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_CODE_LENGTH = 18;

/** Wᵢ = 3^(i−1) mod 31, i = 1 … 17 (GB 32100-2015, table 2). */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

/** GB 11714: the weights of the organisation code's 8 body characters. */
const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

type Authority = { zh: string; en: string; types: Record<string, string> };

/**
 * Position 1 (the registration authority) and, for each, the organisation
 * types of position 2, as published with GB 32100-2015.
 */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, Authority>> = {
  '1': { zh: '机构编制', en: 'public-sector establishment', types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { zh: '外交', en: 'foreign affairs', types: { '1': '外国常住新闻机构', '9': '其他' } },
  '3': { zh: '司法行政', en: 'justice administration', types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' } },
  '4': { zh: '文化', en: 'culture', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { zh: '民政', en: 'civil affairs', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { zh: '旅游', en: 'tourism', types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { zh: '宗教', en: 'religious affairs', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { zh: '工会', en: 'trade unions', types: { '1': '基层工会', '9': '其他' } },
  '9': { zh: '工商', en: 'industry and commerce', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { zh: '中央军委改革和编制办公室', en: 'Central Military Commission establishment office', types: { '1': '军队事业单位', '9': '其他' } },
  N: { zh: '农业', en: 'agriculture', types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { zh: '其他', en: 'other', types: { '1': '其他' } },
};

/**
 * What a user types, as the code is written: full-width letters and digits
 * (ＡＢ１２) become ASCII, lower case becomes upper case, surrounding spaces
 * (also the full-width one) go. Spaces inside stay, and are refused.
 */
export function normaliseCreditCode(input: string): string {
  return input.normalize('NFKC').trim().toUpperCase();
}

const valueOf = (character: string) => CREDIT_CODE_ALPHABET.indexOf(character);

/** The check character (position 18) of the first 17 characters, which must all be in the alphabet. */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => valueOf(c) < 0)) throw new Error(`not 17 characters of the credit code alphabet: ${first17}`);
  const sum = [...first17].reduce((total, c, i) => total + valueOf(c) * WEIGHTS[i]!, 0);
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** GB 11714: the check character of an organisation code's 8 body characters (digits, capital letters). */
export function organisationCodeCheckCharacter(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new Error(`not 8 digits or capital letters: ${body8}`);
  const sum = [...body8].reduce((total, c, i) => total + (c <= '9' ? Number(c) : c.charCodeAt(0) - 55) * ORGANISATION_WEIGHTS[i]!, 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** The whole code from its first 16 characters: the organisation code's check character, then the code's own. */
export function completeCreditCode(first16: string): string {
  const first17 = `${first16}${organisationCodeCheckCharacter(first16.slice(8, 16))}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

export type CreditCodeProblem =
  | { kind: 'length'; length: number }
  | { kind: 'character'; position: number; character: string }
  | { kind: 'authority'; character: string }
  | { kind: 'type'; authority: string; character: string }
  | { kind: 'division'; position: number; character: string }
  | { kind: 'check'; expected: string; found: string }
  | { kind: 'organisation_check'; expected: string; found: string };

export type CreditCodeCheck = { ok: true; code: string } | { ok: false; code: string; problem: CreditCodeProblem; en: string; zh: string };

const ALPHABET_EN = '0-9 and the letters A-H, J-N, P-R, T-U, W-Y (never I, O, S, V or Z)';
const ALPHABET_ZH = '0-9 及字母 A-H、J-N、P-R、T-U、W-Y（不用 I、O、S、V、Z）';
const shown = (character: string) => (character === ' ' ? 'a space' : `'${character}'`);
const shownZh = (character: string) => (character === ' ' ? '空格' : `“${character}”`);

/** The problem in English (the API's message) and in Chinese. */
export function describeCreditCodeProblem(problem: CreditCodeProblem): { en: string; zh: string } {
  switch (problem.kind) {
    case 'length':
      return {
        en: `must be 18 characters (统一社会信用代码), not ${problem.length}`,
        zh: `统一社会信用代码须为 18 位，而不是 ${problem.length} 位`,
      };
    case 'character':
      return {
        en: `character ${problem.position} (${shown(problem.character)}) is not allowed: the code uses ${ALPHABET_EN}`,
        zh: `第 ${problem.position} 位（${shownZh(problem.character)}）不是允许的字符：代码只用 ${ALPHABET_ZH}`,
      };
    case 'authority':
      return {
        en: `character 1 ('${problem.character}') is not a registration authority of GB 32100 (${Object.entries(REGISTRATION_AUTHORITIES).map(([c, a]) => `${c} ${a.zh}`).join(', ')})`,
        zh: `第 1 位（“${problem.character}”）不是 GB 32100 的登记管理部门代码（${Object.entries(REGISTRATION_AUTHORITIES).map(([c, a]) => `${c} ${a.zh}`).join('、')}）`,
      };
    case 'type': {
      const authority = REGISTRATION_AUTHORITIES[problem.authority]!;
      const types = Object.entries(authority.types).map(([c, t]) => `${c} ${t}`);
      return {
        en: `character 2 ('${problem.character}') is not an organisation type of registration authority ${problem.authority} (${authority.zh}): expected ${types.join(', ')}`,
        zh: `第 2 位（“${problem.character}”）不是登记管理部门 ${problem.authority}（${authority.zh}）的机构类别代码：应为 ${types.join('、')}`,
      };
    }
    case 'division':
      return {
        en: `characters 3 to 8 are the administrative division code, digits only: character ${problem.position} is '${problem.character}'`,
        zh: `第 3 至 8 位是登记管理机关行政区划码，只能是数字：第 ${problem.position} 位是“${problem.character}”`,
      };
    case 'check':
      return {
        en: `the check character (character 18) should be '${problem.expected}' for the first 17 characters, not '${problem.found}': a character is mistyped`,
        zh: `按前 17 位计算，校验码（第 18 位）应为“${problem.expected}”，而不是“${problem.found}”：有字符输入错误`,
      };
    case 'organisation_check':
      return {
        en: `character 17 is the check character of the organisation code (characters 9 to 17, GB 11714): it should be '${problem.expected}', not '${problem.found}'`,
        zh: `第 17 位是组织机构代码（第 9 至 17 位，GB 11714）的校验码：应为“${problem.expected}”，而不是“${problem.found}”`,
      };
  }
}

function problemOf(code: string): CreditCodeProblem | null {
  const characters = [...code];
  if (characters.length !== CREDIT_CODE_LENGTH) return { kind: 'length', length: characters.length };
  const outside = characters.findIndex((c) => valueOf(c) < 0);
  if (outside >= 0) return { kind: 'character', position: outside + 1, character: characters[outside]! };
  const authority = REGISTRATION_AUTHORITIES[code[0]!];
  if (!authority) return { kind: 'authority', character: code[0]! };
  if (!authority.types[code[1]!]) return { kind: 'type', authority: code[0]!, character: code[1]! };
  const division = characters.slice(2, 8).findIndex((c) => c < '0' || c > '9');
  if (division >= 0) return { kind: 'division', position: division + 3, character: code[division + 2]! };
  // the code's own check first: it covers all 17 characters, so a typo anywhere is named as such
  const check = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== check) return { kind: 'check', expected: check, found: code[17]! };
  const organisationCheck = organisationCodeCheckCharacter(code.slice(8, 16));
  if (code[16] !== organisationCheck) return { kind: 'organisation_check', expected: organisationCheck, found: code[16]! };
  return null;
}

/** Normalises the input and checks it: the code as it is stored, or what is wrong with it. */
export function checkCreditCode(input: string): CreditCodeCheck {
  const code = normaliseCreditCode(input);
  const problem = problemOf(code);
  return problem ? { ok: false, code, problem, ...describeCreditCodeProblem(problem) } : { ok: true, code };
}

export const isValidCreditCode = (input: string): boolean => checkCreditCode(input).ok;

export const CREDIT_CODE_REQUIRED = "is required: Party A's unified social credit code (统一社会信用代码), 18 characters";

/** The code as the API takes it: normalised (full-width, lower case, spaces around), then checked. */
export const ZCreditCode = z
  .string({ error: (issue) => (issue.input === undefined ? CREDIT_CODE_REQUIRED : 'must be the code as text') })
  .overwrite(normaliseCreditCode)
  .superRefine((code, ctx) => {
    const checked = checkCreditCode(code);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.en, input: code });
  });

const PROBLEM_PATTERNS: [RegExp, (m: RegExpExecArray) => CreditCodeProblem][] = [
  [/^must be 18 characters \(统一社会信用代码\), not (\d+)$/, (m) => ({ kind: 'length', length: Number(m[1]) })],
  [/^character (\d+) \((?:a space|'(.)')\) is not allowed: /u, (m) => ({ kind: 'character', position: Number(m[1]), character: m[2] ?? ' ' })],
  [/^character 1 \('(.)'\) is not a registration authority /u, (m) => ({ kind: 'authority', character: m[1]! })],
  [/^character 2 \('(.)'\) is not an organisation type of registration authority (.) /u, (m) => ({ kind: 'type', character: m[1]!, authority: m[2]! })],
  [/^characters 3 to 8 are the administrative division code, digits only: character (\d) is '(.)'$/u, (m) => ({ kind: 'division', position: Number(m[1]), character: m[2]! })],
  [/^the check character \(character 18\) should be '(.)' for the first 17 characters, not '(.)'/u, (m) => ({ kind: 'check', expected: m[1]!, found: m[2]! })],
  [/^character 17 is the check character of the organisation code .*: it should be '(.)', not '(.)'$/u, (m) => ({ kind: 'organisation_check', expected: m[1]!, found: m[2]! })],
];

/** A credit code message of the API (English) in Chinese, for the console; null for any other message. */
export function creditCodeMessageZh(message: string): string | null {
  if (message === CREDIT_CODE_REQUIRED) return '必填：甲方的统一社会信用代码（18 位）';
  for (const [pattern, problem] of PROBLEM_PATTERNS) {
    const match = pattern.exec(message);
    if (match) {
      const p = problem(match);
      if (p.kind === 'type' && !REGISTRATION_AUTHORITIES[p.authority]) return null;
      return describeCreditCodeProblem(p).zh;
    }
  }
  return null;
}
