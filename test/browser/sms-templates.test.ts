/**
 * Signatures and templates on screen, in a real browser against the real API,
 * Temporal dev server and Postgres: the customer applies for a template (a
 * forbidden symbol is marked as typed and the application cannot be sent; a
 * clean one is), operations see it in the review queue with its due time in
 * Beijing time and approve it, and reject a second one with a reason after a
 * confirmation; the customer sees both outcomes, and sends a message from the
 * approved template with its variables filled in (the text shown before
 * sending is the text sent).
 */
import { describe, expect, it } from 'vitest';
import { activeContract, call, consolePerFile, screenshots } from './browser';

const f = consolePerFile();
const CONTENT = '地震速报：${place}发生${magnitude}级地震，请注意防范。';

describe('signature and template review', { timeout: 180_000 }, () => {
  it('applies for a template, reviews it, and sends from it', async () => {
    const contract = await activeContract(f);

    // the customer applies: the lint runs as they type
    const { page } = await f.newPage('customer');
    await page.goto(`${f.base}/sms-templates`);
    await page.getByTestId('tpl-contract').selectOption(contract.id);
    await page.getByTestId('template-name').fill('地震速报');
    await page.getByTestId('template-content').fill('${place}地震★');
    await page.locator('[data-testid="template-lint"] [data-code="UNSUPPORTED_SYMBOL"]').waitFor();
    await expect(page.getByTestId('template-submit').isDisabled()).resolves.toBe(true);
    await page.getByTestId('template-content').fill(CONTENT);
    await page.getByTestId('template-lint-ok').waitFor();
    await page.getByTestId('template-submit').click();
    const row = page.locator('[data-testid="template-row"][data-name="地震速报"]');
    await row.waitFor();
    await expect(row.getByTestId('review-status').getAttribute('data-status')).resolves.toBe('applied');
    await screenshots(page, 'sms-template-applied');

    // a second one, over the API, to be rejected
    const second = await call(f.base, f.h.tokens.customer, 'POST', `/api/contracts/${contract.id}/sms-templates`, { name: '会员日', category: 'marketing', content: '会员日${day}举行，回TD退订' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const applied = await call(f.base, f.h.tokens.customer, 'GET', `/api/contracts/${contract.id}/sms-templates`);
    const first = applied.body.items.find((t: { name: string }) => t.name === '地震速报');

    // operations: the queue shows both with their due time in Beijing time (24:00 of a working day)
    const ops = (await f.newPage('operations')).page;
    await ops.goto(`${f.base}/sms-reviews`);
    const approveCard = ops.locator(`[data-testid="review-item"][data-id="${first.id}"]`);
    await approveCard.waitFor();
    await expect(approveCard.getByTestId('review-due').textContent()).resolves.toMatch(/24:00/);
    await screenshots(ops, 'sms-review-queue');
    await approveCard.getByTestId('review-approve').click();
    await expect.poll(async () => (await call(f.base, f.h.tokens.operations, 'GET', `/api/contracts/${contract.id}/sms-templates?status=approved`)).body.items.length).toBe(1);

    const rejectCard = ops.locator(`[data-testid="review-item"][data-id="${second.body.id}"]`);
    await rejectCard.getByTestId('review-reason').fill('营销内容须注明会员范围');
    await rejectCard.getByTestId('review-reject').click();
    // the confirmation comes first; nothing is decided yet
    await expect(rejectCard.getByTestId('confirm-consequence').textContent()).resolves.toContain('会员日');
    expect((await call(f.base, f.h.tokens.operations, 'GET', `/api/contracts/${contract.id}/sms-templates?status=rejected`)).body.items).toEqual([]);
    await rejectCard.getByTestId('confirm-yes').click();
    await expect.poll(async () => (await call(f.base, f.h.tokens.operations, 'GET', `/api/contracts/${contract.id}/sms-templates?status=rejected`)).body.items.map((t: { reason: string }) => t.reason)).toEqual(['营销内容须注明会员范围']);

    // the customer sees both decisions
    await page.reload();
    await page.getByTestId('tpl-contract').selectOption(contract.id);
    await expect.poll(() => row.getByTestId('review-status').getAttribute('data-status')).toBe('approved');
    const rejectedRow = page.locator('[data-testid="template-row"][data-name="会员日"]');
    await expect(rejectedRow.getByTestId('review-status').getAttribute('data-status')).resolves.toBe('rejected');
    await expect(rejectedRow.textContent()).resolves.toContain('营销内容须注明会员范围');
    await screenshots(page, 'sms-templates-reviewed');

    // sending from the approved template
    await page.goto(`${f.base}/compose`);
    await page.getByTestId('compose-contract').selectOption(contract.id);
    await page.getByTestId('compose-mode-template').click();
    await page.getByTestId('compose-template').waitFor();
    await page.getByTestId('compose-var-place').fill('锡林郭勒盟');
    await page.getByTestId('compose-var-magnitude').fill('4.5');
    await expect.poll(() => page.getByTestId('filled-content').textContent()).toBe('【内蒙古自治区地震局】地震速报：锡林郭勒盟发生4.5级地震，请注意防范。');
    await page.getByTestId('recipients-input').fill('13800000001');
    await screenshots(page, 'sms-compose-template');
    await page.getByTestId('send').click();
    const results = page.getByTestId('send-results');
    await results.waitFor({ timeout: 30_000 });
    await expect(results.locator('tbody tr[data-status="accepted"], tbody tr[data-status="held"]').count()).resolves.toBe(1);
    const { rows } = await f.h.database.db.query('SELECT template_id, content FROM sms_submissions WHERE contract_id = $1', [contract.id]);
    expect(rows).toEqual([{ template_id: first.id, content: '【内蒙古自治区地震局】地震速报：锡林郭勒盟发生4.5级地震，请注意防范。' }]);
  });
});
