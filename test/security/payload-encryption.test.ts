/**
 * Temporal holds ciphertext: every payload the API's client and the worker
 * send is encrypted by the payload codec (platform/payload-codec.ts), so the
 * history as the server returns it (what port 7233 and the web UI show) holds
 * none of the contract's personal data, while the app reads everything back;
 * the encrypted histories replay with the codec (and not without it); the
 * codec endpoint (api/codec.ts) decrypts for the web UI's origin on its own
 * loopback listener and for nobody else; compose publishes neither Temporal's
 * frontend nor its UI beyond the Docker host's loopback.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createCodecApp } from '../../api/codec';
import { REFERENCE_TERMS } from '../../domain/terms';
import { createPayloadCodec, ENCRYPTED_ENCODING, METADATA_KEY_ID } from '../../platform/payload-codec';
import { getContractStateQuery } from '../../workflows/messages/contract-lifecycle';
import { getInvoiceStateQuery } from '../../workflows/messages/payment-deadline';
import { activeContract, contractDetail, freePort, harnessPerBlock, serverNowIso, waitFor } from '../support/flows';
import type { Harness } from '../support/harness';
import { productDataConverter } from '../support/histories';
import { createChildren } from '../support/processes';

const ROOT = join(__dirname, '..', '..');

/** what the reference contract says about people, none of which Temporal may hold in clear */
const PERSONAL = [
  REFERENCE_TERMS.partyA.name,
  REFERENCE_TERMS.partyA.contact.phone,
  REFERENCE_TERMS.partyA.contact.name,
  REFERENCE_TERMS.partyA.representative,
  REFERENCE_TERMS.partyA.address,
  REFERENCE_TERMS.partyB.contact.phone,
];

type History = temporal.api.history.v1.IHistory;
type Event = temporal.api.history.v1.IHistoryEvent;

/** The history exactly as the frontend answers it: the raw gRPC call, every page. */
async function rawHistory(h: Harness, workflowId: string): Promise<History> {
  const events: Event[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const res = await h.env.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken });
    events.push(...(res.history?.events ?? []));
    nextPageToken = res.nextPageToken && res.nextPageToken.length > 0 ? res.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}

/** Every payload in a message tree, with its path (e.g. `3.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.header.fields.actor-assertion`). */
function payloadsIn(node: unknown, path = '', out: { payload: Payload; path: string }[] = []): { payload: Payload; path: string }[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const o = node as Record<string, unknown>;
  if (!Array.isArray(node) && o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') {
    out.push({ payload: o as Payload, path });
    return out;
  }
  for (const [key, value] of Object.entries(o)) payloadsIn(value, path ? `${path}.${key}` : key, out);
  return out;
}

/**
 * Payloads no codec sees, by design: the SDK core's own bookkeeping in markers (local activity and patch markers:
 * sequence numbers, attempts, patch ids; the local activity's result beside them is encrypted), search attributes
 * (the SDK's own TemporalChangeVersion: the patch ids; the server must read them) and headers (the actor
 * assertion: an HMAC and a moment, platform/temporal.ts).
 */
const outsideTheCodec = (path: string) =>
  (/\.markerRecordedEventAttributes\.details\.[^.]+\.payloads\.\d+$/.test(path) && !/\.details\.result\./.test(path)) ||
  /\.searchAttributes\.indexedFields\.[^.]+$/.test(path) ||
  /\.header\.fields\.[^.]+$/.test(path);

const encoding = (p: Payload) => Buffer.from(p.metadata?.encoding ?? []).toString();
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const fromJson = (p: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});

/** the personal data found in these bytes */
const found = (bytes: Buffer) => PERSONAL.filter((s) => bytes.includes(Buffer.from(s, 'utf8')));

describe('payloads in Temporal are encrypted by the codec', () => {
  const ref = harnessPerBlock();
  const children = createChildren();
  afterAll(() => children.killAll());
  let contract: Awaited<ReturnType<typeof activeContract>>;
  let startInput: Payload[];

  it('a contract started through the API: its history as the server returns it holds no personal data in clear; the app reads everything back', async () => {
    const { h } = ref;
    contract = await activeContract(h);

    for (const workflowId of [contract.workflowId, contract.payment.workflowId]) {
      const history = await rawHistory(h, workflowId);
      const all = payloadsIn(history.events);
      const sent = all.filter((p) => !outsideTheCodec(p.path));
      expect(sent.length, workflowId).toBeGreaterThan(3);
      // every payload the SDK sends (inputs, results, updates and their results, activities' data) is ciphertext under the run's key
      for (const { payload, path } of sent) {
        expect(encoding(payload), `${workflowId} ${path}`).toBe(ENCRYPTED_ENCODING);
        expect(Buffer.from(payload.metadata![METADATA_KEY_ID]!).toString()).toBe('test-run');
      }
      // and nothing anywhere in the history (markers, failures, ids, every field) spells the parties' people
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      expect(found(bytes), workflowId).toEqual([]);
    }

    // the lifecycle's input: the contract's terms, encrypted; the codec turns it back into them (so the probe above would have seen them)
    const lifecycle = await rawHistory(h, contract.workflowId);
    startInput = lifecycle.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    expect(startInput.map(encoding)).toEqual([ENCRYPTED_ENCODING]);
    const decoded = await createPayloadCodec({ current: { id: 'test-run', key: keyOfRun() }, previous: [] }).decode(startInput);
    expect(found(Buffer.from(decoded[0]!.data!))).toEqual(PERSONAL);

    // the app: the detail (workflow query and read model), a live query, the payment workflow, an update through the API
    const detail = await contractDetail(h, contract.id);
    expect(detail.status).toBe('active');
    expect(detail.parties.A).toMatchObject({ name: REFERENCE_TERMS.partyA.name, contact: REFERENCE_TERMS.partyA.contact });
    expect((await h.env.client.workflow.getHandle(contract.workflowId).query(getContractStateQuery)).status).toBe('active');
    expect(await contract.payment.query(getInvoiceStateQuery)).toMatchObject({ status: 'open', paidFen: 0 });
    const paidAt = await serverNowIso(h);
    const paid = await h.api('finance').post(`/api/contracts/${contract.id}/payments`, { amountFen: 299_700, reference: 'BANK-ENC-1', paidAt, method: 'bank_transfer' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(await contract.payment.query(getInvoiceStateQuery)).toMatchObject({ paidFen: 299_700 });
  });

  it('the encrypted history replays with the codec, and does not without it', async () => {
    const { h } = ref;
    const history = await h.env.client.workflow.getHandle(contract.workflowId).fetchHistory();
    const bundle = { codePath: inject('workflowBundlePath') };
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'encrypted', dataConverter: productDataConverter() }, history, contract.workflowId)).resolves.toBeUndefined();
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'encrypted-no-codec' }, history, contract.workflowId)).rejects.toThrow();
  });

  describe('the codec endpoint (api/codec.ts)', () => {
    const UI = 'http://localhost:8080';
    const app = () => createCodecApp({ dataConverter: productDataConverter(), allowedOrigins: [UI], logger: pino({ level: 'silent' }) });

    it('decrypts for the web UI and the CLI, in the remote codec protocol, and encrypts back', async () => {
      const res = await supertest(app()).post('/codec/decode').set('Origin', UI).set('X-Namespace', 'default').send({ payloads: startInput.map(toJson) }).expect(200);
      expect(res.get('Access-Control-Allow-Origin')).toBe(UI);
      expect(res.get('Cache-Control')).toBe('no-store');
      const [terms] = res.body.payloads.map(fromJson).map((p: Payload) => defaultPayloadConverter.fromPayload(p));
      expect(JSON.stringify(terms)).toContain(REFERENCE_TERMS.partyA.contact.phone);
      // without an Origin: the CLI (temporal workflow show --codec-endpoint) or curl on this machine
      const cli = await supertest(app()).post('/codec/decode').send({ payloads: startInput.map(toJson) }).expect(200);
      expect(cli.get('Access-Control-Allow-Origin')).toBeUndefined();
      expect(cli.body).toEqual(res.body);
      // the UI's preflight
      const preflight = await supertest(app()).options('/codec/decode').set('Origin', UI).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,x-namespace').expect(204);
      expect(preflight.get('Access-Control-Allow-Origin')).toBe(UI);
      expect(preflight.get('Access-Control-Allow-Headers')).toMatch(/Content-Type/i);
      // encode (the UI sending a signal's input) gives ciphertext the codec reads back
      const plain = toJson(defaultPayloadConverter.toPayload({ hello: '李联系' }));
      const encoded = await supertest(app()).post('/codec/encode').set('Origin', UI).send({ payloads: [plain] }).expect(200);
      expect(encoding(fromJson(encoded.body.payloads[0]))).toBe(ENCRYPTED_ENCODING);
      const back = await supertest(app()).post('/codec/decode').send(encoded.body).expect(200);
      expect(back.body.payloads).toEqual([plain]);
    });

    it('refuses a page of another origin, a rebinding host name, a body that is not JSON, and says which key is missing', async () => {
      const body = { payloads: startInput.map(toJson) };
      for (const origin of ['http://evil.example', 'http://localhost:8081', 'null']) {
        const res = await supertest(app()).post('/codec/decode').set('Origin', origin).send(body).expect(403);
        expect(res.get('Access-Control-Allow-Origin')).toBeUndefined();
        expect(res.body.error.code).toBe('FORBIDDEN');
        expect(JSON.stringify(res.body)).not.toContain(REFERENCE_TERMS.partyA.contact.phone);
        await supertest(app()).options('/codec/decode').set('Origin', origin).set('Access-Control-Request-Method', 'POST').expect(403);
      }
      // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1
      const rebound = await supertest(app()).post('/codec/decode').set('Host', 'attacker.example:8081').send(body).expect(403);
      expect(rebound.body.error.message).toContain('attacker.example');
      // a cross-site form or text/plain POST (no preflight) is not read
      await supertest(app()).post('/codec/decode').set('Content-Type', 'text/plain').send(JSON.stringify(body)).expect(415);
      await supertest(app()).post('/codec/decode').send({ nope: [] }).expect(400);
      await supertest(app()).get('/codec/decode').expect(404);
      // a payload under a key this ring does not hold
      const [foreign] = await createPayloadCodec({ current: { id: 'elsewhere', key: Buffer.alloc(32, 9) }, previous: [] }).encode([defaultPayloadConverter.toPayload('x')]);
      const unknown = await supertest(app()).post('/codec/decode').send({ payloads: [toJson(foreign!)] }).expect(400);
      expect(unknown.body.error.message).toContain('key id "elsewhere"');
    });

    it('api/main.ts serves it on a listener of its own, on loopback only, when CODEC_PORT is set', { timeout: 60_000 }, async () => {
      const { h } = ref;
      const codecPort = await freePort();
      const api = children.spawnMain('api/main.ts', h, { PORT: String(await freePort()), CODEC_PORT: String(codecPort), TASK_QUEUE: h.taskQueue });
      await waitFor(async () => api.output(), (out) => out.includes('codec endpoint listening') || api.process.exitCode !== null, 'the API to open its codec listener', 45_000);
      expect(api.output()).toContain('codec endpoint listening');
      const url = `http://127.0.0.1:${codecPort}/codec/decode`;
      const ok = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:8080' }, body: JSON.stringify({ payloads: startInput.map(toJson) }) });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
      const refused = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: JSON.stringify({ payloads: startInput.map(toJson) }) });
      expect(refused.status).toBe(403);
      // not on the API's port, and not on this machine's other addresses
      const elsewhere = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (elsewhere) {
        await expect(fetch(`http://${elsewhere.address}:${codecPort}/codec/decode`, { method: 'POST', signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
      }
      api.process.kill('SIGTERM');
      expect((await api.exited).code).toBe(0);
    });
  });
});

describe('docker-compose.yml', () => {
  it('publishes the Temporal frontend nowhere, and the web UI and the codec endpoint on the Docker host loopback only', () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const published = [...compose.matchAll(/^\s*ports:\s*\[(.*)\]\s*$/gm)].flatMap((m) => m[1]!.split(',').map((p) => p.trim().replace(/^"|"$/g, '')));
    expect(published.length).toBeGreaterThan(0);
    expect(compose).not.toMatch(/^\s*ports:\s*$/m); // every list inline, so the check above sees them all
    for (const p of published) {
      // the API is the one published service; everything else binds 127.0.0.1
      if (p !== '3000:3000') expect(p, p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      expect(p, p).not.toMatch(/(^|:)7233(:|$)/);
    }
    expect(published).toEqual(expect.arrayContaining(['127.0.0.1:8080:8080', '127.0.0.1:8081:8081']));
    expect(compose).toMatch(/TEMPORAL_CODEC_ENDPOINT: http:\/\/localhost:8081\/codec/);
    expect(compose).toMatch(/PAYLOAD_KEY: \$\{PAYLOAD_KEY:\?/);
  });
});

/** the run's payload key (vitest.config.mts PAYLOAD_KEY) */
function keyOfRun(): Buffer {
  const [, key] = process.env.PAYLOAD_KEY!.split(':');
  return Buffer.from(key!, 'base64');
}
