/**
 * The work queue on screen, in a real browser against the real API, Temporal
 * dev server and Postgres: Party A reports a content violation on each of two
 * contracts (over the API); legal's top bar counts 2 unread items; the inbox
 * page lists both with their kind in words and due time; acknowledging one
 * brings the badge to 1 and leaves the item listed as acknowledged; its link
 * opens the legal board narrowed to that one case. Instants come from the
 * server clock.
 */
import { describe, expect, it } from 'vitest';
import { activeContract, call, consolePerFile, screenshots } from './browser';

const f = consolePerFile();

describe('the inbox', { timeout: 180_000 }, () => {
  it('counts unread items in the top bar, acknowledges one, and links to its case', async () => {
    const [c1, c2] = [await activeContract(f), await activeContract(f)];
    const caseIds: string[] = [];
    for (const c of [c1, c2]) {
      const reported = await call(f.base, f.h.tokens.customer, 'POST', `/api/contracts/${c.id}/violations`, {
        reportedBy: 'customer',
        learnedAt: new Date().toISOString(),
        description: '疑似发送了营销类违规内容。',
      });
      expect(reported.status, JSON.stringify(reported.body)).toBe(201);
      caseIds.push(reported.body.id);
    }
    // both review items are raised by the violation workflows in the background
    await expect.poll(async () => (await call(f.base, f.h.tokens.legal, 'GET', '/api/inbox/unread-count')).body.unread, { timeout: 30_000 }).toBe(2);

    const { page } = await f.newPage('legal');
    const badge = page.getByTestId('inbox-badge');
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toBe('2');
    await page.getByTestId('inbox-badge-link').click();
    await page.getByRole('heading', { name: '待办事项', exact: true }).waitFor();
    const items = page.getByTestId('inbox-item');
    await expect.poll(() => items.count()).toBe(2);
    await expect(items.first().getByTestId('inbox-kind').textContent()).resolves.toBe('内容违规待审核');
    await expect(items.first().getByTestId('inbox-state').textContent()).resolves.toBe('未读');
    await screenshots(page, 'inbox-two-unread');

    // acknowledge the item of the first case: the badge counts 1, the item stays listed, acknowledged
    const first = page.locator(`[data-testid="inbox-item"]:has([href*="${encodeURIComponent(caseIds[0]!)}"])`);
    await first.getByTestId('inbox-acknowledge').click();
    await expect.poll(() => first.getAttribute('data-state')).toBe('acknowledged');
    await expect(first.getByTestId('inbox-state').textContent()).resolves.toBe('已确认');
    await expect(first.getByTestId('inbox-acknowledge').count()).resolves.toBe(0);
    await expect.poll(() => badge.textContent()).toBe('1');
    await expect.poll(() => items.count()).toBe(2);
    const acked = await call(f.base, f.h.tokens.legal, 'GET', '/api/inbox?state=acknowledged');
    expect(acked.body.items.map((i: { caseId: string; acknowledgedBy: string }) => [i.caseId, i.acknowledgedBy])).toEqual([[caseIds[0], f.h.users.legal]]);

    // its link: the legal board narrowed to that case
    await first.getByTestId('inbox-link').click();
    await page.waitForURL((url) => url.pathname === '/legal' && url.searchParams.get('case') === caseIds[0]);
    const cards = page.getByTestId('case');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(1);
    await expect(cards.first().getAttribute('data-case-id')).resolves.toBe(caseIds[0]);
    await expect(cards.first().getAttribute('data-kind')).resolves.toBe('violation');
    await screenshots(page, 'inbox-case-link');
  });
});
