/**
 * The SMPP transport: one bind_transceiver session to the SMSC, kept alive.
 *
 * - Reconnects with exponential backoff (with jitter) whenever the link drops,
 *   and re-binds; enquire_link keeps the link alive and detects a dead one.
 * - `submit(part)` is windowed: at most `windowSize` submit_sm await their
 *   response; the rest queue, in order.
 * - ESME_RTHROTTLED / ESME_RMSGQFUL: the submit was *not* accepted, so it is
 *   put back at its place in the queue and sent again after a backoff; the
 *   whole session slows down meanwhile. Nothing is lost.
 * - A submit in flight when the link drops (or whose response times out) is
 *   rejected with a retryable `SmppSubmitError` flagged `ambiguous`: the SMSC
 *   may or may not have accepted it. The caller (a Temporal activity, keyed on
 *   its own message id) decides whether to retry. Submits still queued were
 *   never sent and simply wait for the next bind (up to `queueTimeoutMs`).
 * - Text: GSM-7 (data_coding 0) when every character is in the GSM alphabet,
 *   otherwise UCS-2 (data_coding 8). Long text is split by the domain rules
 *   (153 septets / 67 UTF-16 units, never splitting a surrogate pair) and sent
 *   with a concatenation UDH (8-bit reference).
 * - Events: 'receipt' (delivery receipts, parsed; the deliver_sm_resp waits
 *   until every listener that held the receipt has stored it), 'mo' (mobile-originated
 *   messages, reassembled and decoded), 'bound', 'disconnected', 'error'.
 * - Logs carry ids (connection, sequence, message id, the caller's
 *   correlation id) and status codes, never phone numbers or text.
 *
 * Node code: not imported by workflows.
 */
import { EventEmitter } from 'node:events';
import { connect, PDU, type OutgoingPdu, type Session } from 'smpp';
import { normalizeRecipient } from '../domain/sms/phone';
import { isGsm7, splitMessage, type SmsEncoding } from '../domain/sms/segments';
import {
  COMMAND_ID,
  concatFromUdh,
  concatUdh,
  DATA_CODING,
  encodeGsm7,
  encodePdu,
  encodeSubmitSm,
  encodeUcs2,
  ESM_CLASS,
  MESSAGE_STATE,
  parseReceiptText,
  parseSmppUrl,
  receiptOutcome,
  shortMessageText,
  STATUS,
  statusName,
  TRANSIENT_STATUSES,
  type ConcatInfo,
  type ReceiptOutcome,
} from './protocol';

/** pino-compatible: (fields, message). */
export type SmppLogger = {
  debug?(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
};

export type SmppTransportOptions = {
  /** smpp://system_id:password@host:port */
  url: string;
  /** submit_sm awaiting a response at most (default 10) */
  windowSize?: number;
  /** enquire_link period while bound (default 30 s) */
  enquireLinkMs?: number;
  /** how long to wait for a response to bind, submit_sm or enquire_link (default 10 s) */
  responseTimeoutMs?: number;
  /** how long a submit may wait in the queue for a bound link and a free window slot (default 60 s) */
  queueTimeoutMs?: number;
  reconnect?: { initialMs?: number; maxMs?: number; factor?: number };
  /** backoff after ESME_RTHROTTLED; `maxRetries` per submit before it is rejected (retryable) */
  throttle?: { initialMs?: number; maxMs?: number; maxRetries?: number };
  /** destination on the wire: "8613800000001" with TON 1 / NPI 1 (default), or "13800000001" with TON 0 */
  destinationFormat?: 'international' | 'national';
  systemType?: string;
  /** ask for delivery receipts (default true) */
  registeredDelivery?: boolean;
  /** incomplete concatenated MO messages are given up after this long (default 5 min) */
  moReassemblyMs?: number;
  logger?: SmppLogger;
};

export type SubmitPart = {
  /** the sender address (service code), e.g. "106575261234" */
  source: string;
  /** E.164 ("+8613800000001") or national ("13800000001") */
  destination: string;
  /** this part's text */
  text: string;
  /** default: GSM7 when the text allows it, else UCS2 */
  encoding?: SmsEncoding;
  concat?: ConcatInfo;
  /** the caller's id (ledger row, workflow step), for logs */
  correlationId?: string;
};

export type SubmitOptions = { signal?: AbortSignal };
export type SubmitResult = { messageId: string };

export type OutgoingMessage = {
  source: string;
  destination: string;
  text: string;
  /** concatenation reference 0..255; default: a rolling counter */
  reference?: number;
  correlationId?: string;
};

export type DeliveryReceipt = {
  messageId: string;
  outcome: ReceiptOutcome;
  /** the receipt's stat as written: DELIVRD, UNDELIV, EXPIRED, … */
  stat: string;
  error: string | null;
  /** the handset the message went to, as the SMSC wrote it */
  recipient: string;
  receivedAt: Date;
};

export type MoMessage = {
  /** the sender's address as the SMSC wrote it */
  source: string;
  /** the sender as E.164 when it is a Chinese mobile number */
  sourceE164: string | null;
  destination: string;
  text: string;
  parts: number;
  receivedAt: Date;
};

export type SmppTransportState = 'idle' | 'connecting' | 'bound' | 'disconnected' | 'closed';

/**
 * Passed with each receipt: a listener that must store the receipt before
 * the SMSC may forget it calls `hold()` at once and the function it returns
 * once the receipt is stored. The deliver_sm_resp goes out when every hold is
 * released (at once when nobody holds), so a receipt the process dies with is
 * never answered and the SMSC delivers it again.
 */
export type ReceiptAcknowledgement = { hold(): () => void };

export type SmppTransportEvents = {
  receipt: [DeliveryReceipt, ReceiptAcknowledgement];
  mo: [MoMessage];
  bound: [{ connectionId: number }];
  disconnected: [{ connectionId: number; reason: string }];
  error: [Error];
};

export type SmppErrorCode =
  | 'NOT_CONNECTED'
  | 'QUEUE_TIMEOUT'
  | 'CONNECTION_LOST'
  | 'RESPONSE_TIMEOUT'
  | 'THROTTLED'
  | 'REJECTED'
  | 'CLOSED'
  | 'ABORTED';

export class SmppSubmitError extends Error {
  override readonly name = 'SmppSubmitError';
  constructor(
    readonly code: SmppErrorCode,
    message: string,
    /** trying the same submit again later may succeed */
    readonly retryable: boolean,
    /** the SMSC may have accepted it: a retry may deliver twice */
    readonly ambiguous: boolean,
    readonly commandStatus?: number,
  ) {
    super(message);
  }
}

export class SmppSendError extends Error {
  override readonly name = 'SmppSendError';
  constructor(
    message: string,
    /** per part, in order: the message id, or the error */
    readonly results: ({ ok: true; messageId: string } | { ok: false; error: SmppSubmitError })[],
  ) {
    super(message);
  }
}

export type SmppTransport = {
  readonly state: SmppTransportState;
  /** connects (if not yet) and resolves once bound */
  start(): Promise<void>;
  submit(part: SubmitPart, options?: SubmitOptions): Promise<SubmitResult>;
  /** splits, submits every part, and resolves with the message ids in part order (SmppSendError if any part fails) */
  sendMessage(message: OutgoingMessage, options?: SubmitOptions): Promise<{ encoding: SmsEncoding; messageIds: string[] }>;
  stats(): { state: SmppTransportState; inFlight: number; queued: number; connects: number; throttled: number };
  /** waits (bounded) for submits in flight, unbinds, and stops reconnecting */
  close(): Promise<void>;
  on<E extends keyof SmppTransportEvents>(event: E, listener: (...args: SmppTransportEvents[E]) => void): SmppTransport;
  off<E extends keyof SmppTransportEvents>(event: E, listener: (...args: SmppTransportEvents[E]) => void): SmppTransport;
  once<E extends keyof SmppTransportEvents>(event: E, listener: (...args: SmppTransportEvents[E]) => void): SmppTransport;
};

/**
 * The submit_sm parts a message is sent as: one part when it fits a single
 * SMS, otherwise parts with concatenation info (same reference, 1..total).
 */
export function planParts(message: OutgoingMessage & { reference: number }): SubmitPart[] {
  const { encoding, parts } = splitMessage(message.text);
  if (parts.length === 0) throw new RangeError('an SMS needs some text');
  if (parts.length > 255) throw new RangeError('a message may have at most 255 parts');
  return parts.map((text, index) => ({
    source: message.source,
    destination: message.destination,
    text,
    encoding,
    ...(parts.length > 1 ? { concat: { reference: message.reference, total: parts.length, sequence: index + 1 } } : {}),
    ...(message.correlationId !== undefined ? { correlationId: `${message.correlationId}#${index + 1}` } : {}),
  }));
}

type Connection = {
  id: number;
  session: Session;
  bound: boolean;
  inFlight: Map<number, Pending>;
  enquireTimer?: NodeJS.Timeout;
  probe?: NodeJS.Timeout;
  closed: boolean;
  /** the socket is corked until the end of this tick (see `write`) */
  corked?: boolean;
};

type Pending = {
  order: number;
  part: SubmitPart;
  /** the submit_sm, encoded (and checked) once when the part is submitted */
  encoded: Buffer;
  resolve: (result: SubmitResult) => void;
  reject: (error: SmppSubmitError) => void;
  status: 'queued' | 'inflight' | 'settled';
  deadline: number;
  queueTimer?: NodeJS.Timeout;
  responseTimer?: NodeJS.Timeout;
  connection?: Connection;
  sequence?: number;
  throttleRetries: number;
  signal?: AbortSignal;
};

/** The unsettled submits made under one abort signal, and its one listener. */
type AbortWatch = { pendings: Set<Pending>; onAbort: () => void };

/**
 * A PDU encoded here, not by the smpp package (which walks every field's
 * definition for each PDU it writes): the submit_sm and deliver_sm_resp sent
 * per part. The session numbers a request when it sends it.
 */
class EncodedPdu implements OutgoingPdu {
  constructor(
    readonly command: 'submit_sm' | 'deliver_sm_resp',
    private readonly encoded: Buffer,
    public sequence_number = 0,
  ) {}

  isResponse(): boolean {
    return this.command === 'deliver_sm_resp';
  }

  toBuffer(): Buffer {
    // a copy: a submit sent again after a throttle must not rewrite octets still queued on the socket
    const buffer = Buffer.from(this.encoded);
    buffer.writeUInt32BE(this.sequence_number, 12);
    return buffer;
  }
}

/** deliver_sm_resp with an empty message_id (SMPP 3.4 §4.6.2) */
const DELIVER_SM_RESP = encodePdu(COMMAND_ID.DELIVER_SM_RESP, Buffer.from([0]));

type MoFragments = { parts: Map<number, string>; total: number; timer: NodeJS.Timeout; destination: string };

const noop = () => {};
const SILENT: SmppLogger = { info: noop, warn: noop, error: noop };

class Transport extends EventEmitter<SmppTransportEvents> implements SmppTransport {
  private readonly endpoint: ReturnType<typeof parseSmppUrl>;
  private readonly windowSize: number;
  private readonly enquireLinkMs: number;
  private readonly responseTimeoutMs: number;
  private readonly queueTimeoutMs: number;
  private readonly reconnectPolicy: { initialMs: number; maxMs: number; factor: number };
  private readonly throttlePolicy: { initialMs: number; maxMs: number; maxRetries: number };
  private readonly log: SmppLogger;

  private current: Connection | null = null;
  private currentState: SmppTransportState = 'idle';
  private readonly queue: Pending[] = [];
  private nextOrder = 0;
  private nextConnectionId = 1;
  private connects = 0;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private resumeTimer: NodeJS.Timeout | undefined;
  private consecutiveThrottles = 0;
  private throttledTotal = 0;
  private nextReference = Math.floor(Math.random() * 256);
  private readonly moFragments = new Map<string, MoFragments>();
  private boundWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private readonly abortWatches = new Map<AbortSignal, AbortWatch>();

  constructor(private readonly options: SmppTransportOptions) {
    super();
    this.endpoint = parseSmppUrl(options.url);
    this.windowSize = Math.max(1, options.windowSize ?? 10);
    this.enquireLinkMs = options.enquireLinkMs ?? 30_000;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 10_000;
    this.queueTimeoutMs = options.queueTimeoutMs ?? 60_000;
    this.reconnectPolicy = { initialMs: 250, maxMs: 30_000, factor: 2, ...options.reconnect };
    this.throttlePolicy = { initialMs: 100, maxMs: 5_000, maxRetries: 100, ...options.throttle };
    this.log = options.logger ?? SILENT;
  }

  get state(): SmppTransportState {
    return this.currentState;
  }

  start(): Promise<void> {
    if (this.currentState === 'closed') return Promise.reject(new SmppSubmitError('CLOSED', 'the SMPP transport is closed', false, false));
    if (this.currentState === 'bound') return Promise.resolve();
    const waiting = new Promise<void>((resolve, reject) => this.boundWaiters.push({ resolve, reject }));
    if (this.currentState === 'idle') this.connect();
    return waiting;
  }

  stats() {
    return {
      state: this.currentState,
      inFlight: this.current?.inFlight.size ?? 0,
      queued: this.queue.length,
      connects: this.connects,
      throttled: this.throttledTotal,
    };
  }

  submit(part: SubmitPart, options: SubmitOptions = {}): Promise<SubmitResult> {
    if (this.currentState === 'closed') return Promise.reject(new SmppSubmitError('CLOSED', 'the SMPP transport is closed', true, false));
    if (options.signal?.aborted) return Promise.reject(new SmppSubmitError('ABORTED', 'the submit was aborted before it was sent', true, false));
    let encoded: Buffer;
    try {
      // fail fast on parts that can never be encoded, before anything is queued
      encoded = this.buildSubmit(part);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<SubmitResult>((resolve, reject) => {
      const pending: Pending = {
        order: this.nextOrder++,
        part,
        encoded,
        resolve,
        reject,
        status: 'queued',
        deadline: Date.now() + this.queueTimeoutMs,
        throttleRetries: 0,
      };
      if (options.signal) this.watchAbort(pending, options.signal);
      this.enqueue(pending);
      if (this.currentState === 'idle') this.connect();
      this.pump();
    });
  }

  async sendMessage(message: OutgoingMessage, options: SubmitOptions = {}): Promise<{ encoding: SmsEncoding; messageIds: string[] }> {
    const reference = message.reference ?? this.takeReference();
    const parts = planParts({ ...message, reference });
    const encoding = parts[0]?.encoding ?? 'GSM7';
    const settled = await Promise.allSettled(parts.map((part) => this.submit(part, options)));
    const results = settled.map((outcome) =>
      outcome.status === 'fulfilled'
        ? { ok: true as const, messageId: outcome.value.messageId }
        : {
            ok: false as const,
            error: outcome.reason instanceof SmppSubmitError ? outcome.reason : new SmppSubmitError('REJECTED', String(outcome.reason), false, true),
          },
    );
    const failed = results.filter((result) => !result.ok).length;
    if (failed > 0) throw new SmppSendError(`${failed} of ${parts.length} parts were not accepted`, results);
    return { encoding, messageIds: results.map((result) => (result.ok ? result.messageId : '')) };
  }

  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    this.currentState = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const pending of this.queue.splice(0)) this.settle(pending, new SmppSubmitError('CLOSED', 'the SMPP transport was closed before the submit was sent', true, false));
    for (const waiter of this.boundWaiters.splice(0)) waiter.reject(new SmppSubmitError('CLOSED', 'the SMPP transport was closed', false, false));
    for (const fragments of this.moFragments.values()) clearTimeout(fragments.timer);
    this.moFragments.clear();
    const connection = this.current;
    if (!connection) return;
    const deadline = Date.now() + this.responseTimeoutMs;
    while (connection.inFlight.size > 0 && !connection.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (!connection.closed && connection.bound) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(1_000, this.responseTimeoutMs));
        const sent = connection.session.send(new PDU('unbind', {}), () => {
          clearTimeout(timer);
          resolve();
        });
        if (!sent) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    if (!connection.closed) await new Promise<void>((resolve) => connection.session.destroy(() => resolve()));
  }

  // --- connection ---------------------------------------------------------

  private connect(): void {
    if (this.currentState === 'closed') return;
    this.currentState = 'connecting';
    const id = this.nextConnectionId++;
    this.connects += 1;
    const session = connect({ host: this.endpoint.host, port: this.endpoint.port });
    const connection: Connection = { id, session, bound: false, inFlight: new Map(), closed: false };
    this.current = connection;
    this.log.debug?.({ connectionId: id }, 'smpp connecting');

    const bindTimer = setTimeout(() => {
      if (!connection.bound) {
        this.log.warn({ connectionId: id }, 'smpp bind timed out');
        session.destroy();
      }
    }, this.responseTimeoutMs);

    session.on('connect', () => {
      const bind = new PDU('bind_transceiver', {
        system_id: this.endpoint.systemId,
        password: this.endpoint.password,
        system_type: this.options.systemType ?? '',
        interface_version: 0x34,
      });
      session.send(bind, (resp: PDU) => {
        clearTimeout(bindTimer);
        if (connection.closed) return;
        if (resp.command_status !== STATUS.ESME_ROK) {
          const error = new Error(`bind_transceiver refused: ${statusName(resp.command_status)}`);
          this.log.error({ connectionId: id, commandStatus: resp.command_status }, 'smpp bind refused');
          if (this.listenerCount('error') > 0) this.emit('error', error);
          session.destroy();
          return;
        }
        this.onBound(connection);
      });
    });
    session.on('error', (error: Error) => {
      this.log.warn({ connectionId: id, error: error.message }, 'smpp socket error');
    });
    session.on('close', () => {
      clearTimeout(bindTimer);
      this.onClose(connection);
    });
    session.on('deliver_sm', (pdu: PDU) => this.onDeliver(connection, pdu));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      connection.bound = false;
      session.send(pdu.response(), () => session.close());
    });
  }

  private onBound(connection: Connection): void {
    connection.bound = true;
    this.currentState = 'bound';
    this.reconnectAttempt = 0;
    this.log.info({ connectionId: connection.id }, 'smpp bound');
    connection.enquireTimer = setInterval(() => this.sendEnquireLink(connection), this.enquireLinkMs);
    this.emit('bound', { connectionId: connection.id });
    for (const waiter of this.boundWaiters.splice(0)) waiter.resolve();
    this.pump();
  }

  private sendEnquireLink(connection: Connection): void {
    if (connection.closed || !connection.bound || connection.probe) return;
    connection.probe = setTimeout(() => {
      this.log.warn({ connectionId: connection.id }, 'smpp enquire_link unanswered: dropping the link');
      connection.session.destroy();
    }, this.responseTimeoutMs);
    const sent = connection.session.send(new PDU('enquire_link', {}), () => {
      clearTimeout(connection.probe);
      connection.probe = undefined;
    });
    if (!sent) connection.session.destroy();
  }

  private onClose(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    connection.bound = false;
    if (connection.enquireTimer) clearInterval(connection.enquireTimer);
    if (connection.probe) clearTimeout(connection.probe);
    const lost = [...connection.inFlight.values()];
    connection.inFlight.clear();
    for (const pending of lost) {
      this.settle(pending, new SmppSubmitError('CONNECTION_LOST', 'the SMPP link dropped while the submit awaited its response', true, true));
    }
    if (this.current !== connection) return;
    this.current = null;
    const fields = { connectionId: connection.id, lostInFlight: lost.length, queued: this.queue.length };
    if (this.currentState === 'closed') this.log.info(fields, 'smpp link closed');
    else this.log.warn(fields, 'smpp link lost');
    this.emit('disconnected', { connectionId: connection.id, reason: lost.length > 0 ? 'closed with submits in flight' : 'closed' });
    if (this.currentState === 'closed') return;
    this.currentState = 'disconnected';
    const { initialMs, maxMs, factor } = this.reconnectPolicy;
    const base = Math.min(maxMs, initialMs * factor ** this.reconnectAttempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.reconnectAttempt += 1;
    this.log.info({ attempt: this.reconnectAttempt, delayMs: delay }, 'smpp reconnect scheduled');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  // --- submits ------------------------------------------------------------

  private takeReference(): number {
    const reference = this.nextReference;
    this.nextReference = (this.nextReference + 1) % 256;
    return reference;
  }

  private enqueue(pending: Pending): void {
    pending.status = 'queued';
    // keep submission order, also for submits put back after a throttle
    let index = this.queue.length;
    while (index > 0 && this.queue[index - 1]!.order > pending.order) index--;
    this.queue.splice(index, 0, pending);
    const wait = Math.max(0, pending.deadline - Date.now());
    pending.queueTimer = setTimeout(() => {
      if (pending.status !== 'queued') return;
      this.removeFromQueue(pending);
      const bound = this.currentState === 'bound';
      this.settle(
        pending,
        bound
          ? new SmppSubmitError(pending.throttleRetries > 0 ? 'THROTTLED' : 'QUEUE_TIMEOUT', 'the submit waited too long for the SMSC to take it', true, false)
          : new SmppSubmitError('NOT_CONNECTED', 'no bound SMPP link within the queue timeout', true, false),
      );
    }, wait);
  }

  /**
   * One listener per signal, not per submit: a caller queues thousands of
   * parts under one signal, and EventTarget listeners are costly to add and
   * remove. An abort drops the submits still queued (those in flight await
   * their answer); the listener goes once every submit under it is settled.
   */
  private watchAbort(pending: Pending, signal: AbortSignal): void {
    pending.signal = signal;
    let watch = this.abortWatches.get(signal);
    if (!watch) {
      const pendings = new Set<Pending>();
      watch = {
        pendings,
        onAbort: () => {
          this.abortWatches.delete(signal);
          for (const aborted of [...pendings]) {
            if (aborted.status !== 'queued') continue;
            this.removeFromQueue(aborted);
            this.settle(aborted, new SmppSubmitError('ABORTED', 'the submit was aborted before it was sent', true, false));
          }
        },
      };
      this.abortWatches.set(signal, watch);
      signal.addEventListener('abort', watch.onAbort, { once: true });
    }
    watch.pendings.add(pending);
  }

  private unwatchAbort(pending: Pending): void {
    const watch = pending.signal && this.abortWatches.get(pending.signal);
    if (!watch || !watch.pendings.delete(pending) || watch.pendings.size > 0) return;
    this.abortWatches.delete(pending.signal!);
    pending.signal!.removeEventListener('abort', watch.onAbort);
  }

  private removeFromQueue(pending: Pending): void {
    const index = this.queue.indexOf(pending);
    if (index !== -1) this.queue.splice(index, 1);
  }

  private settle(pending: Pending, outcome: SubmitResult | SmppSubmitError): void {
    if (pending.status === 'settled') return;
    pending.status = 'settled';
    if (pending.queueTimer) clearTimeout(pending.queueTimer);
    if (pending.responseTimer) clearTimeout(pending.responseTimer);
    this.unwatchAbort(pending);
    if (outcome instanceof SmppSubmitError) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private pump(): void {
    const connection = this.current;
    if (!connection || !connection.bound || connection.closed) return;
    const now = Date.now();
    if (now < this.pausedUntil) {
      if (!this.resumeTimer) {
        this.resumeTimer = setTimeout(() => {
          this.resumeTimer = undefined;
          this.pump();
        }, this.pausedUntil - now);
      }
      return;
    }
    while (connection.inFlight.size < this.windowSize && this.queue.length > 0) {
      const pending = this.queue.shift()!;
      if (!this.send(connection, pending)) {
        this.queue.unshift(pending);
        return;
      }
    }
  }

  private buildSubmit(part: SubmitPart): Buffer {
    const encoding = part.encoding ?? (isGsm7(part.text) ? 'GSM7' : 'UCS2');
    if (encoding === 'GSM7' && !isGsm7(part.text)) throw new RangeError('the part is not GSM-7 text');
    const payload = encoding === 'GSM7' ? encodeGsm7(part.text) : encodeUcs2(part.text);
    const udh = part.concat ? concatUdh(part.concat) : undefined;
    const shortMessage = udh ? Buffer.concat([udh, payload]) : payload;
    if (shortMessage.length > 254) throw new RangeError(`the part is too long for one submit_sm (${shortMessage.length} octets)`);
    const national = this.options.destinationFormat === 'national';
    const digits = part.destination.replace(/^\+/, '');
    const destination = national ? digits.replace(/^86(?=1\d{10}$)/, '') : digits;
    const international = !national && (part.destination.startsWith('+') || /^86\d{11}$/.test(digits));
    const alphanumericSource = /[^0-9+]/.test(part.source);
    return encodeSubmitSm({
      serviceType: '',
      sourceTon: alphanumericSource ? 5 : 0,
      sourceNpi: alphanumericSource ? 0 : 1,
      source: part.source,
      destinationTon: international ? 1 : 0,
      destinationNpi: 1,
      destination,
      esmClass: udh ? ESM_CLASS.UDH_INDICATOR : ESM_CLASS.DEFAULT,
      registeredDelivery: this.options.registeredDelivery === false ? 0 : 1,
      dataCoding: encoding === 'GSM7' ? DATA_CODING.SMSC_DEFAULT : DATA_CODING.UCS2,
      shortMessage,
    });
  }

  /**
   * Sends a PDU; what one turn of the event loop sends goes out in one socket
   * write: a read that brings several submit_sm_resp frees as many window
   * slots, and each is refilled at once.
   */
  private write(connection: Connection, pdu: OutgoingPdu, onResponse?: (resp: PDU) => void): boolean {
    if (!connection.corked) {
      const { socket } = connection.session;
      connection.corked = true;
      socket.cork();
      process.nextTick(() => {
        connection.corked = false;
        socket.uncork();
      });
    }
    return connection.session.send(pdu, onResponse);
  }

  private send(connection: Connection, pending: Pending): boolean {
    const pdu = new EncodedPdu('submit_sm', pending.encoded);
    const sent = this.write(connection, pdu, (resp: PDU) => this.onSubmitResponse(connection, pending, resp));
    if (!sent) return false;
    if (pending.queueTimer) clearTimeout(pending.queueTimer);
    pending.status = 'inflight';
    pending.connection = connection;
    pending.sequence = pdu.sequence_number;
    connection.inFlight.set(pdu.sequence_number, pending);
    pending.responseTimer = setTimeout(() => {
      if (pending.status !== 'inflight' || pending.connection !== connection) return;
      connection.inFlight.delete(pdu.sequence_number);
      this.log.warn({ connectionId: connection.id, sequence: pdu.sequence_number, correlationId: pending.part.correlationId }, 'smpp submit_sm response timed out');
      this.settle(pending, new SmppSubmitError('RESPONSE_TIMEOUT', 'no submit_sm_resp within the response timeout', true, true));
      this.sendEnquireLink(connection);
      this.pump();
    }, this.responseTimeoutMs);
    return true;
  }

  private onSubmitResponse(connection: Connection, pending: Pending, resp: PDU): void {
    if (pending.status !== 'inflight' || pending.connection !== connection) return;
    connection.inFlight.delete(resp.sequence_number);
    if (pending.responseTimer) clearTimeout(pending.responseTimer);
    const status = resp.command_status;
    const ids = { connectionId: connection.id, sequence: resp.sequence_number, correlationId: pending.part.correlationId };
    if (status === STATUS.ESME_ROK) {
      this.consecutiveThrottles = 0;
      const messageId = String(resp.message_id ?? '');
      this.log.debug?.({ ...ids, messageId }, 'smpp submit accepted');
      this.settle(pending, { messageId });
    } else if (status === STATUS.ESME_RTHROTTLED || status === STATUS.ESME_RMSGQFUL) {
      this.throttledTotal += 1;
      pending.throttleRetries += 1;
      if (pending.throttleRetries > this.throttlePolicy.maxRetries) {
        this.settle(pending, new SmppSubmitError('THROTTLED', `the SMSC kept answering ${statusName(status)}`, true, false, status));
      } else {
        const { initialMs, maxMs } = this.throttlePolicy;
        const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.consecutiveThrottles, 20));
        this.consecutiveThrottles += 1;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
        this.log.info({ ...ids, commandStatus: status, delayMs: delay }, 'smpp throttled: submit requeued');
        this.enqueue(pending);
      }
    } else {
      this.log.warn({ ...ids, commandStatus: status }, 'smpp submit refused');
      this.settle(pending, new SmppSubmitError('REJECTED', `submit_sm refused: ${statusName(status)}`, TRANSIENT_STATUSES.has(status), false, status));
    }
    this.pump();
  }

  // --- deliver_sm: receipts and MO ----------------------------------------

  private onDeliver(connection: Connection, pdu: PDU): void {
    const answer = () => {
      if (!connection.closed) this.write(connection, new EncodedPdu('deliver_sm_resp', DELIVER_SM_RESP, pdu.sequence_number));
    };
    try {
      const esmClass = Number(pdu.esm_class ?? 0);
      const dataCoding = Number(pdu.data_coding ?? 0);
      const payload = pdu.message_payload !== undefined && pdu.short_message === undefined ? pdu.message_payload : pdu.short_message;
      const { text, udh } = shortMessageText(payload, dataCoding);
      const messageType = esmClass & 0x3c;
      if (messageType === ESM_CLASS.DELIVERY_RECEIPT || messageType === 0x08 || messageType === 0x20) {
        this.onReceipt(pdu, text, answer);
      } else {
        answer();
        this.onMo(pdu, text, concatFromUdh(udh));
      }
    } catch (error) {
      answer();
      this.log.error({ connectionId: connection.id, error: error instanceof Error ? error.message : String(error) }, 'smpp deliver_sm not understood');
    }
  }

  private onReceipt(pdu: PDU, text: string, answer: () => void): void {
    const parsed = parseReceiptText(text);
    const messageId = typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id !== '' ? pdu.receipted_message_id : parsed?.id;
    if (!messageId) {
      answer();
      this.log.warn({}, 'smpp receipt without a message id ignored');
      return;
    }
    const stat = parsed?.stat ?? statFromState(pdu.message_state);
    const receipt: DeliveryReceipt = {
      messageId,
      outcome: receiptOutcome(stat),
      stat,
      error: parsed?.err ?? null,
      recipient: String(pdu.source_addr ?? ''),
      receivedAt: new Date(),
    };
    this.log.debug?.({ messageId, stat }, 'smpp delivery receipt');
    let holds = 0;
    let emitted = false;
    const hold = () => {
      holds += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds -= 1;
        if (holds === 0 && emitted) answer();
      };
    };
    this.emit('receipt', receipt, { hold });
    emitted = true;
    if (holds === 0) answer();
  }

  private onMo(pdu: PDU, text: string, concat: ConcatInfo | null): void {
    const source = String(pdu.source_addr ?? '');
    const destination = String(pdu.destination_addr ?? '');
    if (!concat || concat.total <= 1) return this.emitMo(source, destination, text, 1);
    const key = `${source}\u0001${destination}\u0001${concat.reference}\u0001${concat.total}`;
    let fragments = this.moFragments.get(key);
    if (!fragments) {
      const timer = setTimeout(() => {
        this.moFragments.delete(key);
        this.log.warn({ reference: concat.reference, total: concat.total }, 'smpp incomplete concatenated MO message given up');
      }, this.options.moReassemblyMs ?? 300_000);
      fragments = { parts: new Map(), total: concat.total, timer, destination };
      this.moFragments.set(key, fragments);
    }
    fragments.parts.set(concat.sequence, text);
    if (fragments.parts.size < fragments.total) return;
    clearTimeout(fragments.timer);
    this.moFragments.delete(key);
    const whole = [...fragments.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part).join('');
    this.emitMo(source, destination, whole, fragments.total);
  }

  private emitMo(source: string, destination: string, text: string, parts: number): void {
    const normalized = normalizeRecipient(source);
    this.log.debug?.({ parts }, 'smpp MO message');
    this.emit('mo', { source, sourceE164: normalized.ok ? normalized.e164 : null, destination, text, parts, receivedAt: new Date() });
  }
}

function statFromState(state: unknown): string {
  switch (state) {
    case MESSAGE_STATE.DELIVERED:
      return 'DELIVRD';
    case MESSAGE_STATE.EXPIRED:
      return 'EXPIRED';
    case MESSAGE_STATE.DELETED:
      return 'DELETED';
    case MESSAGE_STATE.UNDELIVERABLE:
      return 'UNDELIV';
    case MESSAGE_STATE.ACCEPTED:
      return 'ACCEPTD';
    case MESSAGE_STATE.REJECTED:
      return 'REJECTD';
    case MESSAGE_STATE.ENROUTE:
      return 'ENROUTE';
    default:
      return 'UNKNOWN';
  }
}

/** The transport; it connects on `start()` or on the first submit. */
export function createSmppTransport(options: SmppTransportOptions): SmppTransport {
  return new Transport(options);
}
