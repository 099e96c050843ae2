/**
 * "账号冻结后，后续不可申请开通使用" (the appendix; Art.8 §5): an organisation
 * whose account was frozen for a content violation may never open again. A
 * new contract, an imported one and a supplemental agreement are refused for
 * it (409 ORGANISATION_FROZEN, naming the freeze case and its contract).
 *
 * The organisation is Party A's unified social credit code; a frozen
 * contract stored without a code binds by Party A's exact name, and a
 * contract without a code is checked by its name (db/organisations.ts).
 */
import { refusal, type FrozenRefusal } from '../domain/error-reasons';
import type { Queryable } from '../db/pool';
import type { FreezeView, OrganisationFreeze } from '../domain/legal';
import { findOrganisationFreeze, listFrozenOrganisations } from '../db/organisations';

export type OrganisationOf = { creditCode: string | null; name: string };

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
};

/** Refuses (409 ORGANISATION_FROZEN) when the organisation was frozen; `refused` says what is refused, e.g. "no new contract". */
export async function assertOrganisationOpen(db: Queryable, organisation: OrganisationOf, refused: string): Promise<void> {
  const freeze = await findOrganisationFreeze(db, organisation);
  if (freeze) {
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
}
