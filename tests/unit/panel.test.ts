import { describe, expect, it } from 'vitest';
import { committeeRows } from '../../components/panel/CommitteeList';
import { committeeOptions } from '../../components/panel/store';
import { emptyMembership, membershipKey, type Membership } from '../../domain/model';
import type { CommitteeView, ContactView } from '../../domain/protocol';
import type { Role } from '../../domain/taxonomy';
import { sfKey } from './helpers/keys';

const account = sfKey('account', 1);
const deal = sfKey('opportunity', 1);
const [ann, ben, cai] = [1, 2, 3].map((n) => sfKey('contact', n)) as [string, string, string];

function member(committee: string, contact: string, roles: Role[]): Membership {
  return { ...emptyMembership(membershipKey(committee, contact), account), roles };
}

describe('committeeRows', () => {
  const contacts = { [ann]: { name: 'Ann', title: 'CEO' }, [ben]: { name: 'Ben', title: '' } };
  it('merges roles over the account and its deals, core roles first, then untagged people the page lists', () => {
    const rows = committeeRows(
      account,
      [member(account, ben, ['user']), member(deal, ben, ['champion']), member(deal, ann, ['decision_maker'])],
      contacts,
      [{ key: cai, name: 'Cai (page)' }, { key: ann, name: 'Ann from page' }],
    );
    expect(rows.map((r) => [r.name, r.roles, !!r.own, r.listed])).toEqual([
      ['Ann', ['decision_maker'], false, true],
      ['Ben', ['user', 'champion'], true, false],
      ['Cai (page)', [], false, true],
    ]);
  });
  it('is empty for an empty committee and page', () => {
    expect(committeeRows(deal, [], {}, [])).toEqual([]);
  });
});

describe('committeeOptions', () => {
  it('lists the account, its deals, then other committees the person is in, once each', () => {
    const other = sfKey('opportunity', 9);
    const person = { contact: null, notes: [], memberships: [member(deal, ann, []), member(other, ann, [])] } as ContactView;
    const acc = { committeeKey: account, deals: [{ key: deal }] } as unknown as CommitteeView;
    expect(committeeOptions(person, acc)).toEqual([account, deal, other]);
    expect(committeeOptions(null, null)).toEqual([]);
  });
});
