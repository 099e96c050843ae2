/**
 * The SMS quota per contract year as a bar chart: the package, paid top-ups,
 * and the parts used this year (from the reconciliation ledger, where the role may read it).
 */
import type { QuotaView, QuotaYearView } from '../../../../../api/routes/invoices.types';
import type { LedgerView } from '../../../../../api/routes/sms.types';
import { apiGet, can, type Role } from '../../../api';
import { useLoad } from '../../../components';
import { features } from '../../../features';
import { useI18n } from '../../../i18n';

/** The quota as the chart shows it: each year with the parts used, where the ledger tells. */
type QuotaUse = Omit<QuotaView, 'years'> & { years: (QuotaYearView & { usedSms?: number })[] };

/** The contract's quota, read again when `deps` change (the contract took effect, an invoice was paid). */
export function useQuota(id: string, role: Role, deps: readonly unknown[]) {
  return useLoad(async (signal): Promise<QuotaUse | null> => {
    if (!features.quota(role)) return null;
    const q: QuotaUse = await apiGet<QuotaView>(`/api/contracts/${id}/quota`, { signal });
    // parts used this contract year, from the reconciliation ledger (Asia/Shanghai days since the year began)
    if (q.contractYear && q.startsAt && can(role, 'get', '/api/contracts/:id/ledger')) {
      const from = new Date(Date.parse(q.startsAt) + 8 * 3_600_000).toISOString().slice(0, 10);
      const ledger = await apiGet<LedgerView>(`/api/contracts/${id}/ledger?from=${from}`, { signal }).catch(() => null);
      if (ledger) q.years = q.years.map((y) => (y.contractYear === q.contractYear ? { ...y, usedSms: ledger.totals.debitedParts } : y));
    }
    return q;
  }, deps);
}

export function QuotaChart({ quota }: { quota: QuotaUse }) {
  const { t } = useI18n();
  if (!quota.contractYear || quota.years.length === 0) return <p className="muted">{t('detail.quotaNone')}</p>;
  const max = Math.max(...quota.years.map((y) => y.totalSms), 1);
  const barH = 28;
  const gap = 14;
  const labelW = 84;
  const width = 560;
  const chartW = width - labelW - 90;
  const height = quota.years.length * (barH + gap) + 24;
  return (
    <figure className="quota" data-testid="quota-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('detail.quota')} width="100%">
        {quota.years.map((y, i) => {
          const top = i * (barH + gap);
          const pkgW = (y.packageSms / max) * chartW;
          const topW = (y.topUpSms / max) * chartW;
          const usedW = y.usedSms !== undefined ? (Math.min(y.usedSms, y.totalSms) / max) * chartW : 0;
          return (
            <g key={y.contractYear} transform={`translate(0, ${top})`}>
              <text x={0} y={barH / 2 + 5} className="q-label">
                {t('detail.quotaYear', { n: y.contractYear })}
              </text>
              <rect x={labelW} y={0} width={pkgW} height={barH} className="q-package" rx={3} />
              {topW > 0 && <rect x={labelW + pkgW} y={0} width={topW} height={barH} className="q-topup" rx={3} />}
              {usedW > 0 && <rect x={labelW} y={barH / 2 - 4} width={usedW} height={8} className="q-used" rx={2} />}
              <text x={labelW + pkgW + topW + 8} y={barH / 2 + 5} className="q-value">
                {y.usedSms !== undefined ? `${y.usedSms.toLocaleString()} / ` : ''}
                {y.totalSms.toLocaleString()}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span className="key q-package" /> {t('detail.quotaPackage')} <span className="key q-topup" /> {t('detail.quotaTopUp')}
        {quota.years.some((y) => y.usedSms !== undefined) && (
          <>
            <span className="key q-used" /> {t('detail.quotaUsed')}
          </>
        )}
      </figcaption>
    </figure>
  );
}
