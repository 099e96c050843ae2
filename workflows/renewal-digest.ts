/**
 * The daily renewal digest, started by a Temporal Schedule at 09:00 Asia/Shanghai.
 */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';
import { nowIso } from './shared';

const acts = proxyActivities<ReturnType<typeof activities.createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export const DIGEST_HORIZON_DAYS = 60;
export const DIGEST_SCHEDULE_ID = 'renewal-digest';

export async function renewalDigest(input: { horizonDays?: number } = {}): Promise<{ id: string; owners: number; items: number }> {
  return acts.buildRenewalDigest({ asOf: nowIso(), horizonDays: input.horizonDays ?? DIGEST_HORIZON_DAYS });
}
