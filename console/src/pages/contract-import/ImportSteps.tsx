/** The first two steps' pieces: the template with its columns, and the problems of the chosen file cell by cell. */
import { IMPORT_CSV_COLUMNS, type ImportCsvError } from '../../../../domain/contract-import-csv';
import { DataTable, Section } from '../../components';
import { useI18n } from '../../i18n';
import { localizeMessage } from '../../zod-messages';
import { downloadTemplate } from './importFile';

/** The CSV template to download, and what each of its columns takes. */
export function TemplateSection() {
  const { t } = useI18n();
  return (
    <Section title={t('import.step.template')} id="import-template">
      <p className="muted small">{t('import.templateHint')}</p>
      <div className="form-actions">
        <button type="button" className="btn" onClick={downloadTemplate} data-testid="import-template">
          {t('import.template')}
        </button>
      </div>
      <details>
        <summary>{t('import.columns', { n: IMPORT_CSV_COLUMNS.length })}</summary>
        <DataTable
          rows={IMPORT_CSV_COLUMNS}
          columns={[
            { head: t('import.col.name'), className: 'mono', cell: (c) => c.name },
            { head: t('import.col.label'), cell: (c) => c.label },
            { head: t('import.col.required'), cell: (c) => (c.required ? t('common.yes') : '') },
            { head: t('import.col.example'), className: 'small', cell: (c) => c.example },
          ]}
          rowKey={(c) => c.name}
          testId="import-columns"
        />
      </details>
    </Section>
  );
}

/** The file's problems, each with its line and column (the column's Chinese label too, in Chinese). */
export function FileErrorsTable({ fileErrors }: { fileErrors: ImportCsvError[] }) {
  const { t, lang } = useI18n();
  if (fileErrors.length === 0) return null;
  return (
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
  );
}
