/**
 * The policy with sales teams (api/policy.ts): a sales user reads and acts on
 * the contracts they own and those of the team they lead, as the user's
 * `teamMemberIds` (loaded with the token) say; nobody else's, and nothing
 * more than that for a member. The lists' owner scope is the same set, and an
 * `owner` filter narrows it, never widens it.
 */
import { subject } from '@casl/ability';
import { describe, expect, it } from 'vitest';
import { abilityFor, mayOnContract, ownerFilterOf, ownerScopeOf, type PolicyUser } from '../../api/policy';

const lead: PolicyUser = { id: 'u-lead', role: 'sales', organisation: null, teamMemberIds: ['u-member-1', 'u-member-2'] };
const member: PolicyUser = { id: 'u-member-1', role: 'sales', organisation: null, teamMemberIds: [] };
const loner: PolicyUser = { id: 'u-loner', role: 'sales', organisation: null };
const contractOf = (ownerId: string) => ({ ownerId, partyAName: '内蒙古自治区地震局', partyACreditCode: null });

describe('abilityFor with team members', () => {
  it('lets a lead read and act on their own contracts and each member\'s, and on no one else\'s', () => {
    for (const owner of ['u-lead', 'u-member-1', 'u-member-2']) {
      expect([mayOnContract(lead, 'read', contractOf(owner)), mayOnContract(lead, 'act', contractOf(owner))], owner).toEqual([true, true]);
    }
    expect([mayOnContract(lead, 'read', contractOf('u-other')), mayOnContract(lead, 'act', contractOf('u-other'))]).toEqual([false, false]);
  });

  it('gives a member their own contracts only: not the lead\'s, not a teammate\'s, not another team\'s', () => {
    expect(mayOnContract(member, 'act', contractOf('u-member-1'))).toBe(true);
    for (const owner of ['u-lead', 'u-member-2', 'u-other']) {
      expect([mayOnContract(member, 'read', contractOf(owner)), mayOnContract(member, 'act', contractOf(owner))], owner).toEqual([false, false]);
    }
  });

  it('treats a sales user without team members as before: their own contracts', () => {
    expect(mayOnContract(loner, 'act', contractOf('u-loner'))).toBe(true);
    expect(mayOnContract(loner, 'read', contractOf('u-lead'))).toBe(false);
  });

  it('never lets a lead see the recipients of a member\'s contract (sales see them masked)', () => {
    expect(mayOnContract(lead, 'readRecipients', contractOf('u-member-1'))).toBe(false);
    expect(mayOnContract(lead, 'readRecipients', contractOf('u-lead'))).toBe(false);
  });

  it('gives team members no meaning outside sales: a customer operator with them still sees only their organisation', () => {
    const operator: PolicyUser = { id: 'c', role: 'customer', organisation: '其他单位', teamMemberIds: ['u-member-1'] };
    expect(mayOnContract(operator, 'read', contractOf('u-member-1'))).toBe(false);
  });

  it('states the sales rule as one CASL condition over the owner', () => {
    const ability = abilityFor(lead);
    expect(ability.rulesFor('act', 'Contract').map((r) => r.conditions)).toEqual([{ ownerId: { $in: ['u-lead', 'u-member-1', 'u-member-2'] } }]);
    expect(ability.can('act', subject('Contract', { ...contractOf('u-member-2'), partyACreditCode: null }))).toBe(true);
  });
});

describe('the owner scope of the lists', () => {
  it('is the lead and their team for a lead, the user alone for a member, nothing for other roles', () => {
    expect(ownerScopeOf(lead)).toEqual(['u-lead', 'u-member-1', 'u-member-2']);
    expect(ownerScopeOf(member)).toEqual(['u-member-1']);
    expect(ownerScopeOf(loner)).toEqual(['u-loner']);
    expect(ownerScopeOf({ id: 'f', role: 'finance', teamMemberIds: ['u-member-1'] })).toBeUndefined();
  });

  it('lets an owner filter narrow the scope but never widen it', () => {
    expect(ownerFilterOf(lead)).toEqual(['u-lead', 'u-member-1', 'u-member-2']);
    expect(ownerFilterOf(lead, 'u-member-2')).toEqual(['u-member-2']);
    expect(ownerFilterOf(lead, 'u-other')).toEqual([]);
    expect(ownerFilterOf(member, 'u-lead')).toEqual([]);
    // staff without an owner scope filter by any owner they name, or none
    expect(ownerFilterOf({ id: 'l', role: 'legal' }, 'u-other')).toEqual(['u-other']);
    expect(ownerFilterOf({ id: 'l', role: 'legal' })).toBeUndefined();
  });
});
