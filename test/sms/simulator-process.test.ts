import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmppTransport, type DeliveryReceipt, type MoMessage, type SmppTransport } from '../../sms/smpp-client';
import { waitFor } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE = '106575261234';

let child: ChildProcess | undefined;
let smppPort = 0;
let control = '';
let transport: SmppTransport | undefined;

async function post(route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${control}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function state(): Promise<{ counts: { text: string; count: number }[]; messages: { text: string; parts: number }[]; sessions: { bound: boolean }[] }> {
  return (await (await fetch(`${control}/state`)).json()) as never;
}

beforeAll(async () => {
  // the simulator as its own process, as developers run it: tsx tools/smsc/simulator.ts --port … --control-port …
  child = spawn(process.execPath, [require.resolve('tsx/cli'), 'tools/smsc/simulator.ts', '--port', '0', '--control-port', '0', '--system-id', 'esme', '--password', 'pw', '--receipt-delay-ms', '10'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => /listening on [\d.]+:\d+, control on [\d.]+:\d+/.test(output), 20_000, `the simulator to start (output so far: ${output})`);
  const match = /listening on ([\d.]+):(\d+), control on ([\d.]+):(\d+)/.exec(output)!;
  smppPort = Number(match[2]);
  control = `http://${match[3]}:${match[4]}`;
  transport = createSmppTransport({ url: `smpp://esme:pw@127.0.0.1:${smppPort}`, reconnect: { initialMs: 50, maxMs: 200 }, throttle: { initialMs: 10, maxMs: 50 } });
  await transport.start();
});

afterAll(async () => {
  await transport?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('the SMSC simulator as a separate process', () => {
  it('answers its health check and reports its state', async () => {
    expect(await (await fetch(`${control}/healthz`)).json()).toEqual({ ok: true });
    expect((await state()).sessions).toEqual([expect.objectContaining({ bound: true })]);
  });

  it('throttles on request through the control API without losing parts', async () => {
    expect((await post('/reset', {})).status).toBe(200);
    expect((await post('/throttle', { count: 3 })).status).toBe(200);
    const text = '【内蒙古自治区地震局】' + '防震减灾知识：地震来临时，就近躲避，保护头部，震后迅速撤离到空旷地带。'.repeat(3);
    await transport!.sendMessage({ source: SOURCE, destination: '+8613800000001', text });
    expect(transport!.stats().throttled).toBeGreaterThanOrEqual(3);
    const current = await state();
    expect(current.messages).toEqual([expect.objectContaining({ text, parts: 2 })]);
    expect(current.counts.map((entry) => entry.count)).toEqual([1, 1]);
  });

  it('injects an MO message and switches receipts to EXPIRED on request', async () => {
    const mos: MoMessage[] = [];
    const receipts: DeliveryReceipt[] = [];
    transport!.on('mo', (mo) => mos.push(mo));
    transport!.on('receipt', (receipt) => receipts.push(receipt));
    expect((await post('/mo', { source: '8613800000001', destination: SOURCE, text: 'TD' })).status).toBe(200);
    await waitFor(() => mos.length === 1, 3_000, 'the MO message');
    expect(mos[0]).toMatchObject({ text: 'TD', sourceE164: '+8613800000001' });

    expect((await post('/receipts', { stat: 'EXPIRED' })).status).toBe(200);
    const { messageId } = await transport!.submit({ source: SOURCE, destination: '+8613800000002', text: '会议通知' });
    await waitFor(() => receipts.some((receipt) => receipt.messageId === messageId), 3_000, 'the receipt');
    expect(receipts.find((receipt) => receipt.messageId === messageId)).toMatchObject({ outcome: 'expired', stat: 'EXPIRED' });
    await post('/receipts', { stat: 'DELIVRD' });
  });

  it('fails submits and drops the link on request', async () => {
    expect((await post('/fail', { count: 1, status: 'ESME_RINVDSTADR' })).status).toBe(200);
    await expect(transport!.submit({ source: SOURCE, destination: '+8613800000003', text: '失败' })).rejects.toMatchObject({ code: 'REJECTED', retryable: false });

    const connectsBefore = transport!.stats().connects;
    expect((await post('/drop', { afterSubmits: 1 })).status).toBe(200);
    await transport!.submit({ source: SOURCE, destination: '+8613800000003', text: '断开前' });
    await waitFor(() => transport!.stats().connects === connectsBefore + 1 && transport!.state === 'bound', 3_000, 'a reconnect');
    await transport!.submit({ source: SOURCE, destination: '+8613800000003', text: '重连后' });
  });

  it('refuses malformed control requests', async () => {
    expect((await post('/throttle', { count: -1 })).status).toBe(400);
    expect((await post('/receipts', { stat: 'LOST' })).status).toBe(400);
    expect((await post('/nowhere', {})).status).toBe(404);
  });
});
