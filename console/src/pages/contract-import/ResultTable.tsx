/** The dry run's or the import's answer as a table: per row its result, where the contract would stand, and its problems. */
import type { ImportPlanView, ImportResultView } from '../../../../api/routes/contract-imports.types';
import { describeImportPath, IMPORT_CSV_COLUMNS, type ImportCsvError } from '../../../../domain/contract-import-csv';
import { shanghaiDate } from '../../../../domain/time';
import { Notice, StatusBadge } from '../../components';
import { formatDue, formatYuan } from '../../format';
import { useI18n, type Lang } from '../../i18n';
import { Link } from '../../router';
import { localizeMessage } from '../../zod-messages';
import { STATE_BADGE, type Line, type State } from './lines';

/** The Beijing date a term ends on: an end at 24:00 is the day before the midnight instant. */
function termEndDate(plan: ImportPlanView): string {
  const ms = Date.parse(plan.termEndsAt);
  return Number.isNaN(ms) ? plan.termEndsAt : shanghaiDate(new Date(ms - 1));
}

function IssueList({ result, fileErrors }: { result?: ImportResultView; fileErrors?: ImportCsvError[] }) {
  const { t, lang } = useI18n();
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

function PlanCells({ plan, lang }: { plan: ImportPlanView | undefined; lang: Lang }) {
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

export function ResultTable({ lines, dryRun }: { lines: Line[]; dryRun: boolean }) {
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

export function Summary({ lines, dryRun }: { lines: Line[]; dryRun: boolean }) {
  const { t } = useI18n();
  const count = (...states: State[]) => lines.filter((l) => states.includes(l.state)).length;
  const params = { total: lines.length, ok: count('ok', 'imported', 'existing'), existing: count('existing'), failed: count('failed', 'notSent') };
  return (
    <Notice kind={params.failed > 0 ? 'warn' : 'ok'}>
      <span data-testid={dryRun ? 'import-preview-summary' : 'import-result-summary'}>{t(dryRun ? 'import.previewSummary' : 'import.doneSummary', params)}</span>
    </Notice>
  );
}
