/**
 * Risk as the store keeps it: the engine's result for one committee (computed fresh), and the
 * local-only `risk` table that ranks every deal, kept current after each change.
 */
import { kindOf, parseRecordKey } from '../domain/ids';
import type { Contact, Deal, Membership, Note, TableName } from '../domain/model';
import { accountRiskInput, assessRisk, dealRiskInput, type RiskResult } from '../domain/risk';
import { DEFAULT_RISK_SETTINGS, riskSettingsSchema, type RiskSettings } from '../domain/risk/settings';
import type { AccountGroup, CommitteeDb, RiskRow } from './db';
import { contactsByKey } from './queries';
import { groupedTable, membershipTable, readAhead, rowsIn } from './tables';
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

/** A deal's risk from the rows of its committee. */
function dealRisk(key: string, deal: Deal | undefined, rows: Omit<Parameters<typeof dealRiskInput>[1], 'now'>, now: number, settings: RiskSettings): RiskResult {
  return assessRisk(dealRiskInput({ key, stage: deal?.stage ?? null }, { ...rows, now }), settings);
}

/** The risk of one committee: a deal's own, or an account's over its own and its deals' committees. */
export async function committeeRisk(db: CommitteeDb, committeeKey: string, now: number, settings?: RiskSettings): Promise<RiskResult> {
  const s = settings ?? (await riskSettings(db));
  const ref = parseRecordKey(committeeKey);
  if (!ref || kindOf(ref.object) !== 'account') {
    const input = await rankingInputs(db, [committeeKey]);
    const { memberships, contacts, notes } = input;
    return dealRisk(committeeKey, input.deals.get(committeeKey), { memberships, contacts, notes }, now, s);
  }
  const deals = await groupedTable(db, 'deals').ofAccount(committeeKey);
  const keys = [committeeKey, ...deals.map((d) => d.key)];
  const [memberships, notes] = await Promise.all([
    membershipTable(db).ofAccountCommittees(committeeKey, deals.map((d) => d.key)),
    db.notes.where('committeeKey').anyOf(keys).toArray(),
  ]);
  const contacts = await contactsByKey(db, memberships.map((m) => m.contactKey));
  return assessRisk(accountRiskInput(committeeKey, deals, { memberships, contacts, notes, now }), s);
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
  if (people.length) for (const m of await membershipTable(db).ofContacts(people)) add(m.committeeKey);
  return [...deals];
}

const isDealKey = (k: string) => {
  const ref = parseRecordKey(k);
  return ref !== null && kindOf(ref.object) === 'deal';
};

function groupBy<T>(rows: readonly T[], key: (row: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k !== undefined) (out.get(k) ?? out.set(k, []).get(k)!).push(row);
  }
  return out;
}

/** What ranking some deals needs: their keys, their deal rows, and their committees' memberships, people (alive) and notes. */
interface RankingInput {
  keys: string[];
  deals: Map<string, Deal>;
  memberships: Membership[];
  notes: Note[];
  contacts: Record<string, Contact>;
}

/** The rows ranking these deals needs, read by key. */
async function rankingInputs(db: CommitteeDb, dealKeys: string[]): Promise<RankingInput> {
  const [deals, memberships, notes] = await Promise.all([
    groupedTable(db, 'deals').bulkGet(dealKeys),
    membershipTable(db).ofCommittees(dealKeys),
    db.notes.where('committeeKey').anyOf(dealKeys).toArray(),
  ]);
  const contacts = await contactsByKey(db, memberships.map((m) => m.contactKey));
  return { keys: dealKeys, deals: new Map(deals.filter((d): d is Deal => !!d).map((d) => [d.key, d])), memberships, notes, contacts };
}

/** The rows ranking the deals of some account records needs: the records' own people, others' read by key. */
async function recordsInputs(db: CommitteeDb, records: readonly AccountGroup[]): Promise<RankingInput> {
  const deals = rowsIn('deals', records);
  const keys = deals.map((d) => d.key);
  const [memberships, notes] = await Promise.all([membershipTable(db).ofCommittees(keys), db.notes.where('committeeKey').anyOf(keys).toArray()]);
  const own = new Map(rowsIn('contacts', records).map((c) => [c.key, c]));
  const contacts = await contactsByKey(db, memberships.map((m) => m.contactKey).filter((k) => !own.has(k)));
  for (const c of own.values()) if (!c.deleted) contacts[c.key] = c;
  return { keys, deals: new Map(deals.map((d) => [d.key, d])), memberships, notes, contacts };
}

/** Rank these deals and store their risk rows, in one transaction (deleted or empty deals leave the ranking). */
async function rank(db: CommitteeDb, input: RankingInput, now: number, settings: RiskSettings): Promise<void> {
  const byDeal = groupBy(input.memberships, (m) => m.committeeKey);
  const notesByDeal = groupBy(input.notes, (n) => n.committeeKey ?? undefined);
  const rows: RiskRow[] = [];
  const gone: string[] = [];
  for (const key of input.keys) {
    const deal = input.deals.get(key);
    const members = byDeal.get(key) ?? [];
    if (deal?.deleted || (!deal && alive(members).length === 0)) {
      gone.push(key);
      continue;
    }
    const result = dealRisk(key, deal, { memberships: members, contacts: input.contacts, notes: notesByDeal.get(key) ?? [] }, now, settings);
    rows.push({ committeeKey: key, score: result.score, level: result.level, name: deal?.name ?? '', updatedAt: now });
  }
  await db.transaction('rw', db.risk, async () => {
    await db.risk.bulkPut(rows);
    await db.risk.bulkDelete(gone);
  });
}

/**
 * Account records per page of a whole re-ranking: 80 deals and 800 memberships in the bench's data. At
 * 10,000 deals a request to the worker waited 20 ms (median) during a pass with pages of 20, 50 ms with
 * pages of 50, and up to 3.4 s behind the whole-table reads before; the pass takes 6-7 s against 5.2 s.
 */
export const RANK_PAGE = 20;
/** Deals per read of those a whole re-ranking finds outside the account records (tagged or ranked with no deal row). */
const RANK_BATCH = 500;

/** The whole re-ranking under way (or last done) on each store. */
const wholePasses = new WeakMap<CommitteeDb, Promise<void>>();

/**
 * Recompute and store the risk rows of some deals, or of every deal with null: then a page of account
 * records at a time, each page in its own reads and write, so the worker answers the views between pages.
 */
export async function refreshRisk(db: CommitteeDb, keys: readonly string[] | null, now: number, pageSize = RANK_PAGE): Promise<void> {
  if (keys !== null) {
    const dealKeys = [...new Set(keys)].filter(isDealKey);
    if (dealKeys.length) await rank(db, await rankingInputs(db, dealKeys), now, await riskSettings(db));
    return;
  }
  // One whole re-ranking at a time: one asked for later (new settings, a new bulk change) starts when the
  // one under way ends, so the earlier one's last pages never overwrite its rows.
  const pass = (wholePasses.get(db) ?? Promise.resolve()).then(() => rankEveryDeal(db, now, pageSize));
  wholePasses.set(db, pass.catch(() => undefined));
  return pass;
}

/** Every deal, a page of account records at a time, then the deals with no deal row; then the stale mark cleared and the time recorded. */
async function rankEveryDeal(db: CommitteeDb, now: number, pageSize: number): Promise<void> {
  const settings = await riskSettings(db);
  const staleMark = await getMeta<string | false>(db, RISK_STALE, false);
  const seen = new Set<string>();
  for await (const records of readAhead(db.accountGroups, pageSize)) {
    const input = await recordsInputs(db, records);
    if (input.keys.length === 0) continue;
    for (const key of input.keys) seen.add(key);
    await rank(db, input, now, settings);
  }
  // Deals with no deal row: tagged (their committees hold memberships) or ranked before their row went.
  const [ranked, tagged] = await Promise.all([db.risk.toCollection().primaryKeys(), db.memberGroups.orderBy('committeeKeys').uniqueKeys()]);
  const rest = [...new Set([...ranked, ...(tagged as string[])])].filter((k) => !seen.has(k) && isDealKey(k));
  for (let i = 0; i < rest.length; i += RANK_BATCH) await rank(db, await rankingInputs(db, rest.slice(i, i + RANK_BATCH)), now, settings);
  await db.transaction('rw', db.meta, async () => {
    // Clear the stale mark only if no bulk change marked it again while we read.
    if (staleMark && (await getMeta<string | false>(db, RISK_STALE, false)) === staleMark) await setMeta(db, RISK_STALE, false);
    await setMeta(db, RISK_REFRESHED, now);
  });
}

/** Recompute every deal (settings changed, time made committees stale, a bulk import). */
export const refreshAllRisk = (db: CommitteeDb, now: number) => refreshRisk(db, null, now);

/** When every deal was last ranked, by whatever asked for it. */
export const RISK_REFRESHED = 'riskRefreshedAt';

/**
 * Time alone makes committees stale (tags age, deals near their close date): re-rank every deal when the
 * last whole ranking is older than `maxAgeMs`. Any whole ranking counts, so the first periodic check after
 * an import or a first sync does not rank the same rows again. True when it ranked.
 */
export async function refreshAgedRisk(db: CommitteeDb, now: number, maxAgeMs: number): Promise<boolean> {
  if (now - (await getMeta(db, RISK_REFRESHED, 0)) < maxAgeMs) return false;
  await refreshAllRisk(db, now);
  return true;
}

/**
 * A change this large marks the ranking stale (in its own transaction) instead of re-ranking the
 * deals it touches before it returns: the worker re-ranks everything from whole-table reads right
 * after, and again at its next start if it was stopped before finishing.
 */
export const BULK_CHANGE = 2000;
export const RISK_STALE = 'riskStale';

/** Mark the ranking stale (each mark is new, so a re-ranking that started before it does not clear it). */
export const markRiskStale = (db: CommitteeDb) => setMeta(db, RISK_STALE, crypto.randomUUID());

/** Re-rank every deal if the ranking was marked stale; true when it did. */
export async function refreshStaleRisk(db: CommitteeDb, now: number): Promise<boolean> {
  if (!(await getMeta(db, RISK_STALE, false))) return false;
  await refreshAllRisk(db, now);
  return true;
}

/** Deals ranked riskiest first, optionally filtered by name. */
export async function rankedDeals(db: CommitteeDb, query: string, limit: number): Promise<RiskRow[]> {
  const q = query.trim().toLowerCase();
  // Unfiltered (the popup's first view): one bounded read instead of a cursor step per row.
  if (!q) return db.risk.orderBy('score').reverse().limit(limit).toArray();
  const out: RiskRow[] = [];
  await db.risk
    .orderBy('score')
    .reverse()
    .until(() => out.length >= limit)
    .each((r) => {
      if (r.name.toLowerCase().includes(q)) out.push(r);
    });
  return out;
}
