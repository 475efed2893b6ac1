/** Read queries over the local store; each uses an index (see db.ts). */
import type { AccountSummary, CommitteeView, ContactView } from '../domain/protocol';
import type { Contact, Deal, Membership, Note } from '../domain/model';
import { kindOf, parseRecordKey } from '../domain/ids';
import Dexie from 'dexie';
import type { AccountGroup, CommitteeDb, HomeBucket, MemberGroup } from './db';
import { groupRows, homeBucket, membersNaming, membersOf, rowTable, rowsIn, type GroupedTable } from './tables';

const alive = <T extends { deleted?: boolean }>(rows: T[]) => rows.filter((r) => !r.deleted);

function byCreated(a: Note, b: Note) {
  return b.createdAt - a.createdAt || (a.key < b.key ? -1 : 1);
}

export async function contactsByKey(db: CommitteeDb, keys: Iterable<string>): Promise<Record<string, Contact>> {
  const unique = [...new Set(keys)];
  const out: Record<string, Contact> = {};
  if (unique.length === 0) return out; // an empty committee: nothing to read
  const rows = await rowTable(db, 'contacts').bulkGet(unique);
  for (const row of rows) if (row && !row.deleted) out[row.key] = row;
  return out;
}

/**
 * The views the panel asks for on every record (committeeView, personPanel) read through one native
 * IndexedDB transaction on Dexie's own connection: they are the hottest reads, and Dexie's promise and
 * transaction wrapping cost them 1.3-2x the raw index queries of the same rows (the bench compares the
 * two side by side). Writes, and reads inside a write, stay with Dexie.
 */
type ViewTable = 'accountGroups' | 'homes' | 'memberGroups' | 'notes';
/** Stores whose opening (and upgrade) has completed once. */
const opened = new WeakSet<CommitteeDb>();

async function viewReader(db: CommitteeDb, tables: ViewTable[]) {
  // Inside a Dexie write on the same tables, a transaction of our own would wait for that write to end: forever.
  if (Dexie.currentTransaction) throw new Error('Committee views read in a transaction of their own: call them outside a Dexie transaction.');
  // Opens the store when Dexie has closed it, and waits while it opens: Dexie holds the connection as soon as
  // an upgrade starts, and a transaction asked for during the upgrade's own would throw. Once it has opened,
  // a connection that is still there needs no wait: Dexie's open() answers through its own promise all the
  // same, about a tenth of a view's time.
  if (!opened.has(db) || !db.isOpen()) {
    await db.open();
    opened.add(db);
  }
  const tx = db.backendDB().transaction(tables, 'readonly');
  const answer = <T>(req: IDBRequest) =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
    });
  return {
    where: <T>(table: ViewTable, index: string, value: string) => answer<T[]>(tx.objectStore(table).index(index).getAll(value)),
    /** An account's record: the account, its people and its deals (see storage/tables.ts). */
    group: (accountKey: string) => answer<AccountGroup | undefined>(tx.objectStore('accountGroups').get(accountKey)),
    /** A person or deal by key, with the record holding it (its account's). */
    row: async <T extends Exclude<GroupedTable, 'accounts'>>(table: T, key: string) => {
      const home = (await answer<HomeBucket | undefined>(tx.objectStore('homes').get(homeBucket(key))))?.homes[key];
      const record = home === undefined ? undefined : await answer<AccountGroup | undefined>(tx.objectStore('accountGroups').get(home));
      return { row: rowsIn(table, [record]).find((r) => r.key === key), record };
    },
    /** An account's member record: the memberships of its own committee and its deals' (see storage/tables.ts). */
    members: (accountKey: string) => answer<MemberGroup | undefined>(tx.objectStore('memberGroups').get(accountKey)),
    /** The memberships of one committee (tombstones included). */
    committee: (key: string) => answer<MemberGroup[]>(tx.objectStore('memberGroups').index('committeeKeys').getAll(key)).then((rs) => membersOf(rs, [key])),
    /** The memberships of one person, from the records that hold any (tombstones included). */
    ofPerson: (key: string) => answer<MemberGroup[]>(tx.objectStore('memberGroups').index('contactKeys').getAll(key)).then((rs) => membersNaming(rs, 'contactKey', [key])),
  };
}
type ViewReader = Awaited<ReturnType<typeof viewReader>>;

/** Notes of some contacts, newest first, tombstones included (the timeline shows them): one index read per contact, issued together. */
async function notesOf(read: ViewReader, contactKeys: string[]): Promise<Note[]> {
  const notes = await Promise.all([...new Set(contactKeys)].map((k) => read.where<Note>('notes', 'contactKey', k)));
  return notes.flat().sort(byCreated);
}

/**
 * One committee with everything a view shows. For an account, `members` also holds the memberships
 * of the account's deal committees (their committeeKey says which), so the account view is the union.
 * One read transaction, with the independent lookups issued together.
 */
export async function committeeView(db: CommitteeDb, committeeKey: string): Promise<CommitteeView> {
  const ref = parseRecordKey(committeeKey);
  const isAccount = ref !== null && kindOf(ref.object) === 'account';
  const read = await viewReader(db, ['accountGroups', 'homes', 'memberGroups', 'notes']);
  let deal: Deal | undefined;
  let members: Membership[];
  // The account's record: its people and deals. A deal is in its account's record, so one read finds both.
  let around: AccountGroup | undefined;
  if (isAccount) {
    // The account's member record holds its deals' committees (their memberships name the account).
    let own: Membership[];
    let record: MemberGroup | undefined;
    [own, record, around] = await Promise.all([read.committee(committeeKey), read.members(committeeKey), read.group(committeeKey)]);
    const viaDeals = membersNaming([record], 'accountKey', [committeeKey]).filter((m) => m.dealKey);
    members = alive(own).concat(alive(viaDeals));
  } else {
    const [found, own] = await Promise.all([read.row('deals', committeeKey), read.committee(committeeKey)]);
    deal = found.row;
    if (deal?.accountKey) around = found.record;
    members = alive(own);
  }
  const contactKeys = [...new Set(members.map((m) => m.contactKey))];
  const { account, deals, contacts } = summaryOf(committeeKey, around);
  const missing = contactKeys.filter((k) => !contacts[k]);
  const [others, notes] = await Promise.all([Promise.all(missing.map((k) => read.row('contacts', k))), notesOf(read, contactKeys)]);
  for (const { row } of others) if (row && !row.deleted) contacts[row.key] = row;
  return { committeeKey, account, deal: deal && !deal.deleted ? deal : null, deals, members, contacts, notes };
}

/** What an account's record says of it: the account, its live deals and its live people by key. */
function summaryOf(committeeKey: string, around: AccountGroup | undefined): AccountSummary {
  const rows = groupRows(around);
  const contacts: Record<string, Contact> = {};
  for (const p of alive(rows.contacts)) contacts[p.key] = p;
  return { committeeKey, account: rows.account ?? null, deals: alive(rows.deals), contacts };
}

export async function contactView(db: CommitteeDb, contactKey: string): Promise<ContactView> {
  return (await personPanel(db, contactKey)).person;
}

/**
 * What a person's panel shows: their view, and the summary of the account the page names (else of their
 * own account), in one read transaction. A person's row is in their account's record, so when the page
 * names that account, the one read of its record finds both; otherwise their home says which record holds
 * them, and the account's record is read after it unless it is that one.
 */
export async function personPanel(db: CommitteeDb, contactKey: string, pageAccount?: string): Promise<{ person: ContactView; account: AccountSummary | null }> {
  const read = await viewReader(db, ['accountGroups', 'homes', 'memberGroups', 'notes']);
  const named = pageAccount ? read.group(pageAccount) : Promise.resolve(undefined);
  const found = named.then((record) => {
    const row = rowsIn('contacts', [record]).find((r) => r.key === contactKey);
    return row ? { row, record } : read.row('contacts', contactKey);
  });
  const [{ row, record }, memberships, notes] = await Promise.all([found, read.ofPerson(contactKey), notesOf(read, [contactKey])]);
  const contact = row && !row.deleted ? row : null;
  const person = { contact, memberships: alive(memberships), notes };
  const accountKey = pageAccount ?? contact?.accountKey ?? null;
  if (!accountKey) return { person, account: null };
  const around = pageAccount ? await named : record?.key === accountKey ? record : await read.group(accountKey);
  return { person, account: summaryOf(accountKey, around) };
}
