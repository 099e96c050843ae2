/** One calendar year: its provenance, twelve month grids, and the recounts its notices started. */
import { useMemo } from 'react';
import type { CalendarRecountView, CalendarYearDetailView } from '../../../../api/routes/calendar.types';
import { DataTable, Section, type Column } from '../../components';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { shanghaiToday } from './dates';
import { Legend, MonthGrid } from './MonthGrid';
import { Entered, Provenance, StatusTag } from './YearInfo';

function Recounts({ recounts }: { recounts: CalendarRecountView[] }) {
  const { t, tx, lang } = useI18n();
  if (recounts.length === 0) return <p className="muted">{t('holidays.recounts.none')}</p>;
  const columns: Column<CalendarRecountView>[] = [
    { head: t('holidays.recount.revision'), cell: (r) => r.revision },
    {
      head: t('holidays.recount.status'),
      cell: (r) => (
        <span className={`badge ${r.status === 'done' ? 's-active' : 's-open'}`} data-status={r.status}>
          {tx(`recountStatus.${r.status}`, r.status)}
        </span>
      ),
    },
    { head: t('holidays.recount.signalled'), cell: (r) => r.signalled },
    { head: t('holidays.recount.passes'), cell: (r) => r.passes },
    { head: t('holidays.recount.moved'), cell: (r) => r.moved },
    { head: t('holidays.recount.startedAt'), cell: (r) => formatDateTime(r.startedAt, lang) },
    { head: t('holidays.recount.finishedAt'), cell: (r) => formatDateTime(r.finishedAt, lang) },
  ];
  return <DataTable rows={recounts} columns={columns} rowKey={(r) => r.id} rowProps={(r) => ({ 'data-recount-id': r.id })} testId="calendar-recounts" responsive />;
}

export function YearView({ detail }: { detail: CalendarYearDetailView }) {
  const { t, lang } = useI18n();
  const days = useMemo(() => new Map(detail.days.map((d) => [d.date, d])), [detail.days]);
  const today = shanghaiToday();
  const rest = detail.days.filter((d) => d.kind === 'rest').length;
  return (
    <>
      <Section
        title={t('holidays.yearTitle', { year: detail.year })}
        id="calendar-year"
        actions={<StatusTag status={detail.status} />}
      >
        <dl className="kv">
          <dt>{t('holidays.source')}</dt>
          <dd>
            <Provenance summary={detail} />
          </dd>
          <dt>{t('holidays.entered')}</dt>
          <dd>
            <Entered summary={detail} />
          </dd>
        </dl>
        {detail.status === 'provisional' && <p className="notice n-warn">{t('holidays.provisionalNote')}</p>}
        <p className="muted small">{t('holidays.counts', { rest, work: detail.days.length - rest })}</p>
        <Legend />
        <div className="cal-months" data-testid="calendar-months" data-year={detail.year}>
          {Array.from({ length: 12 }, (_, m) => (
            <MonthGrid key={m} year={detail.year} month={m} days={days} today={today} t={t} lang={lang} />
          ))}
        </div>
      </Section>
      <Section title={t('holidays.recounts')} id="calendar-recounts">
        <Recounts recounts={detail.recounts} />
      </Section>
    </>
  );
}
