/**
 * Contracts brought in from an existing contract book: the row of a contract
 * that is already in force, found again by the branch's own reference.
 */
import type { ContractTerms } from '../domain/terms';
import { CONTRACT_COLUMNS, toContract, type ContractRow } from './contracts';
import type { Queryable } from './pool';

export async function findContractByExternalRef(db: Queryable, externalRef: string): Promise<ContractRow | null> {
  const { rows } = await db.query(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE external_ref = $1`, [externalRef]);
  return rows[0] ? toContract(rows[0]) : null;
}

/** The contracts already imported under these references, by reference. */
export async function findContractsByExternalRefs(db: Queryable, externalRefs: string[]): Promise<Map<string, ContractRow>> {
  if (externalRefs.length === 0) return new Map();
  const { rows } = await db.query(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE external_ref = ANY($1::text[])`, [externalRefs]);
  return new Map(rows.map((row) => [row.external_ref as string, toContract(row)]));
}

/** Inserts an imported contract, in force; null when another import holds the reference already. */
export async function insertImportedContract(
  db: Queryable,
  input: { id: string; ownerId: string; terms: ContractTerms; workflowId: string; externalRef: string; effectiveAt: string; termEndsAt: string; importedAt: string },
): Promise<ContractRow | null> {
  const { rows } = await db.query(
    `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_a_credit_code, party_b_name, effective_at, term_ends_at, workflow_id, external_ref, imported_at)
     VALUES ($1, 'SMS-' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('contract_number_seq')::text, 6, '0'),
             $2, 'active', $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (external_ref) WHERE external_ref IS NOT NULL DO NOTHING
     RETURNING ${CONTRACT_COLUMNS}`,
    [
      input.id, input.ownerId, JSON.stringify(input.terms), input.terms.partyA.name, input.terms.partyA.creditCode ?? null, input.terms.partyB.name,
      input.effectiveAt, input.termEndsAt, input.workflowId, input.externalRef, input.importedAt,
    ],
  );
  return rows[0] ? toContract(rows[0]) : null;
}
