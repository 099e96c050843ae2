/**
 * 合同期满终止通知: a party objected to the automatic renewal, so the contract
 * ends with its term (Art.6 §1).
 */
import { PARTY_LABELS, type ContractTerms, type PartyCode } from '../domain/terms';
import { formatShanghaiDateCn, formatShanghaiEnd, partyWithName, type Instant } from './format';
import { addressee, documentTitle, heading, keyValueTable, paragraph, renderPdf, signOff } from './layout';

export interface ExpiryNoticePdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  /** the instant the term ended */
  expiredAt: Instant;
  /** the written objection to automatic renewal */
  objection: { party: PartyCode; reason: string };
  issuedAt: Instant;
}

export async function renderExpiryNoticePdf(input: ExpiryNoticePdfInput): Promise<Buffer> {
  const { terms, objection } = input;
  const expired = formatShanghaiEnd(input.expiredAt);
  return renderPdf(
    (doc) => {
      documentTitle(doc, '合同期满终止通知', { subtitles: [`合同编号：${input.contractNumber}`] });
      addressee(doc, `${terms.partyA.name}、${terms.partyB.name}：`);
      paragraph(
        doc,
        `《${terms.title}》（合同编号：${input.contractNumber}）已于 ${expired}（北京时间）期满。因${PARTY_LABELS[objection.party]}在期满前以书面形式对自动顺延提出异议，根据合同第六条第1款，本合同不再自动顺延，于期满时终止。`,
        { firstLineIndent: 21, gap: 8 },
      );
      heading(doc, '一、终止事项');
      keyValueTable(doc, [
        ['合同期满（终止）', `${expired}（北京时间）`],
        ['提出异议方', partyWithName(terms, objection.party)],
        ['异议理由', objection.reason],
      ]);
      heading(doc, '二、终止后安排');
      paragraph(doc, '1、自合同终止时起，乙方停止提供本合同项下的智慧信息短信服务，甲方账号停止发送短信。');
      paragraph(doc, '2、双方在合同期内已经产生的权利义务（包括未结清的款项、已发出的违约通知及其处理）不因合同终止而受影响。');
      paragraph(doc, '3、合同第七条约定的保密义务在合同终止后继续有效。');
      paragraph(doc, '4、如双方拟继续合作，应另行协商签订新的合同。');
      signOff(doc, terms.partyB.name, formatShanghaiDateCn(input.issuedAt));
    },
    {
      documentId: input.documentId,
      title: `合同期满终止通知（合同编号：${input.contractNumber}）`,
      subject: '合同期满终止通知',
      header: `合同期满终止通知　合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
