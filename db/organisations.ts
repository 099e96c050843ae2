/**
 * Party A's organisations as the system knows them: by the unified social
 * credit code of their contracts (contracts.party_a_credit_code), and the
 * freezes that bind them. A freeze is recorded today as the forfeiture of a
 * confirmed content violation (Art.8 §5, forfeitures: one row per frozen
 * contract, written with the case's confirmation); the contract's status
 * 'frozen' follows from its lifecycle.
 */
import type { OrganisationFreeze } from '../domain/legal';
import type { Queryable } from './pool';

/**
 * The first freeze that binds the organisation, or null. With a credit code:
 * a frozen contract of that code, or a frozen contract stored without a code
 * whose Party A has exactly this name. Without one (a contract stored before
 * codes): a frozen contract of exactly this name.
 */
export async function findOrganisationFreeze(db: Queryable, party: { creditCode: string | null; name: string }): Promise<OrganisationFreeze | null> {
  const [where, values] =
    party.creditCode === null
      ? ['c.party_a_name = $1', [party.name]]
      : ['(c.party_a_credit_code = $1 OR (c.party_a_credit_code IS NULL AND c.party_a_name = $2))', [party.creditCode, party.name]];
  const { rows } = await db.query(
    `SELECT f.case_id, f.contract_id, f.frozen_at, c.number, c.party_a_name, c.party_a_credit_code
       FROM forfeitures f JOIN contracts c ON c.id = f.contract_id
      WHERE ${where}
      ORDER BY f.frozen_at, f.case_id
      LIMIT 1`,
    values,
  );
  const row = rows[0];
  if (!row) return null;
  const code = (row.party_a_credit_code as string | null) ?? null;
  return {
    caseId: row.case_id as string,
    contractId: row.contract_id as string,
    contractNumber: row.number as string,
    partyAName: row.party_a_name as string,
    partyACreditCode: code,
    frozenAt: (row.frozen_at as Date).toISOString(),
    matchedBy: party.creditCode !== null && code === party.creditCode ? 'credit_code' : 'name',
  };
}

/** Every frozen contract's Party A, earliest first: for matching many rows at once (an import), see services/organisations.ts. */
export async function listFrozenOrganisations(db: Queryable): Promise<Omit<OrganisationFreeze, 'matchedBy'>[]> {
  const { rows } = await db.query(
    `SELECT f.case_id, f.contract_id, f.frozen_at, c.number, c.party_a_name, c.party_a_credit_code
       FROM forfeitures f JOIN contracts c ON c.id = f.contract_id
      ORDER BY f.frozen_at, f.case_id`,
  );
  return rows.map((row) => ({
    caseId: row.case_id as string,
    contractId: row.contract_id as string,
    contractNumber: row.number as string,
    partyAName: row.party_a_name as string,
    partyACreditCode: (row.party_a_credit_code as string | null) ?? null,
    frozenAt: (row.frozen_at as Date).toISOString(),
  }));
}
