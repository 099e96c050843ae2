/**
 * 付款通知书: what Party A owes, by when, and where to pay (Art.3 §4, §5, §7).
 */
import { INVOICE_TYPE_LABELS, type ContractTerms, type InvoiceType } from '../domain/terms';
import type { Fen } from '../domain/money';
import { formatAmount, formatShanghaiDateCn, formatShanghaiEnd, type Instant } from './format';
import { addressee, documentTitle, heading, keyValueTable, paragraph, renderPdf, signOff } from './layout';

export interface PaymentNoticePdfInput {
  documentId: string;
  contractNumber: string;
  /** the number of this payment notice / invoice request */
  invoiceNumber: string;
  terms: ContractTerms;
  amountFen: Fen;
  invoiceType: InvoiceType;
  /** the instant the payment period ends (24:00 Asia/Shanghai of the last day) */
  dueAt: Instant;
  /** how the deadline was computed, one line, shown to the payer */
  dueExplanation: string;
  issuedAt: Instant;
  /** what the payment is for, e.g. '首期三年服务费（2024-05-14 至 2027-05-14）' or '追加套餐' */
  periodLabel: string;
}

export async function renderPaymentNoticePdf(input: PaymentNoticePdfInput): Promise<Buffer> {
  const { terms } = input;
  return renderPdf(
    (doc) => {
      documentTitle(doc, '付款通知书', { subtitles: [`通知编号：${input.invoiceNumber}　　合同编号：${input.contractNumber}`] });
      addressee(doc, `${terms.partyA.name}：`);
      paragraph(
        doc,
        `根据贵我双方签订的《${terms.title}》（合同编号：${input.contractNumber}）第三条的约定，现将应付款项通知如下，请于付款截止时间前一次性支付至乙方收款账户。`,
        { firstLineIndent: 21, gap: 8 },
      );
      heading(doc, '一、应付款项');
      keyValueTable(doc, [
        ['款项', input.periodLabel],
        ['应付金额', formatAmount(input.amountFen)],
        ['增值税税率', `${terms.payment.vatRatePercent}%`],
        ['发票类型', INVOICE_TYPE_LABELS[input.invoiceType]],
        ['付款截止时间', `${formatShanghaiEnd(input.dueAt)}（北京时间）`],
        ['期限计算', `${input.dueExplanation}（依《中华人民共和国民法典》第二百零一条至第二百零四条计算）`],
      ]);
      heading(doc, '二、乙方收款账户');
      keyValueTable(doc, [
        ['开户名', terms.partyB.bank.accountName],
        ['开户行', terms.partyB.bank.bankName],
        ['开户行帐号', terms.partyB.bank.accountNumber],
      ]);
      heading(doc, '三、说明');
      paragraph(doc, `1、付款时请在汇款附言中注明合同编号“${input.contractNumber}”及通知编号“${input.invoiceNumber}”。`);
      paragraph(doc, '2、乙方根据甲方实际付款金额提供等额增值税票据，票据类型以上表所列为准。');
      paragraph(doc, '3、逾期未付的，乙方可依照合同第十条向甲方发出书面违约通知；追加购买的套餐须付清价款后生效（合同第三条第5款）。');
      paragraph(doc, `4、如有疑问，请联系乙方客户经理：${terms.partyB.contact.name}，电话：${terms.partyB.contact.phone}。`);
      signOff(doc, terms.partyB.name, formatShanghaiDateCn(input.issuedAt));
    },
    {
      documentId: input.documentId,
      title: `付款通知书 ${input.invoiceNumber}（合同编号：${input.contractNumber}）`,
      subject: '付款通知书',
      header: `付款通知书　通知编号：${input.invoiceNumber}　合同编号：${input.contractNumber}`,
      issuedAt: input.issuedAt,
    },
  );
}
