/**
 * Webhook destinations are checked after name resolution (SSRF):
 * registration (POST /api/webhooks) refuses link-local and metadata
 * addresses always, written as they may be and behind a name that resolves
 * to one; with production settings (NODE_ENV=production, read by the
 * configuration module) also loopback and private addresses and plain
 * http, unless WEBHOOK_ALLOWED_HOSTS names the host. Delivery goes through
 * request-filtering-agent: a name that resolves to 169.254.169.254 only at
 * delivery time (rebinding) is refused, recorded as a failed attempt with
 * the reason and never retried, and with production settings the agent's
 * own rule refuses a name resolving to loopback; a receiver on loopback
 * still gets its deliveries in development. Name resolution is a test
 * lookup (the product takes dns.lookup's signature), the receiver a real
 * HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { ConfigError, loadConfig } from '../../platform/config';
import { createWebhookDispatcher } from '../../webhooks/dispatcher';
import type { DnsLookup } from '../../webhooks/destinations';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let receiver: Server;
let port: number;
let received = 0;
const logger = pino({ level: 'silent' });

/** what each test name resolves to; changed by a test to play DNS rebinding */
const answers = new Map<string, string>();
const lookups: string[] = [];
const testLookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  lookups.push(hostname);
  const address = answers.get(hostname);
  if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  const family = address.includes(':') ? 6 : 4;
  return options.all ? callback(null, [{ address, family }]) : callback(null, address, family);
}) as unknown as DnsLookup;

/** the settings a production start reads (the configuration module itself decides what they mean) */
const productionPolicy = (allowed = '') => loadConfig({ ...process.env, NODE_ENV: 'production', WEBHOOK_ALLOWED_HOSTS: allowed }).webhookDestinations;
const developmentPolicy = () => loadConfig({ ...process.env, NODE_ENV: 'development' }).webhookDestinations;

beforeAll(async () => {
  h = await createHarness();
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await h?.close();
});

const admin = (app: ReturnType<typeof createApp>) => (url: string) =>
  supertest(app).post('/api/webhooks').set('Authorization', `Bearer ${h.tokens.admin}`).send({ url, events: ['user.created'] });

async function subscriptionCount(): Promise<number> {
  return (await h.database.db.query('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0]!.n;
}

function expectRefused(res: supertest.Response, reason: string, address?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error).toMatchObject({ code: 'WEBHOOK_DESTINATION_REFUSED', reason });
  if (address) expect(res.body.error.address).toBe(address);
  expect(res.body.error.issues[0].path).toBe('body.url');
}

/** one user.created event, delivered (or not) by `dispatcher`; the subscription is switched off afterwards */
async function deliverOnce(subscriptionId: string, dispatcher: ReturnType<typeof createWebhookDispatcher>) {
  await h.api('admin').post('/api/users', { name: '投递测试', role: 'legal' }).expect(201);
  await dispatcher.drain();
  await dispatcher.drain(); // a second pass: nothing is due again
  const [delivery] = (await h.api('admin').get(`/api/webhooks/${subscriptionId}/deliveries`).expect(200)).body.items;
  await h.database.db.query('UPDATE webhook_subscriptions SET active = false WHERE id = $1', [subscriptionId]);
  return delivery as { status: string; attempts: number; lastError: string | null; log: { error: string | null; statusCode: number | null }[] };
}

describe('registration', () => {
  it('refuses link-local and metadata addresses in development too, however written and behind a name resolving to one', async () => {
    answers.set('metadata.test', '169.254.169.254');
    answers.set('v6-metadata.test', 'fe80::a9fe:a9fe');
    const post = admin(createApp({ ...h.deps, webhookDestinations: developmentPolicy(), dnsLookup: testLookup }));
    const before = await subscriptionCount();
    expectRefused(await post('http://169.254.169.254/latest/meta-data/'), 'link_local', '169.254.169.254');
    expectRefused(await post('https://169.254.170.2/v2/credentials'), 'link_local', '169.254.170.2');
    expectRefused(await post('http://[fe80::1]:8080/hook'), 'link_local');
    expectRefused(await post('http://[::ffff:169.254.169.254]/'), 'link_local', '169.254.169.254');
    expectRefused(await post('http://2852039166/'), 'link_local', '169.254.169.254'); // 169.254.169.254 as one number
    expectRefused(await post('http://0.0.0.0:3000/hook'), 'unspecified');
    expectRefused(await post('https://metadata.test/hook'), 'link_local', '169.254.169.254');
    expectRefused(await post('https://v6-metadata.test/hook'), 'link_local', 'fe80::a9fe:a9fe');
    expect(lookups).toContain('metadata.test');
    expect(await subscriptionCount()).toBe(before);
    // a receiver on this machine is what development is for
    expect((await post(`http://127.0.0.1:${port}/hook`)).status).toBe(201);
  });

  it('refuses loopback, private addresses and plain http with production settings, unless WEBHOOK_ALLOWED_HOSTS names the host', async () => {
    answers.set('receiver.test', '127.0.0.1');
    answers.set('intranet.test', '10.20.30.40');
    answers.set('public.test', '93.184.215.14');
    const post = admin(createApp({ ...h.deps, webhookDestinations: productionPolicy(), dnsLookup: testLookup }));
    const before = await subscriptionCount();
    expectRefused(await post(`http://127.0.0.1:${port}/hook`), 'internal_address', '127.0.0.1');
    expectRefused(await post('https://127.0.0.1/hook'), 'internal_address', '127.0.0.1');
    expectRefused(await post('https://[::1]/hook'), 'internal_address', '::1');
    expectRefused(await post('https://192.168.1.10/hook'), 'internal_address', '192.168.1.10');
    expectRefused(await post('https://receiver.test/hook'), 'internal_address', '127.0.0.1');
    expectRefused(await post('https://intranet.test/hook'), 'internal_address', '10.20.30.40');
    expectRefused(await post('http://public.test/hook'), 'plain_http');
    expectRefused(await post('https://169.254.169.254/'), 'link_local');
    expect(await subscriptionCount()).toBe(before);
    expect((await post('https://public.test/hook')).status).toBe(201);
    // a name that resolves to nothing yet is checked at each delivery instead
    expect((await post('https://not-yet-deployed.test/hook')).status).toBe(201);

    // the internal receiver named in the allowlist: loopback and plain http allowed for it alone, link-local still never
    answers.set('metadata-alias.test', '169.254.169.254');
    const allowed = admin(createApp({ ...h.deps, webhookDestinations: productionPolicy('receiver.test, metadata-alias.test'), dnsLookup: testLookup }));
    expect((await allowed(`http://receiver.test:${port}/hook`)).status).toBe(201);
    expectRefused(await allowed(`http://127.0.0.1:${port}/hook`), 'internal_address');
    expectRefused(await allowed('https://metadata-alias.test/'), 'link_local', '169.254.169.254');
  });

  it('refuses to start with a link-local address in WEBHOOK_ALLOWED_HOSTS', () => {
    expect(() => productionPolicy('hooks.internal,169.254.169.254')).toThrow(ConfigError);
    expect(() => productionPolicy('fe80::1')).toThrow(/link-local/);
    expect(productionPolicy(' Hooks.Internal ,10.0.0.5').allowedHosts).toEqual(['hooks.internal', '10.0.0.5']);
  });
});

describe('delivery, through the filtering agent', () => {
  // the subscriptions of the registration tests stay out of it (one of them resolves to a public address)
  beforeAll(async () => {
    await h.database.db.query('UPDATE webhook_subscriptions SET active = false');
  });

  it('delivers to a receiver on loopback in development', async () => {
    answers.set('hooks.test', '127.0.0.1');
    const created = await admin(createApp({ ...h.deps, webhookDestinations: developmentPolicy(), dnsLookup: testLookup }))(`http://hooks.test:${port}/hook`).expect(201);
    const dispatcher = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 0, jitter: 0, destinations: developmentPolicy(), lookup: testLookup });
    const before = received;
    const delivery = await deliverOnce(created.body.id, dispatcher);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(received).toBe(before + 1);
    await dispatcher.stop();
  });

  it('refuses a name that resolves to 169.254.169.254 at delivery time: failed at once with the reason, never retried', async () => {
    answers.set('rebind.test', '127.0.0.1'); // what it resolved to at registration
    const created = await admin(createApp({ ...h.deps, webhookDestinations: developmentPolicy(), dnsLookup: testLookup }))(`http://rebind.test:${port}/hook`).expect(201);
    answers.set('rebind.test', '169.254.169.254'); // and what it resolves to when the event goes out
    const dispatcher = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 0, baseDelayMs: 10, jitter: 0, destinations: developmentPolicy(), lookup: testLookup });
    const before = received;
    const delivery = await deliverOnce(created.body.id, dispatcher);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: 'destination refused (link_local 169.254.169.254)' });
    expect(delivery.log).toEqual([expect.objectContaining({ statusCode: null, error: 'destination refused (link_local 169.254.169.254)' })]);
    expect(received).toBe(before);
    await dispatcher.stop();
  });

  it('refuses a subscription to 169.254.169.254 stored before the registration check, without a connection', async () => {
    await h.database.db.query(
      `INSERT INTO webhook_subscriptions (id, url, events, secret, description, created_by)
       VALUES ('wh_legacy_metadata', 'http://169.254.169.254/latest/meta-data/', '{user.created}', $1, 'registered before the check', 'test-admin')`,
      [`whsec_${Buffer.alloc(32, 7).toString('base64')}`],
    );
    const dispatcher = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 0, jitter: 0, destinations: developmentPolicy(), lookup: testLookup });
    const delivery = await deliverOnce('wh_legacy_metadata', dispatcher);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: 'destination refused (link_local 169.254.169.254)' });
    await dispatcher.stop();
  });

  it("with production settings the agent's own rule refuses a name resolving to loopback, and plain http is refused before connecting", async () => {
    answers.set('hooks-prod.test', '127.0.0.1');
    const dev = createApp({ ...h.deps, webhookDestinations: developmentPolicy(), dnsLookup: testLookup });
    const https = await admin(dev)(`https://hooks-prod.test:${port}/hook`).expect(201);
    const http = await admin(dev)(`http://hooks-prod.test:${port}/hook`).expect(201);
    const dispatcher = createWebhookDispatcher({ db: h.database.db, logger, intervalMs: 0, jitter: 0, destinations: productionPolicy(), lookup: testLookup });
    const before = received;
    await h.api('admin').post('/api/users', { name: '生产投递', role: 'legal' }).expect(201);
    await dispatcher.drain();
    const deliveryOf = async (id: string) => (await h.api('admin').get(`/api/webhooks/${id}/deliveries`).expect(200)).body.items[0];
    expect(await deliveryOf(https.body.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'destination refused (private IP address: 127.0.0.1)' });
    expect(await deliveryOf(http.body.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'destination refused (plain_http)' });
    expect(received).toBe(before);
    await dispatcher.stop();
  });
});
