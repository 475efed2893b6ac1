import { describe, expect, it } from 'vitest';
import type { Deal, Note } from '../../../domain/model';
import { emptyDeal } from '../../../domain/model';
import {
  accountRiskInput,
  assessAccount,
  assessRisk,
  coverageOf,
  coverageSummary,
  dealRiskInput,
  effectiveStance,
  isProvenChampion,
  unionCommittee,
} from '../../../domain/risk';
import { DAY_MS } from '../../../domain/risk/committee';
import { ACCOUNT, committee, contactKey, contactOf, DEAL, HEALTHY, memberOf, NOW, PROVEN, type PersonSpec } from './builders';

const DEAL_2 = 'hubspot:42:deal:200';
const deal = (key: string, fields: Partial<Deal>): Deal => ({ ...emptyDeal(key), accountKey: ACCOUNT, ...fields });
const contactsOf = (people: PersonSpec[]) => Object.fromEntries(people.map((p) => [contactKey(p.id), contactOf(p)]));

describe('champion check', () => {
  const oneShort = { ...PROVEN };
  delete oneShort.sold_internally;
  it.each([
    ['all three pieces of evidence', ['champion'] as const, PROVEN, true, 'champion'],
    ['two pieces', ['champion'] as const, oneShort, false, 'supportive'],
    ['evidence without the role', ['user'] as const, PROVEN, false, 'supportive'],
  ])('%s', (_name, roles, evidence, proven, stance) => {
    const m = memberOf({ id: '1', roles: [...roles], evidence, stance: 'champion' });
    expect(isProvenChampion(m)).toBe(proven);
    expect(effectiveStance(m)).toBe(stance);
  });
});

describe('unionCommittee', () => {
  const a = memberOf({ id: '1', roles: ['user'], stage: 'discovery', stance: 'supportive', authority: 'claimed', influence: 'low', evidence: { access_to_decision_maker: 5 }, updatedAt: 10 }, ACCOUNT);
  const b = memberOf({ id: '1', roles: ['decision_maker', 'user'], stage: 'awareness', stance: 'skeptical', authority: 'verified', influence: null, evidence: { access_to_decision_maker: 9, sold_internally: 3 }, updatedAt: 20 }, DEAL);
  const gone = memberOf({ id: '2', roles: ['blocker'], deleted: true }, DEAL);

  it('merges per contact: union of roles, most advanced stage, most cautious stance, strongest authority', () => {
    const [merged, ...rest] = unionCommittee([a, b, gone], ACCOUNT);
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({
      key: `${ACCOUNT}|${contactKey('1')}`,
      committeeKey: ACCOUNT,
      roles: ['decision_maker', 'user'],
      stage: 'discovery',
      stance: 'skeptical',
      authority: 'verified',
      influence: 'low',
      evidence: { access_to_decision_maker: 9, sold_internally: 3 },
      updatedAt: 20,
    });
  });

  it('does not change its input and is idempotent', () => {
    const once = unionCommittee([a, b], ACCOUNT);
    expect(unionCommittee(once, ACCOUNT)).toEqual(once);
    expect(a.roles).toEqual(['user']);
  });

  it('assessRisk merges duplicate members itself', () => {
    const input = { ...committee([]), members: [memberOf({ id: '1', roles: ['decision_maker'] }), memberOf({ id: '1', stance: 'neutral' })] };
    expect(assessRisk(input).coverage.engaged).toEqual([contactKey('1')]);
  });
});

describe('risk inputs from stored rows', () => {
  const people: PersonSpec[] = [
    { id: '1', roles: ['decision_maker'], authority: 'verified', stance: 'supportive', department: 'IT', updatedAt: NOW - 30 * DAY_MS },
    { id: '2', roles: ['user'], stance: 'neutral', department: 'Sales', updatedAt: NOW - 40 * DAY_MS },
    { id: '3', roles: ['influencer'], stance: 'supportive', updatedAt: NOW - 50 * DAY_MS },
  ];
  const memberships = [
    memberOf(people[0]!, ACCOUNT),
    memberOf(people[1]!, DEAL),
    memberOf(people[2]!, DEAL_2),
    memberOf({ id: '4', roles: ['blocker'], updatedAt: NOW - DAY_MS, deleted: true }, DEAL),
  ];
  const note: Note = { key: 'note-00001', contactKey: contactKey('2'), committeeKey: DEAL, text: 'met', author: 'me', createdAt: NOW - 2 * DAY_MS, updatedAt: NOW - 2 * DAY_MS, changed: {} };
  const rows = { memberships, contacts: contactsOf(people), notes: [note], now: NOW };

  it('a deal: its own committee; tombstones and notes count as changes', () => {
    const input = dealRiskInput(deal(DEAL, { stage: 'transaction' }), rows);
    expect(input.members.map((m) => m.contactKey)).toEqual([contactKey('2')]);
    expect(input).toMatchObject({ committeeKey: DEAL, dealStage: 'transaction', lastChangeAt: NOW - DAY_MS });
  });

  it('an account: its own and its live deals’ committees, the most advanced deal stage', () => {
    const deals = [deal(DEAL, { stage: 'evaluation' }), deal(DEAL_2, { stage: 'experience', deleted: true })];
    const input = accountRiskInput(ACCOUNT, deals, rows);
    expect(input.members.map((m) => m.contactKey)).toEqual([contactKey('1'), contactKey('2')]);
    expect(input.dealStage).toBe('evaluation');
    expect(input.lastChangeAt).toBe(NOW - DAY_MS);
    const live = accountRiskInput(ACCOUNT, [deal(DEAL, { stage: 'evaluation' }), deal(DEAL_2, { stage: 'experience' })], rows);
    expect(live.members).toHaveLength(3);
    expect(live.dealStage).toBe('experience');
    expect(assessAccount(ACCOUNT, [deal(DEAL, { stage: 'evaluation' }), deal(DEAL_2, { stage: 'experience' })], rows).coverage.rolesCovered).toBe(3);
  });

  it('a committee nobody touched has no change time', () => {
    expect(dealRiskInput(deal('hubspot:42:deal:300', {}), rows)).toMatchObject({ members: [], lastChangeAt: null });
  });
});

describe('coverage', () => {
  it('groups departments case-insensitively and lists contacts per role and stage', () => {
    const people: PersonSpec[] = [...HEALTHY, { id: '5', department: '  sales ', roles: ['user'] }, { id: '6', roles: ['other'] }];
    const coverage = coverageOf(people.map((p) => memberOf(p)), contactsOf(people));
    expect(coverage.departments).toEqual([
      { name: 'Management', heard: true, contactKeys: [contactKey('1')] },
      { name: 'Sales', heard: true, contactKeys: ['2', '3', '5'].map(contactKey) },
      { name: 'Warehouse', heard: true, contactKeys: [contactKey('4')] },
    ]);
    expect(coverage.coreRoles).toEqual({ decision_maker: [contactKey('1')], influencer: [contactKey('2')], user: ['3', '4', '5'].map(contactKey) });
    expect(coverage.rolesCovered).toBe(5);
    expect(coverage.engaged).toEqual(['1', '2', '3', '4', '5'].map(contactKey));
    expect(coverage.stages.discovery).toEqual(['1', '2', '3'].map(contactKey));
    expect(coverage.stages.loyalty).toEqual([]);
    expect(coverageSummary(coverage, 'en')).toBe('Core roles 3/3 · 3 of 3 departments heard');
  });

  it.each([
    ['en', 'Core roles 0/3 · no departments recorded'],
    ['zh', '核心角色 0/3 · 尚未记录部门'],
  ] as const)('summary of an empty committee (%s)', (lang, text) => {
    expect(coverageSummary(coverageOf([], {}), lang)).toBe(text);
  });
});
