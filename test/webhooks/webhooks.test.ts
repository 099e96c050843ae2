/**
 * Outgoing webhooks end to end: an admin subscribes a local receiver, the
 * contract lifecycle produces events, the dispatcher delivers them signed;
 * the receiver verifies every signature, fails the first deliveries and
 * loses one acknowledgement on purpose, and still records each event exactly
 * once (deduplicating on the event id).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueDeliveries } from '../../db/webhooks';
import { createWebhookDispatcher, retryDelayMs, WEBHOOK_RETRY_FOR_MS, type WebhookDispatcher } from '../../webhooks/dispatcher';
import { signWebhook, verifyWebhook, WEBHOOK_HEADERS } from '../../webhooks/signing';
import { createHarness, type Harness } from '../support/harness';

type Receiver = {
  url: string;
  requests: number;
  badSignatures: number;
  /** event id → how many times it was accepted (after dedup, each must be 1) */
  processed: Map<string, { type: string; body: Record<string, unknown> }>;
  duplicatesIgnored: number;
  close: () => Promise<void>;
};

/**
 * A receiver as a subscriber would write it: verify, deduplicate by event id,
 * process, acknowledge. `failFirst` requests answer 503 before processing;
 * `loseAckOf` processes one event and then answers 500 (the ack is lost, so it
 * is redelivered and must be deduplicated).
 */
async function startReceiver(secret: () => string, options: { failFirst: number; loseAckOf?: string }): Promise<Receiver> {
  const receiver = { requests: 0, badSignatures: 0, processed: new Map(), duplicatesIgnored: 0 } as unknown as Receiver;
  let ackLost = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.requests++;
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = verifyWebhook(secret(), { timestamp: req.headers[WEBHOOK_HEADERS.timestamp] as string, signature: req.headers[WEBHOOK_HEADERS.signature] as string }, body);
      if (!ok) {
        receiver.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      if (receiver.requests <= options.failFirst) {
        res.writeHead(503).end('try later');
        return;
      }
      const id = req.headers[WEBHOOK_HEADERS.id] as string;
      const event = JSON.parse(body) as { id: string; type: string };
      expect(event.id).toBe(id);
      if (receiver.processed.has(id)) {
        receiver.duplicatesIgnored++;
      } else {
        receiver.processed.set(id, { type: event.type, body: event });
      }
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

let h: Harness;
let dispatcher: WebhookDispatcher;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  h = await createHarness();
  dispatcher = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 50, baseDelayMs: 30, maxDelayMs: 300, jitter: 0, timeoutMs: 2_000 });
});
afterAll(async () => {
  await dispatcher?.stop();
  await h?.close();
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

async function signedContract(): Promise<string> {
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  const id = (await h.api('sales').post('/api/contracts', template.body).expect(201)).body.id as string;
  await h.api('sales').post(`/api/contracts/${id}/signatures`, { party: 'A', signer: '张示例', title: '代表', sealed: true }).expect(200);
  await h.api('sales').post(`/api/contracts/${id}/signatures`, { party: 'B', signer: '王示例', title: '负责人', sealed: true }).expect(200);
  return id;
}

describe('outgoing webhooks', () => {
  it('delivers every lifecycle event once, signed, despite failed deliveries and a lost acknowledgement', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret, { failFirst: 3, loseAckOf: 'contract.activated' });
    try {
      const created = await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['*'], description: 'test receiver' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      secret = created.body.secret;
      expect(secret).toMatch(/^whsec_/);
      const subscriptionId = created.body.id as string;
      // the secret is shown once: never listed again
      const listed = await h.api('admin').get('/api/webhooks').expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      const contractId = await signedContract();
      // the invoice is issued by the payment workflow started on activation
      await waitFor(
        () => h.database.db.query(`SELECT type FROM audit_events WHERE contract_id = $1`, [contractId]),
        (r) => r.rows.some((row) => row.type === 'invoice.issued'),
      );
      const audit = await h.database.db.query(`SELECT id, type FROM audit_events WHERE id > (SELECT audit_event_id FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY id LIMIT 1) - 1 ORDER BY id`, [subscriptionId]);
      const expected = new Map(audit.rows.map((r) => [`evt_${r.id}`, r.type as string]));
      expect([...expected.values()]).toEqual(expect.arrayContaining(['webhook.created', 'contract.created', 'contract.signed_by_party', 'contract.activated', 'invoice.issued']));

      await waitFor(
        () => h.database.db.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 GROUP BY status`, [subscriptionId]),
        (r) => r.rows.length === 1 && r.rows[0]!.status === 'delivered' && r.rows[0]!.n >= expected.size,
      );
      expect(receiver.badSignatures).toBe(0);
      const processed = new Map([...receiver.processed].map(([id, e]) => [id, e.type]));
      // every event of the period, each once; no event twice, none lost
      for (const [id, type] of expected) expect(processed.get(id), `${id} ${type}`).toBe(type);
      expect(receiver.processed.size).toBe(await countDeliveries(subscriptionId));
      expect(receiver.duplicatesIgnored).toBe(1); // the event whose ack was lost came back once
      expect(receiver.requests).toBe(receiver.processed.size + 3 + 1);

      const activated = [...receiver.processed.values()].find((e) => e.type === 'contract.activated')!.body as Record<string, any>;
      expect(activated).toMatchObject({ contractId, actor: { id: h.users.sales, role: 'sales' }, before: { status: 'awaiting_signatures' }, after: { status: 'active' } });
      expect(Date.parse(activated.occurredAt)).not.toBeNaN();

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
    const receiver = await startReceiver(() => secret, { failFirst: 0 });
    try {
      const created = await h.api('admin').post('/api/webhooks', { url: receiver.url, events: ['contract.activated', 'invoice.*'] }).expect(201);
      secret = created.body.secret;
      const contractId = await signedContract();
      await waitFor(
        async () => [...receiver.processed.values()].map((e) => e.type),
        (types) => types.includes('contract.activated') && types.includes('invoice.issued'),
      );
      await dispatcher.drain();
      const types = [...receiver.processed.values()].map((e) => e.type);
      expect(types.every((t) => t === 'contract.activated' || t.startsWith('invoice.'))).toBe(true);
      expect([...receiver.processed.values()].filter((e) => e.type === 'contract.activated' && e.body.contractId === contractId)).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('redelivers a delivery whose dispatcher died mid-send once its lease ends', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret, { failFirst: 0 });
    await dispatcher.stop(); // no background loop: this test drives the passes itself
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

  it('signs HMAC-SHA256 over timestamp and body; a changed body, secret or stale timestamp does not verify', () => {
    const body = '{"id":"evt_1","type":"contract.activated"}';
    const now = Math.floor(Date.now() / 1000);
    const signature = signWebhook('whsec_test', now, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_test', { timestamp: String(now), signature }, body)).toBe(true);
    expect(verifyWebhook('whsec_test', { timestamp: String(now), signature }, body.replace('activated', 'expired'))).toBe(false);
    expect(verifyWebhook('whsec_other', { timestamp: String(now), signature }, body)).toBe(false);
    const old = now - 3600;
    expect(verifyWebhook('whsec_test', { timestamp: String(old), signature: signWebhook('whsec_test', old, body) }, body)).toBe(false);
  });

  it('refuses subscriptions with bad URLs or event patterns, and only admins may subscribe', async () => {
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
});

async function countDeliveries(subscriptionId: string): Promise<number> {
  const { rows } = await h.database.db.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1', [subscriptionId]);
  return rows[0]!.n;
}
