import type { CaseView } from '../../../../api/routes/cases.types';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';

/** The report of a violation case in words: when it was learned of, when the report was due, on time or late. */
export function ViolationReportLine({ c }: { c: CaseView }) {
  const { t, lang } = useI18n();
  const report = c.details?.report as { reportedAt: string; dueAt: string; onTime: boolean } | null | undefined;
  const learnedAt = c.details?.learnedAt as string | undefined;
  if (!learnedAt) return null;
  return (
    <div className="small" data-testid="violation-report" data-on-time={report ? String(report.onTime) : undefined}>
      {t('violation.learnedLine', { at: formatDateTime(learnedAt, lang) })}
      {report && (
        <>
          {' · '}
          {t('violation.dueLine', { at: formatDateTime(report.dueAt, lang) })}
          {' · '}
          <span className={report.onTime ? 'ok' : 'bad-text'}>
            {t(report.onTime ? 'violation.onTime' : 'violation.late', { minutes: Math.max(0, Math.round((Date.parse(report.reportedAt) - Date.parse(learnedAt)) / 60_000)) })}
          </span>
        </>
      )}
    </div>
  );
}
