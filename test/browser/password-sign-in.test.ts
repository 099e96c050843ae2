/**
 * Signing in to the console with a user name and password, in Chromium: a
 * wrong password is refused in words, the right one shows the user's name,
 * a reload keeps the session (its CSRF token asked again), the admin creates
 * a user on the Users page (a POST carrying the CSRF token), signing out
 * comes back to the sign-in page with the cookie gone, a user changes their
 * own password, and signing out everywhere ends the session of another browser.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call, consolePerFile, screenshots } from './browser';

const f = consolePerFile();

async function signInWithPassword(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('username-input').fill(username);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('password-submit').click();
}

/** The browser's own log lines of the 401 answers a test provokes on purpose; anything else stays for the file's check. */
function takeExpected401s(): void {
  const errors = f.errors.splice(0);
  const others = errors.filter((e) => !e.includes('status of 401'));
  f.errors.push(...others);
}

describe('password sign-in in the console', { timeout: 180_000 }, () => {
  it('signs in with a user name and password, shows the name, keeps the session over a reload, and signs out back to the sign-in page', async () => {
    const created = await call(f.base, f.h.tokens.admin, 'POST', '/api/users', { name: '李管理', role: 'admin', username: 'li.admin', password: 'a long admin password' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const { page, context } = await f.newPage(null);
    await page.goto(`${f.base}/`);
    await page.waitForURL(/\/signin/);
    await expect(page.locator('body').textContent()).resolves.not.toMatch(/npm start|demo-tokens|Bearer/);
    await screenshots(page, 'signin-password');

    await signInWithPassword(page, 'li.admin', 'not the password');
    await page.locator('.error-box').waitFor();
    await expect(page.locator('.error-box').textContent()).resolves.toContain('用户名或密码不正确');
    takeExpected401s();

    await signInWithPassword(page, 'LI.Admin', 'a long admin password');
    await page.getByTestId('user-role').waitFor();
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('李管理');
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('管理员');
    const cookies = await context.cookies();
    const sid = cookies.find((c) => c.name === 'sid');
    expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // nothing of the session is readable by the page's scripts
    await expect(page.evaluate<string>('document.cookie')).resolves.not.toContain('sid=');

    // a reload keeps the session
    await page.reload();
    await page.getByTestId('user-name').waitFor();
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('李管理');

    // the admin's Users page: creating a user is a POST with the session's CSRF token
    await page.goto(`${f.base}/users`);
    await page.getByTestId('users-page').waitFor();
    const form = page.getByTestId('create-user-form');
    await form.locator('[name="name"]').fill('赵销售');
    await form.locator('[name="username"]').fill('zhao.sales');
    await form.locator('[name="role"]').selectOption('sales');
    await form.locator('[name="password"]').fill('a long sales password');
    await page.getByTestId('create-user').click();
    await page.getByTestId('user-created').waitFor();
    await page.locator('[data-testid="users"] tr[data-user="zhao.sales"]').waitFor();
    await screenshots(page, 'users');

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/signin$/);
    await page.getByTestId('username-input').waitFor();
    expect((await context.cookies()).find((c) => c.name === 'sid')).toBeUndefined();
    await page.goto(`${f.base}/contracts`);
    await page.waitForURL(/\/signin\?next=/);

    // the user the admin created signs in with their password
    await signInWithPassword(page, 'zhao.sales', 'a long sales password');
    await page.waitForURL(/\/contracts$/);
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('赵销售');
  });

  it('changes their own password: the current one asked, the new one signs in, the old one no more', async () => {
    const created = await call(f.base, f.h.tokens.admin, 'POST', '/api/users', { name: '孙财务', role: 'finance', username: 'sun.finance', password: 'the first password' });
    expect(created.status).toBe(201);
    const { page } = await f.newPage(null);
    await page.goto(`${f.base}/signin`);
    await signInWithPassword(page, 'sun.finance', 'the first password');
    await page.getByTestId('change-password').click();
    const form = page.getByTestId('password-change-form');
    await form.locator('[name="currentPassword"]').fill('the first password');
    await form.locator('[name="newPassword"]').fill('the second password');
    await page.getByTestId('password-change').click();
    await page.getByTestId('password-changed').waitFor();
    await screenshots(page, 'password-change');

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/signin$/);
    await signInWithPassword(page, 'sun.finance', 'the first password');
    await page.locator('.error-box').waitFor();
    takeExpected401s();
    await signInWithPassword(page, 'sun.finance', 'the second password');
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('孙财务');
  });

  it('signs out everywhere: the session of another browser ends too', async () => {
    const created = await call(f.base, f.h.tokens.admin, 'POST', '/api/users', { name: '钱法务', role: 'legal', username: 'qian.legal', password: 'a long legal password' });
    expect(created.status).toBe(201);
    const first = await f.newPage(null);
    const second = await f.newPage(null);
    for (const { page } of [first, second]) {
      await page.goto(`${f.base}/signin`);
      await signInWithPassword(page, 'qian.legal', 'a long legal password');
      await page.getByTestId('user-name').waitFor();
    }
    await first.page.getByTestId('sign-out-everywhere').click();
    await first.page.waitForURL(/\/signin$/);

    await second.page.reload();
    await second.page.waitForURL(/\/signin/);
    await second.page.getByTestId('username-input').waitFor();
    takeExpected401s();
  });
});
