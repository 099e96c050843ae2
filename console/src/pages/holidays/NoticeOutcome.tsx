/** What a notice does (or would do): the open deadlines it moves, by how many days. */
import type { CalendarNoticeResultView, DeadlineMoveView } from '../../../../api/routes/calendar.types';
import { formatDue } from '../../format';
import { useI18n } from '../../i18n';
import { Link } from '../../router';

function Moves({ moves }: { moves: DeadlineMoveView[] }) {
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

export function NoticeOutcome({ result }: { result: CalendarNoticeResultView }) {
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
