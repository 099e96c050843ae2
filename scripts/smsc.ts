/**
 * The SMSC simulator `npm start` runs as a child process when SMPP_URL is
 * unset (sms/simulator.ts): where it listens, the URL the worker binds to, and
 * its HTTP control API (inject MO replies, throttle, drop, fail: see the
 * simulator's header). With SMPP_URL set, a real SMSC is used and none runs.
 */
import { DEFAULT_SMPP_URL, DEFAULT_SMSC_CONTROL_URL, loadSmsSettings } from '../platform/sms-config';
import { parseSmppUrl } from '../sms/protocol';

export type SimulatorChild = { url: string; address: string; host: string; port: number; controlPort: number; controlUrl: string; args: string[] };

export function smscSimulatorChild(env: NodeJS.ProcessEnv = process.env): SimulatorChild | null {
  if (loadSmsSettings(env).smppUrlConfigured) return null;
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
      '--import', 'tsx', 'sms/simulator.ts',
      '--host', smpp.host,
      '--port', String(smpp.port),
      '--control-port', control.port,
      '--system-id', smpp.systemId,
      '--password', smpp.password,
    ],
  };
}
