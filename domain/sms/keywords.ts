/**
 * The forbidden-content keyword lists of Art.8 §2, as versioned data.
 *
 * A list is plain JSON (`forbidden-keywords.v1.json`): a version and one entry
 * per category with its Chinese and English labels, keywords, and optional
 * `allow` phrases (legitimate phrases that contain a keyword, e.g. 生态移民,
 * a resettlement programme, is not immigration). A new list version is a new
 * file (or a row an admin uploads, validated by `ZKeywordList`); the lint
 * takes any list and defaults to v1, so no code changes.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import { z } from 'zod';
import v1 from './forbidden-keywords.v1.json';
import { foldForMatching } from './text';

const ZKeyword = z.string().trim().min(1).max(40);

export const ZKeywordCategory = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case id'),
  label: z.string().min(1).max(100),
  labelEn: z.string().min(1).max(200),
  keywords: z.array(ZKeyword).min(1),
  allow: z.array(ZKeyword).optional(),
});

export const ZKeywordList = z
  .object({
    version: z.union([z.number().int().positive(), z.string().min(1).max(40)]),
    source: z.string().optional(),
    categories: z.array(ZKeywordCategory).min(1),
  })
  .superRefine((list, ctx) => {
    const ids = list.categories.map((category) => category.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate !== undefined) ctx.addIssue({ code: 'custom', path: ['categories'], message: `category ${duplicate} appears twice` });
  });

export type KeywordCategory = z.infer<typeof ZKeywordCategory>;
export type KeywordList = z.infer<typeof ZKeywordList>;

/** Version 1, checked against the schema when this module loads. */
export const FORBIDDEN_KEYWORDS_V1: KeywordList = ZKeywordList.parse(v1);

/** A keyword or phrase as the matcher compares it: folded, no spaces or zero-width characters. */
export function foldKeyword(keyword: string): string {
  return foldForMatching(keyword, { dropWhitespace: true }).text;
}

export type CompiledCategory = {
  id: string;
  label: string;
  labelEn: string;
  keywords: { text: string; folded: string }[];
  allow: string[];
};

const compiled = new WeakMap<KeywordList, CompiledCategory[]>();

export function compileKeywordList(list: KeywordList): CompiledCategory[] {
  const cached = compiled.get(list);
  if (cached) return cached;
  const result = list.categories.map((category) => ({
    id: category.id,
    label: category.label,
    labelEn: category.labelEn,
    keywords: category.keywords.map((text) => ({ text, folded: foldKeyword(text) })).filter((keyword) => keyword.folded !== ''),
    allow: (category.allow ?? []).map(foldKeyword).filter((phrase) => phrase !== ''),
  }));
  compiled.set(list, result);
  return result;
}
