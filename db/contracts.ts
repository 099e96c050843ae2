/**
 * Contracts and their signatures.
 */
import type { ContractStatus, SignatureRecord } from '../domain/contract';
import type { ContractTerms, PartyCode } from '../domain/terms';
import type { Queryable } from './pool';

export type ContractRow = {
  id: string;
  number: string;
  ownerId: string;
  status: ContractStatus;
  terms: ContractTerms;
  partyAName: string;
  partyBName: string;
  effectiveAt: string | null;
  termEndsAt: string | null;
  workflowId: string;
  workflowStartedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

const iso = (value: Date | null) => (value ? value.toISOString() : null);

const COLUMNS = `id, number, owner_id, status, terms, party_a_name, party_b_name, effective_at, term_ends_at,
  workflow_id, workflow_started_at, created_at, updated_at`;

function toContract(row: Record<string, unknown>): ContractRow {
  return {
    id: row.id as string,
    number: row.number as string,
    ownerId: row.owner_id as string,
    status: row.status as ContractStatus,
    terms: row.terms as ContractTerms,
    partyAName: row.party_a_name as string,
    partyBName: row.party_b_name as string,
    effectiveAt: iso(row.effective_at as Date | null),
    termEndsAt: iso(row.term_ends_at as Date | null),
    workflowId: row.workflow_id as string,
    workflowStartedAt: iso(row.workflow_started_at as Date | null),
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
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
    `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, workflow_id, idempotency_key)
     VALUES ($1, 'SMS-' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('contract_number_seq')::text, 6, '0'),
             $2, 'awaiting_signatures', $3, $4, $5, $6, $7)
     ON CONFLICT (owner_id, idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [input.id, input.ownerId, JSON.stringify(input.terms), input.terms.partyA.name, input.terms.partyB.name, input.workflowId, input.idempotencyKey],
  );
  return rows[0] ? toContract(rows[0]) : null;
}

export async function findContractByIdempotencyKey(db: Queryable, ownerId: string, key: string): Promise<ContractRow | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM contracts WHERE owner_id = $1 AND idempotency_key = $2`, [ownerId, key]);
  return rows[0] ? toContract(rows[0]) : null;
}

export async function findContract(db: Queryable, id: string): Promise<ContractRow | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM contracts WHERE id = $1`, [id]);
  return rows[0] ? toContract(rows[0]) : null;
}

export type ContractFilter = {
  status?: ContractStatus;
  ownerId?: string;
  partyAName?: string;
  deadlineWithinDays?: number;
  limit: number;
  offset: number;
};

export type ContractListItem = ContractRow & { nextDeadline: { kind: string; dueAt: string; explanation: string } | null };

/** The list's filters as a parameterised WHERE clause over `contracts c`. */
export function contractFilterWhere(filter: Omit<ContractFilter, 'limit' | 'offset'>): { whereSql: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    values.push(value);
    where.push(clause.replace('?', `$${values.length}`));
  };
  if (filter.status) add('c.status = ?', filter.status);
  if (filter.ownerId) add('c.owner_id = ?', filter.ownerId);
  if (filter.partyAName) add('c.party_a_name = ?', filter.partyAName);
  if (filter.deadlineWithinDays !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM deadlines d WHERE d.contract_id = c.id AND d.status = 'open' AND d.due_at <= now() + make_interval(days => ?))`,
      filter.deadlineWithinDays,
    );
  }
  return { whereSql: where.length ? `WHERE ${where.join(' AND ')}` : '', values };
}

export async function listContracts(db: Queryable, filter: ContractFilter): Promise<{ items: ContractListItem[]; total: number }> {
  const { whereSql, values } = contractFilterWhere(filter);
  const { rows } = await db.query(
    `SELECT ${COLUMNS.split(',').map((c) => `c.${c.trim()}`).join(', ')}, count(*) OVER () AS total,
            nd.kind AS nd_kind, nd.due_at AS nd_due_at, nd.explanation AS nd_explanation
       FROM contracts c
       LEFT JOIN LATERAL (
         SELECT kind, due_at, explanation FROM deadlines d
          WHERE d.contract_id = c.id AND d.status = 'open' ORDER BY due_at LIMIT 1
       ) nd ON true
       ${whereSql}
      ORDER BY c.created_at DESC, c.id
      LIMIT ${Number(filter.limit)} OFFSET ${Number(filter.offset)}`,
    values,
  );
  return {
    total: rows[0] ? Number(rows[0].total) : 0,
    items: rows.map((row) => ({
      ...toContract(row),
      nextDeadline: row.nd_kind ? { kind: row.nd_kind, dueAt: (row.nd_due_at as Date).toISOString(), explanation: row.nd_explanation } : null,
    })),
  };
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
  return rowCount === 1;
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
