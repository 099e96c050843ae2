import { ApplicationFailure } from '@temporalio/activity';
import type { Actor, SignatureRecord } from '../domain/contract';
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

    async recordRenewalObjection(input: { contractId: string; termEndsAt: string; party: PartyCode; reason: string; actor: Actor }): Promise<void> {
      await db.withTransaction(async (tx) => {
        const { rowCount } = await tx.query(
          `INSERT INTO renewal_objections (contract_id, term_ends_at, party, reason, recorded_by) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (contract_id, term_ends_at) DO NOTHING`,
          [input.contractId, input.termEndsAt, input.party, input.reason, input.actor.id],
        );
        if (rowCount === 1) {
          await appendAudit(tx, { type: 'renewal.objected', contractId: input.contractId, actor: input.actor, data: { party: input.party, reason: input.reason, termEndsAt: input.termEndsAt } });
        }
      });
    },

    async recordRenewal(input: { contractId: string; seq: number; previousEndAt: string; newEndAt: string; invoiceNumber: string }): Promise<void> {
      await db.withTransaction(async (tx) => {
        const { rowCount } = await tx.query(
          `INSERT INTO renewals (contract_id, seq, previous_end_at, new_end_at, invoice_number) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [input.contractId, input.seq, input.previousEndAt, input.newEndAt, input.invoiceNumber],
        );
        if (rowCount !== 1) return;
        await tx.query('UPDATE contracts SET term_ends_at = $2, updated_at = now() WHERE id = $1', [input.contractId, input.newEndAt]);
        await appendAudit(tx, {
          type: 'contract.renewed',
          contractId: input.contractId,
          actor: SYSTEM,
          before: { termEndsAt: input.previousEndAt },
          after: { termEndsAt: input.newEndAt },
          data: { renewal: input.seq, invoice: input.invoiceNumber },
        });
      });
    },

    async recordTermination(input: { contractId: string; reason: string; effectiveAt: string; actor: Actor }): Promise<void> {
      await db.withTransaction(async (tx) => {
        const current = await findContract(tx, input.contractId);
        if (!current || current.status === 'terminated') return;
        await tx.query(
          `INSERT INTO terminations (contract_id, reason, effective_at, recorded_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [input.contractId, input.reason, input.effectiveAt, input.actor.id],
        );
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
        await tx.query(
          `INSERT INTO amendments (contract_id, seq, description, changes, status, signatures, proposed_by)
           VALUES ($1, $2, $3, $4, 'proposed', '[]', $5) ON CONFLICT (contract_id, seq) DO NOTHING`,
          [input.contractId, input.seq, input.description, JSON.stringify(input.changes), input.actor.id],
        );
        const { rows } = await tx.query('SELECT status, signatures FROM amendments WHERE contract_id = $1 AND seq = $2 FOR UPDATE', [input.contractId, input.seq]);
        const before = rows[0] as { status: string; signatures: SignatureRecord[] };
        if (before.signatures.length === input.signatures.length && before.status === (input.signedTerms ? 'signed' : 'proposed')) return;
        await tx.query(
          `UPDATE amendments SET signatures = $3, status = $4, signed_at = CASE WHEN $4 = 'signed' THEN now() ELSE NULL END WHERE contract_id = $1 AND seq = $2`,
          [input.contractId, input.seq, JSON.stringify(input.signatures), input.signedTerms ? 'signed' : 'proposed'],
        );
        if (input.signedTerms) {
          await tx.query('UPDATE contracts SET terms = $2, updated_at = now() WHERE id = $1', [input.contractId, JSON.stringify(input.signedTerms)]);
        }
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
