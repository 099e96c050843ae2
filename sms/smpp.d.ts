/**
 * The parts of the `smpp` package (0.5.1, untyped JavaScript, no @types
 * package) this project uses.
 */
declare module 'smpp' {
  import { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** Decoded short_message: text, or text plus the user data header elements. */
  export type ShortMessage = Buffer | string | { message: string | Buffer; udh?: Buffer[] };

  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    system_id?: string;
    password?: string;
    source_addr?: string;
    destination_addr?: string;
    source_addr_ton?: number;
    source_addr_npi?: number;
    dest_addr_ton?: number;
    dest_addr_npi?: number;
    esm_class?: number;
    data_coding?: number | null;
    registered_delivery?: number;
    short_message?: ShortMessage;
    message_payload?: ShortMessage;
    message_id?: string;
    receipted_message_id?: string;
    message_state?: number;
    [tlv: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
  }

  export type ResponseCallback = (pdu: PDU) => void;

  /** What `Session.send` uses of a PDU: a request is numbered, then written as `toBuffer()` returns it. */
  export type OutgoingPdu = { command: string; sequence_number: number; isResponse(): boolean; toBuffer(): Buffer };

  export class Session extends EventEmitter {
    constructor(options: Record<string, unknown>);
    socket: Socket;
    server?: Server;
    send(pdu: PDU | OutgoingPdu, responseCallback?: ResponseCallback, sendCallback?: ResponseCallback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
    enquire_link(options?: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
    unbind(options?: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export function connect(options: Record<string, unknown>, listener?: () => void): Session;

  export const errors: Record<string, number>;
  export const consts: {
    ESM_CLASS: Record<string, number>;
    ENCODING: Record<string, number>;
    MESSAGE_STATE: Record<string, number>;
    REGISTERED_DELIVERY: Record<string, number>;
  };
  export const gsmCoder: {
    encode(text: string, table?: number): Buffer;
    decode(data: Buffer | number[], table?: number): string;
  };
}
