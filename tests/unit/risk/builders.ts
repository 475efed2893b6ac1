/** Small builders for risk-engine tests: committees are written as lists of people. */
import { CHAMPION_EVIDENCE, emptyContact, emptyMembership, membershipKey, type Contact, type Membership, type MembershipFields } from '../../../domain/model';
import type { Stage } from '../../../domain/taxonomy';
import { DAY_MS, type RiskInput } from '../../../domain/risk/committee';
import { DEFAULT_RISK_SETTINGS, type RiskSettings, type RuleId } from '../../../domain/risk';

export const ACCOUNT = 'hubspot:42:company:7';
export const DEAL = 'hubspot:42:deal:100';
export const NOW = Date.UTC(2025, 5, 1);
export const contactKey = (id: string) => `hubspot:42:contact:${id}`;

export interface PersonSpec extends Partial<MembershipFields> {
  /** Numeric contact id. */
  id: string;
  name?: string;
  department?: string;
  /** Id of the person they report to. */
  reportsTo?: string;
  updatedAt?: number;
  deleted?: boolean;
}

export function contactOf(p: Pick<PersonSpec, 'id' | 'name' | 'department' | 'reportsTo'>): Contact {
  return {
    ...emptyContact(contactKey(p.id)),
    accountKey: ACCOUNT,
    name: p.name ?? `Person ${p.id}`,
    department: p.department ?? '',
    reportsTo: p.reportsTo ? contactKey(p.reportsTo) : null,
  };
}

export function memberOf(p: PersonSpec, committeeKey = DEAL): Membership {
  const { id, name: _n, department: _d, reportsTo: _r, ...fields } = p;
  return { ...emptyMembership(membershipKey(committeeKey, contactKey(id)), ACCOUNT), ...fields };
}

/** All three pieces of champion evidence. */
export const PROVEN = Object.fromEntries(CHAMPION_EVIDENCE.map((e) => [e, NOW - DAY_MS])) as MembershipFields['evidence'];

export interface CommitteeSpec {
  stage?: Stage | null;
  /** Days since the last change; null: never changed. Default 1. */
  idleDays?: number | null;
  /** People known to the CRM but not on the committee (e.g. a superior not yet placed). */
  others?: PersonSpec[];
}

export function committee(people: PersonSpec[], spec: CommitteeSpec = {}): RiskInput {
  const contacts = Object.fromEntries(
    [...people, ...(spec.others ?? [])].map((p) => [contactKey(p.id), contactOf(p)]),
  );
  const idle = spec.idleDays === undefined ? 1 : spec.idleDays;
  return {
    committeeKey: DEAL,
    dealStage: spec.stage === undefined ? 'discovery' : spec.stage,
    members: people.map((p) => memberOf(p)),
    contacts,
    lastChangeAt: idle === null ? null : NOW - idle * DAY_MS,
    now: NOW,
  };
}

/** A well-covered deal in discovery: no rule fires. */
export const HEALTHY: PersonSpec[] = [
  { id: '1', name: 'Dana', department: 'Management', roles: ['decision_maker', 'economic_buyer'], authority: 'verified', stance: 'supportive', stage: 'discovery', influence: 'high' },
  { id: '2', name: 'Ivan', department: 'Sales', roles: ['influencer'], stance: 'supportive', stage: 'discovery' },
  { id: '3', name: 'Chen', department: 'Sales', roles: ['champion', 'user'], evidence: PROVEN, stance: 'champion', stage: 'discovery' },
  { id: '4', name: 'Uma', department: 'Warehouse', roles: ['user'], stance: 'neutral', stage: 'evaluation' },
];

/** HEALTHY with some people changed (by id) or added. */
export function healthyWith(changes: Record<string, Partial<PersonSpec> | null>, added: PersonSpec[] = []): PersonSpec[] {
  return [
    ...HEALTHY.filter((p) => changes[p.id] !== null).map((p) => ({ ...p, ...changes[p.id] })),
    ...added,
  ];
}

export function settingsWith(rules: Partial<Record<RuleId, { enabled?: boolean; weight?: number }>>, rest: Partial<RiskSettings> = {}): RiskSettings {
  const base = structuredClone(DEFAULT_RISK_SETTINGS);
  for (const [id, r] of Object.entries(rules)) Object.assign(base.rules[id as RuleId], r);
  return { ...base, ...rest };
}
