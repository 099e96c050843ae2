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

/** Party A's organisation as a freeze and a suppression list know it: its credit code, else its exact name. */
export type OrganisationKey = { creditCode: string | null; name: string };

/** The advisory lock class of an organisation (pg_advisory_xact_lock(class, key)): a freeze and a new contract of it take turns. */
const ORGANISATION_LOCK = 72_017_428;

/**
 * Takes the organisation's transaction-scoped locks: its credit code's (when
 * it has one), then its name's. A freeze takes them for the frozen contract's
 * Party A, and whatever a freeze refuses (a new contract, an imported one, a
 * supplemental agreement) takes them for its own Party A before it checks
 * and writes, in the same transaction: whenever a freeze binds a Party A
 * (findOrganisationFreeze) the two share the code or the name, so a freeze
 * committed between the check and the write cannot happen. Always the code
 * first, then the name, so two holders never wait on each other in a circle.
 */
export async function lockOrganisation(tx: Queryable, organisation: OrganisationKey): Promise<void> {
  if (organisation.creditCode !== null) await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORGANISATION_LOCK, `code:${organisation.creditCode}`]);
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORGANISATION_LOCK, `name:${organisation.name}`]);
}

/**
 * The first freeze that binds the organisation, or null. With a credit code:
 * a frozen contract of that code, or a frozen contract stored without a code
 * whose Party A has exactly this name. Without one (a contract stored before
 * codes): a frozen contract of exactly this name.
 */
export async function findOrganisationFreeze(db: Queryable, party: OrganisationKey): Promise<OrganisationFreeze | null> {
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

/** A contract bound by a freeze of another contract of its organisation, with how it was matched. */
export type BoundContract = { id: string; number: string; status: string; matchedBy: 'credit_code' | 'name' };

/**
 * The other contracts a freeze of this contract binds (the same rule as
 * findOrganisationFreeze, seen from the frozen contract): those of its
 * credit code, and those of Party A's exact name where either carries no
 * code; only the ones still awaiting signatures or in force.
 */
export async function listContractsBoundByFreeze(db: Queryable, frozenContractId: string): Promise<BoundContract[]> {
  const { rows } = await db.query(
    `SELECT c.id, c.number, c.status,
            CASE WHEN c.party_a_credit_code = f.party_a_credit_code THEN 'credit_code' ELSE 'name' END AS matched_by
       FROM contracts f JOIN contracts c ON c.id <> f.id
      WHERE f.id = $1
        AND c.status IN ('awaiting_signatures', 'active')
        AND (c.party_a_credit_code = f.party_a_credit_code
             OR (c.party_a_name = f.party_a_name AND (c.party_a_credit_code IS NULL OR f.party_a_credit_code IS NULL)))
      ORDER BY c.number, c.id`,
    [frozenContractId],
  );
  return rows.map((row) => ({ id: row.id as string, number: row.number as string, status: row.status as string, matchedBy: row.matched_by as BoundContract['matchedBy'] }));
}
