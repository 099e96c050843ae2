import { ApplicationFailure } from '@temporalio/activity';
import { insertDeliveryConfirmation } from '../db/delivery';
import { insertRenewal, insertRenewalObjection, insertTermination, saveAmendment } from '../db/lifecycle';
import type { Actor, SignatureRecord } from '../domain/contract';
import type { DeliveryConfirmationRecord } from '../domain/delivery';
import { documentId } from '../domain/contract';
import { describeAmendment, type AmendmentChanges } from '../domain/lifecycle';
import type { ContractTerms, PartyCode } from '../domain/terms';
import { appendAudit } from '../db/audit';
import { findContract, updateContractStatus } from '../db/contracts';
import type { DocumentMeta } from '../db/documents';
import { IN_PROCESS_RENDERER } from '../pdf/renderer';
import type { ActivityDeps } from './deps';
import { renderOnce } from './render-once';

const SYSTEM: Actor = { id: 'system:lifecycle', role: 'system' };

export type LifecycleDocumentRequest =
  | { kind: 'renewal_notice'; contractId: string; ref: string; termEndsAt: string; renewedUntil: string; renewalFeeFen: number; issuedAt: string }
  | { kind: 'expiry_notice'; contractId: string; ref: string; expiredAt: string; objection: { party: PartyCode; reason: string } }
  | { kind: 'amendment'; contractId: string; seq: number; termsBefore: ContractTerms; changes: AmendmentChanges; signatures: SignatureRecord[]; issuedAt: string };

export function createLifecycleActivities({ db, pdf = IN_PROCESS_RENDERER }: ActivityDeps) {
  return {
    async produceLifecycleDocument(request: LifecycleDocumentRequest): Promise<DocumentMeta> {
      const contract = await findContract(db, request.contractId);
      if (!contract) throw ApplicationFailure.nonRetryable(`contract ${request.contractId} not found`, 'NOT_FOUND');
      const ref = request.kind === 'amendment' ? String(request.seq) : request.ref;
      const id = documentId(request.contractId, request.kind, ref);
      switch (request.kind) {
        case 'renewal_notice':
          return renderOnce(db, { id, contractId: contract.id, kind: request.kind, title: '续约提醒（自动顺延通知）' }, () =>
            pdf.render('renewal_notice', {
              documentId: id,
              contractNumber: contract.number,
              terms: contract.terms,
              termEndsAt: request.termEndsAt,
              renewedUntil: request.renewedUntil,
              objectionDeadline: request.termEndsAt,
              issuedAt: request.issuedAt,
              renewalFeeFen: request.renewalFeeFen,
            }),
          );
        case 'expiry_notice':
          return renderOnce(db, { id, contractId: contract.id, kind: request.kind, title: '合同到期终止通知' }, () =>
            pdf.render('expiry_notice', { documentId: id, contractNumber: contract.number, terms: contract.terms, expiredAt: request.expiredAt, objection: request.objection, issuedAt: request.expiredAt }),
          );
        case 'amendment':
          return renderOnce(db, { id, contractId: contract.id, kind: request.kind, title: `补充协议（第 ${request.seq} 号）` }, () =>
            pdf.render('amendment', {
              documentId: id,
              contractNumber: contract.number,
              amendmentNumber: request.seq,
              terms: request.termsBefore,
              changes: describeAmendment(request.termsBefore, request.changes),
              issuedAt: request.issuedAt,
              signatures: request.signatures,
            }),
          );
      }
    },

    /**
     * Art.3 §3: Party A confirmed the delivery form; recorded once per
     * contract with its audit event (a scan, if any, was stored by the API
     * before the update, with its own `document.filed`).
     */
    async recordDeliveryConfirmation(input: {
      contractId: string;
      formDocumentId: string | null;
      deliveredAt: string;
      dueAt: string;
      confirmation: DeliveryConfirmationRecord;
      actor: Actor;
    }): Promise<void> {
      const { confirmation: c } = input;
      await db.withTransaction(async (tx) => {
        const row = { ...c, contractId: input.contractId, formDocumentId: input.formDocumentId, deliveredAt: input.deliveredAt, dueAt: input.dueAt };
        if (!(await insertDeliveryConfirmation(tx, row))) return;
        await appendAudit(tx, {
          type: 'contract.delivery_confirmed',
          contractId: input.contractId,
          actor: input.actor,
          before: { status: 'awaiting_confirmation' },
          after: { status: 'confirmed', onTime: c.onTime },
          data: {
            formDocumentId: input.formDocumentId,
            signer: c.signer,
            title: c.title,
            sealed: c.sealed,
            confirmedAt: c.confirmedAt,
            scanDocumentId: c.scan?.documentId ?? null,
            deliveredAt: input.deliveredAt,
            dueAt: input.dueAt,
            onTime: c.onTime,
          },
        });
      });
    },

    async recordRenewalObjection(input: { contractId: string; termEndsAt: string; party: PartyCode; reason: string; actor: Actor }): Promise<void> {
      await db.withTransaction(async (tx) => {
        if (await insertRenewalObjection(tx, { contractId: input.contractId, termEndsAt: input.termEndsAt, party: input.party, reason: input.reason, recordedBy: input.actor.id })) {
          await appendAudit(tx, { type: 'renewal.objected', contractId: input.contractId, actor: input.actor, data: { party: input.party, reason: input.reason, termEndsAt: input.termEndsAt } });
        }
      });
    },

    async recordRenewal(input: { contractId: string; seq: number; previousEndAt: string; newEndAt: string; invoiceNumber: string }): Promise<void> {
      await db.withTransaction(async (tx) => {
        if (!(await insertRenewal(tx, input))) return;
        await appendAudit(tx, {
          type: 'contract.renewed',
          contractId: input.contractId,
          actor: SYSTEM,
          before: { termEndsAt: input.previousEndAt },
          after: { termEndsAt: input.newEndAt },
          data: { renewal: input.seq, invoice: input.invoiceNumber, termEndsAt: input.newEndAt },
        });
      });
    },

    async recordTermination(input: { contractId: string; reason: string; effectiveAt: string; actor: Actor }): Promise<void> {
      await db.withTransaction(async (tx) => {
        const current = await findContract(tx, input.contractId);
        if (!current || current.status === 'terminated') return;
        await insertTermination(tx, { contractId: input.contractId, reason: input.reason, effectiveAt: input.effectiveAt, recordedBy: input.actor.id });
        await updateContractStatus(tx, { id: input.contractId, from: [current.status], to: 'terminated' });
        await appendAudit(tx, {
          type: 'contract.terminated',
          contractId: input.contractId,
          actor: input.actor,
          before: { status: current.status },
          after: { status: 'terminated' },
          data: { reason: input.reason, effectiveAt: input.effectiveAt },
        });
      });
    },

    async recordAmendment(input: {
      contractId: string;
      seq: number;
      description: string;
      changes: AmendmentChanges;
      signatures: SignatureRecord[];
      /** present once both parties signed: the terms from now on */
      signedTerms?: ContractTerms;
      actor: Actor;
    }): Promise<void> {
      await db.withTransaction(async (tx) => {
        const before = await saveAmendment(tx, { ...input, proposedBy: input.actor.id });
        if (!before) return;
        await appendAudit(tx, {
          type: input.signatures.length === 0 ? 'amendment.proposed' : input.signedTerms ? 'amendment.signed' : 'amendment.signed_by_party',
          contractId: input.contractId,
          actor: input.actor,
          before: { status: before.status, signatures: before.signatures.length },
          after: { status: input.signedTerms ? 'signed' : 'proposed', signatures: input.signatures.length },
          data: { amendment: input.seq, changes: input.changes },
        });
      });
    },
  };
}
