/** Rows stored grouped (storage/tables.ts): memberships per account, accounts with their people and deals per account. Rows in, rows out, whatever the records hold. */
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type CommitteeDb } from '../../storage/db';
import { groupRows, MASK_FIELDS, membersIn, groupedRows, groupedTable, HOME_BUCKETS, homeBucket, membershipTable, putGrouped, rowTable, type MembershipTable } from '../../storage/tables';
import { committeeOf, personOf } from '../../domain/ids';
import { emptyContact, emptyMembership, membershipKey, TABLE_FIELDS, type Account, type Contact, type Deal, type Membership } from '../../domain/model';
import { hsKey, sfKey } from './helpers/keys';

const [acme, beta] = [sfKey('account', 1), sfKey('account', 2)];
const [deal, otherDeal] = [sfKey('opportunity', 1), sfKey('opportunity', 2)];
const [ann, ben, cai] = [sfKey('contact', 1), sfKey('contact', 2), sfKey('contact', 3)];

const member = (committee: string, contact: string, accountKey: string | null, extra: Partial<Membership> = {}): Membership => ({
  ...emptyMembership(membershipKey(committee, contact), accountKey),
  updatedAt: 1,
  ...extra,
});

let db: CommitteeDb;
let rows: MembershipTable;
beforeEach(async () => {
  db = openDb(`tables-${crypto.randomUUID()}`);
  await db.open();
  rows = membershipTable(db);
});

describe('memberships in their accounts\' records', () => {
  it('names the committee and person of a key, even where one committee key begins another', () => {
    const [short, long] = [hsKey('deal', 4), hsKey('deal', 45)];
    expect(committeeOf(membershipKey(short, ann))).toBe(short);
    expect(committeeOf(membershipKey(long, ann))).toBe(long);
    expect(personOf(membershipKey(long, ann))).toBe(ann);
  });

  it('merges a write into the stored record: other members kept, the same key replaced, members in key order', async () => {
    await rows.bulkPut([member(deal, ben, acme), member(deal, ann, acme)]);
    await rows.put(member(deal, ann, acme, { roles: ['champion'], updatedAt: 2 }));
    await rows.put(member(deal, cai, acme));
    const record = (await db.memberGroups.get(acme))!;
    expect(membersIn(record).map((m) => m.key)).toEqual([ann, ben, cai].map((c) => membershipKey(deal, c)).sort());
    expect(membersIn(record).find((m) => m.key === membershipKey(deal, ann))!.roles).toEqual(['champion']);
    expect(record.contactKeys).toEqual([ann, ben, cai].sort());
    expect(record.committeeKeys).toEqual([deal]);
    expect(await db.memberGroups.count()).toBe(1);
    expect(await rows.count()).toBe(3);
  });

  it('reads rows by key, absent ones as undefined, in the order asked', async () => {
    await rows.bulkPut([member(deal, ann, acme), member(otherDeal, ben, beta)]);
    const keys = [membershipKey(otherDeal, ben), membershipKey(deal, cai), membershipKey(deal, ann), membershipKey(sfKey('opportunity', 9), ann)];
    expect((await rows.bulkGet(keys)).map((m) => m?.key)).toEqual([keys[0], undefined, keys[2], undefined]);
    expect((await rows.present(keys)).map((m) => m.key).sort()).toEqual([keys[0], keys[2]].sort());
    expect(await rows.get(membershipKey(deal, ben))).toBeUndefined();
  });

  it('finds a person\'s memberships across committees, and an account\'s, leaving out other people and accounts in the same records', async () => {
    await rows.bulkPut([member(deal, ann, acme), member(deal, ben, beta), member(otherDeal, ann, beta), member(acme, cai, acme)]);
    expect((await rows.ofContacts([ann])).map((m) => m.key).sort()).toEqual([membershipKey(deal, ann), membershipKey(otherDeal, ann)].sort());
    expect(await rows.ofContacts([])).toEqual([]);
    expect((await rows.ofAccount(acme)).map((m) => m.key).sort()).toEqual([membershipKey(deal, ann), membershipKey(acme, cai)].sort());
    expect((await rows.ofCommittees([deal, acme])).map((m) => m.key).sort()).toEqual([membershipKey(deal, ann), membershipKey(deal, ben), membershipKey(acme, cai)].sort());
  });

  it('finds an account\'s committees\' memberships once each: its own, its deals\' (whatever account they name) and any naming it', async () => {
    const foreign = sfKey('opportunity', 7);
    await rows.bulkPut([member(acme, ann, acme), member(deal, ben, beta), member(deal, cai, acme), member(foreign, ann, acme), member(otherDeal, ben, beta)]);
    const found = await rows.ofAccountCommittees(acme, [deal]);
    expect(found.map((m) => m.key).sort()).toEqual([membershipKey(acme, ann), membershipKey(deal, ben), membershipKey(deal, cai), membershipKey(foreign, ann)].sort());
  });

  it('moves a membership to the other account\'s record when its account changes, and keeps tombstones', async () => {
    await rows.bulkPut([member(deal, ann, acme), member(deal, ben, acme), member(acme, cai, acme)]);
    await rows.put(member(deal, ann, beta, { deleted: true, updatedAt: 3 }));
    expect((await rows.ofAccount(acme)).map((m) => m.key).sort()).toEqual([membershipKey(deal, ben), membershipKey(acme, cai)].sort());
    expect(await rows.ofAccount(beta)).toEqual([expect.objectContaining({ key: membershipKey(deal, ann), deleted: true })]);
    expect((await rows.ofCommittees([deal])).map((m) => m.key).sort()).toEqual([membershipKey(deal, ann), membershipKey(deal, ben)].sort());
    expect((await db.memberGroups.get(acme))!.contactKeys).toEqual([ben, cai].sort());
    expect((await db.memberGroups.get(beta))!.committeeKeys).toEqual([deal]);
    expect(await rows.count()).toBe(3);
  });

  it('keeps a committee with no account in a record of its own, and drops a record left empty', async () => {
    await rows.bulkPut([member(deal, ann, null), member(deal, ben, null)]);
    expect((await db.memberGroups.toArray()).map((r) => [r.key, r.members.length])).toEqual([[deal, 2]]);
    await rows.bulkPut([member(deal, ann, acme), member(deal, ben, acme)]);
    expect((await db.memberGroups.toArray()).map((r) => [r.key, r.members.length])).toEqual([[acme, 2]]);
    expect((await rows.ofContacts([ann, ben])).map((m) => m.accountKey)).toEqual([acme, acme]);
  });

  it('stores a membership without its empty fields and with the fields changed at its last update as a bit mask, and reads it back exactly', async () => {
    const tagged = member(deal, ann, acme, {
      roles: ['champion'],
      authority: 'verified',
      influence: 'high',
      evidence: { sold_internally: 4 },
      verified: { roles: 5 },
      updatedAt: 6,
      changed: { roles: 6, authority: 6, influence: 2, evidence: 4 },
    });
    const untouched = member(deal, ben, acme);
    await rows.bulkPut([tagged, untouched]);
    const record = (await db.memberGroups.get(acme))!;
    const [a, b] = record.members;
    // roles and authority changed at 6: bits 1 and 4 of the membership mask (stored data: the bits never move)
    expect(a).toEqual({ c: 0, p: record.contactKeys.indexOf(ann), roles: ['champion'], authority: 'verified', influence: 'high', evidence: { sold_internally: 4 }, verified: { roles: 5 }, at: 6, now: 0b10010, changed: { influence: 2, evidence: 4 } });
    expect(b).toEqual({ c: 0, p: record.contactKeys.indexOf(ben), at: 1 });
    expect(await rows.toArray()).toEqual([tagged, untouched]);
  });

  it('stores each membership without the fields its key and record say, and reads every row back as written, odd ones included', async () => {
    const odd = [
      { ...member(acme, ann, acme), accountKey: null }, // an account's committee whose row names no account: its record is the account's key
      { ...member(deal, ben, acme), dealKey: null }, // a deal's committee whose row names no deal
      member(otherDeal, cai, null), // no account: a record of the committee's own
    ];
    const plain = [member(deal, ann, acme), member(acme, ben, acme)];
    await rows.bulkPut([...plain, ...odd]);
    // A stored membership's key: its committee's and person's positions in the record's key lists.
    const byKey = new Map((await db.memberGroups.toArray()).flatMap((r) => r.members.map((m) => [membershipKey(r.committeeKeys[m.c]!, r.contactKeys[m.p]!), m] as const)));
    for (const m of plain) expect(byKey.get(m.key)).not.toHaveProperty('committeeKey');
    for (const f of ['committeeKey', 'contactKey', 'dealKey', 'accountKey']) expect(byKey.get(membershipKey(deal, ann))).not.toHaveProperty(f);
    expect(byKey.get(membershipKey(acme, ann))).toMatchObject({ accountKey: null });
    expect(byKey.get(membershipKey(deal, ben))).toMatchObject({ dealKey: null });
    expect(byKey.get(membershipKey(otherDeal, cai))).not.toHaveProperty('accountKey');
    const back = new Map((await rows.toArray()).map((m) => [m.key, m]));
    for (const m of [...plain, ...odd]) expect(back.get(m.key)).toEqual(m);
    expect((await rows.ofContacts([ann])).map((m) => m.accountKey).sort()).toEqual([acme, null].sort());
  });

  it('writes and reads many accounts at once (past the key-scan threshold) the same as a few', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => member(sfKey('opportunity', 100 + i), sfKey('contact', 100 + (i % 50)), sfKey('account', 100 + i)));
    await rows.bulkPut(many.slice(0, 1200));
    await rows.bulkPut(many); // half of them already stored: merged, not doubled
    expect(await db.memberGroups.count()).toBe(2500);
    expect(await rows.count()).toBe(2500);
    const asked = [...many.map((m) => m.key), membershipKey(sfKey('opportunity', 99_999), ann)];
    expect((await rows.present(asked)).length).toBe(2500);
    expect((await rows.toArray()).map((m) => m.key).sort()).toEqual(many.map((m) => m.key).sort());
  }, 20_000); // 2,500 records through fake-indexeddb: about 3 s here, more on a loaded machine

  it('pages through the records in key order, each page as asked', async () => {
    const accounts = Array.from({ length: 7 }, (_, i) => sfKey('account', 10 + i));
    await rows.bulkPut(accounts.map((a, i) => member(sfKey('opportunity', 10 + i), ann, a)));
    const pages: string[][] = [];
    for await (const page of rows.pages(3)) pages.push(page.map((r) => r.key));
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...accounts].sort());
  });

  it('gives the other synced tables the same interface over their own store', async () => {
    const contacts = rowTable(db, 'contacts');
    expect(await contacts.present([ann])).toEqual([]);
    await contacts.put({ key: ann, name: 'Ann', updatedAt: 1, changed: {} } as never);
    expect((await contacts.get(ann))?.key).toBe(ann);
    expect(await contacts.count()).toBe(1);
  });
});

const person = (key: string, accountKey: string | null, extra: Partial<Contact> = {}): Contact => ({ ...emptyContact(key), name: key.slice(-3), accountKey, updatedAt: 1, ...extra });
const company = (key: string, name = 'Acme'): Account => ({ key, name, segment: null, updatedAt: 1, changed: {} });
const opportunity = (key: string, accountKey: string | null): Deal => ({ key, name: 'Deal', accountKey, stage: null, updatedAt: 1, changed: {} });
/** Which record holds each person and deal, as the `homes` store says. */
async function homes() {
  const out: Record<string, string> = {};
  for (const b of await db.homes.toArray()) Object.assign(out, b.homes);
  return out;
}

describe('accounts, people and deals in account records', () => {
  it('keeps an account with its people and deals in one record; people and deals with no account in their own', async () => {
    await putGrouped(db, { accounts: [company(acme)], contacts: [person(ann, acme), person(ben, acme), person(cai, null)], deals: [opportunity(deal, acme), opportunity(otherDeal, null)] });
    const records = await db.accountGroups.toArray();
    expect(records.map((record) => [record.key, groupRows(record)] as const).map(([key, r]) => [key, r.account?.key, r.contacts.map((c) => c.key), r.deals.map((d) => d.key)])).toEqual(
      expect.arrayContaining([
        [acme, acme, [ann, ben].sort(), [deal]],
        [cai, undefined, [cai], []],
        [otherDeal, undefined, [], [otherDeal]],
      ]),
    );
    expect(records).toHaveLength(3);
    expect(await homes()).toEqual({ [ann]: acme, [ben]: acme, [cai]: cai, [deal]: acme, [otherDeal]: otherDeal });
    expect((await groupedTable(db, 'contacts').bulkGet([cai, ann, sfKey('contact', 99)])).map((c) => c?.key)).toEqual([cai, ann, undefined]);
    expect((await groupedTable(db, 'deals').ofAccount(acme)).map((d) => d.key)).toEqual([deal]);
    expect((await groupedTable(db, 'accounts').get(acme))?.name).toBe('Acme');
    expect(await groupedTable(db, 'accounts').get(ann)).toBeUndefined();
  });

  it('moves a person or deal whose account changed out of the record it was in, and drops a record left empty', async () => {
    await putGrouped(db, { contacts: [person(ann, acme), person(ben, acme), person(cai, null)], deals: [opportunity(deal, acme)] });
    const contacts = groupedTable(db, 'contacts');
    await contacts.put(person(ann, beta, { name: 'Ann moved', updatedAt: 2 }));
    await contacts.put(person(cai, acme));
    await groupedTable(db, 'deals').put(opportunity(deal, null));
    expect((await contacts.ofAccount(acme)).map((c) => c.key)).toEqual([ben, cai].sort());
    expect((await contacts.ofAccount(beta)).map((c) => c.name)).toEqual(['Ann moved']);
    expect(await db.accountGroups.get(cai)).toBeUndefined(); // cai's own record, now empty
    expect(groupRows((await db.accountGroups.get(deal))!).deals.map((d) => d.key)).toEqual([deal]);
    expect(await homes()).toEqual({ [ann]: beta, [ben]: acme, [cai]: acme, [deal]: deal });
    // Every row exactly once, wherever it is.
    const all = await groupedRows(db);
    expect(all.contacts.map((c) => c.key).sort()).toEqual([ann, ben, cai].sort());
    expect(all.deals.map((d) => d.key)).toEqual([deal]);
  });

  it('writes an account without touching its people, and a person of an account not stored yet', async () => {
    await putGrouped(db, { contacts: [person(ann, acme)] });
    expect(await groupedTable(db, 'accounts').get(acme)).toBeUndefined();
    await groupedTable(db, 'accounts').put(company(acme, 'Acme Ltd'));
    const record = groupRows((await db.accountGroups.get(acme))!);
    expect(record.account?.name).toBe('Acme Ltd');
    expect(record.contacts.map((c) => c.key)).toEqual([ann]);
  });

  it('stores accounts, people and deals packed, without what their keys and record say, and reads every row back as written, odd ones included', async () => {
    const account: Account = { ...company(acme, 'Acme'), segment: 'key_account', updatedAt: 7, changed: { name: 3, segment: 7 } };
    const plain = person(ann, acme, { title: 'CFO', updatedAt: 5, changed: { title: 5, name: 5, accountKey: 5 } });
    const odd = [
      person(ben, acme, { department: 'IT', updatedAt: 6, changed: { department: 6, legacyField: 6, name: 2 } }), // a change time of a field the mask does not name
      person(cai, null, { deleted: true, updatedAt: 4, changed: { name: 4 } }), // no account: a record of its own; a tombstone
      { ...person(sfKey('contact', 40), acme), crm: 'hubspot', org: 'other' } as Contact, // a row disagreeing with its key
      { ...emptyContact(hsKey('contact', 41)), accountKey: acme, name: 'HubSpot person', updatedAt: 0 }, // never changed
    ];
    const deals = [{ ...opportunity(deal, acme), stage: 'evaluation', updatedAt: 8, changed: { stage: 8, name: 1 } } as Deal, opportunity(otherDeal, null)];
    await putGrouped(db, { accounts: [account], contacts: [plain, ...odd], deals });
    const record = (await db.accountGroups.get(acme))!;
    // name and segment are bits 0 and 1 of the account mask; a person's name, title and account bits 0, 1 and 3
    expect(record.account).toEqual({ name: 'Acme', segment: 'key_account', at: 7, now: 0b10, changed: { name: 3 } });
    expect(record.people.find((p) => p.key === ann)).toEqual({ key: ann, name: ann.slice(-3), title: 'CFO', at: 5, now: 0b1011 });
    expect(record.people.find((p) => p.key === ben)).toMatchObject({ now: 0b10000, changed: { legacyField: 6, name: 2 } });
    expect(record.deals).toEqual([{ key: deal, name: 'Deal', stage: 'evaluation', at: 8, now: 0b100, changed: { name: 1 } }]);
    const all = await groupedRows(db);
    const byKey = new Map<string, unknown>([...all.accounts, ...all.contacts, ...all.deals].map((r) => [r.key, r]));
    for (const row of [account, plain, ...odd, ...deals]) expect(byKey.get(row.key)).toEqual(row);
    expect(byKey.size).toBe(1 + 1 + odd.length + deals.length);
  });

  it('names in a change mask only fields of the table, and stores no row field under a name packing uses', () => {
    for (const [table, fields] of Object.entries(MASK_FIELDS)) {
      const shape = Object.keys(TABLE_FIELDS[table as keyof typeof MASK_FIELDS].shape);
      expect(fields.filter((f) => !shape.includes(f)), table).toEqual([]);
      // a field added to a table is added to its mask (appended: stored masks keep their bits)
      expect(shape.filter((f) => !fields.includes(f)), table).toEqual([]);
      for (const f of [...shape, 'key', 'updatedAt', 'changed', 'deleted', 'crm', 'org', 'object', 'committeeKey', 'contactKey', 'dealKey']) expect(['at', 'now', 'changedNow', 'c', 'p']).not.toContain(f);
    }
  });

  it('spreads homes over a fixed number of buckets, each bucket stable for a key', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => sfKey('contact', i));
    const buckets = new Set(keys.map(homeBucket));
    expect(buckets.size).toBe(HOME_BUCKETS);
    expect([...buckets].every((b) => b >= 0 && b < HOME_BUCKETS)).toBe(true);
    expect(homeBucket(ann)).toBe(homeBucket(ann));
  });
});
