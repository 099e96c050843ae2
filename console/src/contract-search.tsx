/**
 * Choosing a contract in service out of a book of thousands: a search box
 * (part of the number or the customer's name, searched once typing pauses)
 * over a select of the first 20 matches (GET /api/contracts?status=active&q=…),
 * the chosen contract kept in the select while another search runs.
 */
import { useEffect, useId, useState } from 'react';
import type { ContractDetailView, ContractListItemView, ContractListView } from '../../api/routes/contracts.types';
import { apiGet } from './api';
import { ErrorBox, SearchInput, useLoad, useSearchText, type Loaded } from './components';
import { useI18n } from './i18n';

/** How many matches a search shows. */
export const CONTRACT_MATCHES = 20;

/** A contract as a picker holds it: enough to name it and its parties. */
export type ChosenContract = Pick<ContractListItemView, 'id' | 'number' | 'partyA' | 'partyB'>;

export type ContractSearch = {
  /** the search box's text */
  text: string;
  setText: (text: string) => void;
  /** the contracts in service matching the search (the first 20), and how many match */
  matches: Loaded<ContractListView>;
  chosen: ChosenContract | null;
  /** chooses one of the matches (or the chosen one) by id; '' chooses none */
  choose: (id: string) => void;
  /** the unsearched list answered and holds no contract in service at all */
  none: boolean;
};

export type ContractSearchOptions = {
  /** a contract named by the page (a link from its own page): chosen when it is in service */
  initialId?: string;
  /** nothing named: the newest contract in service is chosen */
  pickFirst?: boolean;
};

const chosenOf = (c: ContractDetailView): ChosenContract => ({ id: c.id, number: c.number, partyA: c.parties.A.name, partyB: c.parties.B.name });

export function useContractSearch({ initialId = '', pickFirst = false }: ContractSearchOptions = {}): ContractSearch {
  const [q, setQ] = useState('');
  const [text, setText] = useSearchText(q, setQ);
  const matches = useLoad((signal) => {
    const query = new URLSearchParams({ status: 'active', limit: String(CONTRACT_MATCHES) });
    if (q) query.set('q', q);
    return apiGet<ContractListView>(`/api/contracts?${query.toString()}`, { signal });
  }, [q]);
  // the unsearched list's first answer: the contract chosen by default, and whether there is any
  const [first, setFirst] = useState<ContractListView | null>(null);
  useEffect(() => {
    if (first === null && q === '' && matches.data) setFirst(matches.data);
  }, [first, q, matches.data]);
  const named = useLoad(
    (signal) => (initialId ? apiGet<ContractDetailView>(`/api/contracts/${encodeURIComponent(initialId)}`, { signal }).catch(() => null) : Promise.resolve(null)),
    [initialId],
  );
  // undefined until a person chooses
  const [picked, setPicked] = useState<ChosenContract | null | undefined>(undefined);
  const unsearched = first ?? (q === '' ? matches.data : null);
  const fallback = named.data?.status === 'active' ? chosenOf(named.data) : pickFirst && unsearched?.items[0] ? unsearched.items[0] : null;
  const chosen = picked === undefined ? fallback : picked;
  const choose = (id: string) => setPicked(id === '' ? null : id === chosen?.id ? chosen : (matches.data?.items.find((c) => c.id === id) ?? null));
  return { text, setText, matches, chosen, choose, none: unsearched?.total === 0 };
}

/**
 * The search box and the select of its matches. `testId` names the select
 * (the search box is `<testId>-search`, the line under them `<testId>-matches`);
 * `placeholder` offers "choose" as the first option, for a form that chooses
 * nothing for the person.
 */
export function ContractSelect({
  search,
  label,
  testId,
  placeholder = false,
  error,
  wide = false,
}: {
  search: ContractSearch;
  label: string;
  testId: string;
  placeholder?: boolean;
  error?: string | null;
  wide?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const { matches, chosen } = search;
  const items = matches.data?.items ?? [];
  const options = chosen && !items.some((c) => c.id === chosen.id) ? [chosen, ...items] : items;
  const total = matches.data?.total ?? 0;
  const classes = ['field', 'contract-choice', wide ? 'wide' : null, error ? 'has-error' : null].filter(Boolean).join(' ');
  return (
    <div className={classes} role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`}>{label}</span>
      <SearchInput value={search.text} onChange={search.setText} placeholder={t('picker.search')} ariaLabel={t('picker.search')} testId={`${testId}-search`} />
      <select value={chosen?.id ?? ''} onChange={(e) => search.choose(e.target.value)} aria-labelledby={`${id}-label`} data-testid={testId}>
        {(placeholder || !chosen) && <option value="">{t('common.choose')}</option>}
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {c.number} · {c.partyA}
          </option>
        ))}
      </select>
      {matches.data && (total === 0 || total > items.length) && (
        <span className="muted small" data-testid={`${testId}-matches`}>
          {total === 0 ? t('picker.noMatch') : t('picker.more', { shown: items.length, total })}
        </span>
      )}
      <ErrorBox error={matches.error} onRetry={matches.reload} />
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
