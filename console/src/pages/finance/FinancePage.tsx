/**
 * Finance: the totals by status and the ageing of what is owed (with its CSV
 * export), then invoices by status or a search (invoice or contract number,
 * customer), a page at a time, overdue first (the API's order), with
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
import { DataTable, ListBody, Notice, Pager, SearchInput, Segmented, useLoad, useSearchText, type Column } from '../../components';
import { features } from '../../features';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { useInvoiceColumns } from './invoiceColumns';
import { InvoiceSummary } from './InvoiceSummary';
import { PaymentForm } from './PaymentForm';

const PAGE = 50;

export function FinancePage() {
  const { t, tx } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const contract = query.get('contract') ?? '';
  const q = query.get('q') ?? '';
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [paymentsRecorded, setPaymentsRecorded] = useState(0);
  const apiQuery = new URLSearchParams({ limit: String(PAGE), offset: String(offset), ...(status ? { status } : {}), ...(contract ? { contract } : {}), ...(q ? { q } : {}) }).toString();
  const list = useLoad((signal) => apiGet<InvoiceListView>(`/api/invoices?${apiQuery}`, { signal }), [apiQuery]);
  const items = list.data?.items ?? [];
  /** the list with these changes, in the URL */
  const go = (next: { status?: string; q?: string; offset?: number }) => {
    const params = new URLSearchParams();
    const nextStatus = next.status ?? status;
    const nextQ = next.q ?? q;
    if (nextStatus) params.set('status', nextStatus);
    if (contract) params.set('contract', contract);
    if (nextQ) params.set('q', nextQ);
    if (next.offset) params.set('offset', String(next.offset));
    const qs = params.toString();
    navigate(`/finance${qs ? `?${qs}` : ''}`);
  };
  const [text, setText] = useSearchText(q, (next) => go({ q: next, offset: 0 }));
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
          onChoose={(s) => go({ status: s, offset: 0 })}
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
      <div className="filters card">
        <label className="field search-field">
          <span>{t('finance.search')}</span>
          <SearchInput value={text} onChange={setText} placeholder={t('finance.searchPlaceholder')} testId="invoices-search" />
        </label>
      </div>
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
        {list.data && <Pager offset={offset} limit={PAGE} total={list.data.total} shown={items.length} onPage={(next) => go({ offset: next })} testId="invoices-pager" />}
      </ListBody>
    </div>
  );
}
