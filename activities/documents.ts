import { ApplicationFailure } from '@temporalio/activity';
import { documentId, type SignatureRecord } from '../domain/contract';
import { findContract } from '../db/contracts';
import { findDocumentMeta, storeDocument, type DocumentMeta } from '../db/documents';
import { findInvoice } from '../db/invoices';
import type { InvoiceType } from '../domain/terms';
import { renderContractPdf, renderDeliveryConfirmationPdf, renderPaymentNoticePdf, renderSignedContractPdf, sha256Hex } from '../pdf';
import type { ActivityDeps } from './deps';

export type DocumentRequest =
  | { kind: 'contract'; contractId: string }
  | { kind: 'signed_contract'; contractId: string; signatures: SignatureRecord[]; effectiveAt: string; termEndsAt: string }
  | { kind: 'payment_notice'; contractId: string; invoiceNumber: string }
  | { kind: 'delivery_confirmation'; contractId: string; invoiceNumber: string };

const TITLES: Record<DocumentRequest['kind'], string> = {
  contract: '产品服务合同',
  signed_contract: '产品服务合同（双方签署版）',
  payment_notice: '付款通知书',
  delivery_confirmation: '业务受理单（交付确认单）',
};

const refOf = (request: DocumentRequest) => ('invoiceNumber' in request ? request.invoiceNumber : '1');

/**
 * Renders and stores a document once: its id comes from the contract and the
 * kind, so a retried activity finds the stored one instead of rendering twice.
 */
export function createDocumentActivities({ db }: ActivityDeps) {
  async function requireInvoice(number: string) {
    const invoice = await findInvoice(db, number);
    if (!invoice) throw ApplicationFailure.nonRetryable(`invoice ${number} not found`, 'NOT_FOUND');
    return invoice;
  }

  async function render(request: DocumentRequest, id: string): Promise<Buffer> {
    const contract = await findContract(db, request.contractId);
    if (!contract) throw ApplicationFailure.nonRetryable(`contract ${request.contractId} not found`, 'NOT_FOUND');
    switch (request.kind) {
      case 'contract':
        return renderContractPdf({ documentId: id, contractNumber: contract.number, terms: contract.terms, issuedAt: contract.createdAt });
      case 'payment_notice': {
        const invoice = await requireInvoice(request.invoiceNumber);
        return renderPaymentNoticePdf({
          documentId: id,
          contractNumber: contract.number,
          invoiceNumber: invoice.number,
          terms: contract.terms,
          amountFen: invoice.amountFen,
          invoiceType: invoice.invoiceType as InvoiceType,
          dueAt: invoice.dueAt,
          dueExplanation: invoice.dueExplanation,
          issuedAt: invoice.issuedAt,
          periodLabel: invoice.periodLabel,
        });
      }
      case 'delivery_confirmation': {
        const invoice = await requireInvoice(request.invoiceNumber);
        return renderDeliveryConfirmationPdf({
          documentId: id,
          contractNumber: contract.number,
          terms: contract.terms,
          paidAt: invoice.paidAt ?? invoice.issuedAt,
          amountFen: invoice.amountFen,
          issuedAt: invoice.paidAt ?? invoice.issuedAt,
          smsPerYear: contract.terms.package.smsPerYear,
          years: contract.terms.term.years,
        });
      }
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
      const id = documentId(request.contractId, request.kind, refOf(request));
      const existing = await findDocumentMeta(db, id);
      if (existing) return existing;
      const content = await render(request, id);
      return storeDocument(db, { id, contractId: request.contractId, kind: request.kind, title: TITLES[request.kind], sha256: sha256Hex(content), content });
    },
  };
}
