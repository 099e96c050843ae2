/**
 * The deadline calendar as a calendar app sees it, read by an independent
 * parser (ical.js, with the VTIMEZONE the file carries): every open deadline
 * the API lists is an event with a real duration, in Asia/Shanghai time,
 * ending at the deadline (a 24:00 deadline on its own day, not at 00:00 of the
 * next), TENTATIVE exactly where the deadline is provisional, with stable
 * UIDs. The subscription URL: polled without an Authorization header, opens
 * that user's feed and nothing else, is stored hashed, replaced, revoked,
 * stops with its user, is never logged, and wrong ones are rate limited.
 */
import { Writable } from 'node:stream';
import ICAL from 'ical.js';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { redactCalendarFeedUrl } from '../../api/routes/calendar-feed';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let signed: { id: string; number: string };
let unsigned: { id: string; number: string };

beforeAll(async () => {
  h = await createHarness();
  const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
  signed = (await h.api('sales').post('/api/contracts', template).expect(201)).body;
  for (const party of ['A', 'B']) await h.api('sales').post(`/api/contracts/${signed.id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true }).expect(200);
  unsigned = (await h.api('sales').post('/api/contracts', template).expect(201)).body;
  // the payment deadline comes with the invoice the payment workflow issues, the term's and the delivery form's with
  // activation, the signing deadline with the unsigned contract's first workflow task: the feed reads the read model,
  // so wait until all of them are there and the set stands still (an uncached worker is slow)
  const written = async (contractId: string, kind: string) =>
    (await h.database.db.query(`SELECT 1 FROM deadlines WHERE contract_id = $1 AND kind = $2 AND status = 'open'`, [contractId, kind])).rows.length > 0;
  const settled = async () =>
    (await written(signed.id, 'payment')) &&
    (await written(signed.id, 'term_end')) &&
    (await written(signed.id, 'renewal_objection')) &&
    (await written(signed.id, 'delivery_confirmation')) &&
    (await written(unsigned.id, 'signing'));
  for (let i = 0; i < 600 && !(await settled()); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await h?.close();
});

type ParsedEvent = { uid: string; start: ICAL.Time; end: ICAL.Time; durationSeconds: number; status: string; description: string; summary: string };

/** What a calendar app does: parse, take the file's own VTIMEZONE, read each event. */
function parseCalendar(text: string): { events: ParsedEvent[]; timezones: string[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents('vtimezone');
  for (const tz of timezones) ICAL.TimezoneService.register(tz);
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      start: event.startDate,
      end: event.endDate,
      durationSeconds: event.duration.toSeconds(),
      status: String(component.getFirstPropertyValue('status')),
      description: event.description,
      summary: event.summary,
    };
  });
  return { events, timezones: timezones.map((tz) => String(tz.getFirstPropertyValue('tzid'))) };
}

/** The Beijing calendar day and clock of an instant, by Intl's time zone database (not by our arithmetic). */
function beijing(instant: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

/** Every open deadline of the contracts, as the API lists them (the contract detail). */
async function listedDeadlines(ids: string[]): Promise<{ contractId: string; kind: string; ref: string; dueAt: string; provisional: boolean }[]> {
  const out = [];
  for (const id of ids) {
    const detail = (await h.api('sales').get(`/api/contracts/${id}`).expect(200)).body;
    out.push(...detail.deadlines.map((d: { kind: string; ref: string; dueAt: string; provisional: boolean }) => ({ contractId: id, ...d })));
  }
  return out;
}

describe('the iCalendar export read by ical.js', () => {
  it('shows every open deadline as an event in Asia/Shanghai time with a real duration, ending at the deadline, TENTATIVE exactly where provisional', async () => {
    const res = await h.api('sales').get('/api/calendar.ics').expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { events, timezones } = parseCalendar(res.text);
    expect(timezones).toEqual(['Asia/Shanghai']);

    const deadlines = await listedDeadlines([signed.id, unsigned.id]);
    expect(deadlines.map((d) => d.kind)).toEqual(expect.arrayContaining(['signing', 'payment']));
    expect(events).toHaveLength(deadlines.length);
    for (const deadline of deadlines) {
      // the deadline's own event: its kind and ref in the UID, its contract in the summary
      const matching = events.filter((e) => e.uid.endsWith(`:${deadline.kind}:${deadline.ref}@sms-contracts`) && e.summary.includes(deadline.contractId === signed.id ? signed.number : unsigned.number));
      expect(matching, `${deadline.kind} ${deadline.dueAt}`).toHaveLength(1);
      const event = matching[0]!;
      // ending at the deadline's instant, read through the file's own VTIMEZONE
      expect(event.end.toJSDate().toISOString()).toBe(deadline.dueAt);
      // a duration and a time zone, as the calendar app reads them
      expect(event.start.zone?.tzid).toBe('Asia/Shanghai');
      expect(event.end.zone?.tzid).toBe('Asia/Shanghai');
      expect(event.durationSeconds).toBe(3600);
      expect(event.end.toJSDate().getTime() - event.start.toJSDate().getTime()).toBe(3_600_000);
      expect(event.status).toBe(deadline.provisional ? 'TENTATIVE' : 'CONFIRMED');
      // the due moment in Beijing time, in the description; a deadline at 24:00 shows on its own day
      const due = beijing(deadline.dueAt);
      if (due.time === '00:00:00') {
        const day = beijing(new Date(Date.parse(deadline.dueAt) - 1).toISOString()).date;
        expect(event.description).toContain(`截止：${day} 24:00（北京时间）`);
        expect(beijing(event.start.toJSDate().toISOString())).toEqual({ date: day, time: '23:00:00' });
        expect(`${event.start.year}-${String(event.start.month).padStart(2, '0')}-${String(event.start.day).padStart(2, '0')}`).toBe(day);
      } else {
        expect(event.description).toContain(`截止：${due.date} ${due.time.replace(/:00$/, '')}`);
      }
    }
    // the Civil Code deadlines end at 24:00 Beijing: at least the payment deadline does
    const payment = deadlines.find((d) => d.kind === 'payment')!;
    expect(beijing(payment.dueAt).time).toBe('00:00:00');
  });

  it('keeps the same UIDs from one export to the next, one per deadline', async () => {
    const uids = async () => parseCalendar((await h.api('sales').get('/api/calendar.ics').expect(200)).text).events.map((e) => e.uid).sort();
    const first = await uids();
    expect(new Set(first).size).toBe(first.length);
    expect(await uids()).toEqual(first);
    expect(first.every((uid) => uid.endsWith('@sms-contracts'))).toBe(true);
  });
});

describe('the calendar subscription URL', () => {
  it('is polled without an Authorization header, answers the same feed as the authenticated export, and its token is stored only as a hash', async () => {
    const issued = await h.api('sales').post('/api/calendar-feed', {});
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const url = new URL(issued.body.url as string);
    expect(url.pathname).toMatch(/^\/api\/calendar\/smcal_[A-Za-z0-9_-]{43}\.ics$/);
    expect(issued.body.webcalUrl).toBe(issued.body.url.replace(/^http:/, 'webcal:'));
    const token = url.pathname.slice('/api/calendar/'.length, -'.ics'.length);

    const polled = await supertest(h.app).get(url.pathname).expect(200);
    expect(polled.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const viaToken = parseCalendar(polled.text).events.map((e) => [e.uid, e.end.toJSDate().toISOString()]).sort();
    const viaHeader = parseCalendar((await h.api('sales').get('/api/calendar.ics').expect(200)).text).events.map((e) => [e.uid, e.end.toJSDate().toISOString()]).sort();
    expect(viaToken).toEqual(viaHeader);
    expect(viaToken.length).toBeGreaterThan(0);

    const { rows } = await h.database.db.query('SELECT * FROM calendar_feeds WHERE user_id = $1', [h.users.sales]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.last_used_at).not.toBeNull();
    expect((await h.api('sales').get('/api/calendar-feed').expect(200)).body).toMatchObject({ active: true });
  });

  it('opens nothing but the feed: the token is no bearer token for any route', async () => {
    const token = new URL((await h.api('legal').post('/api/calendar-feed', {}).expect(201)).body.url).pathname.split('/').pop()!.replace(/\.ics$/, '');
    for (const path of ['/api/calendar.ics', '/api/me', '/api/contracts', '/api/calendar-feed']) {
      const res = await supertest(h.app).get(path).set('Authorization', `Bearer ${token}`);
      expect(res.status, path).toBe(401);
    }
    expect((await supertest(h.app).get(`/api/contracts?token=${token}`)).status).toBe(401);
    expect((await supertest(h.app).get(`/api/calendar/${token}`)).status).toBe(404);
    // the feed of the legal role: every contract's deadlines (legal sees all)
    expect(parseCalendar((await supertest(h.app).get(`/api/calendar/${token}.ics`).expect(200)).text).events.length).toBeGreaterThan(0);
  });

  it("answers a customer operator's feed with their organisation's deadlines only, as their own export does", async () => {
    const url = new URL((await h.api('customer').post('/api/calendar-feed', {}).expect(201)).body.url);
    const viaToken = parseCalendar((await supertest(h.app).get(url.pathname).expect(200)).text).events.map((e) => e.uid).sort();
    const viaHeader = parseCalendar((await h.api('customer').get('/api/calendar.ics').expect(200)).text).events.map((e) => e.uid).sort();
    expect(viaToken).toEqual(viaHeader);
  });

  it('is replaced by a new one and revoked on request; a revoked or replaced URL is a 404', async () => {
    const first = new URL((await h.api('finance').post('/api/calendar-feed', {}).expect(201)).body.url).pathname;
    const again = await h.api('finance').post('/api/calendar-feed', {}).expect(201);
    expect(again.body.replaced).toBe(true);
    const second = new URL(again.body.url).pathname;
    expect((await supertest(h.app).get(first)).status).toBe(404);
    await supertest(h.app).get(second).expect(200);
    expect((await h.api('finance').delete('/api/calendar-feed').expect(200)).body).toEqual({ revoked: true });
    const gone = await supertest(h.app).get(second);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NOT_FOUND');
    expect((await h.api('finance').get('/api/calendar-feed').expect(200)).body).toEqual({ active: false, createdAt: null, lastUsedAt: null });
    expect((await h.api('finance').delete('/api/calendar-feed')).status).toBe(404);
    const { rows } = await h.database.db.query(`SELECT type FROM audit_events WHERE actor_id = $1 AND type LIKE 'calendar_feed.%' ORDER BY id`, [h.users.finance]);
    expect(rows.map((r) => r.type)).toEqual(['calendar_feed.issued', 'calendar_feed.issued', 'calendar_feed.revoked']);
  });

  it("stops when its user is deactivated", async () => {
    const created = await h.api('admin').post('/api/users', { name: '日历订阅', role: 'legal' }).expect(201);
    const issued = await supertest(h.app).post('/api/calendar-feed').set('Authorization', `Bearer ${created.body.token}`).send({}).expect(201);
    const path = new URL(issued.body.url).pathname;
    await supertest(h.app).get(path).expect(200);
    await h.api('admin').post(`/api/users/${created.body.user.id}/deactivation`, { reason: '离职' }).expect(200);
    expect((await supertest(h.app).get(path)).status).toBe(404);
  });

  it('never writes the token to the access log, and rate limits wrong URLs like wrong tokens', async () => {
    let logged = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((logged += chunk.toString()), done()) });
    const app = createApp({ ...h.deps, logger: pino({ level: 'debug' }, sink) });
    const url = new URL((await supertest(app).post('/api/calendar-feed').set('Authorization', `Bearer ${h.tokens.operations}`).send({}).expect(201)).body.url);
    const token = url.pathname.split('/').pop()!.replace(/\.ics$/, '');
    await supertest(app).get(url.pathname).expect(200);
    expect(logged).toContain('/api/calendar/[token].ics');
    expect(logged).not.toContain(token);
    expect(redactCalendarFeedUrl(`/api/calendar/${token}.ics?x=1`)).toBe('/api/calendar/[token].ics?x=1');

    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await supertest(app).get(`/api/calendar/smcal_guess${i}.ics`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses[10]).toBe(429);
    // the real URL too, while the address is blocked: a guess cannot be confirmed
    expect((await supertest(app).get(url.pathname)).status).toBe(429);
  });
});
