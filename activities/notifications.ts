import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { NoticeSms } from '../domain/sms/notices';
import { findContract } from '../db/contracts';
import { recordNotification, type Audience } from '../db/notifications';
import { findUser } from '../db/users';
import { createLogger } from '../platform/logger';
import { sendSystemNotice, type SystemNoticeOutcome } from '../services/sms';
import type { ActivityDeps } from './deps';

export type NotifyInput = {
  /** derived from the workflow and step; the same id is recorded once */
  id: string;
  contractId: string;
  audiences: Audience[];
  reason: string;
  subject: string;
  body: string;
  /** what a contact person's SMS says (domain/sms/notices.ts): short, dates in words, no internal ids */
  sms?: NoticeSms;
};

export type NotifyResult = {
  recorded: number;
  /** the audiences with a phone number, sent as Party B's own SMS (one dispatch per notification id) */
  sms: (SystemNoticeOutcome & { audience: Audience })[];
};

/** the task queue the dispatch workflow is started on: the worker's own (it runs smsDispatch too) */
function currentTaskQueue(deps: ActivityDeps): string | undefined {
  if (deps.taskQueue) return deps.taskQueue;
  try {
    return Context.current().info.taskQueue;
  } catch {
    return undefined;
  }
}

/**
 * The one notification activity: every message to a person goes through it.
 * Each audience is resolved to a named recipient from the contract and
 * recorded once per (notification id, audience).
 *
 * An audience with a phone number (the parties' contact persons) also gets
 * the notice as SMS through the one dispatcher (services/sms.ts,
 * `sendSystemNotice`): Party B's own message, signed 【中国联通】, category
 * notification (08:00–22:00, a held notice leaves at the next opening), not
 * debited, exactly once per recorded notification id, so a retried `notify`
 * replays instead of sending again. It is sent whether or not this call
 * recorded the notification (an attempt may have died between the two).
 * Off with `systemSms: false` (tests without an SMSC) or SMS_SYSTEM_NOTICES=off.
 */
export function createNotificationActivities(deps: ActivityDeps) {
  const { db } = deps;
  const smsEnabled = () => deps.systemSms ?? deps.smsSettings.systemNotices;
  let logger = deps.logger;
  const loggerOf = () => (logger ??= createLogger({ level: 'silent' }));

  return {
    async notify(input: NotifyInput): Promise<NotifyResult> {
      const contract = await findContract(db, input.contractId);
      if (!contract) throw ApplicationFailure.nonRetryable(`contract ${input.contractId} not found`, 'NOT_FOUND');
      const owner = await findUser(db, contract.ownerId);
      let recorded = 0;
      const withPhone: { audience: Audience; id: string; phone: string }[] = [];
      for (const audience of new Set(input.audiences)) {
        const recipient =
          audience === 'party_a_contact'
            ? { name: contract.terms.partyA.contact.name, phone: contract.terms.partyA.contact.phone }
            : audience === 'party_b_contact'
              ? { name: contract.terms.partyB.contact.name, phone: contract.terms.partyB.contact.phone }
              : audience === 'owner'
                ? { name: owner?.name ?? contract.ownerId, phone: null }
                : { name: audience, phone: null };
        const id = `${input.id}:${audience}`;
        const added = await recordNotification(db, {
          id,
          contractId: input.contractId,
          audience,
          recipient: recipient.name,
          phone: recipient.phone,
          reason: input.reason,
          subject: input.subject,
          body: input.body,
        });
        if (added) recorded += 1;
        if (recipient.phone) withPhone.push({ audience, id, phone: recipient.phone });
      }

      const sms: NotifyResult['sms'] = [];
      if (withPhone.length === 0 || !smsEnabled()) return { recorded, sms };
      const taskQueue = currentTaskQueue(deps);
      if (!deps.temporal || !taskQueue) {
        loggerOf().warn({ notificationId: input.id }, 'notice not sent as SMS: no Temporal client or task queue in this context');
        return { recorded, sms };
      }
      const serviceDeps = { db, temporal: deps.temporal, taskQueue, logger: loggerOf(), settings: deps.smsSettings, queryTimeoutMs: 5_000 };
      for (const target of withPhone) {
        const outcome = await sendSystemNotice(serviceDeps, { contract, notificationId: target.id, phone: target.phone, subject: input.subject, body: input.body, sms: input.sms });
        if (outcome.status === 'lint_rejected' || outcome.status === 'rejected') {
          loggerOf().warn({ notificationId: target.id, audience: target.audience, status: outcome.status, reason: outcome.reason }, 'notice not sent as SMS');
        }
        sms.push({ audience: target.audience, ...outcome });
      }
      return { recorded, sms };
    },
  };
}
