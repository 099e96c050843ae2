/** The contracts an outage affects, chosen by customer name or number among those in service. */
import { useMemo, type Dispatch, type SetStateAction } from 'react';
import type { ContractListItemView } from '../../../../api/routes/contracts.types';
import { ErrorBox, Loading, type Loaded } from '../../components';
import { useI18n } from '../../i18n';

export function ContractPicker({
  contracts,
  search,
  setSearch,
  picked,
  setPicked,
}: {
  contracts: Loaded<ContractListItemView[]>;
  search: string;
  setSearch: (search: string) => void;
  picked: string[];
  setPicked: Dispatch<SetStateAction<string[]>>;
}) {
  const { t } = useI18n();
  const items = useMemo(() => contracts.data ?? [], [contracts.data]);
  const needle = search.trim().toLowerCase();
  const matches = useMemo(
    () => (needle ? items.filter((c) => c.number.toLowerCase().includes(needle) || c.partyA.toLowerCase().includes(needle)) : items),
    [items, needle],
  );
  const shown = matches.slice(0, 50);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  return (
    <div className="picker wide" data-testid="contract-picker">
      <ErrorBox error={contracts.error} onRetry={contracts.reload} />
      <input type="search" value={search} placeholder={t('outage.search')} aria-label={t('outage.search')} onChange={(e) => setSearch(e.target.value)} data-testid="contract-search" />
      <p className="muted small" data-testid="picked-count">
        {t('outage.picked', { n: picked.length })}
        {picked.length > 0 && (
          <>
            {' '}
            <button type="button" className="link" onClick={() => setPicked([])}>
              {t('list.filter.clear')}
            </button>
          </>
        )}
      </p>
      {!contracts.data ? (
        contracts.error ? null : <Loading />
      ) : (
        <ul className="picker-list">
          {shown.map((c) => (
            <li key={c.id}>
              <label className="check">
                <input type="checkbox" checked={picked.includes(c.id)} onChange={() => toggle(c.id)} data-testid="pick" data-contract-id={c.id} />
                <span className="mono">{c.number}</span>
                <span>{c.partyA}</span>
              </label>
            </li>
          ))}
          {matches.length === 0 && <li className="muted">{t('outage.noMatch')}</li>}
          {matches.length > shown.length && <li className="muted small">{t('outage.more', { n: matches.length - shown.length })}</li>}
        </ul>
      )}
    </div>
  );
}
