import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_TERMS } from '../../domain/terms';
import { sha256Hex } from '../../pdf';
import { createRenderPool, IN_PROCESS_RENDERER, type RenderPool } from '../../pdf/renderer';
import { waitFor } from '../support/flows';

const contract = { documentId: 'c-0001:contract:1', contractNumber: 'NMG-ZHXX-2024-0001', terms: REFERENCE_TERMS, issuedAt: '2024-05-06T02:00:00.000Z' };
const notice = (n: number) => ({
  documentId: `c-0001:payment_notice:${n}`,
  contractNumber: 'NMG-ZHXX-2024-0001',
  invoiceNumber: `INV-2024-${String(n).padStart(4, '0')}`,
  terms: REFERENCE_TERMS,
  amountFen: 299_700,
  invoiceType: 'vat_special' as const,
  dueAt: new Date('2024-06-07T16:00:00.000Z'),
  dueExplanation: '签署次日起算 30 日',
  issuedAt: '2024-05-06T02:00:00.000Z',
  periodLabel: '2024-05-06 至 2027-05-05',
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the document render pool', () => {
  let pool: RenderPool;
  beforeAll(() => {
    pool = createRenderPool({ processes: 2, nice: 10, timeoutMs: 30_000 });
  });
  afterAll(() => pool.close());

  it('renders the same bytes as this process, in processes running at a lower CPU priority', async () => {
    const [pooled, local] = await Promise.all([pool.render('contract', contract), IN_PROCESS_RENDERER.render('contract', contract)]);
    expect(pooled.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256Hex(pooled)).toBe(sha256Hex(local));
    expect(pool.pids()).toHaveLength(2);
    for (const pid of pool.pids()) expect(getPriority(pid)).toBe(10);
  }, 60_000);

  it('answers concurrent requests, each with its own document', async () => {
    const numbers = [1, 2, 3, 4, 5, 6];
    const pooled = await Promise.all(numbers.map((n) => pool.render('payment_notice', notice(n))));
    const local = await Promise.all(numbers.map((n) => IN_PROCESS_RENDERER.render('payment_notice', notice(n))));
    expect(pooled.map(sha256Hex)).toEqual(local.map(sha256Hex));
    expect(new Set(pooled.map(sha256Hex)).size).toBe(numbers.length);
  }, 60_000);

  it('fails a render whose process dies, with the reason, and renders the next one in a fresh process', async () => {
    const before = pool.pids();
    const dying = pool.render('contract', { ...contract, documentId: 'c-0002:contract:1' });
    for (const pid of before) process.kill(pid, 'SIGKILL'); // whichever took the request
    await expect(dying).rejects.toThrow(/render process \d+ exited \(SIGKILL\) while rendering contract/);
    await waitFor(async () => pool.pids(), (pids) => pids.length === 2 && !pids.some((pid) => before.includes(pid)), 'two fresh render processes');
    const next = await pool.render('contract', contract);
    expect(sha256Hex(next)).toBe(sha256Hex(await IN_PROCESS_RENDERER.render('contract', contract)));
  }, 60_000);

  it('reports a template error as the render failure and refuses unknown templates', async () => {
    await expect(pool.render('contract', { ...contract, terms: undefined as never })).rejects.toThrow(/rendering contract failed: /);
    await expect(pool.render('no_such_template' as never, {} as never)).rejects.toThrow('unknown document template no_such_template');
  }, 60_000);

  it('stops its processes on close and refuses work after', async () => {
    const own = createRenderPool({ processes: 1 });
    const [pid] = own.pids();
    await own.close();
    expect(alive(pid!)).toBe(false);
    await expect(own.render('contract', contract)).rejects.toThrow('the render pool is closed');
  }, 60_000);
});
