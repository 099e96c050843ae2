/**
 * The daily renewal digest, started by a Temporal Schedule at 09:00 Asia/Shanghai.
 */
import { reporting } from './activity-proxies';
import { nowIso } from './shared';

export const DIGEST_HORIZON_DAYS = 60;
export const DIGEST_SCHEDULE_ID = 'renewal-digest';
/** When the schedule starts it each day, Beijing time (services/workflow-starts.ts; GET /api/digests says when the next comes). */
export const DIGEST_AT = { hour: 9, minute: 0 } as const;

export async function renewalDigest(input: { horizonDays?: number } = {}): Promise<{ id: string; owners: number; items: number }> {
  return reporting.buildRenewalDigest({ asOf: nowIso(), horizonDays: input.horizonDays ?? DIGEST_HORIZON_DAYS });
}
