/**
 * The IndexedDB schema (Dexie). Only the background worker writes; popup and options may read.
 * Every schema version is listed here, each with its upgrade, and each has a migration test in
 * tests/unit/storage-migrations.test.ts (write data at the previous version, open at this one).
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { Mutation } from '../domain/mutations';
import type { Account, Contact, Deal, Membership, Note, TableName } from '../domain/model';
import { byCommittee, committeeRecord, groupRecords, homeBuckets, isMemberGroupV8, memberGroup, memberGroups, membersIn, membersInV8, repackGroup } from './tables';

export const DB_NAME = 'committee-lens';

/**
 * Queued local mutations, waiting to be pushed to the team sync service: one mutation, or a run of
 * consecutive ones (ids mutationId, mutationId + 1, …) written together (one multi-row write, or a
 * chunk of an import: one record per run keeps a 100,000-row import from writing 100,000 outbox records).
 * Runs are stored packed (`PackedRun`); runs stored before as a list of mutations are still read.
 * Mutation ids are dense and increase with `seq`.
 */
export type OutboxEntry = { seq?: number; clientId: string; mutationId: number } & ({ mutation: Mutation } | { mutations: Mutation[] } | { run: PackedRun });

/**
 * A run of mutations as its outbox entry stores it: one array per mutation, without the property names
 * every mutation object repeats (`name`, `table`, `key`, `fields`, `at` and the names of its fields).
 * A put is [table, key, at, shape, ...the values of the shape's fields]; a delete is
 * [table, key, at, -1, by]; table and shape index `tables` and `shapes`. IndexedDB's time grows with
 * the bytes it writes and reads: the bench's imported 142,500 mutations take 24.7 MB instead of 35.7 MB.
 *
 * With `byRef`, a put is only [table, shared, rest, at, shape]: its values are the named fields of the row
 * as stored, read when the run is pushed or rebased (`StoredRows`). An import queues its puts so: the rows
 * it writes in the same transaction hold the values, and the outbox does not store them a second time.
 * Its keys are front-coded: the length of the start a key shares with the key before it, then the rest
 * (a membership's key shares its committee and most of its person with the one before: the bench's
 * import's runs 15.2 → 6.1 MB). A delete is [table, shared, rest, at, -1, by]. A note's put keeps its
 * values after the shape, as in a run by value: deleting a note empties its text, and a put of that
 * stored note would be refused by the service.
 * The row's fields may have changed since by a later local write; that write is queued after the run, so
 * pushing its value a little early ends the same. Nothing pulled lands in between: a sync pushes the
 * whole outbox before it pulls, and a pulled row is rebased with the stored row's values.
 */
export interface PackedRun {
  tables: TableName[];
  shapes: string[][];
  rows: unknown[][];
  byRef?: true;
}

/** Mutations per outbox entry for bulk writes (an import): one push batch, the sync service's largest (server LIMITS.maxBatch). */
export const OUTBOX_RUN = 1000;

export interface PendingMutation {
  mutationId: number;
  mutation: Mutation;
}

/** Stored rows by `rowId`: the values of by-reference puts (see PackedRun). */
export type StoredRows = ReadonlyMap<string, object>;

/** A row's identity across tables, for maps of rows and mutations. */
export const rowId = (table: TableName, key: string) => `${table}\u0000${key}`;

export function packRun(mutations: readonly Mutation[], byRef = false): PackedRun {
  const run: PackedRun = { tables: [], shapes: [], rows: [] };
  if (byRef) run.byRef = true;
  const tableIndex = new Map<TableName, number>();
  const shapeIndex = new Map<string, number>();
  let last = -1;
  for (const m of mutations) {
    let table = tableIndex.get(m.table);
    if (table === undefined) tableIndex.set(m.table, (table = run.tables.push(m.table) - 1));
    if (m.name === 'delete') {
      run.rows.push([table, m.key, m.at, -1, m.by]);
      continue;
    }
    const names = Object.keys(m.fields);
    // Consecutive mutations mostly set the same fields (a bulk write is table by table): try the last shape first.
    let shape = sameNames(run.shapes[last], names) ? last : undefined;
    if (shape === undefined) {
      const signature = names.join('\n');
      shape = shapeIndex.get(signature);
      if (shape === undefined) shapeIndex.set(signature, (shape = run.shapes.push(names) - 1));
      last = shape;
    }
    const row: unknown[] = [table, m.key, m.at, shape];
    if (!byRef || m.table === 'notes') for (const name of names) row.push(m.fields[name]);
    run.rows.push(row);
  }
  if (byRef) {
    let before = '';
    for (const row of run.rows) {
      const key = row[1] as string;
      const shared = sharedStart(before, key);
      row.splice(1, 1, shared, key.slice(shared));
      before = key;
    }
  }
  return run;
}

function sharedStart(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** A by-reference run's keys, decoded once per run read. */
const refKeys = new WeakMap<PackedRun, string[]>();
function keysOf(run: PackedRun): string[] {
  let keys = refKeys.get(run);
  if (!keys) {
    keys = [];
    let key = '';
    for (const row of run.rows) keys.push((key = key.slice(0, row[1] as number) + (row[2] as string)));
    refKeys.set(run, keys);
  }
  return keys;
}

function sameNames(a: string[] | undefined, b: string[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The table and key of a packed run's `i`th mutation. */
function runTarget(run: PackedRun, i: number): { table: TableName; key: string } {
  const table = run.tables[run.rows[i]![0] as number];
  if (!table) throw new Error('A packed outbox run names a table or fields it does not list.');
  return { table, key: run.byRef ? keysOf(run)[i]! : (run.rows[i]![1] as string) };
}

function runMutation(run: PackedRun, i: number, stored?: StoredRows): Mutation {
  const row = run.rows[i]!;
  const { table, key } = runTarget(run, i);
  // A by-reference row holds its key in two cells (shared, rest): what follows it comes one cell later.
  const after = run.byRef ? 3 : 2;
  const at = row[after] as number;
  const s = row[after + 1] as number;
  if (s === -1) return { name: 'delete', table, key, at, by: row[after + 2] as string };
  const names = run.shapes[s];
  if (!names) throw new Error('A packed outbox run names a table or fields it does not list.');
  const fields: Record<string, unknown> = {};
  if (isRef(run, row)) {
    const current = stored?.get(rowId(table, key)) as Record<string, unknown> | undefined;
    if (!current) throw new Error(`A change waiting to sync refers to a row that is no longer stored (${table} ${key}).`);
    for (const name of names) if (name in current) fields[name] = current[name];
  } else {
    for (let f = 0; f < names.length; f++) fields[names[f]!] = row[after + 2 + f];
  }
  return { name: 'put', table, key, fields, at };
}

/** Whether a packed row is a put by reference: in a by-reference run, with no values after its shape. */
const isRef = (run: PackedRun, row: unknown[]) => !!run.byRef && row.length === 5;

/** A packed run's mutations; a by-reference run's puts take their values from `stored`. */
export function unpackRun(run: PackedRun, stored?: StoredRows): Mutation[] {
  return run.rows.map((_, i) => runMutation(run, i, stored));
}

/** How many mutations an outbox entry holds. */
export function entrySize(e: OutboxEntry): number {
  return 'run' in e ? e.run.rows.length : 'mutations' in e ? e.mutations.length : 1;
}

/** The table and key of an entry's `i`th mutation, without its values. */
export function entryTarget(e: OutboxEntry, i: number): { table: TableName; key: string } {
  return 'run' in e ? runTarget(e.run, i) : 'mutations' in e ? e.mutations[i]! : e.mutation;
}

/** An entry's `i`th mutation (by-reference puts take their values from `stored`). */
export function entryMutation(e: OutboxEntry, i: number, stored?: StoredRows): Mutation {
  return 'run' in e ? runMutation(e.run, i, stored) : 'mutations' in e ? e.mutations[i]! : e.mutation;
}

/** The mutations of an outbox entry, with their ids (by-reference puts take their values from `stored`). */
export function entryMutations(e: OutboxEntry, stored?: StoredRows): PendingMutation[] {
  return Array.from({ length: entrySize(e) }, (_, i) => ({ mutationId: e.mutationId + i, mutation: entryMutation(e, i, stored) }));
}

/** The rows by-reference puts name, among an entry's mutations (all, or those `wanted` says). */
export function refTargets(e: OutboxEntry, wanted?: (id: string) => boolean): { table: TableName; key: string }[] {
  if (!('run' in e) || !e.run.byRef) return [];
  const out: { table: TableName; key: string }[] = [];
  for (let i = 0; i < e.run.rows.length; i++) {
    if (!isRef(e.run, e.run.rows[i]!)) continue;
    const target = runTarget(e.run, i);
    if (!wanted || wanted(rowId(target.table, target.key))) out.push(target);
  }
  return out;
}

/** An entry with its first `n` mutations only (a by-reference run's keys are coded from its first). */
export function entryBefore(e: OutboxEntry, n: number): OutboxEntry {
  if ('run' in e) return { ...e, run: { ...e.run, rows: e.run.rows.slice(0, n) } };
  if ('mutations' in e) return { ...e, mutations: e.mutations.slice(0, n) };
  return e;
}

/** An entry without its first `n` mutations (those the server has applied). */
export function entryAfter(e: OutboxEntry, n: number): OutboxEntry {
  const head = { seq: e.seq, clientId: e.clientId, mutationId: e.mutationId + n };
  if ('run' in e && e.run.byRef) {
    // The first key left shares nothing with a key before it.
    const rows = e.run.rows.slice(n);
    rows[0] = [rows[0]![0], 0, keysOf(e.run)[n], ...rows[0]!.slice(3)];
    return { ...head, run: { ...e.run, rows } };
  }
  if ('run' in e) return { ...head, run: { ...e.run, rows: e.run.rows.slice(n) } };
  if ('mutations' in e) return { ...head, run: packRun(e.mutations.slice(n)) };
  return e;
}

/** Outbox entries for mutations numbered from `firstId`, in runs of at most `run` (by reference: see PackedRun). */
export function outboxRuns(client: string, firstId: number, mutations: readonly Mutation[], run = OUTBOX_RUN, byRef = false): OutboxEntry[] {
  const out: OutboxEntry[] = [];
  for (let i = 0; i < mutations.length; i += run) {
    const part = mutations.slice(i, i + run);
    out.push(part.length === 1 ? { clientId: client, mutationId: firstId + i, mutation: part[0]! } : { clientId: client, mutationId: firstId + i, run: packRun(part, byRef) });
  }
  return out;
}

/** Local key/value state: client identity, mutation counter, settings, sync cursor. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Derived, local-only: the risk of each committee, kept current on every write, for ranking. */
export interface RiskRow {
  committeeKey: string;
  score: number;
  level: 'low' | 'medium' | 'high';
  name: string;
  updatedAt: number;
}

/** A committee's memberships as schema versions 3 to 6 stored them (one record per committee; version 7 moves them). */
export interface CommitteeRecord {
  committeeKey: string;
  members: Membership[];
  contactKeys: string[];
  accountKeys: string[];
}

/** The fields a member record's key and a membership's own key say: stored only where a row disagrees with them. */
export type DerivedMemberField = 'committeeKey' | 'contactKey' | 'dealKey' | 'accountKey';
/** A membership as schema versions 7 and 8 stored it: without the fields its key and its record say. */
export type StoredMemberV8 = Omit<Membership, DerivedMemberField> & Partial<Pick<Membership, DerivedMemberField>>;
/**
 * A row as a record stores it (storage/tables.ts `packRow`): without the fields still holding their empty
 * value, and with its change times as the fields changed at `updatedAt` plus the times of the others.
 * Version 10 on, `updatedAt` is stored as `at` and the fields changed then as a bit mask, `now`; version 9
 * stored `updatedAt` and named those fields in `changedNow` (storage/tables.ts reads both forms).
 */
export type PackedRow = Record<string, unknown> & {
  /** `updatedAt`. */
  at?: number;
  /** The fields last changed at `updatedAt`, a bit each (storage/tables.ts `MASK_FIELDS`). */
  now?: number;
  /** Version 9: the fields last changed at `updatedAt`. */
  changedNow?: string[];
  /** The other fields' last change times. */
  changed?: Record<string, number>;
};
/**
 * A membership as its record stores it (version 9 on; see storage/tables.ts): packed, its key as the
 * positions of its committee and person in the record's key lists, and the fields its key and its record
 * say left out like the empty ones.
 */
export type StoredMember = PackedRow &
  Partial<Omit<Membership, 'key' | 'changed'>> & {
    /** Its committee: a position in the record's `committeeKeys`. */
    c: number;
    /** Its person: a position in the record's `contactKeys`. */
    p: number;
  };

/**
 * The memberships of an account's committees (its own and its deals'), stored as one record (see
 * storage/tables.ts), with the keys its indexes need: the committees and the people in it. Memberships with
 * no account (a deal's committee, the deal having none) have a record of their committee's own.
 */
export interface MemberGroup {
  key: string;
  /** In stored form (see `StoredMember`): read them through `membersIn`. */
  members: StoredMember[];
  committeeKeys: string[];
  contactKeys: string[];
}

/** A member record as schema versions 7 and 8 stored it. */
export type MemberGroupV8 = Omit<MemberGroup, 'members'> & { members: StoredMemberV8[] };

/**
 * An account's rows, stored as one record (see storage/tables.ts): the account, its people and its deals,
 * each packed (`PackedRow`) without the fields the record's key says (the account's key, the people's and
 * deals' account) or their own key says (a person's CRM, org and object). Read them through `groupRows` or `rowsIn`.
 * A person or deal with no account has a record of its own, under its own key.
 */
export interface AccountGroup {
  key: string;
  account?: PackedRow;
  people: KeyedPackedRow[];
  deals: KeyedPackedRow[];
}
/** A packed person or deal: with its own key (the record's key is its account's). */
export type KeyedPackedRow = PackedRow & { key: string };

/** An account's record as schema versions 5 to 9 stored it: its rows whole. */
export interface AccountGroupV9 {
  key: string;
  account?: Account;
  contacts: Contact[];
  deals: Deal[];
}

/**
 * Which record holds each person and deal (their keys do not name their account): key → record key, in a
 * fixed number of buckets by a hash of the key. A bulk write reads a few hundred buckets at most, where an
 * index would cost a lookup per row (as much as a write) and an entry per row.
 */
export interface HomeBucket {
  bucket: number;
  homes: Record<string, string>;
}

export interface SchemaVersion {
  version: number;
  /** Stores added or changed at this version (a store set to null is deleted). */
  stores: Record<string, string | null>;
  /**
   * Moves the data into this version's stores, within the upgrade transaction. `earlier` holds the
   * versions whose upgrades ran before it in this same upgrade: the records those wrote are in today's
   * form already (every upgrade builds its records with today's code).
   */
  upgrade?: (tx: Transaction, earlier: ReadonlySet<number>) => Promise<void>;
}

/** Index definitions per version. Never edit a released version: add a new one with its upgrade. */
export const SCHEMA_VERSIONS: SchemaVersion[] = [
  {
    version: 1,
    stores: {
      contacts: 'key, accountKey, reportsTo, updatedAt',
      accounts: 'key, updatedAt',
      deals: 'key, accountKey, updatedAt',
      memberships: 'key, committeeKey, contactKey, accountKey, dealKey, updatedAt',
      notes: 'key, contactKey, [contactKey+createdAt], committeeKey',
      outbox: '++seq',
      meta: 'key',
      risk: 'committeeKey, score',
    },
  },
  {
    // Drop the indexes no query uses: every index costs each write (a 100,000-row import or pull).
    version: 2,
    stores: {
      contacts: 'key, accountKey',
      accounts: 'key',
      deals: 'key, accountKey',
      memberships: 'key, committeeKey, contactKey, accountKey',
      notes: 'key, contactKey, committeeKey',
    },
  },
  {
    // Memberships move into one record per committee: IndexedDB's cost is per record (see storage/tables.ts).
    version: 3,
    stores: { committees: 'committeeKey, *contactKeys, *accountKeys' },
    upgrade: async (tx) => {
      const rows = (await tx.table('memberships').toArray()) as Membership[];
      await tx.table('committees').bulkPut([...byCommittee(rows)].map(([key, members]) => committeeRecord(key, members)));
    },
  },
  {
    // The row-per-membership store, emptied into `committees` by version 3 (Dexie reads a store in an upgrade only if a later version deletes it).
    version: 4,
    stores: { memberships: null },
  },
  {
    // Accounts, people and deals move into one record per account: 2,500 records for the bench's 42,500 rows.
    version: 5,
    stores: { accountGroups: 'key', homes: 'bucket' },
    upgrade: async (tx) => {
      const [accounts, contacts, deals] = await Promise.all([tx.table<Account>('accounts').toArray(), tx.table<Contact>('contacts').toArray(), tx.table<Deal>('deals').toArray()]);
      const records = groupRecords({ accounts, contacts, deals });
      await tx.table('accountGroups').bulkPut(records);
      await tx.table('homes').bulkPut(homeBuckets(records));
    },
  },
  {
    // The row-per-record stores, emptied into `accountGroups` by version 5.
    version: 6,
    stores: { contacts: null, accounts: null, deals: null },
  },
  {
    // Memberships move into one record per account (2,500 records for the bench's 100,000, against 10,000 per
    // committee), with an index entry per person of the account, not per membership.
    version: 7,
    stores: { memberGroups: 'key, *committeeKeys, *contactKeys' },
    upgrade: async (tx) => {
      const records = (await tx.table('committees').toArray()) as CommitteeRecord[];
      await tx.table('memberGroups').bulkPut(memberGroups(records.flatMap((r) => r.members)));
    },
  },
  {
    // The per-committee store, emptied into `memberGroups` by version 7.
    version: 8,
    stores: { committees: null },
  },
  {
    // Member records store each membership compactly (`StoredMember`): under half the bytes, and IndexedDB's
    // cost grows with the bytes written and read. Records written by version 7's upgrade in this same
    // upgrade are in the new form already: then there is nothing to read.
    version: 9,
    stores: { memberGroups: 'key, *committeeKeys, *contactKeys' },
    upgrade: async (tx, earlier) => {
      if (earlier.has(7)) return;
      const table = tx.table<MemberGroup | MemberGroupV8, string>('memberGroups');
      const old = (await table.toArray()).filter(isMemberGroupV8);
      await table.bulkPut(old.map((r) => memberGroup(r.key, membersInV8(r))));
    },
  },
  {
    // Accounts, people and deals are stored packed like memberships, and every packed row names the fields
    // changed at its `updatedAt` with a bit mask: the bench's records take 16.7 MB instead of 29.6 MB, and
    // Chromium's IndexedDB reads take time in proportion to the bytes (reading them all: 1.3 s against 2.0 s).
    // Every record is rewritten (the readers take both forms, the writers write the new one), except those
    // versions 5 and 7 wrote in this same upgrade: from a store of version 2, the bench's records took 6.7 s
    // more to read and rewrite for nothing (versions 9 and 10 here).
    version: 10,
    stores: {},
    upgrade: async (tx, earlier) => {
      if (!earlier.has(5)) {
        const groups = tx.table<AccountGroup | AccountGroupV9, string>('accountGroups');
        await groups.bulkPut((await groups.toArray()).map(repackGroup));
      }
      if (!earlier.has(7)) {
        const members = tx.table<MemberGroup, string>('memberGroups');
        await members.bulkPut((await members.toArray()).map((r) => memberGroup(r.key, membersIn(r))));
      }
    },
  },
];

export type CommitteeDb = Dexie & {
  accountGroups: EntityTable<AccountGroup, 'key'>;
  homes: EntityTable<HomeBucket, 'bucket'>;
  memberGroups: EntityTable<MemberGroup, 'key'>;
  notes: EntityTable<Note, 'key'>;
  outbox: EntityTable<OutboxEntry, 'seq'>;
  meta: EntityTable<MetaRow, 'key'>;
  risk: EntityTable<RiskRow, 'committeeKey'>;
};

export function openDb(name = DB_NAME, versions = SCHEMA_VERSIONS): CommitteeDb {
  const db = new Dexie(name) as CommitteeDb;
  const ran = new Set<number>();
  for (const v of versions) {
    const version = db.version(v.version).stores(v.stores);
    const upgrade = v.upgrade;
    if (upgrade)
      version.upgrade(async (tx) => {
        await upgrade(tx, ran);
        ran.add(v.version);
      });
  }
  return db;
}

/** The synced tables, in the order a write transaction touches them. */
export const SYNCED_TABLES: readonly TableName[] = ['contacts', 'accounts', 'deals', 'memberships', 'notes'];
/**
 * The IndexedDB stores that hold them (accounts, people and deals in their accounts' records, memberships
 * in their accounts' member records): a write transaction's scope.
 */
export const SYNCED_STORES = ['accountGroups', 'homes', 'memberGroups', 'notes'] as const;
