/**
 * 暂停服务通知: Party B tells Party A that the SMS service is suspended until
 * the rectification is confirmed, with the reason, its source and the end of
 * the rectification period (Art.4 §9).
 */
import { PARTY_LABELS, type ContractTerms } from '../domain/terms';
import { formatShanghai, formatShanghaiDateCn, formatShanghaiEnd, partyName, type Instant } from './format';
import { addressee, documentTitle, heading, keyValueTable, note, paragraph, renderPdf, signOff } from './layout';

export interface SuspensionNoticePdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  caseId: string;
  /** e.g. 主管部门通知 */
  sourceLabel: string;
  reason: string;
  suspendedAt: Instant;
  rectificationDays: number;
  rectificationDueAt: Instant;
  rectificationExplanation?: string;
  issuedAt: Instant;
}

export async function renderSuspensionNoticePdf(input: SuspensionNoticePdfInput): Promise<Buffer> {
  const { terms } = input;
  const due = `${formatShanghaiEnd(input.rectificationDueAt)}（北京时间）`;
  return renderPdf(
    (doc) => {
      documentTitle(doc, '暂停服务通知', { subtitles: [`合同编号：${input.contractNumber}`, `案件编号：${input.caseId}`] });
      addressee(doc, `${partyName(terms, 'A')}（${PARTY_LABELS.A}）：`);
      paragraph(
        doc,
        `根据《${terms.title}》（合同编号：${input.contractNumber}）第四条第9款，乙方接到有关国家机关通知或有关举报，或经乙方发现甲方存储、传播违法或不良信息的，有权要求甲方立即删除、限期整改、暂停服务直至单方终止合同。现通知如下：`,
        { firstLineIndent: 21, gap: 8 },
      );
      keyValueTable(doc, [
        ['依据来源', input.sourceLabel],
        ['暂停时间', `${formatShanghai(input.suspendedAt)}（北京时间）`],
        ['整改期限', `${input.rectificationDays} 日，至 ${due} 止`],
      ]);
      if (input.rectificationExplanation) note(doc, `期限计算：${input.rectificationExplanation}`);
      heading(doc, '暂停原因');
      paragraph(doc, input.reason);
      paragraph(
        doc,
        '自暂停之时起，本合同项下的短信发送申请一律不予受理。请甲方立即删除相关信息并于上述期限内完成整改，整改经乙方确认后恢复服务；期限届满仍未整改的，乙方有权延长整改期限或单方终止合同，并对此不承担任何责任。',
        { firstLineIndent: 21 },
      );
      signOff(doc, partyName(terms, 'B'), formatShanghaiDateCn(input.issuedAt));
    },
    {
      documentId: input.documentId,
      title: `暂停服务通知（合同编号：${input.contractNumber}）`,
      subject: '暂停服务通知',
      header: `暂停服务通知　合同编号：${input.contractNumber}　案件编号：${input.caseId}`,
      issuedAt: input.issuedAt,
    },
  );
}
