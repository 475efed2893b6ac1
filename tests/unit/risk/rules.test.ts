import { describe, expect, it } from 'vitest';
import { assessRisk, RULE_IDS, RULES, type RiskResult, type RiskSettings, type RuleId } from '../../../domain/risk';
import { committee, contactKey, HEALTHY, healthyWith, settingsWith, type CommitteeSpec, type PersonSpec } from './builders';

const reason = (result: RiskResult, id: RuleId) => result.reasons.find((r) => r.ruleId === id);

interface Row {
  rule: RuleId;
  name: string;
  people: PersonSpec[];
  spec?: CommitteeSpec;
  settings?: RiskSettings;
  /** Contact ids expected as evidence when the rule fires; null: it must not fire. */
  evidence: string[] | null;
  points?: number;
}

const rows: Row[] = [
  // 1. no-decision-maker
  { rule: 'no-decision-maker', name: 'nobody holds the role', people: healthyWith({ 1: { roles: ['economic_buyer'] } }), evidence: [], points: 30 },
  { rule: 'no-decision-maker', name: 'a decision maker is mapped', people: HEALTHY, evidence: null },
  // 2. authority-unverified
  { rule: 'authority-unverified', name: 'the only decision maker is claimed', people: healthyWith({ 1: { authority: 'claimed' } }), evidence: ['1'] },
  { rule: 'authority-unverified', name: 'every decision maker is claimed or unknown', people: healthyWith({ 2: { roles: ['decision_maker'], authority: 'unknown' }, 1: { authority: 'claimed' } }), evidence: ['1', '2'] },
  { rule: 'authority-unverified', name: 'the only decision maker reports to someone off the map', people: healthyWith({ 1: { reportsTo: '9' } }), spec: { others: [{ id: '9', name: 'Director Li' }] }, evidence: ['1'] },
  { rule: 'authority-unverified', name: 'the only decision maker reports to a contact never placed', people: healthyWith({ 1: { reportsTo: '99' } }), evidence: ['1'] },
  { rule: 'authority-unverified', name: 'verified and reporting to a member', people: healthyWith({ 1: { reportsTo: '2' } }), evidence: null },
  { rule: 'authority-unverified', name: 'one of two decision makers verified, the other reports off the map', people: healthyWith({ 2: { roles: ['decision_maker'], authority: 'claimed', reportsTo: '9' } }), evidence: null },
  { rule: 'authority-unverified', name: 'no decision maker at all', people: healthyWith({ 1: { roles: ['economic_buyer'], authority: 'unknown' } }), evidence: null },
  // 3. single-threaded
  { rule: 'single-threaded', name: 'one engaged contact, even holding three roles', people: [{ id: '1', roles: ['decision_maker', 'influencer', 'user'] }], evidence: ['1'], points: 20 },
  { rule: 'single-threaded', name: 'an unproven champion without a stance is not engaged', people: [HEALTHY[0]!, { id: '5', roles: ['champion'] }], evidence: ['1'], points: 20 },
  { rule: 'single-threaded', name: 'a blocker is not a thread', people: [HEALTHY[0]!, { id: '5', roles: ['blocker'] }], evidence: ['1'], points: 20 },
  { rule: 'single-threaded', name: 'enough contacts but two roles: half weight', people: [{ id: '1', roles: ['decision_maker'] }, { id: '2', roles: ['user'] }, { id: '3', stance: 'neutral' }], evidence: ['1', '2', '3'], points: 10 },
  { rule: 'single-threaded', name: 'a proven champion covers a role', people: [{ id: '1', roles: ['decision_maker'] }, { id: '2', roles: ['user', 'champion'], evidence: HEALTHY[2]!.evidence }], evidence: null },
  { rule: 'single-threaded', name: 'a healthy committee', people: HEALTHY, evidence: null },
  // 4. users-not-heard
  { rule: 'users-not-heard', name: 'no product user', people: healthyWith({ 3: { roles: ['champion'] }, 4: { roles: ['technical_evaluator'] } }), evidence: [] },
  { rule: 'users-not-heard', name: 'three departments, one heard', people: healthyWith({ 1: { stance: null }, 4: { stance: null } }), evidence: ['1', '4'] },
  { rule: 'users-not-heard', name: 'users from one department only, one department spanned', people: [{ id: '1', department: 'IT', roles: ['decision_maker'] }, { id: '2', department: ' it ', roles: ['user'], stance: 'neutral' }], evidence: null },
  { rule: 'users-not-heard', name: 'a stricter minimum of heard departments', people: healthyWith({ 4: { stance: null } }), settings: settingsWith({}, { minDepartmentsHeard: 3 }), evidence: ['4'] },
  { rule: 'users-not-heard', name: 'every department heard', people: HEALTHY, evidence: null },
  // 5. stance-conflict
  { rule: 'stance-conflict', name: 'supportive decision maker, opposed user', people: healthyWith({ 4: { stance: 'opposed' } }), evidence: ['1', '4'] },
  { rule: 'stance-conflict', name: 'opposed decision maker, unproven champion influencer', people: healthyWith({ 1: { stance: 'opposed' }, 2: { stance: 'champion' } }), evidence: ['1', '2', '3'] },
  { rule: 'stance-conflict', name: 'supportive vs neutral', people: HEALTHY, evidence: null },
  { rule: 'stance-conflict', name: 'a decision maker who is also an unhappy user does not conflict with themself', people: healthyWith({ 1: { roles: ['decision_maker', 'user'], stance: 'skeptical' }, 2: { stance: 'neutral' }, 3: { stance: 'neutral' } }), evidence: null },
  { rule: 'stance-conflict', name: 'supportive vs skeptical is below a gap of 3', people: healthyWith({ 4: { stance: 'skeptical' } }), settings: settingsWith({}, { stanceConflictGap: 3 }), evidence: null },
  { rule: 'stance-conflict', name: 'supportive vs skeptical at the default gap', people: healthyWith({ 4: { stance: 'skeptical' } }), evidence: ['1', '4'] },
  // 6. blocker
  { rule: 'blocker', name: 'a member with the role Blocker', people: healthyWith({}, [{ id: '5', roles: ['blocker'] }]), evidence: ['5'] },
  { rule: 'blocker', name: 'an opposed member with high influence', people: healthyWith({}, [{ id: '5', stance: 'opposed', influence: 'high' }]), evidence: ['5'] },
  { rule: 'blocker', name: 'an opposed member with medium influence', people: healthyWith({}, [{ id: '5', stance: 'opposed', influence: 'medium' }]), evidence: null },
  // 7. stage-lag
  { rule: 'stage-lag', name: 'deal at transaction, decision maker at evaluation', people: healthyWith({ 1: { stage: 'evaluation' } }), spec: { stage: 'transaction' }, evidence: ['1'] },
  { rule: 'stage-lag', name: 'deal at loyalty, decision maker at awareness', people: healthyWith({ 1: { stage: 'awareness' } }), spec: { stage: 'loyalty' }, evidence: ['1'] },
  { rule: 'stage-lag', name: 'decision maker without a stage', people: healthyWith({ 1: { stage: null } }), spec: { stage: 'transaction' }, evidence: null },
  { rule: 'stage-lag', name: 'decision maker at discovery', people: HEALTHY, spec: { stage: 'transaction' }, evidence: null },
  { rule: 'stage-lag', name: 'deal still in discovery', people: healthyWith({ 1: { stage: 'awareness' } }), evidence: null },
  // 8. stale
  { rule: 'stale', name: '21 days without change', people: HEALTHY, spec: { idleDays: 21 }, evidence: [] },
  { rule: 'stale', name: '20 days without change', people: HEALTHY, spec: { idleDays: 20 }, evidence: null },
  { rule: 'stale', name: 'members but no known change', people: HEALTHY, spec: { idleDays: null }, evidence: [] },
  { rule: 'stale', name: 'a shorter limit', people: HEALTHY, spec: { idleDays: 8 }, settings: settingsWith({}, { staleDays: 7 }), evidence: [] },
  // 9. renewal-risk
  { rule: 'renewal-risk', name: 'skeptical user in a deal at experience', people: healthyWith({ 4: { stance: 'skeptical', stage: null } }), spec: { stage: 'experience' }, evidence: ['4'] },
  { rule: 'renewal-risk', name: 'opposed user at loyalty (own stage)', people: healthyWith({ 4: { stance: 'opposed', stage: 'loyalty' } }), spec: { stage: null }, evidence: ['4'] },
  { rule: 'renewal-risk', name: 'skeptical user before the sale', people: healthyWith({ 4: { stance: 'skeptical', stage: null } }), spec: { stage: 'transaction' }, evidence: null },
  { rule: 'renewal-risk', name: 'happy users after the sale', people: healthyWith({ 1: { stage: 'experience' } }), spec: { stage: 'experience' }, evidence: null },
];

describe('each rule fires and stays silent', () => {
  it.each(rows)('$rule: $name', ({ rule, people, spec, settings, evidence, points }) => {
    const result = assessRisk(committee(people, spec), settings);
    const found = reason(result, rule);
    if (evidence === null) {
      expect(found).toBeUndefined();
      return;
    }
    expect(found).toBeDefined();
    expect([...found!.contactKeys].sort()).toEqual(evidence.map(contactKey).sort());
    if (points !== undefined) expect(found!.points).toBe(points);
    for (const text of [found!.message.en, found!.message.zh, found!.nextStep.en, found!.nextStep.zh]) expect(text.length).toBeGreaterThan(10);
  });

  it('every rule is covered by the table both ways', () => {
    for (const id of RULE_IDS) {
      expect(rows.some((r) => r.rule === id && r.evidence !== null)).toBe(true);
      expect(rows.some((r) => r.rule === id && r.evidence === null)).toBe(true);
    }
  });
});

describe('scores and ordering', () => {
  it('a fully covered healthy deal is low risk with no reasons', () => {
    const result = assessRisk(committee(HEALTHY));
    expect(result).toMatchObject({ score: 0, level: 'low', reasons: [] });
  });

  it('an empty committee lacks a decision maker, threads and users', () => {
    const result = assessRisk(committee([], { idleDays: null }));
    expect(result.reasons.map((r) => [r.ruleId, r.points])).toEqual([
      ['no-decision-maker', 30],
      ['single-threaded', 20],
      ['users-not-heard', 15],
    ]);
    expect(result).toMatchObject({ score: 65, level: 'high' });
    expect(result.coverage).toMatchObject({ rolesCovered: 0, engaged: [], departments: [] });
  });

  it('orders by points, ties by rule order, whatever the member order', () => {
    const people = healthyWith({ 1: { authority: 'claimed', stage: 'evaluation' }, 4: { stance: 'opposed' } });
    const equal = settingsWith(Object.fromEntries(RULE_IDS.map((id) => [id, { weight: 10 }])));
    const expected = ['authority-unverified', 'stance-conflict', 'stage-lag', 'stale'];
    for (const order of [people, [...people].reverse()]) {
      const result = assessRisk(committee(order, { stage: 'transaction', idleDays: 30 }), equal);
      expect(result.reasons.map((r) => r.ruleId)).toEqual(expected);
      expect(result.score).toBe(40);
    }
    const heavier = settingsWith({ stale: { weight: 16 } });
    const result = assessRisk(committee(people, { stage: 'transaction', idleDays: 30 }), heavier);
    expect(result.reasons.map((r) => r.ruleId)).toEqual(['authority-unverified', 'stale', 'stance-conflict', 'stage-lag']);
    expect(result.reasons.map((r) => r.points)).toEqual([20, 16, 15, 15]);
  });

  it('disabled rules do not fire', () => {
    const off = settingsWith({ 'no-decision-maker': { enabled: false }, 'users-not-heard': { enabled: false } });
    const result = assessRisk(committee([]), off);
    expect(result.reasons.map((r) => r.ruleId)).toEqual(['single-threaded']);
    expect(result).toMatchObject({ score: 20, level: 'low' });
  });

  it.each([
    [{ 'no-decision-maker': { weight: 50 } }, 85, 'high'],
    [{ 'no-decision-maker': { weight: 5 }, 'single-threaded': { weight: 5 } }, 25, 'low'],
    [Object.fromEntries(RULE_IDS.map((id) => [id, { weight: 100 }])), 100, 'high'],
  ] as const)('weights change the score (%#)', (rules, score, level) => {
    expect(assessRisk(committee([]), settingsWith(rules))).toMatchObject({ score, level });
  });

  it('a weight of 0 still explains the signal but adds nothing', () => {
    const result = assessRisk(committee([]), settingsWith({ 'no-decision-maker': { weight: 0 } }));
    expect(result.reasons.at(-1)).toMatchObject({ ruleId: 'no-decision-maker', points: 0 });
    expect(result.score).toBe(35);
  });

  it('level thresholds are settings', () => {
    const input = committee([]);
    expect(assessRisk(input, settingsWith({}, { levels: { medium: 30, high: 70 } })).level).toBe('medium');
    expect(assessRisk(input, settingsWith({}, { levels: { medium: 70, high: 90 } })).level).toBe('low');
  });
});

describe('messages', () => {
  it('RULES follow RULE_IDS and carry both languages', () => {
    expect(RULES.map((r) => r.id)).toEqual([...RULE_IDS]);
    for (const r of RULES) for (const l of [r.label, r.description]) expect(l.en && l.zh).toBeTruthy();
  });

  it('interpolates untrusted names verbatim as single-line plain text', () => {
    const people = healthyWith({ 1: { name: '<img src=x onerror=alert(1)>\nBoss', authority: 'claimed' } });
    const found = reason(assessRisk(committee(people)), 'authority-unverified')!;
    expect(found.message.en).toBe('The decision authority of <img src=x onerror=alert(1)> Boss is only claimed or unknown.');
    expect(found.message.zh).toContain('<img src=x onerror=alert(1)> Boss的决策权');
  });

  it('lists at most three names', () => {
    const people = healthyWith({}, ['5', '6', '7', '8'].map((id) => ({ id, name: `B${id}`, roles: ['blocker' as const] })));
    const found = reason(assessRisk(committee(people)), 'blocker')!;
    expect(found.message.en).toBe('Working against the deal: B5, B6, B7 and 1 more.');
    expect(found.message.zh).toBe('反对此项合作的关键人物:B5、B6、B7 等 4 人。');
    expect(found.contactKeys).toHaveLength(4);
  });

  it('names the superior when known, or says "their manager"', () => {
    const offMap = (others: PersonSpec[]) =>
      reason(assessRisk(committee(healthyWith({ 1: { name: 'Wang', reportsTo: '9' } }), { others })), 'authority-unverified')!.message.en;
    expect(offMap([{ id: '9', name: 'Zhao' }])).toBe('Wang reports to Zhao, who is not on the committee map: approval may sit higher up.');
    expect(offMap([])).toBe('Wang reports to their manager, who is not on the committee map: approval may sit higher up.');
  });

  it('agrees in number in the stage lag message', () => {
    const lag = (people: PersonSpec[]) => reason(assessRisk(committee(people, { stage: 'transaction' })), 'stage-lag')!.message.en;
    expect(lag(healthyWith({ 1: { name: 'Ann', stage: 'awareness' } }))).toBe(
      'The deal is at “Transaction”, but decision maker Ann is still at an early stage (interest or evaluation).',
    );
    expect(lag(healthyWith({ 1: { name: 'Ann', stage: 'awareness' }, 2: { name: 'Bo', roles: ['decision_maker'], stage: 'evaluation' } }))).toBe(
      'The deal is at “Transaction”, but decision makers Ann and Bo are still at an early stage (interest or evaluation).',
    );
  });

  it('reports the idle days', () => {
    const found = reason(assessRisk(committee(HEALTHY, { idleDays: 40 })), 'stale')!;
    expect(found.message).toEqual({ en: 'No change to the committee for 40 days (limit 21).', zh: '客户群已 40 天未更新(上限 21 天)。' });
  });
});
