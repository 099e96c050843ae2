/** A year's month as a grid, Monday first: rest days, make-up working days, weekends and today marked. */
import type { CalendarDay } from '../../../../domain/calendar';
import { useI18n, type Lang, type Translate } from '../../i18n';

const pad = (n: number) => String(n).padStart(2, '0');

function monthName(year: number, month: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month, 1)));
}

/** One month, Monday first: the weeks as rows of seven cells (null before the 1st and after the last day). */
function weeksOf(year: number, month: number): (number | null)[][] {
  const offset = (new Date(Date.UTC(year, month, 1)).getUTCDay() + 6) % 7;
  const length = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const cells: (number | null)[] = [...Array<null>(offset).fill(null), ...Array.from({ length }, (_, i) => i + 1)];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export function MonthGrid({ year, month, days, today, t, lang }: { year: number; month: number; days: Map<string, CalendarDay>; today: string; t: Translate; lang: Lang }) {
  const weekdays = t('holidays.weekdays').split(',');
  return (
    <table className="cal-month" data-month={month + 1}>
      <caption>{monthName(year, month, lang)}</caption>
      <thead>
        <tr>
          {weekdays.map((w, i) => (
            <th key={w} scope="col" className={i >= 5 ? 'cal-weekend-head' : undefined}>
              {w}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeksOf(year, month).map((week, w) => (
          <tr key={w}>
            {week.map((d, i) => {
              if (d === null) return <td key={i} className="cal-blank" />;
              const date = `${year}-${pad(month + 1)}-${pad(d)}`;
              const day = days.get(date);
              const classes = ['cal-day'];
              if (day?.kind === 'rest') classes.push('cal-rest');
              else if (day?.kind === 'work') classes.push('cal-work');
              else if (i >= 5) classes.push('cal-weekend');
              if (date === today) classes.push('cal-today');
              const title = day ? t(day.kind === 'rest' ? 'holidays.restTitle' : 'holidays.workTitle', { date, name: day.name }) : undefined;
              return (
                <td key={i} className={classes.join(' ')} title={title} data-date={date} data-kind={day?.kind}>
                  <span className="cal-num">{d}</span>
                  {day && <span className="cal-mark">{t(day.kind === 'rest' ? 'holidays.mark.rest' : 'holidays.mark.work')}</span>}
                  {title && <span className="visually-hidden">{title}</span>}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Legend() {
  const { t } = useI18n();
  return (
    <div className="legend cal-legend" data-testid="calendar-legend">
      <span className="key cal-rest" aria-hidden="true" /> {t('holidays.legend.rest')}
      <span className="key cal-work" aria-hidden="true" /> {t('holidays.legend.work')}
      <span className="key cal-weekend" aria-hidden="true" /> {t('holidays.legend.weekend')}
      <span className="key cal-today" aria-hidden="true" /> {t('holidays.legend.today')}
    </div>
  );
}
