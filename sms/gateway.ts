/**
 * The worker's one SMPP transport and the settings the dispatch activities
 * apply over it. The worker builds it from its SMS settings (SMPP_URL, read
 * once at its entry: platform/sms-config.ts); tests and the bench build it
 * over an SMSC simulator of theirs (tools/smsc/) and pass it in the activity
 * dependencies.
 *
 * Node code: not imported by workflows.
 */
import type { SmsSettings } from '../platform/sms-config';
import { createSmppTransport, type SmppLogger, type SmppTransport, type SmppTransportOptions } from './smpp-client';

export type SmsGatewaySettings = {
  /** messages read and planned at a time; an activity call sends chunk after chunk for up to 10 s (activities/sms.ts) */
  chunkMessages: number;
  /** how long an ambiguous part waits for a receipt before the policy applies */
  ambiguousGraceMs: number;
  /** resubmit: at least once (default); hold: at most once, the part stays `unknown` until a receipt or expiry */
  ambiguousPolicy: 'resubmit' | 'hold';
  /** how long the receiver gathers receipts before writing them */
  receiptFlushMs: number;
};

export type SmsGateway = {
  transport: SmppTransport;
  settings: SmsGatewaySettings;
  /** true when the gateway made the transport (and so closes it) */
  ownsTransport: boolean;
};

export const DEFAULT_GATEWAY_SETTINGS: SmsGatewaySettings = { chunkMessages: 1_000, ambiguousGraceMs: 60_000, ambiguousPolicy: 'resubmit', receiptFlushMs: 100 };

export type CreateSmsGatewayOptions = {
  /** an existing transport; otherwise one is made from `url` */
  transport?: SmppTransport;
  url?: string;
  transportOptions?: Partial<SmppTransportOptions>;
  settings?: Partial<SmsGatewaySettings>;
  logger?: SmppLogger;
};

export function createSmsGateway(options: CreateSmsGatewayOptions): SmsGateway {
  if (!options.transport && !options.url) throw new Error('an SMS gateway needs a transport or an smpp:// url');
  const transport =
    options.transport ??
    createSmppTransport({ url: options.url!, ...(options.logger ? { logger: options.logger } : {}), ...options.transportOptions });
  return { transport, settings: { ...DEFAULT_GATEWAY_SETTINGS, ...options.settings }, ownsTransport: !options.transport };
}

/** The gateway a worker makes from its SMS settings (platform/sms-config.ts). */
export function createSmsGatewayFromSettings(settings: SmsSettings, logger?: SmppLogger): SmsGateway {
  return createSmsGateway({
    url: settings.smppUrl,
    ...(logger ? { logger } : {}),
    transportOptions: { windowSize: settings.windowSize },
    settings: { ambiguousGraceMs: settings.ambiguousGraceMs, ambiguousPolicy: settings.ambiguousPolicy },
  });
}
