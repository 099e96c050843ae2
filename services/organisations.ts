/**
 * "账号冻结后，后续不可申请开通使用" (the appendix; Art.8 §5): an organisation
 * whose account was frozen for a content violation may never open again. A
 * new contract, an imported one and a supplemental agreement are refused for
 * it (409 ORGANISATION_FROZEN, naming the freeze case and its contract).
 *
 * The organisation is Party A's unified social credit code; a frozen
 * contract stored without a code binds by Party A's exact name, and a
 * contract without a code is checked by its name (db/organisations.ts).
 *
 * The check and the write it guards are one transaction holding the
 * organisation's lock (`withOrganisationOpen`), the lock a freeze takes too
 * (activities/legal.ts confirmViolation): a freeze committed while a contract
 * is being made is seen by the check, never let through. The organisation's
 * other contracts keep their status (each is a contract of its own) but send
 * nothing more (services/sms.ts, activities/sms.ts).
 */
import { refusal, type FrozenRefusal } from '../domain/error-reasons';
import type { Db, Queryable } from '../db/pool';
import type { FreezeView, OrganisationFreeze } from '../domain/legal';
import { findOrganisationFreeze, listFrozenOrganisations, lockOrganisation, type OrganisationKey } from '../db/organisations';

export type OrganisationOf = OrganisationKey;

/** Party A of a stored contract: its credit code column (null for a contract stored without one) and its name. */
export const organisationOfContract = (contract: { partyACreditCode: string | null; partyAName: string }): OrganisationOf => ({
  creditCode: contract.partyACreditCode,
  name: contract.partyAName,
});

/** Party A of a contract's terms, as the freeze is looked up. */
export const organisationOfTerms = (terms: { partyA: { name: string; creditCode?: string } }): OrganisationOf => ({
  creditCode: terms.partyA.creditCode ?? null,
  name: terms.partyA.name,
});

/** What an answer shows of the freeze. */
export const freezeView = (freeze: OrganisationFreeze): FreezeView => ({
  caseId: freeze.caseId,
  contractId: freeze.contractId,
  contractNumber: freeze.contractNumber,
  frozenAt: freeze.frozenAt,
  matchedBy: freeze.matchedBy,
});

/** One sentence: who is frozen, by which case on which contract, and what that refuses. */
export function frozenMessage(freeze: OrganisationFreeze, organisation: OrganisationOf, refused: string): string {
  const who = organisation.creditCode ? `${organisation.name} (${organisation.creditCode})` : organisation.name;
  const how = freeze.matchedBy === 'credit_code' ? 'its credit code' : `its exact name (contract ${freeze.contractNumber} carries no credit code)`;
  return `the organisation ${who} was frozen for good by the content violation case ${freeze.caseId} on contract ${freeze.contractNumber} (matched by ${how}; Art.8 §5): ${refused}`;
}

/**
 * The frozen organisations, read once, and a matcher for many organisations
 * (an import's rows): the same rule as findOrganisationFreeze.
 */
export async function organisationFreezes(db: Queryable): Promise<(organisation: OrganisationOf) => OrganisationFreeze | null> {
  const frozen = await listFrozenOrganisations(db);
  return (organisation) => {
    const byCode = organisation.creditCode === null ? undefined : frozen.find((f) => f.partyACreditCode === organisation.creditCode);
    if (byCode) return { ...byCode, matchedBy: 'credit_code' };
    const byName = frozen.find((f) => f.partyAName === organisation.name && (organisation.creditCode === null || f.partyACreditCode === null));
    return byName ? { ...byName, matchedBy: 'name' } : null;
  };
}

/** What the refusals name, as the reason's parameter (domain/error-reasons.ts). */
const REFUSED: Record<string, FrozenRefusal> = {
  'no new contract can be made with it': 'new_contract',
  'no contract of it can be imported': 'import',
  'no supplemental agreement can be made with it': 'amendment',
  'no supplemental agreement can be signed with it': 'amendment_signing',
  'no message can be sent under any of its contracts': 'sms',
};

/** Refuses (409 ORGANISATION_FROZEN) when the organisation was frozen; `refused` says what is refused, e.g. "no new contract". */
export async function assertOrganisationOpen(db: Queryable, organisation: OrganisationOf, refused: string): Promise<void> {
  const freeze = await findOrganisationFreeze(db, organisation);
  if (freeze) throwFrozen(freeze, organisation, refused);
}

/**
 * Runs `write` in a transaction that holds the organisation's lock and has
 * found it not frozen (else 409 ORGANISATION_FROZEN, nothing written): the
 * check and the write are atomic against a freeze (db/organisations.ts
 * lockOrganisation).
 */
export async function withOrganisationOpen<T>(db: Db, organisation: OrganisationOf, refused: string, write: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.withTransaction(async (tx) => {
    await lockOrganisation(tx, organisation);
    await assertOrganisationOpen(tx, organisation, refused);
    return write(tx);
  });
}

/** The same check inside a transaction of the caller's: takes the organisation's lock, then returns the freeze that binds it, if any. */
export async function lockedOrganisationFreeze(tx: Queryable, organisation: OrganisationOf): Promise<OrganisationFreeze | null> {
  await lockOrganisation(tx, organisation);
  return findOrganisationFreeze(tx, organisation);
}

function throwFrozen(freeze: OrganisationFreeze, organisation: OrganisationOf, refused: string): never {
  const reason = {
    organisation: organisation.name,
    caseId: freeze.caseId,
    contractNumber: freeze.contractNumber,
    frozenAt: freeze.frozenAt,
    matchedBy: freeze.matchedBy,
    refused: REFUSED[refused] ?? 'other',
  } as const;
  throw refusal('organisation.frozen', reason, frozenMessage(freeze, organisation, refused), { freeze: freezeView(freeze) });
}
