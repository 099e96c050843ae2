import type { DeadlineView } from '../../../../../domain/contract';
import { Countdown, ProvisionalBadge } from '../../../components';
import { formatDue } from '../../../format';
import { useI18n } from '../../../i18n';

/** A contract's open deadlines, soonest first, each with a live countdown and how it was counted. */
export function DeadlineList({ deadlines, fetchedAt }: { deadlines: DeadlineView[]; fetchedAt: number }) {
  const { t, tx, lang } = useI18n();
  if (deadlines.length === 0) return <p className="muted">{t('detail.noDeadlines')}</p>;
  return (
    <ul className="deadlines" data-testid="deadlines">
      {deadlines.map((d) => (
        <li key={`${d.kind}:${d.ref}`} className="deadline" data-kind={d.kind}>
          <div className="deadline-main">
            <strong>{tx(`deadline.${d.kind}`)}</strong>
            <span className="muted small">{d.ref}</span>
            {d.provisional && <ProvisionalBadge />}
            <Countdown secondsLeft={d.secondsLeft} fetchedAt={fetchedAt} label={tx(`deadline.${d.kind}`)} />
          </div>
          <div className="muted small">
            {formatDue(d.dueAt, lang)} · {lang === 'zh' ? d.explanation : d.explanationEn}
          </div>
        </li>
      ))}
    </ul>
  );
}
