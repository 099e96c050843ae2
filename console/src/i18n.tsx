/**
 * Chinese first, English on request: one dictionary per language, the same
 * keys in both, written by area in console/src/messages/ (each area's English
 * part is typed against its Chinese part, so a missing translation does not
 * compile, and no key may be defined by two areas). The choice is kept in
 * localStorage.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { compose } from './messages/compose';
import { contractDetail } from './messages/contract-detail';
import { contractImport } from './messages/contract-import';
import { contracts } from './messages/contracts';
import { digest } from './messages/digest';
import { finance } from './messages/finance';
import { holidays } from './messages/holidays';
import { inbox } from './messages/inbox';
import { legal } from './messages/legal';
import { outages } from './messages/outages';
import { shell } from './messages/shell';
import { smsTemplates } from './messages/sms-templates';
import { users } from './messages/users';
import type { Lang } from './lang';
import { setZodLocale } from './zod-messages';

const AREAS = [shell, contracts, contractDetail, finance, legal, outages, compose, digest, holidays, contractImport, inbox, smsTemplates, users] as const;

type UnionToIntersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;
type ChineseOf<Areas extends readonly unknown[]> = { [I in keyof Areas]: Areas[I] extends { zh: infer Zh } ? Zh : never };
type AreaDictionaries = ChineseOf<typeof AREAS>;
/** the keys more than one area defines */
type Repeated<Parts extends readonly object[], Seen = never> = Parts extends readonly [infer First, ...infer Rest extends readonly object[]]
  ? (keyof First & Seen) | Repeated<Rest, Seen | keyof First>
  : never;
type Assert<T extends true> = T;
/** a key defined twice would have one area's text silently win: it does not compile (Repeated<AreaDictionaries> names it) */
type NoKeyTwice = Assert<[Repeated<AreaDictionaries>] extends [never] ? true : false>;

const zh: UnionToIntersection<AreaDictionaries[number]> = Object.assign({}, ...AREAS.map((area) => area.zh));

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = Object.assign({}, ...AREAS.map((area) => area.en));

export type { Lang };
const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'console.lang';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

type I18n = {
  lang: Lang;
  t: Translate;
  /** a key built at run time (e.g. `status.${status}`): its text, or the fallback (the key's last part) when there is none */
  tx: (key: string, fallback?: string) => string;
  setLang: (lang: Lang) => void;
  has: (key: string) => key is MessageKey;
};

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'zh' || stored === 'en') return stored;
  } catch {
    // storage may be unavailable
  }
  return 'zh';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${DICTIONARIES[lang]['app.title']} · ${DICTIONARIES[lang]['app.subtitle']}`;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not kept; fine
    }
  }, []);
  const value = useMemo<I18n>(() => {
    // zod's built-in messages follow the language (set before any page validates)
    setZodLocale(lang);
    const dict = DICTIONARIES[lang];
    const t: Translate = (key, params) => {
      const template = dict[key] ?? key;
      return params ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : template;
    };
    const has = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(dict, key);
    const tx = (key: string, fallback?: string) => (has(key) ? dict[key] : (fallback ?? key.split('.').slice(1).join('.')));
    return { lang, t, tx, setLang, has };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
