/** Read queries over the local store; each uses an index (see db.ts). */
import type { CommitteeView, ContactView } from '../domain/protocol';
import type { Account, Contact, Deal, Membership, Note } from '../domain/model';
import { kindOf, parseRecordKey } from '../domain/ids';
import type { CommitteeDb } from './db';

const alive = <T extends { deleted?: boolean }>(rows: T[]) => rows.filter((r) => !r.deleted);

function byCreated(a: Note, b: Note) {
  return b.createdAt - a.createdAt || (a.key < b.key ? -1 : 1);
}

export async function contactsByKey(db: CommitteeDb, keys: Iterable<string>): Promise<Record<string, Contact>> {
  const unique = [...new Set(keys)];
  const out: Record<string, Contact> = {};
  if (unique.length === 0) return out; // an account's view usually has every person already
  const rows = await db.contacts.bulkGet(unique);
  for (const row of rows) if (row && !row.deleted) out[row.key] = row;
  return out;
}

/** Notes of some contacts, newest first, tombstones included (the timeline shows them). */
export async function notesOf(db: CommitteeDb, contactKeys: string[]): Promise<Note[]> {
  if (contactKeys.length === 0) return [];
  // One index read per contact, issued together (anyOf walks a cursor: one round trip per step).
  const notes = await Promise.all([...new Set(contactKeys)].map((k) => db.notes.where('contactKey').equals(k).toArray()));
  return notes.flat().sort(byCreated);
}

/** The memberships of one committee (an account's or a deal's). */
export async function committeeMembers(db: CommitteeDb, committeeKey: string): Promise<Membership[]> {
  return alive(await db.memberships.where('committeeKey').equals(committeeKey).toArray());
}

/**
 * One committee with everything a view shows. For an account, `members` also holds the memberships
 * of the account's deal committees (their committeeKey says which), so the account view is the union.
 * One read transaction, with the independent lookups issued together.
 */
export async function committeeView(db: CommitteeDb, committeeKey: string): Promise<CommitteeView> {
  const ref = parseRecordKey(committeeKey);
  const isAccount = ref !== null && kindOf(ref.object) === 'account';
  return db.transaction('r', [db.deals, db.accounts, db.memberships, db.contacts, db.notes], async () => {
    const ofAccount = (key: string | null): Promise<[Account | undefined, Contact[], Deal[]]> =>
      key ? Promise.all([db.accounts.get(key), db.contacts.where('accountKey').equals(key).toArray(), db.deals.where('accountKey').equals(key).toArray()]) : Promise.resolve([undefined, [], []]);
    let deal: Deal | undefined;
    let members: Membership[];
    let around: [Account | undefined, Contact[], Deal[]];
    if (isAccount) {
      const [own, viaDeals, accountRows] = await Promise.all([committeeMembers(db, committeeKey), db.memberships.where('accountKey').equals(committeeKey).toArray(), ofAccount(committeeKey)]);
      members = own.concat(alive(viaDeals).filter((m) => m.dealKey));
      around = accountRows;
    } else {
      [deal, members] = await Promise.all([db.deals.get(committeeKey), committeeMembers(db, committeeKey)]);
      around = await ofAccount(deal?.accountKey ?? null);
    }
    const [account, people, deals] = around;
    const contactKeys = [...new Set(members.map((m) => m.contactKey))];
    const contacts: Record<string, Contact> = {};
    for (const p of alive(people)) contacts[p.key] = p;
    const [others, notes] = await Promise.all([contactsByKey(db, contactKeys.filter((k) => !contacts[k])), notesOf(db, contactKeys)]);
    Object.assign(contacts, others);
    return { committeeKey, account: account ?? null, deal: deal && !deal.deleted ? deal : null, deals: alive(deals), members, contacts, notes };
  });
}

export async function contactView(db: CommitteeDb, contactKey: string): Promise<ContactView> {
  const [contact, memberships, notes] = await Promise.all([
    db.contacts.get(contactKey),
    db.memberships.where('contactKey').equals(contactKey).toArray(),
    notesOf(db, [contactKey]),
  ]);
  return { contact: contact && !contact.deleted ? contact : null, memberships: alive(memberships), notes };
}
