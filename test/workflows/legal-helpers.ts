/**
 * Helpers for the legal case tests (legal-*.test.ts): contracts in force,
 * moving the time-skipping server's clock to a given Shanghai day, and
 * waiting for what workflows do in the background.
 */
import { afterAll, beforeAll } from 'vitest';
import { computeDeadline } from '../../domain/periods';
import { addDays, atShanghaiTime, shanghaiDate } from '../../domain/time';
import { createHarness, type Harness, type HarnessOptions } from '../support/harness';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Each describe block gets its own time-skipping server: a block that moves the clock cannot disturb another. */
export function ownServer(options: HarnessOptions = {}): { get: () => Harness } {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await createHarness(options);
  });
  afterAll(async () => {
    await h?.close();
  });
  return { get: () => h! };
}

export type ActiveContract = { id: string; number: string; effectiveAt: string };

/** A contract both parties signed (on paper `signedDaysAgo` days ago, by the server's clock). */
export async function activeContract(h: Harness, options: { signedDaysAgo?: number } = {}): Promise<ActiveContract> {
  const template = await h.api('sales').get('/api/templates/reference').expect(200);
  const created = await h.api('sales').post('/api/contracts', template.body).expect(201);
  const id = created.body.id as string;
  const signedAt = options.signedDaysAgo ? new Date((await h.env.currentTimeMs()) - options.signedDaysAgo * DAY_MS).toISOString() : undefined;
  for (const party of ['A', 'B']) {
    const res = await h.api('sales').post(`/api/contracts/${id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true, ...(signedAt ? { signedAt } : {}) });
    if (res.status !== 200) throw new Error(`signing failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const detail = (await h.api('sales').get(`/api/contracts/${id}`).expect(200)).body;
  return { id, number: detail.number as string, effectiveAt: detail.effectiveAt as string };
}

export const serverNow = async (h: Harness) => h.env.currentTimeMs();

/** Moves the server's clock forward to the instant (never back). */
export { sleepUntil } from '../support/flows';

/** Noon (Asia/Shanghai) of day n counted from the day after the trigger's local date (Civil Code Art. 201). */
export const dayNoon = (trigger: string | number, n: number): number => atShanghaiTime(addDays(shanghaiDate(new Date(trigger)), n), '12:00').getTime();

/**
 * A moment up to two weeks back whose `days`-day 'act' period ends on its
 * nominal day (not moved past rest days), so that "day N" of the period is
 * the same whatever today is.
 */
export function triggerWithUnextendedPeriod(now: number, days: number, notBefore = -Infinity): string {
  for (let back = 1; back <= 14; back++) {
    const trigger = new Date(now - back * DAY_MS).toISOString();
    if (Date.parse(trigger) < notBefore) break;
    const deadline = computeDeadline({ from: trigger, period: { unit: 'days', amount: days }, rule: 'act' });
    if (deadline.extendedFrom === null && dayNoon(trigger, days - 1) > now) return trigger;
  }
  throw new Error(`no trigger in the last two weeks whose ${days}-day period ends on a working day`);
}

/** Polls (in real time) until fn returns something truthy. */
export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function caseRow(h: Harness, id: string) {
  const { rows } = await h.database.db.query('SELECT * FROM legal_cases WHERE id = $1', [id]);
  return rows[0] as Record<string, any> | undefined;
}

export async function caseStatus(h: Harness, id: string): Promise<string | undefined> {
  return (await caseRow(h, id))?.status;
}

export async function notificationsOf(h: Harness, where: { contractId?: string | null; reason?: string }) {
  const { rows } = await h.database.db.query(
    `SELECT id, contract_id, audience, reason, subject, body, created_at FROM notifications
      WHERE ($1::text IS NULL OR contract_id = $1) AND ($2::text IS NULL OR reason = $2) ORDER BY created_at, id`,
    [where.contractId ?? null, where.reason ?? null],
  );
  return rows as { id: string; contract_id: string | null; audience: string; reason: string; subject: string; body: string }[];
}

export async function auditTypes(h: Harness, contractId: string): Promise<string[]> {
  const { rows } = await h.database.db.query('SELECT type FROM audit_events WHERE contract_id = $1 ORDER BY id', [contractId]);
  return rows.map((r) => r.type as string);
}

/** A tiny valid-looking PDF, as a client would upload it. */
export const SAMPLE_PDF_BASE64 = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n').toString('base64');
