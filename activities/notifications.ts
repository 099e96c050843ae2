import { ApplicationFailure } from '@temporalio/activity';
import { findContract } from '../db/contracts';
import { recordNotification, type Audience } from '../db/notifications';
import { findUser } from '../db/users';
import type { ActivityDeps } from './deps';

export type NotifyInput = {
  /** derived from the workflow and step; the same id is recorded once */
  id: string;
  contractId: string;
  audiences: Audience[];
  reason: string;
  subject: string;
  body: string;
};

/**
 * The one notification activity: every message to a person goes through it.
 * Each audience is resolved to a named recipient from the contract and
 * recorded once per (notification id, audience).
 */
export function createNotificationActivities({ db }: ActivityDeps) {
  return {
    async notify(input: NotifyInput): Promise<{ recorded: number }> {
      const contract = await findContract(db, input.contractId);
      if (!contract) throw ApplicationFailure.nonRetryable(`contract ${input.contractId} not found`, 'NOT_FOUND');
      const owner = await findUser(db, contract.ownerId);
      let recorded = 0;
      for (const audience of new Set(input.audiences)) {
        const recipient =
          audience === 'party_a_contact'
            ? { name: contract.terms.partyA.contact.name, phone: contract.terms.partyA.contact.phone }
            : audience === 'party_b_contact'
              ? { name: contract.terms.partyB.contact.name, phone: contract.terms.partyB.contact.phone }
              : audience === 'owner'
                ? { name: owner?.name ?? contract.ownerId, phone: null }
                : { name: audience, phone: null };
        const added = await recordNotification(db, {
          id: `${input.id}:${audience}`,
          contractId: input.contractId,
          audience,
          recipient: recipient.name,
          phone: recipient.phone,
          reason: input.reason,
          subject: input.subject,
          body: input.body,
        });
        if (added) recorded += 1;
      }
      return { recorded };
    },
  };
}
