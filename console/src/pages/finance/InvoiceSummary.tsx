/**
 * Finance's totals and ageing (GET /api/invoices/summary): per invoice status
 * the count, amount, paid and outstanding in yuan, and what is owed by age
 * (current, 1–30, 31–60, 61–90, > 90 days overdue, counted in Beijing days
 * from the due date), with the ageing as a CSV file for Excel
 * (GET /api/invoices/ageing.csv). A sales user sees their own contracts'.
 */
import { useState } from 'react';
import type { InvoiceSummaryView } from '../../../../api/routes/invoices.types';
import type { BucketTotal, StatusTotal } from '../../../../domain/ageing';
import { apiBlob, apiGet } from '../../api';
import { DataTable, ErrorBox, Loading, Section, StatusBadge, useLoad, type Column } from '../../components';
import { saveFile } from '../../download';
import { formatYuan } from '../../format';
import { useI18n } from '../../i18n';
import { Link } from '../../router';

export function InvoiceSummary({ reloadKey }: { reloadKey: number }) {
  const { t, tx } = useI18n();
  const summary = useLoad((signal) => apiGet<InvoiceSummaryView>('/api/invoices/summary', { signal }), [reloadKey]);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const download = async () => {
    setDownloadError(null);
    try {
      const today = summary.data?.today ?? new Date().toISOString().slice(0, 10);
      saveFile(await apiBlob('/api/invoices/ageing.csv'), 'text/csv;charset=utf-8', `应收账款账龄-${today}.csv`);
    } catch (e) {
      setDownloadError(e);
    }
  };

  if (summary.loading && !summary.data) return <Loading />;
  if (!summary.data) return <ErrorBox error={summary.error} onRetry={summary.reload} />;
  const s = summary.data;
  const totalColumns: Column<StatusTotal>[] = [
    {
      head: t('finance.status'),
      cell: (row) => (
        <>
          <Link to={`/finance?status=${row.status}`} aria-label={tx(`invoiceStatus.${row.status}`)}>
            <StatusBadge status={row.status} kind="invoiceStatus" />
          </Link>
          {row.status === 'overdue' && s.overduePartlyPaid.count > 0 && (
            <span className="muted small block" data-testid="overdue-partly-paid">
              {t('finance.overduePartlyPaid', { n: s.overduePartlyPaid.count, paid: formatYuan(s.overduePartlyPaid.paidFen) })}
            </span>
          )}
        </>
      ),
    },
    { head: t('finance.count'), num: true, cell: (row) => row.count },
    { head: t('finance.amount'), num: true, cell: (row) => formatYuan(row.amountFen) },
    { head: t('finance.paid'), num: true, cell: (row) => formatYuan(row.paidFen) },
    { head: t('finance.outstanding'), num: true, cell: (row) => formatYuan(row.outstandingFen) },
  ];
  const ageingColumns: Column<BucketTotal>[] = [
    { head: t('finance.ageingBucket'), cell: (b) => tx(`ageing.${b.bucket}`) },
    { head: t('finance.count'), num: true, cell: (b) => b.count },
    { head: t('finance.outstanding'), num: true, cell: (b) => formatYuan(b.outstandingFen) },
  ];
  return (
    <div className="grid-2 finance-summary">
      <Section title={t('finance.totals')} id="totals">
        <DataTable
          rows={s.byStatus}
          columns={totalColumns}
          rowKey={(row) => row.status}
          rowProps={(row) => ({ 'data-status': row.status })}
          testId="invoice-totals"
          foot={
            <tr data-status="total">
              <th>{t('finance.total')}</th>
              <th className="num">{s.total.count}</th>
              <th className="num">{formatYuan(s.total.amountFen)}</th>
              <th className="num">{formatYuan(s.total.paidFen)}</th>
              <th className="num">{formatYuan(s.total.outstandingFen)}</th>
            </tr>
          }
        />
      </Section>
      <Section
        title={t('finance.ageing')}
        id="ageing"
        actions={
          <button type="button" className="btn btn-small" onClick={() => void download()} data-testid="ageing-download">
            {t('finance.ageingDownload')}
          </button>
        }
      >
        <p className="muted small">{t('finance.ageingAsOf', { date: s.today })}</p>
        <DataTable
          rows={s.ageing.buckets}
          columns={ageingColumns}
          rowKey={(b) => b.bucket}
          rowProps={(b) => ({ 'data-bucket': b.bucket, className: b.bucket !== 'current' && b.outstandingFen > 0 ? 'row-overdue' : undefined })}
          testId="ageing-table"
          foot={
            <tr data-bucket="total">
              <th>{t('finance.total')}</th>
              <th className="num">{s.ageing.total.count}</th>
              <th className="num">{formatYuan(s.ageing.total.outstandingFen)}</th>
            </tr>
          }
        />
        <ErrorBox error={downloadError} />
      </Section>
    </div>
  );
}
