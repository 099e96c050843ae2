/**
 * `npm run bench:sms [-- --messages 10000 --lint-seconds 2]`
 *
 * 1. lint + segment alone: domain/sms `lintMessage` (which also counts the
 *    parts) over a rotating set of real notification and marketing texts, in
 *    messages per second.
 * 2. end to end through the dispatcher: one POST /api/contracts/:id/messages
 *    with N recipients (two-part UCS-2 text), through the dispatch workflow
 *    on the Temporal dev server, the send activity (Postgres state per part)
 *    and the SMPP transport, to an SMSC simulator in this process (`--smsc
 *    process`: in a process of its own, as an SMSC is): timed from
 *    the POST until the simulator accepted every part, and until every
 *    message is `delivered` in Postgres (receipts written back).
 * 3. beside it, in the same run, a raw SMPP client (the `smpp` package: one
 *    bind_transceiver session, the same window of 10, registered delivery)
 *    sending the very same parts (same destinations, text and UDH) to the same
 *    simulator; then the ratio end-to-end / raw. Both are warmed up first
 *    (200 messages each).
 *
 * Needs a Postgres (TEST_DATABASE_URL, else 127.0.0.1:5432, else an embedded
 * one) and the Temporal CLI (`npm run setup:temporal`).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { connect, type PDU } from 'smpp';
import { createApp } from '../api/app';
import { migrate } from '../db/migrate';
import { createDb } from '../db/pool';
import { issueToken, upsertUser } from '../db/users';
import { lintMessage } from '../domain/sms/lint';
import { REFERENCE_TERMS, type ContractTerms } from '../domain/terms';
import { loadActorAssertionKey } from '../platform/actor-key';
import { loadConfig } from '../platform/config';
import { loadSmsSettings } from '../platform/sms-config';
import { temporalExecutable } from '../platform/temporal-binaries';
import { createSmsGateway } from '../sms/gateway';
import { parseSmppUrl } from '../sms/protocol';
import { planParts, type SubmitPart } from '../sms/smpp-client';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startSmscSimulator } from '../tools/smsc/simulator';
import { createWorker } from '../worker';
import { resolveAdminUrl, withAdminClient } from '../test/support/postgres';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    'lint-seconds': { type: 'string', default: '2' },
    window: { type: 'string', default: '10' },
    /** where the SMSC simulator runs: inside this one, or (`process`) in a process of its own, as an SMSC is */
    smsc: { type: 'string', default: 'inline' },
  },
});
const MESSAGES = Number(args.messages);
const WINDOW = Number(args.window);
const SIGNATURE = REFERENCE_TERMS.sms.signature;
/** 100 UTF-16 units with the signature: two UCS-2 parts */
const CONTENT = `${SIGNATURE}地震速报：阿拉善盟发生3.2级地震，震源深度10千米。请各旗县做好地震应急值守工作，保持通讯畅通，如遇紧急情况及时上报。`.slice(0, 100);

const say = (line: string) => console.log(`[bench:sms] ${line}`);

/** The simulator as the bench uses it: where it listens, how many submits it accepted. */
type Smsc = { url: () => string; acceptedCount: () => Promise<number>; stop: () => Promise<void> };

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** The simulator in a process of its own (tools/smsc/simulator.ts, as `npm start` runs it), counted through its control API. */
async function simulatorProcess(receiptDelayMs: number): Promise<Smsc> {
  const [port, controlPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/smsc/simulator.ts', '--port', String(port), '--control-port', String(controlPort), '--receipt-delay-ms', String(receiptDelayMs)], {
    stdio: 'ignore',
  });
  const control = `http://127.0.0.1:${controlPort}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${control}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 300 || child.exitCode !== null) throw new Error('the SMSC simulator process did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: () => `smpp://test:secret@127.0.0.1:${port}`,
    acceptedCount: async () => ((await (await fetch(`${control}/count`)).json()) as { accepted: number }).accepted,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}

async function simulatorInline(receiptDelayMs: number): Promise<Smsc> {
  const smsc = await startSmscSimulator({ port: 0, receiptDelayMs });
  return { url: () => smsc.url(), acceptedCount: async () => smsc.acceptedCount(), stop: () => smsc.stop() };
}
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

function benchLint(seconds: number): { messages: number; perSecond: number; parts: number } {
  const texts = [
    { category: 'notification' as const, content: `${SIGNATURE}明日上午9时召开防震减灾工作会议，请准时参加。` },
    { category: 'alert' as const, content: `${SIGNATURE}地震预警：预计30秒后有震感，请立即就近避险，远离玻璃门窗。` },
    { category: 'marketing' as const, content: `${SIGNATURE}防震减灾科普馆本周六开放，欢迎会员预约参观。回TD退订` },
    { category: 'notification' as const, content: CONTENT },
    { category: 'notification' as const, content: `${SIGNATURE}${'各单位请于本周五前报送地震应急预案修订稿，逾期将通报。'.repeat(4)}` },
    { category: 'marketing' as const, content: `${SIGNATURE}会员日活动通知：本月会员可免费参加地震安全讲座`, appendUnsubscribe: true },
  ];
  // warm up
  for (let i = 0; i < 2_000; i++) lintMessage({ ...texts[i % texts.length]!, signature: SIGNATURE });
  let n = 0;
  let parts = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++, n++) {
      const result = lintMessage({ ...texts[n % texts.length]!, signature: SIGNATURE });
      parts += result.segments.parts;
    }
  }
  const ms = performance.now() - start;
  return { messages: n, perSecond: rate(n, ms), parts };
}

/** A bare SMPP client: bind, then submit_sm with at most `window` awaiting their response. */
async function rawSend(smsc: Smsc, parts: SubmitPart[], window: number): Promise<number> {
  const endpoint = parseSmppUrl(smsc.url());
  const session = connect({ host: endpoint.host, port: endpoint.port });
  session.on('error', () => undefined);
  // acknowledge the simulator's delivery receipts like any ESME
  session.on('deliver_sm', (pdu: PDU) => session.send(pdu.response({ message_id: '' })));
  await new Promise<void>((resolve, reject) => {
    session.on('connect', () =>
      session.bind_transceiver({ system_id: endpoint.systemId, password: endpoint.password, interface_version: 0x34 }, (pdu: PDU) =>
        pdu.command_status === 0 ? resolve() : reject(new Error(`raw bind refused: ${pdu.command_status}`)),
      ),
    );
  });
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let done = 0;
    const pump = () => {
      while (inFlight < window && next < parts.length) {
        const part = parts[next++]!;
        const payload = Buffer.from(part.text, 'utf16le').swap16();
        const udh = part.concat ? Buffer.from([0x05, 0x00, 0x03, part.concat.reference, part.concat.total, part.concat.sequence]) : undefined;
        inFlight += 1;
        session.submit_sm(
          {
            source_addr_ton: 0,
            source_addr_npi: 1,
            source_addr: part.source,
            dest_addr_ton: 1,
            dest_addr_npi: 1,
            destination_addr: part.destination.replace(/^\+/, ''),
            esm_class: udh ? 0x40 : 0,
            registered_delivery: 1,
            data_coding: 0x08,
            short_message: udh ? Buffer.concat([udh, payload]) : payload,
          },
          (pdu: PDU) => {
            if (pdu.command_status !== 0) return reject(new Error(`raw submit refused: ${pdu.command_status}`));
            inFlight -= 1;
            done += 1;
            if (done === parts.length) resolve();
            else pump();
          },
        );
      }
    };
    pump();
  });
  const ms = performance.now() - start;
  // let the receipts for these parts arrive here, not on the dispatcher's link
  await new Promise((r) => setTimeout(r, 500));
  await new Promise<void>((resolve) => session.close(() => resolve()));
  return ms;
}

async function main(): Promise<void> {
  say(`lint + segment for ${args['lint-seconds']} s …`);
  const lint = benchLint(Number(args['lint-seconds']));
  say(`lint + segment: ${fmt(lint.perSecond)} messages/s (${fmt(lint.messages)} messages, ${fmt(lint.parts)} parts)`);

  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // already installed
  }
  const { adminUrl, stop: stopPostgres } = await resolveAdminUrl();
  const dbName = `sms_bench_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ connectionString: url.toString(), max: 10 });
  const smsc = args.smsc === 'inline' ? await simulatorInline(20) : await simulatorProcess(20);
  let env: TestWorkflowEnvironment | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await migrate(db);
    say('starting the Temporal dev server and a worker …');
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: temporalExecutable('temporal'), ip: '127.0.0.1' } });
    const logger = pino({ level: 'silent' });
    const gateway = createSmsGateway({ url: smsc.url(), transportOptions: { windowSize: WINDOW }, settings: { ambiguousGraceMs: 5_000 } });
    await gateway.transport.start();
    const taskQueue = `bench-sms-${randomBytes(3).toString('hex')}`;
    const smsSettings = loadSmsSettings();
    const worker = await createWorker({ connection: env.nativeConnection, taskQueue, deps: { db, logger, temporal: env.client, sms: gateway, smsSettings }, actorAssertionKey: loadActorAssertionKey(loadConfig()) });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running.catch(() => undefined);
      await gateway.transport.close();
    });

    // one bench user submits what many customers would: the write budgets run, sized so it never reaches them
    const app = createApp({
      db,
      temporal: env.client,
      taskQueue,
      logger,
      bodyLimit: '2mb',
      smsSettings,
      queryTimeoutMs: 5_000,
      actorAssertionKey: loadActorAssertionKey(loadConfig()),
      rateLimits: { userWritesPerMinute: 1_000_000, organisationWritesPerMinute: 1_000_000, userHeavyPerMinute: 1_000_000, organisationHeavyPerMinute: 1_000_000 },
      webhookDestinations: loadConfig().webhookDestinations,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await upsertUser(db, { id: 'bench-sales', name: '压测销售', role: 'sales', organisation: null });
    await upsertUser(db, { id: 'bench-customer', name: '压测客户', role: 'customer', organisation: REFERENCE_TERMS.partyA.name });
    const sales = await issueToken(db, 'bench-sales');
    const customer = await issueToken(db, 'bench-customer');
    const call = async (token: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as Record<string, any>;
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
      return json;
    };

    // a contract with the 24-hour permit (the bench runs at any hour) and a package large enough
    const terms: ContractTerms = { ...REFERENCE_TERMS, sms: { ...REFERENCE_TERMS.sms, permit24h: true }, package: { ...REFERENCE_TERMS.package, smsPerYear: 100_000_000 } };
    const contract = await call(sales, '/api/contracts', { terms });
    for (const party of ['A', 'B']) await call(sales, `/api/contracts/${contract.id}/signatures`, { party, signer: '压测', title: '代表', sealed: true });
    for (let i = 0; i < 200 && (await db.query('SELECT status FROM contracts WHERE id = $1', [contract.id])).rows[0]?.status !== 'active'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }

    const recipients = (offset: number, n: number) => Array.from({ length: n }, (_, i) => `139${String(offset + i).padStart(8, '0')}`);
    const delivered = async (submissionId: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM sms_messages WHERE submission_id = $1 AND status = 'delivered'`, [submissionId])).rows[0]!.n as number;
    const runDispatch = async (key: string, numbers: string[]) => {
      const partsBefore = await smsc.acceptedCount();
      const t0 = performance.now();
      const res = await call(customer, `/api/contracts/${contract.id}/messages`, { category: 'notification', content: CONTENT, recipients: numbers, idempotencyKey: key });
      const answered = performance.now() - t0;
      const wanted = numbers.length * (res.partsPerMessage as number);
      // a counter, not state(): copying everything the simulator recorded every 5 ms would load the path being timed
      while ((await smsc.acceptedCount()) - partsBefore < wanted) await new Promise((r) => setTimeout(r, 5));
      const accepted = performance.now() - t0;
      while ((await delivered(res.submissionId as string)) < numbers.length) await new Promise((r) => setTimeout(r, 20));
      const settled = performance.now() - t0;
      return { answered, accepted, settled, parts: wanted, partsPerMessage: res.partsPerMessage as number, sender: res.senderAddress as string };
    };

    say('warming up (200 messages end to end, and their parts through the raw client) …');
    const warm = await runDispatch('warm-up', recipients(0, 200));
    // the raw client warms up too, on parts of its own: otherwise its speed depends on how much of the smpp package the dispatcher happened to warm
    await rawSend(smsc, recipients(300_000, 200).flatMap((n, i) => planParts({ source: warm.sender, destination: `+86${n}`, text: CONTENT, reference: i % 256 })), WINDOW);

    say(`end to end: one POST with ${fmt(MESSAGES)} recipients …`);
    const e2e = await runDispatch('bench', recipients(100_000, MESSAGES));
    const e2eRate = rate(MESSAGES, e2e.accepted);
    say(`  POST answered after ${Math.round(e2e.answered)} ms (lint, screening, ${fmt(MESSAGES)} rows, quota debit, workflow start)`);
    say(`  every part at the SMSC after ${Math.round(e2e.accepted)} ms: ${fmt(e2eRate)} messages/s, ${fmt(rate(e2e.parts, e2e.accepted))} parts/s`);
    say(`  every message delivered (receipts written) after ${Math.round(e2e.settled)} ms: ${fmt(rate(MESSAGES, e2e.settled))} messages/s`);

    say(`raw SMPP client, same ${fmt(e2e.parts)} parts, window ${WINDOW} …`);
    const parts = recipients(200_000, MESSAGES).flatMap((n, i) => planParts({ source: e2e.sender, destination: `+86${n}`, text: CONTENT, reference: i % 256 }));
    const rawMs = await rawSend(smsc, parts, WINDOW);
    const rawRate = rate(MESSAGES, rawMs);
    say(`  raw: ${Math.round(rawMs)} ms: ${fmt(rawRate)} messages/s, ${fmt(rate(parts.length, rawMs))} parts/s`);

    console.log(`
  SMS throughput (${fmt(MESSAGES)} messages of ${e2e.partsPerMessage} UCS-2 parts, SMPP window ${WINDOW}, simulator ${args.smsc === 'inline' ? 'in this process' : 'in a process of its own'})
    lint + segment alone            ${fmt(lint.perSecond).padStart(10)} messages/s
    end to end, to the SMSC         ${fmt(e2eRate).padStart(10)} messages/s   (POST → dispatch workflow → activity → SMPP → simulator)
    end to end, delivered           ${fmt(rate(MESSAGES, e2e.settled)).padStart(10)} messages/s   (… and every receipt written back)
    raw SMPP client, same parts     ${fmt(rawRate).padStart(10)} messages/s
    ratio end to end / raw          ${(e2eRate / rawRate).toFixed(2).padStart(10)}
`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await env?.teardown().catch(() => undefined);
    await smsc.stop();
    await db.close();
    await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
    await stopPostgres();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
