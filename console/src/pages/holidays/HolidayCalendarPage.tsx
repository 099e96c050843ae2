/**
 * The legal holiday calendar deadlines are counted over: every year with its
 * status (official: a State Council notice or the bundled data; provisional:
 * the statutory holidays only) and provenance (GET /api/holiday-calendar), a
 * year as twelve month grids with its recounts (GET /api/holiday-calendar/:year),
 * and, for legal and admin, a notice entered from JSON: previewed first
 * (PUT ?dryRun=true: which open deadlines would move), then published.
 */
import type { CalendarYearDetailView, CalendarYearListView } from '../../../../api/routes/calendar.types';
import { apiGet, can } from '../../api';
import { useAuth } from '../../auth';
import { ErrorBox, Loading, useLoad } from '../../components';
import { useI18n } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { BASE, shanghaiToday } from './dates';
import { ImportPanel } from './ImportPanel';
import { YearList } from './YearList';
import { YearView } from './YearView';

const YEAR_PATH = '/api/holiday-calendar/:year';

export function HolidayCalendarPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const canEnter = can(user.role, 'put', YEAR_PATH);
  const asked = Number(query.get('year'));
  const years = useLoad((signal) => apiGet<CalendarYearListView>('/api/holiday-calendar', { signal }), []);

  const thisYear = Number(shanghaiToday().slice(0, 4));
  const known = years.data?.years ?? [];
  const selected = Number.isInteger(asked) && asked > 0 ? asked : known.some((y) => y.year === thisYear) ? thisYear : (known[known.length - 1]?.year ?? null);
  const detail = useLoad(
    (signal) => (selected === null ? Promise.resolve(null) : apiGet<CalendarYearDetailView>(`/api/holiday-calendar/${selected}`, { signal })),
    [selected],
  );

  const published = (year: number) => {
    years.reload();
    if (year === selected) detail.reload();
    else navigate(`${BASE}?year=${year}`);
  };

  return (
    <div className="page" data-testid="holiday-calendar">
      <div className="page-head">
        <div>
          <h1>{t('holidays.title')}</h1>
          <p className="muted">{t('holidays.intro')}</p>
        </div>
      </div>
      <ErrorBox error={years.error} onRetry={years.reload} />
      {years.loading && !years.data ? <Loading /> : years.data && <YearList years={years.data.years} selected={selected} />}
      {canEnter && <ImportPanel initialYear={selected ?? thisYear + 1} onPublished={published} />}
      <ErrorBox error={detail.error} onRetry={detail.reload} />
      {detail.data && detail.data.year === selected ? <YearView detail={detail.data} /> : detail.loading && selected !== null && <Loading />}
    </div>
  );
}
