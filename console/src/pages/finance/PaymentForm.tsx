/**
 * Recording a payment against an invoice, validated with the API's
 * ZRecordPaymentRequest; an amount above what is outstanding is refused here.
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { InvoiceView, PaymentResultView } from '../../../../api/routes/invoices.types';
import { PAYMENT_METHODS, ZRecordPaymentRequest } from '../../../../domain/billing';
import { apiPost, newIdempotencyKey } from '../../api';
import { ErrorBox } from '../../components';
import { formatDue, formatYuan, fromShanghaiInput, parseYuan, shanghaiInputValue } from '../../format';
import { FormActions, issuesOf, useAct, type Issues } from '../../forms';
import { useI18n } from '../../i18n';

export function PaymentForm({ invoice, onDone, onCancel }: { invoice: InvoiceView; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, tx, lang } = useI18n();
  const [amount, setAmount] = useState(formatYuan(invoice.outstandingFen).replace(/,/g, ''));
  const [reference, setReference] = useState('');
  const [paidAt, setPaidAt] = useState(() => shanghaiInputValue(new Date()));
  const [method, setMethod] = useState<(typeof PAYMENT_METHODS)[number]>('bank_transfer');
  const [errors, setErrors] = useState<Issues>({});
  const act = useAct();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fen = parseYuan(amount);
    const body = { amountFen: fen ?? Number.NaN, reference, paidAt: fromShanghaiInput(paidAt), method, invoiceNumber: invoice.number };
    const parsed = ZRecordPaymentRequest.safeParse(body);
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (fen === null) next.amountFen = lang === 'zh' ? '请输入金额（元），例如 2997.00' : 'must be an amount in CNY, e.g. 2997.00';
    if (fen !== null && fen > invoice.outstandingFen) next.amountFen = lang === 'zh' ? `超过未付金额 ${formatYuan(invoice.outstandingFen)}` : `exceeds the outstanding ${formatYuan(invoice.outstandingFen)}`;
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    await act.run(async () => {
      const result = await apiPost<PaymentResultView>(`/api/contracts/${invoice.contractId}/payments`, parsed.data, { idempotencyKey: newIdempotencyKey() });
      onDone(result.duplicate ? t('finance.duplicate') : t('finance.recorded', { status: tx(`invoiceStatus.${result.invoice.status}`) }));
    });
  };

  const field = (name: string, label: string, input: ReactElement) => (
    <div className={`field ${errors[name] ? 'has-error' : ''}`}>
      <label htmlFor={`pay-${name}`}>{label}</label>
      {input}
      {errors[name] && <span className="field-error">{errors[name]}</span>}
    </div>
  );

  return (
    <form className="card form-grid payment-form" onSubmit={submit} noValidate data-testid="payment-form">
      <h2 className="wide">{t('finance.recordFor', { n: invoice.number })}</h2>
      <p className="muted wide">
        {t('finance.outstanding')}: {formatYuan(invoice.outstandingFen)} · {t('finance.due')} {formatDue(invoice.dueAt, lang)}
      </p>
      {field('amountFen', t('finance.amountYuan'), <input id="pay-amountFen" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />)}
      {field('reference', t('finance.reference'), <input id="pay-reference" value={reference} onChange={(e) => setReference(e.target.value)} placeholder="BANK-0001" autoComplete="off" />)}
      {field('paidAt', t('finance.paidAt'), <input id="pay-paidAt" type="datetime-local" value={paidAt} onChange={(e) => setPaidAt(e.target.value)} />)}
      {field(
        'method',
        t('finance.method'),
        <select id="pay-method" value={method} onChange={(e) => setMethod(e.target.value as (typeof PAYMENT_METHODS)[number])}>
          {PAYMENT_METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`method.${m}`)}
            </option>
          ))}
        </select>,
      )}
      <ErrorBox error={act.error} />
      <FormActions submit={t('finance.submit')} testId="payment-submit" disabled={act.busy} onCancel={onCancel} />
    </form>
  );
}
