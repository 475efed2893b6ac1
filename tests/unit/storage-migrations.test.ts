/**
 * Schema upgrade harness: every schema version ships with this check — data written at the previous
 * version is all there after opening with the next. Add the seed rows a new version's upgrade
 * touches to SEEDS when you add a version.
 */
import { describe, expect, it } from 'vitest';
import Dexie, { type Transaction } from 'dexie';
import { openDb, SCHEMA_VERSIONS, type SchemaVersion } from '../../storage/db';
import { commit } from '../../storage/writes';
import { emptyContact, emptyMembership, membershipKey, type Contact, type Deal, type Membership } from '../../domain/model';
import { accountGroup, byCommittee, committeeRecord, groupedRows, groupRecords, groupRows, homeBuckets, MASK_FIELDS, isMemberGroupV8, memberGroups, membersIn, membersInV8, membershipTable, putGrouped, type GroupedRows } from '../../storage/tables';
import type { AccountGroup, AccountGroupV9, CommitteeRecord, MemberGroup, MemberGroupV8, StoredMember, StoredMemberV8 } from '../../storage/db';
import { committeeView, contactView } from '../../storage/queries';
import { sfKey } from './helpers/keys';

const account = sfKey('account', 7);
const alice = sfKey('contact', 7);
const bob = sfKey('contact', 8);
const deal = sfKey('opportunity', 7);

/** The rows every upgrade must keep, as the current version writes them (through the one write path). */
async function rows(): Promise<Record<string, unknown[]>> {
  const name = `mig-ref-${crypto.randomUUID()}`;
  const db = openDb(name);
  await commit(db, [
    { name: 'put', table: 'accounts', key: account, fields: { name: '华东制造', segment: 'key_account' }, at: 1 },
    { name: 'put', table: 'contacts', key: alice, fields: { name: '王丽', department: '仓管' }, at: 2 },
    { name: 'put', table: 'memberships', key: membershipKey(account, alice), fields: { roles: ['user'], accountKey: account }, at: 3 },
    { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { roles: ['decision_maker'], accountKey: account }, at: 3 },
    { name: 'put', table: 'memberships', key: membershipKey(deal, bob), fields: { roles: ['user'], accountKey: account }, at: 3 },
    { name: 'put', table: 'notes', key: 'note-mig-1', fields: { contactKey: alice, committeeKey: account, text: '担心数据透明', author: 'Lin', createdAt: 4 }, at: 4 },
  ]);
  await db.meta.put({ key: 'settings', value: { language: 'zh' } });
  const out = await dump(db);
  db.close();
  await Dexie.delete(name);
  return out;
}

/** Write the rows into a database at an older version, in the stores that version has. */
async function seed(db: ReturnType<typeof openDb>) {
  const stores = new Set(db.tables.map((t) => t.name));
  const all = await rows();
  for (const [table, list] of Object.entries(all)) {
    if (table === 'memberships') await seedMemberships(db, stores, list as Membership[]);
    else if (stores.has('accountGroups') && GROUPED.includes(table)) continue;
    else await db.table(table).bulkPut(list);
  }
  if (stores.has('accountGroups') && db.verno < PACKED_GROUPS) {
    const records = groupRecords(all as Parameters<typeof groupRecords>[0]);
    await db.table('accountGroups').bulkPut(records.map(recordV9));
    await db.table('homes').bulkPut(homeBuckets(records));
  } else if (stores.has('accountGroups')) await putGrouped(db, all as GroupedRows);
}

/** The first version that stores account records packed, and change masks (`PackedRow`). */
const PACKED_GROUPS = 10;

/** An account's record as versions 5 to 9 wrote it: its rows whole. */
const recordV9 = (record: AccountGroup): AccountGroupV9 => ({ key: record.key, ...groupRows(record) });

/** A member record as version 9 wrote it: `updatedAt` and the fields changed then by name. */
function membersV9(record: MemberGroup): MemberGroup {
  const members = record.members.map(({ at, now, ...rest }) => {
    const changedNow = MASK_FIELDS.memberships.filter((_, bit) => (now ?? 0) & (1 << bit));
    return { ...rest, ...(at !== undefined ? { updatedAt: at } : {}), ...(changedNow.length ? { changedNow } : {}) } as StoredMember;
  });
  return { ...record, members };
}

const GROUPED = ['accounts', 'contacts', 'deals'];

/** The first version that stores memberships compactly (`StoredMember`); 7 and 8 stored `StoredMemberV8`. */
const COMPACT_MEMBERS = 9;

/** A member record as versions 7 and 8 wrote it: each membership with its key, without the fields its key and record say. */
function recordV8(record: MemberGroup, rows: Membership[]): MemberGroupV8 {
  const members = rows.map(({ committeeKey, contactKey, dealKey, accountKey, ...rest }) => {
    const said = membersInV8({ ...record, members: [rest] })[0]!;
    const out: StoredMemberV8 = { ...rest };
    if (said.committeeKey !== committeeKey) out.committeeKey = committeeKey;
    if (said.contactKey !== contactKey) out.contactKey = contactKey;
    if (said.dealKey !== dealKey) out.dealKey = dealKey;
    if (said.accountKey !== accountKey) out.accountKey = accountKey;
    return out;
  });
  return { ...record, members };
}

/** Memberships as the version stores them: per account (7 on; compactly from 9, with change masks from 10), per committee (3 to 6), or a record each. */
async function seedMemberships(db: ReturnType<typeof openDb>, stores: Set<string>, list: Membership[]) {
  if (stores.has('memberGroups') && db.verno < COMPACT_MEMBERS) await db.table('memberGroups').bulkPut(memberGroups(list).map((r) => recordV8(r, membersIn(r))));
  else if (stores.has('memberGroups') && db.verno < PACKED_GROUPS) await db.table('memberGroups').bulkPut(memberGroups(list).map(membersV9));
  else if (stores.has('memberGroups')) await membershipTable(db).bulkPut(list);
  else if (stores.has('committees')) await db.table('committees').bulkPut([...byCommittee(list)].map(([key, members]) => committeeRecord(key, members)));
  else await db.table('memberships').bulkPut(list);
}
/** The store a version keeps its memberships in. */
const membershipStore = (stores: Set<string>) => (stores.has('memberGroups') ? 'memberGroups' : stores.has('committees') ? 'committees' : 'memberships');

/** Every row by table as the code reads it (memberships from their committees' records where the version has them). */
async function dump(db: ReturnType<typeof openDb>) {
  const out: Record<string, unknown[]> = {};
  const stores = new Set(db.tables.map((t) => t.name));
  for (const table of db.tables) {
    if (['memberships', 'committees', 'memberGroups'].includes(table.name)) {
      if (table.name !== membershipStore(stores)) continue;
      // Before version 9 a record is in the old form, except one written by version 7's upgrade (today's code).
      if (table.name === 'memberGroups' && db.verno < COMPACT_MEMBERS) out.memberships = ((await table.toArray()) as (MemberGroup | MemberGroupV8)[]).flatMap((r) => (isMemberGroupV8(r) ? membersInV8(r) : membersIn(r)));
      else if (table.name === 'memberGroups') out.memberships = await membershipTable(db).toArray();
      else if (table.name === 'committees') out.memberships = ((await table.toArray()) as CommitteeRecord[]).flatMap((r) => r.members);
      else out.memberships = await table.toArray();
    } else if (table.name === 'accountGroups') Object.assign(out, await groupedRows(db));
    else if (table.name === 'homes') continue;
    else out[table.name] = await table.toArray();
  }
  return out;
}

/** A store seeded at the first `count` versions (with `prepare`'s own writes), opened by the latest for `check`, then deleted. */
async function afterUpgrade(count: number, check: (after: ReturnType<typeof openDb>) => Promise<void>, prepare: (before: ReturnType<typeof openDb>) => Promise<void> = async () => {}) {
  const name = `mig-${crypto.randomUUID()}`;
  const before = openDb(name, SCHEMA_VERSIONS.slice(0, count));
  await seed(before);
  await prepare(before);
  before.close();
  const after = openDb(name);
  try {
    await check(after);
  } finally {
    after.close();
    await Dexie.delete(name);
  }
}

/** Write at `from`, reopen at `to`, and return both dumps (the upgrade must lose nothing). */
async function upgrade(from: typeof SCHEMA_VERSIONS, to: typeof SCHEMA_VERSIONS) {
  const name = `mig-${crypto.randomUUID()}`;
  const before = openDb(name, from);
  await seed(before);
  const written = await dump(before);
  before.close();
  const after = openDb(name, to);
  await after.open();
  const read = await dump(after);
  after.close();
  await Dexie.delete(name);
  return { written, read };
}

describe('schema upgrades', () => {
  for (let i = 1; i < SCHEMA_VERSIONS.length; i++) {
    const from = SCHEMA_VERSIONS.slice(0, i);
    it(`v${from.at(-1)!.version} → v${SCHEMA_VERSIONS[i]!.version} keeps every row`, async () => {
      const { written, read } = await upgrade(from, SCHEMA_VERSIONS.slice(0, i + 1));
      for (const [table, rows] of Object.entries(written)) expect(read[table]).toEqual(expect.arrayContaining(rows));
    });
  }

  it('the harness catches an upgrade that loses data', async () => {
    const current = SCHEMA_VERSIONS.at(-1)!;
    const lossy = [...SCHEMA_VERSIONS, { version: current.version + 1, stores: { ...current.stores, notes: null as unknown as string } }];
    const { written, read } = await upgrade(SCHEMA_VERSIONS, lossy);
    expect(written.notes).toHaveLength(1);
    expect(read.notes).toBeUndefined();
  });

  it('v2 → latest moves the memberships of an account\'s committees into one record, findable by committee, person and account', async () => {
    const { written, read } = await upgrade(SCHEMA_VERSIONS.slice(0, 2), SCHEMA_VERSIONS);
    expect(written.memberships).toHaveLength(3);
    expect(read.memberships).toEqual(written.memberships);
    await afterUpgrade(2, async (after) => {
      const records = await after.memberGroups.toArray();
      expect(records.map((r) => [r.key, r.members.length, r.committeeKeys, r.contactKeys])).toEqual([[account, 3, [account, deal].sort(), [alice, bob].sort()]]);
      expect(after.tables.map((t) => t.name)).not.toContain('memberships');
      expect(after.tables.map((t) => t.name)).not.toContain('committees');
      const view = await committeeView(after, account);
      expect(view.members.map((m) => m.key).sort()).toEqual([membershipKey(account, alice), membershipKey(deal, alice), membershipKey(deal, bob)].sort());
      expect((await contactView(after, bob)).memberships.map((m) => m.key)).toEqual([membershipKey(deal, bob)]);
    });
  });

  it('v4 → v6 moves accounts, people and deals into one record per account, each person and deal findable by key', async () => {
    const renewal = async (before: ReturnType<typeof openDb>) => void (await before.table('deals').put({ key: deal, name: 'Renewal', accountKey: account, stage: null, updatedAt: 5, changed: {} }));
    await afterUpgrade(4, async (after) => {
      expect(after.tables.map((t) => t.name)).not.toContain('contacts');
      const records = await after.accountGroups.toArray();
      expect(records.map((record) => [record.key, groupRows(record)] as const).map(([key, r]) => [key, r.account?.name, r.contacts.map((c) => c.key), r.deals.map((d) => d.key)])).toEqual([[account, '华东制造', [], [deal]], [alice, undefined, [alice], []]]);
      const homes = Object.assign({}, ...(await after.homes.toArray()).map((b) => b.homes));
      expect(homes).toEqual({ [alice]: alice, [deal]: account });
      const view = await committeeView(after, deal);
      expect([view.account?.name, view.deal?.name, Object.keys(view.contacts)]).toEqual(['华东制造', 'Renewal', [alice]]);
      expect((await contactView(after, alice)).contact?.department).toBe('仓管');
    }, renewal);
  });

  it('v6 → v8 moves each committee\'s record into its account\'s member record; a committee with no account keeps a record of its own', async () => {
    const loose = sfKey('opportunity', 9);
    const stray: Membership = { ...emptyMembership(membershipKey(loose, bob), null), roles: ['user'], updatedAt: 6, changed: { roles: 6 } };
    const strayCommittee = async (before: ReturnType<typeof openDb>) => void (await before.table('committees').put(committeeRecord(loose, [stray])));
    await afterUpgrade(6, async (after) => {
      expect(after.tables.map((t) => t.name)).not.toContain('committees');
      const records = await after.memberGroups.toArray();
      expect(records.map((r) => [r.key, membersIn(r).map((m) => m.key).sort()])).toEqual([
        [account, [membershipKey(account, alice), membershipKey(deal, alice), membershipKey(deal, bob)].sort()],
        [loose, [membershipKey(loose, bob)]],
      ]);
      expect((await contactView(after, bob)).memberships.map((m) => m.key).sort()).toEqual([membershipKey(deal, bob), membershipKey(loose, bob)].sort());
      expect((await committeeView(after, loose)).members.map((m) => m.key)).toEqual([membershipKey(loose, bob)]);
    }, strayCommittee);
  });

  it('v8 → v9 stores each membership compactly, every field read back as it was, odd ones included', async () => {
    const odd: Membership = {
      ...emptyMembership(membershipKey(deal, bob), account),
      roles: ['champion', 'user'],
      stance: 'supportive',
      authority: 'verified',
      evidence: { access_to_decision_maker: 7 },
      verified: { roles: 8 },
      updatedAt: 9,
      changed: { roles: 9, stance: 5, evidence: 7 },
      dealKey: null, // a deal's committee whose row names no deal
    };
    const oddV8 = async (before: ReturnType<typeof openDb>) => {
      expect(before.verno).toBe(8);
      const [seeded] = (await before.table('memberGroups').toArray()) as MemberGroupV8[];
      const rows = membersInV8(seeded!).map((m) => (m.key === odd.key ? odd : m));
      await before.table('memberGroups').put(recordV8(memberGroups(rows)[0]!, rows));
    };
    await afterUpgrade(8, async (after) => {
      const stored = await after.memberGroups.toArray();
      for (const r of stored) for (const m of r.members) expect(m).not.toHaveProperty('key');
      const read = new Map((await membershipTable(after).toArray()).map((m) => [m.key, m]));
      expect(read.get(membershipKey(deal, bob))).toEqual(odd);
      expect(read.get(membershipKey(deal, alice))).toMatchObject({ roles: ['decision_maker'], accountKey: account, authority: 'unknown', evidence: {}, verified: {} });
      expect(read.size).toBe(3);
    }, oddV8);
  });

  it('v9 → v10 stores account records packed and change times as masks, every row read back as it was, odd ones included', async () => {
    const loose = sfKey('opportunity', 9);
    const odd = {
      contact: { ...emptyContact(bob), name: 'Bob', accountKey: account, updatedAt: 6, changed: { name: 6, legacyField: 6, title: 2 } } as Contact,
      deal: { key: loose, name: 'Loose', accountKey: null, stage: 'evaluation', updatedAt: 5, changed: { stage: 5 }, deleted: true } as Deal,
      member: { ...emptyMembership(membershipKey(deal, bob), account), roles: ['user'], stance: 'opposed', updatedAt: 9, changed: { roles: 9, stance: 4, legacyField: 9 } } as Membership,
    };
    const oddV9 = async (before: ReturnType<typeof openDb>) => {
      expect(before.verno).toBe(9);
      const records = groupRecords({ accounts: [], contacts: [odd.contact], deals: [odd.deal] });
      const stored = new Map(((await before.table('accountGroups').toArray()) as AccountGroupV9[]).map((r) => [r.key, r]));
      for (const r of records.map(recordV9)) {
        const had = stored.get(r.key);
        await before.table('accountGroups').put(had ? { ...had, contacts: [...had.contacts, ...r.contacts], deals: [...had.deals, ...r.deals] } : r);
      }
      await before.table('homes').bulkPut(homeBuckets([...stored.values()].map((r) => accountGroup(r.key, r.account, r.contacts, r.deals)).concat(records)));
      const [seeded] = (await before.table('memberGroups').toArray()) as MemberGroup[];
      const rows = membersIn(seeded!).map((m) => (m.key === odd.member.key ? odd.member : m));
      await before.table('memberGroups').put(membersV9(memberGroups(rows)[0]!));
    };
    const before = await rows();
    await afterUpgrade(9, async (after) => {
      for (const r of await after.accountGroups.toArray()) {
        expect(r).not.toHaveProperty('contacts');
        for (const row of [r.account, ...r.people, ...r.deals]) if (row) for (const f of ['updatedAt', 'changedNow', 'crm', 'accountKey']) expect(row).not.toHaveProperty(f);
      }
      for (const r of await after.memberGroups.toArray()) for (const m of r.members) for (const f of ['updatedAt', 'changedNow']) expect(m).not.toHaveProperty(f);
      const grouped = await groupedRows(after);
      expect(grouped.contacts).toEqual(expect.arrayContaining([odd.contact, ...(before.contacts as Contact[])]));
      expect(grouped.deals).toEqual([odd.deal]);
      expect(grouped.accounts).toEqual(before.accounts);
      const members = await membershipTable(after).toArray();
      expect(members).toContainEqual(odd.member);
      expect(members).toHaveLength(3);
      expect((await contactView(after, bob)).contact).toEqual(odd.contact);
    }, oddV9);
  });

  it('each upgrade is told which ran before it in the same upgrade; after versions 5 and 7 wrote every record, 9 and 10 read none', async () => {
    const seen: [number, number[]][] = [];
    const spied: SchemaVersion[] = SCHEMA_VERSIONS.map((v) => {
      const upgrade = v.upgrade;
      return upgrade ? { ...v, upgrade: (tx, earlier) => (seen.push([v.version, [...earlier]]), upgrade(tx, earlier)) } : v;
    });
    const name = `mig-${crypto.randomUUID()}`;
    const before = openDb(name, SCHEMA_VERSIONS.slice(0, 2));
    await seed(before);
    before.close();
    const after = openDb(name, spied);
    await after.open();
    after.close();
    await Dexie.delete(name);
    expect(seen).toEqual([[3, []], [5, [3]], [7, [3, 5]], [9, [3, 5, 7]], [10, [3, 5, 7, 9]]]);

    // The steps themselves, on a transaction that notes what is read.
    const read: string[] = [];
    const tx = { table: (table: string) => ({ toArray: async () => (read.push(table), []), bulkPut: async () => {} }) } as unknown as Transaction;
    const step = (version: number) => SCHEMA_VERSIONS.find((v) => v.version === version)!.upgrade!;
    await step(9)(tx, new Set([3, 5, 7]));
    await step(10)(tx, new Set([3, 5, 7, 9]));
    expect(read).toEqual([]);
    await step(9)(tx, new Set()); // a store of version 8: its member records are in the old form
    await step(10)(tx, new Set([9])); // a store of version 9 or 8: every record in the old form
    expect(read).toEqual(['memberGroups', 'accountGroups', 'memberGroups']);
  });

  it('a new index added in a later version is usable on old rows', async () => {
    const current = SCHEMA_VERSIONS.at(-1)!;
    const notes = SCHEMA_VERSIONS.findLast((v) => v.stores.notes)!.stores.notes!;
    const next = [...SCHEMA_VERSIONS, { version: current.version + 1, stores: { notes: notes + ', author' } }];
    const name = `mig-${crypto.randomUUID()}`;
    const before = openDb(name);
    await seed(before);
    before.close();
    const after = openDb(name, next);
    expect((await after.table('notes').where('author').equals('Lin').toArray()).map((n) => n.key)).toEqual(['note-mig-1']);
    after.close();
  });
});
