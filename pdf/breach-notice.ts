/**
 * 违约通知书: the written notice of Art.10 §1, which starts the cure period.
 */
import { PARTY_LABELS, otherParty, type ContractTerms, type PartyCode } from '../domain/terms';
import { chineseNumeral, formatShanghai, formatShanghaiDateCn, formatShanghaiEnd, partyName, partyWithName, type Instant } from './format';
import { addressee, documentTitle, heading, keyValueTable, note, paragraph, quotation, renderPdf, signOff } from './layout';

export interface BreachNoticePdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  /** the party serving the notice; the other party is the one said to be in breach */
  servedBy: PartyCode;
  /** the clause breached, e.g. '第三条第4款' */
  clause: string;
  /** the clause's text, quoted */
  clauseText: string;
  /** the facts of the breach */
  description: string;
  evidence?: string;
  servedAt: Instant;
  /** the end of the cure period */
  cureDueAt: Instant;
  /** how the cure deadline was computed, one line */
  cureExplanation: string;
  issuedAt: Instant;
}

export async function renderBreachNoticePdf(input: BreachNoticePdfInput): Promise<Buffer> {
  const { terms, servedBy } = input;
  const breaching = otherParty(servedBy);
  const cureDays = chineseNumeral(terms.legal.cureDays);
  const cureDue = `${formatShanghaiEnd(input.cureDueAt)}（北京时间）`;
  return renderPdf(
    (doc) => {
      documentTitle(doc, '违约通知书', { subtitles: [`合同编号：${input.contractNumber}`] });
      addressee(doc, `${partyName(terms, breaching)}（${PARTY_LABELS[breaching]}）：`);
      paragraph(
        doc,
        `在贵我双方签订的《${terms.title}》（合同编号：${input.contractNumber}）履行过程中，我方（${partyWithName(terms, servedBy)}）认为贵方存在下列违约行为。根据合同第十条第1款，特此书面通知如下：`,
        { firstLineIndent: 21, gap: 8 },
      );
      keyValueTable(doc, [
        ['通知方', partyWithName(terms, servedBy)],
        ['被通知方', partyWithName(terms, breaching)],
        ['送达时间', `${formatShanghai(input.servedAt)}（北京时间）`],
        ['纠正或异议截止', cureDue],
      ]);

      heading(doc, `一、违反的合同条款：${input.clause}`);
      quotation(doc, input.clauseText);

      heading(doc, '二、违约事实');
      paragraph(doc, input.description);

      if (input.evidence !== undefined && input.evidence.trim() !== '') {
        heading(doc, '三、证据材料');
        paragraph(doc, input.evidence);
      }

      const n = input.evidence !== undefined && input.evidence.trim() !== '' ? ['四', '五'] : ['三', '四'];
      heading(doc, `${n[0]}、纠正期限`);
      paragraph(doc, `请贵方在收到本通知后${cureDays}日内，即 ${cureDue} 前：`);
      paragraph(doc, '(1) 如确认违约行为实际存在，对违约行为予以纠正并书面通知我方；', { indent: 21 });
      paragraph(doc, '(2) 如认为违约行为不存在，向我方提供书面异议或说明。', { indent: 21 });
      note(doc, `期限计算：${input.cureExplanation}`);

      heading(doc, `${n[1]}、争议解决`);
      paragraph(
        doc,
        `贵方提出书面异议的，双方可就此进行协商；协商不成的，按合同第十条第2款处理：双方首先应友好协商解决，协商不成的，依法向${terms.legal.disputeVenue}起诉。违约方应承担因其违约行为给守约方造成的直接经济损失。`,
      );

      signOff(doc, partyName(terms, servedBy), formatShanghaiDateCn(input.issuedAt));
    },
    {
      documentId: input.documentId,
      title: `违约通知书（合同编号：${input.contractNumber}）`,
      subject: '违约通知书',
      header: `违约通知书　合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
