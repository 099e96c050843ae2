/** The columns an invoice table shows after the invoice's number: on the finance page and on a contract's page. */
import type { ReactNode } from 'react';
import type { InvoiceView } from '../../../../api/routes/invoices.types';
import { Countdown, StatusBadge, type Column } from '../../components';
import { formatDue, formatYuan } from '../../format';
import { useI18n } from '../../i18n';

/**
 * Status (and `statusNote` after it), amount, paid, what is still owed when
 * `outstanding`, the due date (how it was counted on hover) and the time
 * left, live from `fetchedAt`; once paid, `settled` stands in its place.
 */
export function useInvoiceColumns({
  fetchedAt,
  outstanding = false,
  statusNote,
  settled,
}: {
  fetchedAt: number;
  outstanding?: boolean;
  statusNote?: (invoice: InvoiceView) => ReactNode;
  settled: (invoice: InvoiceView) => ReactNode;
}): Column<InvoiceView>[] {
  const { t, lang } = useI18n();
  return [
    {
      head: t('finance.status'),
      cell: (inv) => (
        <>
          <StatusBadge status={inv.status} kind="invoiceStatus" />
          {statusNote?.(inv)}
        </>
      ),
    },
    { head: t('finance.amount'), cell: (inv) => formatYuan(inv.amountFen) },
    { head: t('finance.paid'), cell: (inv) => formatYuan(inv.paidFen) },
    ...(outstanding ? [{ head: t('finance.outstanding'), cell: (inv: InvoiceView) => formatYuan(inv.outstandingFen) }] : []),
    { head: t('finance.due'), title: (inv) => inv.dueExplanation, cell: (inv) => formatDue(inv.dueAt, lang) },
    { head: t('list.countdown'), cell: (inv) => (inv.secondsLeft !== null ? <Countdown secondsLeft={inv.secondsLeft} fetchedAt={fetchedAt} /> : settled(inv)) },
  ];
}
