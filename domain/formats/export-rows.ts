/**
 * The denormalised view every CSV export starts from: one row per committee membership with the
 * contact, account, deal and notes joined in. Joins are Map lookups built once (linear time), so the
 * background worker can build the index and then turn memberships into rows chunk by chunk.
 */
import { emptyContact, membershipKey, type Account, type Contact, type Deal, type Membership, type Note } from '../model';

export interface ExportRow {
  membership: Membership;
  contact: Contact;
  account?: Account;
  deal?: Deal;
  /** Name of the contact this one reports to. */
  reportsToName?: string;
  /** The newest non-deleted note about this contact on this committee or on no committee. */
  latestNote?: Note;
  /** Non-deleted notes counted the same way. */
  noteCount: number;
}

export interface ExportTables {
  contacts: Iterable<Contact>;
  accounts: Iterable<Account>;
  deals: Iterable<Deal>;
  memberships: Iterable<Membership>;
  notes: Iterable<Note>;
}

interface NoteTally {
  count: number;
  latest?: Note;
}

function newer(a: Note | undefined, b: Note | undefined): Note | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? a : b;
  return a.key > b.key ? a : b;
}

function byKey<T extends { key: string; deleted?: boolean }>(rows: Iterable<T>): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) if (!row.deleted) map.set(row.key, row);
  return map;
}

export interface ExportIndex {
  /** The export row of a membership, or null when the membership or its contact is deleted. */
  row(membership: Membership): ExportRow | null;
}

/** Index the tables a membership row is joined with (everything but the memberships). */
export function createExportIndex(tables: Omit<ExportTables, 'memberships'>): ExportIndex {
  const contacts = byKey(tables.contacts);
  const accounts = byKey(tables.accounts);
  const deals = byKey(tables.deals);
  // Notes are tallied per contact (general notes) and per contact on one committee.
  const tallies = new Map<string, NoteTally>();
  const tally = (id: string, note: Note) => {
    const t = tallies.get(id) ?? { count: 0 };
    t.count++;
    t.latest = newer(t.latest, note);
    tallies.set(id, t);
  };
  for (const note of tables.notes) {
    if (note.deleted) continue;
    tally(note.committeeKey === null ? note.contactKey : membershipKey(note.committeeKey, note.contactKey), note);
  }
  const deletedContacts = new Set<string>();
  for (const c of tables.contacts) if (c.deleted) deletedContacts.add(c.key);

  return {
    row(membership) {
      if (membership.deleted || deletedContacts.has(membership.contactKey)) return null;
      const contact = contacts.get(membership.contactKey) ?? emptyContact(membership.contactKey);
      const general = tallies.get(membership.contactKey);
      const specific = tallies.get(membership.key);
      const row: ExportRow = {
        membership,
        contact,
        noteCount: (general?.count ?? 0) + (specific?.count ?? 0),
      };
      const accountKey = membership.accountKey ?? contact.accountKey;
      const account = accountKey ? accounts.get(accountKey) : undefined;
      if (account) row.account = account;
      const deal = membership.dealKey ? deals.get(membership.dealKey) : undefined;
      if (deal) row.deal = deal;
      const boss = contact.reportsTo ? contacts.get(contact.reportsTo) : undefined;
      if (boss) row.reportsToName = boss.name;
      const latest = newer(general?.latest, specific?.latest);
      if (latest) row.latestNote = latest;
      return row;
    },
  };
}

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * Export order: by account (a committee with no account by its own key), then by committee, then by person
 * within it. It is the order the store keeps memberships in (storage/tables.ts), so a whole-store export
 * walks the store's records as they are.
 */
export function byAccountCommitteeContact(a: Membership, b: Membership): number {
  return compare(a.accountKey ?? a.committeeKey, b.accountKey ?? b.committeeKey) || compare(a.committeeKey, b.committeeKey) || compare(a.key, b.key);
}

/** Every live membership as an export row, by account, committee, then person. */
export function buildExportRows(tables: ExportTables): ExportRow[] {
  const index = createExportIndex(tables);
  const memberships = [...tables.memberships].sort(byAccountCommitteeContact);
  const rows: ExportRow[] = [];
  for (const m of memberships) {
    const row = index.row(m);
    if (row) rows.push(row);
  }
  return rows;
}

/** The newest change of the membership or its contact, as ISO 8601 UTC; '' when never changed. */
export function lastChanged(row: ExportRow): string {
  const at = Math.max(row.membership.updatedAt, row.contact.updatedAt);
  return at > 0 ? new Date(at).toISOString() : '';
}
