/**
 * Who may do what to which contract: one policy, as data, for every route
 * (CASL, @casl/ability). The route table says which roles may call a route at
 * all; this says, for the contract the route acts on:
 *
 * - `read`: see it (its detail, documents, invoices, cases, messages);
 * - `act`: change it (sign, amend, object, terminate, serve a notice, pay,
 *   buy a top-up, send SMS, report a violation…);
 * - `readRecipients`: see the customer's recipient numbers (message list,
 *   opt-outs); everyone else sees them masked.
 *
 * Admins may do everything. Legal, finance and operations work on every
 * contract (their route roles keep each to its own kind of act). A sales
 * user reads and acts on the contracts they own and, as a team lead, on those
 * of the active sales users they lead (`teamMemberIds`, loaded with the
 * token: db/users.ts), as the digest and the calendar scope them. A
 * customer operator reads and acts on their own organisation's contracts:
 * those whose Party A carries the operator's organisation credit code
 * (统一社会信用代码), whatever its name on them, and
 * those stored without a code whose Party A has exactly the organisation's
 * name; an operator without a code yet is bound by the exact name alone
 * (docs/security.md). Recipient numbers: operations and legal (who
 * handle opt-outs and violations), admins, and the customer's own operators.
 */
import { AbilityBuilder, createMongoAbility, subject, type ForcedSubject, type MongoAbility } from '@casl/ability';
import type { ContractRow, OrganisationScope } from '../db/contracts';
import type { User } from '../db/users';

export type ContractAction = 'read' | 'act' | 'readRecipients';
/** What the policy reads of a contract; a contract without `partyACreditCode` has none (stored before codes). */
export type ContractSubject = Pick<ContractRow, 'ownerId' | 'partyAName'> & { partyACreditCode?: string | null };
/**
 * What the policy reads of a user; a customer operator without
 * `organisationCreditCode` is bound by name; a sales user without
 * `teamMemberIds` leads no one.
 */
export type PolicyUser = Pick<User, 'id' | 'role' | 'organisation'> & { organisationCreditCode?: string | null; teamMemberIds?: readonly string[] };
type Ability = MongoAbility<[ContractAction | 'manage', 'all' | 'Contract' | (Required<ContractSubject> & ForcedSubject<'Contract'>)]>;

export function abilityFor(user: PolicyUser): Ability {
  const { can, build } = new AbilityBuilder<Ability>(createMongoAbility);
  switch (user.role) {
    case 'admin':
      can('manage', 'all');
      break;
    case 'legal':
    case 'operations':
      can(['read', 'act', 'readRecipients'], 'Contract');
      break;
    case 'finance':
      can(['read', 'act'], 'Contract');
      break;
    case 'sales':
      // their own contracts and their team's (a lead's members)
      can(['read', 'act'], 'Contract', { ownerId: { $in: ownersOf(user) } });
      break;
    case 'customer': {
      const code = user.organisationCreditCode ?? null;
      if (code !== null) {
        can(['read', 'act', 'readRecipients'], 'Contract', { partyACreditCode: code });
        // a contract stored before credit codes, until an admin sets its code: by the organisation's exact name
        if (user.organisation !== null) can(['read', 'act', 'readRecipients'], 'Contract', { partyACreditCode: null, partyAName: user.organisation });
      } else if (user.organisation !== null) {
        can(['read', 'act', 'readRecipients'], 'Contract', { partyAName: user.organisation });
      }
      break;
    }
  }
  return build();
}

/** Whether the user may do `action` to the contract. */
export function mayOnContract(user: PolicyUser, action: ContractAction, contract: ContractSubject): boolean {
  return abilityFor(user).can(
    action,
    subject('Contract', { ownerId: contract.ownerId, partyAName: contract.partyAName, partyACreditCode: contract.partyACreditCode ?? null }),
  );
}

/**
 * The organisation a customer operator's lists are limited to (the same rule
 * as the policy, as SQL: db/contracts.ts organisationCondition); undefined for
 * everyone else. An operator with neither a code nor a name sees nothing.
 */
export function organisationScopeOf(user: PolicyUser): OrganisationScope | undefined {
  if (user.role !== 'customer') return undefined;
  return { creditCode: user.organisationCreditCode ?? null, name: user.organisation ?? '\u0000' };
}

/** A sales user's owners: themself, then the members of the team they lead. */
function ownersOf(user: Pick<PolicyUser, 'id' | 'teamMemberIds'>): string[] {
  return [user.id, ...(user.teamMemberIds ?? []).filter((id) => id !== user.id)];
}

/**
 * The owners every contract list of this user is limited to (a sales user:
 * themself and the team they lead), or undefined (no limit by owner).
 */
export function ownerScopeOf(user: Pick<PolicyUser, 'id' | 'role' | 'teamMemberIds'>): string[] | undefined {
  return user.role === 'sales' ? ownersOf(user) : undefined;
}

/**
 * A list's owner filter: the owner asked for (`?owner=`) within the user's
 * scope (a sales user naming someone outside their team gets nothing: the
 * filter narrows, never widens), or the whole scope; undefined: every owner.
 */
export function ownerFilterOf(user: Pick<PolicyUser, 'id' | 'role' | 'teamMemberIds'>, requested?: string): string[] | undefined {
  const scope = ownerScopeOf(user);
  if (requested === undefined) return scope;
  return scope === undefined || scope.includes(requested) ? [requested] : [];
}

/** A recipient number as someone who may not read it sees it: the country code and the last four digits. */
export function maskRecipient(e164: string): string {
  return e164.length <= 7 ? '****' : `${e164.slice(0, 3)}****${e164.slice(-4)}`;
}
