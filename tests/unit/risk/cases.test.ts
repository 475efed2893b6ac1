/** The three cases of the source article (seeds/000), and a deal after the sale. */
import { describe, expect, it } from 'vitest';
import { assessRisk, coverageSummary, type RiskResult, type RuleId } from '../../../domain/risk';
import { committee, contactKey, type PersonSpec } from './builders';

const reason = (result: RiskResult, id: RuleId) => result.reasons.find((r) => r.ruleId === id);

describe('case 1: a manager claims budget and authority, approval sits higher up', () => {
  const wang: PersonSpec = { id: '1', name: 'Manager Wang', department: 'Procurement', roles: ['decision_maker'], authority: 'claimed', stance: 'champion', reportsTo: '9' };
  const liu: PersonSpec = { id: '2', name: 'Liu', department: 'Procurement', roles: ['user'], stance: 'supportive' };
  const zhao: PersonSpec = { id: '9', name: 'VP Zhao', department: 'Management' };

  it('flags the claimed authority and the superior missing from the map', () => {
    const result = assessRisk(committee([wang, liu], { others: [zhao] }));
    const found = reason(result, 'authority-unverified')!;
    expect(found.contactKeys).toEqual([contactKey('1')]);
    expect(found.message.en).toBe(
      'The decision authority of Manager Wang is only claimed or unknown. Manager Wang reports to VP Zhao, who is not on the committee map: approval may sit higher up.',
    );
    expect(found.nextStep.en).toContain('add VP Zhao to the committee map');
    expect(found.nextStep.zh).toContain('把VP Zhao加入客户群图');
    // An unproven "champion" is a coach: two roles covered, not three.
    expect(result.coverage.rolesCovered).toBe(2);
    expect(result.reasons.map((r) => r.ruleId)).toEqual(['authority-unverified', 'single-threaded']);
    expect(result).toMatchObject({ score: 30, level: 'medium' });
  });

  it('is resolved by placing the superior as a verified decision maker', () => {
    const placed = { ...zhao, roles: ['decision_maker' as const], authority: 'verified' as const, stance: 'neutral' as const };
    const result = assessRisk(committee([wang, liu, placed]));
    expect(reason(result, 'authority-unverified')).toBeUndefined();
  });
});

describe('case 2: the boss wants a feature the daily user opposes', () => {
  const people: PersonSpec[] = [
    { id: '1', name: 'Boss', department: 'Management', roles: ['decision_maker'], authority: 'verified', stance: 'champion', stage: 'experience' },
    { id: '2', name: 'Operator', department: 'Sales', roles: ['user'], stance: 'opposed', influence: 'medium', stage: 'experience' },
    { id: '3', name: 'Sales lead', department: 'Sales', roles: ['influencer'], stance: 'neutral', stage: 'experience' },
  ];
  const result = assessRisk(committee(people, { stage: 'experience' }));

  it('reports the conflict with both sides as evidence', () => {
    const found = reason(result, 'stance-conflict')!;
    expect(found.contactKeys).toEqual([contactKey('1'), contactKey('2')]);
    // The boss's "champion" stance is unproven: it reads as supportive.
    expect(found.message.en).toBe('The decision maker and users or influencers disagree: Boss (Supportive) vs. Operator (Opposed).');
    expect(found.message.zh).toBe('决策人与使用者/影响决策的人立场冲突:Boss(支持)与Operator(反对)。');
  });

  it('after the sale, the unhappy user is a renewal risk', () => {
    expect(reason(result, 'renewal-risk')?.contactKeys).toEqual([contactKey('2')]);
    expect(result.reasons.map((r) => r.ruleId)).toEqual(['renewal-risk', 'stance-conflict']);
    expect(result).toMatchObject({ score: 40, level: 'medium' });
  });
});

describe('case 3: a room of users from five departments, one heard', () => {
  const departments = ['Sales', 'Production', 'Procurement', 'Warehouse', 'Customer service'];
  const people: PersonSpec[] = departments.map((department, i) => ({
    id: String(i + 1),
    name: department + ' colleague',
    department,
    roles: ['user'],
    stance: i === 0 ? 'supportive' : null,
  }));
  const result = assessRisk(committee(people));

  it('names the unheard departments and their people', () => {
    const found = reason(result, 'users-not-heard')!;
    expect(found.contactKeys.sort()).toEqual(['2', '3', '4', '5'].map(contactKey).sort());
    expect(found.message.en).toBe(
      'Only 1 of 5 departments have been heard; not yet: Customer service, Procurement, Production, Warehouse.',
    );
  });

  it('summarises the coverage', () => {
    expect(coverageSummary(result.coverage, 'en')).toBe('Core roles 1/3 · 1 of 5 departments heard');
    expect(coverageSummary(result.coverage, 'zh')).toBe('核心角色 1/3 · 5 个部门中 1 个已听取意见');
    expect(result.reasons.map((r) => [r.ruleId, r.points])).toEqual([
      ['no-decision-maker', 30],
      ['users-not-heard', 15],
      ['single-threaded', 10],
    ]);
    // Five users engaged (role), but only one role covered: half of single-threaded.
    expect(reason(result, 'single-threaded')!.points).toBe(10);
  });
});
