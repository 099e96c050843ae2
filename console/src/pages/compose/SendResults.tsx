/** What became of a submission: the counts, the quota left, and each recipient's outcome (held until when, or why not sent). */
import type { SubmissionView } from '../../../../api/routes/sms.types';
import { formatShanghai } from '../../../../domain/sms/windows';
import { Notice, Section, StatusBadge } from '../../components';
import { useI18n } from '../../i18n';

export function SendResults({ results }: { results: SubmissionView }) {
  const { t, lang } = useI18n();
  const resultRows = results.results;
  return (
    <Section title={t('compose.results')} id="results">
      <Notice kind={results.counts.rejected > 0 ? 'warn' : 'ok'}>
        {t('compose.sent', { accepted: results.counts.accepted, held: results.counts.held, rejected: results.counts.rejected, suppressed: results.counts.suppressed })}
        <span className="block small">{t('compose.quotaLeft', { used: results.quota.usedParts.toLocaleString(), total: results.quota.totalParts.toLocaleString(), left: results.quota.remainingParts.toLocaleString() })}</span>
      </Notice>
      <div className="table-wrap">
        <table className="table" data-testid="send-results">
          <thead>
            <tr>
              <th>{t('compose.recipient')}</th>
              <th>{t('compose.result')}</th>
            </tr>
          </thead>
          <tbody>
            {resultRows.map((r) => (
              <tr key={r.index} data-status={r.status}>
                <td className="mono">{r.recipient ?? r.input}</td>
                <td>
                  <StatusBadge status={r.status} kind="msgStatus" />{' '}
                  <span className="muted small">
                    {r.sendAt ? formatShanghai(new Date(r.sendAt)) : ''} {lang === 'zh' ? (r.message ?? '') : (r.messageEn ?? r.message ?? '')}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
