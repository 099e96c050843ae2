import type { CalendarYearSummaryView } from '../../../../api/routes/calendar.types';
import { DataTable, type Column } from '../../components';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { BASE } from './dates';
import { Entered, Provenance, StatusTag } from './YearInfo';

/** Every year the calendar knows, with its status and provenance; the one shown is marked. */
export function YearList({ years, selected }: { years: CalendarYearSummaryView[]; selected: number | null }) {
  const { t } = useI18n();
  const columns: Column<CalendarYearSummaryView>[] = [
    {
      head: t('holidays.year'),
      cell: (y) => (
        <Link to={`${BASE}?year=${y.year}`} className="mono">
          {y.year}
        </Link>
      ),
    },
    { head: t('holidays.status'), cell: (y) => <StatusTag status={y.status} /> },
    { head: t('holidays.source'), cell: (y) => <Provenance summary={y} /> },
    { head: t('holidays.entered'), cell: (y) => <Entered summary={y} /> },
  ];
  return (
    <DataTable
      rows={years}
      columns={columns}
      rowKey={(y) => y.year}
      rowProps={(y) => ({ 'data-year': y.year, className: y.year === selected ? 'row-selected' : undefined, 'aria-current': y.year === selected ? 'true' : undefined })}
      testId="calendar-years"
      responsive
      card
    />
  );
}
