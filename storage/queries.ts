/** Read queries over the local store; each uses an index (see db.ts). */
import type { CommitteeView, ContactView } from '../domain/protocol';
import type { Contact, Membership, Note } from '../domain/model';
import { kindOf, parseRecordKey } from '../domain/ids';
import type { CommitteeDb } from './db';

const alive = <T extends { deleted?: boolean }>(rows: T[]) => rows.filter((r) => !r.deleted);

function byCreated(a: Note, b: Note) {
  return b.createdAt - a.createdAt || (a.key < b.key ? -1 : 1);
}

export async function contactsByKey(db: CommitteeDb, keys: Iterable<string>): Promise<Record<string, Contact>> {
  const unique = [...new Set(keys)];
  const rows = await db.contacts.bulkGet(unique);
  const out: Record<string, Contact> = {};
  for (const row of rows) if (row && !row.deleted) out[row.key] = row;
  return out;
}

/** Notes of some contacts, newest first, tombstones included (the timeline shows them). */
export async function notesOf(db: CommitteeDb, contactKeys: string[]): Promise<Note[]> {
  if (contactKeys.length === 0) return [];
  const notes = await db.notes.where('contactKey').anyOf(contactKeys).toArray();
  return notes.sort(byCreated);
}

/** The memberships of one committee (an account's or a deal's). */
export async function committeeMembers(db: CommitteeDb, committeeKey: string): Promise<Membership[]> {
  return alive(await db.memberships.where('committeeKey').equals(committeeKey).toArray());
}

/**
 * One committee with everything a view shows. For an account, `members` also holds the memberships
 * of the account's deal committees (their committeeKey says which), so the account view is the union.
 */
export async function committeeView(db: CommitteeDb, committeeKey: string): Promise<CommitteeView> {
  const ref = parseRecordKey(committeeKey);
  const isAccount = ref !== null && kindOf(ref.object) === 'account';
  const [deal, own] = await Promise.all([isAccount ? undefined : db.deals.get(committeeKey), committeeMembers(db, committeeKey)]);
  const accountKey = isAccount ? committeeKey : (deal?.accountKey ?? null);
  const account = accountKey ? ((await db.accounts.get(accountKey)) ?? null) : null;
  const members = isAccount
    ? own.concat(alive(await db.memberships.where('accountKey').equals(committeeKey).toArray()).filter((m) => m.dealKey))
    : own;
  const contactKeys = [...new Set(members.map((m) => m.contactKey))];
  const [contacts, notes, people, deals] = await Promise.all([
    contactsByKey(db, contactKeys),
    notesOf(db, contactKeys),
    accountKey ? db.contacts.where('accountKey').equals(accountKey).toArray() : [],
    accountKey ? db.deals.where('accountKey').equals(accountKey).toArray() : [],
  ]);
  for (const p of alive(people)) contacts[p.key] ??= p;
  return { committeeKey, account, deal: deal && !deal.deleted ? deal : null, deals: alive(deals), members, contacts, notes };
}

export async function contactView(db: CommitteeDb, contactKey: string): Promise<ContactView> {
  const [contact, memberships, notes] = await Promise.all([
    db.contacts.get(contactKey),
    db.memberships.where('contactKey').equals(contactKey).toArray(),
    notesOf(db, [contactKey]),
  ]);
  return { contact: contact && !contact.deleted ? contact : null, memberships: alive(memberships), notes };
}
