/**
 * Contracts: filters (status, owner, deadline within N days) kept in the URL,
 * each row with its worst open matter, next deadline and a live countdown.
 */
import { useState, type FormEvent } from 'react';
import type { ContractListItemView, ContractListView } from '../../../../api/routes/contracts.types';
import { CONTRACT_STATUSES } from '../../../../domain/contract';
import { apiGet } from '../../api';
import { useAuth } from '../../auth';
import { Countdown, DataTable, ListBody, ProvisionalBadge, RiskChip, StatusBadge, useLoad, type Column } from '../../components';
import { features } from '../../features';
import { formatDue } from '../../format';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';

const PAGE = 50;

export function ContractsPage() {
  const { t, tx, lang } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const owner = query.get('owner') ?? '';
  const within = query.get('within') ?? '';
  const offset = Number(query.get('offset') ?? 0) || 0;

  const [form, setForm] = useState({ status, owner, within });

  const search = new URLSearchParams();
  if (status) search.set('status', status);
  if (owner) search.set('owner', owner);
  if (within) search.set('deadlineWithinDays', within);
  search.set('limit', String(PAGE));
  search.set('offset', String(offset));
  const apiQuery = search.toString();

  const list = useLoad((signal) => apiGet<ContractListView>(`/api/contracts?${apiQuery}`, { signal }), [apiQuery]);

  const go = (next: { status?: string; owner?: string; within?: string; offset?: number }) => {
    const q = new URLSearchParams();
    if (next.status) q.set('status', next.status);
    if (next.owner) q.set('owner', next.owner);
    if (next.within) q.set('within', next.within);
    if (next.offset) q.set('offset', String(next.offset));
    const qs = q.toString();
    navigate(`/contracts${qs ? `?${qs}` : ''}`);
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    go({ ...form });
  };
  const columns: Column<ContractListItemView>[] = [
    {
      head: t('list.number'),
      cell: (c) => (
        <Link to={`/contracts/${c.id}`} className="mono">
          {c.number}
        </Link>
      ),
    },
    { head: t('list.partyA'), cell: (c) => c.partyA },
    {
      head: t('list.status'),
      cell: (c) => (
        <>
          <RiskChip matter={c.risk} contractId={c.id} />
          <StatusBadge status={c.status} />
        </>
      ),
    },
    {
      head: t('list.nextDeadline'),
      cell: (c) =>
        c.nextDeadline ? (
          <span title={c.nextDeadline.explanation}>
            {tx(`deadline.${c.nextDeadline.kind}`)}
            {c.nextDeadline.provisional && <ProvisionalBadge />}
            <span className="muted small block">{formatDue(c.nextDeadline.dueAt, lang)}</span>
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    { head: t('list.countdown'), cell: (c) => (c.nextDeadline ? <Countdown secondsLeft={c.nextDeadline.secondsLeft} fetchedAt={list.fetchedAt} /> : <span className="muted">—</span>) },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('list.title')}</h1>
        {features.createContract(user.role) && (
          <Link to="/contracts/new" className="btn btn-primary" data-testid="new-contract">
            {t('nav.new')}
          </Link>
        )}
      </div>

      <form className="filters card" onSubmit={apply} aria-label={t('list.filter.apply')}>
        <label className="field">
          <span>{t('list.filter.status')}</span>
          <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })} name="status">
            <option value="">{t('common.all')}</option>
            {CONTRACT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {user.role !== 'customer' && (
          <label className="field">
            <span>{t('list.filter.owner')}</span>
            <input name="owner" value={form.owner} onChange={(e) => setForm({ ...form, owner: e.target.value })} placeholder={user.role === 'sales' ? user.id : ''} />
          </label>
        )}
        <label className="field narrow">
          <span>{t('list.filter.within')}</span>
          <input name="within" type="number" min={0} max={3650} inputMode="numeric" value={form.within} onChange={(e) => setForm({ ...form, within: e.target.value })} />
        </label>
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary">
            {t('list.filter.apply')}
          </button>
          {user.role === 'sales' && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setForm({ ...form, owner: user.id });
                go({ ...form, owner: user.id });
              }}
            >
              {t('list.filter.ownerMine')}
            </button>
          )}
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setForm({ status: '', owner: '', within: '' });
              go({});
            }}
          >
            {t('list.filter.clear')}
          </button>
        </div>
      </form>

      <ListBody list={list} empty={list.data?.items.length === 0} emptyText={t('list.empty')}>
        {list.data && (
          <>
            <DataTable
              rows={list.data.items}
              columns={columns}
              rowKey={(c) => c.id}
              rowProps={(c) => ({ 'data-contract-id': c.id })}
              testId="contracts-table"
              responsive
              card
            />
            <div className="pager">
              <span className="muted">{t('list.total', { n: list.data.total })}</span>
              <button type="button" className="btn" disabled={offset === 0} onClick={() => go({ status, owner, within, offset: Math.max(0, offset - PAGE) })}>
                {t('list.prev')}
              </button>
              <button type="button" className="btn" disabled={offset + PAGE >= list.data.total} onClick={() => go({ status, owner, within, offset: offset + PAGE })}>
                {t('list.next')}
              </button>
            </div>
          </>
        )}
      </ListBody>
    </div>
  );
}
