/** A calendar year in words: official or provisional, where its days come from, who entered them. */
import type { CalendarYearSummaryView } from '../../../../api/routes/calendar.types';
import type { CalendarYearStatus } from '../../../../domain/calendar';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';

export function StatusTag({ status }: { status: CalendarYearStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge s-${status}`} data-testid="year-status" data-status={status}>
      {t(`holidayStatus.${status}`)}
    </span>
  );
}

/** Where a year's days come from: the notice (title, number, date), the bundled package, or the law alone. */
export function Provenance({ summary }: { summary: CalendarYearSummaryView }) {
  const { t } = useI18n();
  const { source } = summary;
  if (summary.basis === 'statutory') return <span>{t('holidays.basis.statutory')}</span>;
  const title = source ? (
    source.url ? (
      <a href={source.url} target="_blank" rel="noreferrer noopener">
        {source.title}
      </a>
    ) : (
      <span>{source.title}</span>
    )
  ) : null;
  if (summary.basis === 'bundled') {
    return (
      <span>
        {t('holidays.basis.bundled')}
        {title && <span className="muted small block">{title}</span>}
      </span>
    );
  }
  return (
    <span>
      {title}
      {source?.documentNumber && (
        <span className="muted small block">
          {t('holidays.docNo')}：{source.documentNumber}
        </span>
      )}
      {source?.publishedAt && (
        <span className="muted small block">
          {t('holidays.publishedAt')}：{source.publishedAt}
        </span>
      )}
    </span>
  );
}

export function Entered({ summary }: { summary: CalendarYearSummaryView }) {
  const { t, lang } = useI18n();
  if (!summary.enteredBy || !summary.enteredAt) return <span className="muted">—</span>;
  return (
    <span>
      {t('holidays.enteredBy', { who: summary.enteredBy, at: formatDateTime(summary.enteredAt, lang) })}
      {summary.revision > 0 && <span className="muted small block">{t('holidays.revision', { n: summary.revision })}</span>}
    </span>
  );
}
