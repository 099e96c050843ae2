/**
 * Work items and the digest outside the console: every minute a Temporal
 * Schedule starts this workflow, which sends what the staff delivery outbox
 * owes as of the workflow's time (activities/staff-deliveries.ts: e-mail over
 * SMTP, SMS through the dispatcher). The outbox rows are written with the
 * items themselves, so nothing is lost between runs; a run that dies leaves
 * its claims to the next one.
 */
import { delivering } from './activity-proxies';
import { nowIso } from './shared';

export const STAFF_DELIVERY_SCHEDULE_ID = 'staff-deliveries';
/** How often the schedule runs it. */
export const STAFF_DELIVERY_EVERY = '1 minute';

export type StaffDeliveriesResult = { sent: number; retrying: number; failed: number; skipped: number; interrupted: number };

export async function staffDeliveries(): Promise<StaffDeliveriesResult> {
  return delivering.deliverStaffNotices({ at: nowIso() });
}
