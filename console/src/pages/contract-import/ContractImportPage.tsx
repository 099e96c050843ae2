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
import type { ImportAnswerView } from '../../../../api/routes/contract-imports.types';
import type { ReferenceTemplateView } from '../../../../api/routes/contracts.types';
import { parseImportCsv, type ContractImportRow } from '../../../../domain/contract-import-csv';
import { apiGet } from '../../api';
import { ErrorBox, Notice, Section, useLoad } from '../../components';
import { useI18n } from '../../i18n';
import { postImport, readFileText } from './importFile';
import { FileErrorsTable, TemplateSection } from './ImportSteps';
import { linesOf } from './lines';
import { ResultTable, Summary } from './ResultTable';

type Chosen = { key: number; name: string; text: string; gbk: boolean };
type Outcome = { key: number; answer: ImportAnswerView; sent: ContractImportRow[] };

export function ContractImportPage() {
  const { t, lang } = useI18n();
  const template = useLoad((signal) => apiGet<ReferenceTemplateView>('/api/templates/reference', { signal }).then((body) => body.terms), []);
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

      <TemplateSection />

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
        <FileErrorsTable fileErrors={fileErrors} />
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
