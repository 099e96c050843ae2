import type { OutageDetailView } from '../../../../api/routes/cases.types';
import { apiGet } from '../../api';
import { ErrorBox, Loading, StatusBadge, useLoad } from '../../components';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { FlagBadges } from '../legal/CaseFlags';

/** The contracts of one outage with the state of each one's notice, read when opened. */
export function OutageContracts({ id, version }: { id: string; version: number }) {
  const { t } = useI18n();
  const detail = useLoad((signal) => apiGet<OutageDetailView>(`/api/outages/${encodeURIComponent(id)}`, { signal }), [id, version]);
  if (detail.error) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading />;
  return (
    <ul className="outage-contracts" data-testid="outage-contracts">
      {detail.data.cases.map((c) => (
        <li key={c.id} data-case-id={c.id}>
          {c.contract && (
            <Link to={`/contracts/${c.contract.id}`} className="mono">
              {c.contract.number}
            </Link>
          )}
          <span>{c.contract?.partyA}</span>
          <StatusBadge status={c.status} kind="caseStatus" />
          <FlagBadges flags={c.flags} />
        </li>
      ))}
      {detail.data.cases.length === 0 && <li className="muted">{t('outage.noContracts')}</li>}
    </ul>
  );
}
