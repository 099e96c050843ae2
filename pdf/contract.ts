/**
 * The contract for signing, and the signed contract with its signing record.
 */
import { PARTY_LABELS, type ContractTerms } from '../domain/terms';
import { drawContract, type SignatureEntry } from './contract-text';
import { formatShanghai, formatShanghaiEnd, chineseNumeral, type Instant } from './format';
import { documentTitle, heading, keyValueTable, note, paragraph, renderPdf } from './layout';

export interface ContractPdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  /** becomes the PDF's creation date: the same input always gives the same bytes */
  issuedAt: Instant;
}

/** The full contract, with empty signature blocks for both parties. */
export async function renderContractPdf(input: ContractPdfInput): Promise<Buffer> {
  return renderPdf((doc) => drawContract(doc, input), {
    documentId: input.documentId,
    title: `${input.terms.title}（合同编号：${input.contractNumber}）`,
    subject: '产品服务合同',
    header: `${input.terms.title}　合同编号：${input.contractNumber}`,
    issuedAt: input.issuedAt,
  });
}

export interface SignedContractPdfInput extends ContractPdfInput {
  /** SHA-256 (hex) of the contract PDF the parties signed */
  originalSha256: string;
  signatures: SignatureEntry[];
  /** the moment both parties had signed and sealed (Art.6 §1) */
  effectiveAt: Instant;
  /** the end of the term: the instant the last day ends (24:00 Asia/Shanghai) */
  termEndsAt: Instant;
}

/** The contract text with the recorded signatures, then a signing record page. */
export async function renderSignedContractPdf(input: SignedContractPdfInput): Promise<Buffer> {
  const { terms } = input;
  return renderPdf(
    (doc) => {
      drawContract(doc, input, input.signatures);
      doc.addPage();
      documentTitle(doc, '签署记录', { subtitles: [`合同编号：${input.contractNumber}`] });
      paragraph(
        doc,
        `本页记录《${terms.title}》的签署情况。根据合同第六条第1款及第十一条第1款，本合同自双方签字盖章之日起生效，有效期${chineseNumeral(terms.term.years)}年。`,
        { gap: 8 },
      );
      const ordered = [...input.signatures].sort((a, b) => (a.party === b.party ? a.signedAt.localeCompare(b.signedAt) : a.party < b.party ? -1 : 1));
      for (const signature of ordered) {
        heading(doc, `${PARTY_LABELS[signature.party]}签署`);
        const rows: Array<[string, string]> = [
          ['单位', signature.party === 'A' ? terms.partyA.name : terms.partyB.name],
          ['签署人', signature.signer],
          ['职务', signature.title],
          ['盖章', signature.sealed ? '已加盖公章或合同专用章' : '未盖章'],
          ['签署时间', `${formatShanghai(signature.signedAt)}（北京时间）`],
        ];
        if (signature.recordedBy) rows.push(['录入人', signature.recordedBy]);
        keyValueTable(doc, rows);
      }
      if (ordered.length === 0) paragraph(doc, '（尚无签署记录）');

      heading(doc, '合同文件与期限');
      const termRows: Array<[string, string]> = [
        ['原合同文件 SHA-256', input.originalSha256],
        ['生效时间', `${formatShanghai(input.effectiveAt)}（北京时间）`],
        ['合同期满', `${formatShanghaiEnd(input.termEndsAt)}（北京时间）`],
        [
          '到期续约',
          terms.term.autoRenew
            ? `合同到期如无异议，自动顺延${chineseNumeral(terms.term.renewalYears)}年（合同第六条第1款）`
            : '到期终止，不自动顺延',
        ],
      ];
      keyValueTable(doc, termRows);
      note(doc, '原合同文件 SHA-256 为双方签署的合同 PDF 文件的摘要值，可用于核验本文件所载合同文本与签署文本一致。');
    },
    {
      documentId: input.documentId,
      title: `${terms.title}（已签署，合同编号：${input.contractNumber}）`,
      subject: '产品服务合同（已签署）',
      header: `${terms.title}（已签署）　合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
