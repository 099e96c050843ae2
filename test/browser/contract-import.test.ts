/**
 * Bringing a contract book in through the console, in a real browser against
 * the real app (test/browser/browser.ts): the template downloads and parses,
 * a CSV with two good rows and one with a signing date in the future is
 * checked by a dry run (which writes nothing), then imported; the database
 * holds exactly the two good contracts, and the same file again changes nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORT_CSV_COLUMNS, parseImportCsv } from '../../domain/contract-import-csv';
import { completeCreditCode } from '../../domain/credit-code';
import { REFERENCE_TERMS } from '../../domain/terms';
import { screenshots, consolePerFile } from './browser';

const f = consolePerFile();

const HEADER = [
  'external_ref',
  'owner',
  'party_a_name',
  'party_a_credit_code',
  'party_a_address',
  'party_a_representative',
  'party_a_contact_name',
  'party_a_contact_phone',
  'sms_signature',
  'yearly_fee_yuan',
  'sms_per_year',
  'term_years',
  'party_a_signer',
  'party_a_signer_title',
  'party_a_signed_on',
  'party_b_signer',
  'party_b_signer_title',
  'party_b_signed_on',
  'payment_1_period',
  'payment_1_amount_yuan',
  'payment_1_paid_on',
  'payment_1_reference',
  'payment_1_method',
].join(',');

const DAY = 86_400_000;
/** The Beijing date of an instant, YYYY-MM-DD. */
const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
/** A Beijing date `days` before `now`, moved off 29 February so that its anniversaries exist in every year. */
const daysBefore = (now: number, days: number) => {
  const date = beijingDate(now - days * DAY);
  return date.endsWith('-02-29') ? beijingDate(now - (days + 1) * DAY) : date;
};
const plusYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;

/**
 * Three contracts of a branch's book, dated from the server's clock (so the
 * test holds on any day): line 2 signed 2 years 200 days ago for 3 years, paid;
 * line 3 signed 1 year 90 days ago for 1 year, so renewed about 90 days ago
 * with its renewal invoice unpaid and overdue; line 4 signed by Party A a year
 * from now, which is wrong.
 */
function branchBook(owner: string, now: number): { csv: string; firstSigned: string } {
  const first = daysBefore(now, 2 * 365 + 200);
  const second = daysBefore(now, 365 + 90);
  const future = beijingDate(now + 365 * DAY);
  const slash = (date: string) => date.replace(/-0?/g, '/');
  const csv = [
    HEADER,
    `IMP-001,${owner},乌兰察布市应急管理局,${completeCreditCode('1115090000000011')},"集宁区新华街1号, 3楼",周局长,吴联系,13800000011,【乌兰察布应急】,999.00,12666,3,周局长,授权代表,${first},王示例,负责人,${slash(first)},T1,2997.00,${slash(daysBefore(now, 2 * 365 + 182))},BANK-IMP-0001,银行转账`,
    `IMP-002,${owner},鄂尔多斯市气象局,${completeCreditCode('1115060000000022')},康巴什区北区2号,郑局长,冯联系,0477-8123456,【鄂尔多斯气象】,1200,8000,1,郑局长,局长,${second},王示例,负责人,${second},T1,1200,${daysBefore(now, 365 + 81)},BANK-IMP-0002,bank_transfer`,
    `IMP-003,${owner},赤峰市水利局,${completeCreditCode('1115040000000033')},红山区三中街5号,陈局长,褚联系,13800000013,【赤峰水利】,999,12666,3,陈局长,授权代表,${future},王示例,负责人,${first},,,,,`,
  ].join('\r\n');
  return { csv, firstSigned: first };
}

describe('contract import in the console', { timeout: 240_000 }, () => {
  it('finance downloads the template, dry-runs a branch book of three rows (one bad date), imports the two good ones, writes nothing of the bad row, and importing the file again finds them already there', async () => {
    const { page } = await f.newPage('finance');
    const book = branchBook(f.h.users.sales, await f.h.env.currentTimeMs());
    await page.locator('nav.nav').getByText('导入合同').click();
    await page.waitForURL(/\/contract-imports$/);
    await page.getByTestId('contract-import').waitFor();

    // the template: a CSV with a BOM that parses into the reference contract
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
    expect(download.suggestedFilename()).toBe('合同导入模板.csv');
    const template = readFileSync(await download.path()).toString('utf8');
    expect(template.startsWith('\uFEFF')).toBe(true);
    expect(template.split('\r\n')[0]).toBe(`\uFEFF${IMPORT_CSV_COLUMNS.map((c) => c.name).join(',')}`);
    const parsedTemplate = parseImportCsv(template, REFERENCE_TERMS);
    expect(parsedTemplate.errors).toEqual([]);
    expect(parsedTemplate.rows).toHaveLength(1);
    expect(parsedTemplate.rows[0]!.terms).toEqual(REFERENCE_TERMS);

    // the branch's file, read in the browser
    const commit = page.getByTestId('import-commit');
    await expect(commit.isDisabled()).resolves.toBe(true);
    await page.getByTestId('import-file').setInputFiles({ name: '分公司合同台账.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${book.csv}\r\n`, 'utf8') });
    await expect.poll(() => page.getByTestId('import-read').textContent()).toContain('读到 3 份合同，0 处问题');
    // no dry run yet: nothing can be imported
    await expect(commit.isDisabled()).resolves.toBe(true);

    // the dry run: one line per row
    await page.getByTestId('import-dry-run').click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor({ timeout: 60_000 });
    await expect(preview.locator('tbody tr').count()).resolves.toBe(3);
    await expect(preview.locator('tbody tr[data-result="ok"]').count()).resolves.toBe(2);
    const bad = preview.locator('tbody tr[data-result="failed"]');
    await expect(bad.count()).resolves.toBe(1);
    await expect(bad.getAttribute('data-ref')).resolves.toBe('IMP-003');
    await expect(bad.getAttribute('data-line')).resolves.toBe('4');
    const badCell = bad.locator('li[data-column="party_a_signed_on"]');
    await expect(badCell.count()).resolves.toBe(1);
    await expect(badCell.textContent()).resolves.toContain('甲方签署日期');

    const first = preview.locator('tbody tr[data-ref="IMP-001"]');
    await expect(first.getByTestId('status').first().getAttribute('data-status')).resolves.toBe('active');
    // the term ends on the third anniversary of the signing, a Beijing date
    await expect(first.getByTestId('import-term-end').textContent()).resolves.toBe(plusYears(book.firstSigned, 3));
    await expect(first.locator('[data-period="T1"]').getAttribute('data-invoice-status')).resolves.toBe('paid');
    await expect(first.getByTestId('import-notifications').textContent()).resolves.toBe('不发送');
    const second = preview.locator('tbody tr[data-ref="IMP-002"]');
    await expect(second.locator('[data-period="R1"]').getAttribute('data-invoice-status')).resolves.toBe('overdue');
    await expect(second.getByTestId('import-notifications').textContent()).resolves.toContain('导入时已逾期');
    await expect(page.getByTestId('import-preview-summary').textContent()).resolves.toContain('可导入 2 行');
    await screenshots(page, 'contract-import-preview');

    // a dry run writes nothing
    const before = await f.h.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contracts');
    expect(before.rows[0]!.n).toBe(0);

    // the import: the two rows the dry run passed
    await expect.poll(() => commit.isEnabled()).toBe(true);
    await commit.click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 90_000 });
    await expect(result.locator('tbody tr').count()).resolves.toBe(2);
    await expect(result.locator('tbody tr[data-result="imported"]').count()).resolves.toBe(2);
    const links = result.getByTestId('import-contract-link');
    await expect(links.count()).resolves.toBe(2);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) expect(href).toMatch(/^\/contracts\/[^/]+$/);
    await expect(page.getByTestId('import-result-summary').textContent()).resolves.toContain('成功 2 行');
    await expect(commit.isDisabled()).resolves.toBe(true);
    await screenshots(page, 'contract-import-done');

    // the database: the two good contracts, nothing of line 4
    const contracts = await f.h.database.db.query<{ id: string; party_a_name: string; status: string }>('SELECT id, party_a_name, status FROM contracts ORDER BY party_a_name');
    expect(contracts.rows.map((c) => c.party_a_name).sort()).toEqual(['乌兰察布市应急管理局', '鄂尔多斯市气象局'].sort());
    const signatures = await f.h.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM signatures WHERE contract_id <> ALL($1)', [contracts.rows.map((c) => c.id)]);
    expect(signatures.rows[0]!.n).toBe(0);

    // a contract number leads to the contract
    const firstLink = result.locator('tbody tr[data-ref="IMP-001"]').getByTestId('import-contract-link');
    const id = (await firstLink.getAttribute('href'))!.split('/').pop()!;
    expect(contracts.rows.find((c) => c.party_a_name === '乌兰察布市应急管理局')?.id).toBe(id);
    await firstLink.click();
    await page.waitForURL(new RegExp(`/contracts/${id}$`));
    await page.getByTestId('contract-detail').waitFor({ timeout: 30_000 });

    // the same file again: a new dry run finds the two contracts already there (with their links), and importing changes nothing
    await page.goto(`${f.base}/contract-imports`);
    await page.getByTestId('import-file').setInputFiles({ name: '分公司合同台账.csv', mimeType: 'text/csv', buffer: Buffer.from(book.csv, 'utf8') });
    await expect(commit.isDisabled()).resolves.toBe(true);
    await page.getByTestId('import-dry-run').click();
    await expect.poll(() => preview.locator('tbody tr[data-result="existing"]').count(), { timeout: 60_000 }).toBe(2);
    await expect(preview.locator('tbody tr[data-result="failed"]').count()).resolves.toBe(1);
    await expect(preview.locator('tbody tr[data-ref="IMP-001"]').getByTestId('import-contract-link').getAttribute('href')).resolves.toBe(`/contracts/${id}`);
    await commit.click();
    await result.waitFor({ timeout: 60_000 });
    await expect.poll(() => result.locator('tbody tr[data-result="existing"]').count()).toBe(2);
    await expect(result.locator('tbody tr[data-result="existing"]').first().getByTestId('import-state').textContent()).resolves.toBe('已存在');
    await expect(page.getByTestId('import-result-summary').textContent()).resolves.toContain('其中已存在 2 行');
    const after = await f.h.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contracts');
    expect(after.rows[0]!.n).toBe(2);
  });
});
