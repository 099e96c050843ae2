/**
 * The web console in a real browser (Debian's chromium, headless, through
 * playwright-core) against the real app, Postgres, worker and the Temporal
 * dev server, so time runs normally. Every test fails on any console error
 * and leaves screenshots of the pages it visits at 1280x800 and 390 px wide
 * in test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { storeDigest } from '../../db/digests';
import { activeContract, call, screenshots, signIn, consolePerFile } from './browser';

const f = consolePerFile();

const DAY = 86_400;

describe('web console', { timeout: 180_000 }, () => {
  it('sales creates a contract and both parties sign it: the detail page shows active and a payment countdown of about 30 days', async () => {
    const { page } = await f.newPage(null);
    await page.goto(`${f.base}/`);
    await page.waitForURL(/\/signin/);
    await screenshots(page, 'signin');
    await signIn(page, f.base, f.h.tokens.sales);
    await page.waitForURL(/\/contracts$/);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('销售');

    await page.getByTestId('new-contract').click();
    await page.waitForURL(/\/contracts\/new$/);
    const form = page.getByTestId('new-contract-form');
    // pre-filled from GET /api/templates/reference
    await expect.poll(() => form.locator('[name="partyA.name"]').inputValue()).toBe('内蒙古自治区地震局');
    await expect(form.locator('[name="sms.signature"]').inputValue()).resolves.toBe('【内蒙古自治区地震局】');
    // validated with the API's own schema as you type
    const phone = form.locator('[name="partyA.contact.phone"]');
    await phone.fill('12345');
    await phone.blur();
    await expect(form.getByTestId('field-error').first().textContent()).resolves.toContain('须为中国大陆手机号');
    await screenshots(page, 'new-contract-invalid');
    await phone.fill('13800000001');
    await expect.poll(() => form.getByTestId('field-error').count()).toBe(0);
    await screenshots(page, 'new-contract');

    await page.getByTestId('create-contract').click();
    await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const detail = page.getByTestId('contract-detail');
    await detail.waitFor();
    await expect(detail.getByTestId('status').first().getAttribute('data-status')).resolves.toBe('awaiting_signatures');
    await detail.locator('[data-kind="signing"] [data-testid="countdown"]').waitFor();
    await screenshots(page, 'contract-awaiting-signatures');

    // party A signs, then party B, on the signing screen: each party chosen, each signature confirmed
    await page.getByTestId('sign-link').click();
    await page.waitForURL(new RegExp(`/contracts/${id}/sign`));
    await page.getByTestId('sign-form').waitFor();
    await expect(page.getByTestId('party-A').isChecked()).resolves.toBe(false);
    await expect(page.getByTestId('party-B').isChecked()).resolves.toBe(false);
    await page.getByTestId('party-A').check();
    await expect.poll(() => page.getByTestId('signer').inputValue()).toBe('张示例');
    await page.getByTestId('sealed').check();
    await screenshots(page, 'sign');
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('confirm-yes').click();
    await page.locator('.sign-status li.ok').first().waitFor();
    await expect.poll(() => page.getByTestId('party-A').isDisabled()).toBe(true);
    // nobody is switched to the other party: it is chosen
    await expect(page.getByTestId('party-B').isChecked()).resolves.toBe(false);
    await page.getByTestId('party-B').check();
    await expect.poll(() => page.getByTestId('signer').inputValue()).toBe('王示例');
    await page.getByTestId('sealed').check();
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('confirm-yes').click();

    await page.waitForURL(new RegExp(`/contracts/${id}$`));
    await page.locator('[data-testid="contract-detail"] [data-status="active"]').first().waitFor();
    const countdown = page.locator('[data-section="deadlines"] [data-kind="payment"] [data-testid="countdown"]');
    await countdown.waitFor({ timeout: 30_000 });
    const secondsLeft = Number(await countdown.getAttribute('data-seconds-left'));
    const api = await call(f.base, f.h.tokens.sales, 'GET', `/api/contracts/${id}`);
    const payment = api.body.deadlines.find((d: { kind: string }) => d.kind === 'payment');
    // 30 days counted from the day after signing, to 24:00 of the last day (pushed past rest days by Art. 203)
    expect(secondsLeft).toBeGreaterThan(30 * DAY - 60);
    expect(secondsLeft).toBeLessThan(40 * DAY);
    expect(Math.abs(secondsLeft - payment.secondsLeft)).toBeLessThan(15);
    // in words, days beyond 48 hours: no ticking clock
    await expect(countdown.textContent()).resolves.toBe(`剩余 ${Math.floor(secondsLeft / DAY)} 天`);
    expect(Math.floor(secondsLeft / DAY)).toBeGreaterThanOrEqual(30);
    // it is live: it ticks down
    await page.waitForTimeout(2_100);
    expect(Number(await countdown.getAttribute('data-seconds-left'))).toBeLessThan(secondsLeft);

    await expect(page.getByTestId('signature-A').textContent()).resolves.toContain('张示例');
    await page.locator('[data-testid="invoices"] [data-invoice]').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('quota-chart').waitFor();
    await expect(page.getByTestId('quota-chart').textContent()).resolves.toContain('12,666');
    const signedPdf = page.locator('[data-testid="documents"] [data-kind="signed_contract"]');
    await signedPdf.waitFor({ timeout: 30_000 });
    // documents: downloaded with the bearer token, previewed in place (a blob: frame the CSP allows)
    const [pdf] = await Promise.all([page.waitForEvent('download'), signedPdf.getByRole('button', { name: '下载' }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    await signedPdf.getByRole('button', { name: '预览' }).click();
    await expect(page.locator('iframe.pdf-frame').getAttribute('src')).resolves.toMatch(/^blob:/);
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('合同生效');
    await screenshots(page, 'contract-active');

    // the list: filters in the URL, the next deadline counting down
    await page.goto(`${f.base}/contracts?status=active`);
    const row = page.locator(`tr[data-contract-id="${id}"]`);
    await row.waitFor();
    await expect(row.getByTestId('countdown').count()).resolves.toBe(1);
    await screenshots(page, 'contracts');

    // English on request
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: 'Contracts' }).waitFor();
    await expect(row.getByTestId('status').textContent()).resolves.toBe('active');
    await screenshots(page, 'contracts-en');
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: '合同' }).waitFor();
  });

  it('finance sees invoices with the countdown and records a payment; the invoice becomes paid', async () => {
    const contract = await activeContract(f);
    const invoiceNumber = `INV-${contract.number}-T1`;
    const { page } = await f.newPage('finance');
    // finance has no contract creation and no signing
    await expect(page.locator('nav.nav').textContent()).resolves.not.toContain('新建合同');
    let row = page.locator(`tr[data-invoice="${invoiceNumber}"]`);
    for (let i = 0; i < 60 && (await row.count()) === 0; i++) {
      await page.goto(`${f.base}/finance`);
      await page.waitForTimeout(500);
      row = page.locator(`tr[data-invoice="${invoiceNumber}"]`);
    }
    await row.waitFor();
    await expect(row.getByTestId('countdown').count()).resolves.toBe(1);
    await screenshots(page, 'finance');
    await row.getByTestId('record-payment').click();
    const form = page.getByTestId('payment-form');
    await expect.poll(() => form.locator('#pay-amountFen').inputValue()).toBe('2997.00');
    await form.locator('#pay-reference').fill('BANK-0001');
    await screenshots(page, 'finance-payment');
    await page.getByTestId('payment-submit').click();
    await page.locator('.notice.n-ok').waitFor();
    await expect(page.locator('.notice.n-ok').textContent()).resolves.toContain('已付清');
    // the list reloads after the notice shows: the row turns paid when the reload lands
    await expect.poll(() => row.locator('[data-testid="status"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('paid');
  });

  it('finance records part of an invoice: it reads 部分付款, the totals and ageing show it, and the ageing downloads as a CSV for Excel', async () => {
    const contract = await activeContract(f);
    const invoiceNumber = `INV-${contract.number}-T1`;
    const { page } = await f.newPage('finance');
    let row = page.locator(`tr[data-invoice="${invoiceNumber}"]`);
    for (let i = 0; i < 60 && (await row.count()) === 0; i++) {
      await page.goto(`${f.base}/finance`);
      await page.waitForTimeout(500);
      row = page.locator(`tr[data-invoice="${invoiceNumber}"]`);
    }
    await row.getByTestId('record-payment').click();
    const form = page.getByTestId('payment-form');
    await form.locator('#pay-amountFen').fill('1000.00');
    await form.locator('#pay-reference').fill('BANK-PART-1');
    await page.getByTestId('payment-submit').click();
    await page.locator('.notice.n-ok').waitFor();
    await expect(page.locator('.notice.n-ok').textContent()).resolves.toContain('部分付款');
    await expect.poll(() => row.locator('[data-testid="status"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('partially_paid');
    await expect(row.getByTestId('status').textContent()).resolves.toBe('部分付款');
    // the totals count it as partly paid; the ageing has it not yet due
    const partly = page.getByTestId('invoice-totals').locator('tr[data-status="partially_paid"] td');
    await expect.poll(async () => Number(await partly.nth(1).textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('ageing-table').locator('tr[data-bucket="current"] td').nth(0).textContent()).resolves.toBe('未到期');
    await screenshots(page, 'finance-ageing');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ageing-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^应收账款账龄-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toContain(`${invoiceNumber},${contract.number},内蒙古自治区地震局`);
    // the filter shows it under partly paid
    await page.goto(`${f.base}/finance?status=partially_paid`);
    await page.locator(`tr[data-invoice="${invoiceNumber}"]`).waitFor();
  });

  it('a customer operator types 【…】 text with ★ and sees it highlighted in place before sending', async () => {
    const contract = await activeContract(f);
    const { page } = await f.newPage('customer');
    // a customer operator may not create contracts
    await expect(page.locator('nav.nav').textContent()).resolves.not.toContain('新建合同');
    await page.goto(`${f.base}/compose`);
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('compose-contract').selectOption(contract.id);
    const input = page.getByTestId('message-input');
    await input.fill('【内蒙古自治区地震局】今晚20:00举行★地震应急演练，请勿惊慌。');

    const star = page.locator('[data-testid="lint-highlights"] mark[data-code="UNSUPPORTED_SYMBOL"]');
    await star.waitFor();
    await expect(star.textContent()).resolves.toBe('★');
    // the mark sits under the ★ of the textarea: same place on screen
    const box = await star.boundingBox();
    const area = await input.boundingBox();
    expect(box && area && box.x > area.x && box.x < area.x + area.width && box.y > area.y && box.y < area.y + area.height).toBe(true);
    const issues = page.getByTestId('lint-issues');
    await expect(issues.textContent()).resolves.toContain('不支持特殊符号“★”');
    // one UCS-2 part: 11-character signature + body
    await expect.poll(() => page.getByTestId('segments').textContent()).toContain('1 条计费');
    await page.getByTestId('send-at').waitFor();
    await page.getByTestId('recipients-input').fill('13800000001\n138 0000 0002\n13800000001\n12345');
    await expect.poll(() => page.getByTestId('recipient-summary').textContent()).toMatch(/有效号码 2 个.*重复号码 1 个.*无效号码 1 个/);
    await page.getByTestId('recipients-csv').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from('phone,member\n13800000003,1\n13800000004,0\n') });
    await expect.poll(() => page.getByTestId('recipient-summary').textContent()).toContain('有效号码 4 个');
    await expect.poll(() => page.getByTestId('quota-cost').textContent()).toContain('4 条额度');
    const send = page.getByTestId('send');
    if ((await send.count()) > 0) await expect(send.isDisabled()).resolves.toBe(true);
    await screenshots(page, 'compose-highlighted');

    // a forbidden category is marked too; marketing needs its unsubscribe suffix
    await input.fill('【内蒙古自治区地震局】会员专享股票内幕消息');
    await page.locator('[data-testid="lint-highlights"] mark[data-code="FORBIDDEN_CATEGORY"]').first().waitFor();

    await input.fill('【内蒙古自治区地震局】今晚20:00举行地震应急演练，请勿惊慌。');
    await page.getByTestId('lint-ok').waitFor();
    await expect(page.locator('[data-testid="lint-highlights"] mark').count()).resolves.toBe(0);
    await screenshots(page, 'compose-ok');
    // sending (when the messages endpoint exists): per-recipient results
    if ((await send.count()) > 0) {
      await expect(send.isEnabled()).resolves.toBe(true);
      await send.click();
      const results = page.getByTestId('send-results');
      await results.waitFor({ timeout: 30_000 });
      await expect(results.locator('tbody tr').count()).resolves.toBe(4);
      await expect(results.locator('tbody tr[data-status="accepted"], tbody tr[data-status="held"]').count()).resolves.toBe(4);
      await screenshots(page, 'compose-sent');
    }
  });

  it('a legal user serves a breach notice and sees a 10-day countdown on the board', async () => {
    const contract = await activeContract(f);
    const { page } = await f.newPage('legal');
    await page.goto(`${f.base}/legal`);
    await page.getByRole('heading', { name: '法务看板' }).waitFor();
    await page.getByTestId('serve-breach').click();
    const form = page.getByTestId('breach-form');
    await form.waitFor();
    await form.getByTestId('breach-contract').selectOption(contract.id);
    // validated with the API's schema before it is sent
    await form.getByTestId('breach-submit').click();
    await form.locator('.field-error').first().waitFor();
    await form.getByTestId('breach-served-by').selectOption('B');
    await form.getByTestId('breach-description').fill('甲方发送的营销短信未附退订方式，违反第八条第3款。');
    await form.getByTestId('breach-clause').fill('第八条第3款');
    await screenshots(page, 'legal-serve');
    await form.getByTestId('breach-submit').click();
    await form.getByTestId('confirm-yes').click();
    await page.locator('.notice.n-ok').waitFor();

    const card = page.locator('[data-testid="case"][data-kind="breach"]', { hasText: contract.number });
    await card.waitFor();
    const countdown = card.getByTestId('countdown');
    const secondsLeft = Number(await countdown.getAttribute('data-seconds-left'));
    // 10 days counted from the day after service, to 24:00 of the last day, pushed past rest days (Art. 203)
    expect(secondsLeft).toBeGreaterThan(10 * DAY - 60);
    expect(secondsLeft).toBeLessThan(20 * DAY);
    await expect(countdown.textContent()).resolves.toBe(`剩余 ${Math.floor(secondsLeft / DAY)} 天`);
    const cases = await call(f.base, f.h.tokens.legal, 'GET', `/api/cases?contract=${contract.id}`);
    const served = cases.body.items.find((c: { kind: string }) => c.kind === 'breach');
    expect(served.deadline.kind).toBe('cure');
    expect(Math.abs(secondsLeft - served.secondsLeft)).toBeLessThan(15);
    await expect(card.getByTestId('status').getAttribute('data-status')).resolves.toBe('served');
    // the notified party (A) may cure or object; the serving party may withdraw
    await expect(card.getByTestId('action-cure').count()).resolves.toBe(1);
    await expect(card.getByTestId('action-objection').count()).resolves.toBe(1);
    await expect(card.getByTestId('action-withdrawal').count()).resolves.toBe(1);
    await screenshots(page, 'legal-board');

    // an objection moves the case to negotiation, with its own time limit
    await card.getByTestId('action-objection').click();
    await card.locator('[data-action="objection"] textarea').fill('甲方已于短信末尾附“回TD退订”，不构成违约。');
    await card.locator('[data-action="objection"] button[type="submit"]').click();
    await card.locator('[data-testid="status"][data-status="negotiating"]').waitFor();
    await expect(card.getByTestId('action-settlement').count()).resolves.toBe(1);

    // the contract's page lists the case too
    await page.goto(`${f.base}/contracts/${contract.id}`);
    await page.getByTestId('contract-cases').waitFor();
    await expect(page.getByTestId('contract-cases').textContent()).resolves.toContain('违约');
  });

  it('shows the renewal digest and the calendar export', async () => {
    const contract = await activeContract(f);
    const now = new Date();
    await storeDigest(f.h.database.db, {
      id: now.toISOString().slice(0, 10),
      generatedAt: now.toISOString(),
      horizonDays: 60,
      asOf: now.toISOString(),
      groups: [
        {
          ownerId: f.h.users.sales,
          ownerName: '测试sales',
          renewalWindows: [],
          termsEnding: [],
          payments: [{ contractId: contract.id, contractNumber: contract.number, partyA: '内蒙古自治区地震局', kind: 'payment', dueAt: new Date(now.getTime() + 30 * DAY * 1000).toISOString(), explanation: '签署次日起算30日' }],
          cures: [],
        },
      ],
    });
    const { page } = await f.newPage('sales');
    await page.goto(`${f.base}/digest`);
    await page.getByTestId('digest').waitFor();
    await expect(page.getByTestId('digest').textContent()).resolves.toContain(contract.number);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('calendar-download').click()]);
    expect(download.suggestedFilename()).toBe('deadlines.ics');
    await screenshots(page, 'digest');
  });

  it('takes a signed-out deep link through the sign-in page and back, and offers each role only its pages', async () => {
    const contract = await activeContract(f);
    const { page } = await f.newPage(null);
    await page.goto(`${f.base}/contracts/${contract.id}`);
    await page.waitForURL(/\/signin\?next=/);
    await page.getByTestId('token-input').fill('smsc_not-a-real-token-0000000000');
    await page.getByTestId('signin-submit').click();
    await page.locator('.error-box').waitFor();
    // the browser itself logs the refused token's 401 response; nothing else may be there
    const refused = f.errors.splice(0);
    expect(refused.every((e) => e.includes('status of 401'))).toBe(true);
    await page.getByTestId('token-input').fill(f.h.tokens.customer);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(new RegExp(`/contracts/${contract.id}$`));
    await page.getByTestId('contract-detail').waitFor();
    // a customer operator does not sign, record payments or create contracts
    await expect(page.getByTestId('sign-link').count()).resolves.toBe(0);
    await page.goto(`${f.base}/contracts/new`);
    await expect(page.locator('main').textContent()).resolves.toContain('无权访问');
    await page.goto(`${f.base}/finance`);
    await expect(page.locator('main').textContent()).resolves.toContain('无权访问');
  });
});
