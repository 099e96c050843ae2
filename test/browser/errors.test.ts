/**
 * The API's errors in the user's language (issue: "server errors reach the
 * Chinese screen raw and in English"): a payment reference already recorded
 * with another amount, and a contract that does not exist, read in Chinese
 * with the code's title, and a retry is offered only where it could help.
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
    expect(text).toContain('付款流水号 DUP-0001 已按另一金额（100000 分）登记过');
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
    expect(text).toContain('合同不存在或无权查看');
    expect(englishWords(text)).toEqual([]);
    await expect(box.getByRole('button', { name: '重试' }).count()).resolves.toBe(0);
    expectOnlyRefused(404);
  });
});
