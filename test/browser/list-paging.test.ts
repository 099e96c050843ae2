/**
 * The legal board and the contract pickers with a book larger than a page, in
 * a real browser against the real API and Postgres: 26 contracts in service
 * stored directly, the oldest for 锡林郭勒盟气象局, and 53 open breach cases
 * over them, due a day apart. The board shows 50 cases with "第 1–50 条，共
 * 53 条", the pager walks to the last three (the page kept in the URL through
 * a reload) and back. The breach-notice form's contract list holds the newest
 * 20 contracts; typing part of the customer's name finds the oldest one, which
 * is then chosen and named in the confirmation.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertContract, updateContractStatus } from '../../db/contracts';
import { openCase } from '../../db/legal';
import { REFERENCE_TERMS } from '../../domain/terms';
import { consolePerFile, screenshots } from './browser';

const f = consolePerFile();

const SEARCHED = '锡林郭勒盟气象局';
/** the searched customer's contract first (the oldest), then 客户001有限公司 … 客户025有限公司 */
const NAMES = [SEARCHED, ...Array.from({ length: 25 }, (_, i) => `客户${String(i + 1).padStart(3, '0')}有限公司`)];
const CASES = 53;
const contractId = (i: number) => `c-paging-${String(i).padStart(3, '0')}`;
const caseId = (i: number) => `case-paging-${String(i).padStart(3, '0')}`;
const searched: { id: string; number: string } = { id: contractId(0), number: '' };

beforeAll(async () => {
  const db = f.h.database.db;
  for (const [i, name] of NAMES.entries()) {
    const row = await insertContract(db, {
      id: contractId(i), ownerId: f.h.users.sales, terms: { ...REFERENCE_TERMS, partyA: { ...REFERENCE_TERMS.partyA, name } }, workflowId: `contract-${contractId(i)}`, idempotencyKey: null,
    });
    if (i === 0) searched.number = row!.number;
    await updateContractStatus(db, { id: contractId(i), from: ['awaiting_signatures'], to: 'active', effectiveAt: '2030-01-01T00:00:00.000Z', termEndsAt: '2031-12-31T16:00:00.000Z' });
  }
  // case 1 is due first; the board lists them soonest due first
  for (let i = 1; i <= CASES; i++) {
    await db.withTransaction((tx) =>
      openCase(tx, {
        id: caseId(i), kind: 'breach', contractId: contractId(i % NAMES.length), status: 'served', servedBy: 'B', clause: '第八条第3款', description: `违约事项 ${i}`,
        openedAt: '2030-12-01T02:00:00.000Z', actor: { id: f.h.users.legal, role: 'legal' }, due: { kind: 'cure', dueAt: new Date(Date.UTC(2031, 0, i, 16)).toISOString(), explanation: '纠正期限' },
        workflowId: `breach-${caseId(i)}`, event: { type: 'served' },
      }),
    );
  }
}, 120_000);

const cards = (page: Page) => page.getByTestId('cases').locator('[data-testid="case"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-case-id')));
const range = (page: Page) => page.getByTestId('cases-pager-range').textContent();

describe('the legal board in pages', { timeout: 180_000 }, () => {
  it('shows 50 cases of 53, pages to the last three and back, the page kept in the URL', async () => {
    const { page } = await f.newPage('legal');
    await page.goto(`${f.base}/legal`);
    await expect.poll(() => range(page), { timeout: 15_000 }).toBe('第 1–50 条，共 53 条');
    await expect.poll(() => cards(page).then((ids) => [ids.length, ids[0], ids[49]])).toEqual([50, caseId(1), caseId(50)]);
    await expect(page.getByTestId('cases-pager-prev').isDisabled()).resolves.toBe(true);

    await page.getByTestId('cases-pager-next').click();
    await page.waitForURL((url) => url.searchParams.get('offset') === '50');
    await expect.poll(() => range(page)).toBe('第 51–53 条，共 53 条');
    await expect.poll(() => cards(page)).toEqual([caseId(51), caseId(52), caseId(53)]);
    await expect(page.getByTestId('cases-pager-next').isDisabled()).resolves.toBe(true);
    await screenshots(page, 'legal-second-page');
    await page.reload();
    await expect.poll(() => cards(page), { timeout: 15_000 }).toEqual([caseId(51), caseId(52), caseId(53)]);

    await page.getByTestId('cases-pager-prev').click();
    await page.waitForURL((url) => !url.searchParams.has('offset'));
    await expect.poll(() => range(page)).toBe('第 1–50 条，共 53 条');
  });
});

describe("the breach-notice form's contract", { timeout: 180_000 }, () => {
  it('is found among 26 contracts in service by typing part of the customer name, and named in the confirmation', async () => {
    const { page } = await f.newPage('legal');
    await page.goto(`${f.base}/legal`);
    await page.getByTestId('serve-breach').click();
    const form = page.getByTestId('breach-form');
    const select = form.getByTestId('breach-contract');
    const options = () => select.locator('option').evaluateAll((els) => els.map((el) => [el.getAttribute('value'), el.textContent]));
    // the newest 20 (客户025 … 客户006): the searched customer's, the oldest, is not among them
    await expect.poll(() => options().then((o) => o.length), { timeout: 15_000 }).toBe(21);
    await expect(options().then((o) => o.some(([value]) => value === searched.id))).resolves.toBe(false);
    await expect(form.getByTestId('breach-contract-matches').textContent()).resolves.toBe('显示前 20 个，共 26 个匹配；请输入更多字缩小范围。');
    await expect(select.inputValue()).resolves.toBe('');

    await form.getByTestId('breach-contract-search').fill('锡林郭勒');
    await expect.poll(() => options()).toEqual([
      ['', '请选择'],
      [searched.id, `${searched.number} · ${SEARCHED}`],
    ]);
    await expect(form.getByTestId('breach-contract-matches').count()).resolves.toBe(0);
    await select.selectOption(searched.id);
    await screenshots(page, 'breach-contract-search');

    // another search keeps the chosen contract chosen
    await form.getByTestId('breach-contract-search').fill('客户00');
    await expect.poll(() => options().then((o) => o.length)).toBe(11);
    await expect(select.inputValue()).resolves.toBe(searched.id);

    await form.getByTestId('breach-served-by').selectOption('B');
    await form.getByTestId('breach-clause').fill('第八条第3款');
    await form.getByTestId('breach-description').fill('甲方发送的营销短信未附退订方式。');
    await form.getByTestId('breach-submit').click();
    const consequence = form.getByTestId('confirm-consequence');
    await expect(consequence.textContent()).resolves.toContain(searched.number);
    await expect(consequence.textContent()).resolves.toContain(SEARCHED);
    await form.getByTestId('confirm-no').click();
  });
});
