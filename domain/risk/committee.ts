/**
 * The committee as the risk engine sees it: the champion check, credited roles, effective stances,
 * merging committees (an account's own plus its deals'), building a `RiskInput` from stored rows,
 * and the coverage summary the popup and panel show.
 */
import { CHAMPION_EVIDENCE, membershipKey, type Contact, type Deal, type Membership, type Note } from '../model';
import {
  AUTHORITY,
  CORE_ROLES,
  INFLUENCE,
  normalizeDepartment,
  ROLE,
  STAGE,
  STANCE,
  type Language,
  type Role,
  type Stage,
  type Stance,
} from '../taxonomy';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RiskInput {
  /** The deal or account whose committee this is. */
  committeeKey: string;
  /** The deal's stage; for an account, the most advanced stage of its deals (null if none is set). */
  dealStage: Stage | null;
  /** Memberships of the committee. Deleted ones are ignored; several per contact are merged (`unionCommittee`). */
  members: Membership[];
  /** contactKey → contact (name, department, reportsTo). A member without a contact row is nameless and department-less. */
  contacts: Record<string, Contact>;
  /** Newest change to the committee (memberships, tombstones included, and notes); null when nothing was ever recorded. */
  lastChangeAt: number | null;
  now: number;
}

/** A champion is proven only with all three pieces of evidence (access, decision process, sold internally). */
export function isProvenChampion(m: Pick<Membership, 'roles' | 'evidence'>): boolean {
  return m.roles.includes('champion') && CHAMPION_EVIDENCE.every((e) => m.evidence[e] !== undefined);
}

/**
 * Roles that count toward engagement and role coverage: every role except `blocker` (working against us
 * is not a thread) and `other` (says nothing about the committee); `champion` only when proven — an
 * unproven champion is a coach, not a champion.
 */
export function creditedRoles(m: Pick<Membership, 'roles' | 'evidence'>): Role[] {
  const proven = isProvenChampion(m);
  return m.roles.filter((r) => r !== 'blocker' && r !== 'other' && (r !== 'champion' || proven));
}

/** The stance the engine uses: a `champion` stance of anyone but a proven champion counts as `supportive`. */
export function effectiveStance(m: Pick<Membership, 'stance' | 'roles' | 'evidence'>): Stance | null {
  return m.stance === 'champion' && !isProvenChampion(m) ? 'supportive' : m.stance;
}

const maxBy = <T extends string>(order: readonly T[], a: T | null, b: T | null): T | null =>
  a === null ? b : b === null ? a : order.indexOf(a) >= order.indexOf(b) ? a : b;
const maxTimes = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
  const out = { ...a };
  for (const [k, t] of Object.entries(b)) out[k] = Math.max(out[k] ?? t, t);
  return out;
};

/**
 * Merge memberships per contact into one committee under `committeeKey` (deleted rows are dropped):
 * - roles: union (in taxonomy order);
 * - stage: the most advanced;
 * - stance: the most cautious (closest to `opposed`) — an objection recorded in any committee is kept;
 * - authority: the strongest (`verified` > `claimed` > `unknown`) — verification is evidence about the person;
 * - influence: the highest;
 * - champion evidence, `verified`, `changed`: union, latest time per item; `updatedAt`: the latest.
 * Output order: first appearance of each contact.
 */
export function unionCommittee(memberships: readonly Membership[], committeeKey: string): Membership[] {
  const byContact = new Map<string, Membership>();
  for (const m of memberships) {
    if (m.deleted) continue;
    const seen = byContact.get(m.contactKey);
    if (!seen) {
      byContact.set(m.contactKey, { ...m, roles: [...m.roles] });
      continue;
    }
    byContact.set(m.contactKey, {
      ...seen,
      roles: ROLE.ids.filter((r) => seen.roles.includes(r) || m.roles.includes(r)),
      stage: maxBy(STAGE.ids, seen.stage, m.stage),
      stance: maxBy(STANCE.ids, seen.stance, m.stance),
      authority: maxBy(AUTHORITY.ids, seen.authority, m.authority) ?? 'unknown',
      influence: maxBy(INFLUENCE.ids, seen.influence, m.influence),
      evidence: maxTimes(seen.evidence, m.evidence),
      verified: maxTimes(seen.verified, m.verified),
      changed: maxTimes(seen.changed, m.changed),
      updatedAt: Math.max(seen.updatedAt, m.updatedAt),
    });
  }
  return [...byContact.values()].map((m) =>
    m.committeeKey === committeeKey ? m : { ...m, committeeKey, key: membershipKey(committeeKey, m.contactKey) },
  );
}

function lastChange(memberships: readonly Membership[], notes: readonly Note[], keys: ReadonlySet<string>): number | null {
  let last: number | null = null;
  for (const row of [...memberships, ...notes]) {
    if (row.committeeKey !== null && keys.has(row.committeeKey)) last = Math.max(last ?? row.updatedAt, row.updatedAt);
  }
  return last;
}

export interface CommitteeRows {
  /** Any memberships; only those of the committee (or account) in question are used. */
  memberships: readonly Membership[];
  contacts: Record<string, Contact>;
  /** Notes, for the last-change time (deleted notes count as a change). */
  notes?: readonly Note[];
  now: number;
}

/** The risk input of one deal's committee. */
export function dealRiskInput(deal: Pick<Deal, 'key' | 'stage'>, rows: CommitteeRows): RiskInput {
  const mine = rows.memberships.filter((m) => m.committeeKey === deal.key);
  return {
    committeeKey: deal.key,
    dealStage: deal.stage,
    members: unionCommittee(mine, deal.key),
    contacts: rows.contacts,
    lastChangeAt: lastChange(mine, rows.notes ?? [], new Set([deal.key])),
    now: rows.now,
  };
}

/**
 * The risk input of an account: the union of its own committee and the committees of all its
 * (non-deleted) deals; its stage is the most advanced of those deals' stages.
 */
export function accountRiskInput(accountKey: string, deals: readonly Deal[], rows: CommitteeRows): RiskInput {
  const own = deals.filter((d) => !d.deleted && d.accountKey === accountKey);
  const deleted = new Set(deals.filter((d) => d.deleted).map((d) => d.key));
  const keys = new Set([accountKey, ...own.map((d) => d.key)]);
  const mine = rows.memberships.filter(
    (m) => keys.has(m.committeeKey) || (m.accountKey === accountKey && !deleted.has(m.committeeKey)),
  );
  for (const m of mine) keys.add(m.committeeKey);
  return {
    committeeKey: accountKey,
    dealStage: own.reduce<Stage | null>((a, d) => maxBy(STAGE.ids, a, d.stage), null),
    members: unionCommittee(mine, accountKey),
    contacts: rows.contacts,
    lastChangeAt: lastChange(mine, rows.notes ?? [], keys),
    now: rows.now,
  };
}

export type CoreRole = 'decision_maker' | 'influencer' | 'user';
export interface DepartmentCoverage {
  /** As first written on a member's contact (departments compare case- and space-insensitively). */
  name: string;
  /** At least one member from it has a stance recorded. */
  heard: boolean;
  contactKeys: string[];
}
export interface Coverage {
  /** Contacts holding each core role. */
  coreRoles: Record<CoreRole, string[]>;
  /** Distinct credited roles (see `creditedRoles`). */
  rolesCovered: number;
  /** Contacts with a credited role or a recorded stance. */
  engaged: string[];
  /** Departments of the members, sorted by name; members without a department are not listed. */
  departments: DepartmentCoverage[];
  /** Contacts per lifecycle stage (members without a stage are not listed). */
  stages: Record<Stage, string[]>;
}

/** Engaged: the member holds a credited role or has a recorded stance. */
export function isEngaged(m: Membership): boolean {
  return creditedRoles(m).length > 0 || m.stance !== null;
}

export function coverageOf(members: readonly Membership[], contacts: Record<string, Contact>): Coverage {
  const coreRoles = Object.fromEntries(CORE_ROLES.map((r) => [r, [] as string[]])) as Record<CoreRole, string[]>;
  const stages = Object.fromEntries(STAGE.ids.map((s) => [s, [] as string[]])) as Record<Stage, string[]>;
  const roles = new Set<Role>();
  const departments = new Map<string, DepartmentCoverage>();
  for (const m of members) {
    for (const r of CORE_ROLES) if (m.roles.includes(r)) coreRoles[r as CoreRole].push(m.contactKey);
    for (const r of creditedRoles(m)) roles.add(r);
    if (m.stage) stages[m.stage].push(m.contactKey);
    const name = (contacts[m.contactKey]?.department ?? '').trim().replace(/\s+/g, ' ');
    const id = normalizeDepartment(name);
    if (!id) continue;
    const dept = departments.get(id) ?? { name, heard: false, contactKeys: [] };
    dept.heard ||= m.stance !== null;
    dept.contactKeys.push(m.contactKey);
    departments.set(id, dept);
  }
  return {
    coreRoles,
    rolesCovered: roles.size,
    engaged: members.filter(isEngaged).map((m) => m.contactKey),
    departments: [...departments.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d),
    stages,
  };
}

/** One line for the popup or panel, e.g. `Core roles 2/3 · 3 of 5 departments heard`. */
export function coverageSummary(coverage: Coverage, lang: Language): string {
  const core = CORE_ROLES.filter((r) => coverage.coreRoles[r as CoreRole].length > 0).length;
  const total = coverage.departments.length;
  const heard = coverage.departments.filter((d) => d.heard).length;
  if (lang === 'zh') {
    const roles = `核心角色 ${core}/${CORE_ROLES.length}`;
    return total ? `${roles} · ${total} 个部门中 ${heard} 个已听取意见` : `${roles} · 尚未记录部门`;
  }
  const roles = `Core roles ${core}/${CORE_ROLES.length}`;
  return total
    ? `${roles} · ${heard} of ${total} ${total === 1 ? 'department' : 'departments'} heard`
    : `${roles} · no departments recorded`;
}
