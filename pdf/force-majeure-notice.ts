/**
 * 不可抗力通知: the affected party tells the other of the event; written proof
 * follows within the proof period (Art.9).
 */
import { PARTY_LABELS, otherParty, type ContractTerms, type PartyCode } from '../domain/terms';
import { formatShanghai, formatShanghaiDateCn, formatShanghaiEnd, partyName, partyWithName, type Instant } from './format';
import { addressee, documentTitle, heading, keyValueTable, note, paragraph, renderPdf, signOff } from './layout';

export interface ForceMajeureNoticePdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  /** the party affected by the event, who sends the notice */
  declaredBy: PartyCode;
  /** the event in a few words, e.g. '地震导致机房停电' */
  event: string;
  occurredAt: Instant;
  /** which obligations cannot be performed, and how */
  description: string;
  /** the end of the period for written proof */
  proofDueAt: Instant;
  proofExplanation?: string;
  issuedAt: Instant;
}

export async function renderForceMajeureNoticePdf(input: ForceMajeureNoticePdfInput): Promise<Buffer> {
  const { terms, declaredBy } = input;
  const recipient = otherParty(declaredBy);
  const proofDue = `${formatShanghaiEnd(input.proofDueAt)}（北京时间）`;
  return renderPdf(
    (doc) => {
      documentTitle(doc, '不可抗力通知', { subtitles: [`合同编号：${input.contractNumber}`] });
      addressee(doc, `${partyName(terms, recipient)}（${PARTY_LABELS[recipient]}）：`);
      paragraph(
        doc,
        `因发生不可抗力事件，我方（${partyWithName(terms, declaredBy)}）不能履行或不能完全履行《${terms.title}》（合同编号：${input.contractNumber}）的有关义务。根据合同第九条，现通知如下：`,
        { firstLineIndent: 21, gap: 8 },
      );
      keyValueTable(doc, [
        ['受影响方', partyWithName(terms, declaredBy)],
        ['不可抗力事件', input.event],
        ['发生时间', `${formatShanghai(input.occurredAt)}（北京时间）`],
        ['书面证明材料提交期限', `事件发生后 ${terms.legal.forceMajeureProofDays} 日内，即 ${proofDue} 前`],
      ]);
      if (input.proofExplanation) note(doc, `期限计算：${input.proofExplanation}`);
      heading(doc, '对合同履行的影响');
      paragraph(doc, input.description);
      paragraph(
        doc,
        `根据合同第九条第1款，遭受不可抗力的一方不承担违约责任。我方将于上述期限内向贵方提供足够的书面证明材料（合同第九条第2款），并尽力减少损失、尽快恢复履行。`,
        { firstLineIndent: 21 },
      );
      signOff(doc, partyName(terms, declaredBy), formatShanghaiDateCn(input.issuedAt));
    },
    {
      documentId: input.documentId,
      title: `不可抗力通知（合同编号：${input.contractNumber}）`,
      subject: '不可抗力通知',
      header: `不可抗力通知　合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
