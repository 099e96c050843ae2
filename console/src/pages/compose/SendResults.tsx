/** What became of a submission: the counts, the quota left, and each recipient's outcome (held until when, or why not sent). */
import type { RecipientResultView, SubmissionView } from '../../../../api/routes/sms.types';
import { formatShanghai } from '../../../../domain/sms/windows';
import { DataTable, Notice, Section, StatusBadge, type Column } from '../../components';
import { useI18n } from '../../i18n';

export function SendResults({ results }: { results: SubmissionView }) {
  const { t, lang } = useI18n();
  const columns: Column<RecipientResultView>[] = [
    { head: t('compose.recipient'), className: 'mono', cell: (r) => r.recipient ?? r.input },
    {
      head: t('compose.result'),
      cell: (r) => (
        <>
          <StatusBadge status={r.status} kind="msgStatus" />{' '}
          <span className="muted small">
            {r.sendAt ? formatShanghai(new Date(r.sendAt)) : ''} {lang === 'zh' ? (r.message ?? '') : (r.messageEn ?? r.message ?? '')}
          </span>
        </>
      ),
    },
  ];
  return (
    <Section title={t('compose.results')} id="results">
      <Notice kind={results.counts.rejected > 0 ? 'warn' : 'ok'}>
        {t('compose.sent', { accepted: results.counts.accepted, held: results.counts.held, rejected: results.counts.rejected, suppressed: results.counts.suppressed })}
        <span className="block small">{t('compose.quotaLeft', { used: results.quota.usedParts.toLocaleString(), total: results.quota.totalParts.toLocaleString(), left: results.quota.remainingParts.toLocaleString() })}</span>
      </Notice>
      <DataTable rows={results.results} columns={columns} rowKey={(r) => r.index} rowProps={(r) => ({ 'data-status': r.status })} testId="send-results" />
    </Section>
  );
}
