/**
 * SMPP 3.4 details of the transport (sms/smpp-client.ts): data codings, the
 * concatenation user data header, reading delivery receipt text, command
 * status names, the smpp:// URL. The SMSC simulator (tools/smsc/) uses them
 * too; what only an SMSC writes (receipt text) is in tools/smsc/receipts.ts.
 * Node code (Buffer); not imported by workflows.
 */
import { gsmCoder, type ShortMessage } from 'smpp';

export const DATA_CODING = { SMSC_DEFAULT: 0x00, UCS2: 0x08 } as const;
export const ESM_CLASS = { DEFAULT: 0x00, DELIVERY_RECEIPT: 0x04, UDH_INDICATOR: 0x40 } as const;
export const MESSAGE_STATE = { ENROUTE: 1, DELIVERED: 2, EXPIRED: 3, DELETED: 4, UNDELIVERABLE: 5, ACCEPTED: 6, UNKNOWN: 7, REJECTED: 8 } as const;

/** The command statuses this project acts on (SMPP 3.4 §5.1.3). */
export const STATUS = {
  ESME_ROK: 0x0000,
  ESME_RINVMSGLEN: 0x0001,
  ESME_RINVBNDSTS: 0x0004,
  ESME_RALYBND: 0x0005,
  ESME_RSYSERR: 0x0008,
  ESME_RINVDSTADR: 0x000b,
  ESME_RBINDFAIL: 0x000d,
  ESME_RINVPASWD: 0x000e,
  ESME_RINVSYSID: 0x000f,
  ESME_RMSGQFUL: 0x0014,
  ESME_RSUBMITFAIL: 0x0045,
  ESME_RTHROTTLED: 0x0058,
  ESME_RX_T_APPN: 0x0064,
  ESME_RINVCMDID: 0x0003,
  ESME_RUNKNOWNERR: 0x00ff,
} as const;

const STATUS_NAMES = new Map<number, string>(Object.entries(STATUS).map(([name, code]) => [code, name]));

/** "ESME_RTHROTTLED (0x58)" */
export function statusName(status: number): string {
  return `${STATUS_NAMES.get(status) ?? 'status'} (0x${status.toString(16)})`;
}

/** Statuses that say "not now": the same submit may succeed later. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([STATUS.ESME_RSYSERR, STATUS.ESME_RMSGQFUL, STATUS.ESME_RTHROTTLED, STATUS.ESME_RX_T_APPN]);

export type ConcatInfo = { reference: number; total: number; sequence: number };

/** The concatenation header with an 8-bit reference: 05 00 03 ref total seq (3GPP TS 23.040 §9.2.3.24.1). */
export function concatUdh(concat: ConcatInfo): Buffer {
  const { reference, total, sequence } = concat;
  if (!Number.isInteger(reference) || reference < 0 || reference > 255) throw new RangeError('concatenation reference must be 0..255');
  if (!Number.isInteger(total) || total < 1 || total > 255) throw new RangeError('concatenated total must be 1..255');
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > total) throw new RangeError('concatenated sequence must be 1..total');
  return Buffer.from([0x05, 0x00, 0x03, reference, total, sequence]);
}

/** The concatenation element among decoded UDH elements (8-bit IEI 0x00 or 16-bit IEI 0x08). */
export function concatFromUdh(elements: readonly Buffer[] | undefined): ConcatInfo | null {
  for (const element of elements ?? []) {
    if (element[0] === 0x00 && element[1] === 3 && element.length >= 5) {
      return { reference: element[2]!, total: element[3]!, sequence: element[4]! };
    }
    if (element[0] === 0x08 && element[1] === 4 && element.length >= 6) {
      return { reference: element.readUInt16BE(2), total: element[4]!, sequence: element[5]! };
    }
  }
  return null;
}

/** The fields of a submit_sm this project sends (SMPP 3.4 §4.4.1); the rest are 0 or empty. */
export type SubmitSmFields = {
  serviceType: string;
  sourceTon: number;
  sourceNpi: number;
  source: string;
  destinationTon: number;
  destinationNpi: number;
  destination: string;
  esmClass: number;
  registeredDelivery: number;
  dataCoding: number;
  shortMessage: Buffer;
};

export const COMMAND_ID = { SUBMIT_SM: 0x00000004, DELIVER_SM_RESP: 0x80000005 } as const;
const HEADER_OCTETS = 16;

/** The 16-octet header; the sequence number stays 0 until the PDU is sent. */
function writeHeader(pdu: Buffer, commandId: number): void {
  pdu.writeUInt32BE(pdu.length, 0);
  pdu.writeUInt32BE(commandId >>> 0, 4);
  pdu.writeUInt32BE(0, 8);
  pdu.writeUInt32BE(0, 12);
}

/** A whole PDU of a header and the given body. */
export function encodePdu(commandId: number, body: Buffer): Buffer {
  const pdu = Buffer.allocUnsafe(HEADER_OCTETS + body.length);
  writeHeader(pdu, commandId);
  body.copy(pdu, HEADER_OCTETS);
  return pdu;
}

/** A whole submit_sm, octet for octet as the smpp package writes it, without its per-field lookups. */
export function encodeSubmitSm(f: SubmitSmFields): Buffer {
  const cstrings = f.serviceType.length + f.source.length + f.destination.length + 3;
  // 2 TON/NPI pairs, esm_class, protocol_id, priority_flag, 2 empty times, registered_delivery, replace_if_present, data_coding, sm_default_msg_id, sm_length
  const pdu = Buffer.allocUnsafe(HEADER_OCTETS + cstrings + 4 + 3 + 2 + 4 + 1 + f.shortMessage.length);
  writeHeader(pdu, COMMAND_ID.SUBMIT_SM);
  let at = HEADER_OCTETS;
  const cstring = (value: string) => {
    at += pdu.write(value, at, 'ascii');
    pdu[at++] = 0;
  };
  const octet = (value: number) => {
    pdu[at++] = value;
  };
  cstring(f.serviceType);
  octet(f.sourceTon);
  octet(f.sourceNpi);
  cstring(f.source);
  octet(f.destinationTon);
  octet(f.destinationNpi);
  cstring(f.destination);
  octet(f.esmClass);
  octet(0); // protocol_id
  octet(0); // priority_flag
  cstring(''); // schedule_delivery_time: now
  cstring(''); // validity_period: the SMSC's default
  octet(f.registeredDelivery);
  octet(0); // replace_if_present_flag
  octet(f.dataCoding);
  octet(0); // sm_default_msg_id
  octet(f.shortMessage.length);
  f.shortMessage.copy(pdu, at);
  return pdu;
}

export function encodeUcs2(text: string): Buffer {
  const buffer = Buffer.from(text, 'utf16le');
  return buffer.swap16();
}

export function decodeUcs2(data: Buffer): string {
  const copy = Buffer.from(data.subarray(0, data.length - (data.length % 2)));
  return copy.swap16().toString('utf16le');
}

/** GSM 03.38 default alphabet, one septet per octet (unpacked), as SMPP carries it. */
export function encodeGsm7(text: string): Buffer {
  return gsmCoder.encode(text, 0);
}

/**
 * The text of a decoded short_message (the smpp package decodes UCS-2 and the
 * GSM default alphabet itself and splits off the UDH when esm_class says so).
 */
export function shortMessageText(message: ShortMessage | undefined, dataCoding: number | null | undefined): { text: string; udh: Buffer[] | undefined } {
  if (message === undefined) return { text: '', udh: undefined };
  if (typeof message === 'string') return { text: message, udh: undefined };
  if (Buffer.isBuffer(message)) return { text: decodeRaw(message, dataCoding), udh: undefined };
  const text = typeof message.message === 'string' ? message.message : decodeRaw(message.message, dataCoding);
  return { text, udh: message.udh };
}

function decodeRaw(data: Buffer, dataCoding: number | null | undefined): string {
  if (((dataCoding ?? 0) & 0x0f) === DATA_CODING.UCS2) return decodeUcs2(data);
  return data.toString('latin1');
}

export type ReceiptOutcome = 'delivered' | 'failed' | 'expired' | 'pending';

export function receiptOutcome(stat: string): ReceiptOutcome {
  switch (stat.toUpperCase()) {
    case 'DELIVRD':
      return 'delivered';
    case 'EXPIRED':
      return 'expired';
    case 'UNDELIV':
    case 'REJECTD':
    case 'DELETED':
      return 'failed';
    default:
      // ACCEPTD, ENROUTE, UNKNOWN: not final
      return 'pending';
  }
}

export type ParsedReceipt = { id: string; stat: string; err: string | null; submitDate: string | null; doneDate: string | null };

/** Parses the conventional receipt text; null when the text is not a receipt. */
export function parseReceiptText(text: string): ParsedReceipt | null {
  const id = /(?:^|\s)id:(\S+)/i.exec(text)?.[1];
  const stat = /(?:^|\s)stat:(\S+)/i.exec(text)?.[1];
  if (!id || !stat) return null;
  return {
    id,
    stat: stat.toUpperCase(),
    err: /(?:^|\s)err:(\S+)/i.exec(text)?.[1] ?? null,
    submitDate: /submit date:(\d{10,12})/i.exec(text)?.[1] ?? null,
    doneDate: /done date:(\d{10,12})/i.exec(text)?.[1] ?? null,
  };
}

/** smpp://system_id:password@host:port */
export type SmppEndpoint = { host: string; port: number; systemId: string; password: string };

export function parseSmppUrl(url: string): SmppEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError('the SMPP url must look like smpp://system_id:password@host:port');
  }
  if (parsed.protocol !== 'smpp:') throw new RangeError('the SMPP url must use the smpp: scheme');
  const systemId = decodeURIComponent(parsed.username);
  if (!systemId) throw new RangeError('the SMPP url must carry a system_id');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 2775,
    systemId,
    password: decodeURIComponent(parsed.password),
  };
}
