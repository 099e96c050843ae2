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
 * user reads and acts on the contracts they own, as the digest and the
 * calendar already scope them. A customer operator reads and acts on their own
 * organisation's contracts. Recipient numbers: operations and legal (who
 * handle opt-outs and violations), admins, and the customer's own operators.
 */
import { AbilityBuilder, createMongoAbility, subject, type ForcedSubject, type MongoAbility } from '@casl/ability';
import type { ContractRow } from '../db/contracts';
import type { User } from '../db/users';

export type ContractAction = 'read' | 'act' | 'readRecipients';
type ContractSubject = Pick<ContractRow, 'ownerId' | 'partyAName'>;
type Ability = MongoAbility<[ContractAction | 'manage', 'all' | 'Contract' | (ContractSubject & ForcedSubject<'Contract'>)]>;

export function abilityFor(user: Pick<User, 'id' | 'role' | 'organisation'>): Ability {
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
      can(['read', 'act'], 'Contract', { ownerId: user.id });
      break;
    case 'customer':
      if (user.organisation !== null) can(['read', 'act', 'readRecipients'], 'Contract', { partyAName: user.organisation });
      break;
  }
  return build();
}

/** Whether the user may do `action` to the contract. */
export function mayOnContract(user: Pick<User, 'id' | 'role' | 'organisation'>, action: ContractAction, contract: ContractSubject): boolean {
  return abilityFor(user).can(action, subject('Contract', { ownerId: contract.ownerId, partyAName: contract.partyAName }));
}

/** The owner every contract list of this user is limited to (sales see their own), or undefined. */
export function ownerScopeOf(user: Pick<User, 'id' | 'role'>): string | undefined {
  return user.role === 'sales' ? user.id : undefined;
}

/** A recipient number as someone who may not read it sees it: the country code and the last four digits. */
export function maskRecipient(e164: string): string {
  return e164.length <= 7 ? '****' : `${e164.slice(0, 3)}****${e164.slice(-4)}`;
}
