/**
 * The synced tables as the rest of storage reads and writes them: rows in, rows out, one interface.
 *
 * IndexedDB's cost is per record (on the bench's machine about 0.2 ms to put one, index entries about
 * 0.03 ms each), so rows the panel reads together are stored together:
 * - memberships, one record per account (the `memberGroups` store): the memberships of the account's
 *   own committee and of its deals' committees (those whose `accountKey` is the account); with no
 *   account, one record per committee. 100,000 memberships of 2,500 accounts are 2,500 records to write
 *   on an import or a pull, with an index entry per committee and per person of the account, not per
 *   membership. A membership whose account changes moves to the other record. Each membership is packed
 *   (`StoredMember` in db.ts): its key as two positions in the record's key lists, without the fields still
 *   empty or said by its key and record: under half the bytes, and IndexedDB's cost grows with the bytes.
 * - accounts, people and deals, one record per account (the `accountGroups` store): the account, the
 *   people and the deals whose account it is, packed the same way (`AccountGroup` in db.ts). A person or
 *   deal with no account has a record of its own. Their keys do not name their account, so the `homes`
 *   store says which record holds each (in 256 records, not one index entry per row); a row whose account
 *   changes moves to the other record.
 * - notes, one record each (append-only, read by person).
 */
import type { Table } from 'dexie';
import type { Account, Contact, Deal, Membership, TableName, TableRow } from '../domain/model';
import { committeeOf, kindOf, MEMBERSHIP_SEPARATOR, parseRecordKey, personOf } from '../domain/ids';
import { byAccountCommitteeContact } from '../domain/formats/export-rows';
import { emptyAccount, emptyContact, emptyDeal, emptyMembershipFields } from '../domain/rows';
import type { AccountGroup, AccountGroupV9, CommitteeDb, CommitteeRecord, DerivedMemberField, HomeBucket, MemberGroup, MemberGroupV8, PackedRow, StoredMember } from './db';

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

/** The single-row and present-only reads and writes of a table stored grouped, from its batch read and write. */
function byBatch<T extends { key: string }>(bulkGet: (keys: readonly string[]) => Promise<(T | undefined)[]>, bulkPut: (rows: readonly T[]) => Promise<void>) {
  return {
    get: async (key: string) => (await bulkGet([key]))[0],
    bulkGet,
    present: async (keys: readonly string[]) => (await bulkGet(keys)).filter((r): r is T => r !== undefined),
    put: (row: T) => bulkPut([row]),
    bulkPut,
  };
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
  };
}

/** Memberships grouped by the committee their key names. */
export function byCommittee(rows: Iterable<Membership>): Map<string, Membership[]> {
  const out = new Map<string, Membership[]>();
  for (const row of rows) {
    const key = committeeOf(row.key);
    (out.get(key) ?? out.set(key, []).get(key)!).push(row);
  }
  return out;
}

/** The memberships in these records that name one of `keys` as their account or person (a record holds others too). */
export function membersNaming(records: readonly (MemberGroup | undefined)[], field: 'accountKey' | 'contactKey', keys: Iterable<string>): Membership[] {
  const wanted = new Set(keys);
  return records.flatMap((r) =>
    membersIn(r).filter((m) => {
      const key = m[field];
      return key !== null && wanted.has(key);
    }),
  );
}

/** The memberships in these records of one of these committees. */
export function membersOf(records: readonly (MemberGroup | undefined)[], committeeKeys: Iterable<string>): Membership[] {
  const wanted = new Set(committeeKeys);
  return records.flatMap((r) => membersIn(r).filter((m) => wanted.has(committeeOf(m.key))));
}

const isKind = (key: string, kind: 'account' | 'deal') => {
  const ref = parseRecordKey(key);
  return ref !== null && kindOf(ref.object) === kind;
};

/** The account a record's key says its rows belong to: the record's own, if an account's. */
const recordAccount = (recordKey: string) => (isKind(recordKey, 'account') ? recordKey : null);

/**
 * The fields of each membership of a record that its key and the record's key say: its committee and person
 * (the two halves of its key), its deal (the committee, if a deal's) and its account (the record's key, if an
 * account's). A record stores its memberships without them where they agree: a third of the bytes of the
 * bench's memberships, and IndexedDB's cost in Chromium grows with the bytes written and read.
 */
function memberFields(recordKey: string): (key: string) => Pick<Membership, DerivedMemberField> {
  const accountKey = recordAccount(recordKey);
  const deals = new Map<string, boolean>();
  return (key) => {
    const committeeKey = committeeOf(key);
    let isDeal = deals.get(committeeKey);
    if (isDeal === undefined) deals.set(committeeKey, (isDeal = isKind(committeeKey, 'deal')));
    return { committeeKey, contactKey: personOf(key), dealKey: isDeal ? committeeKey : null, accountKey };
  };
}

/** The key of a stored membership of this record. */
const storedKey = (record: MemberGroup, m: StoredMember) => record.committeeKeys[m.c] + MEMBERSHIP_SEPARATOR + record.contactKeys[m.p];

/** Whether a stored value is the empty value its field starts with (the same primitive, or an empty list or map). */
const isEmptyValue = (value: unknown, empty: unknown) =>
  value === empty || (typeof empty === 'object' && empty !== null && typeof value === 'object' && value !== null && Array.isArray(value) === Array.isArray(empty) && Object.keys(value).length === 0);

type TimedRow = { updatedAt: number; changed: Record<string, number> };

/** The tables whose rows are stored packed in records. */
type PackedTable = 'accounts' | 'contacts' | 'deals' | 'memberships';

/**
 * The fields a packed row's change mask (`now`) names, a bit each, the first field the lowest bit. Stored
 * records depend on this order: append a new field, never reorder or remove one. A field not listed keeps
 * its time in `changed`.
 */
export const MASK_FIELDS: Record<PackedTable, readonly string[]> = {
  accounts: ['name', 'segment'],
  contacts: ['name', 'title', 'email', 'accountKey', 'department', 'reportsTo', 'win'],
  deals: ['name', 'accountKey', 'stage'],
  memberships: ['accountKey', 'roles', 'stage', 'stance', 'authority', 'influence', 'evidence', 'verified'],
};
const MASK_BITS = Object.fromEntries(Object.entries(MASK_FIELDS).map(([t, fields]) => [t, new Map(fields.map((f, i) => [f, 1 << i]))])) as Record<PackedTable, Map<string, number>>;

/**
 * A row as a record stores it (`PackedRow`): without the fields still holding the value `empty` gives them,
 * `updatedAt` as `at`, and its change times as a mask of the fields changed at `updatedAt` plus the others' times.
 */
function packRow(table: PackedTable, row: TimedRow & object, emptyRow: object): PackedRow {
  const out: PackedRow = {};
  const fields = row as Record<string, unknown>;
  const empty = emptyRow as Record<string, unknown>;
  for (const field in fields) if (field !== 'changed' && field !== 'updatedAt' && !isEmptyValue(fields[field], empty[field])) out[field] = fields[field];
  if (row.updatedAt !== empty.updatedAt) out.at = row.updatedAt;
  const bits = MASK_BITS[table];
  let now = 0;
  let others: Record<string, number> | undefined;
  for (const field in row.changed) {
    const at = row.changed[field]!;
    const bit = bits.get(field);
    if (at === row.updatedAt && bit !== undefined) now |= bit;
    else (others ??= {})[field] = at;
  }
  if (now) out.now = now;
  if (others) out.changed = others;
  return out;
}

/** Fields of a stored row that are not the row's: its time and change times' forms, and a stored membership's key positions. */
const STORED_ONLY = new Set(['at', 'now', 'changedNow', 'changed', 'c', 'p']);

/** A stored row (either form, see `PackedRow`) as a row: `row`, a fresh row of empty values, filled in with the stored fields and the change times. */
function unpackRow<T>(table: PackedTable, stored: PackedRow, row: Record<string, unknown>): T {
  for (const field in stored) if (!STORED_ONLY.has(field)) row[field] = stored[field];
  if (stored.at !== undefined) row.updatedAt = stored.at;
  const changed: Record<string, number> = {};
  if (stored.now) {
    const fields = MASK_FIELDS[table];
    for (let i = 0; i < fields.length; i++) if (stored.now & (1 << i)) changed[fields[i]!] = row.updatedAt as number;
  }
  if (stored.changedNow) for (const field of stored.changedNow) changed[field] = row.updatedAt as number;
  if (stored.changed) Object.assign(changed, stored.changed);
  row.changed = changed;
  return row as T;
}

/** A membership of a record as it starts, before anyone tags it: its key, what its key and record say, empty fields. */
const startingMember = (said: ReturnType<typeof memberFields>, key: string) => Object.assign({ key }, said(key), emptyMembershipFields());

/** A record's memberships as rows: their keys from the record's key lists, and what they leave out put back. */
export function membersIn(record: MemberGroup | undefined): Membership[] {
  if (!record) return [];
  const said = memberFields(record.key);
  return record.members.map((m) => unpackRow<Membership>('memberships', m, startingMember(said, storedKey(record, m))));
}

/** Memberships in the form a record with this key and these key lists stores them (see `StoredMember`). */
function storedMembers(record: Omit<MemberGroup, 'members'>, members: readonly Membership[]): StoredMember[] {
  const said = memberFields(record.key);
  const committeeAt = new Map(record.committeeKeys.map((k, i) => [k, i]));
  const contactAt = new Map(record.contactKeys.map((k, i) => [k, i]));
  return members.map((m) => {
    const start = startingMember(said, m.key);
    const out = packRow('memberships', m, start) as StoredMember;
    out.c = committeeAt.get(start.committeeKey)!;
    out.p = contactAt.get(start.contactKey)!;
    return out;
  });
}

/** The memberships of a record as schema versions 7 and 8 stored it. */
export function membersInV8(record: MemberGroupV8): Membership[] {
  const fields = memberFields(record.key);
  return record.members.map((m) => ({ ...fields(m.key), ...m }) as Membership);
}

/** Whether a member record is in the form of schema versions 7 and 8 (its memberships name their keys). */
export const isMemberGroupV8 = (record: MemberGroup | MemberGroupV8): record is MemberGroupV8 => record.members.some((m) => 'key' in m);

const unique = (values: Iterable<string>) => [...new Set(values)].sort();
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** A committee's record as schema versions 3 to 6 stored it (the version 3 upgrade writes them). */
export function committeeRecord(committeeKey: string, members: Membership[]): CommitteeRecord {
  members.sort(byKey);
  return { committeeKey, members, contactKeys: unique(members.map((m) => m.contactKey)), accountKeys: unique(members.flatMap((m) => (m.accountKey ? [m.accountKey] : []))) };
}

/** The record a membership is stored in: its account's (the account of its committee), or with none its committee's. */
const memberHome = (m: Membership): string => m.accountKey ?? committeeOf(m.key);

/** A record holding these memberships, committee by committee (the export's order), with the keys its indexes need. */
export function memberGroup(key: string, members: Membership[]): MemberGroup {
  members.sort(byAccountCommitteeContact);
  const record = { key, committeeKeys: unique(members.map((m) => committeeOf(m.key))), contactKeys: unique(members.flatMap((m) => [personOf(m.key), m.contactKey])) };
  return { ...record, members: storedMembers(record, members) };
}

/** The records holding these memberships (none of them stored yet: a schema upgrade). */
export function memberGroups(rows: Iterable<Membership>): MemberGroup[] {
  const groups = new Map<string, Membership[]>();
  for (const m of rows) {
    const key = memberHome(m);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(m);
  }
  return [...groups].map(([key, members]) => memberGroup(key, members));
}

export interface MembershipTable extends RowTable<Membership> {
  /** Every membership of these committees, tombstones included. */
  ofCommittees(committeeKeys: readonly string[]): Promise<Membership[]>;
  /** Every membership whose account is this one (of the account's own committee and of its deals'). */
  ofAccount(accountKey: string): Promise<Membership[]>;
  /**
   * Every membership of an account's committees: its own and those of these deals (its deals), and any
   * other naming the account. Once each.
   */
  ofAccountCommittees(accountKey: string, dealKeys: readonly string[]): Promise<Membership[]>;
  /** Every membership of these people. */
  ofContacts(contactKeys: readonly string[]): Promise<Membership[]>;
  /** The records in key order (an account's memberships, committee by committee), `size` at a time, each page asked for as soon as the one before arrives. */
  pages(size: number): AsyncIterable<MemberGroup[]>;
  /** `bulkPut` in two steps: the records read and built, then (calling the answer) written. */
  stage(rows: readonly Membership[]): Promise<StagedWrite>;
}

/**
 * Rows made ready to write: the records they go to read and built. Calling it issues every put at once and
 * resolves when all are written; until it is called nothing is written, so the worker can hand the store its
 * writes and go on working (in the same transaction) while the store writes them.
 */
export type StagedWrite = () => Promise<void>;
const nothingToWrite: StagedWrite = async () => {};

/** The memberships, read and written through their accounts' member records. */
export function membershipTable(db: CommitteeDb): MembershipTable {
  const store = db.memberGroups;
  /** The stored records whose `index` holds any of `keys`: their keys from the index alone, then each record once. */
  const holding = async (index: 'committeeKeys' | 'contactKeys', keys: readonly string[]) => {
    if (keys.length === 0) return [];
    return presentRecords(store, await store.where(index).anyOf(unique(keys)).primaryKeys());
  };
  const ofCommittees = async (keys: readonly string[]) => membersOf(await holding('committeeKeys', keys), keys);
  const ofAccount = async (accountKey: string) => membersNaming([await store.get(accountKey)], 'accountKey', [accountKey]);
  const bulkGet = async (keys: readonly string[]) => {
    const byKey = new Map((await ofCommittees(keys.map(committeeOf))).map((m) => [m.key, m]));
    return keys.map((k) => byKey.get(k));
  };
  const stage = async (rows: readonly Membership[]): Promise<StagedWrite> => {
    if (rows.length === 0) return nothingToWrite;
    // The records the rows go to, and those holding their committees now (a membership whose account changed moves).
    const holders = await store.where('committeeKeys').anyOf(unique(rows.map((m) => committeeOf(m.key)))).primaryKeys();
    const loaded = new Map((await presentRecords(store, [...rows.map(memberHome), ...holders])).map((r) => [r.key, r]));
    const where = new Map<string, string>();
    for (const r of loaded.values()) for (const m of r.members) where.set(storedKey(r, m), r.key);
    const work = new Map<string, Map<string, Membership>>();
    const edit = (key: string) => work.get(key) ?? work.set(key, new Map(membersIn(loaded.get(key)).map((m) => [m.key, m]))).get(key)!;
    for (const row of rows) {
      const target = memberHome(row);
      const was = where.get(row.key);
      if (was !== undefined && was !== target) edit(was).delete(row.key);
      edit(target).set(row.key, row);
      where.set(row.key, target);
    }
    const records = [...work].map(([key, members]) => memberGroup(key, [...members.values()]));
    return async () => {
      await Promise.all([store.bulkPut(records.filter((r) => r.members.length > 0)), store.bulkDelete(records.filter((r) => r.members.length === 0).map((r) => r.key))]);
    };
  };
  return {
    ...byBatch(bulkGet, async (rows) => (await stage(rows))()),
    stage,
    toArray: async () => (await store.toArray()).flatMap(membersIn),
    count: async () => {
      let n = 0;
      await store.each((r) => void (n += r.members.length));
      return n;
    },
    ofCommittees,
    ofAccount,
    ofAccountCommittees: async (accountKey, dealKeys) => {
      const [naming, own] = await Promise.all([ofAccount(accountKey), ofCommittees([accountKey, ...dealKeys])]);
      return [...new Map([...naming, ...own].map((m) => [m.key, m])).values()];
    },
    ofContacts: async (contactKeys) => membersNaming(await holding('contactKeys', contactKeys), 'contactKey', contactKeys),
    pages: (size) => readAhead(store, size),
  };
}

/**
 * A store's records in key order, page by page, read one page ahead: the next page is asked for as soon
 * as one arrives, so the store reads while the caller works on the page it has.
 */
export function readAhead<T extends { key: string }>(store: Table<T, string, unknown>, size: number): AsyncIterable<T[]> {
  const read = (after?: string) => {
    const page = (after === undefined ? store.limit(size) : store.where(':id').above(after).limit(size)).toArray();
    page.catch(() => undefined); // a failed read surfaces where the page is awaited, not as an unhandled rejection while the page before is worked on
    return page;
  };
  let next: Promise<T[]> | null = read();
  return {
    async *[Symbol.asyncIterator]() {
      while (next) {
        const page = await next;
        next = page.length === size ? read(page.at(-1)!.key) : null;
        yield page;
      }
    },
  };
}

/** The tables stored in their accounts' records. */
export type GroupedTable = 'accounts' | 'contacts' | 'deals';
type GroupedRow = Account | Contact | Deal;

/** The record a row is stored in: its account's, or for a person or deal with no account its own. */
export function groupOf(table: GroupedTable, row: GroupedRow): string {
  return table === 'accounts' ? row.key : ((row as Contact | Deal).accountKey ?? row.key);
}


/** A person or deal of a record as it starts: its key, the record's account, empty fields (a person's CRM, org and object from its key). */
function startingRow(table: 'contacts' | 'deals', key: string, accountKey: string | null): Record<string, unknown> {
  const row = (table === 'contacts' ? emptyContact(key) : emptyDeal(key)) as unknown as Record<string, unknown>;
  row.accountKey = accountKey;
  return row;
}

/** An account's record holding these rows (see `AccountGroup`), each list in key order. */
export function accountGroup(key: string, account: Account | undefined, contacts: Contact[], deals: Deal[]): AccountGroup {
  const accountKey = recordAccount(key);
  const packed = (table: 'contacts' | 'deals', row: Contact | Deal) => Object.assign(packRow(table, row, startingRow(table, row.key, accountKey)), { key: row.key });
  return {
    key,
    ...(account ? { account: packRow('accounts', account, emptyAccount(key)) } : {}),
    people: contacts.sort(byKey).map((c) => packed('contacts', c)),
    deals: deals.sort(byKey).map((d) => packed('deals', d)),
  };
}

/** One table's rows in an account's record (stored in either form: see `AccountGroup` and `AccountGroupV9`), only those unpacked. */
function recordRows<T extends GroupedTable>(record: AccountGroup | AccountGroupV9, table: T): TableRow[T][] {
  let rows: GroupedRow[];
  if ('contacts' in record) rows = table === 'accounts' ? (record.account ? [record.account] : []) : record[table as 'contacts' | 'deals'];
  else if (table === 'accounts') rows = record.account ? [unpackRow<Account>('accounts', record.account, emptyAccount(record.key) as unknown as Record<string, unknown>)] : [];
  else {
    const accountKey = recordAccount(record.key);
    rows = (table === 'contacts' ? record.people : record.deals).map((p) => unpackRow<Contact | Deal>(table, p, startingRow(table, p.key, accountKey)));
  }
  return rows as TableRow[T][];
}

/** The rows an account's record holds, none for no record. */
export function groupRows(record: AccountGroup | AccountGroupV9 | undefined): { account?: Account; contacts: Contact[]; deals: Deal[] } {
  if (!record) return { contacts: [], deals: [] };
  const [account] = recordRows(record, 'accounts');
  return { ...(account ? { account } : {}), contacts: recordRows(record, 'contacts'), deals: recordRows(record, 'deals') };
}

/** A record in the current form, whichever form it was stored in (the version 10 upgrade). */
export function repackGroup(record: AccountGroup | AccountGroupV9): AccountGroup {
  const rows = groupRows(record);
  return accountGroup(record.key, rows.account, rows.contacts, rows.deals);
}

/** The records holding these rows (none of them stored yet: a schema upgrade). */
export function groupRecords(rows: { accounts: Account[]; contacts: Contact[]; deals: Deal[] }): AccountGroup[] {
  const groups = new Map<string, { account?: Account; contacts: Contact[]; deals: Deal[] }>();
  const group = (key: string) => groups.get(key) ?? groups.set(key, { contacts: [], deals: [] }).get(key)!;
  for (const a of rows.accounts) group(a.key).account = a;
  for (const c of rows.contacts) group(groupOf('contacts', c)).contacts.push(c);
  for (const d of rows.deals) group(groupOf('deals', d)).deals.push(d);
  return [...groups].map(([key, g]) => accountGroup(key, g.account, g.contacts, g.deals));
}

/** One table's rows in these records. */
export function rowsIn<T extends GroupedTable>(table: T, records: readonly (AccountGroup | undefined)[]): TableRow[T][] {
  const out: GroupedRow[] = [];
  for (const r of records) if (r) out.push(...recordRows(r, table));
  return out as TableRow[T][];
}

/** Every account, person and deal, from one read of the store. */
export async function groupedRows(db: CommitteeDb): Promise<{ accounts: Account[]; contacts: Contact[]; deals: Deal[] }> {
  const records = await db.accountGroups.toArray();
  return { accounts: rowsIn('accounts', records), contacts: rowsIn('contacts', records), deals: rowsIn('deals', records) };
}

/** Buckets of the people and deals' homes (see HomeBucket in db.ts): enough that each stays small at a few hundred thousand rows. */
export const HOME_BUCKETS = 256;

/** The home bucket of a person's or deal's key (FNV-1a). */
export function homeBucket(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % HOME_BUCKETS;
}

/** The home buckets naming these records' people and deals. */
export function homeBuckets(records: readonly AccountGroup[]): HomeBucket[] {
  const buckets = new Map<number, HomeBucket>();
  for (const r of records) {
    for (const row of [...r.people, ...r.deals]) {
      const b = homeBucket(row.key);
      (buckets.get(b) ?? buckets.set(b, { bucket: b, homes: {} }).get(b)!).homes[row.key] = r.key;
    }
  }
  return [...buckets.values()];
}

/** The stored buckets naming the homes of these keys (a bucket not stored yet comes back empty). */
async function readHomes(db: CommitteeDb, keys: Iterable<string>): Promise<Map<number, HomeBucket>> {
  const wanted = [...new Set([...keys].map(homeBucket))];
  const stored = wanted.length ? await db.homes.bulkGet(wanted) : [];
  return new Map(wanted.map((b, i) => [b, stored[i] ?? { bucket: b, homes: {} }]));
}
const homeIn = (buckets: Map<number, HomeBucket>, key: string): string | undefined => buckets.get(homeBucket(key))?.homes[key];

export type GroupedKeys = { [T in GroupedTable]?: readonly string[] };

/** The stored records holding these accounts, people and deals: one read, whichever tables ask. */
async function recordsHolding(db: CommitteeDb, keys: GroupedKeys): Promise<AccountGroup[]> {
  const movable = [...(keys.contacts ?? []), ...(keys.deals ?? [])];
  const homes = await readHomes(db, movable);
  const held = movable.map((k) => homeIn(homes, k)).filter((k): k is string => k !== undefined);
  return presentRecords(db.accountGroups, [...(keys.accounts ?? []), ...held]);
}

/** The stored accounts, people and deals among these keys, by table and key, from one read of the records holding them. */
export async function presentGrouped(db: CommitteeDb, keys: GroupedKeys): Promise<{ [T in GroupedTable]: Map<string, TableRow[T]> }> {
  const records = await recordsHolding(db, keys);
  const pick = <T extends GroupedTable>(table: T) => {
    const wanted = new Set(keys[table]);
    return new Map(rowsIn(table, records).filter((r) => wanted.has(r.key)).map((r) => [r.key, r]));
  };
  return { accounts: pick('accounts'), contacts: pick('contacts'), deals: pick('deals') };
}

export interface GroupedRowTable<T extends GroupedRow> extends RowTable<T> {
  /** The rows of this table whose account is this one (for accounts: the account). */
  ofAccount(accountKey: string): Promise<T[]>;
}

export interface GroupedRows {
  accounts?: readonly Account[];
  contacts?: readonly Contact[];
  deals?: readonly Deal[];
}

/**
 * Write accounts, people and deals into their accounts' records, each record read and written once. A
 * person or deal whose account changed leaves the record it was in, and its home moves with it.
 */
export async function putGrouped(db: CommitteeDb, rows: GroupedRows): Promise<void> {
  await (await stageGrouped(db, rows))();
}

async function stageGrouped(db: CommitteeDb, rows: GroupedRows): Promise<StagedWrite> {
  const accounts = rows.accounts ?? [];
  const movable = [...(rows.contacts ?? []).map((row) => ({ table: 'contacts' as const, row })), ...(rows.deals ?? []).map((row) => ({ table: 'deals' as const, row }))];
  if (accounts.length + movable.length === 0) return nothingToWrite;
  const homes = await readHomes(db, movable.map((m) => m.row.key));
  const targets = [...accounts.map((a) => a.key), ...movable.map((m) => groupOf(m.table, m.row))];
  const previous = movable.map((m) => homeIn(homes, m.row.key)).filter((k): k is string => k !== undefined);
  const loaded = new Map((await presentRecords(db.accountGroups, [...targets, ...previous])).map((r) => [r.key, r]));
  const work = new Map<string, { account?: Account; contacts: Map<string, Contact>; deals: Map<string, Deal> }>();
  const edit = (key: string) => {
    let w = work.get(key);
    if (!w) {
      const record = loaded.get(key);
      const rows = groupRows(record);
      work.set(key, (w = { account: rows.account, contacts: new Map(rows.contacts.map((c) => [c.key, c])), deals: new Map(rows.deals.map((d) => [d.key, d])) }));
    }
    return w;
  };
  const moved = new Set<HomeBucket>();
  for (const { table, row } of movable) {
    const target = groupOf(table, row);
    const bucket = homes.get(homeBucket(row.key))!;
    const was = bucket.homes[row.key];
    if (was !== target) {
      if (was !== undefined) edit(was)[table].delete(row.key);
      bucket.homes[row.key] = target;
      moved.add(bucket);
    }
    (edit(target)[table] as Map<string, Contact | Deal>).set(row.key, row);
  }
  for (const a of accounts) edit(a.key).account = a;
  const changed = [...work].map(([key, w]) => accountGroup(key, w.account, [...w.contacts.values()], [...w.deals.values()]));
  const empty = (r: AccountGroup) => !r.account && r.people.length === 0 && r.deals.length === 0;
  return async () => {
    await Promise.all([
      db.accountGroups.bulkPut(changed.filter((r) => !empty(r))),
      db.accountGroups.bulkDelete(changed.filter(empty).map((r) => r.key)),
      db.homes.bulkPut([...moved]),
    ]);
  };
}

/** Accounts, people or deals, read and written through their accounts' records. */
export function groupedTable<T extends GroupedTable>(db: CommitteeDb, table: T): GroupedRowTable<TableRow[T]> {
  type Row = TableRow[T];
  const store = db.accountGroups;
  const bulkGet = async (keys: readonly string[]) => {
    const found = (await presentGrouped(db, { [table]: keys }))[table] as Map<string, Row>;
    return keys.map((k) => found.get(k));
  };
  const bulkPut = (rows: readonly Row[]) => putGrouped(db, { [table]: rows });
  return {
    ...byBatch(bulkGet, bulkPut),
    toArray: async () => rowsIn(table, await store.toArray()),
    count: async () => rowsIn(table, await store.toArray()).length,
    ofAccount: async (accountKey) => rowsIn(table, [await store.get(accountKey)]),
  };
}

export type TableRows = { [T in TableName]?: readonly TableRow[T][] };

/**
 * Write rows of several tables: accounts, people and deals together (each record written once), memberships
 * and notes. The three touch different stores, so they go side by side: one's reads are answered while
 * another's records are built.
 */
export async function putRows(db: CommitteeDb, rows: TableRows): Promise<void> {
  await (await stageRows(db, rows))();
}

/** `putRows` in two steps (see StagedWrite): every table's records read and built, then written together. */
export async function stageRows(db: CommitteeDb, rows: TableRows): Promise<StagedWrite> {
  const [grouped, members] = await Promise.all([stageGrouped(db, rows), membershipTable(db).stage(rows.memberships ?? [])]);
  return async () => {
    await Promise.all([grouped(), members(), rows.notes?.length ? db.notes.bulkPut([...rows.notes]) : undefined]);
  };
}

/** One synced table's rows, however they are stored. */
export function rowTable<T extends TableName>(db: CommitteeDb, table: T): RowTable<TableRow[T]> {
  if (table === 'memberships') return membershipTable(db) as unknown as RowTable<TableRow[T]>;
  if (table === 'notes') return rowsOf(db.notes as unknown as Table<TableRow[T], string>);
  return groupedTable(db, table as GroupedTable) as unknown as RowTable<TableRow[T]>;
}
