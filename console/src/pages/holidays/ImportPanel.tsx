/**
 * Entering a State Council notice for a year (legal and admin): pasted or
 * uploaded JSON (the notice's own form, or a holiday-cn file), previewed
 * first (PUT ?dryRun=true: which open deadlines would move), then published.
 */
import { useMemo, useState, type ChangeEvent } from 'react';
import type { CalendarNoticeResultView } from '../../../../api/routes/calendar.types';
import { apiPut } from '../../api';
import { ErrorBox, Section } from '../../components';
import { useI18n, type Translate } from '../../i18n';
import { NoticeOutcome } from './NoticeOutcome';

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
export function ImportPanel({ initialYear, onPublished }: { initialYear: number; onPublished: (year: number) => void }) {
  const { t } = useI18n();
  const [year, setYear] = useState(String(initialYear));
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [publishedAt, setPublishedAt] = useState('');
  const [busy, setBusy] = useState<'preview' | 'publish' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ input: string; result: CalendarNoticeResultView } | null>(null);

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
      const result = await apiPut<CalendarNoticeResultView>(`/api/holiday-calendar/${year}?${query}`, parsed.body);
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
