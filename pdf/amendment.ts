/**
 * 补充协议: changes to the contract, signed like the contract (Art.6 §2, Art.11 §2).
 */
import type { ContractTerms } from '../domain/terms';
import { signatureBlockFor, type SignatureEntry } from './contract-text';
import { documentTitle, heading, labeledLine, paragraph, renderPdf, signatureBlocks, spacer, table } from './layout';
import type { Instant } from './format';

export interface AmendmentChange {
  /** the terms field changed, e.g. 'payment.invoiceType' (recorded in the PDF metadata only) */
  field: string;
  /** what the change is about, in Chinese, e.g. '发票类型' */
  label: string;
  before: string;
  after: string;
}

export interface AmendmentPdfInput {
  documentId: string;
  contractNumber: string;
  amendmentNumber: string | number;
  /** the contract's terms (the parties are taken from here) */
  terms: ContractTerms;
  changes: AmendmentChange[];
  issuedAt: Instant;
  /** recorded signatures; a party without one gets blank lines to sign on */
  signatures?: SignatureEntry[];
}

export async function renderAmendmentPdf(input: AmendmentPdfInput): Promise<Buffer> {
  const { terms } = input;
  const signatures = input.signatures ?? [];
  return renderPdf(
    (doc) => {
      documentTitle(doc, '补充协议', {
        kicker: `《${terms.title}》`,
        subtitles: [`原合同编号：${input.contractNumber}　　补充协议编号：${input.amendmentNumber}`],
      });
      labeledLine(doc, '甲方', terms.partyA.name);
      labeledLine(doc, '乙方', terms.partyB.name);
      spacer(doc, 6);
      paragraph(
        doc,
        `甲乙双方签订了《${terms.title}》（合同编号：${input.contractNumber}，以下简称“原合同”）。根据原合同第六条第2款及第十一条第2款，经双方友好协商，一致同意对原合同作如下变更：`,
        { firstLineIndent: 21, gap: 8 },
      );
      heading(doc, '一、变更事项');
      table(
        doc,
        [
          { header: '序号', share: 0.08 },
          { header: '变更事项', share: 0.22 },
          { header: '原约定', share: 0.35 },
          { header: '变更后', share: 0.35 },
        ],
        input.changes.map((change, i) => [String(i + 1), change.label, change.before, change.after]),
      );
      if (input.changes.length === 0) paragraph(doc, '（无变更事项）');
      heading(doc, '二、其他约定');
      paragraph(doc, '1、本补充协议经双方授权代表签字并加盖公章或合同专用章后生效，与原合同具有同等法律效力。');
      paragraph(doc, '2、本补充协议未涉及的内容，仍按原合同执行；本补充协议与原合同约定不一致的，以本补充协议为准。');
      paragraph(
        doc,
        `3、本补充协议一式${terms.originals.total}份，甲方执${terms.originals.perParty}份，乙方执${terms.originals.perParty}份，具有同等法律效力。`,
      );
      paragraph(doc, '（以下无正文）', { align: 'center', color: '#555555', size: 9.5 });
      const signatureOf = (party: 'A' | 'B') => signatures.find((s) => s.party === party);
      signatureBlocks(doc, [signatureBlockFor(terms, 'A', signatureOf('A')), signatureBlockFor(terms, 'B', signatureOf('B'))]);
    },
    {
      documentId: input.documentId,
      title: `补充协议 ${input.amendmentNumber}（原合同编号：${input.contractNumber}）`,
      subject: `补充协议；变更字段：${input.changes.map((change) => change.field).join(', ')}`,
      header: `补充协议　编号：${input.amendmentNumber}　原合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
