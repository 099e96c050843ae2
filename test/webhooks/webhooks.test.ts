/**
 * Outgoing webhooks end to end, judged by the Standard Webhooks
 * specification's own library: an admin subscribes a real HTTP receiver in
 * this test, the contract lifecycle produces events, the dispatcher delivers
 * them; the receiver verifies every delivery with `standardwebhooks`'
 * `Webhook.verify` (never with our signing code), fails the first deliveries
 * and loses one acknowledgement on purpose, and still records each event
 * exactly once (deduplicating on `webhook-id`). The payloads carry what a
 * subscriber acts on (amounts, invoice numbers, the opted-out number), event
 * names are checked against the published list, 410 Gone disables a
 * subscription, Retry-After is honoured, and secrets issued before keep their key.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueDeliveries } from '../../db/webhooks';
import { findWebhookEvent, WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events';
import { createWebhookDispatcher, retryDelayMs, WEBHOOK_RETRY_FOR_MS, type WebhookDispatcher } from '../../webhooks/dispatcher';
import { signWebhook } from '../../webhooks/signing';
import { activeContract, number, onTheWire, SIGNATURE, startSmsRig, statusCounts, waitUntil, type SmsRig } from '../sms/dispatch-rig';
import type { Harness } from '../support/harness';

type Delivery = { id: string; type: string; body: Record<string, any>; headers: IncomingHttpHeaders };

type Receiver = {
  url: string;
  requests: number;
  /** deliveries the specification's library refused */
  refused: string[];
  /** event id → the delivery accepted (after dedup, each once) */
  processed: Map<string, Delivery>;
  duplicatesIgnored: number;
  close: () => Promise<void>;
};

/**
 * A receiver as a subscriber would write it with the specification's
 * library: verify (`new Webhook(secret).verify(body, headers)`), deduplicate
 * by `webhook-id`, process, acknowledge. `failFirst` requests answer 503
 * before processing; `loseAckOf` processes one event and then answers 500
 * (the ack is lost, so it is redelivered and must be deduplicated);
 * `answer` overrides the status (and headers) of a request.
 */
async function startReceiver(
  secret: () => string,
  options: { failFirst?: number; loseAckOf?: string; answer?: (n: number) => { status: number; headers?: Record<string, string> } | null } = {},
): Promise<Receiver> {
  const receiver = { requests: 0, refused: [], processed: new Map(), duplicatesIgnored: 0 } as unknown as Receiver;
  let ackLost = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.requests++;
      const raw = Buffer.concat(chunks).toString('utf8');
      let event: Record<string, any>;
      try {
        event = new Webhook(secret()).verify(raw, req.headers as Record<string, string>) as Record<string, any>;
      } catch (error) {
        receiver.refused.push(error instanceof WebhookVerificationError ? error.message : String(error));
        res.writeHead(401).end();
        return;
      }
      const forced = options.answer?.(receiver.requests);
      if (forced) {
        res.writeHead(forced.status, forced.headers).end();
        return;
      }
      if (receiver.requests <= (options.failFirst ?? 0)) {
        res.writeHead(503).end('try later');
        return;
      }
      const id = req.headers['webhook-id'] as string;
      if (receiver.processed.has(id)) receiver.duplicatesIgnored++;
      else receiver.processed.set(id, { id, type: event.type, body: event, headers: req.headers });
      if (!ackLost && event.type === options.loseAckOf) {
        ackLost = true;
        res.writeHead(500).end('crashed after processing');
        return;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

let rig: SmsRig;
let h: Harness;
let dispatcher: WebhookDispatcher;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  rig = await startSmsRig();
  h = rig.h;
  dispatcher = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 50, baseDelayMs: 30, maxDelayMs: 300, jitter: 0, timeoutMs: 2_000 });
});
afterAll(async () => {
  await dispatcher?.stop();
  await rig?.close();
});

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function signedContract(): Promise<{ id: string; number: string }> {
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  const created = (await h.api('sales').post('/api/contracts', template.body).expect(201)).body;
  await h.api('sales').post(`/api/contracts/${created.id}/signatures`, { party: 'A', signer: '张示例', title: '代表', sealed: true }).expect(200);
  await h.api('sales').post(`/api/contracts/${created.id}/signatures`, { party: 'B', signer: '王示例', title: '负责人', sealed: true }).expect(200);
  return { id: created.id, number: created.number };
}

/** The key a `whsec_…` secret stands for, as the specification defines it (base64 after the prefix), decoded by Node, not by the library. */
const keyOf = (secret: string) => Buffer.from(secret.slice('whsec_'.length), 'base64');

describe('outgoing webhooks (Standard Webhooks)', () => {
  it('delivers every lifecycle event once, each verified by the specification library, despite failed deliveries and a lost acknowledgement', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret, { failFirst: 3, loseAckOf: 'contract.activated' });
    try {
      const created = await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['*'], description: 'test receiver' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      secret = created.body.secret;
      // the specification's format: whsec_ + base64 of 24 to 64 random bytes
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      expect(keyOf(secret).length).toBeGreaterThanOrEqual(24);
      expect(keyOf(secret).length).toBeLessThanOrEqual(64);
      expect(keyOf(secret).toString('base64')).toBe(secret.slice(6));
      const subscriptionId = created.body.id as string;
      // the secret is shown once: never listed again
      const listed = await h.api('admin').get('/api/webhooks').expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      const contract = await signedContract();
      // the invoice is issued by the payment workflow started on activation; then a partial payment
      await waitFor(
        () => h.database.db.query(`SELECT type FROM audit_events WHERE contract_id = $1`, [contract.id]),
        (r) => r.rows.some((row) => row.type === 'invoice.issued'),
      );
      const invoiceNumber = `INV-${contract.number}-T1`;
      await h
        .api('finance')
        .post(`/api/contracts/${contract.id}/payments`, { amountFen: 100_000, reference: 'WH-PAY-1', paidAt: new Date(await h.env.currentTimeMs()).toISOString(), method: 'bank_transfer' })
        .expect(200);
      await waitFor(
        () => h.database.db.query(`SELECT type FROM audit_events WHERE contract_id = $1`, [contract.id]),
        (r) => r.rows.some((row) => row.type === 'payment.recorded'),
      );
      const audit = await h.database.db.query(
        `SELECT id, type FROM audit_events WHERE id >= (SELECT min(audit_event_id) FROM webhook_deliveries WHERE subscription_id = $1) ORDER BY id`,
        [subscriptionId],
      );
      const expected = new Map(audit.rows.map((r) => [`evt_${r.id}`, r.type as string]));
      expect([...expected.values()]).toEqual(
        expect.arrayContaining(['webhook.created', 'contract.created', 'contract.signed_by_party', 'contract.activated', 'invoice.issued', 'payment.recorded']),
      );

      await waitFor(
        () => h.database.db.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 GROUP BY status`, [subscriptionId]),
        (r) => r.rows.length === 1 && r.rows[0]!.status === 'delivered' && r.rows[0]!.n >= expected.size,
      );
      expect(receiver.refused).toEqual([]);
      const processed = new Map([...receiver.processed].map(([id, e]) => [id, e.type]));
      // every event of the period, each once; no event twice, none lost
      for (const [id, type] of expected) expect(processed.get(id), `${id} ${type}`).toBe(type);
      expect(receiver.processed.size).toBe(await countDeliveries(subscriptionId));
      expect(receiver.duplicatesIgnored).toBe(1); // the event whose ack was lost came back once
      expect(receiver.requests).toBe(receiver.processed.size + 3 + 1);

      for (const delivery of receiver.processed.values()) {
        // the specification's headers and payload: webhook-id is the event id, one v1 signature of 32 bytes, the event's own timestamp
        expect(delivery.headers['webhook-id']).toBe(delivery.body.id);
        expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
        expect(delivery.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
        expect(Date.parse(delivery.body.timestamp)).not.toBeNaN();
        // every event delivered is in the published list, with the data keys its documentation shows
        expect(WEBHOOK_EVENT_TYPES, delivery.type).toContain(delivery.type);
        expect(Object.keys(delivery.body.data).sort(), delivery.type).toEqual(expect.arrayContaining(Object.keys(findWebhookEvent(delivery.type)!.data)));
      }

      const byType = (type: string) => [...receiver.processed.values()].filter((e) => e.type === type && e.body.contractId === contract.id).map((e) => e.body);
      const [activated] = byType('contract.activated');
      expect(activated).toMatchObject({ contractId: contract.id, contractNumber: contract.number, actor: { id: h.users.sales, role: 'sales' }, before: { status: 'awaiting_signatures' }, after: { status: 'active' } });
      const [issued] = byType('invoice.issued');
      // the reference terms: 999 CNY a year for 3 years, VAT 0 %, due 30 days after signing (the detail's invoice, as the API shows it)
      const shown = (await h.api('finance').get(`/api/contracts/${contract.id}`).expect(200)).body.invoices.find((i: { number: string }) => i.number === invoiceNumber);
      expect(issued!.data).toMatchObject({ invoice: invoiceNumber, amountFen: 99_900 * 3, currency: 'CNY', vatRatePercent: 0, dueAt: shown.dueAt, kind: 'initial_term' });
      const [paid] = byType('payment.recorded');
      expect(paid!.data).toMatchObject({ invoice: invoiceNumber, amountFen: 100_000, outstandingFen: 99_900 * 3 - 100_000, invoiceStatus: 'partially_paid', reference: 'WH-PAY-1' });
      const [createdEvent] = byType('contract.created');
      expect(createdEvent!.data).toMatchObject({ yearlyFeeFen: 99_900, totalFen: 299_700, years: 3 });

      const log = await h.api('admin').get(`/api/webhooks/${subscriptionId}/deliveries?limit=500`).expect(200);
      const retried = log.body.items.filter((d: { attempts: number }) => d.attempts > 1);
      expect(retried.length).toBeGreaterThanOrEqual(1);
      for (const d of retried) {
        expect(d.log).toHaveLength(d.attempts);
        expect(d.log.at(-1).statusCode).toBe(204);
        expect(d.log.slice(0, -1).every((a: { statusCode: number }) => a.statusCode >= 500)).toBe(true);
      }
      expect(log.body.items.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('sends only the events a subscriber asked for (exact types and families)', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    try {
      const created = await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['contract.activated', 'invoice.*'] }).expect(201);
      secret = created.body.secret;
      const contract = await signedContract();
      await waitFor(
        async () => [...receiver.processed.values()].map((e) => e.type),
        (types) => types.includes('contract.activated') && types.includes('invoice.issued'),
      );
      await dispatcher.drain();
      const types = [...receiver.processed.values()].map((e) => e.type);
      expect(types.every((t) => t === 'contract.activated' || t.startsWith('invoice.'))).toBe(true);
      expect([...receiver.processed.values()].filter((e) => e.type === 'contract.activated' && e.body.contractId === contract.id)).toHaveLength(1);
      expect(receiver.refused).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('tells a subscriber which number opted out (a TD reply) and which numbers were entered by hand, without writing them to the audit log', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    try {
      secret = (await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['sms.opted_out', 'sms.opt_outs_recorded'] }).expect(201)).body.secret;
      const contract = await activeContract(h, { sms: { permit24h: true } });
      const partyA = (await h.api('sales').get(`/api/contracts/${contract.id}`).expect(200)).body.parties.A.name as string;
      const sent = await h.api('customer').post(`/api/contracts/${contract.id}/messages`, { category: 'notification', content: `${SIGNATURE}明日上午9时召开会议。`, recipients: [number(61)], idempotencyKey: 'wh-td-1' });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      await waitUntil(async () => (await statusCounts(h, sent.body.submissionId)).delivered === 1, 20_000, 'delivered');
      await rig.smsc.injectMo({ source: onTheWire(61), destination: sent.body.senderAddress, text: 'TD' });
      const [optedOut] = (await waitFor(
        async () => [...receiver.processed.values()].filter((e) => e.type === 'sms.opted_out'),
        (list) => list.length === 1,
      ))!;
      expect(optedOut!.body).toMatchObject({ contractId: contract.id, contractNumber: contract.number, data: { number: `+86${number(61)}`, customer: partyA, source: 'mo_reply' } });

      await h.api('customer').post(`/api/contracts/${contract.id}/opt-outs`, { numbers: [number(62), 'x'], reason: 'complaint' }).expect(201);
      const [recorded] = (await waitFor(
        async () => [...receiver.processed.values()].filter((e) => e.type === 'sms.opt_outs_recorded'),
        (list) => list.length === 1,
      ))!;
      expect(recorded!.body.data).toMatchObject({ numbers: [`+86${number(62)}`], customer: partyA, added: 1, invalid: 1 });
      // the contract's audit log (shown on its timeline to every role) holds no phone number
      const { rows } = await h.database.db.query(`SELECT data FROM audit_events WHERE contract_id = $1 AND type LIKE 'sms.opt%'`, [contract.id]);
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toMatch(/1380000006[12]/);
      expect(receiver.refused).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('tells a subscriber the case and its deadline: case.opened with the cure deadline, case.withdrawn with none', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    try {
      secret = (await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['case.*'] }).expect(201)).body.secret;
      const contract = await signedContract();
      const served = await h.api('legal').post(`/api/contracts/${contract.id}/breach-notices`, { servedBy: 'A', clause: '第五条第2款', description: '乙方在发送时段外发送短信。' });
      expect(served.status, JSON.stringify(served.body)).toBe(201);
      const caseId = served.body.id as string;
      // the case as the API shows it: its cure deadline
      const shown = (await h.api('legal').get(`/api/cases/${encodeURIComponent(caseId)}`).expect(200)).body;
      expect(shown.deadline.kind).toBe('cure');
      const delivered = (type: string) => [...receiver.processed.values()].filter((e) => e.type === type && e.body.data.caseId === caseId).map((e) => e.body);
      const [opened] = await waitFor(async () => delivered('case.opened'), (list) => list.length === 1);
      expect(opened).toMatchObject({ contractId: contract.id, contractNumber: contract.number, data: { caseId, caseKind: 'breach', status: shown.status, dueAt: shown.deadline.dueAt, dueKind: 'cure' } });

      await h.api('customer').post(`/api/breach-cases/${encodeURIComponent(caseId)}/withdrawal`, { reason: '经核实系误解，撤回通知。' }).expect(200);
      const [withdrawn] = await waitFor(async () => delivered('case.withdrawn'), (list) => list.length === 1);
      expect(withdrawn!.data).toMatchObject({ caseId, caseKind: 'breach', status: 'withdrawn', dueAt: null, dueKind: null, event: 'withdrawn' });
      expect(withdrawn!.before).toEqual({ caseId, status: shown.status });
      expect(receiver.refused).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('refuses event names the system does not emit with a 400 naming each of them; published types, families and * are accepted', async () => {
    const refused = await h.api('admin').post('/api/webhooks', { url: 'https://example.com/x', events: ['contract.activated', 'nonsense.event', 'invoice.paid_twice', 'nonsense.*'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    const issues = refused.body.error.issues as { path: string; message: string }[];
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('body.events');
    for (const name of ['nonsense.event', 'invoice.paid_twice', 'nonsense.*']) expect(issues[0]!.message).toContain(`'${name}'`);
    expect(issues[0]!.message).not.toContain("'contract.activated'");
    expect(await countSubscriptions('https://example.com/x')).toBe(0);

    for (const events of [['*'], ['invoice.*', 'sms.opted_out'], ['case.opened', 'contract.*']]) {
      expect((await h.api('admin').post('/api/webhooks', { url: 'https://example.com/ok', events })).status, JSON.stringify(events)).toBe(201);
    }
    const published = await h.api('admin').get('/api/webhook-events').expect(200);
    expect(published.body.items.map((e: { type: string }) => e.type)).toEqual([...WEBHOOK_EVENT_TYPES]);
    expect(published.body.items.find((e: { type: string }) => e.type === 'sms.opted_out').example.data.number).toMatch(/^\+86/);
  });

  it('refuses subscriptions with bad URLs or malformed event patterns, and only admins may subscribe', async () => {
    for (const body of [
      { url: 'ftp://example.com/x', events: ['*'] },
      { url: 'http://user:pw@example.com/x', events: ['*'] },
      { url: 'https://example.com/x', events: [] },
      { url: 'https://example.com/x', events: ['contract.'] },
      { url: 'https://example.com/x', events: ['*', '*'] },
    ]) {
      expect((await h.api('admin').post('/api/webhooks', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.api('sales').post('/api/webhooks', { url: 'https://example.com/x', events: ['*'] })).status).toBe(403);
    expect((await h.api('admin').get('/api/webhooks/wh_nope/deliveries')).status).toBe(404);
  });

  it('disables a subscription whose endpoint answers 410 Gone, with an audit event, and sends it nothing more', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret, { answer: () => ({ status: 410 }) });
    try {
      const created = await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['user.created'] }).expect(201);
      secret = created.body.secret;
      await h.api('admin').post('/api/users', { name: '退订测试一', role: 'legal' }).expect(201);
      await waitFor(
        async () => (await h.database.db.query('SELECT active FROM webhook_subscriptions WHERE id = $1', [created.body.id])).rows[0]!.active as boolean,
        (active) => active === false,
      );
      const requestsThen = receiver.requests;
      expect(requestsThen).toBe(1);
      const [failed] = (await h.api('admin').get(`/api/webhooks/${created.body.id}/deliveries`).expect(200)).body.items;
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 410 });
      const { rows } = await h.database.db.query(`SELECT data FROM audit_events WHERE type = 'webhook.disabled'`);
      expect(rows.map((r) => r.data.subscriptionId)).toContain(created.body.id);
      await h.api('admin').post('/api/users', { name: '退订测试二', role: 'legal' }).expect(201);
      await dispatcher.drain();
      expect(receiver.requests).toBe(requestsThen);
      expect((await h.api('admin').get('/api/webhooks').expect(200)).body.items.find((s: { id: string }) => s.id === created.body.id).active).toBe(false);
    } finally {
      await receiver.close();
    }
  });

  it("waits as long as the receiver's Retry-After asks before the next attempt", async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret, { answer: (n) => (n === 1 ? { status: 503, headers: { 'retry-after': '2' } } : null) });
    try {
      const created = await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['user.created'] }).expect(201);
      secret = created.body.secret;
      await h.api('admin').post('/api/users', { name: '稍后重试', role: 'legal' }).expect(201);
      const [delivered] = await waitFor(
        async () => (await h.api('admin').get(`/api/webhooks/${created.body.id}/deliveries`).expect(200)).body.items as { status: string; log: { at: string; statusCode: number }[] }[],
        (items) => items.length === 1 && items[0]!.status === 'delivered',
        15_000,
      );
      const [first, second] = delivered!.log;
      expect([first!.statusCode, second!.statusCode]).toEqual([503, 204]);
      // without Retry-After the next attempt would come 30 ms later (baseDelayMs); the receiver asked for 2 s
      expect(Date.parse(second!.at) - Date.parse(first!.at)).toBeGreaterThanOrEqual(1_900);
    } finally {
      await receiver.close();
    }
  });

  it('redelivers a delivery whose dispatcher died mid-send once its lease ends', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    await dispatcher.stop(); // no background loop from here on: these tests drive the passes themselves
    try {
      const created = await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['user.created'] }).expect(201);
      secret = created.body.secret;
      await h.api('admin').post('/api/users', { name: '租约测试', role: 'legal' }).expect(201);
      // a dispatcher claims it and dies before sending or recording anything
      const claimed = await claimDueDeliveries(h.database.db, 1_000, 2_000);
      expect(claimed.filter((c) => c.eventType === 'user.created' && c.url === receiver.url)).toHaveLength(1);
      const second = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 0, baseDelayMs: 10, jitter: 0 });
      const delivered = () => [...receiver.processed.values()].filter((e) => e.type === 'user.created');
      // other tests' retries may be due too: what counts is that this delivery waits for its lease
      await second.drain();
      expect(delivered()).toHaveLength(0); // still leased
      await new Promise((r) => setTimeout(r, 2_500));
      await second.drain();
      expect(delivered()).toHaveLength(1);
      await second.stop();
    } finally {
      await receiver.close();
    }
  });

  it('backs off exponentially and gives up (failed, logged) when the retry window is over', async () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 30_000, 6 * 3600_000))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(30, 30_000, 6 * 3600_000)).toBe(6 * 3600_000);
    expect(WEBHOOK_RETRY_FOR_MS).toBe(3 * 24 * 3600 * 1000);
    // over 3 days at these delays: about 20 attempts
    let t = 0;
    let attempts = 0;
    while (t <= WEBHOOK_RETRY_FOR_MS) t += retryDelayMs(++attempts, 30_000, 6 * 3600_000);
    expect(attempts).toBeGreaterThan(15);

    const created = await h.api('admin').post('/api/webhooks', { url: 'http://127.0.0.1:9/closed', events: ['user.created'] }).expect(201);
    await h.api('admin').post('/api/users', { name: '放弃测试', role: 'legal' }).expect(201);
    const quick = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 0, baseDelayMs: 20, maxDelayMs: 80, giveUpAfterMs: 1_500, jitter: 0, timeoutMs: 500 });
    await waitFor(
      async () => {
        await quick.drain();
        return (await h.api('admin').get(`/api/webhooks/${created.body.id}/deliveries`).expect(200)).body.items;
      },
      (items: { status: string }[]) => items.length === 1 && items[0]!.status === 'failed',
      10_000,
    );
    const [failed] = (await h.api('admin').get(`/api/webhooks/${created.body.id}/deliveries?status=failed`).expect(200)).body.items;
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(failed.log).toHaveLength(failed.attempts);
    expect(failed.log.every((a: { statusCode: number | null; error: string }) => a.statusCode === null && a.error)).toBe(true);
    await quick.stop();
  });
});

describe('signatures and secrets', () => {
  it('signs id.timestamp.body with the base64-decoded secret as the specification defines (an HMAC computed here agrees); a changed body, id, secret or a stale timestamp does not verify', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const body = '{"id":"evt_1","type":"contract.activated"}';
    const now = Math.floor(Date.now() / 1000);
    const header = signWebhook(secret, 'evt_1', now, body);
    // the specification by hand: HMAC-SHA256 keyed with the decoded secret over `${id}.${timestamp}.${body}`, base64, after `v1,`
    const byHand = createHmac('sha256', keyOf(secret)).update(`evt_1.${now}.${body}`).digest('base64');
    expect(header).toBe(`v1,${byHand}`);
    const headers = (id: string, ts: number, signature: string) => ({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature });
    expect(new Webhook(secret).verify(body, headers('evt_1', now, header))).toEqual({ id: 'evt_1', type: 'contract.activated' });
    expect(() => new Webhook(secret).verify(body.replace('activated', 'expired'), headers('evt_1', now, header))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, headers('evt_2', now, header))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(body, headers('evt_1', now, header))).toThrow(WebhookVerificationError);
    const old = now - 3600;
    expect(() => new Webhook(secret).verify(body, headers('evt_1', old, signWebhook(secret, 'evt_1', old, body)))).toThrow(/too old/);
    // two secrets (a rotation): both signatures, space-separated; either verifies
    const next = `whsec_${randomBytes(32).toString('base64')}`;
    const both = signWebhook([secret, next], 'evt_1', now, body);
    expect(both.split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers('evt_1', now, both))).toBeTruthy();
  });

  it('keeps the key of every secret issued before (migration 015): converted to the specification format, and a subscriber copy verifies as documented', async () => {
    // the statement migration 015 runs, applied to secrets in the old format (whsec_ + base64url of 32 bytes)
    const migration = readFileSync(join(__dirname, '../../db/migrations/015_standard_webhook_secrets.sql'), 'utf8');
    const update = /UPDATE webhook_subscriptions[\s\S]*?;/.exec(migration)![0].replace('UPDATE webhook_subscriptions', 'UPDATE legacy_secrets');
    const keys = Array.from({ length: 40 }, () => randomBytes(32));
    // make sure both kinds are there: secrets with and without '-' or '_'
    keys.push(Buffer.from('fbef'.repeat(16), 'hex'), Buffer.from('00'.repeat(32), 'hex'));
    const old = keys.map((k) => `whsec_${k.toString('base64url')}`);
    expect(old.some((s) => /[-_]/.test(s.slice(6)))).toBe(true);
    expect(old.some((s) => !/[-_]/.test(s.slice(6)))).toBe(true);
    const client = await h.database.db.pool.connect();
    let converted: string[];
    try {
      await client.query('CREATE TEMP TABLE legacy_secrets (n integer, secret text)');
      for (const [n, s] of old.entries()) await client.query('INSERT INTO legacy_secrets VALUES ($1, $2)', [n, s]);
      await client.query(update);
      converted = (await client.query('SELECT secret FROM legacy_secrets ORDER BY n')).rows.map((r) => r.secret as string);
    } finally {
      client.release();
    }
    const now = Math.floor(Date.now() / 1000);
    const body = '{"type":"invoice.overdue"}';
    for (const [i, key] of keys.entries()) {
      const stored = converted[i]!;
      expect(stored).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      // the same key: what we sign with now is the HMAC keyed with the original 32 bytes
      const signed = signWebhook(stored, 'evt_9', now, body);
      expect(signed).toBe(`v1,${createHmac('sha256', key).update(`evt_9.${now}.${body}`).digest('base64')}`);
      const headers = { 'webhook-id': 'evt_9', 'webhook-timestamp': String(now), 'webhook-signature': signed };
      // the subscriber's copy: as it is when it has no '-' or '_', else with the two replacements docs/webhooks.md gives
      const copy = old[i]!;
      const usable = /[-_]/.test(copy.slice(6)) ? `whsec_${copy.slice(6).replace(/-/g, '+').replace(/_/g, '/')}` : copy;
      expect(new Webhook(usable).verify(body, headers)).toEqual({ type: 'invoice.overdue' });
    }
  });
});

async function countDeliveries(subscriptionId: string): Promise<number> {
  const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1', [subscriptionId]);
  return rows[0]!.n;
}

async function countSubscriptions(url: string): Promise<number> {
  const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE url = $1', [url]);
  return rows[0]!.n;
}
