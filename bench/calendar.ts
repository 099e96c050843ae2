/**
 * (8) A State Council notice entered while N payment deadlines are open in
 * its year: the wall time until every one has moved (recount workflow, a
 * signal to each payment workflow, each recounts, moves its timer, writes the
 * read model, records the move and tells the customer and the owner), and a
 * check that each moved exactly once.
 *
 * What runs: N real `paymentDeadline` workflows on a fresh worker process
 * (bench/worker-process.ts: the product's activities), for one contract row
 * inserted in Postgres, each invoice's payment-notice PDF pre-stored (a
 * 9-byte placeholder; rendering is measured in (4)) and SMS notices off. Each
 * payment period starts on 2 December of the year before a year Y whose
 * 1 January is a Friday (2027 while it lies ahead, else 2038, 2044, 2049), so
 * while Y is provisional every payment is due Monday 4 January; the notice
 * makes 1–4 January rest days, moving each to Tuesday 5 January. The notice
 * goes through services/calendar.ts (what PUT /api/holiday-calendar/:year
 * calls), the recount runs on the stack's own worker (worker/main.ts).
 *
 * Baseline: the same N workflows signalled again with the same revision (each
 * finds it known and does nothing): the signal fan-out alone, sent
 * by this process 16 at a time.
 */
import { createHash } from 'node:crypto';
import { createLogger } from '../platform/logger';
import { REFERENCE_TERMS } from '../domain/terms';
import { enterCalendarNotice } from '../services/calendar';
import type { PaymentDeadlineInput, paymentDeadline } from '../workflows/payment-deadline';
import { say } from './env';
import { row, type Row } from './report';
import type { Stack } from './stack';
import { sleep } from './stats';

const YEARS_STARTING_ON_FRIDAY = [2027, 2038, 2044, 2049];
const DAY = 86_400_000;

export type CalendarBenchOptions = { count: number; concurrency: number; timeoutMs: number };

async function inParallel<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

async function until(what: string, read: () => Promise<number>, target: number, timeoutMs: number): Promise<boolean> {
  const started = performance.now();
  let last = -1;
  let lastReport = started;
  while (performance.now() - started < timeoutMs) {
    const n = await read();
    if (n >= target) return true;
    if (performance.now() - lastReport > 15_000 && n !== last) {
      lastReport = performance.now();
      say(`    ${what}: ${n.toLocaleString('en-US')} of ${target.toLocaleString('en-US')}`);
    }
    last = n;
    await sleep(250);
  }
  say(`    gave up waiting for ${what} after ${timeoutMs / 1000} s`);
  return false;
}

export async function benchCalendar(stack: Stack, options: CalendarBenchOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const { count } = options;
  const db = stack.database.db;
  const year = YEARS_STARTING_ON_FRIDAY.find((y) => Date.parse(`${y}-01-04T00:00:00+08:00`) - DAY > Date.now())!;
  const trigger = new Date(`${year - 1}-12-02T10:00:00+08:00`).toISOString();
  const provisionalDue = `${year}-01-04T16:00:00.000Z`;
  const officialDue = `${year}-01-05T16:00:00.000Z`;

  const queue = `${stack.taskQueue}-calendar`;
  const worker = await stack.spawnWorker('worker-calendar', queue, { script: 'bench/worker-process.ts', env: { SMS_SYSTEM_NOTICES: 'off' } });
  try {
    say(`(8) ${count.toLocaleString('en-US')} payment deadlines due ${provisionalDue.slice(0, 10)} (provisional ${year}) on a fresh worker`);
    const contractId = `bench-calendar-${Date.now()}`;
    const number = `SMS-BENCH-CAL-${Date.now()}`;
    await db.query(
      `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, workflow_id, workflow_started_at)
       VALUES ($1, $2, (SELECT id FROM users WHERE role = 'sales' LIMIT 1), 'active', $3, $4, $5, $6, now())`,
      [contractId, number, JSON.stringify(REFERENCE_TERMS), REFERENCE_TERMS.partyA.name, REFERENCE_TERMS.partyB.name, `contract-${contractId}`],
    );
    const invoices = Array.from({ length: count }, (_, i) => `INV-${number}-${String(i).padStart(5, '0')}`);
    const placeholder = Buffer.from('%PDF-1.4\n');
    const sha = createHash('sha256').update(placeholder).digest('hex');
    for (let i = 0; i < invoices.length; i += 1000) {
      await db.query(
        `INSERT INTO documents (id, contract_id, kind, title, sha256, size_bytes, content)
         SELECT $1 || ':payment_notice:' || n, $1, 'payment_notice', '付款通知书', $2, $3, $4 FROM unnest($5::text[]) AS n`,
        [contractId, sha, placeholder.length, placeholder, invoices.slice(i, i + 1000)],
      );
    }
    const t0 = performance.now();
    await inParallel(invoices, options.concurrency, (invoice) => {
      const input: PaymentDeadlineInput = {
        contractId,
        contractNumber: number,
        invoiceNumber: invoice,
        kind: 'initial_term',
        periodLabel: '首期 3 年服务费',
        amountFen: 299_700,
        vatRatePercent: 0,
        invoiceType: 'vat_special',
        trigger,
        dueDays: 30,
        reminderDaysBefore: [7],
        holidayOverrides: [],
        cureDays: 10,
      };
      return stack.env.client.workflow.start<typeof paymentDeadline>('paymentDeadline', { taskQueue: queue, workflowId: `payment-${invoice}`, args: [input] });
    });
    const openDeadlines = async () =>
      Number((await db.query(`SELECT count(*)::int AS n FROM deadlines WHERE contract_id = $1 AND status = 'open' AND due_at = $2 AND calendar_years @> ARRAY[$3::int]`, [contractId, provisionalDue, year])).rows[0]!.n);
    const ready = await until('open provisional deadlines', openDeadlines, count, options.timeoutMs);
    say(`    ${count.toLocaleString('en-US')} open in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    if (!ready) return { rows: [], raw: { count, ready } };

    // the notice, as PUT /api/holiday-calendar/:year enters it
    const deps = { db, temporal: stack.env.client, taskQueue: stack.taskQueue, logger: createLogger({ level: 'silent' }) };
    const notice = {
      source: { title: `国务院办公厅关于${year}年部分节假日安排的通知（基准测试）`, publishedAt: `${year - 1}-11-12` },
      days: [
        ...['01', '02', '03', '04'].map((d) => ({ date: `${year}-01-${d}`, kind: 'rest' as const, name: '元旦' })),
        { date: `${year}-01-09`, kind: 'work' as const, name: '元旦' },
      ],
    };
    const t1 = performance.now();
    const entered = await enterCalendarNotice(deps, { year, notice, actor: { id: 'bench', role: 'admin' }, dryRun: false });
    const moves = async () => Number((await db.query('SELECT count(*)::int AS n FROM deadline_moves WHERE year = $1 AND revision = $2', [year, entered.revision])).rows[0]!.n);
    const allMoved = await until('deadlines moved', moves, count, options.timeoutMs);
    const movedSeconds = (performance.now() - t1) / 1000;
    const recount = await stack.env.client.workflow.getHandle(entered.recount!.workflowId).result().catch(() => null);
    // each move is told to two audiences right after it is recorded: let the last notices land before counting
    const notices = async () => Number((await db.query(`SELECT count(*)::int AS n FROM notifications WHERE contract_id = $1 AND reason = 'deadline_moved'`, [contractId])).rows[0]!.n);
    await until('notices of moved deadlines', notices, 2 * count, 60_000);
    const recountSeconds = (performance.now() - t1) / 1000;
    say(`    all moved in ${movedSeconds.toFixed(1)} s; the recount workflow done in ${recountSeconds.toFixed(1)} s`);

    const check = (
      await db.query(
        `SELECT (SELECT count(*)::int FROM deadline_moves WHERE year = $2 AND revision = $3) AS moves,
                (SELECT count(DISTINCT deadline_id)::int FROM deadline_moves WHERE year = $2 AND revision = $3) AS distinct_moved,
                (SELECT count(*)::int FROM deadlines WHERE contract_id = $1 AND status = 'open' AND due_at = $4 AND NOT provisional) AS at_new_due,
                (SELECT count(*)::int FROM notifications WHERE contract_id = $1 AND reason = 'deadline_moved') AS notices`,
        [contractId, year, entered.revision, officialDue],
      )
    ).rows[0]! as { moves: number; distinct_moved: number; at_new_due: number; notices: number };

    // baseline: the same workflows told the same notice again (the revision is known: each does nothing)
    const payload = { year, revision: entered.revision };
    const t2 = performance.now();
    await inParallel(invoices, 16, (invoice) => stack.env.client.workflow.getHandle(`payment-${invoice}`).signal('calendarChangedSignal', payload));
    const signalSeconds = (performance.now() - t2) / 1000;
    const movesAfter = await moves();

    const n = count.toLocaleString('en-US');
    const rows = [
      row({
        id: '8',
        measure: `a notice entered with ${n} open payment deadlines in its year: until all moved`,
        value: allMoved ? movedSeconds : null,
        unit: 's',
        baseline: { measure: `${n} signals to the same workflows, each a no-op (16 in flight)`, value: signalSeconds, unit: 's' },
        target: null,
        note:
          `${(count / movedSeconds).toFixed(0)} deadlines moved/s; recount workflow done after ${recountSeconds.toFixed(1)} s (${recount ? `${recount.signalled} signalled in ${recount.pass} pass(es)` : 'no result'}); ` +
          `moves recorded ${check.moves} for ${check.distinct_moved} distinct deadlines, ${check.at_new_due} open at the new due date, ${check.notices} notices (2 audiences each); after the repeated signals still ${movesAfter} moves`,
      }),
    ];
    return { rows, raw: { count, year, movedSeconds, recountSeconds, signalSeconds, recount, check, movesAfter } };
  } finally {
    await worker.stop(2_000);
  }
}
