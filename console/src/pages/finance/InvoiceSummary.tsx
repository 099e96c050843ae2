/**
 * Finance's totals and ageing (GET /api/invoices/summary): per invoice status
 * the count, amount, paid and outstanding in yuan, and what is owed by age
 * (current, 1–30, 31–60, 61–90, > 90 days overdue, counted in Beijing days
 * from the due date), with the ageing as a CSV file for Excel
 * (GET /api/invoices/ageing.csv). A sales user sees their own contracts'.
 */
import { useState } from 'react';
import type { InvoiceSummaryView } from '../../../../api/routes/invoices.types';
import { apiBlob, apiGet } from '../../api';
import { ErrorBox, Loading, StatusBadge, useLoad } from '../../components';
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
  return (
    <div className="grid-2 finance-summary">
      <section className="card" data-section="totals" aria-labelledby="totals-h">
        <header className="card-head">
          <h2 id="totals-h">{t('finance.totals')}</h2>
        </header>
        <div className="table-wrap">
          <table className="table" data-testid="invoice-totals">
            <thead>
              <tr>
                <th>{t('finance.status')}</th>
                <th className="num">{t('finance.count')}</th>
                <th className="num">{t('finance.amount')}</th>
                <th className="num">{t('finance.paid')}</th>
                <th className="num">{t('finance.outstanding')}</th>
              </tr>
            </thead>
            <tbody>
              {s.byStatus.map((row) => (
                <tr key={row.status} data-status={row.status}>
                  <td>
                    <Link to={`/finance?status=${row.status}`} aria-label={tx(`invoiceStatus.${row.status}`)}>
                      <StatusBadge status={row.status} kind="invoiceStatus" />
                    </Link>
                    {row.status === 'overdue' && s.overduePartlyPaid.count > 0 && (
                      <span className="muted small block" data-testid="overdue-partly-paid">
                        {t('finance.overduePartlyPaid', { n: s.overduePartlyPaid.count, paid: formatYuan(s.overduePartlyPaid.paidFen) })}
                      </span>
                    )}
                  </td>
                  <td className="num">{row.count}</td>
                  <td className="num">{formatYuan(row.amountFen)}</td>
                  <td className="num">{formatYuan(row.paidFen)}</td>
                  <td className="num">{formatYuan(row.outstandingFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-status="total">
                <th>{t('finance.total')}</th>
                <th className="num">{s.total.count}</th>
                <th className="num">{formatYuan(s.total.amountFen)}</th>
                <th className="num">{formatYuan(s.total.paidFen)}</th>
                <th className="num">{formatYuan(s.total.outstandingFen)}</th>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <section className="card" data-section="ageing" aria-labelledby="ageing-h">
        <header className="card-head">
          <h2 id="ageing-h">{t('finance.ageing')}</h2>
          <button type="button" className="btn btn-small" onClick={() => void download()} data-testid="ageing-download">
            {t('finance.ageingDownload')}
          </button>
        </header>
        <p className="muted small">{t('finance.ageingAsOf', { date: s.today })}</p>
        <div className="table-wrap">
          <table className="table" data-testid="ageing-table">
            <thead>
              <tr>
                <th>{t('finance.ageingBucket')}</th>
                <th className="num">{t('finance.count')}</th>
                <th className="num">{t('finance.outstanding')}</th>
              </tr>
            </thead>
            <tbody>
              {s.ageing.buckets.map((b) => (
                <tr key={b.bucket} data-bucket={b.bucket} className={b.bucket !== 'current' && b.outstandingFen > 0 ? 'row-overdue' : undefined}>
                  <td>{tx(`ageing.${b.bucket}`)}</td>
                  <td className="num">{b.count}</td>
                  <td className="num">{formatYuan(b.outstandingFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-bucket="total">
                <th>{t('finance.total')}</th>
                <th className="num">{s.ageing.total.count}</th>
                <th className="num">{formatYuan(s.ageing.total.outstandingFen)}</th>
              </tr>
            </tfoot>
          </table>
        </div>
        <ErrorBox error={downloadError} />
      </section>
    </div>
  );
}
