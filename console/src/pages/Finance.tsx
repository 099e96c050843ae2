/**
 * Finance: invoices by status, overdue first (the API's order), with amounts
 * paid and outstanding and a live countdown; record a payment against one,
 * validated with the API's ZRecordPaymentRequest.
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import { INVOICE_STATUSES, PAYMENT_METHODS, ZRecordPaymentRequest } from '../../../domain/billing';
import { apiGet, apiPost, newIdempotencyKey } from '../api';
import { features, useAuth } from '../App';
import { Countdown, ErrorBox, Loading, Notice, StatusBadge, useLoad } from '../components';
import { formatDue, formatYuan, fromShanghaiInput, parseYuan, shanghaiInputValue } from '../format';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { localizeMessage } from '../zod-messages';
import type { Invoice } from './ContractDetail';

function PaymentForm({ invoice, onDone, onCancel }: { invoice: Invoice; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, tx, lang } = useI18n();
  const [amount, setAmount] = useState(formatYuan(invoice.outstandingFen).replace(/,/g, ''));
  const [reference, setReference] = useState('');
  const [paidAt, setPaidAt] = useState(() => shanghaiInputValue(new Date()));
  const [method, setMethod] = useState<(typeof PAYMENT_METHODS)[number]>('bank_transfer');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fen = parseYuan(amount);
    const body = { amountFen: fen ?? Number.NaN, reference, paidAt: fromShanghaiInput(paidAt), method, invoiceNumber: invoice.number };
    const parsed = ZRecordPaymentRequest.safeParse(body);
    const next: Record<string, string> = {};
    if (fen === null) next.amountFen = lang === 'zh' ? '请输入金额（元），例如 2997.00' : 'must be an amount in CNY, e.g. 2997.00';
    if (!parsed.success) for (const issue of parsed.error.issues) next[issue.path.join('.')] ??= localizeMessage(issue.message, lang);
    if (fen !== null && fen > invoice.outstandingFen) next.amountFen = lang === 'zh' ? `超过未付金额 ${formatYuan(invoice.outstandingFen)}` : `exceeds the outstanding ${formatYuan(invoice.outstandingFen)}`;
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    setBusy(true);
    setError(null);
    try {
      const result = await apiPost<{ duplicate: boolean; invoice: Invoice }>(`/api/contracts/${invoice.contractId}/payments`, parsed.data, { idempotencyKey: newIdempotencyKey() });
      onDone(result.duplicate ? t('finance.duplicate') : t('finance.recorded', { status: tx(`invoiceStatus.${result.invoice.status}`) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
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
      <ErrorBox error={error} />
      <div className="form-actions wide">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="payment-submit">
          {t('finance.submit')}
        </button>
      </div>
    </form>
  );
}

export function FinancePage() {
  const { t, tx, lang } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const contract = query.get('contract') ?? '';
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const list = useLoad((signal) => apiGet<{ items: Invoice[] }>(`/api/invoices?limit=500${status ? `&status=${status}` : ''}`, { signal }), [status]);
  const items = (list.data?.items ?? []).filter((i) => !contract || i.contractId === contract);
  const chosen = items.find((i) => i.number === selected) ?? null;
  const canRecord = features.recordPayment(user.role);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('finance.title')}</h1>
        <div className="segmented" role="group" aria-label={t('finance.status')}>
          {['', ...INVOICE_STATUSES].map((s) => (
            <button
              key={s || 'all'}
              type="button"
              className={`btn btn-small ${s === status ? 'active' : ''}`}
              aria-pressed={s === status}
              onClick={() => navigate(`/finance${s ? `?status=${s}` : ''}`)}
            >
              {s ? tx(`invoiceStatus.${s}`) : t('common.all')}
            </button>
          ))}
        </div>
      </div>
      {message && <Notice kind="ok">{message}</Notice>}
      {chosen && canRecord && (
        <PaymentForm
          invoice={chosen}
          onCancel={() => setSelected(null)}
          onDone={(m) => {
            setMessage(m);
            setSelected(null);
            list.reload();
          }}
        />
      )}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="card muted">{t('finance.empty')}</p>
      ) : (
        <div className="card table-wrap">
          <table className="table responsive" data-testid="invoices-table">
            <thead>
              <tr>
                <th>{t('finance.number')}</th>
                <th>{t('finance.status')}</th>
                <th>{t('finance.amount')}</th>
                <th>{t('finance.paid')}</th>
                <th>{t('finance.outstanding')}</th>
                <th>{t('finance.due')}</th>
                <th>{t('list.countdown')}</th>
                {canRecord && <th>{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((inv) => (
                <tr key={inv.number} data-invoice={inv.number} className={inv.status === 'overdue' ? 'row-overdue' : undefined}>
                  <td data-label={t('finance.number')}>
                    <Link to={`/contracts/${inv.contractId}`} className="mono">
                      {inv.number}
                    </Link>
                    <span className="muted small block">
                      {tx(`invoiceKind.${inv.kind}`)} · {inv.periodLabel}
                    </span>
                  </td>
                  <td data-label={t('finance.status')}>
                    <StatusBadge status={inv.status} kind="invoiceStatus" />
                  </td>
                  <td data-label={t('finance.amount')}>{formatYuan(inv.amountFen)}</td>
                  <td data-label={t('finance.paid')}>{formatYuan(inv.paidFen)}</td>
                  <td data-label={t('finance.outstanding')}>{formatYuan(inv.outstandingFen)}</td>
                  <td data-label={t('finance.due')} title={inv.dueExplanation}>
                    {formatDue(inv.dueAt, lang)}
                  </td>
                  <td data-label={t('list.countdown')}>{inv.secondsLeft !== null ? <Countdown secondsLeft={inv.secondsLeft} fetchedAt={list.fetchedAt} /> : <span className="ok">✓</span>}</td>
                  {canRecord && (
                    <td data-label={t('common.actions')}>
                      {inv.status !== 'paid' && (
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => {
                            setMessage(null);
                            setSelected(inv.number);
                            window.scrollTo(0, 0);
                          }}
                          data-testid="record-payment"
                        >
                          {t('finance.record')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
