/**
 * Finance: the totals by status and the ageing of what is owed (with its CSV
 * export), then invoices by status, overdue first (the API's order), with
 * amounts paid and outstanding and a live countdown; record a payment against
 * one, validated with the API's ZRecordPaymentRequest. An invoice with a
 * payment is never shown as awaiting payment: it is partly paid, or overdue
 * and marked as partly paid.
 */
import { useState } from 'react';
import type { InvoiceListView, InvoiceView } from '../../../../api/routes/invoices.types';
import { INVOICE_STATUSES } from '../../../../domain/billing';
import { apiGet, can } from '../../api';
import { useAuth } from '../../auth';
import { DataTable, ListBody, Notice, Segmented, useLoad, type Column } from '../../components';
import { features } from '../../features';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { useInvoiceColumns } from './invoiceColumns';
import { InvoiceSummary } from './InvoiceSummary';
import { PaymentForm } from './PaymentForm';

export function FinancePage() {
  const { t, tx } = useI18n();
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
  const columns: Column<InvoiceView>[] = [
    {
      head: t('finance.number'),
      cell: (inv) => (
        <>
          <Link to={`/contracts/${inv.contractId}`} className="mono">
            {inv.number}
          </Link>
          <span className="muted small block">
            {tx(`invoiceKind.${inv.kind}`)} · {inv.periodLabel}
          </span>
        </>
      ),
    },
    ...useInvoiceColumns({
      fetchedAt: list.fetchedAt,
      outstanding: true,
      statusNote: (inv) =>
        inv.status === 'overdue' &&
        inv.paidFen > 0 && (
          <span className="badge s-partially_paid" data-testid="partly-paid">
            {t('finance.partlyPaid')}
          </span>
        ),
      settled: () => <span className="ok">✓</span>,
    }),
  ];
  if (canRecord) {
    columns.push({
      head: t('common.actions'),
      cell: (inv) =>
        inv.status !== 'paid' && (
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
        ),
    });
  }

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('finance.title')}</h1>
        <Segmented
          label={t('finance.status')}
          options={['', ...INVOICE_STATUSES].map((s) => ({ value: s, text: s ? tx(`invoiceStatus.${s}`) : t('common.all') }))}
          value={status}
          onChoose={(s) => navigate(`/finance${s ? `?status=${s}` : ''}`)}
        />
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
      <ListBody list={list} empty={items.length === 0} emptyText={t('finance.empty')}>
        <DataTable
          rows={items}
          columns={columns}
          rowKey={(inv) => inv.number}
          rowProps={(inv) => ({ 'data-invoice': inv.number, className: inv.status === 'overdue' ? 'row-overdue' : undefined })}
          testId="invoices-table"
          responsive
          card
        />
      </ListBody>
    </div>
  );
}
