/**
 * Bringing an existing contract book in: download the CSV template, choose
 * the filled file (parsed here, in the browser, with the shared
 * domain/contract-import-csv.ts: cell errors name the line and the column),
 * a dry run of POST /api/contract-imports that shows where each contract
 * would stand (status, term end, invoices, what would be sent now), then the
 * import of the rows the dry run passed. Importing waits for a dry run of the
 * same file with at least one row that can go in.
 */
import { useMemo, useState, type ChangeEvent } from 'react';
import { describeImportPath, IMPORT_CSV_COLUMNS, importCsvTemplate, parseImportCsv, type ContractImportRow, type ImportCsvError } from '../../../domain/contract-import-csv';
import type { ContractTerms } from '../../../domain/terms';
import { shanghaiDate } from '../../../domain/time';
import { apiGet, apiPost, newIdempotencyKey } from '../api';
import { ErrorBox, Notice, Section, StatusBadge, useLoad } from '../components';
import { formatDue, formatYuan } from '../format';
import { useI18n, type Lang } from '../i18n';
import { Link } from '../router';
import { localizeMessage } from '../zod-messages';

export const TEMPLATE_FILE_NAME = '合同导入模板.csv';

type ImportIssue = { path: string; message: string; code?: string };
type PlannedInvoice = { number?: string | null; period: string; amountFen: number; paidFen: number; status: string; dueAt: string };
type ImportPlan = {
  status: string;
  standing?: string;
  effectiveAt: string;
  termEndsAt: string;
  termLastDay?: string;
  renewals: number;
  invoices: PlannedInvoice[];
  deadlines: { kind: string; ref: string; dueAt: string; explanation: string }[];
  notifications: { audiences: string[]; reason: string; subject: string }[];
};
type ImportResult = {
  externalRef: string;
  line?: number;
  ok: boolean;
  existing?: boolean;
  contractId?: string;
  contractNumber?: string;
  errors?: ImportIssue[];
  plan?: ImportPlan;
};
type ImportAnswer = { dryRun: boolean; summary: { total: number; ok: number; failed: number; existing: number }; results: ImportResult[] };

/** The server takes at most 1000 rows a request, under a body limit of its own (16 MB): larger files go in batches under both. */
const MAX_ROWS_PER_REQUEST = 1000;
const MAX_BYTES_PER_REQUEST = 8_000_000;

function batchesOf(rows: ContractImportRow[]): ContractImportRow[][] {
  const encoder = new TextEncoder();
  const batches: ContractImportRow[][] = [];
  let current: ContractImportRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = encoder.encode(JSON.stringify(row)).length + 1;
    if (current.length > 0 && (current.length >= MAX_ROWS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Every batch in turn; the answers as one (results in the rows' order). */
async function postImport(rows: ContractImportRow[], dryRun: boolean, file: string): Promise<ImportAnswer> {
  const merged: ImportAnswer = { dryRun, summary: { total: 0, ok: 0, failed: 0, existing: 0 }, results: [] };
  for (const batch of batchesOf(rows)) {
    const answer = await apiPost<ImportAnswer>('/api/contract-imports', { dryRun, file: file.slice(0, 200), contracts: batch }, dryRun ? {} : { idempotencyKey: newIdempotencyKey() });
    for (const key of ['total', 'ok', 'failed', 'existing'] as const) merged.summary[key] += answer.summary[key] ?? 0;
    merged.results.push(...answer.results);
  }
  return merged;
}

/** A file saved by Excel as "CSV UTF-8" or, on a Chinese Windows, as plain "CSV" (GBK). */
async function readFileText(file: File): Promise<{ text: string; gbk: boolean }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), gbk: false };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), gbk: true };
  }
}

function downloadTemplate(): void {
  const url = URL.createObjectURL(new Blob([importCsvTemplate()], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = TEMPLATE_FILE_NAME;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The Beijing date a term ends on: an end at 24:00 is the day before the midnight instant. */
function termEndDate(plan: ImportPlan): string {
  if (plan.termLastDay) return plan.termLastDay;
  const ms = Date.parse(plan.termEndsAt);
  return Number.isNaN(ms) ? plan.termEndsAt : shanghaiDate(new Date(ms - 1));
}

type State = 'ok' | 'imported' | 'existing' | 'failed' | 'notSent';
/** One line of the table per CSV row: the server's answer, or the file's own problems when the row was not sent. */
type Line = { key: string; line: number | null; externalRef: string; state: State; result?: ImportResult; fileErrors?: ImportCsvError[] };

/** A dry run happens only when the header was read: every file error then belongs to a data row. */
function linesOf(answer: ImportAnswer, sent: ContractImportRow[], fileErrors: ImportCsvError[]): Line[] {
  const lineOfRef = new Map(sent.map((row) => [row.externalRef, row.line ?? null]));
  const lines: Line[] = answer.results.map((result, i) => ({
    key: `r:${i}:${result.externalRef}`,
    line: result.line ?? lineOfRef.get(result.externalRef) ?? null,
    externalRef: result.externalRef,
    state: !result.ok ? 'failed' : result.existing ? 'existing' : answer.dryRun ? 'ok' : 'imported',
    result,
  }));
  const byLine = new Map<number, ImportCsvError[]>();
  for (const error of fileErrors) byLine.set(error.line, [...(byLine.get(error.line) ?? []), error]);
  for (const [line, errors] of byLine) lines.push({ key: `f:${line}`, line, externalRef: errors.find((e) => e.externalRef)?.externalRef ?? '', state: 'notSent', fileErrors: errors });
  return lines.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

const STATE_BADGE: Record<State, string> = { ok: 'active', imported: 'active', existing: 'open', failed: 'failed', notSent: 'failed' };

function IssueList({ result, fileErrors }: { result?: ImportResult; fileErrors?: ImportCsvError[] }) {
  const { t, tx, lang } = useI18n();
  const columnText = (name: string) => {
    const column = IMPORT_CSV_COLUMNS.find((c) => c.name === name);
    return column ? (lang === 'zh' ? column.label : column.name) : name;
  };
  return (
    <ul className="issues" data-testid="import-row-errors">
      {(result?.errors ?? []).map((error, i) => {
        const described = describeImportPath(error.path);
        return (
          <li key={`s${i}`} className="issue" data-column={described.column?.name ?? ''} data-path={error.path}>
            <strong>{lang === 'zh' ? described.words : (described.column?.name ?? error.path)}</strong>
            {described.column && lang === 'zh' && <code className="small"> {described.column.name}</code>}
            {lang === 'zh' ? '：' : ': '}
            {localizeMessage(error.message, lang)}
            {error.code && <span className="muted small"> （{tx(`errorCode.${error.code}`, error.code)}）</span>}
          </li>
        );
      })}
      {(fileErrors ?? []).map((error, i) => (
        <li key={`f${i}`} className="issue" data-column={error.column}>
          <strong>{error.column ? columnText(error.column) : t('import.wholeLine')}</strong>
          {error.column && lang === 'zh' && <code className="small"> {error.column}</code>}
          {lang === 'zh' ? '：' : ': '}
          {lang === 'zh' ? localizeMessage(error.message, lang) : error.messageEn}
        </li>
      ))}
    </ul>
  );
}

function PlanCells({ plan, lang }: { plan: ImportPlan | undefined; lang: Lang }) {
  const { t, tx } = useI18n();
  if (!plan) return <td colSpan={4} className="muted">—</td>;
  return (
    <>
      <td data-label={t('import.status')}>
        <div>
          <StatusBadge status={plan.status} />
          {plan.standing && <span className={`small block ${plan.standing === 'overdue' ? 'bad' : 'muted'}`}>{tx(`import.standing.${plan.standing}`, plan.standing)}</span>}
          {plan.renewals > 0 && <span className="muted small block">{t('import.renewals', { n: plan.renewals })}</span>}
        </div>
      </td>
      <td data-label={t('import.termEnd')} data-testid="import-term-end" className="mono nowrap" title={formatDue(plan.termEndsAt, lang)}>
        {termEndDate(plan)}
      </td>
      <td data-label={t('import.invoices')}>
        <div>
          {plan.invoices.map((invoice) => (
            <span key={invoice.period} className="block small" data-period={invoice.period} data-invoice-status={invoice.status}>
              <span className="mono">{invoice.number ?? invoice.period}</span> {formatYuan(invoice.amountFen)} <StatusBadge status={invoice.status} kind="invoiceStatus" />{' '}
              {invoice.status !== 'paid' && <span className="muted">{t('import.due', { date: formatDue(invoice.dueAt, lang) })}</span>}
            </span>
          ))}
        </div>
      </td>
      <td data-label={t('import.notifications')} data-testid="import-notifications">
        <div>
          {plan.notifications.length === 0 ? (
            <span className="muted small">{t('import.noNotifications')}</span>
          ) : (
            plan.notifications.map((n, i) => (
              <span key={`${n.reason}:${i}`} className="block small" data-reason={n.reason}>
                {n.subject}
                <span className="muted block">{t('import.to', { who: n.audiences.map((a) => tx(`audience.${a}`, a)).join('、') })}</span>
              </span>
            ))
          )}
        </div>
      </td>
    </>
  );
}

function ResultTable({ lines, dryRun }: { lines: Line[]; dryRun: boolean }) {
  const { t, lang } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table responsive" data-testid={dryRun ? 'import-preview' : 'import-result'}>
        <thead>
          <tr>
            <th>{t('import.line')}</th>
            <th>{t('import.ref')}</th>
            <th>{t('import.result')}</th>
            <th>{t('import.contract')}</th>
            <th>{t('import.status')}</th>
            <th>{t('import.termEnd')}</th>
            <th>{t('import.invoices')}</th>
            <th>{t('import.notifications')}</th>
            <th>{t('import.errors')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.key} data-ref={line.externalRef} data-line={line.line ?? ''} data-result={line.state} className={line.state === 'failed' || line.state === 'notSent' ? 'row-overdue' : undefined}>
              <td data-label={t('import.line')} className="mono">
                {line.line ?? '—'}
              </td>
              <td data-label={t('import.ref')} className="mono">
                {line.externalRef || '—'}
              </td>
              <td data-label={t('import.result')}>
                <span className={`badge s-${STATE_BADGE[line.state]}`} data-testid="import-state">
                  {t(`import.${line.state}`)}
                </span>
              </td>
              <td data-label={t('import.contract')}>
                {line.result?.contractId ? (
                  <Link to={`/contracts/${line.result.contractId}`} className="mono" data-testid="import-contract-link">
                    {line.result.contractNumber ?? line.result.contractId}
                  </Link>
                ) : (
                  '—'
                )}
              </td>
              <PlanCells plan={line.result?.plan} lang={lang} />
              <td data-label={t('import.errors')}>{line.result?.errors?.length || line.fileErrors?.length ? <IssueList result={line.result} fileErrors={line.fileErrors} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Summary({ lines, dryRun }: { lines: Line[]; dryRun: boolean }) {
  const { t } = useI18n();
  const count = (...states: State[]) => lines.filter((l) => states.includes(l.state)).length;
  const params = { total: lines.length, ok: count('ok', 'imported', 'existing'), existing: count('existing'), failed: count('failed', 'notSent') };
  return (
    <Notice kind={params.failed > 0 ? 'warn' : 'ok'}>
      <span data-testid={dryRun ? 'import-preview-summary' : 'import-result-summary'}>{t(dryRun ? 'import.previewSummary' : 'import.doneSummary', params)}</span>
    </Notice>
  );
}

type Chosen = { key: number; name: string; text: string; gbk: boolean };
type Outcome = { key: number; answer: ImportAnswer; sent: ContractImportRow[] };

export function ContractImportPage() {
  const { t, lang } = useI18n();
  const template = useLoad(
    (signal) => apiGet<{ terms: ContractTerms } | ContractTerms>('/api/templates/reference', { signal }).then((body) => ('terms' in body ? body.terms : body)),
    [],
  );
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [preview, setPreview] = useState<Outcome | null>(null);
  const [committed, setCommitted] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<'dryRun' | 'commit' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const parsed = useMemo(() => (chosen && template.data ? parseImportCsv(chosen.text, template.data) : null), [chosen, template.data]);

  const previewed = preview !== null && chosen !== null && preview.key === chosen.key;
  const okRefs = new Set(previewed ? preview.answer.results.filter((r) => r.ok).map((r) => r.externalRef) : []);
  const toCommit = (parsed?.rows ?? []).filter((row) => okRefs.has(row.externalRef));
  const alreadyCommitted = committed !== null && chosen !== null && committed.key === chosen.key;
  const canCommit = previewed && toCommit.length > 0 && !alreadyCommitted && busy === null;

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    try {
      const { text, gbk } = await readFileText(file);
      setChosen((prev) => ({ key: (prev?.key ?? 0) + 1, name: file.name, text, gbk }));
    } catch (e) {
      setError(e);
    }
  };

  const run = async (dryRun: boolean) => {
    if (!chosen || !parsed) return;
    const rows = dryRun ? parsed.rows : toCommit;
    if (rows.length === 0) return;
    const key = chosen.key;
    setBusy(dryRun ? 'dryRun' : 'commit');
    setError(null);
    try {
      const answer = await postImport(rows, dryRun, chosen.name);
      if (dryRun) setPreview({ key, answer, sent: rows });
      else setCommitted({ key, answer, sent: rows });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const fileErrors = parsed?.errors ?? [];
  const previewLines = previewed ? linesOf(preview.answer, preview.sent, fileErrors) : null;
  const resultLines = alreadyCommitted ? linesOf(committed.answer, committed.sent, []) : null;

  return (
    <div className="page" data-testid="contract-import">
      <div className="page-head">
        <h1>{t('import.title')}</h1>
      </div>
      <p className="muted">{t('import.intro')}</p>

      <Section title={t('import.step.template')} id="import-template">
        <p className="muted small">{t('import.templateHint')}</p>
        <div className="form-actions">
          <button type="button" className="btn" onClick={downloadTemplate} data-testid="import-template">
            {t('import.template')}
          </button>
        </div>
        <details>
          <summary>{t('import.columns', { n: IMPORT_CSV_COLUMNS.length })}</summary>
          <div className="table-wrap">
            <table className="table" data-testid="import-columns">
              <thead>
                <tr>
                  <th>{t('import.col.name')}</th>
                  <th>{t('import.col.label')}</th>
                  <th>{t('import.col.required')}</th>
                  <th>{t('import.col.example')}</th>
                </tr>
              </thead>
              <tbody>
                {IMPORT_CSV_COLUMNS.map((c) => (
                  <tr key={c.name}>
                    <td className="mono">{c.name}</td>
                    <td>{c.label}</td>
                    <td>{c.required ? t('common.yes') : ''}</td>
                    <td className="small">{c.example}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </Section>

      <Section title={t('import.step.file')} id="import-file">
        <ErrorBox error={template.error} onRetry={template.reload} />
        <div className="file-row">
          <label className="btn file-btn">
            {t('import.file')}
            <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void onFile(e)} data-testid="import-file" />
          </label>
          {chosen && parsed && (
            <span className="small" data-testid="import-read">
              {t('import.read', { file: chosen.name, rows: parsed.rows.length, errors: parsed.errors.length })}
            </span>
          )}
        </div>
        {chosen && !template.data && !template.error && <p className="muted small">{t('import.noTemplate')}</p>}
        {chosen?.gbk && <Notice kind="info">{t('import.gbk')}</Notice>}
        {fileErrors.length > 0 && (
          <div className="table-wrap">
            <p className="warn">{t('import.cellErrors')}</p>
            <table className="table responsive" data-testid="import-file-errors">
              <thead>
                <tr>
                  <th>{t('import.line')}</th>
                  <th>{t('import.column')}</th>
                  <th>{t('import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {fileErrors.map((e, i) => {
                  const column = IMPORT_CSV_COLUMNS.find((c) => c.name === e.column);
                  return (
                    <tr key={`${e.line}:${e.column}:${i}`} data-line={e.line} data-column={e.column}>
                      <td data-label={t('import.line')} className="mono">
                        {e.line}
                      </td>
                      <td data-label={t('import.column')}>
                        {e.column ? (
                          <div>
                            <code>{e.column}</code>
                            {column && lang === 'zh' && <span className="muted small block">{column.label}</span>}
                          </div>
                        ) : (
                          t('import.wholeLine')
                        )}
                      </td>
                      <td data-label={t('import.problem')}>{lang === 'zh' ? localizeMessage(e.message, lang) : e.messageEn}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section title={t('import.step.check')} id="import-check">
        <div className="form-actions">
          <button type="button" className="btn" disabled={busy !== null || !parsed || parsed.rows.length === 0} onClick={() => void run(true)} data-testid="import-dry-run">
            {busy === 'dryRun' ? t('import.dryRunning') : t('import.dryRun')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!canCommit}
            onClick={() => void run(false)}
            title={canCommit ? undefined : t('import.commitHint')}
            data-testid="import-commit"
          >
            {busy === 'commit' ? t('import.committing') : t('import.commit')}
          </button>
          {!previewed && <span className="muted small">{t('import.commitHint')}</span>}
          {previewed && toCommit.length > 0 && !alreadyCommitted && <span className="muted small">{t('import.commitOnly', { n: toCommit.length })}</span>}
          {alreadyCommitted && <span className="muted small">{t('import.commitDone')}</span>}
        </div>
        {parsed && parsed.rows.length === 0 && <p className="muted">{t('import.noRows')}</p>}
        <ErrorBox error={error} />
        {resultLines && (
          <>
            <Summary lines={resultLines} dryRun={false} />
            <ResultTable lines={resultLines} dryRun={false} />
          </>
        )}
        {previewLines && !resultLines && (
          <>
            <Summary lines={previewLines} dryRun />
            <ResultTable lines={previewLines} dryRun />
          </>
        )}
      </Section>
    </div>
  );
}
