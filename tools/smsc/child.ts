/**
 * The SMSC simulator `npm start` runs as a child process when SMPP_URL is
 * unset (tools/smsc/simulator.ts): where it listens, the URL scripts/start.ts
 * hands the worker, and its HTTP control API (inject MO replies, throttle,
 * drop, fail: see the simulator's header). With SMPP_URL set, a real SMSC is
 * used and none runs; in production scripts/start.ts requires SMPP_URL and so
 * never runs one.
 */
import { DEFAULT_SMPP_URL, type SmsSettings } from '../../platform/sms-config';
import { parseSmppUrl } from '../../sms/protocol';

/** the simulator's HTTP control API beside its SMPP port (DEFAULT_SMPP_URL) */
export const DEFAULT_SMSC_CONTROL_URL = 'http://127.0.0.1:2776';

export type SimulatorChild = { url: string; address: string; host: string; port: number; controlPort: number; controlUrl: string; args: string[] };

/** The simulator to run beside the worker, or null when SMPP_URL names an SMSC. */
export function smscSimulatorChild(settings: SmsSettings): SimulatorChild | null {
  if (settings.smppUrlConfigured) return null;
  const smpp = parseSmppUrl(DEFAULT_SMPP_URL);
  const control = new URL(DEFAULT_SMSC_CONTROL_URL);
  return {
    url: DEFAULT_SMPP_URL,
    address: `${smpp.host}:${smpp.port}`,
    host: smpp.host,
    port: smpp.port,
    controlPort: Number(control.port),
    controlUrl: DEFAULT_SMSC_CONTROL_URL,
    args: [
      '--import', 'tsx', 'tools/smsc/simulator.ts',
      '--host', smpp.host,
      '--port', String(smpp.port),
      '--control-port', control.port,
      '--system-id', smpp.systemId,
      '--password', smpp.password,
    ],
  };
}
