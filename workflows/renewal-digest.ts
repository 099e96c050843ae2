/**
 * The daily renewal digest, started by a Temporal Schedule at 09:00 Asia/Shanghai.
 */
import { reporting } from './activities';
import { nowIso } from './shared';

export const DIGEST_HORIZON_DAYS = 60;
export const DIGEST_SCHEDULE_ID = 'renewal-digest';

export async function renewalDigest(input: { horizonDays?: number } = {}): Promise<{ id: string; owners: number; items: number }> {
  return reporting.buildRenewalDigest({ asOf: nowIso(), horizonDays: input.horizonDays ?? DIGEST_HORIZON_DAYS });
}
