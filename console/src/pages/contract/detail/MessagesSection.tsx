/** The contract's SMS: the latest messages with their status, and the reconciliation ledger per day (CSV export). */
import { useState } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { LedgerView, MessageListView } from '../../../../../api/routes/sms.types';
import { apiGet, apiText, can, type Role } from '../../../api';
import { ErrorBox, Section, useLoad } from '../../../components';
import { saveFile } from '../../../download';
import { formatDateTime } from '../../../format';
import { useI18n } from '../../../i18n';

export function MessagesSection({ contract, role }: { contract: ContractDetailView; role: Role }) {
  const { t, tx, lang } = useI18n();
  const canList = can(role, 'get', '/api/contracts/:id/messages');
  const canLedger = can(role, 'get', '/api/contracts/:id/ledger');
  const messages = useLoad((signal) => (canList ? apiGet<MessageListView>(`/api/contracts/${contract.id}/messages?limit=20`, { signal }) : Promise.resolve(null)), [contract.id, canList]);
  const ledger = useLoad((signal) => (canLedger ? apiGet<LedgerView>(`/api/contracts/${contract.id}/ledger`, { signal }) : Promise.resolve(null)), [contract.id, canLedger]);
  const [error, setError] = useState<unknown>(null);

  const csv = async () => {
    setError(null);
    try {
      saveFile(await apiText(`/api/contracts/${contract.id}/ledger?format=csv`), 'text/csv', `sms-ledger-${contract.number}.csv`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Section
      title={t('detail.messages')}
      id="messages"
      actions={
        canLedger ? (
          <button type="button" className="btn btn-small" onClick={() => void csv()}>
            {t('messages.csv')}
          </button>
        ) : undefined
      }
    >
      <ErrorBox error={messages.error ?? ledger.error ?? error} />
      {messages.data && (
        <>
          <p className="small">
            {t('messages.total', { n: messages.data.total })}
            {Object.entries(messages.data.byStatus ?? {}).map(([status, n]) => (
              <span key={status} className={`badge s-${status}`}>
                {tx(`msgStatus.${status}`, status)} {n}
              </span>
            ))}
          </p>
          {messages.data.items.length === 0 ? (
            <p className="muted">{t('detail.noMessages')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table responsive" data-testid="messages">
                <thead>
                  <tr>
                    <th>{t('messages.recipient')}</th>
                    <th>{t('messages.category')}</th>
                    <th>{t('messages.parts')}</th>
                    <th>{t('messages.status')}</th>
                    <th>{t('messages.when')}</th>
                  </tr>
                </thead>
                <tbody>
                  {messages.data.items.map((m) => (
                    <tr key={m.id}>
                      <td data-label={t('messages.recipient')} className="mono">
                        {m.recipient}
                      </td>
                      <td data-label={t('messages.category')}>{tx(`compose.category.${m.category}`, m.category)}</td>
                      <td data-label={t('messages.parts')}>{m.parts}</td>
                      <td data-label={t('messages.status')}>
                        <span className={`badge s-${m.status}`}>{tx(`msgStatus.${m.status}`, m.status)}</span>
                        {m.reason && <span className="muted small block">{m.reason}</span>}
                      </td>
                      <td data-label={t('messages.when')}>{formatDateTime(m.finalAt ?? m.submittedAt ?? m.sendAt ?? m.createdAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {ledger.data && ledger.data.days.length > 0 && (
        <>
          <h3>{t('messages.ledger')}</h3>
          <div className="table-wrap">
            <table className="table" data-testid="ledger">
              <thead>
                <tr>
                  <th>{t('messages.when')}</th>
                  <th>{t('detail.messages')}</th>
                  <th>{t('messages.parts')}</th>
                  <th>{t('messages.status')}</th>
                </tr>
              </thead>
              <tbody>
                {ledger.data.days.map((d) => (
                  <tr key={d.date}>
                    <td>{d.date}</td>
                    <td>{d.messages}</td>
                    <td>{d.debitedParts}</td>
                    <td className="small">
                      {Object.entries(d.byStatus)
                        .map(([s, v]) => `${tx(`msgStatus.${s}`, s)} ${v.messages}`)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}
