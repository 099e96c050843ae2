/**
 * The staff deliverer: sends what the delivery outbox owes (db/staff-deliveries.ts),
 * work items and the daily digest to the people they are addressed to.
 *
 * - E-mail over SMTP (deps.mailer, SMTP_URL): subject and text in Chinese,
 *   one stable Message-ID per row. Without a mailer nothing is e-mailed: the
 *   waiting e-mail rows are marked skipped, none is attempted.
 * - SMS through the one dispatcher (services/sms.ts `sendSystemNotice`):
 *   Party B's own message, signed 【中国联通】, recorded under the item's
 *   contract, never debited from the customer's quota, keyed by the row, so
 *   a resubmission replays instead of sending again. Off where lifecycle
 *   notices are (systemSms / SMS_SYSTEM_NOTICES).
 *
 * Each row is claimed with a lease before it is sent and marked sent right
 * after; a failed attempt is tried again later (1, 2, 4 … minutes, at most an
 * hour, up to STAFF_DELIVERY_MAX_ATTEMPTS); a permanent refusal (an SMTP 5xx,
 * a rejected SMS) fails at once; an item closed before its turn is skipped.
 * Run by workflows/staff-deliveries.ts on a Temporal Schedule every minute.
 */
import { Context } from '@temporalio/activity';
import { findContract } from '../db/contracts';
import {
  claimDueDeliveries,
  markDeliveryFailed,
  markDeliverySent,
  markDeliverySkipped,
  markSendStarted,
  skipChannel,
  type ClaimedDelivery,
} from '../db/staff-deliveries';
import {
  STAFF_DELIVERY_BATCH,
  STAFF_DELIVERY_LEASE_MS,
  STAFF_DELIVERY_MAX_ATTEMPTS,
  staffEmail,
  staffRetryDelayMs,
  staffSms,
  type StaffChannel,
} from '../domain/staff-notices';
import { createLogger } from '../platform/logger';
import { sendSystemNotice } from '../services/sms';
import type { ActivityDeps } from './deps';

export type DeliverStaffInput = {
  /** the deliverer's clock (the workflow's time): what is due, leases and the next attempts are counted from it */
  at: string;
  /** rows taken per batch; batches follow each other for up to `budgetMs` */
  limit?: number;
  budgetMs?: number;
};

export type DeliverStaffResult = {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
  /** e-mails found interrupted inside their SMTP transaction: marked unknown, not sent again */
  interrupted: number;
};

type Outcome = { kind: 'sent'; outcome: string } | { kind: 'failed'; error: string; permanent: boolean } | { kind: 'skipped'; reason: string };

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();

/** An SMTP answer that will not change on a retry (5xx); 4xx and connection failures are tried again. */
const permanentSmtp = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/** The notification id a staff SMS is keyed by: one dispatch per row, whatever happens to the deliverer. */
export const staffSmsNotificationId = (row: Pick<ClaimedDelivery, 'notificationId' | 'userId'>): string => `${row.notificationId}:staff:${row.userId}`;

export function createStaffDeliveryActivities(deps: ActivityDeps) {
  const { db } = deps;
  let logger = deps.logger;
  const log = () => (logger ??= createLogger({ level: 'silent' }));
  const smsEnabled = () => deps.systemSms ?? deps.smsSettings.systemNotices;

  function taskQueue(): string | undefined {
    if (deps.taskQueue) return deps.taskQueue;
    try {
      return Context.current().info.taskQueue;
    } catch {
      return undefined;
    }
  }

  async function email(row: ClaimedDelivery): Promise<Outcome> {
    const mail = staffEmail({ workItem: row.workItemId !== null, subject: row.subject, body: row.body, dueAt: row.dueAt });
    await markSendStarted(db, row.id);
    try {
      const sent = await deps.mailer!.send({ to: row.recipient, subject: mail.subject, text: mail.text, key: `staff-delivery-${row.id}` });
      return { kind: 'sent', outcome: `${sent.messageId} ${sent.response}`.trim() };
    } catch (error) {
      return { kind: 'failed', error: describe(error), permanent: permanentSmtp(error) };
    }
  }

  async function sms(row: ClaimedDelivery, queue: string): Promise<Outcome> {
    const contract = row.contractId ? await findContract(db, row.contractId) : null;
    if (!contract) return { kind: 'failed', error: `contract ${row.contractId} not found`, permanent: true };
    const text = staffSms({ workItem: row.workItemId !== null, subject: row.subject, body: row.body, dueAt: row.dueAt });
    await markSendStarted(db, row.id);
    try {
      const outcome = await sendSystemNotice(
        { db, temporal: deps.temporal!, taskQueue: queue, logger: log(), settings: deps.smsSettings, queryTimeoutMs: 5_000 },
        { contract, notificationId: staffSmsNotificationId(row), phone: row.recipient, subject: text.subject, body: text.body },
      );
      if (outcome.status === 'accepted' || outcome.status === 'held') return { kind: 'sent', outcome: `${outcome.submissionId} ${outcome.status}` };
      return { kind: 'failed', error: `${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`, permanent: true };
    } catch (error) {
      return { kind: 'failed', error: describe(error), permanent: false };
    }
  }

  async function settle(row: ClaimedDelivery, outcome: Outcome, at: string, result: DeliverStaffResult): Promise<void> {
    if (outcome.kind === 'sent') {
      await markDeliverySent(db, row.id, outcome.outcome);
      result.sent += 1;
    } else if (outcome.kind === 'skipped') {
      await markDeliverySkipped(db, row.id, outcome.reason);
      result.skipped += 1;
    } else {
      const giveUp = outcome.permanent || row.attempts >= STAFF_DELIVERY_MAX_ATTEMPTS;
      const nextAttemptAt = giveUp ? null : new Date(Date.parse(at) + staffRetryDelayMs(row.attempts)).toISOString();
      await markDeliveryFailed(db, { id: row.id, error: outcome.error, nextAttemptAt });
      if (giveUp) result.failed += 1;
      else result.retrying += 1;
      log().warn({ deliveryId: row.id, channel: row.channel, attempts: row.attempts, error: outcome.error, nextAttemptAt }, 'staff notice not delivered');
    }
  }

  return {
    /** Sends the due staff deliveries as of `at` (see the header); safe to run twice at once or again after a crash. */
    async deliverStaffNotices(input: DeliverStaffInput): Promise<DeliverStaffResult> {
      const result: DeliverStaffResult = { sent: 0, retrying: 0, failed: 0, skipped: 0, interrupted: 0 };
      const channels: StaffChannel[] = [];
      if (deps.mailer) channels.push('email');
      else result.skipped += await skipChannel(db, 'email', 'SMTP_URL is not set: shown in the console only');
      const queue = taskQueue();
      if (!smsEnabled()) result.skipped += await skipChannel(db, 'sms', 'staff SMS is off (SMS_SYSTEM_NOTICES)');
      else if (deps.temporal && queue) channels.push('sms');
      if (channels.length === 0) return result;

      const until = Date.now() + (input.budgetMs ?? 60_000);
      const limit = input.limit ?? STAFF_DELIVERY_BATCH;
      for (;;) {
        const { claimed, interrupted } = await claimDueDeliveries(db, { at: input.at, limit, leaseMs: STAFF_DELIVERY_LEASE_MS, channels });
        result.interrupted += interrupted;
        for (const row of claimed) {
          const outcome: Outcome =
            row.itemState === 'done'
              ? { kind: 'skipped', reason: 'the work item was closed before it was sent' }
              : row.channel === 'email'
                ? await email(row)
                : await sms(row, queue!);
          await settle(row, outcome, input.at, result);
        }
        if (claimed.length < limit || Date.now() >= until) break;
      }
      if (result.sent + result.failed + result.retrying + result.interrupted > 0) log().info({ ...result }, 'staff notices delivered');
      return result;
    },
  };
}
