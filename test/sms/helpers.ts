import { createSmppTransport, type SmppLogger, type SmppTransport, type SmppTransportOptions } from '../../sms/smpp-client';
import { startSmscSimulator, type SmscSimulator, type SmscSimulatorOptions } from '../../tools/smsc/simulator';

/** Polls until the predicate holds, or fails after the timeout. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A logger that records what it is given, to check that no number or text leaks into logs. */
export function recordingLogger(): SmppLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (fields: Record<string, unknown>, message: string) => {
    lines.push(`${message} ${JSON.stringify(fields)}`);
  };
  return { lines, debug: record, info: record, warn: record, error: record };
}

export type Rig = { smsc: SmscSimulator; transport: SmppTransport; logger: ReturnType<typeof recordingLogger>; stop(): Promise<void> };

/** An in-process simulator on a free port and a transport bound to it. */
export async function startRig(
  simulatorOptions: SmscSimulatorOptions = {},
  transportOptions: Partial<SmppTransportOptions> = {},
): Promise<Rig> {
  const smsc = await startSmscSimulator({ port: 0, receiptDelayMs: 20, ...simulatorOptions });
  const logger = recordingLogger();
  const transport = createSmppTransport({
    url: smsc.url(),
    windowSize: 5,
    enquireLinkMs: 1_000,
    responseTimeoutMs: 2_000,
    reconnect: { initialMs: 50, maxMs: 500 },
    throttle: { initialMs: 20, maxMs: 200 },
    logger,
    ...transportOptions,
  });
  await transport.start();
  return {
    smsc,
    transport,
    logger,
    stop: async () => {
      await transport.close();
      await smsc.stop();
    },
  };
}
