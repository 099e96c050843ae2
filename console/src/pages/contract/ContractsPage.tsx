/**
 * Contracts: a search over number, customer and credit code, filters (status,
 * owner by name, deadline within N days), the sort and the page, all kept in
 * the URL so that back, forward and reload show the same list; each row with
 * its worst open matter, next deadline and a live countdown.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ContractListItemView, ContractListView, ContractOwnersView } from '../../../../api/routes/contracts.types';
import { CONTRACT_STATUSES } from '../../../../domain/contract';
import { CONTRACT_SORTS, DEFAULT_CONTRACT_SORT, sortOf, sortParts, type ContractSort, type ContractSortKey } from '../../../../domain/contract-list';
import { apiGet, can } from '../../api';
import { useAuth } from '../../auth';
import { Countdown, DataTable, ListBody, Pager, ProvisionalBadge, RiskChip, SearchInput, StatusBadge, useLoad, useSearchText, type Column, type ColumnSort } from '../../components';
import { features } from '../../features';
import { formatDateTime, formatDue } from '../../format';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';

const PAGE = 50;

/** The list as the URL says it: the filters, the search, the sort and the first row shown. */
type ListState = { status: string; owner: string; within: string; q: string; sort: ContractSort | null; offset: number };

const isSort = (value: string | null): value is ContractSort => value !== null && (CONTRACT_SORTS as readonly string[]).includes(value);

function stateOf(query: URLSearchParams): ListState {
  const sort = query.get('sort');
  return {
    status: query.get('status') ?? '',
    owner: query.get('owner') ?? '',
    within: query.get('within') ?? '',
    q: query.get('q') ?? '',
    sort: isSort(sort) ? sort : null,
    offset: Math.max(0, Number(query.get('offset') ?? 0) || 0),
  };
}

function pathOf(state: ListState): string {
  const q = new URLSearchParams();
  if (state.q) q.set('q', state.q);
  if (state.status) q.set('status', state.status);
  if (state.owner) q.set('owner', state.owner);
  if (state.within) q.set('within', state.within);
  if (state.sort) q.set('sort', state.sort);
  if (state.offset) q.set('offset', String(state.offset));
  const qs = q.toString();
  return `/contracts${qs ? `?${qs}` : ''}`;
}

export function ContractsPage() {
  const { t, tx, lang } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const state = stateOf(query);
  const { status, owner, within, q, sort, offset } = state;

  const [form, setForm] = useState({ status, owner, within });

  const search = new URLSearchParams();
  if (q) search.set('q', q);
  if (status) search.set('status', status);
  if (owner) search.set('owner', owner);
  if (within) search.set('deadlineWithinDays', within);
  if (sort) search.set('sort', sort);
  search.set('limit', String(PAGE));
  search.set('offset', String(offset));
  const apiQuery = search.toString();

  const list = useLoad((signal) => apiGet<ContractListView>(`/api/contracts?${apiQuery}`, { signal }), [apiQuery]);
  const canListOwners = can(user.role, 'get', '/api/contract-owners');
  const owners = useLoad((signal) => (canListOwners ? apiGet<ContractOwnersView>('/api/contract-owners', { signal }) : Promise.resolve(null)), [canListOwners]);

  const go = (next: Partial<ListState>) => navigate(pathOf({ ...state, ...next }));

  // back, forward or a link changed the list: the form shows it
  useEffect(() => setForm({ status, owner, within }), [status, owner, within]);
  // the search runs once typing pauses, from the first page
  const [text, setText] = useSearchText(q, (next) => go({ q: next, offset: 0 }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    go({ ...form, q: text.trim(), offset: 0 });
  };

  const current = sortParts(sort ?? DEFAULT_CONTRACT_SORT);
  /** a column's sort: the list's direction when sorted by it; a click sorts by it ascending, or turns the direction round */
  const sortBy = (key: ContractSortKey): ColumnSort => ({
    direction: current.key === key ? current.direction : null,
    onSort: () => go({ sort: sortOf(key, current.key === key && current.direction === 'asc' ? 'desc' : 'asc'), offset: 0 }),
    testId: `sort-${key}`,
  });

  const ownerOptions = owners.data?.items ?? [];
  const sortHeads: Record<ContractSortKey, string> = { number: t('list.number'), partyA: t('list.partyA'), nextDeadline: t('list.nextDeadline'), createdAt: t('list.createdAt') };
  const columns: Column<ContractListItemView>[] = [
    {
      head: t('list.number'),
      sort: sortBy('number'),
      cell: (c) => (
        <Link to={`/contracts/${c.id}`} className="mono">
          {c.number}
        </Link>
      ),
    },
    { head: t('list.partyA'), sort: sortBy('partyA'), cell: (c) => c.partyA },
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
      sort: sortBy('nextDeadline'),
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
    { head: t('list.createdAt'), sort: sortBy('createdAt'), className: 'small', cell: (c) => formatDateTime(c.createdAt, lang) },
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
        <label className="field search-field">
          <span>{t('list.search')}</span>
          <SearchInput value={text} onChange={setText} placeholder={t('list.searchPlaceholder')} testId="contracts-search" />
        </label>
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
        {canListOwners && (
          <label className="field">
            <span>{t('list.filter.owner')}</span>
            <select name="owner" value={form.owner} onChange={(e) => setForm({ ...form, owner: e.target.value })} data-testid="owner-filter">
              <option value="">{t('common.all')}</option>
              {ownerOptions.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.active ? o.name : t('list.filter.ownerInactive', { name: o.name })}
                </option>
              ))}
              {form.owner && !ownerOptions.some((o) => o.id === form.owner) && <option value={form.owner}>{form.owner}</option>}
            </select>
          </label>
        )}
        <label className="field sort-field">
          <span>{t('list.sort')}</span>
          <select name="sort" value={sort ?? DEFAULT_CONTRACT_SORT} onChange={(e) => isSort(e.target.value) && go({ sort: e.target.value, offset: 0 })}>
            {CONTRACT_SORTS.map((option) => {
              const { key, direction } = sortParts(option);
              return (
                <option key={option} value={option}>
                  {t(direction === 'asc' ? 'list.sortAsc' : 'list.sortDesc', { column: sortHeads[key] })}
                </option>
              );
            })}
          </select>
        </label>
        <label className="field narrow">
          <span>{t('list.filter.within')}</span>
          <input name="within" type="number" min={0} max={3650} inputMode="numeric" value={form.within} onChange={(e) => setForm({ ...form, within: e.target.value })} />
        </label>
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary">
            {t('list.filter.apply')}
          </button>
          {user.role === 'sales' && (
            <button type="button" className="btn" onClick={() => go({ ...form, owner: user.id, q: text.trim(), offset: 0 })}>
              {t('list.filter.ownerMine')}
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={() => navigate(pathOf({ status: '', owner: '', within: '', q: '', sort: null, offset: 0 }))}>
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
            <Pager offset={offset} limit={PAGE} total={list.data.total} shown={list.data.items.length} onPage={(next) => go({ offset: next })} testId="contracts-pager" />
          </>
        )}
      </ListBody>
    </div>
  );
}
