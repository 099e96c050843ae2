/**
 * 业务受理单（交付确认单）: Party A confirms the one-time delivery (Art.3 §3).
 */
import type { Fen } from '../domain/money';
import type { ContractTerms } from '../domain/terms';
import { clockInProse, formatAmount, formatShanghai, type Instant } from './format';
import { documentTitle, heading, keyValueTable, paragraph, renderPdf, signatureBlocks } from './layout';

export interface DeliveryConfirmationPdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  /** when the payment for this delivery was received */
  paidAt: Instant;
  amountFen: Fen;
  issuedAt: Instant;
  smsPerYear: number;
  years: number;
}

export async function renderDeliveryConfirmationPdf(input: DeliveryConfirmationPdfInput): Promise<Buffer> {
  const { terms } = input;
  const { sms } = terms;
  const totalSms = input.smsPerYear * input.years;
  return renderPdf(
    (doc) => {
      documentTitle(doc, '业务受理单（交付确认单）', { kicker: terms.title, subtitles: [`合同编号：${input.contractNumber}`] });
      paragraph(
        doc,
        `根据《${terms.title}》（合同编号：${input.contractNumber}）第三条第3款，乙方已一次性交付下列智慧信息短信服务，请甲方核对无误后签字盖章确认。`,
        { firstLineIndent: 21, gap: 8 },
      );
      heading(doc, '一、双方');
      keyValueTable(doc, [
        ['甲方（客户）', `${terms.partyA.name}\n联系人：${terms.partyA.contact.name}　电话：${terms.partyA.contact.phone}`],
        ['乙方（服务提供方）', `${terms.partyB.name}\n客户经理：${terms.partyB.contact.name}　电话：${terms.partyB.contact.phone}`],
      ]);
      heading(doc, '二、交付内容');
      keyValueTable(doc, [
        ['服务名称', terms.package.name],
        ['交付方式', '一次性交付'],
        ['套餐内容', `每年 ${input.smsPerYear} 条行业短信 × ${input.years} 年，合计 ${totalSms} 条`],
        ['套餐价格', `${formatAmount(terms.package.yearlyFeeFen)}/年`],
        ['已付金额', formatAmount(input.amountFen)],
        ['付款到账时间', `${formatShanghai(input.paidAt)}（北京时间）`],
        ['绑定短信签名', sms.signature],
        [
          '发送时段',
          `每日 ${clockInProse(sms.windowStart)}—${clockInProse(sms.windowEnd)}${sms.permit24h ? '（已开通24小时发送）' : ''}；会员类短信每日 ${clockInProse(sms.marketingWindowStart)}—${clockInProse(sms.marketingWindowEnd)}`,
        ],
      ]);
      heading(doc, '三、甲方确认');
      paragraph(
        doc,
        '甲方确认：乙方已按合同约定一次性交付上述智慧信息短信服务，登录账户已开通并可正常使用。甲方已知悉合同第八条关于可发信息范围、禁止内容、格式要求、发送时间及短信封停规则的约定。',
        { firstLineIndent: 21 },
      );
      signatureBlocks(doc, [
        { heading: '甲方（盖章）', name: terms.partyA.name, blanks: ['经办人（签字）', '盖章', '确认日期'] },
        { heading: '乙方（盖章）', name: terms.partyB.name, blanks: ['客户经理（签字）', '盖章', '日期'] },
      ]);
    },
    {
      documentId: input.documentId,
      title: `业务受理单（交付确认单）（合同编号：${input.contractNumber}）`,
      subject: '业务受理单（交付确认单）',
      header: `业务受理单（交付确认单）　合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
