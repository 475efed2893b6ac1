/**
 * Risk as the store keeps it: the engine's result for one committee (computed fresh), and the
 * local-only `risk` table that ranks every deal, kept current after each change.
 */
import { kindOf, parseRecordKey } from '../domain/ids';
import type { Deal, Membership, TableName } from '../domain/model';
import { accountRiskInput, assessRisk, dealRiskInput, type RiskResult } from '../domain/risk';
import { DEFAULT_RISK_SETTINGS, riskSettingsSchema, type RiskSettings } from '../domain/risk/settings';
import type { CommitteeDb, RiskRow } from './db';
import { contactsByKey } from './queries';
import { getMeta, setMeta } from './writes';

export const RISK_SETTINGS = 'riskSettings';

export async function riskSettings(db: CommitteeDb): Promise<RiskSettings> {
  const stored = riskSettingsSchema.safeParse(await getMeta<unknown>(db, RISK_SETTINGS, undefined));
  return stored.success ? stored.data : structuredClone(DEFAULT_RISK_SETTINGS);
}

export async function saveRiskSettings(db: CommitteeDb, settings: RiskSettings, now: number): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await setMeta(db, RISK_SETTINGS, settings);
    await setMeta(db, `${RISK_SETTINGS}:updatedAt`, now);
  });
}

const alive = <T extends { deleted?: boolean }>(rows: T[]) => rows.filter((r) => !r.deleted);

/** The risk of one committee: a deal's own, or an account's over its own and its deals' committees. */
export async function committeeRisk(db: CommitteeDb, committeeKey: string, now: number, settings?: RiskSettings): Promise<RiskResult> {
  const s = settings ?? (await riskSettings(db));
  const ref = parseRecordKey(committeeKey);
  const isAccount = ref !== null && kindOf(ref.object) === 'account';
  let memberships: Membership[];
  let deals: Deal[] = [];
  if (isAccount) {
    deals = await db.deals.where('accountKey').equals(committeeKey).toArray();
    const keys = [committeeKey, ...deals.map((d) => d.key)];
    const [byAccount, byCommittee] = await Promise.all([
      db.memberships.where('accountKey').equals(committeeKey).toArray(),
      db.memberships.where('committeeKey').anyOf(keys).toArray(),
    ]);
    memberships = [...new Map([...byAccount, ...byCommittee].map((m) => [m.key, m])).values()];
  } else memberships = await db.memberships.where('committeeKey').equals(committeeKey).toArray();
  const contactKeys = memberships.map((m) => m.contactKey);
  const [contacts, notes] = await Promise.all([
    contactsByKey(db, contactKeys),
    db.notes.where('committeeKey').anyOf(isAccount ? [committeeKey, ...deals.map((d) => d.key)] : [committeeKey]).toArray(),
  ]);
  const rows = { memberships, contacts, notes, now };
  if (isAccount) return assessRisk(accountRiskInput(committeeKey, deals, rows), s);
  const deal = await db.deals.get(committeeKey);
  return assessRisk(dealRiskInput({ key: committeeKey, stage: deal?.stage ?? null }, rows), s);
}

/** The deals whose risk a change can move: the deals named, the committees of changed memberships and notes, the committees of changed people. */
export async function affectedDeals(db: CommitteeDb, changed: readonly { table: TableName; key: string; row: object }[]): Promise<string[]> {
  const deals = new Set<string>();
  const people: string[] = [];
  const add = (key: unknown) => {
    if (typeof key !== 'string') return;
    const ref = parseRecordKey(key);
    if (ref && kindOf(ref.object) === 'deal') deals.add(key);
  };
  for (const { table, key, row } of changed) {
    const r = row as Record<string, unknown>;
    if (table === 'deals') add(key);
    else if (table === 'memberships' || table === 'notes') add(r.committeeKey);
    else if (table === 'contacts') people.push(key);
  }
  if (people.length) for (const m of await db.memberships.where('contactKey').anyOf(people).toArray()) add(m.committeeKey);
  return [...deals];
}

/** Recompute and store the risk rows of some deals (deleted or empty deals leave the ranking). Reads in bulk. */
export async function refreshRisk(db: CommitteeDb, keys: readonly string[], now: number): Promise<void> {
  const dealKeys = [...new Set(keys)].filter((k) => {
    const ref = parseRecordKey(k);
    return ref !== null && kindOf(ref.object) === 'deal';
  });
  if (dealKeys.length === 0) return;
  const settings = await riskSettings(db);
  const [deals, memberships, notes] = await Promise.all([
    db.deals.bulkGet(dealKeys),
    db.memberships.where('committeeKey').anyOf(dealKeys).toArray(),
    db.notes.where('committeeKey').anyOf(dealKeys).toArray(),
  ]);
  const contacts = await contactsByKey(db, memberships.map((m) => m.contactKey));
  const byDeal = new Map<string, Membership[]>();
  for (const m of memberships) (byDeal.get(m.committeeKey) ?? byDeal.set(m.committeeKey, []).get(m.committeeKey)!).push(m);
  const notesByDeal = new Map<string, typeof notes>();
  for (const n of notes) if (n.committeeKey) (notesByDeal.get(n.committeeKey) ?? notesByDeal.set(n.committeeKey, []).get(n.committeeKey)!).push(n);
  const rows: RiskRow[] = [];
  const gone: string[] = [];
  dealKeys.forEach((key, i) => {
    const deal = deals[i];
    const members = byDeal.get(key) ?? [];
    if (deal?.deleted || (!deal && alive(members).length === 0)) {
      gone.push(key);
      return;
    }
    const input = dealRiskInput({ key, stage: deal?.stage ?? null }, { memberships: members, contacts, notes: notesByDeal.get(key) ?? [], now });
    const result = assessRisk(input, settings);
    rows.push({ committeeKey: key, score: result.score, level: result.level, name: deal?.name ?? '', updatedAt: now });
  });
  await db.transaction('rw', db.risk, async () => {
    await db.risk.bulkPut(rows);
    await db.risk.bulkDelete(gone);
  });
}

/** Recompute every deal (settings changed, or time made committees stale). */
export async function refreshAllRisk(db: CommitteeDb, now: number): Promise<void> {
  const keys = new Set<string>([...(await db.deals.toCollection().primaryKeys()), ...(await db.risk.toCollection().primaryKeys())]);
  const list = [...keys];
  for (let i = 0; i < list.length; i += 500) await refreshRisk(db, list.slice(i, i + 500), now);
}

/** Deals ranked riskiest first, optionally filtered by name. */
export async function rankedDeals(db: CommitteeDb, query: string, limit: number): Promise<RiskRow[]> {
  const q = query.trim().toLowerCase();
  const out: RiskRow[] = [];
  await db.risk
    .orderBy('score')
    .reverse()
    .until(() => out.length >= limit)
    .each((r) => {
      if (!q || r.name.toLowerCase().includes(q)) out.push(r);
    });
  return out;
}
