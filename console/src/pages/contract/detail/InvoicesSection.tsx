/**
 * The contract's invoices with their status, amounts and time left; a link to
 * record a payment, and the purchase of an extra SMS package during the term.
 */
import { useState, type FormEvent } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { InvoiceView, TopUpOrderView } from '../../../../../api/routes/invoices.types';
import { mayOverrideTopUpPrice, quoteTopUp, topUpPriceList, ZTopUpRequest } from '../../../../../domain/top-ups';
import { apiPost, newIdempotencyKey, type Role } from '../../../api';
import { DataTable, ErrorBox, Notice, Section, type Column } from '../../../components';
import { features } from '../../../features';
import { formatDate, formatYuan, parseYuan } from '../../../format';
import { firstIssue, useAct } from '../../../forms';
import { useI18n } from '../../../i18n';
import { Link } from '../../../router';
import { useInvoiceColumns } from '../../finance/invoiceColumns';

/**
 * Art.3 §5: a package of the contract's price list, or a quantity priced by
 * it (domain/top-ups.ts: the same quote the API invoices). Finance and admins
 * may invoice another price, with a reason.
 */
function TopUpForm({ contract: c, role, onDone }: { contract: ContractDetailView; role: Role; onDone: () => void }) {
  const { t, lang } = useI18n();
  const list = topUpPriceList(c.terms);
  const [choice, setChoice] = useState(list.packages[0]?.code ?? '');
  const [quantity, setQuantity] = useState('1000');
  const [price, setPrice] = useState('');
  const [reason, setReason] = useState('');
  const [issue, setIssue] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = useAct();
  const mayOverride = mayOverrideTopUpPrice(role);
  const byQuantity = choice === '';
  const quoted = quoteTopUp(list, byQuantity ? { quantity: Number(quantity) } : { package: choice });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const priceFen = price.trim() ? parseYuan(price) : null;
    const body = {
      ...(byQuantity ? { quantity: Number(quantity) } : { package: choice }),
      ...(mayOverride && price.trim() ? { priceFen: priceFen ?? Number.NaN, ...(reason.trim() ? { priceReason: reason } : {}) } : {}),
    };
    const parsed = ZTopUpRequest.safeParse(body);
    if (!parsed.success) return setIssue(firstIssue(parsed.error, lang));
    if (parsed.data.priceFen !== undefined && !parsed.data.priceReason) return setIssue(t('detail.topUpReasonRequired'));
    setIssue(null);
    await act.run(async () => {
      const result = await apiPost<TopUpOrderView>(`/api/contracts/${c.id}/top-ups`, parsed.data, { idempotencyKey: newIdempotencyKey() });
      setDone(t('detail.topUpDone', { n: result.invoiceNumber, amount: formatYuan(result.priceFen) }));
      onDone();
    });
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="topup-form">
      <label className="field">
        <span>{t('detail.topUpPackage')}</span>
        <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="topup-package">
          {list.packages.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name} · {formatYuan(p.priceFen)} {t('detail.yuan')}
            </option>
          ))}
          <option value="">{t('detail.topUpByQuantity')}</option>
        </select>
      </label>
      {byQuantity && (
        <label className="field narrow">
          <span>{t('detail.topUpQty')}</span>
          <input inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} data-testid="topup-quantity" />
        </label>
      )}
      {mayOverride && (
        <>
          <label className="field narrow">
            <span>{t('detail.topUpPrice')}</span>
            <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} placeholder={quoted.ok ? formatYuan(quoted.quote.priceFen) : ''} />
          </label>
          {price.trim() && (
            <label className="field">
              <span>{t('detail.topUpReason')}</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="topup-reason" />
            </label>
          )}
        </>
      )}
      <button type="submit" className="btn" disabled={act.busy}>
        {t('detail.topUpSubmit')}
      </button>
      <p className="muted small wide" data-testid="topup-quote">
        {quoted.ok ? t('detail.topUpQuote', { amount: formatYuan(quoted.quote.priceFen), how: lang === 'zh' ? quoted.quote.explanation : quoted.quote.explanationEn }) : ''}
        {list.source === 'yearly_fee_pro_rata' ? ` ${t('detail.topUpProRata')}` : ''}
      </p>
      {issue && <span className="field-error">{issue}</span>}
      {done !== null && <Notice kind="ok">{done}</Notice>}
      <ErrorBox error={act.error} />
    </form>
  );
}

export function InvoicesSection({ contract: c, role, fetchedAt, onChanged }: { contract: ContractDetailView; role: Role; fetchedAt: number; onChanged: () => void }) {
  const { t, tx, lang } = useI18n();
  const columns: Column<InvoiceView>[] = [
    {
      head: t('finance.number'),
      className: 'mono',
      cell: (inv) => (
        <>
          {inv.number}
          <span className="muted small block">{tx(`invoiceKind.${inv.kind}`)}</span>
        </>
      ),
    },
    ...useInvoiceColumns({ fetchedAt, settled: (inv) => <span className="ok">✓ {formatDate(inv.paidAt, lang)}</span> }),
  ];
  return (
    <Section
      title={t('detail.invoices')}
      id="invoices"
      actions={
        features.recordPayment(role) && c.invoices.some((i) => i.status !== 'paid') ? (
          <Link to={`/finance?contract=${c.id}`} className="btn btn-small">
            {t('finance.record')}
          </Link>
        ) : undefined
      }
    >
      {c.invoices.length === 0 ? (
        <p className="muted">{t('detail.noInvoices')}</p>
      ) : (
        <DataTable rows={c.invoices} columns={columns} rowKey={(inv) => inv.number} rowProps={(inv) => ({ 'data-invoice': inv.number })} testId="invoices" responsive />
      )}
      {features.topUp(role) && c.status === 'active' && (
        <details className="topup">
          <summary>{t('detail.topUp')}</summary>
          <TopUpForm contract={c} role={role} onDone={onChanged} />
        </details>
      )}
    </Section>
  );
}
