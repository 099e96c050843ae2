/**
 * The contracts an outage affects, among those in service: found by typing
 * part of the customer's name or the number (the first 20 matches), ticked one
 * by one; the ticked stay ticked while another search runs.
 */
import type { Dispatch, SetStateAction } from 'react';
import { ErrorBox, Loading, SearchInput } from '../../components';
import { useContractSearch } from '../../contract-search';
import { useI18n } from '../../i18n';

export function ContractPicker({ picked, setPicked }: { picked: string[]; setPicked: Dispatch<SetStateAction<string[]>> }) {
  const { t } = useI18n();
  const { text, setText, matches } = useContractSearch();
  const shown = matches.data?.items ?? [];
  const total = matches.data?.total ?? 0;
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  return (
    <div className="picker wide" data-testid="contract-picker">
      <ErrorBox error={matches.error} onRetry={matches.reload} />
      <SearchInput value={text} onChange={setText} placeholder={t('outage.search')} ariaLabel={t('outage.search')} testId="contract-search" />
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
      {!matches.data ? (
        matches.error ? null : <Loading />
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
          {total === 0 && <li className="muted">{t('outage.noMatch')}</li>}
          {total > shown.length && <li className="muted small">{t('outage.more', { n: total - shown.length })}</li>}
        </ul>
      )}
    </div>
  );
}
