/**
 * An outage on the legal board: all its cases (one per affected contract) as
 * one card; the acts on it are on the outages screen.
 */
import type { CaseView } from '../../../../api/routes/cases.types';
import type { Role } from '../../api';
import { Countdown } from '../../components';
import { features } from '../../features';
import { urgencyOf } from '../../format';
import { useI18n } from '../../i18n';
import { Link } from '../../router';

export function OutageGroupCard({ cases, fetchedAt, role }: { cases: CaseView[]; fetchedAt: number; role: Role }) {
  const { t, tx } = useI18n();
  const first = cases[0]!;
  const timed = cases.find((c) => c.open && c.secondsLeft !== null);
  const byStatus = new Map<string, number>();
  for (const c of cases) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  const urgency = timed?.secondsLeft == null ? 'none' : urgencyOf(timed.secondsLeft - (Date.now() - fetchedAt) / 1000);
  return (
    <article className={`case card urg-${urgency}`} data-testid="case" data-kind="outage" data-outage-id={first.outageId}>
      <header className="case-head">
        <span className="badge kind">{tx('caseKind.outage')}</span>
        <span className="small">{t('legal.outageContracts', { n: cases.length })}</span>
        {[...byStatus].map(([status, n]) => (
          <span key={status} className={`badge s-${status}`} data-status={status}>
            {tx(`caseStatus.${status}`, status)} {n}
          </span>
        ))}
        {timed?.deadline && timed.secondsLeft !== null && (
          <span className="case-countdown">
            <span className="muted small">{tx(`deadline.${timed.deadline.kind}`)}</span> <Countdown secondsLeft={timed.secondsLeft} fetchedAt={fetchedAt} />
          </span>
        )}
      </header>
      <p className="case-desc">{first.description}</p>
      <p className="muted small">
        {cases
          .slice(0, 6)
          .map((c) => `${c.contract?.number ?? ''} ${c.contract?.partyA ?? ''}`.trim())
          .join('，')}
        {cases.length > 6 ? ` ${t('legal.andMore', { n: cases.length - 6 })}` : ''}
      </p>
      {features.outages(role) && (
        <div className="case-actions">
          <Link to="/outages" className="btn btn-small">
            {t('legal.toOutages')}
          </Link>
        </div>
      )}
    </article>
  );
}

/** The list in its order, the cases of one outage gathered where its first one stands. */
export function groupOutages(items: CaseView[]): (CaseView | CaseView[])[] {
  const groups = new Map<string, CaseView[]>();
  const out: (CaseView | CaseView[])[] = [];
  for (const c of items) {
    if (c.kind !== 'outage' || !c.outageId) {
      out.push(c);
      continue;
    }
    const group = groups.get(c.outageId);
    if (group) group.push(c);
    else {
      const created = [c];
      groups.set(c.outageId, created);
      out.push(created);
    }
  }
  return out;
}
