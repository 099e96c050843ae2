import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import { Section } from '../../../components';
import { formatDate, formatDue, formatYuan } from '../../../format';
import { useI18n } from '../../../i18n';

/** The contract's owner, term and the terms that matter day to day, in words. */
export function TermsSection({ contract: c }: { contract: ContractDetailView }) {
  const { t, lang } = useI18n();
  const terms = c.terms;
  return (
    <Section title={t('detail.terms')} id="terms">
      <dl className="kv">
        <dt>{t('detail.owner')}</dt>
        <dd>{c.owner.name}</dd>
        <dt>{t('detail.effective')}</dt>
        <dd>{formatDate(c.effectiveAt, lang)}</dd>
        <dt>{t('detail.termEnds')}</dt>
        <dd>{formatDue(c.termEndsAt, lang)}</dd>
        <dt>{t('detail.package')}</dt>
        <dd>
          {t('detail.packageLine', { name: terms.package.name, fee: formatYuan(terms.package.yearlyFeeFen), sms: terms.package.smsPerYear.toLocaleString() })}
        </dd>
        <dt>{t('detail.payment')}</dt>
        <dd>
          {t('detail.payTerms', { total: formatYuan(terms.payment.totalFen), days: terms.payment.dueDays, vat: terms.payment.vatRatePercent })} ·{' '}
          {t(`invoiceType.${terms.payment.invoiceType}`)}
        </dd>
        <dt>{t('detail.term')}</dt>
        <dd>
          {t('detail.termTerms', {
            years: terms.term.years,
            renew: terms.term.autoRenew ? t('detail.autoRenewYes', { n: terms.term.renewalYears }) : t('detail.autoRenewNo'),
          })}
        </dd>
        <dt>{t('detail.sms')}</dt>
        <dd>
          {t('detail.smsTerms', {
            sig: terms.sms.signature,
            ws: terms.sms.windowStart,
            we: terms.sms.windowEnd,
            ms: terms.sms.marketingWindowStart,
            me: terms.sms.marketingWindowEnd,
            permit: terms.sms.permit24h ? t('detail.permit') : '',
          })}
        </dd>
        <dt>{t('detail.legalTerms')}</dt>
        <dd>{t('detail.cureTerms', { n: terms.legal.cureDays })}</dd>
      </dl>
    </Section>
  );
}
