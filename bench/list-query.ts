/**
 * (7) The contract list query (db/contracts.ts `listContracts`, what
 * GET /api/contracts runs) on 100,000 synthetic contracts: p50/p99 over many
 * runs per filter set, and the plans (EXPLAIN (ANALYZE, BUFFERS)) of the two
 * statements it sends in parallel, the page and the total, written to
 * bench/plans/<filter set>.txt. The same plans and timings without the
 * indexes of db/migrations/008_list_indexes.sql (dropped inside a transaction
 * that is rolled back) go to bench/plans/<filter set>.before-008.txt.
 *
 * Baseline: fetching the same first page by primary key (`id = ANY($1)`), the
 * least any list of those 50 rows costs.
 *
 * Data (generate_series, one statement per table): 200 sales owners, 5,000
 * customer organisations, contracts created over the last 5 years; 79% active
 * (term end within the next 3 years, renewed when older), 10% expired, 4%
 * terminated, 3% awaiting signatures, 3% lapsed, 1% frozen; every contract's
 * deadlines as the workflows leave them in the read model: open term end and
 * renewal objection for active ones, an open payment deadline for one in ten
 * of those, an open signing deadline for those awaiting signatures, and the
 * closed ones (signing met, initial payment met, term end met or cancelled).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listContracts, type ContractFilter } from '../db/contracts';
import type { Queryable } from '../db/pool';
import { REFERENCE_TERMS } from '../domain/terms';
import { createBenchDatabase, ROOT, say } from './env';
import { row, type Row } from './report';
import { percentile } from './stats';

export const PLANS_DIR = join(ROOT, 'bench', 'plans');
const MIGRATION_008 = join(ROOT, 'db', 'migrations', '008_list_indexes.sql');
const OWNERS = 200;

type FilterSet = { name: string; describe: string; filter: (owner: string) => ContractFilter; target: boolean };

const FILTER_SETS: FilterSet[] = [
  {
    name: 'status-owner-deadline',
    describe: 'status=active, owner, deadlineWithinDays=30',
    filter: (owner) => ({ status: 'active', ownerId: owner, deadlineWithinDays: 30, limit: 50, offset: 0 }),
    target: true,
  },
  { name: 'owner', describe: 'owner', filter: (owner) => ({ ownerId: owner, limit: 50, offset: 0 }), target: true },
  { name: 'status-owner', describe: 'status=active, owner', filter: (owner) => ({ status: 'active', ownerId: owner, limit: 50, offset: 0 }), target: true },
  { name: 'deadline-30d', describe: 'deadlineWithinDays=30', filter: () => ({ deadlineWithinDays: 30, limit: 50, offset: 0 }), target: true },
  { name: 'status-active', describe: 'status=active', filter: () => ({ status: 'active', limit: 50, offset: 0 }), target: true },
  { name: 'no-filter', describe: 'no filter (first page)', filter: () => ({ limit: 50, offset: 0 }), target: false },
];

async function seed(db: Queryable, count: number): Promise<void> {
  await db.query(
    `INSERT INTO users (id, name, role) SELECT 'bench-owner-' || lpad(g::text, 3, '0'), '销售' || g, 'sales' FROM generate_series(1, ${OWNERS}) g`,
  );
  await db.query(
    `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, effective_at, term_ends_at,
                           workflow_id, workflow_started_at, created_at, updated_at)
     SELECT id, 'SMS-B-' || lpad(g::text, 7, '0'), 'bench-owner-' || lpad((1 + abs(hashtext('owner' || g)) % ${OWNERS})::text, 3, '0'), status, $2::jsonb,
            '客户单位' || (g % 5000), $3,
            CASE WHEN status IN ('awaiting_signatures', 'lapsed') THEN NULL ELSE created + interval '5 days' END,
            CASE WHEN status IN ('awaiting_signatures', 'lapsed') THEN NULL
                 WHEN status = 'active' AND created + interval '5 days 3 years' < now()
                   THEN created + interval '5 days 3 years' + make_interval(years => ceil(extract(epoch FROM now() - (created + interval '5 days 3 years')) / 31557600)::int)
                 ELSE created + interval '5 days 3 years' END,
            'contract-' || id, created, created, created
       FROM (SELECT g, gen_random_uuid()::text AS id,
                    now() - make_interval(secs => (g::double precision / $1) * 5 * 31557600) AS created,
                    CASE WHEN abs(hashtext('status' || g)) % 100 < 3 THEN 'awaiting_signatures'
                         WHEN abs(hashtext('status' || g)) % 100 < 6 THEN 'lapsed'
                         WHEN abs(hashtext('status' || g)) % 100 < 16 THEN 'expired'
                         WHEN abs(hashtext('status' || g)) % 100 < 20 THEN 'terminated'
                         WHEN abs(hashtext('status' || g)) % 100 < 21 THEN 'frozen'
                         ELSE 'active' END AS status
               FROM generate_series(1, $1::int) g) s`,
    [count, JSON.stringify(REFERENCE_TERMS), REFERENCE_TERMS.partyB.name],
  );
  // deadlines: (kind, due, status) per contract, as the lifecycle and payment workflows leave them
  await db.query(`
    INSERT INTO deadlines (id, contract_id, kind, due_at, explanation, explanation_en, status, workflow_id, updated_at)
    SELECT wf || ':' || kind || ':' || ref, c.id, kind, due, '自' || to_char(due, 'YYYY-MM-DD') || '起算，依《民法典》第二百零一条至第二百零三条计算的期限', 'computed under Civil Code Arts. 201-203', st, wf, c.updated_at
      FROM contracts c
      CROSS JOIN LATERAL (VALUES
        ('signing', 'contract', c.created_at + interval '30 days',
           CASE c.status WHEN 'awaiting_signatures' THEN 'open' WHEN 'lapsed' THEN 'lapsed' ELSE 'met' END, c.workflow_id),
        ('term_end', to_char(c.term_ends_at, 'YYYY-MM-DD'), c.term_ends_at,
           CASE c.status WHEN 'active' THEN 'open' WHEN 'expired' THEN 'met' ELSE 'cancelled' END, c.workflow_id),
        ('renewal_objection', to_char(c.term_ends_at, 'YYYY-MM-DD'), c.term_ends_at,
           CASE c.status WHEN 'active' THEN 'open' WHEN 'expired' THEN 'lapsed' ELSE 'cancelled' END, c.workflow_id),
        ('payment', 'INV-' || c.number || '-T1', c.effective_at + interval '30 days', 'met', 'payment-INV-' || c.number || '-T1'),
        ('payment', 'INV-' || c.number || '-R', now() + make_interval(days => abs(hashtext('due' || c.number)) % 30), 'open', 'payment-INV-' || c.number || '-R')
      ) AS d(kind, ref, due, st, wf)
     WHERE due IS NOT NULL
       AND (kind <> 'payment' OR c.status NOT IN ('awaiting_signatures', 'lapsed'))
       AND (ref NOT LIKE '%-R' OR (c.status = 'active' AND abs(hashtext('pay' || c.number)) % 10 = 0))
       AND (kind NOT IN ('term_end', 'renewal_objection') OR c.status NOT IN ('awaiting_signatures', 'lapsed'))`);
  await db.query('VACUUM ANALYZE contracts');
  await db.query('VACUUM ANALYZE deadlines');
  await db.query('VACUUM ANALYZE users');
}

type Statement = { text: string; values: unknown[] };

/** The statements `listContracts` sends for a filter, in the order it sends them (the page, then the total). */
async function capturedSql(filter: ContractFilter): Promise<Statement[]> {
  const captured: Statement[] = [];
  const capture: Queryable = {
    query: (async (text: string, values?: unknown[]) => {
      captured.push({ text, values: values ?? [] });
      // an empty page, and a total of 0 for the statement that counts
      const rows = text.includes('AS total') ? [{ total: 0 }] : [];
      return { rows, rowCount: rows.length, command: 'SELECT', oid: 0, fields: [] };
    }) as Queryable['query'],
  };
  await listContracts(capture, filter);
  return captured;
}

/** Each statement `listContracts` sends, with its parameters and plan. */
async function explain(db: Queryable, filter: ContractFilter): Promise<string> {
  const explained: string[] = [];
  for (const sql of await capturedSql(filter)) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`, sql.values);
    explained.push([`-- parameters: ${JSON.stringify(sql.values)}`, '', sql.text.replace(/\n\s+/g, '\n  ').trim(), '', ...rows.map((r) => r['QUERY PLAN'])].join('\n'));
  }
  return explained.join('\n\n');
}

type Timing = { p50: number; p99: number; runs: number; rows: number; total: number };

async function timeFilter(db: Queryable, set: FilterSet, options: { runs: number; maxMs: number }): Promise<Timing> {
  const samples: number[] = [];
  let rows = 0;
  let total = 0;
  const until = performance.now() + options.maxMs;
  // at least 10 runs; the slow filter sets stop at maxMs
  for (let i = -3; i < options.runs && (i < 10 || performance.now() < until); i++) {
    const owner = `bench-owner-${String(1 + ((i + 3) * 37) % OWNERS).padStart(3, '0')}`;
    const t = performance.now();
    const result = await listContracts(db, set.filter(owner));
    if (i >= 0) samples.push(performance.now() - t);
    rows = result.items.length;
    total = result.total;
  }
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), runs: samples.length, rows, total };
}

/** The page's rows fetched by primary key: the floor for returning those 50 rows. */
async function timeByIds(db: Queryable, options: { runs: number }): Promise<Timing> {
  const { items } = await listContracts(db, FILTER_SETS[0]!.filter('bench-owner-001'));
  const page = items.length ? items : (await listContracts(db, { limit: 50, offset: 0 })).items;
  const ids = page.map((c) => c.id);
  const samples: number[] = [];
  for (let i = -3; i < options.runs; i++) {
    const t = performance.now();
    await db.query(
      `SELECT id, number, owner_id, status, terms, party_a_name, party_b_name, effective_at, term_ends_at, workflow_id, workflow_started_at, created_at, updated_at
         FROM contracts WHERE id = ANY($1::text[])`,
      [ids],
    );
    if (i >= 0) samples.push(performance.now() - t);
  }
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), runs: samples.length, rows: ids.length, total: ids.length };
}

/** Index names created by migration 008. */
function indexesOf008(): string[] {
  try {
    return [...readFileSync(MIGRATION_008, 'utf8').matchAll(/CREATE\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/gi)].map((m) => m[1]!);
  } catch {
    return [];
  }
}

function planFile(name: string, suffix: string, describe: string, explained: string, timing: Timing, count: number): void {
  mkdirSync(PLANS_DIR, { recursive: true });
  const header = [
    `-- listContracts (db/contracts.ts): ${describe}, limit 50`,
    `-- ${count.toLocaleString('en-US')} contracts (bench/list-query.ts), ${suffix ? 'WITHOUT the indexes of migration 008' : 'all migrations applied'}`,
    `-- ${timing.runs} runs through listContracts: p50 ${timing.p50.toFixed(2)} ms, p99 ${timing.p99.toFixed(2)} ms; ${timing.rows} rows returned of ${timing.total}`,
    suffix
      ? '-- two statements, one after the other (the indexes are dropped in one connection\'s transaction): the page (its rows, then their next deadline), and the total'
      : '-- two statements, sent in parallel: the page (its rows, then their next deadline), and the total',
    '',
    explained,
    '',
  ].join('\n');
  writeFileSync(join(PLANS_DIR, `${name}${suffix}.txt`), header);
}

export async function benchListQuery(options: { count: number; runs: number; maxMsPerSet: number }): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  say(`(7) list query on ${options.count.toLocaleString('en-US')} contracts: seeding`);
  const database = await createBenchDatabase('list', 4);
  const { db } = database;
  try {
    const t = performance.now();
    await seed(db, options.count);
    const { rows: sizes } = await db.query<{ contracts: number; deadlines: number }>(
      `SELECT (SELECT count(*) FROM contracts)::int AS contracts, (SELECT count(*) FROM deadlines)::int AS deadlines`,
    );
    say(`    seeded ${sizes[0]!.contracts} contracts, ${sizes[0]!.deadlines} deadlines in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const after: Record<string, Timing> = {};
    const before: Record<string, Timing> = {};
    for (const set of FILTER_SETS) {
      const filter = set.filter('bench-owner-001');
      await explain(db, filter); // warm the cache for the plan we keep
      planFile(set.name, '', set.describe, await explain(db, filter), (after[set.name] = await timeFilter(db, set, { runs: options.runs, maxMs: options.maxMsPerSet })), options.count);
      say(`    ${set.describe}: p50 ${after[set.name]!.p50.toFixed(1)} ms, p99 ${after[set.name]!.p99.toFixed(1)} ms (${after[set.name]!.runs} runs)`);
    }
    const byIds = await timeByIds(db, options);

    const dropped = indexesOf008();
    if (dropped.length > 0) {
      say(`    again without migration 008's indexes (${dropped.join(', ')})`);
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        for (const name of dropped) await client.query(`DROP INDEX IF EXISTS ${name}`);
        for (const set of FILTER_SETS) {
          const filter = set.filter('bench-owner-001');
          await explain(client, filter);
          planFile(set.name, '.before-008', set.describe, await explain(client, filter), (before[set.name] = await timeFilter(client, set, { runs: options.runs, maxMs: options.maxMsPerSet })), options.count);
          say(`    ${set.describe}: p50 ${before[set.name]!.p50.toFixed(1)} ms, p99 ${before[set.name]!.p99.toFixed(1)} ms`);
        }
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
    }

    const baseline = { measure: 'same page of 50 rows by primary key, p99', value: byIds.p99, unit: 'ms' };
    const rows = FILTER_SETS.map((set, i) => {
      const a = after[set.name]!;
      const b = before[set.name];
      return row({
        id: `7${String.fromCharCode(97 + i)}`,
        measure: `listContracts p99, ${set.describe}`,
        value: a.p99,
        unit: 'ms',
        baseline,
        target: set.target ? '< 20 ms' : null,
        check: set.target ? ({ value }) => value < 20 : undefined,
        note: `p50 ${a.p50.toFixed(1)} ms over ${a.runs} runs, ${a.total.toLocaleString('en-US')} matching${b ? `; without migration 008: p50 ${b.p50.toFixed(1)} ms, p99 ${b.p99.toFixed(1)} ms` : ''}; plans in bench/plans/${set.name}.txt`,
      });
    });
    return { rows, raw: { sizes: sizes[0], after, before, byIds, indexes008: dropped } };
  } finally {
    await database.drop();
  }
}
