import { groupByOwner, openDeadlinesWithin, storeDigest, type Digest } from '../db/digests';
import { recordNotification } from '../db/notifications';
import { enqueueUserDeliveries } from '../db/staff-deliveries';
import { shanghaiDate } from '../domain/time';
import type { ActivityDeps } from './deps';

export function createDigestActivities({ db }: ActivityDeps) {
  return {
    /**
     * Builds, stores and sends the renewal digest as of the given instant (one per Shanghai date): each owner's
     * notification, with its e-mail and SMS owed in the same transaction (sent by the staff deliverer).
     */
    async buildRenewalDigest(input: { asOf: string; horizonDays: number }): Promise<{ id: string; owners: number; items: number }> {
      const rows = await openDeadlinesWithin(db, input.asOf, input.horizonDays);
      const digest: Digest = {
        id: shanghaiDate(input.asOf),
        generatedAt: new Date().toISOString(),
        horizonDays: input.horizonDays,
        asOf: input.asOf,
        groups: groupByOwner(rows),
      };
      await storeDigest(db, digest);
      for (const group of digest.groups) {
        const counts = [group.renewalWindows.length, group.termsEnding.length, group.payments.length, group.cures.length];
        const partlyPaid = group.payments.filter((p) => p.invoice?.status === 'partially_paid').length;
        const notificationId = `digest:${digest.id}:${group.ownerId}`;
        // the SMS is recorded under the contract whose deadline comes first (Party B's own message: no quota)
        const soonest = [...group.renewalWindows, ...group.termsEnding, ...group.payments, ...group.cures].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
        await db.withTransaction(async (tx) => {
          await recordNotification(tx, {
            id: notificationId,
            contractId: null,
            audience: 'owner',
            recipient: group.ownerName,
            phone: null,
            reason: 'renewal_digest',
            subject: `续约与期限日报 ${digest.id}`,
            body: `未来 ${input.horizonDays} 天：续约异议期 ${counts[0]} 项，合同到期 ${counts[1]} 项，付款期限 ${counts[2]} 项${partlyPaid ? `（其中已部分付款 ${partlyPaid} 项）` : ''}，纠正期限 ${counts[3]} 项。`,
          });
          // and outside the console: e-mail and SMS to the owner, owed with the notification (once per owner and day)
          await enqueueUserDeliveries(tx, { notificationId, userId: group.ownerId, contractId: soonest?.contractId ?? null });
        });
      }
      return { id: digest.id, owners: digest.groups.length, items: rows.length };
    },
  };
}
