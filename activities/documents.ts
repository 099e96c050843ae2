import { ApplicationFailure } from '@temporalio/activity';
import { documentId, type SignatureRecord } from '../domain/contract';
import { findContract } from '../db/contracts';
import { findDocumentMeta, storeDocument, type DocumentMeta } from '../db/documents';
import { renderContractPdf, renderSignedContractPdf, sha256Hex } from '../pdf';
import type { ActivityDeps } from './deps';

export type DocumentRequest =
  | { kind: 'contract'; contractId: string }
  | { kind: 'signed_contract'; contractId: string; signatures: SignatureRecord[]; effectiveAt: string; termEndsAt: string };

const TITLES: Record<DocumentRequest['kind'], string> = {
  contract: '产品服务合同',
  signed_contract: '产品服务合同（双方签署版）',
};

/**
 * Renders and stores a document once: its id comes from the contract and the
 * kind, so a retried activity finds the stored one instead of rendering twice.
 */
export function createDocumentActivities({ db }: ActivityDeps) {
  async function render(request: DocumentRequest, id: string): Promise<Buffer> {
    const contract = await findContract(db, request.contractId);
    if (!contract) throw ApplicationFailure.nonRetryable(`contract ${request.contractId} not found`, 'NOT_FOUND');
    switch (request.kind) {
      case 'contract':
        return renderContractPdf({ documentId: id, contractNumber: contract.number, terms: contract.terms, issuedAt: contract.createdAt });
      case 'signed_contract': {
        const original = await findDocumentMeta(db, documentId(request.contractId, 'contract'));
        if (!original) throw new Error(`the original contract document of ${request.contractId} is not stored yet`);
        return renderSignedContractPdf({
          documentId: id,
          contractNumber: contract.number,
          terms: contract.terms,
          issuedAt: request.effectiveAt,
          originalSha256: original.sha256,
          signatures: request.signatures,
          effectiveAt: request.effectiveAt,
          termEndsAt: request.termEndsAt,
        });
      }
    }
  }

  return {
    async produceDocument(request: DocumentRequest): Promise<DocumentMeta> {
      const id = documentId(request.contractId, request.kind);
      const existing = await findDocumentMeta(db, id);
      if (existing) return existing;
      const content = await render(request, id);
      return storeDocument(db, { id, contractId: request.contractId, kind: request.kind, title: TITLES[request.kind], sha256: sha256Hex(content), content });
    },
  };
}
