/**
 * An SMSC simulator on the `smpp` package's server: a test and demo tool,
 * never part of the product (nothing under sms/, activities/, services/,
 * api/ or worker/ imports it). Tests and the bench start it in-process;
 * `npm start` runs it as a child process when SMPP_URL is unset
 * (tools/smsc/child.ts); docker-compose.yml runs it under the `demo` profile.
 *
 *   tsx tools/smsc/simulator.ts --port 2775 --control-port 2776 [--system-id test --password secret --receipt-delay-ms 50]
 *
 * or in-process: `const smsc = await startSmscSimulator({ port: 0 })`.
 *
 * It accepts bind_transceiver (system_id and password checked), answers
 * submit_sm with a message id, sends a delivery receipt (deliver_sm, esm_class
 * 0x04, "id:… stat:DELIVRD …") after a configurable delay, and counts every
 * submit_sm it accepted per (source, destination, part text), so tests can
 * assert each part arrived exactly once. Concatenated messages (UDH, 8- or
 * 16-bit reference) are reassembled.
 *
 * Faults on demand, through the handle or the HTTP control API:
 *   POST /mo        {source, destination, text, encoding?: "UCS2"|"GSM7"}  inject an MO deliver_sm
 *   POST /throttle  {count}                     answer ESME_RTHROTTLED to the next count submits
 *   POST /fail      {count, status?}            answer an error status (default ESME_RSUBMITFAIL)
 *   POST /drop      {afterSubmits, beforeResponse?}  close the connection after that many more accepted submits
 *   POST /stall     {ms, discard?}              stop answering for ms (then answer late, or never with discard)
 *   POST /receipts  {stat, destination?, delayMs?}   receipts with stat DELIVRD/UNDELIV/EXPIRED/…
 *   POST /reset                                  forget counts and faults
 *   GET  /state                                  counts, reassembled messages, receipts, sessions
 *   GET  /count                                  how many submits it accepted (cheap to poll)
 *
 * The numbers it sees are test data; it logs counts and ids only.
 */
import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createServer, PDU, type Server, type Session } from 'smpp';
import { splitGsm7, splitUcs2 } from '../../domain/sms/segments';
import { concatFromUdh, concatUdh, DATA_CODING, encodeGsm7, encodeUcs2, ESM_CLASS, shortMessageText, STATUS, type ConcatInfo } from '../../sms/protocol';
import { formatReceipt, messageStateFor, RECEIPT_STATS, type ReceiptStat } from './receipts';

export type SmscSimulatorOptions = {
  /** SMPP port; 0 picks a free one (read it back from the handle) */
  port?: number;
  host?: string;
  /** HTTP control API port; 0 picks a free one; omit for none */
  controlPort?: number;
  systemId?: string;
  password?: string;
  /** delay between accepting a submit and sending its delivery receipt */
  receiptDelayMs?: number;
  log?: (line: string) => void;
};

export type AcceptedSubmit = {
  messageId: string;
  source: string;
  destination: string;
  /** this part's text, decoded */
  text: string;
  dataCoding: number;
  concat: ConcatInfo | null;
  sessionId: number;
  acceptedAt: Date;
};

export type AssembledMessage = {
  source: string;
  destination: string;
  text: string;
  parts: number;
  messageIds: string[];
};

export type SentReceipt = { messageId: string; stat: ReceiptStat; destination: string; sessionId: number };

export type MoInjection = { source: string; destination: string; text: string; encoding?: 'UCS2' | 'GSM7' };

export type SimulatorState = {
  sessions: { id: number; bound: boolean; systemId: string | null }[];
  accepted: number;
  counts: { source: string; destination: string; text: string; count: number }[];
  messages: AssembledMessage[];
  receipts: SentReceipt[];
  faults: { throttleNext: number; failNext: number; failStatus: number; dropAfter: number | null; stalledForMs: number };
};

export type SmscSimulator = {
  readonly port: number;
  readonly controlPort: number | null;
  /** smpp://system_id:password@host:port for this simulator */
  url(credentials?: { systemId?: string; password?: string }): string;
  /** emits 'submit' (AcceptedSubmit), 'bind' ({sessionId}), 'drop' ({sessionId}) */
  readonly events: EventEmitter;
  injectMo(mo: MoInjection): Promise<void>;
  throttleNext(count: number): void;
  failNext(count: number, status?: number): void;
  dropAfter(submits: number, options?: { beforeResponse?: boolean }): void;
  stall(ms: number, options?: { discard?: boolean }): void;
  setReceipts(stat: ReceiptStat, options?: { destination?: string; delayMs?: number }): void;
  /** how many submits with this (source, destination, part text) were accepted; omitted fields match anything */
  submitCount(match: { source?: string; destination?: string; text?: string }): number;
  accepted(): AcceptedSubmit[];
  /** how many submits it accepted: cheap enough to poll (`state()` copies everything it recorded) */
  acceptedCount(): number;
  messages(): AssembledMessage[];
  receipts(): SentReceipt[];
  boundSessions(): number;
  state(): SimulatorState;
  reset(): void;
  stop(): Promise<void>;
};

type SessionState = {
  id: number;
  session: Session;
  bound: boolean;
  systemId: string | null;
  closed: boolean;
  dropping: boolean;
  /** receipts sent on this session that the ESME has not answered (deliver_sm_resp) yet, by message id */
  unanswered: Map<string, { submit: AcceptedSubmit; stat: ReceiptStat }>;
};
type HeldPdu = { state: SessionState; pdu: PDU };

const DEFAULTS = { host: '127.0.0.1', systemId: 'test', password: 'secret', receiptDelayMs: 50 };

export async function startSmscSimulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const host = options.host ?? DEFAULTS.host;
  const systemId = options.systemId ?? DEFAULTS.systemId;
  const password = options.password ?? DEFAULTS.password;
  const log = options.log ?? (() => {});
  const events = new EventEmitter();

  let receiptDelayMs = options.receiptDelayMs ?? DEFAULTS.receiptDelayMs;
  let defaultStat: ReceiptStat = 'DELIVRD';
  const statByDestination = new Map<string, ReceiptStat>();
  let throttleNext = 0;
  let failNext = 0;
  let failStatus: number = STATUS.ESME_RSUBMITFAIL;
  let dropAfter: { remaining: number; beforeResponse: boolean } | null = null;
  let stallUntil = 0;
  let stallDiscard = false;
  let held: HeldPdu[] = [];
  let stallTimer: NodeJS.Timeout | undefined;

  let nextSessionId = 1;
  let nextMessageId = 1;
  let nextMoReference = 1;
  const sessions = new Set<SessionState>();
  let acceptedSubmits: AcceptedSubmit[] = [];
  let counts = new Map<string, { source: string; destination: string; text: string; count: number }>();
  let partials = new Map<string, Map<number, AcceptedSubmit>>();
  let assembled: AssembledMessage[] = [];
  let sentReceipts: SentReceipt[] = [];
  let pendingReceipts: { submit: AcceptedSubmit; stat: ReceiptStat }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  function respond(state: SessionState, pdu: PDU, fields: Record<string, unknown> = {}, after?: () => void): void {
    if (state.closed) return;
    const sent = state.session.send(pdu.response(fields), after);
    if (!sent && after) after();
  }

  const usable = (state: SessionState) => state.bound && !state.closed && !state.dropping;

  function boundSessionFor(preferred: SessionState | undefined): SessionState | undefined {
    if (preferred && usable(preferred)) return preferred;
    for (const state of sessions) if (usable(state)) return state;
    return undefined;
  }

  function record(submit: AcceptedSubmit): void {
    acceptedSubmits.push(submit);
    const key = `${submit.source}\u0001${submit.destination}\u0001${submit.text}`;
    const entry = counts.get(key) ?? { source: submit.source, destination: submit.destination, text: submit.text, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
    if (!submit.concat || submit.concat.total <= 1) {
      assembled.push({ source: submit.source, destination: submit.destination, text: submit.text, parts: 1, messageIds: [submit.messageId] });
    } else {
      const group = `${submit.source}\u0001${submit.destination}\u0001${submit.concat.reference}\u0001${submit.concat.total}`;
      const parts = partials.get(group) ?? new Map<number, AcceptedSubmit>();
      if (!parts.has(submit.concat.sequence)) parts.set(submit.concat.sequence, submit);
      partials.set(group, parts);
      if (parts.size === submit.concat.total) {
        const ordered = [...parts.values()].sort((a, b) => a.concat!.sequence - b.concat!.sequence);
        assembled.push({
          source: submit.source,
          destination: submit.destination,
          text: ordered.map((part) => part.text).join(''),
          parts: ordered.length,
          messageIds: ordered.map((part) => part.messageId),
        });
        partials.delete(group);
      }
    }
    events.emit('submit', submit);
  }

  function scheduleReceipt(submit: AcceptedSubmit, origin: SessionState): void {
    const stat = statByDestination.get(submit.destination) ?? defaultStat;
    later(receiptDelayMs, () => deliverReceipt(submit, stat, origin));
  }

  function deliverReceipt(submit: AcceptedSubmit, stat: ReceiptStat, origin: SessionState | undefined): void {
    const target = boundSessionFor(origin);
    if (!target) {
      pendingReceipts.push({ submit, stat });
      return;
    }
    const text = formatReceipt({ id: submit.messageId, stat, submitted: submit.acceptedAt, done: new Date() });
    // a receipt is delivered once the ESME answers it; one its session dies with goes out again on the next bind,
    // as an SMSC retries a deliver_sm that got no deliver_sm_resp
    target.unanswered.set(submit.messageId, { submit, stat });
    const sent = target.session.deliver_sm(
      {
        source_addr: submit.destination,
        destination_addr: submit.source,
        esm_class: ESM_CLASS.DELIVERY_RECEIPT,
        data_coding: DATA_CODING.SMSC_DEFAULT,
        short_message: Buffer.from(text, 'ascii'),
        receipted_message_id: submit.messageId,
        message_state: messageStateFor(stat),
      },
      () => target.unanswered.delete(submit.messageId),
    );
    if (!sent) {
      target.unanswered.delete(submit.messageId);
      pendingReceipts.push({ submit, stat });
      return;
    }
    sentReceipts.push({ messageId: submit.messageId, stat, destination: submit.destination, sessionId: target.id });
  }

  function flushPendingReceipts(): void {
    const pending = pendingReceipts;
    pendingReceipts = [];
    for (const { submit, stat } of pending) deliverReceipt(submit, stat, undefined);
  }

  function drop(state: SessionState): void {
    if (state.closed) return;
    log(`dropping session ${state.id}`);
    state.session.destroy();
  }

  function handleSubmit(state: SessionState, pdu: PDU): void {
    if (!state.bound) return respond(state, pdu, { command_status: STATUS.ESME_RINVBNDSTS });
    if (throttleNext > 0) {
      throttleNext -= 1;
      return respond(state, pdu, { command_status: STATUS.ESME_RTHROTTLED });
    }
    if (failNext > 0) {
      failNext -= 1;
      return respond(state, pdu, { command_status: failStatus });
    }
    const dataCoding = Number(pdu.data_coding ?? 0);
    const payload = pdu.message_payload !== undefined && pdu.short_message === undefined ? pdu.message_payload : pdu.short_message;
    const { text, udh } = shortMessageText(payload, dataCoding);
    const submit: AcceptedSubmit = {
      messageId: (nextMessageId++).toString(16).toUpperCase().padStart(10, '0'),
      source: String(pdu.source_addr ?? ''),
      destination: String(pdu.destination_addr ?? ''),
      text,
      dataCoding,
      concat: concatFromUdh(udh),
      sessionId: state.id,
      acceptedAt: new Date(),
    };
    record(submit);
    let dropNow = false;
    let beforeResponse = false;
    if (dropAfter) {
      dropAfter.remaining -= 1;
      if (dropAfter.remaining <= 0) {
        dropNow = true;
        // whatever else this session sends from now on is lost with the link
        state.dropping = true;
        beforeResponse = dropAfter.beforeResponse;
        dropAfter = null;
      }
    }
    const wantsReceipt = (Number(pdu.registered_delivery ?? 0) & 0x03) !== 0;
    if (wantsReceipt) scheduleReceipt(submit, state);
    if (dropNow && beforeResponse) return drop(state);
    respond(state, pdu, { message_id: submit.messageId }, dropNow ? () => drop(state) : undefined);
  }

  function handle(state: SessionState, pdu: PDU): void {
    switch (pdu.command) {
      case 'bind_transceiver': {
        if (state.bound) return respond(state, pdu, { command_status: STATUS.ESME_RALYBND });
        if (pdu.system_id !== systemId) {
          respond(state, pdu, { command_status: STATUS.ESME_RINVSYSID }, () => drop(state));
          return;
        }
        if (pdu.password !== password) {
          respond(state, pdu, { command_status: STATUS.ESME_RINVPASWD }, () => drop(state));
          return;
        }
        state.bound = true;
        state.systemId = String(pdu.system_id);
        respond(state, pdu, { system_id: 'SMSCSIM' });
        log(`session ${state.id} bound`);
        events.emit('bind', { sessionId: state.id });
        flushPendingReceipts();
        return;
      }
      case 'bind_transmitter':
      case 'bind_receiver':
        return respond(state, pdu, { command_status: STATUS.ESME_RBINDFAIL });
      case 'submit_sm':
        return handleSubmit(state, pdu);
      case 'enquire_link':
        return respond(state, pdu);
      case 'unbind':
        state.bound = false;
        respond(state, pdu, {}, () => state.session.close());
        return;
      case 'deliver_sm_resp':
      case 'enquire_link_resp':
      case 'unbind_resp':
      case 'generic_nack':
        return;
      default:
        if (!pdu.isResponse()) respond(state, pdu, { command_status: STATUS.ESME_RINVCMDID });
    }
  }

  function releaseHeld(): void {
    stallTimer = undefined;
    const queue = held;
    held = [];
    if (stallDiscard) return;
    for (const { state, pdu } of queue) if (!state.closed && !state.dropping) handle(state, pdu);
  }

  const server: Server = createServer({}, (session: Session) => {
    const state: SessionState = { id: nextSessionId++, session, bound: false, systemId: null, closed: false, dropping: false, unanswered: new Map() };
    sessions.add(state);
    session.on('pdu', (pdu: PDU) => {
      if (state.dropping) return;
      // responses to our own deliver_sm are handled by the smpp callbacks; never held
      if (Date.now() < stallUntil && !pdu.isResponse()) {
        held.push({ state, pdu });
        return;
      }
      handle(state, pdu);
    });
    session.on('error', () => {});
    session.on('close', () => {
      state.closed = true;
      state.bound = false;
      sessions.delete(state);
      if (state.unanswered.size > 0) {
        pendingReceipts.push(...state.unanswered.values());
        state.unanswered.clear();
        if (!stopping) flushPendingReceipts();
      }
      events.emit('drop', { sessionId: state.id });
    });
  });
  server.on('error', (error) => log(`smpp server error: ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 2775, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  function reset(): void {
    throttleNext = 0;
    failNext = 0;
    failStatus = STATUS.ESME_RSUBMITFAIL;
    dropAfter = null;
    stallUntil = 0;
    stallDiscard = false;
    if (stallTimer) clearTimeout(stallTimer);
    stallTimer = undefined;
    held = [];
    defaultStat = 'DELIVRD';
    statByDestination.clear();
    receiptDelayMs = options.receiptDelayMs ?? DEFAULTS.receiptDelayMs;
    acceptedSubmits = [];
    counts = new Map();
    partials = new Map();
    assembled = [];
    sentReceipts = [];
    pendingReceipts = [];
  }

  const handle_: SmscSimulator = {
    port,
    controlPort: null,
    url: (credentials = {}) =>
      `smpp://${encodeURIComponent(credentials.systemId ?? systemId)}:${encodeURIComponent(credentials.password ?? password)}@${host}:${port}`,
    events,
    injectMo: async (mo) => {
      const target = boundSessionFor(undefined);
      if (!target) throw new Error('no bound session to deliver the MO message to');
      const gsm = mo.encoding === 'GSM7';
      const { parts } = gsm ? { parts: mo.text.length <= 160 ? [mo.text] : splitGsm7(mo.text) } : { parts: mo.text.length <= 70 ? [mo.text] : splitUcs2(mo.text) };
      const reference = nextMoReference++ % 256;
      for (const [index, part] of parts.entries()) {
        const payload = gsm ? encodeGsm7(part) : encodeUcs2(part);
        const udh = parts.length > 1 ? concatUdh({ reference, total: parts.length, sequence: index + 1 }) : undefined;
        await new Promise<void>((resolve, reject) => {
          const sent = target.session.deliver_sm(
            {
              source_addr: mo.source,
              destination_addr: mo.destination,
              esm_class: udh ? ESM_CLASS.UDH_INDICATOR : ESM_CLASS.DEFAULT,
              data_coding: gsm ? DATA_CODING.SMSC_DEFAULT : DATA_CODING.UCS2,
              short_message: udh ? Buffer.concat([udh, payload]) : payload,
            },
            (resp: PDU) => (resp.command_status === 0 ? resolve() : reject(new Error(`deliver_sm refused with status ${resp.command_status}`))),
          );
          if (!sent) reject(new Error('the session is not writable'));
        });
      }
    },
    throttleNext: (count) => {
      throttleNext = count;
    },
    failNext: (count, status = STATUS.ESME_RSUBMITFAIL) => {
      failNext = count;
      failStatus = status;
    },
    dropAfter: (submits, dropOptions = {}) => {
      dropAfter = { remaining: submits, beforeResponse: dropOptions.beforeResponse ?? false };
    },
    stall: (ms, stallOptions = {}) => {
      stallUntil = Date.now() + ms;
      stallDiscard = stallOptions.discard ?? false;
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = setTimeout(releaseHeld, ms);
    },
    setReceipts: (stat, receiptOptions = {}) => {
      if (receiptOptions.destination !== undefined) statByDestination.set(receiptOptions.destination, stat);
      else defaultStat = stat;
      if (receiptOptions.delayMs !== undefined) receiptDelayMs = receiptOptions.delayMs;
    },
    submitCount: (match) =>
      [...counts.values()]
        .filter(
          (entry) =>
            (match.source === undefined || entry.source === match.source) &&
            (match.destination === undefined || entry.destination === match.destination) &&
            (match.text === undefined || entry.text === match.text),
        )
        .reduce((sum, entry) => sum + entry.count, 0),
    accepted: () => [...acceptedSubmits],
    acceptedCount: () => acceptedSubmits.length,
    messages: () => [...assembled],
    receipts: () => [...sentReceipts],
    boundSessions: () => [...sessions].filter(usable).length,
    state: () => ({
      sessions: [...sessions].map((state) => ({ id: state.id, bound: state.bound, systemId: state.systemId })),
      accepted: acceptedSubmits.length,
      counts: [...counts.values()],
      messages: [...assembled],
      receipts: [...sentReceipts],
      faults: {
        throttleNext,
        failNext,
        failStatus,
        dropAfter: dropAfter?.remaining ?? null,
        stalledForMs: Math.max(0, stallUntil - Date.now()),
      },
    }),
    reset,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (stallTimer) clearTimeout(stallTimer);
      for (const state of sessions) state.session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (control) await new Promise<void>((resolve) => control!.close(() => resolve()));
    },
  };

  let control: HttpServer | undefined;
  if (options.controlPort !== undefined) {
    control = createControlServer(handle_);
    await new Promise<void>((resolve, reject) => {
      control!.once('error', reject);
      control!.listen(options.controlPort, host, () => {
        control!.off('error', reject);
        resolve();
      });
    });
    (handle_ as { controlPort: number | null }).controlPort = (control.address() as AddressInfo).port;
  }
  log(`SMSC simulator listening on ${host}:${port}${control ? `, control on ${host}:${handle_.controlPort}` : ''}`);
  return handle_;
}

const STATUS_BY_NAME: Record<string, number> = STATUS;

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 64 * 1024) reject(new Error('request body too large'));
    });
    req.on('end', () => {
      try {
        const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
        resolve(parsed as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function nonNegativeInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${name} must be a non-empty string`);
  return value;
}

function createControlServer(smsc: SmscSimulator): HttpServer {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  return createHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    void (async () => {
      try {
        if (req.method === 'GET' && path === '/healthz') return send(res, 200, { ok: true });
        if (req.method === 'GET' && path === '/state') return send(res, 200, smsc.state());
        if (req.method === 'GET' && path === '/count') return send(res, 200, { accepted: smsc.acceptedCount() });
        if (req.method !== 'POST') return send(res, 404, { error: 'not found' });
        const body = await readJson(req);
        switch (path) {
          case '/mo': {
            const encoding = body.encoding === 'GSM7' ? 'GSM7' : 'UCS2';
            await smsc.injectMo({ source: text(body.source, 'source'), destination: text(body.destination, 'destination'), text: text(body.text, 'text'), encoding });
            return send(res, 200, { ok: true });
          }
          case '/throttle':
            smsc.throttleNext(nonNegativeInt(body.count, 'count'));
            return send(res, 200, { ok: true });
          case '/fail': {
            const status = typeof body.status === 'string' ? STATUS_BY_NAME[body.status] : body.status ?? STATUS.ESME_RSUBMITFAIL;
            smsc.failNext(nonNegativeInt(body.count, 'count'), nonNegativeInt(status, 'status'));
            return send(res, 200, { ok: true });
          }
          case '/drop':
            smsc.dropAfter(nonNegativeInt(body.afterSubmits ?? 0, 'afterSubmits'), { beforeResponse: body.beforeResponse === true });
            return send(res, 200, { ok: true });
          case '/stall':
            smsc.stall(nonNegativeInt(body.ms, 'ms'), { discard: body.discard === true });
            return send(res, 200, { ok: true });
          case '/receipts': {
            const stat = body.stat;
            if (typeof stat !== 'string' || !RECEIPT_STATS.includes(stat as ReceiptStat)) throw new Error(`stat must be one of ${RECEIPT_STATS.join(', ')}`);
            smsc.setReceipts(stat as ReceiptStat, {
              ...(typeof body.destination === 'string' ? { destination: body.destination } : {}),
              ...(body.delayMs !== undefined ? { delayMs: nonNegativeInt(body.delayMs, 'delayMs') } : {}),
            });
            return send(res, 200, { ok: true });
          }
          case '/reset':
            smsc.reset();
            return send(res, 200, { ok: true });
          default:
            return send(res, 404, { error: 'not found' });
        }
      } catch (error) {
        send(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '2775' },
      'control-port': { type: 'string', default: '2776' },
      host: { type: 'string', default: DEFAULTS.host },
      'system-id': { type: 'string', default: DEFAULTS.systemId },
      password: { type: 'string', default: DEFAULTS.password },
      'receipt-delay-ms': { type: 'string', default: String(DEFAULTS.receiptDelayMs) },
    },
  });
  const number = (value: string, name: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
    return parsed;
  };
  const smsc = await startSmscSimulator({
    port: number(values.port, 'port'),
    controlPort: number(values['control-port'], 'control-port'),
    host: values.host,
    systemId: values['system-id'],
    password: values.password,
    receiptDelayMs: number(values['receipt-delay-ms'], 'receipt-delay-ms'),
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  const shutdown = () => {
    void smsc.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
