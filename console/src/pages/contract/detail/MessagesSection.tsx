/** The contract's SMS: its messages with their status, newest first, a page at a time, and the reconciliation ledger per day (CSV export). */
import { useEffect, useState } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { LedgerDayView, LedgerView, MessageListView, MessageView } from '../../../../../api/routes/sms.types';
import { apiGet, apiText, can, type Role } from '../../../api';
import { DataTable, ErrorBox, Pager, Section, useLoad, type Column } from '../../../components';
import { saveFile } from '../../../download';
import { formatDateTime } from '../../../format';
import { useI18n } from '../../../i18n';

const MESSAGES_PAGE = 20;

export function MessagesSection({ contract, role }: { contract: ContractDetailView; role: Role }) {
  const { t, tx, lang } = useI18n();
  const canList = can(role, 'get', '/api/contracts/:id/messages');
  const canLedger = can(role, 'get', '/api/contracts/:id/ledger');
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [contract.id]);
  const messages = useLoad(
    (signal) => (canList ? apiGet<MessageListView>(`/api/contracts/${contract.id}/messages?limit=${MESSAGES_PAGE}&offset=${offset}`, { signal }) : Promise.resolve(null)),
    [contract.id, canList, offset],
  );
  const ledger = useLoad((signal) => (canLedger ? apiGet<LedgerView>(`/api/contracts/${contract.id}/ledger`, { signal }) : Promise.resolve(null)), [contract.id, canLedger]);
  const [error, setError] = useState<unknown>(null);
  const messageColumns: Column<MessageView>[] = [
    { head: t('messages.recipient'), className: 'mono', cell: (m) => m.recipient },
    { head: t('messages.category'), cell: (m) => tx(`compose.category.${m.category}`, m.category) },
    { head: t('messages.parts'), cell: (m) => m.parts },
    {
      head: t('messages.status'),
      cell: (m) => (
        <>
          <span className={`badge s-${m.status}`}>{tx(`msgStatus.${m.status}`, m.status)}</span>
          {m.reason && <span className="muted small block">{m.reason}</span>}
        </>
      ),
    },
    { head: t('messages.when'), cell: (m) => formatDateTime(m.finalAt ?? m.submittedAt ?? m.sendAt ?? m.createdAt, lang) },
  ];
  const ledgerColumns: Column<LedgerDayView>[] = [
    { head: t('messages.when'), cell: (d) => d.date },
    { head: t('detail.messages'), cell: (d) => d.messages },
    { head: t('messages.parts'), cell: (d) => d.debitedParts },
    {
      head: t('messages.status'),
      className: 'small',
      cell: (d) =>
        Object.entries(d.byStatus)
          .map(([s, v]) => `${tx(`msgStatus.${s}`, s)} ${v.messages}`)
          .join(' · '),
    },
  ];

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
            <>
              <DataTable rows={messages.data.items} columns={messageColumns} rowKey={(m) => m.id} testId="messages" responsive />
              {messages.data.total > MESSAGES_PAGE && (
                <Pager offset={offset} limit={MESSAGES_PAGE} total={messages.data.total} shown={messages.data.items.length} onPage={setOffset} testId="messages-pager" />
              )}
            </>
          )}
        </>
      )}
      {ledger.data && ledger.data.days.length > 0 && (
        <>
          <h3>{t('messages.ledger')}</h3>
          <DataTable rows={ledger.data.days} columns={ledgerColumns} rowKey={(d) => d.date} testId="ledger" />
        </>
      )}
    </Section>
  );
}
