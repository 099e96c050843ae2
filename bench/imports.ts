/**
 * (9) Bringing a contract book of N contracts in through the running API
 * (POST /api/contract-imports, one request of N rows): the dry run, the
 * commit, and the time until every imported lifecycle holds its term in the
 * deadline read model. The rows mix the three shapes of a real book: a third
 * signed 2 years 200 days ago and paid (T1), a third signed 3 years 100 days
 * ago and renewed once (T1 and R1 paid), a third signed 180 days ago and
 * never paid (overdue at import: a work item each).
 *
 * Baseline: N contracts created the ordinary way (POST /api/contracts with the
 * reference terms, 16 requests in flight) on the same stack: a blank contract
 * awaiting signatures each.
 */
import { randomBytes } from 'node:crypto';
import { REFERENCE_TERMS } from '../domain/terms';
import { say } from './env';
import { row, type Row } from './report';
import type { Stack } from './stack';
import { sleep } from './stats';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

export type ImportBenchOptions = { count: number; timeoutMs: number };

function bookRows(count: number, now: number, tag: string) {
  const terms = REFERENCE_TERMS;
  return Array.from({ length: count }, (_, i) => {
    const shape = i % 3;
    const signedAt = new Date(now - (shape === 0 ? 2 * YEAR + 200 * DAY : shape === 1 ? 3 * YEAR + 100 * DAY : 180 * DAY)).toISOString();
    const paid = (period: string, amountFen: number, after: number) => ({
      period,
      amountFen,
      paidAt: new Date(Date.parse(signedAt) + after).toISOString(),
      reference: `BENCH-${tag}-${i}-${period}`,
      method: 'bank_transfer',
    });
    return {
      externalRef: `BENCH-${tag}-${String(i).padStart(5, '0')}`,
      line: i + 2,
      terms,
      signatures: [
        { party: 'A', signer: '王主任', title: '办公室主任', sealed: true, signedAt },
        { party: 'B', signer: '李经理', title: '政企客户经理', sealed: true, signedAt },
      ],
      payments:
        shape === 0
          ? [paid('T1', terms.payment.totalFen, 15 * DAY)]
          : shape === 1
            ? [paid('T1', terms.payment.totalFen, 15 * DAY), paid('R1', terms.package.yearlyFeeFen * terms.term.renewalYears, 3 * YEAR + 10 * DAY)]
            : [],
    };
  });
}

export async function benchImports(stack: Stack, options: ImportBenchOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const { count } = options;
  const n = count.toLocaleString('en-US');
  const tag = randomBytes(3).toString('hex');
  const rows = bookRows(count, Date.now(), tag);
  const post = async (dryRun: boolean) => {
    const t = performance.now();
    const res = await fetch(`${stack.apiBase}/api/contract-imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.salesToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dryRun, file: `bench-${tag}.csv`, contracts: rows }),
    });
    const body = (await res.json()) as { summary?: { ok: number; failed: number; imported: number }; results?: { ok: boolean; errors?: unknown }[] };
    const seconds = (performance.now() - t) / 1000;
    if (res.status !== 200 || !body.summary) throw new Error(`POST /api/contract-imports: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    if (body.summary.failed > 0) throw new Error(`rows failed: ${JSON.stringify(body.results?.find((r) => !r.ok))}`);
    return { seconds, summary: body.summary };
  };

  say(`(9) importing ${n} contracts (a third paid, a third renewed, a third overdue)`);
  const dry = await post(true);
  say(`    dry run: ${dry.seconds.toFixed(1)} s`);
  const commit = await post(false);
  say(`    commit: ${commit.seconds.toFixed(1)} s (${commit.summary.imported} imported)`);

  // every lifecycle has taken over: its term end in the read model
  const t1 = performance.now();
  const db = stack.database.db;
  const settledCount = async () =>
    Number((await db.query(`SELECT count(DISTINCT d.contract_id)::int AS n FROM deadlines d JOIN contracts c ON c.id = d.contract_id WHERE c.external_ref LIKE $1 AND d.kind = 'term_end'`, [`BENCH-${tag}-%`])).rows[0]!.n);
  let settled = 0;
  while (performance.now() - t1 < options.timeoutMs && (settled = await settledCount()) < count) await sleep(500);
  const settleSeconds = (performance.now() - t1) / 1000;
  const check = (
    await db.query(
      `SELECT (SELECT count(*)::int FROM invoices i JOIN contracts c ON c.id = i.contract_id WHERE c.external_ref LIKE $1 AND i.status = 'overdue') AS overdue,
              (SELECT count(*)::int FROM notifications n JOIN contracts c ON c.id = n.contract_id WHERE c.external_ref LIKE $1 AND n.audience = 'party_a_contact') AS to_party_a,
              (SELECT count(*)::int FROM legal_cases l JOIN contracts c ON c.id = l.contract_id WHERE c.external_ref LIKE $1) AS cases`,
      [`BENCH-${tag}-%`],
    )
  ).rows[0] as { overdue: number; to_party_a: number; cases: number };

  // baseline: the same number of contracts created one request each
  const t2 = performance.now();
  const queue = Array.from({ length: count }, (_, i) => i);
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) await stack.createContract(`bench-import-baseline-${tag}-${i}`);
  }));
  const createSeconds = (performance.now() - t2) / 1000;

  const baseline = { measure: `${n} contracts created with POST /api/contracts (16 in flight)`, value: createSeconds, unit: 's' };
  return {
    rows: [
      row({ id: '9a', measure: `import of ${n} contracts, dry run (one request)`, value: dry.seconds, unit: 's', baseline, target: '< 10 s', check: ({ value }) => value < 10 }),
      row({
        id: '9b',
        measure: `import of ${n} contracts, commit (one request)`,
        value: commit.seconds,
        unit: 's',
        baseline,
        target: '< 60 s',
        check: ({ value }) => value < 60,
        note: `every imported lifecycle holding its term ${settleSeconds.toFixed(1)} s after the commit answered (${settled} of ${count}); ${check.overdue} invoices overdue at import, ${check.cases} breach cases, ${check.to_party_a} notifications to Party A`,
      }),
    ],
    raw: { count, dry, commit, settleSeconds, settled, check, createSeconds },
  };
}
