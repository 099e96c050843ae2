/**
 * The contract list on screen, in a real browser against the real API and
 * Postgres: 53 contracts stored directly (fixed numbers, names and creation
 * instants), one of them for 锡林郭勒盟气象局 and one owned by another sales
 * user. Typing the customer's name into the search box lists that contract
 * alone, the search kept in the URL through a reload and undone by back; a
 * column head sorts both ways and says so (aria-sort); the pager walks the
 * pages with "第 x–y 条，共 n 条"; the owner filter offers owners by name.
 * Finance finds one of their 53 invoices by the customer's name and pages
 * through the rest; a contract's 23 messages are shown 20 at a time with the
 * same pager.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertContract } from '../../db/contracts';
import { insertInvoice } from '../../db/invoices';
import { insertMessages, insertSubmission } from '../../db/sms';
import { upsertUser } from '../../db/users';
import { invoiceNumber } from '../../domain/billing';
import { REFERENCE_TERMS } from '../../domain/terms';
import { activeContract, consolePerFile, screenshots } from './browser';

const f = consolePerFile();

const OTHER_SALES = 'u-lists-other';
const SEARCHED = '锡林郭勒盟气象局';
/** 客户001有限公司 … 客户052有限公司, then the searched customer's contract, owned by the other sales user */
const NAMES = [...Array.from({ length: 52 }, (_, i) => `客户${String(i + 1).padStart(3, '0')}有限公司`), SEARCHED];

beforeAll(async () => {
  const db = f.h.database.db;
  await upsertUser(db, { id: OTHER_SALES, name: '丙销售', role: 'sales', organisation: null });
  for (const [i, name] of NAMES.entries()) {
    const id = `c-lists-${String(i + 1).padStart(3, '0')}`;
    const owner = name === SEARCHED ? OTHER_SALES : f.h.users.sales;
    await insertContract(db, { id, ownerId: owner, terms: { ...REFERENCE_TERMS, partyA: { ...REFERENCE_TERMS.partyA, name } }, workflowId: `contract-${id}`, idempotencyKey: null });
    // numbers and creation instants in the order of NAMES: the newest is the searched customer's
    await db.query('UPDATE contracts SET number = $2, created_at = $3 WHERE id = $1', [id, `SMS-2030-${String(900 + i).padStart(6, '0')}`, new Date(Date.UTC(2030, 0, 1, 2, i)).toISOString()]);
  }
}, 60_000);

const rows = (page: Page) => page.getByTestId('contracts-table').locator('tbody tr');
const partyAs = (page: Page) => rows(page).locator('td:nth-child(2)').allTextContents();
const range = (page: Page) => page.getByTestId('contracts-pager-range').textContent();

describe('the contract list', { timeout: 180_000 }, () => {
  it('finds a contract by customer name, sorts by a column head, pages, and narrows to an owner chosen by name', async () => {
    const { page } = await f.newPage('admin');
    await page.goto(`${f.base}/contracts`);
    await expect.poll(() => range(page), { timeout: 15_000 }).toBe('第 1–50 条，共 53 条');
    // newest first when no sort is chosen: the searched customer's contract heads the list
    await expect.poll(() => partyAs(page).then((names) => names[0])).toBe(SEARCHED);
    await expect(page.locator('th[aria-sort="descending"]').textContent()).resolves.toContain('创建时间');

    // search finding a contract by customer name, kept in the URL
    await page.getByTestId('contracts-search').fill('锡林郭勒');
    await page.waitForURL((url) => url.searchParams.get('q') === '锡林郭勒');
    await expect.poll(() => partyAs(page)).toEqual([SEARCHED]);
    await expect(range(page)).resolves.toBe('第 1–1 条，共 1 条');
    await screenshots(page, 'contracts-search');
    await page.reload();
    await expect.poll(() => partyAs(page), { timeout: 15_000 }).toEqual([SEARCHED]);
    await expect(page.getByTestId('contracts-search').inputValue()).resolves.toBe('锡林郭勒');
    // back: the list before the search, the box empty again
    await page.goBack();
    await expect.poll(() => range(page), { timeout: 15_000 }).toBe('第 1–50 条，共 53 条');
    await expect(page.getByTestId('contracts-search').inputValue()).resolves.toBe('');

    // sorting by Party A: ascending, then descending, the head saying which
    await page.getByTestId('sort-partyA').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'partyA');
    await expect.poll(() => partyAs(page).then((names) => names.slice(0, 2))).toEqual(['客户001有限公司', '客户002有限公司']);
    await expect(page.locator('th:has([data-testid="sort-partyA"])').getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(page.locator('th:has([data-testid="sort-number"])').getAttribute('aria-sort')).resolves.toBe('none');
    await page.getByTestId('sort-partyA').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === '-partyA');
    await expect.poll(() => partyAs(page).then((names) => names.slice(0, 2))).toEqual([SEARCHED, '客户052有限公司']);
    await expect(page.locator('th:has([data-testid="sort-partyA"])').getAttribute('aria-sort')).resolves.toBe('descending');

    // the pager: the last three rows on the second page, in the same order
    await page.getByTestId('contracts-pager-next').click();
    await expect.poll(() => range(page)).toBe('第 51–53 条，共 53 条');
    await expect.poll(() => partyAs(page)).toEqual(['客户003有限公司', '客户002有限公司', '客户001有限公司']);
    await expect(page.getByTestId('contracts-pager-next').isDisabled()).resolves.toBe(true);
    await screenshots(page, 'contracts-second-page');
    await page.getByTestId('contracts-pager-prev').click();
    await expect.poll(() => range(page)).toBe('第 1–50 条，共 53 条');
    await expect(page.getByTestId('contracts-pager-prev').isDisabled()).resolves.toBe(true);

    // the owner chosen by name
    const owner = page.getByTestId('owner-filter');
    await expect.poll(() => owner.locator('option').allTextContents()).toEqual(['全部', '丙销售', '测试sales']);
    await owner.selectOption({ label: '丙销售' });
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('owner') === OTHER_SALES);
    await expect.poll(() => partyAs(page)).toEqual([SEARCHED]);
    await expect(range(page)).resolves.toBe('第 1–1 条，共 1 条');
  });
});

describe('the invoice list', { timeout: 180_000 }, () => {
  it('finds an invoice by customer name and pages through the rest', async () => {
    const db = f.h.database.db;
    // one invoice per contract above, due a day apart in the order of NAMES (none overdue)
    for (const [i, name] of NAMES.entries()) {
      const id = `c-lists-${String(i + 1).padStart(3, '0')}`;
      const number = invoiceNumber(`SMS-2030-${String(900 + i).padStart(6, '0')}`, { kind: 'initial_term' });
      await insertInvoice(
        db,
        {
          number, contractId: id, kind: 'initial_term', periodLabel: name, amountFen: 299_700, vatRatePercent: 0, invoiceType: 'vat_special',
          issuedAt: '2030-12-01T16:00:00.000Z', dueAt: new Date(Date.UTC(2031, 0, 1 + i, 16)).toISOString(), dueExplanation: '付款期限', topUpSms: null, workflowId: `payment-${number}`,
        },
        { system: 'ledger', externalId: null },
      );
    }
    const { page } = await f.newPage('finance');
    await page.goto(`${f.base}/finance`);
    const invoiceRange = () => page.getByTestId('invoices-pager-range').textContent();
    const invoices = () => page.getByTestId('invoices-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-invoice')));
    await expect.poll(invoiceRange, { timeout: 15_000 }).toBe('第 1–50 条，共 53 条');
    await page.getByTestId('invoices-pager-next').click();
    await expect.poll(invoiceRange).toBe('第 51–53 条，共 53 条');
    await expect.poll(invoices).toEqual(['INV-SMS-2030-000950-T1', 'INV-SMS-2030-000951-T1', 'INV-SMS-2030-000952-T1']);

    await page.getByTestId('invoices-search').fill('锡林郭勒');
    await page.waitForURL((url) => url.searchParams.get('q') === '锡林郭勒' && !url.searchParams.has('offset'));
    await expect.poll(invoices).toEqual(['INV-SMS-2030-000952-T1']);
    await expect(invoiceRange()).resolves.toBe('第 1–1 条，共 1 条');
    await screenshots(page, 'invoices-search');
  });
});

describe("a contract's messages", { timeout: 180_000 }, () => {
  it('are shown 20 at a time, the pager walking to the last three', async () => {
    const contract = await activeContract(f);
    const db = f.h.database.db;
    const submissionId = `sms-lists-${contract.id}`;
    await insertSubmission(db, {
      id: submissionId, contractId: contract.id, customer: REFERENCE_TERMS.partyA.creditCode ?? REFERENCE_TERMS.partyA.name, idempotencyKey: 'lists-1', requestHash: 'lists',
      category: 'notification', content: '【测试】分页', appendedUnsubscribe: false, encoding: 'UCS2', partsPerMessage: 1, sourceAddr: '1065750001',
      keywordListVersion: 'test', contractYear: 1, unlisted: [], requestedBy: f.h.users.admin,
    });
    // refused at submission (no message is sent): seq 0 to 22, listed in seq order
    await insertMessages(db, {
      submissionId, contractId: contract.id, customer: REFERENCE_TERMS.partyA.name, category: 'notification', contentHash: 'lists', parts: 1, contractYear: 1,
      messages: Array.from({ length: 23 }, (_, seq) => ({ seq, recipient: `+86138000000${String(seq).padStart(2, '0')}`, member: null, decision: 'rejected' as const, reason: 'test', debitedParts: 0 })),
    });

    const { page } = await f.newPage('admin');
    await page.goto(`${f.base}/contracts/${contract.id}`);
    const recipients = () => page.getByTestId('messages').locator('tbody tr td:first-child').allTextContents();
    const messagesRange = () => page.getByTestId('messages-pager-range').textContent();
    await expect.poll(messagesRange, { timeout: 20_000 }).toBe('第 1–20 条，共 23 条');
    await expect.poll(() => recipients().then((r) => [r.length, r[0]])).toEqual([20, '+8613800000000']);
    await page.getByTestId('messages-pager-next').click();
    await expect.poll(messagesRange).toBe('第 21–23 条，共 23 条');
    await expect.poll(recipients).toEqual(['+8613800000020', '+8613800000021', '+8613800000022']);
    await expect(page.getByTestId('messages-pager-next').isDisabled()).resolves.toBe(true);
    await page.getByTestId('messages-pager-prev').click();
    await expect.poll(messagesRange).toBe('第 1–20 条，共 23 条');
  });
});
