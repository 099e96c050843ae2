/**
 * mTLS to a Temporal cluster, over a real TLS connection: the settings
 * platform/config.ts reads (TEMPORAL_TLS_CERT, _KEY, _CA, _SERVER_NAME) go
 * through platform/temporal.ts to the API's client (`connectClient`) and the
 * worker's `NativeConnection` (worker/main.ts), and a workflow runs through
 * both; a client without a certificate, with one from another CA, trusting
 * another CA, or in plaintext gets nowhere.
 *
 * The Temporal CLI's dev server has no TLS flags (`temporal server start-dev
 * --help`: no --tls-*), so the cluster here is the dev server behind a
 * TLS-terminating front that demands a client certificate of our test CA
 * (node:tls, ALPN h2), the way a load balancer or a frontend with
 * `requireClientAuth` would. The certificates come from the openssl CLI
 * (test/support/tls.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../platform/config';
import { connectClient, temporalConnectionOptions } from '../../platform/temporal';
import { temporalExecutable } from '../../platform/temporal-binaries';
import type { noop } from '../../workflows/noop';
import { productDataConverter } from '../support/histories';
import { makeTestPki, type TestPki } from '../support/tls';

let pki: TestPki;
let env: TestWorkflowEnvironment;
let front: TlsServer;
let frontPort: number;
const sockets = new Set<Socket>();
/** why the front refused each handshake it refused */
const refusals: string[] = [];
/** the subject (CN) of every client certificate the front let through */
const admitted: string[] = [];

beforeAll(async () => {
  pki = makeTestPki();
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: temporalExecutable('temporal'), ip: '127.0.0.1' } });
  const [host, port] = [env.address.slice(0, env.address.lastIndexOf(':')), Number(env.address.slice(env.address.lastIndexOf(':') + 1))];
  front = createTlsServer(
    {
      cert: readFileSync(pki.server.cert),
      key: readFileSync(pki.server.key),
      ca: readFileSync(pki.ca.cert),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
    },
    (tlsSocket) => {
      admitted.push(String(tlsSocket.getPeerCertificate().subject?.CN));
      const upstream = netConnect(port, host);
      sockets.add(tlsSocket).add(upstream);
      tlsSocket.pipe(upstream).pipe(tlsSocket);
      const drop = () => (tlsSocket.destroy(), upstream.destroy());
      tlsSocket.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    },
  );
  front.on('tlsClientError', (error) => refusals.push(error.message));
  await new Promise<void>((done) => front.listen(0, '127.0.0.1', done));
  frontPort = (front.address() as { port: number }).port;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((done) => front?.close(done));
  await env?.teardown();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

/** the Temporal settings as an operator writes them, through the product's own parsing */
const settings = (overrides: Record<string, string | undefined> = {}) => {
  const all: Record<string, string | undefined> = {
    NODE_ENV: 'production',
    TEMPORAL_ADDRESS: `127.0.0.1:${frontPort}`,
    TEMPORAL_TLS_CERT: pki.client.cert,
    TEMPORAL_TLS_KEY: pki.client.key,
    TEMPORAL_TLS_CA: pki.ca.cert,
    TEMPORAL_TLS_SERVER_NAME: pki.serverName,
    ...overrides,
  };
  return loadConfig(Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv).temporal;
};

describe('mTLS to a Temporal cluster', () => {
  it('the API client and the worker connect with the configured certificates and run a workflow through them', { timeout: 60_000 }, async () => {
    const temporal = settings();
    const dataConverter = productDataConverter();
    const client = await connectClient({ ...temporalConnectionOptions(temporal), namespace: 'default', dataConverter });
    const connection = await NativeConnection.connect(temporalConnectionOptions(temporal));
    try {
      const taskQueue = `mtls-${randomBytes(4).toString('hex')}`;
      const worker = await Worker.create({ connection, namespace: 'default', taskQueue, workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter });
      const result = await worker.runUntil(client.workflow.execute<typeof noop>('noop', { taskQueue, workflowId: `mtls-noop-${randomBytes(4).toString('hex')}`, args: [{}] }));
      expect(result).toBeUndefined();
      const info = await client.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
      // both connections went through the front with our client certificate
      expect(new Set(admitted)).toEqual(new Set(['worker-client']));
    } finally {
      await client.connection.close();
      await connection.close();
    }
  });

  it('refuses a client without a certificate, with one of another CA, one trusting another CA or another name, and plaintext', { timeout: 90_000 }, async () => {
    const admittedBefore = admitted.length;
    const noCert = { TEMPORAL_TLS_CERT: undefined, TEMPORAL_TLS_KEY: undefined };
    const rogueCert = { TEMPORAL_TLS_CERT: pki.rogueClient.cert, TEMPORAL_TLS_KEY: pki.rogueClient.key };
    const rogueCa = { TEMPORAL_TLS_CA: pki.rogueCa.cert };
    const otherName = { TEMPORAL_TLS_SERVER_NAME: 'other.test' };
    const plaintext = { ...noCert, TEMPORAL_TLS_CA: undefined, TEMPORAL_TLS_SERVER_NAME: undefined };

    // the worker's connection (the SDK core says why), and what the front saw
    const worker = async (overrides: Record<string, string | undefined>) => {
      const seen = refusals.length;
      const message = await NativeConnection.connect(temporalConnectionOptions(settings(overrides))).then(
        async (c) => (await c.close(), 'connected'),
        (e: Error) => e.message,
      );
      await new Promise((r) => setTimeout(r, 300));
      return { message, front: refusals.slice(seen).join('\n') };
    };
    const none = await worker(noCert);
    expect(none.message).not.toBe('connected');
    expect(none.front).toMatch(/peer did not return a certificate/);
    expect((await worker(rogueCert)).message).not.toBe('connected');
    const untrusted = await worker(rogueCa);
    expect(untrusted.message).toMatch(/UnknownIssuer/);
    expect(untrusted.front).toMatch(/unknown ca/);
    expect((await worker(otherName)).message).toMatch(/NotValidForName/);
    const plain = await worker(plaintext);
    expect(plain.message).not.toBe('connected');
    expect(plain.front).toMatch(/wrong version number/);

    // the API's client (grpc-js): with the same settings it gets no answer
    const client = async (overrides: Record<string, string | undefined>) =>
      connectClient({ ...temporalConnectionOptions(settings(overrides)), namespace: 'default' }).then(
        async (c) => {
          const answer = await c.workflowService.getSystemInfo({}).then(() => 'answered', (e: Error) => e.message);
          await c.connection.close();
          return answer;
        },
        (e: Error) => e.message,
      );
    for (const overrides of [noCert, rogueCert, rogueCa]) expect(await client(overrides)).not.toBe('answered');

    // and nothing got through the front: it admits only a certificate of our CA
    expect(admitted.slice(admittedBefore)).toEqual([]);
  });
});
