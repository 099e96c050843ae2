/**
 * 业务受理单（交付确认单）: Party A confirms the one-time delivery (Art.3 §3).
 * Produced at activation (the service is delivered at once) with the date to
 * confirm by and the price list of further purchases (Art.3 §5); contracts
 * from before that produced it once the first invoice was paid, with the payment.
 */
import type { Fen } from '../domain/money';
import type { ContractTerms } from '../domain/terms';
import type { TopUpPriceList } from '../domain/top-ups';
import { clockInProse, formatAmount, formatShanghai, formatShanghaiEnd, type Instant } from './format';
import { documentTitle, heading, keyValueTable, paragraph, renderPdf, signatureBlocks } from './layout';

export interface DeliveryConfirmationPdfInput {
  documentId: string;
  contractNumber: string;
  terms: ContractTerms;
  /** when the payment for this delivery was received (the form produced on payment, contracts from before delivery-confirmation-v1) */
  paidAt?: Instant;
  amountFen?: Fen;
  /** when the service was delivered (the form produced at activation) */
  deliveredAt?: Instant;
  /** the date Party A confirms by, as counted (Civil Code) */
  confirmBy?: { dueAt: Instant; explanation: string };
  /** Art.3 §5: the packages Party A may buy later, with their prices */
  priceList?: TopUpPriceList;
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
        ...(input.deliveredAt ? ([['交付时间', `${formatShanghai(input.deliveredAt)}（北京时间）`]] as [string, string][]) : []),
        ...(input.amountFen !== undefined ? ([['已付金额', formatAmount(input.amountFen)]] as [string, string][]) : []),
        ...(input.paidAt ? ([['付款到账时间', `${formatShanghai(input.paidAt)}（北京时间）`]] as [string, string][]) : []),
        ['绑定短信签名', sms.signature],
        [
          '发送时段',
          `每日 ${clockInProse(sms.windowStart)}—${clockInProse(sms.windowEnd)}${sms.permit24h ? '（已开通24小时发送）' : ''}；会员类短信每日 ${clockInProse(sms.marketingWindowStart)}—${clockInProse(sms.marketingWindowEnd)}`,
        ],
      ]);
      if (input.priceList) {
        heading(doc, '三、增购套餐价目（合同第三条第5款）');
        keyValueTable(
          doc,
          input.priceList.packages.map((p) => [p.name, `${p.sms} 条，${formatAmount(p.priceFen)}`] as [string, string]),
        );
        paragraph(
          doc,
          input.priceList.source === 'terms'
            ? '合同有效期内甲方可按上列套餐再次购买，购买前一次性付清所选套餐价款；其他条数按不大于该条数的最大套餐单价折算（四舍五入到分），且不高于不小于该条数的最小套餐价格。'
            : '合同有效期内甲方可再次购买短信，按合同约定的年度套餐费用折算单价计价（四舍五入到分），购买前一次性付清。',
          { firstLineIndent: 21 },
        );
      }
      heading(doc, input.priceList ? '四、甲方确认' : '三、甲方确认');
      if (input.confirmBy) {
        paragraph(doc, `请甲方于 ${formatShanghaiEnd(input.confirmBy.dueAt)}（北京时间）前签字盖章确认。${input.confirmBy.explanation}`, { firstLineIndent: 21 });
      }
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
