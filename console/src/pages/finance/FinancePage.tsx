/**
 * Finance: the totals by status and the ageing of what is owed (with its CSV
 * export), then invoices by status, overdue first (the API's order), with
 * amounts paid and outstanding and a live countdown; record a payment against
 * one, validated with the API's ZRecordPaymentRequest. An invoice with a
 * payment is never shown as awaiting payment: it is partly paid, or overdue
 * and marked as partly paid.
 */
import { useState } from 'react';
import type { InvoiceListView } from '../../../../api/routes/invoices.types';
import { INVOICE_STATUSES } from '../../../../domain/billing';
import { apiGet, can } from '../../api';
import { useAuth } from '../../auth';
import { Countdown, ErrorBox, Loading, Notice, StatusBadge, useLoad } from '../../components';
import { features } from '../../features';
import { formatDue, formatYuan } from '../../format';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { InvoiceSummary } from './InvoiceSummary';
import { PaymentForm } from './PaymentForm';

export function FinancePage() {
  const { t, tx, lang } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const contract = query.get('contract') ?? '';
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [paymentsRecorded, setPaymentsRecorded] = useState(0);
  const list = useLoad((signal) => apiGet<InvoiceListView>(`/api/invoices?limit=500${status ? `&status=${status}` : ''}`, { signal }), [status]);
  const items = (list.data?.items ?? []).filter((i) => !contract || i.contractId === contract);
  const chosen = items.find((i) => i.number === selected) ?? null;
  const canRecord = features.recordPayment(user.role);
  const canSummary = can(user.role, 'get', '/api/invoices/summary');

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
      {canSummary && <InvoiceSummary reloadKey={paymentsRecorded} />}
      {message && <Notice kind="ok">{message}</Notice>}
      {chosen && canRecord && (
        <PaymentForm
          invoice={chosen}
          onCancel={() => setSelected(null)}
          onDone={(m) => {
            setMessage(m);
            setSelected(null);
            list.reload();
            setPaymentsRecorded((n) => n + 1);
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
                    {inv.status === 'overdue' && inv.paidFen > 0 && (
                      <span className="badge s-partially_paid" data-testid="partly-paid">
                        {t('finance.partlyPaid')}
                      </span>
                    )}
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
