/**
 * How the contract list is searched and sorted: the search text as it is
 * matched, and the sort keys a list may be ordered by. The API validates with
 * these schemas and the console builds its search box and column heads from
 * the same lists.
 */
import { z } from 'zod';

/** The columns the list can be sorted by. */
export const CONTRACT_SORT_KEYS = ['number', 'partyA', 'createdAt', 'nextDeadline'] as const;
export type ContractSortKey = (typeof CONTRACT_SORT_KEYS)[number];

/** A sort: the key ascending, or `-key` descending. */
export const CONTRACT_SORTS = [...CONTRACT_SORT_KEYS, ...CONTRACT_SORT_KEYS.map((key) => `-${key}` as const)] as const;
export type ContractSort = (typeof CONTRACT_SORTS)[number];
export const ZContractSort = z.enum(CONTRACT_SORTS);

/** The order a list has when none is asked for: newest first. */
export const DEFAULT_CONTRACT_SORT: ContractSort = '-createdAt';

export type SortDirection = 'asc' | 'desc';

export function sortParts(sort: ContractSort): { key: ContractSortKey; direction: SortDirection } {
  return sort.startsWith('-') ? { key: sort.slice(1) as ContractSortKey, direction: 'desc' } : { key: sort as ContractSortKey, direction: 'asc' };
}

export function sortOf(key: ContractSortKey, direction: SortDirection): ContractSort {
  return direction === 'desc' ? `-${key}` : key;
}

/**
 * Text as it is searched: NFKC folds the full-width forms a Chinese input
 * method types (ＳＭＳ－２０２６, full-width spaces and brackets) into their
 * ordinary forms. Both the query and the columns it is matched against are
 * folded, so a name stored with full-width brackets is still found.
 */
export function searchText(text: string): string {
  return text.normalize('NFKC');
}

/** The longest search text the list takes. */
export const SEARCH_MAX_LENGTH = 100;

/** A search query: folded (searchText), trimmed, 1 to 100 characters. */
export const ZSearchQuery = z.string().overwrite(searchText).trim().min(1).max(SEARCH_MAX_LENGTH);
