/**
 * (11) An "all" outage over many contracts (20,000 by default) on the
 * time-skipping server, with the deployed paging (workflows/outage-notice-pages.ts
 * OUTAGE_PAGING): reported through the API and held for review, its cases
 * opened by the workflow's first pages, every case alerted at 20 hours and
 * marked late at 24 hours, each step walked in pages across continued runs.
 * The test (test/workflows/legal-outage.test.ts) walks the same path on 1,200
 * contracts in small pages; this is the scale.
 *
 * Baseline: the floor of one committed row per case on the same Postgres
 * (a single-row INSERT in its own transaction, timed over up to 2,000 rows):
 * each step writes at least one transaction's worth per case (a case event
 * and an audit append), so the ratio says how far above that floor a case's
 * step costs.
 */
import { REFERENCE_TERMS } from '../domain/terms';
import { say } from './env';
import { startInProcessStack } from './in-process';
import { row, type Row } from './report';
import { sleep } from './stats';

const HOUR = 3_600_000;

export async function benchOutage(options: { contracts: number; timeoutMs: number }): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const { contracts } = options;
  const { db, env, base, tokens, stop } = await startInProcessStack({ label: 'outage', poolSize: 20, roles: ['sales', 'operations'] });
  const count = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0]!.n as number;
  const waitFor = async (read: () => Promise<boolean>, what: string) => {
    const until = Date.now() + options.timeoutMs;
    while (!(await read())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(250);
    }
  };
  const sleepUntil = async (target: number) => {
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now);
  };

  try {
    say(`(11) an "all" outage over ${contracts.toLocaleString('en-US')} contracts, time-skipping`);
    // contracts in service, written in one statement: the outage path reads contract rows, it needs no lifecycle workflow
    await db.query(
      `WITH ids AS (SELECT gen_random_uuid()::text AS id, g FROM generate_series(1, $1::int) g)
       INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, effective_at, term_ends_at, workflow_id)
       SELECT id, 'SMS-BENCH-' || lpad(g::text, 6, '0'), 'bench-sales', 'active', $2::jsonb, $3, $4, now(), now() + interval '3 years', 'contract-' || id FROM ids`,
      [contracts, JSON.stringify(REFERENCE_TERMS), REFERENCE_TERMS.partyA.name, REFERENCE_TERMS.partyB.name],
    );

    const learned = await env.currentTimeMs();
    const t0 = performance.now();
    const res = await fetch(`${base}/api/outages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.operations!}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cause: 'network', description: '核心网设备故障导致短信下发中断，正在抢修。', startedAt: new Date(learned).toISOString(), learnedAt: new Date(learned).toISOString(), all: true, holdForReview: true }),
    });
    const created = (await res.json()) as { id: string; workflowId: string };
    if (res.status !== 201) throw new Error(`report: ${res.status} ${JSON.stringify(created).slice(0, 300)}`);
    const reportMs = performance.now() - t0;
    const eventsOf = (type: string) => count(`SELECT count(*)::int AS n FROM case_events e JOIN legal_cases c ON c.id = e.case_id WHERE c.outage_id = $1 AND e.type = $2`, [created.id, type]);

    const t1 = performance.now();
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM legal_cases WHERE outage_id = $1`, [created.id])) === contracts, 'every case opened');
    const openMs = performance.now() - t1;
    // the server skips time only while no activity runs: the step's pages run inside the skip, so each step is timed from it
    const t2 = performance.now();
    await sleepUntil(learned + 20 * HOUR + 60_000);
    await waitFor(async () => (await eventsOf('unsent_alert')) >= contracts, 'the 20-hour alert on every case');
    const alertMs = performance.now() - t2;
    const t3 = performance.now();
    await sleepUntil(learned + 25 * HOUR);
    await waitFor(async () => (await eventsOf('late')) >= contracts, 'every case marked late');
    const lateMs = performance.now() - t3;
    const [alerted, late] = [await eventsOf('unsent_alert'), await eventsOf('late')];
    if (alerted !== contracts || late !== contracts) throw new Error(`each case once: ${alerted} alerts and ${late} late events for ${contracts} cases`);

    // every run of the workflow, newest first (each continued run names the one before)
    const events: number[] = [];
    let runId: string | undefined;
    do {
      const handle = env.client.workflow.getHandle(created.workflowId, runId);
      const history = await handle.fetchHistory();
      events.push(history.events?.length ?? 0);
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    } while (runId);

    // the floor: one committed single-row transaction per case
    await db.query(`CREATE TABLE bench_floor (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`);
    const floorRows = Math.min(contracts, 2_000);
    const f0 = performance.now();
    for (let i = 0; i < floorRows; i++) await db.query(`INSERT INTO bench_floor (id) VALUES ($1)`, [i]);
    const floorMsPerRow = (performance.now() - f0) / floorRows;

    const perCase = (ms: number) => ms / contracts;
    const baseline = { measure: 'one committed single-row INSERT per case, same Postgres', value: floorMsPerRow, unit: 'ms' };
    const note = `${contracts.toLocaleString('en-US')} cases; report ${reportMs.toFixed(0)} ms; ${events.length} runs, at most ${Math.max(...events)} events each`;
    say(`    opened ${(openMs / 1000).toFixed(1)} s, alerted ${(alertMs / 1000).toFixed(1)} s, late ${(lateMs / 1000).toFixed(1)} s; ${note}; floor ${floorMsPerRow.toFixed(3)} ms/row`);
    return {
      rows: [
        row({ id: '11', measure: 'outage "all": cases opened by the workflow, per case', value: perCase(openMs), unit: 'ms', baseline, target: null, note }),
        row({
          id: '11',
          measure: 'outage "all": the 20-hour alert recorded on every case, per case',
          value: perCase(alertMs),
          unit: 'ms',
          baseline,
          // the alert comes 4 hours before the notice is due: recording it must not take a real share of them
          target: 'the whole step under 1 h',
          check: ({ value }) => value * contracts < HOUR,
          note: `the whole step ${(alertMs / 1000).toFixed(1)} s`,
        }),
        row({ id: '11', measure: 'outage "all": every case marked late at 24 hours, per case', value: perCase(lateMs), unit: 'ms', baseline, target: null, note: `the whole step ${(lateMs / 1000).toFixed(1)} s` }),
      ],
      raw: { contracts, reportMs, openMs, alertMs, lateMs, runs: events.length, eventsPerRun: events.reverse(), floorMsPerRow, floorRows },
    };
  } finally {
    await stop();
  }
}
