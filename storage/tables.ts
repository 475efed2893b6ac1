/**
 * The synced tables as the rest of storage reads and writes them: rows in, rows out, one interface.
 *
 * Contacts, accounts, deals and notes are stored one IndexedDB record per row. Memberships are stored
 * grouped, one record per committee (the `committees` store, its memberships inside): IndexedDB's cost
 * is per record, and a team's memberships are most of its rows (100,000 memberships in 10,000
 * committees are 10,000 records to write on an import or a pull, not 100,000), while the panel reads
 * a committee whole anyway. A membership's key names its committee, so a row still finds its record.
 */
import type { Table } from 'dexie';
import type { Membership, TableName, TableRow } from '../domain/model';
import { MEMBERSHIP_SEPARATOR } from '../domain/ids';
import type { CommitteeDb, CommitteeRecord } from './db';

/** Asked for more records than this, a read scans the stored keys first, sparing a lookup per absent record (an import into an empty store). */
const SCAN_ABOVE = 2000;

export interface RowTable<T extends { key: string }> {
  get(key: string): Promise<T | undefined>;
  bulkGet(keys: readonly string[]): Promise<(T | undefined)[]>;
  /** The stored rows among `keys` (absent ones left out). */
  present(keys: readonly string[]): Promise<T[]>;
  put(row: T): Promise<void>;
  bulkPut(rows: readonly T[]): Promise<void>;
  toArray(): Promise<T[]>;
  count(): Promise<number>;
  clear(): Promise<void>;
}

/** The stored records among `keys` of a Dexie table: by lookup, or for many keys after one scan of the stored keys. */
async function presentRecords<T>(table: Table<T, string, unknown>, keys: readonly string[]): Promise<T[]> {
  let wanted = [...new Set(keys)];
  if (wanted.length > SCAN_ABOVE) {
    const stored = new Set(await table.toCollection().primaryKeys());
    wanted = wanted.filter((k) => stored.has(k));
  }
  if (wanted.length === 0) return [];
  return (await table.bulkGet(wanted)).filter((r): r is T => r !== undefined);
}

function rowsOf<T extends { key: string }>(table: Table<T, string>): RowTable<T> {
  return {
    get: (key) => table.get(key),
    bulkGet: (keys) => table.bulkGet([...keys]),
    present: (keys) => presentRecords(table, keys),
    put: async (row) => void (await table.put(row)),
    bulkPut: async (rows) => void (await table.bulkPut([...rows])),
    toArray: () => table.toArray(),
    count: () => table.count(),
    clear: () => table.clear(),
  };
}

/** The committee a membership key names (the part before the separator: record keys never hold it). */
export const committeeOf = (membershipKey: string) => membershipKey.slice(0, membershipKey.indexOf(MEMBERSHIP_SEPARATOR));

/** Memberships grouped by the committee their key names. */
export function byCommittee(rows: Iterable<Membership>): Map<string, Membership[]> {
  const out = new Map<string, Membership[]>();
  for (const row of rows) {
    const key = committeeOf(row.key);
    (out.get(key) ?? out.set(key, []).get(key)!).push(row);
  }
  return out;
}

/** The index of the committees store that finds the records naming an account or a person. */
export const NAMING_INDEX = { accountKey: 'accountKeys', contactKey: 'contactKeys' } as const;

/** The memberships in these records that name one of `keys` as their account or person (a record holds others too). */
export function membersNaming(records: readonly CommitteeRecord[], field: keyof typeof NAMING_INDEX, keys: Iterable<string>): Membership[] {
  const wanted = new Set(keys);
  return records.flatMap((r) =>
    r.members.filter((m) => {
      const key = m[field];
      return key !== null && wanted.has(key);
    }),
  );
}

const unique = (values: Iterable<string>) => [...new Set(values)].sort();

/** A committee's record holding these memberships, in key order, with the keys its indexes need. */
export function committeeRecord(committeeKey: string, members: Membership[]): CommitteeRecord {
  members.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { committeeKey, members, contactKeys: unique(members.map((m) => m.contactKey)), accountKeys: unique(members.flatMap((m) => (m.accountKey ? [m.accountKey] : []))) };
}

export interface MembershipTable extends RowTable<Membership> {
  /** Every membership of these committees, tombstones included. */
  ofCommittees(committeeKeys: readonly string[]): Promise<Membership[]>;
  /** Every membership whose account is this one (of the account's own committee and of its deals'). */
  ofAccount(accountKey: string): Promise<Membership[]>;
  /** Every membership of these people. */
  ofContacts(contactKeys: readonly string[]): Promise<Membership[]>;
  /** The committees' records in key order, `size` at a time, each page asked for as soon as the one before arrives. */
  pages(size: number): AsyncIterable<CommitteeRecord[]>;
}

/** The memberships, read and written through their committees' records. */
export function membershipTable(db: CommitteeDb): MembershipTable {
  const store = db.committees;
  const members = (records: (CommitteeRecord | undefined)[]) => records.flatMap((r) => r?.members ?? []);
  const ofCommittees = async (keys: readonly string[]) => members(await presentRecords(store, keys));
  const bulkGet = async (keys: readonly string[]) => {
    const byKey = new Map((await ofCommittees(keys.map(committeeOf))).map((m) => [m.key, m]));
    return keys.map((k) => byKey.get(k));
  };
  const bulkPut = async (rows: readonly Membership[]) => {
    const incoming = byCommittee(rows);
    const stored = new Map((await presentRecords(store, [...incoming.keys()])).map((r) => [r.committeeKey, r]));
    const records = [...incoming].map(([key, list]) => {
      const merged = new Map((stored.get(key)?.members ?? []).map((m) => [m.key, m]));
      for (const row of list) merged.set(row.key, row);
      return committeeRecord(key, [...merged.values()]);
    });
    await store.bulkPut(records);
  };
  return {
    get: async (key) => (await store.get(committeeOf(key)))?.members.find((m) => m.key === key),
    bulkGet,
    present: async (keys) => (await bulkGet(keys)).filter((m): m is Membership => m !== undefined),
    put: (row) => bulkPut([row]),
    bulkPut,
    toArray: async () => members(await store.toArray()),
    count: async () => {
      let n = 0;
      await store.each((r) => void (n += r.members.length));
      return n;
    },
    clear: () => store.clear(),
    ofCommittees,
    ofAccount: async (accountKey) => membersNaming(await store.where(NAMING_INDEX.accountKey).equals(accountKey).toArray(), 'accountKey', [accountKey]),
    ofContacts: async (contactKeys) => {
      if (contactKeys.length === 0) return [];
      return membersNaming(await store.where(NAMING_INDEX.contactKey).anyOf([...new Set(contactKeys)]).distinct().toArray(), 'contactKey', contactKeys);
    },
    pages: (size) => readAhead(store, size),
  };
}

/**
 * A store's records in key order, page by page, read one page ahead: the next page is asked for as soon
 * as one arrives, so the store reads while the caller works on the page it has.
 */
function readAhead(store: CommitteeDb['committees'], size: number): AsyncIterable<CommitteeRecord[]> {
  const read = (after?: string) => {
    const page = (after === undefined ? store.limit(size) : store.where(':id').above(after).limit(size)).toArray();
    page.catch(() => undefined); // a failed read surfaces where the page is awaited, not as an unhandled rejection while the page before is worked on
    return page;
  };
  let next: Promise<CommitteeRecord[]> | null = read();
  return {
    async *[Symbol.asyncIterator]() {
      while (next) {
        const page = await next;
        next = page.length === size ? read(page.at(-1)!.committeeKey) : null;
        yield page;
      }
    },
  };
}

/** One synced table's rows, however they are stored. */
export function rowTable<T extends TableName>(db: CommitteeDb, table: T): RowTable<TableRow[T]> {
  if (table === 'memberships') return membershipTable(db) as unknown as RowTable<TableRow[T]>;
  return rowsOf(db.table<TableRow[T], string>(table));
}
