/**
 * The contract's invoices with their status, amounts and time left; a link to
 * record a payment, and the purchase of an extra SMS package during the term.
 */
import { useState, type FormEvent } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { TopUpResultView } from '../../../../../api/routes/invoices.types';
import { apiPost, newIdempotencyKey, type Role } from '../../../api';
import { Countdown, ErrorBox, Notice, Section, StatusBadge } from '../../../components';
import { features } from '../../../features';
import { formatDate, formatDue, formatYuan, parseYuan } from '../../../format';
import { useAct } from '../../../forms';
import { useI18n } from '../../../i18n';
import { Link } from '../../../router';

function TopUpForm({ contractId, onDone }: { contractId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [quantity, setQuantity] = useState('1000');
  const [price, setPrice] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const act = useAct();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const priceFen = parseYuan(price);
    await act.run(async () => {
      const result = await apiPost<TopUpResultView>(`/api/contracts/${contractId}/top-ups`, { quantity: Number(quantity), priceFen: priceFen ?? Number.NaN }, { idempotencyKey: newIdempotencyKey() });
      setDone(result.invoiceNumber);
      onDone();
    });
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label className="field narrow">
        <span>{t('detail.topUpQty')}</span>
        <input inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      </label>
      <label className="field narrow">
        <span>{t('detail.topUpPrice')}</span>
        <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} placeholder="100.00" />
      </label>
      <button type="submit" className="btn" disabled={act.busy}>
        {t('detail.topUpSubmit')}
      </button>
      {done !== null && <Notice kind="ok">{t('detail.topUpDone', { n: done })}</Notice>}
      <ErrorBox error={act.error} />
    </form>
  );
}

export function InvoicesSection({ contract: c, role, fetchedAt, onChanged }: { contract: ContractDetailView; role: Role; fetchedAt: number; onChanged: () => void }) {
  const { t, tx, lang } = useI18n();
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
        <div className="table-wrap">
          <table className="table responsive" data-testid="invoices">
            <thead>
              <tr>
                <th>{t('finance.number')}</th>
                <th>{t('finance.status')}</th>
                <th>{t('finance.amount')}</th>
                <th>{t('finance.paid')}</th>
                <th>{t('finance.due')}</th>
                <th>{t('list.countdown')}</th>
              </tr>
            </thead>
            <tbody>
              {c.invoices.map((inv) => (
                <tr key={inv.number} data-invoice={inv.number}>
                  <td data-label={t('finance.number')} className="mono">
                    {inv.number}
                    <span className="muted small block">{tx(`invoiceKind.${inv.kind}`)}</span>
                  </td>
                  <td data-label={t('finance.status')}>
                    <StatusBadge status={inv.status} kind="invoiceStatus" />
                  </td>
                  <td data-label={t('finance.amount')}>{formatYuan(inv.amountFen)}</td>
                  <td data-label={t('finance.paid')}>{formatYuan(inv.paidFen)}</td>
                  <td data-label={t('finance.due')} title={inv.dueExplanation}>
                    {formatDue(inv.dueAt, lang)}
                  </td>
                  <td data-label={t('list.countdown')}>{inv.secondsLeft !== null ? <Countdown secondsLeft={inv.secondsLeft} fetchedAt={fetchedAt} /> : <span className="ok">✓ {formatDate(inv.paidAt, lang)}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {features.topUp(role) && c.status === 'active' && (
        <details className="topup">
          <summary>{t('detail.topUp')}</summary>
          <TopUpForm contractId={c.id} onDone={onChanged} />
        </details>
      )}
    </Section>
  );
}
