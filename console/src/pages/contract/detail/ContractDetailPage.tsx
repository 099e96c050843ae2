/**
 * Contract detail: parties and terms, signatures, open deadlines with live
 * countdowns, invoices and payment status, quota per contract year (chart),
 * documents (preview and download), cases, SMS ledger, the acts of the term,
 * and the audit timeline.
 */
import { useEffect } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import { apiGet } from '../../../api';
import { useAuth } from '../../../auth';
import { ErrorBox, Loading, Notice, RiskBanner, Section, StatusBadge, useLoad } from '../../../components';
import { features } from '../../../features';
import { useI18n } from '../../../i18n';
import { Link } from '../../../router';
import { CasesSection } from './CasesSection';
import { DeadlineList } from './DeadlineList';
import { DeliverySection } from './DeliverySection';
import { Documents } from './Documents';
import { InvoicesSection } from './InvoicesSection';
import { LifecycleSection } from './LifecycleSection';
import { MessagesSection } from './MessagesSection';
import { PartiesSection } from './PartiesSection';
import { QuotaChart, useQuota } from './QuotaChart';
import { TermsSection } from './TermsSection';
import { Timeline } from './Timeline';

export function ContractDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const detail = useLoad((signal) => apiGet<ContractDetailView>(`/api/contracts/${id}`, { signal }), [id]);
  const quota = useQuota(id, user.role, [id, detail.data?.status, detail.data?.invoices.filter((i) => i.status === 'paid').length]);

  // refresh while something is still on its way (the other signature, the first invoice, the signed PDF)
  const c = detail.data;
  const pending =
    c !== null &&
    (c.status === 'awaiting_signatures' ||
      (c.status === 'active' && (c.invoices.length === 0 || !c.deadlines.some((d) => d.kind === 'payment') && c.invoices.some((i) => i.status !== 'paid') || !c.documents.some((d) => d.kind === 'signed_contract'))));
  const reload = detail.reload;
  useEffect(() => {
    const every = pending ? 3_000 : 30_000;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, every);
    return () => clearInterval(timer);
  }, [pending, reload]);

  if (detail.error && !c) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (!c) return <Loading />;

  const canSign = c.status === 'awaiting_signatures' && features.sign(user.role);

  return (
    <div className="page" data-testid="contract-detail" data-contract-id={c.id}>
      <div className="page-head">
        <div>
          <h1 className="mono" data-testid="contract-number">
            {c.number}
          </h1>
          <p className="muted">{c.terms.title}</p>
        </div>
        <div className="head-actions">
          <StatusBadge status={c.status} />
          {canSign && (
            <Link to={`/contracts/${c.id}/sign`} className="btn btn-primary" data-testid="sign-link">
              {t('detail.signNow')}
            </Link>
          )}
        </div>
      </div>
      <RiskBanner matters={c.matters ?? []} contractId={c.id} />
      {c.deadlinesSource !== 'workflow' && <Notice kind="warn">{t('detail.source.read-model')}</Notice>}

      <div className="grid-2">
        <Section title={t('detail.deadlines')} id="deadlines">
          <DeadlineList deadlines={c.deadlines} fetchedAt={detail.fetchedAt} />
        </Section>
        <TermsSection contract={c} />
      </div>

      <PartiesSection contract={c} canSign={canSign} />

      <DeliverySection contract={c} role={user.role} onChanged={detail.reload} />

      <InvoicesSection contract={c} role={user.role} fetchedAt={detail.fetchedAt} onChanged={detail.reload} />

      <div className="grid-2">
        {features.quota(user.role) && (
          <Section title={t('detail.quota')} id="quota">
            {quota.error ? <ErrorBox error={quota.error} /> : quota.data ? <QuotaChart quota={quota.data} /> : <Loading />}
          </Section>
        )}
        <Section title={t('detail.documents')} id="documents">
          <Documents documents={c.documents} />
        </Section>
      </div>

      {features.cases(user.role) && c.effectiveAt && <CasesSection contract={c} role={user.role} onChanged={detail.reload} />}

      {features.messages(user.role) && c.effectiveAt && <MessagesSection contract={c} role={user.role} />}

      <LifecycleSection contract={c} role={user.role} onChanged={detail.reload} />

      <Section title={t('detail.timeline')} id="timeline">
        <Timeline audit={c.audit} />
      </Section>
    </div>
  );
}
