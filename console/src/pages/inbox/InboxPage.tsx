/**
 * The work queue (GET /api/inbox): the alerts and decisions waiting for the
 * signed-in user or their role, soonest due first, each with its kind in
 * words, a link to its case, outage or contract, its due time in Beijing
 * time, and the two acts: acknowledge (open → acknowledged) and close
 * (→ done). Items whose cause is resolved close themselves (the API does it).
 * Shown 50 at a time, the filter and the page kept in the URL.
 */
import { useState } from 'react';
import type { InboxView, WorkItemView } from '../../../../api/routes/inbox.types';
import { WORK_ITEM_FILTERS, type WorkItemFilter } from '../../../../domain/work-items';
import { apiGet, apiPost, newIdempotencyKey } from '../../api';
import { ErrorBox, ListBody, offsetOf, Pager, Segmented, useLoad, usePastTheEnd } from '../../components';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { INBOX_CHANGED } from '../../inbox-badge';
import { Link, navigate, useLocation } from '../../router';

const PAGE = 50;

function pathOf(state: WorkItemFilter, offset: number): string {
  const q = new URLSearchParams();
  if (state !== 'unfinished') q.set('state', state);
  if (offset) q.set('offset', String(offset));
  const qs = q.toString();
  return `/inbox${qs ? `?${qs}` : ''}`;
}

function ItemRow({ item, onChanged }: { item: WorkItemView; onChanged: () => void }) {
  const { t, tx, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (action: 'acknowledge' | 'close') => {
    setBusy(true);
    setError(null);
    try {
      await apiPost(`/api/inbox/${item.id}/${action}`, {}, { idempotencyKey: newIdempotencyKey() });
      window.dispatchEvent(new Event(INBOX_CHANGED));
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const subject = item.contract ? `${item.contract.number ?? item.contract.id}${item.contract.partyA ? `（${item.contract.partyA}）` : ''}` : item.outageId ?? '';
  return (
    <article className={`card inbox-item state-${item.state}`} data-testid="inbox-item" data-item-id={item.id} data-kind={item.kind} data-state={item.state}>
      <div className="inbox-head">
        <strong data-testid="inbox-kind">{tx(`inbox.kind.${item.kind}`, item.kind)}</strong>
        <span className={`badge s-${item.state}`} data-testid="inbox-state">
          {t(`inbox.stateOf.${item.state}`)}
        </span>
      </div>
      <div className="muted small">
        {subject}
        {' · '}
        {t('inbox.to')}: {item.addressedTo.userId ? t('inbox.toMe') : tx(`role.${item.addressedTo.role ?? ''}`, item.addressedTo.role ?? '')}
        {' · '}
        {t('inbox.due')}: <span data-testid="inbox-due">{item.dueAt ? formatDateTime(item.dueAt, lang) : t('inbox.noDue')}</span>
      </div>
      <p>{item.title}</p>
      <p className="muted small">{item.body}</p>
      {item.state === 'done' && (
        <p className="muted small" data-testid="inbox-closed">
          {item.closedReason === 'resolved' ? t('inbox.resolved') : t('inbox.closedBy', { who: item.doneBy ?? '' })}
        </p>
      )}
      <div className="actions">
        {item.link && (
          <Link to={item.link} className="btn btn-small" data-testid="inbox-link">
            {t('inbox.open')}
          </Link>
        )}
        {item.state === 'open' && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('acknowledge')} data-testid="inbox-acknowledge">
            {t('inbox.acknowledge')}
          </button>
        )}
        {item.state !== 'done' && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('close')} data-testid="inbox-close">
            {t('inbox.close')}
          </button>
        )}
      </div>
      <ErrorBox error={error} />
    </article>
  );
}

export function InboxPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const raw = query.get('state') ?? 'unfinished';
  const state: WorkItemFilter = (WORK_ITEM_FILTERS as readonly string[]).includes(raw) ? (raw as WorkItemFilter) : 'unfinished';
  const offset = offsetOf(query);
  const list = useLoad((signal) => apiGet<InboxView>(`/api/inbox?state=${state}&limit=${PAGE}&offset=${offset}`, { signal }), [state, offset]);
  // the last items of a page closed: the page before it
  usePastTheEnd(list.data, offset, PAGE, (next) => navigate(pathOf(state, next), { replace: true }));
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t('inbox.title')}</h1>
          <p className="muted">{t('inbox.intro')}</p>
        </div>
      </div>
      <div className="filters card">
        <Segmented
          label={t('inbox.state')}
          options={WORK_ITEM_FILTERS.map((s) => ({ value: s, text: t(`inbox.filter.${s}`) }))}
          value={state}
          onChoose={(s) => navigate(pathOf(s, 0))}
        />
      </div>
      <ListBody list={list} empty={list.data?.total === 0} emptyText={t('inbox.empty')}>
        <div className="inbox" data-testid="inbox">
          {(list.data?.items ?? []).map((item) => (
            <ItemRow key={`${item.id}:${item.state}`} item={item} onChanged={list.reload} />
          ))}
        </div>
        {list.data && <Pager offset={offset} limit={PAGE} total={list.data.total} shown={list.data.items.length} onPage={(next) => navigate(pathOf(state, next))} testId="inbox-pager" />}
      </ListBody>
    </div>
  );
}
