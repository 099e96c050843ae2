/**
 * Suspension pending rectification (Art.4 §9) on screen, in a real browser
 * against the real API, Temporal dev server and Postgres: legal suspends a
 * contract from its page (nothing chosen for them but the period; the
 * consequence confirmed first), the customer's submissions are refused while
 * it lasts, and confirming the rectification (again after its consequence)
 * ends it.
 */
import { describe, expect, it } from 'vitest';
import { activeContract, call, consolePerFile, screenshots } from './browser';

const f = consolePerFile();

const MESSAGE = { category: 'notification', content: '【内蒙古自治区地震局】地震速报：阿拉善盟发生3.2级地震，请注意防范。', recipients: ['13900000001'] };

describe('suspension on screen', { timeout: 240_000 }, () => {
  it('legal suspends a contract after confirming the consequence; submissions are refused until the rectification is confirmed', async () => {
    const contract = await activeContract(f);
    const { page } = await f.newPage('legal');
    await page.goto(`${f.base}/contracts/${contract.id}`);
    await page.getByTestId('suspend').click();
    const form = page.getByTestId('suspend-form');
    await form.waitFor();
    // no source and no reason chosen for the person; the period is the terms' (the reference terms name none: 10 days)
    for (const source of ['authority_notice', 'report', 'own_finding']) await expect(form.getByTestId(`suspend-source-${source}`).isChecked()).resolves.toBe(false);
    await expect(form.getByTestId('suspend-reason').inputValue()).resolves.toBe('');
    await expect(form.getByTestId('suspend-days').inputValue()).resolves.toBe('10');
    await form.getByTestId('suspend-submit').click();
    await expect(form.locator('.field-error').count()).resolves.toBe(2);
    await expect(page.getByTestId('confirm').count()).resolves.toBe(0);

    await form.getByTestId('suspend-source-authority_notice').check();
    await form.getByTestId('suspend-reason').fill('通信管理局通知：该账号发送的短信被大量投诉，须限期整改。');
    await form.getByTestId('suspend-days').fill('5');
    await form.getByTestId('suspend-submit').click();
    const confirm = form.getByTestId('confirm');
    await confirm.waitFor();
    const consequence = (await confirm.getByTestId('confirm-consequence').textContent()) ?? '';
    expect(consequence).toContain(contract.number);
    expect(consequence).toContain('整改期限 5 日');
    await expect(confirm.getByTestId('confirm-yes').getAttribute('class')).resolves.toContain('btn-danger');
    await screenshots(page, 'suspension-confirm');
    // cancelling sends nothing
    await confirm.getByTestId('confirm-no').click();
    expect((await call(f.base, f.h.tokens.legal, 'GET', `/api/cases?contract=${contract.id}&kind=suspension&status=all`)).body.items).toEqual([]);
    await form.getByTestId('suspend-submit').click();
    await form.getByTestId('confirm').getByTestId('confirm-yes').click();
    await page.locator('[data-section="cases"] .notice.n-ok').waitFor();

    const item = page.locator('[data-testid="contract-cases"] li[data-kind="suspension"]');
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('暂停中');
    const cases = await call(f.base, f.h.tokens.legal, 'GET', `/api/cases?contract=${contract.id}&kind=suspension`);
    const suspension = cases.body.items[0];
    expect(suspension).toMatchObject({ kind: 'suspension', status: 'suspended' });
    expect(suspension.details).toMatchObject({ source: 'authority_notice', rectificationDays: 5 });

    // the customer's submission is refused, with the reason the console words
    const refused = await call(f.base, f.h.tokens.customer, 'POST', `/api/contracts/${contract.id}/messages`, { ...MESSAGE, idempotencyKey: 'suspended-1' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONTRACT_SUSPENDED', reason: 'contract.suspended', params: { caseId: suspension.id, lapsed: false } });

    // legal confirms the rectification, after its consequence
    await item.getByTestId('action-rectification').click();
    await item.locator('[data-action="rectification"] textarea').fill('客户已删除违规内容并完成整改，经复核合格。');
    await item.locator('[data-action="rectification"] button[type="submit"]').click();
    await expect(item.getByTestId('confirm-consequence').textContent()).resolves.toContain('恢复发送');
    await item.getByTestId('confirm-yes').click();
    await expect
      .poll(async () => (await call(f.base, f.h.tokens.legal, 'GET', `/api/cases/${encodeURIComponent(suspension.id)}`)).body.status, { timeout: 30_000 })
      .toBe('rectified');
    // no longer refused for the suspension (held or sent by the window, as any message)
    const after = await call(f.base, f.h.tokens.customer, 'POST', `/api/contracts/${contract.id}/messages`, { ...MESSAGE, idempotencyKey: 'rectified-1' });
    expect(after.status, JSON.stringify(after.body)).toBe(202);

    // the timeline tells it in words, by the person's name: no event codes, no user ids
    await page.reload();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    const told = (await timeline.textContent()) ?? '';
    for (const words of ['暂停服务', '恢复服务', '立案', '提交短信', '操作人 测试legal（法务）', '系统自动']) expect(told).toContain(words);
    expect(told).not.toMatch(/\b[a-z_]+\.[a-z_]+\b/);
    expect(told).not.toContain('test-legal');
  });
});
