/**
 * Every page of the console, in Chinese and in English, at 1280 px and at
 * 390 px wide, as the role whose work it is: each renders its heading (no
 * "not found", no "not allowed", no error box), the English screen's
 * navigation and headings carry no Chinese (a missing translation would),
 * nothing is wider than a 390 px phone, and the browser logs no error. The
 * screenshots land in test-results/screenshots/tour-<page>-<lang>-<width>.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../db/users';
import { activeContract, call, DESKTOP, PHONE, SCREENSHOTS, consolePerFile } from './browser';
import path from 'node:path';

const f = consolePerFile();

const CJK = /[\u3400-\u9fff]/;

type Stop = { name: string; role: Role | null; path: () => string; /** its heading is data (a contract's number and party), not words */ headingIsData?: boolean };

let active: { id: string; number: string };
let awaiting: { id: string };

const STOPS: Stop[] = [
  { name: 'signin', role: null, path: () => '/signin' },
  { name: 'contracts', role: 'sales', path: () => '/contracts' },
  { name: 'contract-new', role: 'sales', path: () => '/contracts/new' },
  { name: 'contract-active', role: 'sales', path: () => `/contracts/${active.id}`, headingIsData: true },
  { name: 'contract-customer', role: 'customer', path: () => `/contracts/${active.id}`, headingIsData: true },
  { name: 'sign', role: 'sales', path: () => `/contracts/${awaiting.id}/sign` },
  { name: 'contract-imports', role: 'admin', path: () => '/contract-imports' },
  { name: 'finance', role: 'finance', path: () => '/finance' },
  { name: 'legal', role: 'legal', path: () => '/legal' },
  { name: 'cases-sales', role: 'sales', path: () => '/legal' },
  { name: 'outages', role: 'operations', path: () => '/outages' },
  { name: 'compose', role: 'customer', path: () => '/compose' },
  { name: 'sms-templates', role: 'customer', path: () => '/sms-templates' },
  { name: 'sms-reviews', role: 'operations', path: () => '/sms-reviews' },
  { name: 'digest', role: 'legal', path: () => '/digest' },
  { name: 'holiday-calendar', role: 'admin', path: () => '/holiday-calendar' },
  { name: 'inbox', role: 'legal', path: () => '/inbox' },
  { name: 'users', role: 'admin', path: () => '/users' },
  { name: 'password', role: 'sales', path: () => '/password' },
];

/** How far the page reaches past the viewport's right edge, and the innermost elements that do: what to fix (run in the page). */
const OVERFLOW = `(() => {
  const past = (e) => e.getBoundingClientRect().right > window.innerWidth + 1;
  const innermost = [...document.querySelectorAll('main *')].filter((e) => past(e) && ![...e.children].some(past));
  return {
    by: document.documentElement.scrollWidth - window.innerWidth,
    past: innermost.slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' "' + (e.textContent || '').slice(0, 40) + '"'),
  };
})()`;

/** One signed-in page per role and language, reused from stop to stop (the fixture closes them); signed out: a fresh one. */
const pages = new Map<string, Page>();
async function pageOf(role: Role | null, lang: 'zh' | 'en'): Promise<Page> {
  const key = `${role}:${lang}`;
  const known = role ? pages.get(key) : undefined;
  if (known) return known;
  const { context, page } = await f.newPage(role);
  await context.addInitScript({ content: `localStorage.setItem('console.lang', '${lang}')` });
  if (role) pages.set(key, page);
  return page;
}

/** The page once it has loaded: its heading shown and nothing still loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
}

describe('every page, in both languages and both widths', { timeout: 240_000 }, () => {
  it('has contracts to show', async () => {
    active = await activeContract(f);
    const template = await call(f.base, f.h.tokens.sales, 'GET', '/api/templates/reference');
    const created = await call(f.base, f.h.tokens.sales, 'POST', '/api/contracts', { terms: template.body.terms });
    expect(created.status).toBe(201);
    awaiting = { id: created.body.id };
  });

  for (const stop of STOPS) {
    it(`${stop.name} (${stop.role ?? 'signed out'})`, async () => {
      for (const lang of ['zh', 'en'] as const) {
        const page = await pageOf(stop.role, lang);
        for (const [width, viewport] of [
          ['1280', DESKTOP],
          ['390', PHONE],
        ] as const) {
          await page.setViewportSize(viewport);
          await page.goto(`${f.base}${stop.path()}`);
          await settled(page);
          await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang === 'zh' ? 'zh-CN' : 'en');
          const main = (await page.locator('main, body').first().innerText()).trim();
          expect(main, `${stop.name}: shown`).not.toMatch(/页面不存在|无权访问|No such page|may not open this page/i);
          await expect(page.getByTestId('error-message').count(), `${stop.name}: no error box`).resolves.toBe(0);

          const heading = await page.locator('h1').first().innerText();
          const nav = stop.role ? await page.locator('nav.nav').innerText() : '';
          if (lang === 'en') {
            expect(nav, `${stop.name}: English navigation`).not.toMatch(CJK);
            if (!stop.headingIsData) expect(heading, `${stop.name}: English heading`).not.toMatch(CJK);
          } else if (!stop.headingIsData) {
            expect(heading, `${stop.name}: Chinese heading`).toMatch(CJK);
          }
          if (viewport === PHONE) {
            // nothing makes the page scroll sideways on a phone (tables scroll inside their own box)
            const overflow = (await page.evaluate(OVERFLOW)) as { by: number; past: string[] };
            expect(overflow.by, `${stop.name} (${lang}): wider than the phone by (${overflow.past.join('; ')})`).toBeLessThanOrEqual(0);
          }
          await page.screenshot({ path: path.join(SCREENSHOTS, `tour-${stop.name}-${lang}-${width}.png`), fullPage: true });
        }
      }
    });
  }
});
