/**
 * 续约提醒（自动顺延通知）: the term ends; absent a written objection the
 * contract renews automatically (Art.6 §1).
 */
import type { Fen } from '../domain/money';
import type { ContractTerms } from '../domain/terms';
import { chineseNumeral, formatAmount, formatShanghaiDateCn, formatShanghaiEnd, type Instant } from './format';
import { addressee, documentTitle, heading, keyValueTable, paragraph, renderPdf, signOff } from './layout';

export interface RenewalNoticePdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  /** the end of the current term */
  termEndsAt: Instant;
  /** the end of the term after the automatic renewal */
  renewedUntil: Instant;
  /** the last moment a written objection stops the renewal */
  objectionDeadline: Instant;
  issuedAt: Instant;
  renewalFeeFen: Fen;
}

export async function renderRenewalNoticePdf(input: RenewalNoticePdfInput): Promise<Buffer> {
  const { terms } = input;
  const renewalYears = chineseNumeral(terms.term.renewalYears);
  return renderPdf(
    (doc) => {
      documentTitle(doc, '续约提醒（自动顺延通知）', { subtitles: [`合同编号：${input.contractNumber}`] });
      addressee(doc, `${terms.partyA.name}：`);
      paragraph(
        doc,
        `贵我双方签订的《${terms.title}》（合同编号：${input.contractNumber}）将于 ${formatShanghaiEnd(input.termEndsAt)}（北京时间）期满。根据合同第六条第1款“合同到期如无异议，自动顺延${renewalYears}年”的约定，如双方在 ${formatShanghaiEnd(input.objectionDeadline)}（北京时间）前均未以书面形式提出异议，本合同将自动顺延${renewalYears}年，至 ${formatShanghaiEnd(input.renewedUntil)}（北京时间）届满。`,
        { firstLineIndent: 21, gap: 8 },
      );
      heading(doc, '一、续约事项');
      keyValueTable(doc, [
        ['本期合同期满', `${formatShanghaiEnd(input.termEndsAt)}（北京时间）`],
        ['书面异议截止', `${formatShanghaiEnd(input.objectionDeadline)}（北京时间）`],
        ['顺延期限', `${renewalYears}年`],
        ['顺延后期满', `${formatShanghaiEnd(input.renewedUntil)}（北京时间）`],
        ['顺延期服务费', formatAmount(input.renewalFeeFen)],
        ['付款方式', `顺延生效后 ${terms.payment.dueDays} 日内一次性支付，乙方另行出具付款通知书`],
      ]);
      heading(doc, '二、如需提出异议');
      paragraph(
        doc,
        `如贵单位不同意自动顺延，请于书面异议截止时间前以书面形式通知乙方（客户经理：${terms.partyB.contact.name}，电话：${terms.partyB.contact.phone}）。逾期未提出异议的，视为同意按原合同条件顺延。`,
        { firstLineIndent: 21 },
      );
      paragraph(doc, '顺延期间，双方继续按原合同约定履行各自的权利义务；原合同条款如需变更，应以补充协议形式签订（合同第六条第2款）。', {
        firstLineIndent: 21,
      });
      signOff(doc, terms.partyB.name, formatShanghaiDateCn(input.issuedAt));
    },
    {
      documentId: input.documentId,
      title: `续约提醒（自动顺延通知）（合同编号：${input.contractNumber}）`,
      subject: '续约提醒（自动顺延通知）',
      header: `续约提醒（自动顺延通知）　合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
