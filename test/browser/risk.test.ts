/**
 * A contract's worst open matter where people look (domain/risk.ts), in a
 * real browser: a contract brought in with its first invoice unpaid since
 * half a year shows "已逾期" in red-amber words before its status in the list
 * and as a banner at the top of its page, with a link to act; a contract in
 * order shows none. Dates come from the server's clock.
 */
import { describe, expect, it } from 'vitest';
import { REFERENCE_TERMS } from '../../domain/terms';
import { call, screenshots, consolePerFile } from './browser';

const f = consolePerFile();

const DAY = 86_400_000;

describe('the worst open matter of a contract', { timeout: 180_000 }, () => {
  it('shows an overdue invoice before the status in the list and as a banner on the page, and nothing for a contract in order', async () => {
    const now = await f.h.env.currentTimeMs();
    const signedAt = new Date(now - 180 * DAY).toISOString();
    const row = (externalRef: string, paid: boolean) => ({
      externalRef,
      terms: REFERENCE_TERMS,
      signatures: [
        { party: 'A', signer: '王主任', title: '办公室主任', sealed: true, signedAt },
        { party: 'B', signer: '李经理', title: '政企客户经理', sealed: true, signedAt },
      ],
      payments: paid ? [{ period: 'T1', amountFen: REFERENCE_TERMS.payment.totalFen, paidAt: new Date(now - 170 * DAY).toISOString(), reference: `PAID-${externalRef}`, method: 'bank_transfer' }] : [],
      owner: f.h.users.sales,
    });
    const imported = await call(f.base, f.h.tokens.finance, 'POST', '/api/contract-imports', { dryRun: false, contracts: [row('RISK-UNPAID', false), row('RISK-PAID', true)] });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const [unpaid, paid] = imported.body.results as { contractId: string; contractNumber: string }[];

    // the API: the worst matter is the overdue invoice, by its number, with the days it is late (hand count: due 30 days after signing, so 150 days at least)
    const list = await call(f.base, f.h.tokens.sales, 'GET', '/api/contracts');
    const unpaidItem = list.body.items.find((c: { id: string }) => c.id === unpaid!.contractId);
    expect(unpaidItem.risk).toMatchObject({ kind: 'invoice_overdue', severity: 'high', invoiceNumber: `INV-${unpaid!.contractNumber}-T1` });
    expect(Number(/已逾期 (\d+) 天/.exec(unpaidItem.risk.zh)![1])).toBeGreaterThanOrEqual(140);
    expect(list.body.items.find((c: { id: string }) => c.id === paid!.contractId).risk).toBeNull();

    const { page } = await f.newPage('sales');
    await page.goto(`${f.base}/contracts`);
    const unpaidRow = page.locator('tr', { hasText: unpaid!.contractNumber });
    const chip = unpaidRow.getByTestId('risk-chip');
    await chip.waitFor();
    await expect(chip.getAttribute('data-kind')).resolves.toBe('invoice_overdue');
    await expect(chip.textContent()).resolves.toContain('已逾期');
    // the matter comes before the status in the row
    const order = await unpaidRow.locator('[data-testid="risk-chip"], [data-testid="status"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(order).toEqual(['risk-chip', 'status']);
    await expect(page.locator('tr', { hasText: paid!.contractNumber }).getByTestId('risk-chip').count()).resolves.toBe(0);
    await screenshots(page, 'contracts-risk');

    await page.goto(`${f.base}/contracts/${unpaid!.contractId}`);
    const banner = page.getByTestId('risk-banner');
    await banner.waitFor();
    await expect(banner.getAttribute('data-severity')).resolves.toBe('high');
    await expect(banner.getAttribute('role')).resolves.toBe('alert');
    await expect(banner.textContent()).resolves.toContain(`INV-${unpaid!.contractNumber}-T1`);
    await screenshots(page, 'contract-risk-banner');
    await banner.getByTestId('risk-act').click();
    await page.waitForURL(new RegExp(`/contracts/${unpaid!.contractId}#invoices$`));

    await page.goto(`${f.base}/contracts/${paid!.contractId}`);
    await page.getByTestId('contract-detail').waitFor();
    await expect(page.getByTestId('risk-banner').count()).resolves.toBe(0);
  });
});
