import { afterEach, describe, expect, it } from 'vitest';
import { isOptOutReply } from '../../domain/sms/optout';
import { REFERENCE_TERMS } from '../../domain/terms';
import { createSmppTransport, SmppSubmitError, type DeliveryReceipt, type MoMessage, type SmppTransport } from '../../sms/smpp-client';
import { STATUS } from '../../sms/protocol';
import { startSmscSimulator } from '../../tools/smsc/simulator';
import { startRig, waitFor, type Rig } from './helpers';

const SIGNATURE = REFERENCE_TERMS.sms.signature;
const SOURCE = '106575261234';
const TO = '+8613800000001';
const TO_ON_THE_WIRE = '8613800000001';
const BULLETIN =
  '地震速报：5月14日10时20分在阿拉善盟发生3.2级地震，震源深度10千米，请注意防范余震。请各旗县做好地震应急值守工作，保持通讯畅通，如遇紧急情况及时上报。防震减灾，人人有责。';
/** 201 UTF-16 units: three parts of 67 */
const LONG_TEXT = SIGNATURE + BULLETIN.repeat(3).slice(0, 190);

async function rejection(promise: Promise<unknown>): Promise<SmppSubmitError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SmppSubmitError);
    return error as SmppSubmitError;
  }
  throw new Error('expected the promise to reject');
}

let rig: Rig | undefined;
const extra: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  for (const resource of extra.splice(0)) await resource.stop();
});

describe('sending through the SMPP transport', () => {
  it('sends long Chinese text as concatenated UCS-2 parts that the SMSC reassembles', async () => {
    rig = await startRig();
    expect(LONG_TEXT).toHaveLength(201);
    const sent = await rig.transport.sendMessage({ source: SOURCE, destination: TO, text: LONG_TEXT, reference: 42 });
    expect(sent.encoding).toBe('UCS2');
    expect(sent.messageIds).toHaveLength(3);
    expect(new Set(sent.messageIds).size).toBe(3);

    const accepted = rig.smsc.accepted();
    expect(accepted.map((part) => [part.dataCoding, part.concat, part.destination, part.source, part.text.length])).toEqual([
      [8, { reference: 42, total: 3, sequence: 1 }, TO_ON_THE_WIRE, SOURCE, 67],
      [8, { reference: 42, total: 3, sequence: 2 }, TO_ON_THE_WIRE, SOURCE, 67],
      [8, { reference: 42, total: 3, sequence: 3 }, TO_ON_THE_WIRE, SOURCE, 67],
    ]);
    expect(rig.smsc.messages()).toEqual([{ source: SOURCE, destination: TO_ON_THE_WIRE, text: LONG_TEXT, parts: 3, messageIds: sent.messageIds }]);
    for (const part of accepted) expect(rig.smsc.submitCount({ source: SOURCE, destination: TO_ON_THE_WIRE, text: part.text })).toBe(1);
  });

  it('sends a message that fits one SMS as a single part without a header', async () => {
    rig = await startRig();
    const text = `${SIGNATURE}验证码123456，5分钟内有效`;
    const { messageIds } = await rig.transport.sendMessage({ source: SOURCE, destination: TO, text });
    expect(messageIds).toHaveLength(1);
    expect(rig.smsc.accepted()).toEqual([expect.objectContaining({ text, dataCoding: 8, concat: null })]);
  });

  it('sends GSM-7 text with data_coding 0, concatenated past 160 characters', async () => {
    rig = await startRig();
    await rig.transport.sendMessage({ source: SOURCE, destination: TO, text: 'Your code is 123456' });
    const long = 'Earthquake drill on 20 May, 10:00. '.repeat(5); // 175 characters
    const { encoding, messageIds } = await rig.transport.sendMessage({ source: SOURCE, destination: TO, text: long, reference: 7 });
    expect(encoding).toBe('GSM7');
    expect(messageIds).toHaveLength(2);
    const accepted = rig.smsc.accepted();
    expect(accepted.map((part) => [part.dataCoding, part.concat?.total ?? 1])).toEqual([
      [0, 1],
      [0, 2],
      [0, 2],
    ]);
    expect(rig.smsc.messages().map((message) => message.text)).toEqual(['Your code is 123456', long]);
  });

  it('slows down when throttled but loses and duplicates nothing', async () => {
    rig = await startRig({}, { windowSize: 4 });
    rig.smsc.throttleNext(6);
    const recipients = ['+8613800000001', '+8613800000002', '+8613800000003', '+8613800000004'];
    const text = SIGNATURE + BULLETIN.slice(0, 80); // 91 units: two parts
    const results = await Promise.all(recipients.map((destination, index) => rig!.transport.sendMessage({ source: SOURCE, destination, text, reference: index })));
    expect(results.every((result) => result.messageIds.length === 2)).toBe(true);
    expect(rig.transport.stats().throttled).toBe(6);

    expect(rig.smsc.accepted()).toHaveLength(8);
    const parts = [text.slice(0, 67), text.slice(67)];
    for (const destination of recipients) {
      for (const part of parts) expect(rig.smsc.submitCount({ source: SOURCE, destination: destination.slice(1), text: part })).toBe(1);
    }
    expect(rig.smsc.messages().map((message) => [message.destination, message.text === text])).toEqual(
      expect.arrayContaining(recipients.map((destination) => [destination.slice(1), true])),
    );
  });

  it('keeps at most windowSize submit_sm awaiting a response', async () => {
    rig = await startRig({}, { windowSize: 3 });
    rig.smsc.stall(400);
    const submits = Array.from({ length: 10 }, (_, index) => rig!.transport.submit({ source: SOURCE, destination: TO, text: `第${index + 1}条通知` }));
    await waitFor(() => rig!.transport.stats().inFlight === 3, 2_000, 'a full window');
    expect(rig.transport.stats()).toMatchObject({ inFlight: 3, queued: 7 });
    let widest = 0;
    const watch = setInterval(() => (widest = Math.max(widest, rig!.transport.stats().inFlight)), 2);
    const ids = await Promise.all(submits);
    clearInterval(watch);
    expect(widest).toBeLessThanOrEqual(3);
    expect(new Set(ids.map((id) => id.messageId)).size).toBe(10);
    // sent in order
    expect(rig.smsc.accepted().map((part) => part.text)).toEqual(Array.from({ length: 10 }, (_, index) => `第${index + 1}条通知`));
  });

  it('refuses a submit the SMSC fails, saying whether a retry may help', async () => {
    rig = await startRig();
    rig.smsc.failNext(1, STATUS.ESME_RINVDSTADR);
    const permanent = await rejection(rig.transport.submit({ source: SOURCE, destination: TO, text: '通知一' }));
    expect(permanent).toMatchObject({ code: 'REJECTED', retryable: false, ambiguous: false, commandStatus: STATUS.ESME_RINVDSTADR });
    rig.smsc.failNext(1, STATUS.ESME_RSYSERR);
    const transient = await rejection(rig.transport.submit({ source: SOURCE, destination: TO, text: '通知二' }));
    expect(transient).toMatchObject({ code: 'REJECTED', retryable: true, ambiguous: false, commandStatus: STATUS.ESME_RSYSERR });
    await rig.transport.submit({ source: SOURCE, destination: TO, text: '通知三' });
    expect(rig.smsc.accepted().map((part) => part.text)).toEqual(['通知三']);
  });

  it('drops a queued submit that is aborted before it is sent', async () => {
    rig = await startRig({}, { windowSize: 1 });
    rig.smsc.stall(300);
    const first = rig.transport.submit({ source: SOURCE, destination: TO, text: '第一条' });
    const controller = new AbortController();
    const second = rig.transport.submit({ source: SOURCE, destination: TO, text: '第二条' }, { signal: controller.signal });
    controller.abort();
    expect(await rejection(second)).toMatchObject({ code: 'ABORTED' });
    await first;
    expect(rig.smsc.submitCount({ text: '第二条' })).toBe(0);
  });
});

describe('delivery receipts and MO messages', () => {
  it('matches delivery receipts to message ids, with their outcome', async () => {
    rig = await startRig();
    rig.smsc.setReceipts('UNDELIV', { destination: '8613800000002' });
    rig.smsc.setReceipts('EXPIRED', { destination: '8613800000003' });
    const receipts = new Map<string, DeliveryReceipt>();
    rig.transport.on('receipt', (receipt) => receipts.set(receipt.messageId, receipt));

    const [delivered, undelivered, expired] = await Promise.all(
      ['+8613800000001', '+8613800000002', '+8613800000003'].map((destination) => rig!.transport.submit({ source: SOURCE, destination, text: `${SIGNATURE}会议通知` })),
    );
    await waitFor(() => receipts.size === 3, 3_000, 'three receipts');
    expect(receipts.get(delivered!.messageId)).toMatchObject({ outcome: 'delivered', stat: 'DELIVRD', error: '000', recipient: '8613800000001' });
    expect(receipts.get(undelivered!.messageId)).toMatchObject({ outcome: 'failed', stat: 'UNDELIV', recipient: '8613800000002' });
    expect(receipts.get(expired!.messageId)).toMatchObject({ outcome: 'expired', stat: 'EXPIRED', recipient: '8613800000003' });
  });

  it('delivers an MO "TD" as an event, recognised as an opt-out', async () => {
    rig = await startRig();
    const received: MoMessage[] = [];
    rig.transport.on('mo', (mo) => received.push(mo));
    await rig.smsc.injectMo({ source: TO_ON_THE_WIRE, destination: SOURCE, text: 'TD' });
    await waitFor(() => received.length === 1, 2_000, 'the MO message');
    expect(received[0]).toMatchObject({ source: TO_ON_THE_WIRE, sourceE164: TO, destination: SOURCE, text: 'TD', parts: 1 });
    expect(isOptOutReply(received[0]!.text)).toBe(true);
  });

  it('decodes MO text sent in GSM-7 or as concatenated UCS-2', async () => {
    rig = await startRig();
    const received: MoMessage[] = [];
    rig.transport.on('mo', (mo) => received.push(mo));
    await rig.smsc.injectMo({ source: '13800000005', destination: SOURCE, text: 'Stop!', encoding: 'GSM7' });
    const complaint = `退订了吗怎么还在发？${BULLETIN}`;
    await rig.smsc.injectMo({ source: '13800000006', destination: SOURCE, text: complaint });
    await waitFor(() => received.length === 2, 2_000, 'two MO messages');
    expect(received.map((mo) => [mo.sourceE164, mo.text, mo.parts])).toEqual([
      ['+8613800000005', 'Stop!', 1],
      ['+8613800000006', complaint, 2],
    ]);
    expect(received.every((mo) => isOptOutReply(mo.text))).toBe(true);
  });
});

describe('link failures', () => {
  it('reconnects after the SMSC drops the link, and later submits succeed', async () => {
    rig = await startRig();
    const events: string[] = [];
    rig.transport.on('disconnected', () => events.push('disconnected'));
    rig.transport.on('bound', () => events.push('bound'));
    rig.smsc.dropAfter(1);
    await rig.transport.submit({ source: SOURCE, destination: TO, text: '断开前' });
    await waitFor(() => events.join() === 'disconnected,bound', 3_000, 'a reconnect');
    const after = await rig.transport.submit({ source: SOURCE, destination: TO, text: '重连后' });
    expect(after.messageId).not.toBe('');
    expect(rig.transport.stats()).toMatchObject({ state: 'bound', connects: 2 });
    expect(rig.smsc.boundSessions()).toBe(1);
    expect(rig.smsc.submitCount({ text: '断开前' })).toBe(1);
    expect(rig.smsc.submitCount({ text: '重连后' })).toBe(1);
  });

  it('rejects a submit in flight when the link drops with a retryable, ambiguous error', async () => {
    rig = await startRig();
    rig.smsc.dropAfter(1, { beforeResponse: true });
    const lost = await rejection(rig.transport.submit({ source: SOURCE, destination: TO, text: '在途' }));
    expect(lost).toMatchObject({ code: 'CONNECTION_LOST', retryable: true, ambiguous: true });
    // ambiguous indeed: the SMSC took it before the link went
    expect(rig.smsc.submitCount({ text: '在途' })).toBe(1);
    await rig.transport.submit({ source: SOURCE, destination: TO, text: '重连后' });
    expect(rig.transport.stats().connects).toBe(2);
  });

  it('delivers receipts held while the link was down once it is back', async () => {
    rig = await startRig({ receiptDelayMs: 150 });
    const receipts: DeliveryReceipt[] = [];
    rig.transport.on('receipt', (receipt) => receipts.push(receipt));
    rig.smsc.dropAfter(1);
    const { messageId } = await rig.transport.submit({ source: SOURCE, destination: TO, text: '回执' });
    await waitFor(() => receipts.length === 1, 3_000, 'the receipt');
    expect(receipts[0]).toMatchObject({ messageId, outcome: 'delivered' });
  });

  it('times out a submit the SMSC never answers, then drops and re-binds the dead link', async () => {
    rig = await startRig({}, { responseTimeoutMs: 250, enquireLinkMs: 10_000 });
    rig.smsc.stall(1_000, { discard: true });
    const timedOut = await rejection(rig.transport.submit({ source: SOURCE, destination: TO, text: '无应答' }));
    expect(timedOut).toMatchObject({ code: 'RESPONSE_TIMEOUT', retryable: true, ambiguous: true });
    await waitFor(() => rig!.transport.stats().connects >= 2, 3_000, 'a new connection');
    const later = await rig.transport.submit({ source: SOURCE, destination: TO, text: '恢复后' });
    expect(later.messageId).not.toBe('');
    expect(rig.smsc.submitCount({ text: '无应答' })).toBe(0);
  });

  it('reports a refused bind and keeps trying until closed', async () => {
    const smsc = await startSmscSimulator({ port: 0 });
    extra.push(smsc);
    const transport: SmppTransport = createSmppTransport({ url: smsc.url({ password: 'wrong' }), reconnect: { initialMs: 20, maxMs: 50 } });
    const errors: Error[] = [];
    transport.on('error', (error) => errors.push(error));
    const started = transport.start();
    started.catch(() => {});
    await waitFor(() => errors.length >= 2, 3_000, 'two refused binds');
    expect(errors[0]!.message).toContain('ESME_RINVPASWD');
    expect(transport.state).not.toBe('bound');
    await transport.close();
    expect(await rejection(started)).toMatchObject({ code: 'CLOSED' });
  });

  it('fails a queued submit as not connected when no link comes up in time', async () => {
    const smsc = await startSmscSimulator({ port: 0 });
    const url = smsc.url();
    await smsc.stop(); // nothing listens on that port any more
    const transport = createSmppTransport({ url, queueTimeoutMs: 300, reconnect: { initialMs: 50, maxMs: 100 } });
    extra.push({ stop: () => transport.close() });
    const failed = await rejection(transport.submit({ source: SOURCE, destination: TO, text: '排队' }));
    expect(failed).toMatchObject({ code: 'NOT_CONNECTED', retryable: true, ambiguous: false });
  });

  it('logs ids and statuses, never phone numbers or message text', async () => {
    rig = await startRig();
    rig.transport.on('receipt', () => {});
    rig.smsc.throttleNext(1);
    await rig.transport.sendMessage({ source: SOURCE, destination: TO, text: LONG_TEXT, correlationId: 'msg-42' });
    rig.smsc.dropAfter(1, { beforeResponse: true });
    await rejection(rig.transport.submit({ source: SOURCE, destination: TO, text: '在途', correlationId: 'msg-43' }));
    await waitFor(() => rig!.transport.stats().state === 'bound' && rig!.smsc.boundSessions() === 1, 3_000, 'the link back');
    await rig.smsc.injectMo({ source: TO_ON_THE_WIRE, destination: SOURCE, text: '退订' });
    const log = rig.logger.lines.join('\n');
    expect(log).toContain('msg-42#1');
    expect(log).toContain('smpp throttled');
    expect(log).not.toMatch(/13800000001|138\d{8}/);
    expect(log).not.toMatch(/\p{Script=Han}/u);
  });
});
