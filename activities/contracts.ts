import { ApplicationFailure } from '@temporalio/activity';
import type { HolidayOverride } from '../domain/calendar';
import type { Actor, ContractStatus, DeadlineState, SignatureRecord } from '../domain/contract';
import { appendAudit } from '../db/audit';
import { findContract, insertSignature, updateContractStatus } from '../db/contracts';
import { syncDeadlines } from '../db/deadlines';
import { listHolidayOverrides } from '../db/legal';
import type { ActivityDeps } from './deps';

export type RecordSignatureInput = {
  contractId: string;
  signature: SignatureRecord;
  /** present when this signature completes the contract */
  activation?: { effectiveAt: string; termEndsAt: string };
  actor: Actor;
};

export type ChangeStatusInput = {
  contractId: string;
  from: ContractStatus[];
  /** the statuses the workflow moves a contract to by itself (activation and renewal have their own activities) */
  to: 'lapsed' | 'expired' | 'frozen' | 'terminated';
  actor: Actor;
  reason: string;
};

export function createContractActivities({ db }: ActivityDeps) {
  return {
    /** Runs that started before calendar years existed load the old override list (workflows/versions.ts). */
    async loadHolidayOverrides(): Promise<HolidayOverride[]> {
      return listHolidayOverrides(db);
    },

    /** Records one party's signature and, when it is the second, activates the contract: one transaction. */
    async recordSignature(input: RecordSignatureInput): Promise<void> {
      await db.withTransaction(async (tx) => {
        const inserted = await insertSignature(tx, input.contractId, input.signature);
        if (inserted) {
          await appendAudit(tx, {
            type: 'contract.signed_by_party',
            contractId: input.contractId,
            actor: input.actor,
            data: { party: input.signature.party, signer: input.signature.signer, title: input.signature.title, signedAt: input.signature.signedAt },
          });
        }
        if (input.activation) {
          const changed = await updateContractStatus(tx, {
            id: input.contractId,
            from: ['awaiting_signatures'],
            to: 'active',
            effectiveAt: input.activation.effectiveAt,
            termEndsAt: input.activation.termEndsAt,
          });
          if (changed) {
            await appendAudit(tx, {
              type: 'contract.activated',
              contractId: input.contractId,
              actor: input.actor,
              before: { status: 'awaiting_signatures' },
              after: { status: 'active', ...input.activation },
              data: { effectiveAt: input.activation.effectiveAt, termEndsAt: input.activation.termEndsAt },
            });
          }
        }
      });
    },

    /** Guarded status change with its audit event; a repeat (already in `to`) changes nothing. */
    async changeStatus(input: ChangeStatusInput): Promise<void> {
      await db.withTransaction(async (tx) => {
        const current = await findContract(tx, input.contractId);
        if (!current) throw ApplicationFailure.nonRetryable(`contract ${input.contractId} not found`, 'NOT_FOUND');
        if (current.status === input.to) return;
        const changed = await updateContractStatus(tx, { id: input.contractId, from: input.from, to: input.to });
        if (!changed) {
          throw ApplicationFailure.nonRetryable(
            `contract ${input.contractId} is ${current.status}; expected one of ${input.from.join(', ')}`,
            'INVALID_STATE',
          );
        }
        await appendAudit(tx, {
          type: `contract.${input.to}`,
          contractId: input.contractId,
          actor: input.actor,
          before: { status: current.status },
          after: { status: input.to },
          data: { reason: input.reason },
        });
      });
    },

    async syncDeadlines(input: {
      workflowId: string;
      contractId: string | null;
      open: DeadlineState[];
      closed: { kind: string; ref: string; status: 'met' | 'lapsed' | 'cancelled' }[];
    }): Promise<void> {
      await db.withTransaction((tx) => syncDeadlines(tx, input));
    },
  };
}
