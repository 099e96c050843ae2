/**
 * Irreversible acts in a real browser: termination asks first in the danger
 * colour with no effective time assumed (cancelling leaves the contract
 * active, confirming terminates it); the breach-notice form chooses no
 * contract, serving party or clause for the person; the signing page opened
 * for a party that has signed says so and offers nothing to sign for it; and
 * a deadline three years away reads in days, without ticking seconds.
 * Instants come from the server clock.
 */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeContract, call, screenshots, consolePerFile } from './browser';

const f = consolePerFile();

const HOUR = 3_600_000;
const DAY_S = 86_400;

const shanghaiInput = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);
const readCountdown = (countdown: Locator) =>
  countdown.evaluate((el) => ({ text: el.textContent ?? '', left: Number(el.getAttribute('data-seconds-left')) }));
const statusOf = async (id: string) => (await call(f.base, f.h.tokens.legal, 'GET', `/api/contracts/${id}`)).body.status as string;

describe('irreversible acts ask first and assume nothing', { timeout: 180_000 }, () => {
  it('terminates a contract only after the confirmation: cancelling leaves it active, confirming terminates it', async () => {
    const contract = await activeContract(f);
    const { page } = await f.newPage('legal');
    await page.goto(`${f.base}/contracts/${contract.id}`);
    const open = page.getByTestId('terminate');
    await open.waitFor();
    // not the blue primary button: the danger colour
    const openClass = (await open.getAttribute('class')) ?? '';
    expect(openClass).toContain('btn-danger-outline');
    expect(openClass).not.toContain('btn-primary');
    await open.click();
    const form = page.getByTestId('termination-form');
    // no effective time is assumed
    await expect(form.getByTestId('termination-effective').inputValue()).resolves.toBe('');
    await form.getByTestId('termination-reason').fill('双方协商一致提前解除合同。');
    await form.getByTestId('termination-form-submit').click();
    await expect(form.locator('.error-box').textContent()).resolves.toContain('终止生效时间');
    await expect(form.getByTestId('confirm').count()).resolves.toBe(0);

    await form.getByTestId('termination-effective').fill(shanghaiInput(await f.h.env.currentTimeMs()));
    await form.getByTestId('termination-form-submit').click();
    const confirm = form.getByTestId('confirm');
    await confirm.waitFor();
    await expect(confirm.getByTestId('confirm-consequence').textContent()).resolves.toMatch(new RegExp(`合同 ${contract.number} 将于 .+ 解除.*不能撤回`));
    await expect(confirm.getByTestId('confirm-yes').getAttribute('class')).resolves.toContain('btn-danger');
    // the fields are locked while the act is asked
    await expect(form.getByTestId('termination-effective').isDisabled()).resolves.toBe(true);
    await screenshots(page, 'termination-confirm');

    await confirm.getByTestId('confirm-no').click();
    await expect(form.getByTestId('confirm').count()).resolves.toBe(0);
    await page.waitForTimeout(1_000);
    expect(await statusOf(contract.id)).toBe('active');
    await expect(page.locator('[data-testid="contract-detail"] .head-actions [data-testid="status"]').getAttribute('data-status')).resolves.toBe('active');

    await form.getByTestId('termination-form-submit').click();
    await form.getByTestId('confirm-yes').click();
    await expect.poll(() => statusOf(contract.id), { timeout: 30_000 }).toBe('terminated');
    await expect
      .poll(() => page.locator('[data-testid="contract-detail"] .head-actions [data-testid="status"]').getAttribute('data-status'), { timeout: 40_000 })
      .toBe('terminated');
  });

  it('opens the breach-notice form with no contract, no serving party and no clause chosen, and serves only after the confirmation', async () => {
    const contract = await activeContract(f);
    const { page } = await f.newPage('legal');
    await page.goto(`${f.base}/legal`);
    await page.getByTestId('serve-breach').click();
    const form = page.getByTestId('breach-form');
    await form.waitFor();
    await expect.poll(() => form.getByTestId('breach-contract').locator('option').count()).toBeGreaterThan(1);
    await expect(form.getByTestId('breach-contract').inputValue()).resolves.toBe('');
    await expect(form.getByTestId('breach-served-by').inputValue()).resolves.toBe('');
    await expect(form.getByTestId('breach-clause').inputValue()).resolves.toBe('');
    await screenshots(page, 'breach-form-empty');
    // nothing chosen: refused in place, nothing asked, nothing served
    await form.getByTestId('breach-submit').click();
    await expect(form.locator('.field-error').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(form.getByTestId('confirm').count()).resolves.toBe(0);

    await form.getByTestId('breach-contract').selectOption(contract.id);
    await form.getByTestId('breach-served-by').selectOption('B');
    await form.getByTestId('breach-clause').fill('第八条第3款');
    await form.getByTestId('breach-description').fill('甲方发送的营销短信未附退订方式。');
    await form.getByTestId('breach-submit').click();
    const consequence = form.getByTestId('confirm-consequence');
    await expect(consequence.textContent()).resolves.toContain(contract.number);
    await expect(consequence.textContent()).resolves.toContain('第八条第3款');
    await screenshots(page, 'breach-confirm');
    await form.getByTestId('confirm-no').click();
    const none = await call(f.base, f.h.tokens.legal, 'GET', `/api/cases?contract=${contract.id}&kind=breach`);
    expect(none.body.items).toEqual([]);
    await form.getByTestId('breach-submit').click();
    await form.getByTestId('confirm-yes').click();
    await page.locator('.notice.n-ok').waitFor();
    const served = await call(f.base, f.h.tokens.legal, 'GET', `/api/cases?contract=${contract.id}&kind=breach`);
    expect(served.body.items).toHaveLength(1);
    expect(served.body.items[0]).toMatchObject({ servedBy: 'B', clause: '第八条第3款', status: 'served' });
  });

  it('tells a party that has signed so on the signing page and offers nothing to sign for it', async () => {
    const sales = f.h.tokens.sales;
    const template = await call(f.base, sales, 'GET', '/api/templates/reference');
    const created = await call(f.base, sales, 'POST', '/api/contracts', template.body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const signedA = await call(f.base, sales, 'POST', `/api/contracts/${id}/signatures`, { party: 'A', signer: '张示例', title: '授权代表', sealed: true });
    expect(signedA.status).toBe(200);

    const { page } = await f.newPage('sales');
    await page.goto(`${f.base}/contracts/${id}/sign?party=A`);
    const already = page.getByTestId('already-signed');
    await already.waitFor();
    await expect(already.textContent()).resolves.toMatch(/甲方（.+）已于 .+ 由 张示例 签署，无需再次签署/);
    // nothing to sign for A, and no silent switch to B
    await expect(page.getByTestId('sign-form').count()).resolves.toBe(0);
    await expect(page.getByTestId('sign-submit').count()).resolves.toBe(0);
    await expect(page.getByTestId('party-B').count()).resolves.toBe(0);
    await screenshots(page, 'sign-already-signed');

    // signing for the other party is a choice, by its own link, and asks first
    await page.getByTestId('sign-other').click();
    await page.waitForURL(new RegExp(`/contracts/${id}/sign\\?party=B$`));
    await page.getByTestId('sign-form').waitFor();
    await expect(page.getByTestId('party-B').isChecked()).resolves.toBe(true);
    await expect(page.getByTestId('party-A').isDisabled()).resolves.toBe(true);
    await page.getByTestId('sealed').check();
    await page.getByTestId('sign-submit').click();
    await expect(page.getByTestId('confirm-consequence').textContent()).resolves.toContain('签署后不能撤回');
    await screenshots(page, 'sign-confirm');
    await page.getByTestId('confirm-no').click();
    const still = await call(f.base, sales, 'GET', `/api/contracts/${id}`);
    expect(still.body.status).toBe('awaiting_signatures');
    expect(still.body.signatures.map((s: { party: string }) => s.party)).toEqual(['A']);
  });

  it('reads a deadline three years away as "剩余 N 天" that does not tick, in both languages', async () => {
    const contract = await activeContract(f);
    const { page } = await f.newPage('sales');
    await page.goto(`${f.base}/contracts/${contract.id}`);
    const countdown = page.locator('[data-section="deadlines"] [data-kind="term_end"] [data-testid="countdown"]');
    await countdown.waitFor({ timeout: 30_000 });
    const first = await readCountdown(countdown);
    expect(first.left).toBeGreaterThan(2 * 365 * DAY_S);
    expect(first.text).toBe(`剩余 ${Math.floor(first.left / DAY_S)} 天`);
    const api = await call(f.base, f.h.tokens.sales, 'GET', `/api/contracts/${contract.id}`);
    const termEnd = api.body.deadlines.find((d: { kind: string }) => d.kind === 'term_end');
    expect(Math.abs(first.left - termEnd.secondsLeft)).toBeLessThan(20);
    // the seconds still run underneath; the words do not change by the second
    await page.waitForTimeout(2_100);
    const later = await readCountdown(countdown);
    expect(later.left).toBeLessThan(first.left);
    expect(later.text).toBe(`剩余 ${Math.floor(later.left / DAY_S)} 天`);
    expect(later.text).not.toMatch(/\d\d:\d\d/);
    await screenshots(page, 'countdown-days');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(async () => (await readCountdown(countdown)).text).toMatch(/^\d+ days left$/);
    const en = await readCountdown(countdown);
    expect(en.text).toBe(`${Math.floor(en.left / DAY_S)} days left`);
    await page.getByTestId('lang-toggle').click();
  });
});
