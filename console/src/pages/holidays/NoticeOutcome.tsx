/** What a notice does (or would do): the open deadlines it moves, by how many days. */
import type { CalendarNoticeResultView, DeadlineMoveView } from '../../../../api/routes/calendar.types';
import { DataTable, type Column } from '../../components';
import { formatDue } from '../../format';
import { useI18n } from '../../i18n';
import { Link } from '../../router';

function Moves({ moves }: { moves: DeadlineMoveView[] }) {
  const { t, tx, lang } = useI18n();
  const columns: Column<DeadlineMoveView>[] = [
    {
      head: t('holidays.move.contract'),
      cell: (m) =>
        m.contractId ? (
          <Link to={`/contracts/${m.contractId}`} className="mono">
            {m.contractNumber ?? m.contractId}
          </Link>
        ) : (
          <span className="mono">{m.contractNumber ?? '—'}</span>
        ),
    },
    { head: t('holidays.move.kind'), cell: (m) => tx(`deadline.${m.kind}`, m.kind) },
    { head: t('holidays.move.from'), cell: (m) => formatDue(m.fromDueAt, lang) },
    { head: t('holidays.move.to'), cell: (m) => formatDue(m.toDueAt, lang) },
    { head: t('holidays.move.days'), className: 'mono', cell: (m) => t('holidays.move.daysValue', { sign: m.days > 0 ? '+' : m.days < 0 ? '−' : '±', n: Math.abs(m.days) }) },
  ];
  return <DataTable rows={moves} columns={columns} rowKey={(m) => m.deadlineId} rowProps={(m) => ({ 'data-deadline-id': m.deadlineId })} testId="calendar-moves" responsive />;
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
