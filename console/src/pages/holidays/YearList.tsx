import type { CalendarYearSummaryView } from '../../../../api/routes/calendar.types';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { BASE } from './dates';
import { Entered, Provenance, StatusTag } from './YearInfo';

/** Every year the calendar knows, with its status and provenance; the one shown is marked. */
export function YearList({ years, selected }: { years: CalendarYearSummaryView[]; selected: number | null }) {
  const { t } = useI18n();
  return (
    <div className="card table-wrap">
      <table className="table responsive" data-testid="calendar-years">
        <thead>
          <tr>
            <th>{t('holidays.year')}</th>
            <th>{t('holidays.status')}</th>
            <th>{t('holidays.source')}</th>
            <th>{t('holidays.entered')}</th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr key={y.year} data-year={y.year} className={y.year === selected ? 'row-selected' : undefined} aria-current={y.year === selected ? 'true' : undefined}>
              <td data-label={t('holidays.year')}>
                <Link to={`${BASE}?year=${y.year}`} className="mono">
                  {y.year}
                </Link>
              </td>
              <td data-label={t('holidays.status')}>
                <StatusTag status={y.status} />
              </td>
              <td data-label={t('holidays.source')}>
                <Provenance summary={y} />
              </td>
              <td data-label={t('holidays.entered')}>
                <Entered summary={y} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
