/**
 * A State Council notice arriving while a payment period runs (Art. 203 of
 * the Civil Code, Art.3 §4 of the contract): the running timer moves, the
 * customer is told once, the same notice again changes nothing.
 *
 * The scenario: a contract signed on 2 December of the year before a year Y
 * whose 1 January is a Friday. Day 30 of the payment period is 1 January;
 * while Y is provisional (statutory holidays only: New Year's Day, then the
 * weekend) the payment is due at the end of Monday 4 January. The notice
 * makes 1–4 January rest days, so it is due at the end of Tuesday 5 January.
 * Y is 2027 while the clock allows (the deadline still ahead), else the next
 * year with 1 January on a Friday (2038, 2044, 2049: from a perpetual
 * calendar), so the test does not depend on the day it runs.
 */
import { describe, expect, it } from 'vitest';
import { invoiceNumber, paymentWorkflowId } from '../../domain/billing';
import { getInvoiceStateQuery } from '../../workflows/messages/payment-deadline';
import { recordHistoryIfAsked } from '../support/histories';
import { DAY, harnessPerBlock, referencePaymentInput, serverNowIso, sleepUntil, waitFor } from '../support/flows';
import { activeContract, caseRow, caseStatus, DAY_MS, notificationsOf, ownServer, serverNow, triggerWithUnextendedPeriod, waitFor as waitForTruthy } from './legal-helpers';

const YEARS_STARTING_ON_FRIDAY = [2027, 2038, 2044, 2049];

const notice = (year: number) => ({
  source: { title: `国务院办公厅关于${year}年部分节假日安排的通知`, documentNumber: '国办发明电〔测试〕1号', publishedAt: `${year - 1}-11-12` },
  days: [
    { date: `${year}-01-01`, kind: 'rest', name: '元旦' },
    { date: `${year}-01-02`, kind: 'rest', name: '元旦' },
    { date: `${year}-01-03`, kind: 'rest', name: '元旦' },
    { date: `${year}-01-04`, kind: 'rest', name: '元旦' },
    { date: `${year}-01-09`, kind: 'work', name: '元旦' },
  ],
});

describe('a calendar notice moves a running payment deadline', () => {
  const ref = harnessPerBlock();

  it('moves the due date from Monday 4 to Tuesday 5 January, tells the customer once, and does nothing when entered again', async () => {
    const { h } = ref;
    const now = Date.parse(await serverNowIso(h));
    // the first scenario year whose provisional due date (4 January, 24:00 Beijing) is still a day ahead
    const year = YEARS_STARTING_ON_FRIDAY.find((y) => Date.parse(`${y}-01-04T00:00:00+08:00`) - DAY > now)!;
    const signedAt = `${year - 1}-12-02T10:00:00+08:00`;
    const provisionalDue = `${year}-01-04T16:00:00.000Z`; // 24:00 Beijing on Monday 4 January
    const officialDue = `${year}-01-05T16:00:00.000Z`;

    // the contract's rows (the invoice and the notices belong to it); its payment period starts at signing
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const contract = (await h.api('sales').post('/api/contracts', template).expect(201)).body as { id: string; number: string };
    if (Date.parse(signedAt) > now) await sleepUntil(h, signedAt);
    const number = invoiceNumber(contract.number, { kind: 'initial_term' }) + '-CAL';
    const input = referencePaymentInput(contract, number, new Date(signedAt).toISOString());
    const handle = await h.env.client.workflow.start('paymentDeadline', { workflowId: paymentWorkflowId(number), taskQueue: h.taskQueue, args: [input] });

    const deadlineRow = async (): Promise<{ due_at: Date; provisional: boolean; calendar_years: number[] }> => (await h.database.db.query(`SELECT due_at, provisional, calendar_years FROM deadlines WHERE workflow_id = $1 AND kind = 'payment'`, [handle.workflowId])).rows[0] as { due_at: Date; provisional: boolean; calendar_years: number[] };
    const first = await waitFor(deadlineRow, (row) => row !== undefined, 'the payment deadline in the read model');
    expect(first.due_at.toISOString()).toBe(provisionalDue);
    expect(first).toMatchObject({ provisional: true, calendar_years: [year] });
    const listed = (await h.api('legal').get(`/api/contracts/${contract.id}`).expect(200)).body.deadlines;
    expect(listed).toContainEqual(expect.objectContaining({ kind: 'payment', dueAt: provisionalDue, provisional: true }));
    const feed = async () => (await h.api('legal').get('/api/calendar.ics').expect(200)).text;
    const paymentEvent = async () => (await feed()).split('BEGIN:VEVENT').find((e) => e.includes(`${handle.workflowId}:payment`))!;
    expect(await paymentEvent()).toContain('STATUS:TENTATIVE');

    // a dry run shows the move and changes nothing
    const preview = await h.api('legal').put(`/api/holiday-calendar/${year}?dryRun=true`, notice(year));
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, changed: true, revision: 0, recount: null });
    expect(preview.body.moves).toContainEqual(expect.objectContaining({ kind: 'payment', fromDueAt: provisionalDue, toDueAt: officialDue, days: 1 }));
    expect((await h.api('legal').get(`/api/holiday-calendar/${year}`).expect(200)).body).toMatchObject({ status: 'provisional', basis: 'statutory' });

    const entered = await h.api('legal').put(`/api/holiday-calendar/${year}`, notice(year));
    expect(entered.status, JSON.stringify(entered.body)).toBe(200);
    expect(entered.body).toMatchObject({ dryRun: false, changed: true, revision: 1, recount: { workflowId: `calendar-${year}-r1` } });
    await h.env.client.workflow.getHandle(`calendar-${year}-r1`).result();
    await recordHistoryIfAsked('calendar-recount-v1', h.env.client.workflow.getHandle(`calendar-${year}-r1`));

    const moved = await waitFor(deadlineRow, (row) => row.due_at.toISOString() === officialDue, 'the moved deadline in the read model');
    expect(moved.provisional).toBe(false);
    expect(await paymentEvent()).toContain('STATUS:CONFIRMED');
    // the contract's own signing deadline was counted over 2027 too: recounted (it stays), no longer provisional
    await waitFor(feed, (ics) => !ics.includes('STATUS:TENTATIVE'), 'every deadline of the feed confirmed');
    expect((await handle.query(getInvoiceStateQuery)).dueAt).toBe(officialDue);

    // past the old instant: not overdue
    await sleepUntil(h, provisionalDue, 60 * 60_000);
    expect(await handle.query(getInvoiceStateQuery)).toMatchObject({ status: 'open', dueAt: officialDue });
    const invoiceStatus = async () => (await h.database.db.query('SELECT status FROM invoices WHERE number = $1', [number])).rows[0]?.status;
    expect(await invoiceStatus()).toBe('open');

    // told once: the customer's contact and the owner, one notice each
    const movedNotices = async () =>
      (await h.database.db.query(`SELECT audience, body FROM notifications WHERE contract_id = $1 AND reason = 'deadline_moved' ORDER BY audience`, [contract.id])).rows;
    const told = await movedNotices();
    expect(told.map((n) => n.audience)).toEqual(['owner', 'party_a_contact']);
    expect(told[0]!.body).toContain(`因《国务院办公厅关于${year}年部分节假日安排的通知》发布，发票 ${number} 的付款期限由 1 月 4 日调整为 1 月 5 日`);

    // the same notice again: nothing saved, nothing started, nobody told
    const again = await h.api('admin').put(`/api/holiday-calendar/${year}`, notice(year));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ changed: false, revision: 1, recount: null, moves: [] });
    const moves = await h.database.db.query('SELECT count(*)::int AS n FROM deadline_moves WHERE year = $1', [year]);
    expect(moves.rows[0]!.n).toBe(1);
    expect(await movedNotices()).toHaveLength(2);
    expect((await h.api('legal').get(`/api/holiday-calendar/${year}`).expect(200)).body).toMatchObject({
      status: 'official',
      basis: 'notice',
      revision: 1,
      source: { documentNumber: '国办发明电〔测试〕1号' },
      recounts: [{ revision: 1, status: 'done', moved: 1 }],
    });

    // the moved timer fires at the new instant
    await sleepUntil(h, officialDue, 60 * 60_000);
    await waitFor(invoiceStatus, (s) => s === 'overdue', 'the invoice overdue after 5 January');
    await recordHistoryIfAsked('payment-calendar-moved-v1', handle);
  });
});

describe('a calendar notice moves a running cure period', () => {
  const server = ownServer();

  it("moves a breach case's cure deadline past a day the notice makes a rest day: the case is not escalated at the old instant, and everyone is told once", async () => {
    const h = server.get();
    const c = await activeContract(h, { signedDaysAgo: 20 });
    const servedAt = triggerWithUnextendedPeriod(await serverNow(h), 10, Date.parse(c.effectiveAt));
    const served = await h.api('legal').post(`/api/contracts/${c.id}/breach-notices`, { servedBy: 'B', clause: '第三条第4款', description: '甲方未按期付款。', servedAt });
    expect(served.status, JSON.stringify(served.body)).toBe(201);
    const caseId = served.body.id as string;
    const oldDue = served.body.deadline.dueAt as string;
    // the last day of the cure period (a working day) and, by hand, the first weekday after it that is not 1 January
    const lastDay = new Date(Date.parse(oldDue) - 8 * 3_600_000 - 1).toISOString().slice(0, 10);
    let next = lastDay;
    do next = new Date(Date.parse(`${next}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    while ([0, 6].includes(new Date(`${next}T00:00:00Z`).getUTCDay()) || next.endsWith('-01-01'));
    const newDue = new Date(Date.parse(`${next}T00:00:00+08:00`) + DAY_MS).toISOString();

    const year = Number(lastDay.slice(0, 4));
    const body = { source: { title: `${year}年节假日安排调整通知`, publishedAt: lastDay }, days: [{ date: lastDay, kind: 'rest', name: '调整' }] };
    const preview = await h.api('admin').put(`/api/holiday-calendar/${year}?dryRun=true`, body).expect(200);
    expect(preview.body.moves).toContainEqual(expect.objectContaining({ kind: 'cure', fromDueAt: oldDue, toDueAt: newDue }));
    const entered = await h.api('admin').put(`/api/holiday-calendar/${year}`, body).expect(200);
    await h.env.client.workflow.getHandle(entered.body.recount.workflowId).result();

    // watched in the read model: a query every 100 ms would make an uncached run (npm run test:uncached) replay the case without end
    await waitForTruthy(async () => (await caseRow(h, caseId))?.due_at?.toISOString() === newDue, 'the moved cure deadline on the case', 120_000);
    const detail = (await h.api('legal').get(`/api/cases/${encodeURIComponent(caseId)}`).expect(200)).body;
    expect(detail.deadline).toMatchObject({ kind: 'cure', dueAt: newDue });
    expect(JSON.stringify(detail)).toContain('deadline_moved');
    const told = await notificationsOf(h, { contractId: c.id, reason: 'deadline_moved' });
    expect(told.map((n) => n.audience).sort()).toEqual(['legal', 'owner', 'party_a_contact']);

    await sleepUntil(h, oldDue, 60 * 60_000);
    expect(await caseStatus(h, caseId)).toBe('served');
    await sleepUntil(h, newDue, 60 * 60_000);
    await waitForTruthy(async () => (await caseStatus(h, caseId)) === 'escalated', 'the case escalated after the moved deadline');
  });
});
