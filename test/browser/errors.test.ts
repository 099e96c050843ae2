/**
 * The API's errors in the user's language: each refusal is worded from its
 * reason and parameters (a payment reference already recorded with another
 * amount, in 元; a party signing twice, with the time in Beijing time; a
 * contract that does not exist), with no English on the Chinese screen, and a
 * retry is offered only where it could help.
 */
import { describe, expect, it } from 'vitest';
import { activeContract, call, consolePerFile, screenshots } from './browser';

const f = consolePerFile();

/** Words of English in a text, other than the ids the user typed or the system's numbers. */
const englishWords = (text: string) => (text.match(/\b[a-z]{3,}\b/gi) ?? []).filter((w) => !/^(DUP|INV|SMS|BANK)$/i.test(w));

/** The browser logs the refused request itself as a console error: that one is expected, any other is not. */
function expectOnlyRefused(status: number): void {
  const seen = f.errors.splice(0);
  expect(seen.filter((e) => !e.includes(`the server responded with a status of ${status}`))).toEqual([]);
}

describe('errors in the chosen language', { timeout: 180_000 }, () => {
  it('says in Chinese that a payment reference was already recorded with another amount, with no retry', async () => {
    const contract = await activeContract(f);
    const invoice = `INV-${contract.number}-T1`;
    // the invoice exists once the payment workflow issued it
    for (let i = 0; i < 60; i++) {
      const listed = await call(f.base, f.h.tokens.finance, 'GET', '/api/invoices');
      if (listed.body.items.some((x: { number: string }) => x.number === invoice)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const first = await call(f.base, f.h.tokens.finance, 'POST', `/api/contracts/${contract.id}/payments`, {
      amountFen: 100_000,
      reference: 'DUP-0001',
      paidAt: new Date(await f.h.env.currentTimeMs()).toISOString(),
      method: 'bank_transfer',
      invoiceNumber: invoice,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);

    const { page } = await f.newPage('finance');
    await page.goto(`${f.base}/finance`);
    const row = page.locator(`tr[data-invoice="${invoice}"]`);
    await row.waitFor();
    await row.getByTestId('record-payment').click();
    const form = page.getByTestId('payment-form');
    await form.locator('#pay-amountFen').fill('500.00');
    await form.locator('#pay-reference').fill('DUP-0001');
    await page.getByTestId('payment-submit').click();
    const box = page.locator('.error-box');
    await box.waitFor();
    // the sentence itself (the request id below it is an id, not words)
    const text = (await box.locator('p').first().textContent())!;
    await screenshots(page, 'error-duplicate-reference');
    expect(await box.getAttribute('data-code')).toBe('CONFLICT');
    expect(await box.getAttribute('data-reason')).toBe('payment.amount_mismatch');
    expect(text).toBe('付款流水号 DUP-0001 已按另一金额（1,000.00 元）登记过，本次填写的是 500.00 元');
    expect(englishWords(text)).toEqual([]);
    await expect(box.getByRole('button', { name: '重试' }).count()).resolves.toBe(0);
    expectOnlyRefused(409);
  });

  it('says in Chinese that a contract does not exist, without a retry that would only repeat it', async () => {
    const { page } = await f.newPage('sales');
    await page.goto(`${f.base}/contracts/00000000-0000-4000-8000-000000000000`);
    const box = page.locator('.error-box');
    await box.waitFor();
    const text = (await box.locator('p').first().textContent())!;
    expect(await box.getAttribute('data-code')).toBe('NOT_FOUND');
    expect(await box.getAttribute('data-reason')).toBe('contract.not_found');
    expect(text).toBe('合同不存在或无权查看');
    expect(englishWords(text)).toEqual([]);
    await expect(box.getByRole('button', { name: '重试' }).count()).resolves.toBe(0);
    expectOnlyRefused(404);
  });

  it('says in Chinese, with the time in Beijing time, that the party signed meanwhile, when a second signature of it is refused', async () => {
    const sales = f.h.tokens.sales;
    const template = await call(f.base, sales, 'GET', '/api/templates/reference');
    const created = await call(f.base, sales, 'POST', '/api/contracts', template.body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const { page } = await f.newPage('sales');
    await page.goto(`${f.base}/contracts/${id}/sign?party=A`);
    await page.getByTestId('sign-form').waitFor();
    await page.getByTestId('sealed').check();
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('confirm').waitFor();

    // meanwhile Party A's signature is recorded by someone else, a minute ago (by the API's clock and the workflows' alike)
    const signedMs = Math.floor(Math.min(Date.now(), await f.h.env.currentTimeMs()) / 60_000) * 60_000 - 60_000;
    const signedA = await call(f.base, sales, 'POST', `/api/contracts/${id}/signatures`, { party: 'A', signer: '张示例', title: '授权代表', sealed: true, signedAt: new Date(signedMs).toISOString() });
    expect(signedA.status, JSON.stringify(signedA.body)).toBe(200);

    await page.getByTestId('confirm-yes').click();
    const box = page.locator('.error-box');
    await box.waitFor();
    const text = (await box.locator('p').first().textContent())!;
    await screenshots(page, 'error-already-signed');
    // the instant as a clock in Beijing (UTC+8) reads it, written out by hand: YYYY/MM/DD HH:MM
    const beijing = new Date(signedMs + 8 * 3_600_000).toISOString();
    const when = `${beijing.slice(0, 4)}/${beijing.slice(5, 7)}/${beijing.slice(8, 10)} ${beijing.slice(11, 16)}`;
    expect(await box.getAttribute('data-code')).toBe('ALREADY_SIGNED');
    expect(await box.getAttribute('data-reason')).toBe('signature.already_signed');
    expect(text).toBe(`甲方已于 ${when}（北京时间）由 张示例 签署，不能重复签署`);
    expect(englishWords(text)).toEqual([]);
    expect(text).not.toContain('T');
    await expect(box.getByRole('button', { name: '重试' }).count()).resolves.toBe(0);
    expectOnlyRefused(409);
  });
});
