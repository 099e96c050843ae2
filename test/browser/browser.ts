/**
 * Browser tests' shared setup: the console built (when missing or stale), the
 * harness app on a random port over the Temporal dev server (so time runs
 * normally), Debian's chromium driven by playwright-core (never a browser
 * download), console-error capture, screenshots and signing in.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Role } from '../../db/users';
import { createHarness, type Harness } from '../support/harness';

const ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Builds console/dist when it is missing or was built from other sources (a no-op after `npm test`'s pretest). */
export function ensureConsoleBuilt(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'console/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * A fontconfig setup that adds the Source Han Sans SC the PDFs already use
 * (npm `node-source-han-sans-sc`) to the system fonts, so screenshots show
 * Chinese text on a machine without CJK fonts installed.
 */
function fontConfig(dir: string): string {
  const fonts = path.join(dir, 'fonts');
  mkdirSync(fonts, { recursive: true });
  const pkg = path.dirname(require.resolve('node-source-han-sans-sc/package.json'));
  for (const weight of ['Regular', 'Bold']) symlinkSync(path.join(pkg, `SourceHanSansSC-${weight}.otf`), path.join(fonts, `SourceHanSansSC-${weight}.otf`));
  const file = path.join(dir, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${fonts}</dir>
  <cachedir>${path.join(dir, 'cache')}</cachedir>
</fontconfig>
`,
  );
  return file;
}

export type ConsoleFixture = {
  h: Harness;
  base: string;
  browser: Browser;
  /** every console error and uncaught page error, per page, for the test to assert empty */
  errors: string[];
  newPage: (role: Role | null, viewport?: { width: number; height: number }) => Promise<{ context: BrowserContext; page: Page }>;
  close: () => Promise<void>;
};

/**
 * The console of a test file: started before its tests, closed after them,
 * and every test fails on an error in the browser's console. The fixture is
 * read through the returned object once the file's tests run.
 */
export function consolePerFile(): ConsoleFixture {
  let started: ConsoleFixture | undefined;
  beforeAll(async () => {
    started = await startConsole();
  }, 180_000);
  afterAll(async () => {
    await started?.close();
  });
  afterEach(() => {
    const errors = started!.errors.splice(0);
    expect(errors, 'console errors in the browser').toEqual([]);
  });
  return new Proxy({} as ConsoleFixture, {
    get: (_target, key) => {
      if (!started) throw new Error('the console fixture is read before its beforeAll ran');
      return started[key as keyof ConsoleFixture];
    },
  });
}

export async function startConsole(): Promise<ConsoleFixture> {
  ensureConsoleBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const h = await createHarness({ server: 'dev' });
  const server: Server = h.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const scratch = mkdtempSync(path.join(tmpdir(), 'console-browser-'));
  // launch() gives the browser a fresh temporary user-data-dir of its own
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, FONTCONFIG_FILE: fontConfig(scratch), HOME: scratch },
  });

  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  const newPage = async (role: Role | null, viewport = DESKTOP) => {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught: ${error.message}`));
    if (role) await signIn(page, base, h.tokens[role]);
    return { context, page };
  };

  return {
    h,
    base,
    browser,
    errors,
    newPage,
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await new Promise((resolve) => server.close(resolve));
      await h.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in page with a pasted bearer token. */
export async function signIn(page: Page, base: string, token: string, next = '/'): Promise<void> {
  await page.goto(`${base}${next}`);
  await page.getByTestId('token-input').fill(token);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('user-role').waitFor();
}

/** The page at 1280x800 and at 390 px wide, full length, into test-results/screenshots/. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? DESKTOP;
  for (const [suffix, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${suffix}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** JSON over HTTP with a role's token (test setup that is not what the test is about). */
export async function call<T = any>(base: string, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.includes('json') ? await res.json() : await res.text()) as T };
}

/**
 * A contract created from the reference terms (Party A changed as given, e.g. another credit code) and
 * signed by both parties, over the API.
 */
export async function activeContract(f: ConsoleFixture, partyA: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
  const sales = f.h.tokens.sales;
  const template = await call(f.base, sales, 'GET', '/api/templates/reference');
  const terms = { ...template.body.terms, partyA: { ...template.body.terms.partyA, ...partyA } };
  const created = await call(f.base, sales, 'POST', '/api/contracts', { terms });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  for (const [party, signer] of [
    ['A', '张示例'],
    ['B', '王示例'],
  ] as const) {
    const signed = await call(f.base, sales, 'POST', `/api/contracts/${created.body.id}/signatures`, { party, signer, title: '授权代表', sealed: true });
    if (signed.status !== 200) throw new Error(`sign ${party}: ${signed.status} ${JSON.stringify(signed.body)}`);
  }
  return { id: created.body.id, number: created.body.number };
}
