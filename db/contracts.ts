/**
 * Contracts and their signatures.
 */
import type { ContractStatus, SignatureRecord } from '../domain/contract';
import { DEFAULT_CONTRACT_SORT, sortParts, type ContractSort, type ContractSortKey } from '../domain/contract-list';
import type { RiskFacts } from '../domain/risk';
import type { ContractTerms, PartyCode } from '../domain/terms';
import type { Queryable } from './pool';
import { settleWorkItems } from './work-items';

export type ContractRow = {
  id: string;
  number: string;
  ownerId: string;
  status: ContractStatus;
  terms: ContractTerms;
  partyAName: string;
  /** Party A's unified social credit code; null for a contract stored before it was required, until an admin sets it */
  partyACreditCode: string | null;
  partyBName: string;
  effectiveAt: string | null;
  termEndsAt: string | null;
  workflowId: string;
  workflowStartedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** for a contract brought in from the existing book: the branch's reference and when it entered */
  externalRef: string | null;
  importedAt: string | null;
};

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export const CONTRACT_COLUMNS = `id, number, owner_id, status, terms, party_a_name, party_a_credit_code, party_b_name, effective_at, term_ends_at,
  workflow_id, workflow_started_at, created_at, updated_at, external_ref, imported_at`;

/**
 * The stored terms with Party A's credit code of the column: an admin may
 * have set it on a contract stored without one, and the lifecycle writes
 * the terms it carries (without it) back when a supplemental agreement is
 * signed. The column is the code of record.
 */
function termsWithCreditCode(terms: ContractTerms, creditCode: string | null): ContractTerms {
  if (creditCode === null || !terms?.partyA || terms.partyA.creditCode === creditCode) return terms;
  return { ...terms, partyA: { ...terms.partyA, creditCode } };
}

export function toContract(row: Record<string, unknown>): ContractRow {
  const partyACreditCode = (row.party_a_credit_code as string | null | undefined) ?? null;
  return {
    id: row.id as string,
    number: row.number as string,
    ownerId: row.owner_id as string,
    status: row.status as ContractStatus,
    terms: termsWithCreditCode(row.terms as ContractTerms, partyACreditCode),
    partyAName: row.party_a_name as string,
    partyACreditCode,
    partyBName: row.party_b_name as string,
    effectiveAt: iso(row.effective_at as Date | null),
    termEndsAt: iso(row.term_ends_at as Date | null),
    workflowId: row.workflow_id as string,
    workflowStartedAt: iso(row.workflow_started_at as Date | null),
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
    externalRef: (row.external_ref as string | null) ?? null,
    importedAt: iso((row.imported_at as Date | null) ?? null),
  };
}

export type InsertContract = {
  id: string;
  ownerId: string;
  terms: ContractTerms;
  workflowId: string;
  idempotencyKey: string | null;
};

/** Inserts the contract; returns null when the owner already created one with this idempotency key. */
export async function insertContract(db: Queryable, input: InsertContract): Promise<ContractRow | null> {
  const { rows } = await db.query(
    `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_a_credit_code, party_b_name, workflow_id, idempotency_key)
     VALUES ($1, 'SMS-' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('contract_number_seq')::text, 6, '0'),
             $2, 'awaiting_signatures', $3, $4, $5, $6, $7, $8)
     ON CONFLICT (owner_id, idempotency_key) DO NOTHING
     RETURNING ${CONTRACT_COLUMNS}`,
    [input.id, input.ownerId, JSON.stringify(input.terms), input.terms.partyA.name, input.terms.partyA.creditCode ?? null, input.terms.partyB.name, input.workflowId, input.idempotencyKey],
  );
  return rows[0] ? toContract(rows[0]) : null;
}

export async function findContractByIdempotencyKey(db: Queryable, ownerId: string, key: string): Promise<ContractRow | null> {
  const { rows } = await db.query(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE owner_id = $1 AND idempotency_key = $2`, [ownerId, key]);
  return rows[0] ? toContract(rows[0]) : null;
}

export async function findContract(db: Queryable, id: string): Promise<ContractRow | null> {
  const { rows } = await db.query(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE id = $1`, [id]);
  return rows[0] ? toContract(rows[0]) : null;
}

/**
 * A customer operator's organisation, as contract lists are limited to it:
 * by its credit code (and, for contracts stored without one, its exact
 * name), or by its exact name alone while the operator has no code.
 */
export type OrganisationScope = { creditCode: string | null; name: string };

/** The condition of an organisation scope over `contracts <alias>`, its values numbered from $`first`. */
export function organisationCondition(scope: OrganisationScope, alias: string, first: number): { sql: string; values: unknown[] } {
  if (scope.creditCode === null) return { sql: `${alias}.party_a_name = $${first}`, values: [scope.name] };
  return {
    sql: `(${alias}.party_a_credit_code = $${first} OR (${alias}.party_a_credit_code IS NULL AND ${alias}.party_a_name = $${first + 1}))`,
    values: [scope.creditCode, scope.name],
  };
}

/**
 * Rows whose `column` is one of the owners, as a condition with one `?`: an
 * equality for one owner (the (owner_id, created_at) index walked in order,
 * as before teams), `= ANY` for a team (the same index, one range per owner);
 * no owners match nothing.
 */
export function ownerMatch(column: string, ownerIds: readonly string[]): { sql: string; value: unknown } {
  return ownerIds.length === 1 ? { sql: `${column} = ?`, value: ownerIds[0] } : { sql: `${column} = ANY(?::text[])`, value: [...ownerIds] };
}

export type ContractFilter = {
  status?: ContractStatus;
  ownerId?: string;
  /** any of these owners (a sales user and the team they lead: api/policy.ts ownerScopeOf); empty: none */
  ownerIds?: readonly string[];
  /** a customer operator's organisation */
  organisation?: OrganisationScope;
  deadlineWithinDays?: number;
  /** folded search text (domain/contract-list.ts searchText): a substring of the number, Party A's name or credit code, any case */
  q?: string;
  /** the order; unset: newest first */
  sort?: ContractSort;
  limit: number;
  offset: number;
};

export type ContractListItem = ContractRow & {
  nextDeadline: { kind: string; dueAt: string; explanation: string; provisional: boolean } | null;
  /** what the contract's worst open matter is computed from (domain/risk.ts) */
  risk: Pick<RiskFacts, 'invoices' | 'cases'> & { provisionalDueAt: string | null };
};

/** A condition with its parameters, each written `?`. */
type Condition = [clause: string, ...values: unknown[]];

/** Open deadlines due within `?` days, over `deadlines d`: the deadlineWithinDays filter. */
const OPEN_DUE_WITHIN = `d.status = 'open' AND d.due_at <= now() + make_interval(days => ?)`;

/** `text` as a LIKE pattern that matches it literally anywhere: its `\`, `%` and `_` escaped with `\`. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Whether any of the columns holds the search (`placeholder`: its
 * containsPattern), each folded and compared case-insensitively (normalize:
 * the columns folded as the query was, so a full-width character stored
 * matches its ordinary form).
 */
export function searchMatch(columns: readonly string[], placeholder: string): string {
  return `(${columns.map((column) => `normalize(${column}, NFKC) ILIKE ${placeholder} ESCAPE '\\'`).join(' OR ')})`;
}

/** What a contract search looks in (contracts_search_trgm_idx, migration 030): the number, Party A's name and credit code. */
export const CONTRACT_SEARCH_COLUMNS = ['number', 'party_a_name', 'party_a_credit_code'] as const;

/** The filters on the contract's own columns, over `contracts c`. */
function contractColumnConditions(filter: Omit<ContractFilter, 'limit' | 'offset'>): Condition[] {
  const conditions: Condition[] = [];
  if (filter.status) conditions.push(['c.status = ?', filter.status]);
  if (filter.ownerId) conditions.push(['c.owner_id = ?', filter.ownerId]);
  if (filter.ownerIds) {
    const owners = ownerMatch('c.owner_id', filter.ownerIds);
    conditions.push([owners.sql, owners.value]);
  }
  if (filter.organisation) {
    conditions.push(
      filter.organisation.creditCode === null
        ? ['c.party_a_name = ?', filter.organisation.name]
        : ['(c.party_a_credit_code = ? OR (c.party_a_credit_code IS NULL AND c.party_a_name = ?))', filter.organisation.creditCode, filter.organisation.name],
    );
  }
  if (filter.q !== undefined) {
    const pattern = containsPattern(filter.q);
    conditions.push([searchMatch(CONTRACT_SEARCH_COLUMNS.map((column) => `c.${column}`), '?'), ...CONTRACT_SEARCH_COLUMNS.map(() => pattern)]);
  }
  return conditions;
}

/** The conditions as a WHERE clause, each `?` numbered $1, $2, … in order. */
function whereOf(conditions: Condition[]): { whereSql: string; values: unknown[] } {
  let n = 0;
  const clauses = conditions.map(([clause]) => clause.replace(/\?/g, () => `$${++n}`));
  return { whereSql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values: conditions.flatMap(([, ...values]) => values) };
}

/** The list's filters as a parameterised WHERE clause over `contracts c`. */
function contractFilterWhere(filter: Omit<ContractFilter, 'limit' | 'offset'>): { whereSql: string; values: unknown[] } {
  const conditions = contractColumnConditions(filter);
  if (filter.deadlineWithinDays !== undefined) {
    conditions.push([`EXISTS (SELECT 1 FROM deadlines d WHERE d.contract_id = c.id AND ${OPEN_DUE_WITHIN})`, filter.deadlineWithinDays]);
  }
  return whereOf(conditions);
}

type Statement = { text: string; values: unknown[] };

/**
 * What each sort key orders by, over `contracts c`: the next deadline is the
 * earliest open one (deadlines_open_contract_due_idx), as the row shows it.
 */
const SORT_EXPRESSIONS: Record<ContractSortKey, string> = {
  number: 'c.number',
  partyA: 'c.party_a_name',
  createdAt: 'c.created_at',
  nextDeadline: `(SELECT min(d.due_at) FROM deadlines d WHERE d.contract_id = c.id AND d.status = 'open')`,
};

/**
 * The ORDER BY of a sort over the `sort_key` column, ties broken by id so that
 * pages never share or skip a row. Contracts without an open deadline come
 * last in either direction; the other keys are never null, and keep the
 * default null ordering so that their indexes (contracts_created_id_idx…)
 * serve the order.
 */
function orderBy(sort: ContractSort, alias: string): string {
  const { key, direction } = sortParts(sort);
  const nullsLast = key === 'nextDeadline' && direction === 'desc' ? ' NULLS LAST' : '';
  return `${alias}sort_key ${direction === 'desc' ? 'DESC' : 'ASC'}${nullsLast}, ${alias}id`;
}

/**
 * The page: its rows are chosen first (ORDER BY ... LIMIT over the filters, an
 * index walk that stops after offset + limit matches when the order is an
 * indexed column), and the next open deadline is looked up for those rows
 * only, not for every matching contract. The outer ORDER BY repeats the inner
 * one: a join does not promise to keep it.
 */
function pageStatement(filter: ContractFilter): Statement {
  const { whereSql, values } = contractFilterWhere(filter);
  const sort = filter.sort ?? DEFAULT_CONTRACT_SORT;
  return {
    text: `SELECT ${CONTRACT_COLUMNS.split(',').map((c) => `c.${c.trim()}`).join(', ')},
              nd.kind AS nd_kind, nd.due_at AS nd_due_at, nd.explanation AS nd_explanation, nd.provisional AS nd_provisional,
              inv.overdue AS risk_invoices, cs.open AS risk_cases, pd.due_at AS risk_provisional_due_at
         FROM (SELECT ${CONTRACT_COLUMNS}, ${SORT_EXPRESSIONS[sortParts(sort).key]} AS sort_key FROM contracts c ${whereSql}
                ORDER BY ${orderBy(sort, '')} LIMIT $${values.length + 1} OFFSET $${values.length + 2}) c
         LEFT JOIN LATERAL (
           SELECT kind, due_at, explanation, provisional FROM deadlines d
            WHERE d.contract_id = c.id AND d.status = 'open' ORDER BY due_at LIMIT 1
         ) nd ON true
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object('number', i.number, 'status', i.status, 'dueAt', i.due_at, 'amountFen', i.amount_fen, 'paidFen', i.paid_fen) ORDER BY i.due_at) AS overdue
             FROM invoices i WHERE i.contract_id = c.id AND i.status = 'overdue'
         ) inv ON true
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object('id', l.id, 'kind', l.kind, 'status', l.status, 'dueAt', l.due_at)) AS open
             FROM legal_cases l WHERE l.contract_id = c.id AND l.closed_at IS NULL
         ) cs ON true
         LEFT JOIN LATERAL (
           SELECT due_at FROM deadlines d WHERE d.contract_id = c.id AND d.status = 'open' AND d.provisional ORDER BY due_at LIMIT 1
         ) pd ON true
        ORDER BY ${orderBy(sort, 'c.')}`,
    values: [...values, filter.limit, filter.offset],
  };
}

/**
 * The number of contracts the filters match, counted apart from the page so
 * that no wide row is carried for it. With the deadline filter it counts the
 * distinct contracts of the open deadlines due in time (a range of the index of
 * migration 010) instead of probing the deadlines of every contract;
 * count(contract_id) because a deadline's contract_id may be null.
 */
function countStatement(filter: ContractFilter): Statement {
  if (filter.deadlineWithinDays === undefined) {
    const { whereSql, values } = contractFilterWhere(filter);
    return { text: `SELECT count(*) AS total FROM contracts c ${whereSql}`, values };
  }
  const contractConditions = contractColumnConditions(filter);
  const { whereSql, values } = whereOf([[OPEN_DUE_WITHIN, filter.deadlineWithinDays], ...contractConditions]);
  // every non-null contract_id names a contract (foreign key): the join is needed only to filter on its columns
  const from = contractConditions.length ? 'deadlines d JOIN contracts c ON c.id = d.contract_id' : 'deadlines d';
  return {
    text: `SELECT count(contract_id) AS total FROM (SELECT DISTINCT d.contract_id FROM ${from} ${whereSql}) due`,
    values,
  };
}

const isoOf = (value: unknown) => new Date(value as string).toISOString();

function toListItem(row: Record<string, unknown>): ContractListItem {
  const invoices = (row.risk_invoices ?? []) as { number: string; status: string; dueAt: string; amountFen: number | string; paidFen: number | string }[];
  const cases = (row.risk_cases ?? []) as { id: string; kind: string; status: string; dueAt: string | null }[];
  return {
    ...toContract(row),
    nextDeadline: row.nd_kind
      ? { kind: row.nd_kind as string, dueAt: (row.nd_due_at as Date).toISOString(), explanation: row.nd_explanation as string, provisional: row.nd_provisional === true }
      : null,
    risk: {
      invoices: invoices.map((i) => ({ number: i.number, status: i.status, dueAt: isoOf(i.dueAt), amountFen: Number(i.amountFen), paidFen: Number(i.paidFen) })),
      cases: cases.map((c) => ({ id: c.id, kind: c.kind, status: c.status, dueAt: c.dueAt ? isoOf(c.dueAt) : null })),
      provisionalDueAt: row.risk_provisional_due_at ? (row.risk_provisional_due_at as Date).toISOString() : null,
    },
  };
}

/**
 * A page of contracts, newest first unless another sort is asked for, with
 * the total the filters match (also past the last page). The page and the
 * total are two statements, run in parallel; each sees its own snapshot, so a
 * contract created in between may be counted and not listed, or listed and
 * not counted.
 */
export async function listContracts(db: Queryable, filter: ContractFilter): Promise<{ items: ContractListItem[]; total: number }> {
  const page = pageStatement(filter);
  const count = countStatement(filter);
  const [pageRows, countRows] = await Promise.all([db.query(page.text, page.values), db.query<{ total: number }>(count.text, count.values)]);
  return { total: Number(countRows.rows[0]!.total), items: pageRows.rows.map(toListItem) };
}

/** Guarded status change: returns false when the contract was not in `from` (someone else won the race). */
export async function updateContractStatus(
  db: Queryable,
  input: { id: string; from: ContractStatus[]; to: ContractStatus; effectiveAt?: string; termEndsAt?: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE contracts
        SET status = $2,
            effective_at = COALESCE($4::timestamptz, effective_at),
            term_ends_at = COALESCE($5::timestamptz, term_ends_at),
            updated_at = now()
      WHERE id = $1 AND status = ANY($3::text[])`,
    [input.id, input.to, input.from, input.effectiveAt ?? null, input.termEndsAt ?? null],
  );
  // e.g. frozen at last: the alert that the freeze did not reach the contract closes itself
  if (rowCount === 1) await settleWorkItems(db, { contractId: input.id });
  return rowCount === 1;
}

/**
 * Sets Party A's credit code on a contract stored without one (the column and
 * the terms); null when the contract already carries a code.
 */
export async function setPartyACreditCode(db: Queryable, contractId: string, creditCode: string): Promise<ContractRow | null> {
  const { rows } = await db.query(
    `UPDATE contracts
        SET party_a_credit_code = $2, terms = jsonb_set(terms, '{partyA,creditCode}', to_jsonb($2::text)), updated_at = now()
      WHERE id = $1 AND party_a_credit_code IS NULL
      RETURNING ${CONTRACT_COLUMNS}`,
    [contractId, creditCode],
  );
  return rows[0] ? toContract(rows[0]) : null;
}

export async function markWorkflowStarted(db: Queryable, contractId: string): Promise<void> {
  await db.query('UPDATE contracts SET workflow_started_at = COALESCE(workflow_started_at, now()) WHERE id = $1', [contractId]);
}

/** Inserts a signature once; returns false when this party's signature was already recorded. */
export async function insertSignature(db: Queryable, contractId: string, signature: SignatureRecord): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO signatures (contract_id, party, signer, title, sealed, signed_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (contract_id, party) DO NOTHING`,
    [contractId, signature.party, signature.signer, signature.title, signature.sealed, signature.signedAt, signature.recordedBy],
  );
  return rowCount === 1;
}

export async function listSignatures(db: Queryable, contractId: string): Promise<SignatureRecord[]> {
  const { rows } = await db.query(
    'SELECT party, signer, title, sealed, signed_at, recorded_by FROM signatures WHERE contract_id = $1 ORDER BY party',
    [contractId],
  );
  return rows.map((row) => ({
    party: row.party as PartyCode,
    signer: row.signer,
    title: row.title,
    sealed: true,
    signedAt: (row.signed_at as Date).toISOString(),
    recordedBy: row.recorded_by,
  }));
}
