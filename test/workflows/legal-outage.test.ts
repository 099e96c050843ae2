/**
 * Outage notices (Art.5 §8), time-skipped: every affected customer is told
 * within 24 hours of Party B learning of an interruption; held notices alert
 * operations and legal at 20 hours and are marked late (Party B's breach, with
 * who and when) at 24 hours.
 */
import { describe, expect, it } from 'vitest';
import { REFERENCE_TERMS } from '../../domain/terms';
import { getOutageQuery } from '../../workflows/messages/outage-notice';
import type { Harness } from '../support/harness';
import { recordHistoryIfAsked } from '../support/histories';
import { activeContract, HOUR_MS, notificationsOf, ownServer, serverNow, sleepUntil, waitFor } from './legal-helpers';

const OUTAGE = { cause: 'network', description: '核心网设备故障导致短信下发中断，正在抢修。' };

async function report(h: Harness, body: Record<string, unknown>) {
  const res = await h.api('operations').post('/api/outages', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Record<string, any>;
}

const outage = async (h: Harness, id: string) => (await h.api('legal').get(`/api/outages/${encodeURIComponent(id)}`).expect(200)).body as Record<string, any>;
/** Every run of the workflow, first run first (each continued run names the one before). */
async function runsOf(h: Harness, workflowId: string) {
  const runs: { runId: string | undefined; history: Awaited<ReturnType<ReturnType<Harness['env']['client']['workflow']['getHandle']>['fetchHistory']>> }[] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift({ runId, history });
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    if (!runId) return runs;
  }
}

const act = (h: Harness, role: Parameters<Harness['api']>[0], id: string, what: string, body?: unknown) => h.api(role).post(`/api/outages/${encodeURIComponent(id)}/${what}`, body);

describe('outage notified at once', () => {
  const server = ownServer();
  it('notifies every affected customer at once with the interruption notice, and sends the restoration notice on resolution', async () => {
    const h = server.get();
    const [c1, c2] = [await activeContract(h), await activeContract(h)];
    const now = await serverNow(h);
    const learnedAt = new Date(now - HOUR_MS).toISOString();
    const created = await report(h, { ...OUTAGE, startedAt: new Date(now - 2 * HOUR_MS).toISOString(), learnedAt, contractIds: [c1.id, c2.id] });
    expect(created.noticeDueAt).toBe(new Date(Date.parse(learnedAt) + 24 * HOUR_MS).toISOString());
    expect(created.cases).toHaveLength(2);
    expect(created.cases[0].deadline.explanation).toContain('24 小时');

    const sent = await waitFor(async () => {
      const o = await outage(h, created.id);
      return o.status === 'notified' && o;
    }, 'the notices to be sent');
    expect(sent.notifiedBy).toBe(h.users.operations);
    for (const c of sent.cases) {
      expect(c).toMatchObject({ kind: 'outage', status: 'notified', deadline: null, open: true });
      expect(c.details.notice).toMatchObject({ onTime: true, sentBy: h.users.operations });
      expect(c.documents.map((d: { role: string }) => d.role)).toEqual(['outage_notice']);
      expect(c.timeline.map((e: { type: string }) => e.type)).toEqual(['reported', 'notified']);
    }
    for (const c of [c1, c2]) {
      const told = await notificationsOf(h, { contractId: c.id, reason: 'outage_notice' });
      expect(told.map((n) => n.audience).sort()).toEqual(['owner', 'party_a_contact']);
    }
    const { rows } = await h.database.db.query(`SELECT status FROM deadlines WHERE workflow_id = $1 ORDER BY id`, [created.workflowId]);
    expect(rows).toEqual([{ status: 'met' }, { status: 'met' }]);
    const audited = await h.database.db.query(`SELECT type, contract_id FROM audit_events WHERE data->>'outageId' = $1 ORDER BY id`, [created.id]);
    expect(audited.rows.map((r) => r.type)).toEqual(['case.opened', 'case.opened', 'case.outage_notified', 'case.outage_notified', 'outage.notified']);

    expect((await act(h, 'operations', created.id, 'hold', { reason: '复核措辞' })).status).toBe(409);
    expect((await act(h, 'operations', created.id, 'resolution', { restoredAt: '2999-01-01T00:00:00Z' })).status).toBe(400);
    const resolved = await act(h, 'operations', created.id, 'resolution', { restoredAt: new Date(await serverNow(h)).toISOString() });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.status).toBe('restored');
    for (const c of resolved.body.cases) {
      expect(c).toMatchObject({ status: 'restored', open: false });
      expect(c.documents.map((d: { role: string }) => d.role).sort()).toEqual(['outage_notice', 'restoration_notice']);
    }
    expect((await notificationsOf(h, { contractId: c1.id, reason: 'restoration_notice' })).map((n) => n.audience)).toContain('party_a_contact');
    expect((await act(h, 'operations', created.id, 'resolution', { restoredAt: new Date(await serverNow(h)).toISOString() })).status).toBe(409);
    // (no handle.result() here: waiting for a result lets the time-skipping server run the clock ahead)
    const handle = h.env.client.workflow.getHandle(created.workflowId);
    const state = await handle.query(getOutageQuery);
    expect(state).toMatchObject({ status: 'restored', notifiedBy: h.users.operations });
    await recordHistoryIfAsked('outage-notice-v2', handle);
  });

  it('affects every contract in service with "all", and refuses bad reports with 400, 403 and 409', async () => {
    const h = server.get();
    const now = await serverNow(h);
    const base = { ...OUTAGE, startedAt: new Date(now).toISOString(), learnedAt: new Date(now).toISOString() };
    const { rows } = await h.database.db.query(`SELECT count(*)::int AS n FROM contracts WHERE status = 'active'`);
    const all = await report(h, { ...base, all: true });
    expect(all.scope).toBe('all');
    expect(all.cases).toHaveLength(rows[0]!.n);

    const paths = async (body: unknown) => {
      const res = await h.api('operations').post('/api/outages', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.issues.map((i: { path: string }) => i.path) as string[];
    };
    expect(await paths({ ...base, cause: 'weather', all: true })).toContain('body.cause');
    expect(await paths({ ...base })).toContain('body.contractIds');
    expect(await paths({ ...base, all: true, contractIds: 'all' })).toContain('body.contractIds');
    expect(await paths({ ...base, contractIds: ['00000000-0000-4000-8000-000000000000'] })).toEqual(['body.contractIds.0']);
    expect(await paths({ ...base, contractIds: ['not-a-uuid'] })).toContain('body.contractIds.0');
    expect(await paths({ ...base, learnedAt: '2999-01-01T00:00:00Z', all: true })).toContain('body.learnedAt');
    expect((await h.api('sales').post('/api/outages', { ...base, all: true })).status).toBe(403);
    const template = await h.api('sales').get('/api/templates/reference').expect(200);
    const unsigned = (await h.api('sales').post('/api/contracts', template.body).expect(201)).body.id;
    expect((await h.api('operations').post('/api/outages', { ...base, contractIds: [unsigned] })).status).toBe(409);
    expect((await act(h, 'operations', 'OU-unknown', 'release', {})).status).toBe(404);
  });
});

describe('outage notice held for review, released at 21 h (time-skipped)', () => {
  const server = ownServer();
  it('alerts operations and legal at 20 hours unsent; released at 21 hours, the notice is on time', async () => {
    const h = server.get();
    const c = await activeContract(h);
    const learned = await serverNow(h);
    const created = await report(h, { ...OUTAGE, cause: 'upgrade', startedAt: new Date(learned).toISOString(), learnedAt: new Date(learned).toISOString(), contractIds: [c.id], holdForReview: true });
    expect(created).toMatchObject({ status: 'held', heldBy: h.users.operations });
    expect(created.cases[0].status).toBe('held');
    expect((await act(h, 'legal', created.id, 'hold', { reason: '再次暂缓' })).status).toBe(409);

    await sleepUntil(h, learned + 20 * HOUR_MS - 60_000);
    expect(await notificationsOf(h, { contractId: null, reason: 'outage_notice_unsent' })).toEqual([]);
    expect(await notificationsOf(h, { contractId: c.id, reason: 'outage_notice' })).toEqual([]);

    await sleepUntil(h, learned + 20 * HOUR_MS + 60_000);
    const alerts = await waitFor(async () => {
      const n = (await notificationsOf(h, { reason: 'outage_notice_unsent' })).filter((x) => x.id.startsWith(created.workflowId));
      return n.length >= 2 && n;
    }, 'the 20-hour alert');
    expect(alerts.map((n) => n.audience).sort()).toEqual(['legal', 'operations']);
    const alerted = (await outage(h, created.id)).cases[0].timeline.find((e: { type: string }) => e.type === 'unsent_alert');
    expect(Math.abs(Date.parse(alerted.at) - (learned + 20 * HOUR_MS))).toBeLessThan(60_000);

    await sleepUntil(h, learned + 21 * HOUR_MS);
    const released = await act(h, 'operations', created.id, 'release', { note: '措辞已复核' });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ status: 'notified', lateAt: null });
    const kase = released.body.cases[0];
    expect(kase.status).toBe('notified');
    expect(kase.details.notice.onTime).toBe(true);
    expect(kase.flags).not.toContain('notice_late');
    expect(kase.timeline.map((e: { type: string }) => e.type)).toEqual(['reported', 'unsent_alert', 'released', 'notified']);
    expect(Date.parse(kase.details.notice.sentAt)).toBeGreaterThanOrEqual(learned + 21 * HOUR_MS);
    expect((await notificationsOf(h, { contractId: c.id, reason: 'outage_notice' })).map((n) => n.audience)).toContain('party_a_contact');
  });
});

describe('outage notice held past 24 h (time-skipped)', () => {
  const server = ownServer();
  it("marks each affected contract's case late at 24 hours: Party B's breach, naming who held the notice and since when", async () => {
    const h = server.get();
    const c = await activeContract(h);
    const learned = await serverNow(h);
    const created = await report(h, { ...OUTAGE, cause: 'equipment', startedAt: new Date(learned).toISOString(), learnedAt: new Date(learned).toISOString(), contractIds: [c.id], holdForReview: true });

    await sleepUntil(h, learned + 24 * HOUR_MS - 60_000);
    expect((await outage(h, created.id)).cases[0].status).toBe('held');
    await sleepUntil(h, learned + 25 * HOUR_MS);
    const late = await waitFor(async () => {
      const o = await outage(h, created.id);
      return o.status === 'late' && o;
    }, 'the case marked late');
    const kase = late.cases[0];
    expect(kase.status).toBe('late');
    expect(kase.flags).toEqual(expect.arrayContaining(['notice_late', 'party_b_breach']));
    expect(kase.details.late).toMatchObject({
      breachBy: 'B',
      dueAt: new Date(learned + 24 * HOUR_MS).toISOString(),
      responsible: { id: h.users.operations, role: 'operations' },
    });
    expect(kase.details.late.heldSince).toBeTruthy();
    const lateEvent = kase.timeline.find((e: { type: string }) => e.type === 'late');
    expect(Math.abs(Date.parse(lateEvent.at) - (learned + 24 * HOUR_MS))).toBeLessThan(60_000);
    const lateAlerts = (await notificationsOf(h, { reason: 'outage_notice_late' })).filter((x) => x.id.startsWith(created.workflowId));
    expect(lateAlerts.map((n) => n.audience).sort()).toEqual(['legal', 'operations']);
    expect(await notificationsOf(h, { contractId: c.id, reason: 'outage_notice' })).toEqual([]);

    // released late: sent, and recorded as sent late
    const released = await act(h, 'legal', created.id, 'release');
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.cases[0]).toMatchObject({ status: 'notified_late' });
    expect(released.body.cases[0].details.notice.onTime).toBe(false);
    const { rows } = await h.database.db.query(`SELECT status FROM deadlines WHERE workflow_id = $1`, [created.workflowId]);
    expect(rows).toEqual([{ status: 'lapsed' }]);
    await recordHistoryIfAsked('outage-notice-late-v2', h.env.client.workflow.getHandle(created.workflowId));
  });
});

describe('an "all" outage over 1,200 contracts, in pages of 50 and ten pages a run (time-skipped)', () => {
  // the deployed pages (OUTAGE_PAGING: 200 cases, 100 pages a run) continue as new past ≈ 6,700 contracts; small pages show the same walk on 1,200
  const PAGING = { stepPage: 50, noticePage: 10, pagesPerRun: 10 };
  const server = ownServer({ outagePaging: PAGING });
  const CONTRACTS = 1_200;
  const STEP_MS = 120_000;
  it('starts with a small input, walks the cases in pages across continued runs, and reaches each contract exactly once at 20 h and at 24 h', async () => {
    const h = server.get();
    // contracts in service, written in one statement: the outage path reads the contract rows and writes cases, it needs no lifecycle workflow
    const inserted = await h.database.db.query(
      `WITH ids AS (SELECT gen_random_uuid()::text AS id, g FROM generate_series(1, $1::int) g)
       INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, effective_at, term_ends_at, workflow_id)
       SELECT id, 'SMS-OUTAGE-' || lpad(g::text, 6, '0'), $2, 'active', $3::jsonb, $4, $5, now(), now() + interval '3 years', 'contract-' || id FROM ids`,
      [CONTRACTS, h.users.sales, JSON.stringify(REFERENCE_TERMS), REFERENCE_TERMS.partyA.name, REFERENCE_TERMS.partyB.name],
    );
    expect(inserted.rowCount).toBe(CONTRACTS);
    const active = (await h.database.db.query(`SELECT count(*)::int AS n FROM contracts WHERE status = 'active'`)).rows[0]!.n as number;
    expect(active).toBe(CONTRACTS);

    const learned = await serverNow(h);
    const t0 = Date.now();
    const created = await report(h, { ...OUTAGE, startedAt: new Date(learned).toISOString(), learnedAt: new Date(learned).toISOString(), all: true, holdForReview: true });
    const reportMs = Date.now() - t0;
    expect(created).toMatchObject({ scope: 'all', status: 'held' });
    const countOf = async (sql: string, params: unknown[] = [created.id]) => (await h.database.db.query(sql, params)).rows[0]!.n as number;
    /** per case of the outage: how many events of the type, over how many distinct cases */
    const eventsOf = async (type: string) =>
      (
        await h.database.db.query(
          `SELECT count(*)::int AS events, count(DISTINCT e.case_id)::int AS cases FROM case_events e JOIN legal_cases c ON c.id = e.case_id WHERE c.outage_id = $1 AND e.type = $2`,
          [created.id, type],
        )
      ).rows[0] as { events: number; cases: number };

    expect(await countOf(`SELECT count(*)::int AS n FROM outage_contracts WHERE outage_id = $1`)).toBe(CONTRACTS);
    // too many to open in the reporting request: the workflow's first pages open the cases
    const t1 = Date.now();
    await waitFor(async () => (await countOf(`SELECT count(*)::int AS n FROM legal_cases WHERE outage_id = $1`)) === CONTRACTS, 'every case opened', STEP_MS);
    const openMs = Date.now() - t1;
    expect(await eventsOf('reported')).toEqual({ events: CONTRACTS, cases: CONTRACTS });
    expect(await countOf(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'case.opened' AND data->>'outageId' = $1`)).toBe(CONTRACTS);

    // the workflow's input is the outage, not its 1,200 cases
    const [first] = await runsOf(h, created.workflowId);
    const payloads = first!.history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const inputBytes = payloads.reduce((sum, p) => sum + (p.data?.length ?? 0) + Object.values(p.metadata ?? {}).reduce((m, v) => m + v.length, 0), 0);
    expect(inputBytes).toBeLessThan(10_000);

    const t2 = Date.now();
    await sleepUntil(h, learned + 20 * HOUR_MS + 60_000);
    await waitFor(async () => (await eventsOf('unsent_alert')).events >= CONTRACTS, 'every case to record the 20-hour alert', STEP_MS);
    const alertMs = Date.now() - t2;
    await sleepUntil(h, learned + 25 * HOUR_MS);
    const late = await waitFor(async () => {
      const o = await outage(h, created.id);
      return o.status === 'late' && (await notificationsOf(h, { reason: 'outage_notice_late' })).length >= 2 && o;
    }, 'the outage marked late', STEP_MS);
    const lateMs = Date.now() - t2 - alertMs;

    // exactly once per contract: as many events as cases, each case once, however many pages and runs it took
    expect(await eventsOf('unsent_alert')).toEqual({ events: CONTRACTS, cases: CONTRACTS });
    expect(await eventsOf('late')).toEqual({ events: CONTRACTS, cases: CONTRACTS });
    expect(await countOf(`SELECT count(*)::int AS n FROM legal_cases WHERE outage_id = $1 AND status = 'late' AND 'party_b_breach' = ANY (flags)`)).toBe(CONTRACTS);
    expect(await countOf(`SELECT count(DISTINCT contract_id)::int AS n FROM audit_events WHERE type = 'case.outage_late' AND data->>'outageId' = $1`)).toBe(CONTRACTS);
    expect(await countOf(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'case.outage_late' AND data->>'outageId' = $1`)).toBe(CONTRACTS);
    expect(await countOf(`SELECT count(*)::int AS n FROM audit_events WHERE type IN ('outage.unsent_alert', 'outage.late') AND data->>'outageId' = $1`)).toBe(2);
    const staff = (await notificationsOf(h, {})).filter((n) => n.id.startsWith(`${created.workflowId}:`));
    expect(staff.map((n) => n.reason).sort()).toEqual(['outage_notice_late', 'outage_notice_late', 'outage_notice_unsent', 'outage_notice_unsent']);
    expect(late.lateAt).toBeTruthy();

    // three steps (open, alert, late) of 1,200 cases in pages of 50 are at least 72 pages; ten a run: at least 8 runs, each history small
    const runs = await runsOf(h, created.workflowId);
    expect(runs.length).toBeGreaterThanOrEqual(8);
    const state = await h.env.client.workflow.getHandle(created.workflowId).query(getOutageQuery);
    expect(state).toMatchObject({ status: 'late', contracts: CONTRACTS, hold: { by: { id: h.users.operations } } });
    const biggest = Math.max(...runs.map((r) => r.history.events!.length));
    // ten pages of about six events, the timers and the hand-over
    expect(biggest).toBeLessThan(150);
    console.log(
      `[outage ${CONTRACTS}] report ${reportMs} ms; cases opened ${openMs} ms; 20-hour alert to every case ${alertMs} ms; late ${lateMs} ms; input ${inputBytes} bytes; ${runs.length} runs, at most ${biggest} events each`,
    );
    await recordHistoryIfAsked('outage-notice-continued-v2', h.env.client.workflow.getHandle(created.workflowId));
  }, 4 * STEP_MS);
});
