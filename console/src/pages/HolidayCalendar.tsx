/**
 * The legal holiday calendar deadlines are counted over: every year with its
 * status (official: a State Council notice or the bundled data; provisional:
 * the statutory holidays only) and provenance (GET /api/holiday-calendar), a
 * year as twelve month grids with its recounts (GET /api/holiday-calendar/:year),
 * and, for legal and admin, a notice entered from JSON: previewed first
 * (PUT ?dryRun=true: which open deadlines would move), then published.
 */
import { useMemo, useState, type ChangeEvent } from 'react';
import { apiGet, apiPut, can } from '../api';
import { useAuth } from '../auth';
import { ErrorBox, Loading, Section, useLoad } from '../components';
import { formatDateTime, formatDue } from '../format';
import { useI18n, type Lang, type Translate } from '../i18n';
import { Link, navigate, useLocation } from '../router';

type YearStatus = 'official' | 'provisional';
type CalendarSource = { title: string; url?: string; documentNumber?: string; publishedAt?: string };
type YearSummary = {
  year: number;
  status: YearStatus;
  basis: 'bundled' | 'notice' | 'statutory';
  source: CalendarSource | null;
  revision: number;
  enteredBy: string | null;
  enteredAt: string | null;
};
type CalendarDay = { date: string; kind: 'rest' | 'work'; name: string };
type Recount = { id: string; year: number; revision: number; status: 'running' | 'done'; signalled: number; passes: number; moved: number; startedAt: string; finishedAt: string | null };
type YearDetail = YearSummary & { days: CalendarDay[]; recounts: Recount[] };
type DeadlineMove = { deadlineId: string; contractId: string | null; contractNumber: string | null; kind: string; fromDueAt: string; toDueAt: string; days: number };
type NoticeResult = { year: number; dryRun: boolean; changed: boolean; revision: number; moves: DeadlineMove[]; recount: { workflowId: string } | null };

const BASE = '/holiday-calendar';
const YEAR_PATH = '/api/holiday-calendar/:year';

/** Today in Asia/Shanghai as YYYY-MM-DD (China keeps no daylight saving time). */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const pad = (n: number) => String(n).padStart(2, '0');

function StatusTag({ status }: { status: YearStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge s-${status}`} data-testid="year-status" data-status={status}>
      {t(`holidayStatus.${status}`)}
    </span>
  );
}

/** Where a year's days come from: the notice (title, number, date), the bundled package, or the law alone. */
function Provenance({ summary }: { summary: YearSummary }) {
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

function Entered({ summary }: { summary: YearSummary }) {
  const { t, lang } = useI18n();
  if (!summary.enteredBy || !summary.enteredAt) return <span className="muted">—</span>;
  return (
    <span>
      {t('holidays.enteredBy', { who: summary.enteredBy, at: formatDateTime(summary.enteredAt, lang) })}
      {summary.revision > 0 && <span className="muted small block">{t('holidays.revision', { n: summary.revision })}</span>}
    </span>
  );
}

function YearList({ years, selected }: { years: YearSummary[]; selected: number | null }) {
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

function MonthGrid({ year, month, days, today, t, lang }: { year: number; month: number; days: Map<string, CalendarDay>; today: string; t: Translate; lang: Lang }) {
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

function Legend() {
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

function Recounts({ recounts }: { recounts: Recount[] }) {
  const { t, tx, lang } = useI18n();
  if (recounts.length === 0) return <p className="muted">{t('holidays.recounts.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="table responsive" data-testid="calendar-recounts">
        <thead>
          <tr>
            <th>{t('holidays.recount.revision')}</th>
            <th>{t('holidays.recount.status')}</th>
            <th>{t('holidays.recount.signalled')}</th>
            <th>{t('holidays.recount.passes')}</th>
            <th>{t('holidays.recount.moved')}</th>
            <th>{t('holidays.recount.startedAt')}</th>
            <th>{t('holidays.recount.finishedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {recounts.map((r) => (
            <tr key={r.id} data-recount-id={r.id}>
              <td data-label={t('holidays.recount.revision')}>{r.revision}</td>
              <td data-label={t('holidays.recount.status')}>
                <span className={`badge ${r.status === 'done' ? 's-active' : 's-open'}`} data-status={r.status}>
                  {tx(`recountStatus.${r.status}`, r.status)}
                </span>
              </td>
              <td data-label={t('holidays.recount.signalled')}>{r.signalled}</td>
              <td data-label={t('holidays.recount.passes')}>{r.passes}</td>
              <td data-label={t('holidays.recount.moved')}>{r.moved}</td>
              <td data-label={t('holidays.recount.startedAt')}>{formatDateTime(r.startedAt, lang)}</td>
              <td data-label={t('holidays.recount.finishedAt')}>{formatDateTime(r.finishedAt, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function YearView({ detail }: { detail: YearDetail }) {
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

function Moves({ moves }: { moves: DeadlineMove[] }) {
  const { t, tx, lang } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table responsive" data-testid="calendar-moves">
        <thead>
          <tr>
            <th>{t('holidays.move.contract')}</th>
            <th>{t('holidays.move.kind')}</th>
            <th>{t('holidays.move.from')}</th>
            <th>{t('holidays.move.to')}</th>
            <th>{t('holidays.move.days')}</th>
          </tr>
        </thead>
        <tbody>
          {moves.map((m) => (
            <tr key={m.deadlineId} data-deadline-id={m.deadlineId}>
              <td data-label={t('holidays.move.contract')}>
                {m.contractId ? (
                  <Link to={`/contracts/${m.contractId}`} className="mono">
                    {m.contractNumber ?? m.contractId}
                  </Link>
                ) : (
                  <span className="mono">{m.contractNumber ?? '—'}</span>
                )}
              </td>
              <td data-label={t('holidays.move.kind')}>{tx(`deadline.${m.kind}`, m.kind)}</td>
              <td data-label={t('holidays.move.from')}>{formatDue(m.fromDueAt, lang)}</td>
              <td data-label={t('holidays.move.to')}>{formatDue(m.toDueAt, lang)}</td>
              <td data-label={t('holidays.move.days')} className="mono">
                {t('holidays.move.daysValue', { sign: m.days > 0 ? '+' : m.days < 0 ? '−' : '±', n: Math.abs(m.days) })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NoticeOutcome({ result }: { result: NoticeResult }) {
  const { t } = useI18n();
  if (!result.changed) return <p className="notice n-info">{t('holidays.import.unchanged')}</p>;
  return (
    <div data-testid={result.dryRun ? 'calendar-preview' : 'calendar-published'}>
      {result.dryRun ? (
        <p>
          <strong>{t('holidays.import.previewOf', { year: result.year })}</strong>{' '}
          {result.moves.length > 0 ? t('holidays.import.wouldMove', { n: result.moves.length }) : t('holidays.import.noMoves')}
        </p>
      ) : (
        <div className="notice n-ok" role="status">
          {t('holidays.import.published', { year: result.year, revision: result.revision })}{' '}
          {result.moves.length > 0 ? t('holidays.import.moved', { n: result.moves.length }) : t('holidays.import.noMoves')}
          {result.recount && <span className="block small">{t('holidays.import.recount', { id: result.recount.workflowId })}</span>}
        </div>
      )}
      {result.moves.length > 0 && <Moves moves={result.moves} />}
    </div>
  );
}

type Parsed = { body: Record<string, unknown> | null; error: string | null };

function parseNotice(text: string, t: Translate): Parsed {
  if (!text.trim()) return { body: null, error: t('holidays.import.empty') };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { body: null, error: t('holidays.import.notObject') };
    return { body: value as Record<string, unknown>, error: null };
  } catch (e) {
    return { body: null, error: t('holidays.import.invalidJson', { message: (e as Error).message }) };
  }
}

const validYear = (text: string) => /^\d{4}$/.test(text) && Number(text) >= 2004 && Number(text) <= 2100;

/** Paste or upload a notice, preview its moves (dry run), then publish it. */
function ImportPanel({ initialYear, onPublished }: { initialYear: number; onPublished: (year: number) => void }) {
  const { t } = useI18n();
  const [year, setYear] = useState(String(initialYear));
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [publishedAt, setPublishedAt] = useState('');
  const [busy, setBusy] = useState<'preview' | 'publish' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ input: string; result: NoticeResult } | null>(null);

  const parsed = useMemo(() => parseNotice(text, t), [text, t]);
  const holidayCn = parsed.body !== null && 'papers' in parsed.body;
  const input = JSON.stringify([year, text, holidayCn ? publishedAt : '']);
  const previewed = outcome !== null && outcome.result.dryRun && outcome.input === input;

  const takeText = (next: string) => {
    setText(next);
    setProblem(null);
    // a holiday-cn file names its year: follow it
    const body = parseNotice(next, t).body;
    if (body && typeof body.year === 'number' && Number.isInteger(body.year)) setYear(String(body.year));
  };

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      setFileName(file.name);
      takeText(typeof reader.result === 'string' ? reader.result : '');
    };
    reader.onerror = () => setProblem(t('error.generic', { message: reader.error?.message ?? file.name }));
    reader.readAsText(file, 'utf-8');
  };

  const send = async (dryRun: boolean) => {
    setError(null);
    setProblem(null);
    if (!validYear(year)) return setProblem(t('holidays.import.badYear'));
    if (!parsed.body) return setProblem(parsed.error);
    const query = new URLSearchParams({ dryRun: String(dryRun) });
    if (holidayCn && publishedAt) query.set('publishedAt', publishedAt);
    setBusy(dryRun ? 'preview' : 'publish');
    try {
      const result = await apiPut<NoticeResult>(`/api/holiday-calendar/${year}?${query}`, parsed.body);
      setOutcome({ input, result });
      if (!dryRun) onPublished(result.year);
    } catch (e) {
      setError(e);
      setOutcome(null);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Section title={t('holidays.import')} id="calendar-import">
      <p className="muted">{t('holidays.import.hint')}</p>
      <div className="form-grid" data-testid="calendar-import">
        <label className="field">
          <span>{t('holidays.import.year')}</span>
          <input inputMode="numeric" value={year} onChange={(e) => setYear(e.target.value.trim())} data-testid="import-year" />
        </label>
        {holidayCn && (
          <label className="field">
            <span>{t('holidays.import.publishedAt')}</span>
            <input type="date" value={publishedAt} onChange={(e) => setPublishedAt(e.target.value)} data-testid="import-published-at" />
          </label>
        )}
        <label className={`field wide ${problem ? 'has-error' : ''}`}>
          <span>{t('holidays.import.json')}</span>
          <textarea
            rows={10}
            className="mono"
            spellCheck={false}
            value={text}
            onChange={(e) => {
              setFileName(null);
              takeText(e.target.value);
            }}
            placeholder={'{ "source": { "title": "国务院办公厅关于2027年部分节假日安排的通知", "publishedAt": "2026-11-…" }, "days": [{ "date": "2027-01-01", "kind": "rest", "name": "元旦" }] }'}
            data-testid="import-json"
          />
          {problem && <span className="field-error">{problem}</span>}
        </label>
        <div className="file-row wide">
          <label className="btn btn-small file-btn">
            {t('holidays.import.file')}
            <input type="file" accept=".json,application/json" onChange={onFile} data-testid="import-file" />
          </label>
          {fileName && <span className="small">{fileName}</span>}
        </div>
        <ErrorBox error={error} />
        <div className="form-actions wide">
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void send(true)} data-testid="import-preview">
            {busy === 'preview' ? t('holidays.import.previewing') : t('holidays.import.preview')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy !== null || !previewed} onClick={() => void send(false)} title={previewed ? undefined : t('holidays.import.previewFirst')} data-testid="import-publish">
            {busy === 'publish' ? t('holidays.import.publishing') : t('holidays.import.publish')}
          </button>
          {!previewed && <span className="muted small">{t('holidays.import.previewFirst')}</span>}
        </div>
      </div>
      {outcome && (outcome.input === input || !outcome.result.dryRun) && <NoticeOutcome result={outcome.result} />}
    </Section>
  );
}

export function HolidayCalendarPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const canEnter = can(user.role, 'put', YEAR_PATH);
  const asked = Number(query.get('year'));
  const years = useLoad((signal) => apiGet<{ years: YearSummary[] }>('/api/holiday-calendar', { signal }), []);

  const thisYear = Number(shanghaiToday().slice(0, 4));
  const known = years.data?.years ?? [];
  const selected = Number.isInteger(asked) && asked > 0 ? asked : known.some((y) => y.year === thisYear) ? thisYear : (known[known.length - 1]?.year ?? null);
  const detail = useLoad(
    (signal) => (selected === null ? Promise.resolve(null) : apiGet<YearDetail>(`/api/holiday-calendar/${selected}`, { signal })),
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
