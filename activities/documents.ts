import { ApplicationFailure } from '@temporalio/activity';
import { documentId, type SignatureRecord } from '../domain/contract';
import { findContract } from '../db/contracts';
import { findDocumentMeta, storeDocument, type DocumentMeta } from '../db/documents';
import { findInvoice } from '../db/invoices';
import { linkCaseDocument } from '../db/legal';
import { SUSPENSION_SOURCE_LABELS, type OutageCause, type ServedBreach, type SuspensionSource } from '../domain/legal';
import type { InvoiceType, PartyCode } from '../domain/terms';
import { topUpPriceList } from '../domain/top-ups';
import { sha256Hex } from '../pdf';
import { quoteClause } from '../pdf/legal-documents';
import { IN_PROCESS_RENDERER } from '../pdf/renderer';
import type { ActivityDeps } from './deps';

export type DocumentRequest =
  | { kind: 'contract'; contractId: string }
  | { kind: 'signed_contract'; contractId: string; signatures: SignatureRecord[]; effectiveAt: string; termEndsAt: string }
  | { kind: 'payment_notice'; contractId: string; invoiceNumber: string }
  /** the 业务受理单 produced when the first invoice is paid in full (payment workflows of contracts from before delivery-confirmation-v1) */
  | { kind: 'delivery_confirmation'; contractId: string; invoiceNumber: string }
  /** the 业务受理单 produced at activation (Art.3 §3): the service is delivered at once, Party A confirms by `dueAt` */
  | { kind: 'delivery_confirmation'; contractId: string; deliveredAt: string; dueAt: string; dueExplanation: string }
  | CaseDocumentRequest;

/** Notices of legal cases: stored once per case and linked to it. Instants come from the workflow, so the bytes never depend on the clock. */
export type CaseDocumentRequest =
  | ({ kind: 'breach_notice'; contractId: string; cureDueAt: string; cureExplanation: string } & ServedBreach)
  | { kind: 'outage_notice'; contractId: string; caseId: string; cause: OutageCause; description: string; startedAt: string; learnedAt: string; issuedAt: string }
  | {
      kind: 'restoration_notice';
      contractId: string;
      caseId: string;
      cause: OutageCause;
      description: string;
      startedAt: string;
      learnedAt: string;
      restoredAt: string;
      issuedAt: string;
    }
  | {
      kind: 'force_majeure_notice';
      contractId: string;
      caseId: string;
      declaredBy: PartyCode;
      event: string;
      occurredAt: string;
      description: string;
      proofDueAt: string;
      proofExplanation: string;
      issuedAt: string;
    }
  | {
      kind: 'suspension_notice';
      contractId: string;
      caseId: string;
      source: SuspensionSource;
      reason: string;
      suspendedAt: string;
      rectificationDays: number;
      rectificationDueAt: string;
      rectificationExplanation: string;
      issuedAt: string;
    };

const TITLES: Record<DocumentRequest['kind'], string> = {
  contract: '产品服务合同',
  signed_contract: '产品服务合同（双方签署版）',
  payment_notice: '付款通知书',
  delivery_confirmation: '业务受理单（交付确认单）',
  breach_notice: '违约通知书',
  outage_notice: '服务中断通知',
  restoration_notice: '服务恢复通知',
  force_majeure_notice: '不可抗力通知',
  suspension_notice: '暂停服务通知',
};

const refOf = (request: DocumentRequest) => ('invoiceNumber' in request ? request.invoiceNumber : 'caseId' in request ? request.caseId : '1');

/**
 * Renders and stores a document once: its id comes from the contract and the
 * kind, so a retried activity finds the stored one instead of rendering twice.
 */
export function createDocumentActivities({ db, pdf = IN_PROCESS_RENDERER }: ActivityDeps) {
  async function requireInvoice(number: string) {
    const invoice = await findInvoice(db, number);
    if (!invoice) throw ApplicationFailure.nonRetryable(`invoice ${number} not found`, 'NOT_FOUND');
    return invoice;
  }

  async function render(request: DocumentRequest, id: string): Promise<Buffer> {
    const contract = await findContract(db, request.contractId);
    if (!contract) throw ApplicationFailure.nonRetryable(`contract ${request.contractId} not found`, 'NOT_FOUND');
    // every document names itself and its contract; most quote the contract's terms too
    const head = { documentId: id, contractNumber: contract.number, terms: contract.terms };
    switch (request.kind) {
      case 'contract':
        return pdf.render('contract', { ...head, issuedAt: contract.createdAt });
      case 'payment_notice': {
        const invoice = await requireInvoice(request.invoiceNumber);
        return pdf.render('payment_notice', {
          ...head,
          invoiceNumber: invoice.number,
          amountFen: invoice.amountFen,
          invoiceType: invoice.invoiceType as InvoiceType,
          dueAt: invoice.dueAt,
          dueExplanation: invoice.dueExplanation,
          issuedAt: invoice.issuedAt,
          periodLabel: invoice.periodLabel,
        });
      }
      case 'delivery_confirmation': {
        if (!('invoiceNumber' in request)) {
          return pdf.render('delivery_confirmation', {
            documentId: id,
            contractNumber: contract.number,
            terms: contract.terms,
            deliveredAt: request.deliveredAt,
            confirmBy: { dueAt: request.dueAt, explanation: request.dueExplanation },
            priceList: topUpPriceList(contract.terms),
            issuedAt: request.deliveredAt,
            smsPerYear: contract.terms.package.smsPerYear,
            years: contract.terms.term.years,
          });
        }
        const invoice = await requireInvoice(request.invoiceNumber);
        return pdf.render('delivery_confirmation', {
          ...head,
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
        return pdf.render('signed_contract', {
          ...head,
          issuedAt: request.effectiveAt,
          originalSha256: original.sha256,
          signatures: request.signatures,
          effectiveAt: request.effectiveAt,
          termEndsAt: request.termEndsAt,
        });
      }
      case 'breach_notice':
        return pdf.render('breach_notice', {
          ...head,
          servedBy: request.servedBy,
          clause: request.clause,
          clauseText: request.clauseText ?? quoteClause(contract.terms, request.clause) ?? '（条款原文见合同正本）',
          description: request.description,
          evidence: request.evidence,
          servedAt: request.servedAt,
          cureDueAt: request.cureDueAt,
          cureExplanation: request.cureExplanation,
          issuedAt: request.servedAt,
        });
      case 'outage_notice':
      case 'restoration_notice': {
        const common = {
          documentId: id,
          partyAName: contract.terms.partyA.name,
          partyBName: contract.terms.partyB.name,
          contractNumber: contract.number,
          cause: request.cause,
          description: request.description,
          startedAt: request.startedAt,
          learnedAt: request.learnedAt,
          issuedAt: request.issuedAt,
          noticeHours: contract.terms.legal.outageNoticeHours,
        };
        return request.kind === 'outage_notice'
          ? pdf.render('outage_notice', common)
          : pdf.render('restoration_notice', { ...common, restoredAt: request.restoredAt });
      }
      case 'force_majeure_notice':
        return pdf.render('force_majeure_notice', {
          ...head,
          declaredBy: request.declaredBy,
          event: request.event,
          occurredAt: request.occurredAt,
          description: request.description,
          proofDueAt: request.proofDueAt,
          proofExplanation: request.proofExplanation,
          issuedAt: request.issuedAt,
        });
      case 'suspension_notice':
        return pdf.render('suspension_notice', {
          ...head,
          caseId: request.caseId,
          sourceLabel: SUSPENSION_SOURCE_LABELS[request.source].zh,
          reason: request.reason,
          suspendedAt: request.suspendedAt,
          rectificationDays: request.rectificationDays,
          rectificationDueAt: request.rectificationDueAt,
          rectificationExplanation: request.rectificationExplanation,
          issuedAt: request.issuedAt,
        });
    }
  }

  /** A case's notice belongs to the case too: linked on every call, so a retry after a failed link completes it. */
  async function linkToCase(request: DocumentRequest, meta: DocumentMeta): Promise<DocumentMeta> {
    if ('caseId' in request) {
      await linkCaseDocument(db, { caseId: request.caseId, documentId: meta.id, role: request.kind, addedBy: 'system:documents', at: meta.createdAt });
    }
    return meta;
  }

  return {
    async produceDocument(request: DocumentRequest): Promise<DocumentMeta> {
      const id = documentId(request.contractId, request.kind, refOf(request));
      const existing = await findDocumentMeta(db, id);
      if (existing) return linkToCase(request, existing);
      const content = await render(request, id);
      const stored = await storeDocument(db, { id, contractId: request.contractId, kind: request.kind, title: TITLES[request.kind], sha256: sha256Hex(content), content });
      return linkToCase(request, stored);
    },
  };
}
