/**
 * SMS dispatch tests over the shared harness: a real SMSC simulator
 * in-process, the worker's transport bound to it (passed in the worker's
 * dependencies), real Postgres, the time-skipping Temporal server.
 */
import type { ContractTerms } from '../../domain/terms';
import { createSmsGateway, type SmsGateway, type SmsGatewaySettings } from '../../sms/gateway';
import { startSmscSimulator, type SmscSimulator } from '../../tools/smsc/simulator';
import { createHarness, type Harness } from '../support/harness';

export type SmsRig = { h: Harness; smsc: SmscSimulator; gateway: SmsGateway; close(): Promise<void> };

export async function startSmsRig(
  options: { settings?: Partial<SmsGatewaySettings>; receiptDelayMs?: number; windowSize?: number; /** lifecycle notices as SMS too (off: they would reach the simulator in other tests) */ systemSms?: boolean } = {},
): Promise<SmsRig> {
  const smsc = await startSmscSimulator({ port: 0, receiptDelayMs: options.receiptDelayMs ?? 20 });
  const gateway = createSmsGateway({
    url: smsc.url(),
    transportOptions: {
      windowSize: options.windowSize ?? 10,
      enquireLinkMs: 5_000,
      responseTimeoutMs: 2_000,
      reconnect: { initialMs: 50, maxMs: 500 },
      throttle: { initialMs: 20, maxMs: 200 },
    },
    settings: { ambiguousGraceMs: 1_500, ...options.settings },
  });
  await gateway.transport.start();
  const h = await createHarness({ activityDeps: { sms: gateway, systemSms: options.systemSms ?? false } });
  return {
    h,
    smsc,
    gateway,
    close: async () => {
      await h.close();
      await gateway.transport.close();
      await smsc.stop();
    },
  };
}

type TermsPatch = { sms?: Partial<ContractTerms['sms']>; package?: Partial<ContractTerms['package']>; partyA?: Partial<ContractTerms['partyA']> };

/** A contract signed by both parties (active), with the reference terms patched. */
export async function activeContract(h: Harness, patch: TermsPatch = {}): Promise<{ id: string; number: string }> {
  const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body as { terms: ContractTerms };
  const terms = { ...template.terms, sms: { ...template.terms.sms, ...patch.sms }, package: { ...template.terms.package, ...patch.package }, partyA: { ...template.terms.partyA, ...patch.partyA } };
  const created = await h.api('sales').post('/api/contracts', { terms });
  if (created.status !== 201) throw new Error(`contract not created: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  for (const party of ['A', 'B']) {
    const signed = await h.api('sales').post(`/api/contracts/${id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true });
    if (signed.status !== 200) throw new Error(`signature ${party} refused: ${signed.status} ${JSON.stringify(signed.body)}`);
  }
  for (let i = 0; i < 200; i++) {
    const { rows } = await h.database.db.query(`SELECT status FROM contracts WHERE id = $1`, [id]);
    if (rows[0]?.status === 'active') return { id, number: created.body.number as string };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the contract did not become active');
}

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The next instant strictly after `now` that reads HH:MM:SS in Asia/Shanghai. */
export function nextShanghai(now: number, clock: string): number {
  const [h, m, s] = clock.split(':').map(Number) as [number, number, number | undefined];
  const local = now + SHANGHAI_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  let target = dayStart + ((h * 60 + m) * 60 + (s ?? 0)) * 1000;
  if (target <= local) target += DAY_MS;
  return target - SHANGHAI_MS;
}

/** Skips the time-skipping server's clock to the next HH:MM(:SS) Asia/Shanghai; returns that instant. */
export async function skipToShanghai(h: Harness, clock: string): Promise<number> {
  const now = await h.env.currentTimeMs();
  const target = nextShanghai(now, clock);
  await h.env.sleep(target - now);
  return target;
}

export async function waitUntil(predicate: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Message statuses of a submission, by status. */
export async function statusCounts(h: Harness, submissionId: string): Promise<Record<string, number>> {
  const { rows } = await h.database.db.query('SELECT status, count(*)::int AS n FROM sms_messages WHERE submission_id = $1 GROUP BY status', [submissionId]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export const SIGNATURE = '【内蒙古自治区地震局】';
/** Fictitious numbers: 13800000001, 13800000002, … */
export const number = (n: number) => `138${String(n).padStart(8, '0')}`;
export const onTheWire = (n: number) => `86${number(n)}`;
