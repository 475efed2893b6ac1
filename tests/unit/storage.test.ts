import { beforeEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { serialize } from 'node:v8';
import { openDb, outboxRuns, packRun, unpackRun, type CommitteeDb, type OutboxEntry, type PackedRun } from '../../storage/db';
import { storePulled } from '../../storage/sync';
import { mutationSchema, type Mutation } from '../../domain/mutations';
import { validate } from '../../domain/validate';
import { commit, NEXT_MUTATION_ID } from '../../storage/writes';
import { acknowledge, pendingCount, readPushBatch } from '../../storage/outbox';
import { committeeView, contactView, personPanel } from '../../storage/queries';
import { emptyContact, membershipKey } from '../../domain/model';
import { applyImport } from '../../storage/transfer';
import { benchBackup } from '../bench/data';
import { sfKey } from './helpers/keys';
import { membershipTable, rowTable } from '../../storage/tables';

const account = sfKey('account', 1);
const deal = sfKey('opportunity', 1);
const alice = sfKey('contact', 1);
const bob = sfKey('contact', 2);

let db: CommitteeDb;
beforeEach(async () => {
  db = openDb(`test-${crypto.randomUUID()}`);
  await db.open();
});

async function counts() {
  return { memberships: await membershipTable(db).count(), contacts: await rowTable(db, 'contacts').count(), outbox: await pendingCount(db) };
}

describe('commit', () => {
  it('writes rows and outbox entries with increasing mutation ids from one client', async () => {
    await commit(db, [
      { name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice Wang', department: 'IT' }, at: 10 },
      { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { roles: ['decision_maker'], accountKey: account }, at: 11 },
    ]);
    await commit(db, [{ name: 'put', table: 'contacts', key: bob, fields: { name: 'Bob' }, at: 12 }]);
    const { clientId, entries } = await readPushBatch(db, 10);
    expect(entries.map((o) => o.mutationId)).toEqual([1, 2, 3]);
    expect(entries.map((o) => o.mutation.key)).toEqual([alice, membershipKey(deal, alice), bob]);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await db.outbox.count()).toBe(2); // one entry per write
    const m = await membershipTable(db).get(membershipKey(deal, alice));
    expect(m).toMatchObject({ committeeKey: deal, contactKey: alice, dealKey: deal, accountKey: account, roles: ['decision_maker'], authority: 'unknown' });
    expect(m!.changed).toEqual({ roles: 11, accountKey: 11 });
  });

  it.each([
    ['an unknown role', { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { roles: ['boss'] }, at: 1 }],
    ['an unknown stage', { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { stage: 'closing' }, at: 1 }],
    ['an unknown field', { name: 'put', table: 'contacts', key: alice, fields: { salary: 1 }, at: 1 }],
    ['a bad key', { name: 'put', table: 'contacts', key: 'salesforce:acme:contact:003XYZ', fields: { name: 'x' }, at: 1 }],
    ['a person key as committee', { name: 'put', table: 'memberships', key: membershipKey(bob, alice), fields: { roles: [] }, at: 1 }],
    ['duplicate roles', { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { roles: ['user', 'user'] }, at: 1 }],
    ['an empty patch', { name: 'put', table: 'contacts', key: alice, fields: {}, at: 1 }],
    ['a partial note', { name: 'put', table: 'notes', key: 'note-0001', fields: { text: 'hi' }, at: 1 }],
    ['an unknown table', { name: 'put', table: 'users', key: alice, fields: { name: 'x' }, at: 1 }],
    ['a negative time', { name: 'put', table: 'contacts', key: alice, fields: { name: 'x' }, at: -1 }],
  ])('rejects %s and leaves no row and no outbox entry', async (_, bad) => {
    const good = { name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice' }, at: 1 };
    await expect(commit(db, [good, bad])).rejects.toThrow();
    expect(await counts()).toEqual({ memberships: 0, contacts: 0, outbox: 0 });
  });

  it('rolls back everything when the transaction fails midway', async () => {
    const failing = () => {
      throw new Error('disk full');
    };
    db.memberGroups.hook('creating', failing);
    await expect(
      commit(db, [
        { name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice' }, at: 1 },
        { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { roles: ['user'] }, at: 2 },
      ]),
    ).rejects.toThrow(/disk full/);
    db.memberGroups.hook('creating').unsubscribe(failing);
    expect(await counts()).toEqual({ memberships: 0, contacts: 0, outbox: 0 });
    expect(await db.meta.get('nextMutationId')).toBeUndefined();
  });

  it('keeps notes append-only and deletes as visible tombstones', async () => {
    const note = { contactKey: alice, committeeKey: deal, text: 'Says he owns the budget', author: 'Lin', createdAt: 5 };
    await commit(db, [{ name: 'put', table: 'notes', key: 'note-0001', fields: note, at: 5 }]);
    const again = await commit(db, [{ name: 'put', table: 'notes', key: 'note-0001', fields: { ...note, text: 'rewritten' }, at: 6 }]);
    expect(again).toEqual([]);
    expect((await db.notes.get('note-0001'))!.text).toBe('Says he owns the budget');
    await commit(db, [{ name: 'delete', table: 'notes', key: 'note-0001', at: 7, by: 'Lin' }]);
    expect(await db.notes.get('note-0001')).toMatchObject({ deleted: true, text: '', deletedAt: 7, deletedBy: 'Lin' });
    // a tombstone is final: neither a put nor a second delete changes it
    expect(await commit(db, [{ name: 'delete', table: 'notes', key: 'note-0001', at: 8, by: 'x' }])).toEqual([]);
    expect(await pendingCount(db)).toBe(2);
  });

  it('deletes contacts as tombstones that later writes cannot revive', async () => {
    await commit(db, [{ name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice' }, at: 1 }]);
    await commit(db, [{ name: 'delete', table: 'contacts', key: alice, at: 2, by: '' }]);
    await commit(db, [{ name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice 2' }, at: 3 }]);
    expect(await rowTable(db, 'contacts').get(alice)).toMatchObject({ deleted: true, name: 'Alice' });
  });
});

describe('outbox runs', () => {
  const puts = (n: number) => Array.from({ length: n }, (_, i) => ({ name: 'put' as const, table: 'contacts' as const, key: sfKey('contact', i + 1), fields: { name: `P${i}` }, at: 1 }));

  it('stores a bulk write as runs, pushes it in batches across runs and acknowledges part of a run', async () => {
    await db.outbox.bulkAdd(outboxRuns('client-1', 1, puts(1200), 500));
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 1201 });
    expect(await db.outbox.count()).toBe(3);
    expect(await pendingCount(db)).toBe(1200);

    const first = await readPushBatch(db, 300);
    expect(first.entries.map((e) => e.mutationId)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(first.entries[299]!.mutation.key).toBe(sfKey('contact', 300));
    expect(await acknowledge(db, 300)).toBe(300);
    expect(await pendingCount(db)).toBe(900);

    const second = await readPushBatch(db, 500);
    expect(second.entries.map((e) => e.mutationId)).toEqual(Array.from({ length: 500 }, (_, i) => i + 301));
    expect(await acknowledge(db, 250)).toBe(0); // an old acknowledgement changes nothing
    expect(await acknowledge(db, 800)).toBe(500);
    expect((await readPushBatch(db, 1000)).entries.map((e) => e.mutation.key)).toEqual(puts(1200).slice(800).map((m) => m.key));
    expect(await acknowledge(db, 1200)).toBe(400);
    expect(await pendingCount(db)).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('stores a run packed, gives back the same mutations, and takes fewer bytes', () => {
    const mixed: Mutation[] = [
      { name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice', title: 'CFO', reportsTo: null }, at: 1 },
      { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { roles: ['decision_maker', 'user'], stance: 'champion', evidence: { access: 5 } }, at: 2 },
      { name: 'delete', table: 'contacts', key: bob, at: 3, by: 'Rep' },
      { name: 'put', table: 'contacts', key: bob, fields: { title: 'CTO', name: 'Bob' }, at: 4 },
      { name: 'put', table: 'contacts', key: sfKey('contact', 3), fields: { name: 'Carol', title: 'VP', reportsTo: alice }, at: 5 },
      { name: 'put', table: 'notes', key: crypto.randomUUID(), fields: { contactKey: alice, committeeKey: null, text: 'Met', author: '', createdAt: 6 }, at: 6 },
    ];
    const [entry] = outboxRuns('client-1', 7, mixed) as [OutboxEntry & { run: ReturnType<typeof packRun> }];
    expect(entry.run.tables).toEqual(['contacts', 'memberships', 'notes']);
    // Alice's and Carol's puts name the same fields in the same order: one shape; Bob's order differs.
    expect(entry.run.shapes).toHaveLength(4);
    expect(unpackRun(entry.run)).toEqual(mixed);
    // Field order survives (a push sends the fields as they were written).
    expect(Object.keys((unpackRun(entry.run)[3] as { fields: object }).fields)).toEqual(['title', 'name']);
    const many = puts(1000);
    expect(serialize(outboxRuns('client-1', 1, many)[0]).length).toBeLessThan(0.75 * serialize({ clientId: 'client-1', mutationId: 1, mutations: many }).length);
  });

  it('refuses a damaged packed run rather than pushing something else', () => {
    const run = packRun(puts(2));
    expect(() => unpackRun({ ...run, rows: [[5, alice, 1, 0, 'x']] })).toThrow(/names a table or fields/);
    expect(() => unpackRun({ ...run, rows: [[0, alice, 1, 9, 'x']] })).toThrow(/names a table or fields/);
  });

  it('still reads and acknowledges runs stored before as lists of mutations', async () => {
    await db.outbox.bulkAdd([{ clientId: 'client-1', mutationId: 1, mutations: puts(4) } as OutboxEntry, ...outboxRuns('client-1', 5, puts(6).slice(4))]);
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 7 });
    expect(await pendingCount(db)).toBe(6);
    expect((await readPushBatch(db, 10)).entries.map((e) => e.mutation)).toEqual(puts(6));
    expect(await acknowledge(db, 2)).toBe(2);
    const left = await db.outbox.toArray();
    expect('run' in left[0]!).toBe(true); // the rest of the old run, packed
    expect((await readPushBatch(db, 10)).entries.map((e) => [e.mutationId, e.mutation])).toEqual(puts(6).slice(2).map((m, i) => [i + 3, m]));
  });

  it('a run by reference stores no values: a push reads them from the stored rows, and a part acknowledged stays by reference', async () => {
    const written = puts(1200);
    await rowTable(db, 'contacts').bulkPut(written.map((m) => ({ ...emptyContact(m.key), ...m.fields, updatedAt: 1, changed: { name: 1 } })));
    await db.outbox.bulkAdd(outboxRuns('client-1', 1, written, 500, true));
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 1201 });
    const entries = (await db.outbox.toArray()) as (OutboxEntry & { run: PackedRun })[];
    expect(entries.every((e) => e.run.byRef && e.run.rows.every((r) => r.length === 5))).toBe(true);
    // A later local write to an imported row: pushed after the run, so its value going early ends the same.
    await commit(db, [{ name: 'put', table: 'contacts', key: written[3]!.key, fields: { name: 'Renamed' }, at: 2 }]);
    const first = await readPushBatch(db, 300);
    expect(first.entries.map((e) => e.mutation)).toEqual(written.slice(0, 300).map((m, i) => (i === 3 ? { ...m, fields: { name: 'Renamed' } } : m)));
    expect(await acknowledge(db, 300)).toBe(300);
    const rest = (await db.outbox.toArray())[0] as OutboxEntry & { run: PackedRun };
    expect(rest).toMatchObject({ mutationId: 301, run: { byRef: true } });
    expect(rest.run.rows).toHaveLength(200);
    expect((await readPushBatch(db, 2000)).entries.map((e) => e.mutation)).toEqual([...written.slice(300), { name: 'put', table: 'contacts', key: written[3]!.key, fields: { name: 'Renamed' }, at: 2 }]);
  });

  it("pushes a whole import by reference, batch after batch, whatever tables a batch spans", async () => {
    // 20,000 memberships: a batch of 500 accounts and 500 deals once failed ("committed too early").
    const { data, text } = benchBackup(20_000, 2_000);
    expect((await applyImport(db, text)).ok).toBe(true);
    const expected = data.contacts.length + data.accounts.length + data.deals.length + data.memberships.length;
    const pushed: Mutation[] = [];
    for (let batch = await readPushBatch(db, 1000); batch.entries.length; batch = await readPushBatch(db, 1000)) {
      pushed.push(...batch.entries.map((e) => e.mutation));
      await acknowledge(db, batch.entries.at(-1)!.mutationId);
    }
    expect(pushed).toHaveLength(expected);
    expect(new Set(pushed.map((m) => m.table))).toEqual(new Set(['contacts', 'accounts', 'deals', 'memberships']));
    const sample = data.memberships[12_345]!;
    expect(pushed.find((m) => m.key === sample.key)).toEqual({ name: 'put', table: 'memberships', key: sample.key, at: sample.updatedAt, fields: { roles: sample.roles, stance: sample.stance, stage: sample.stage, accountKey: sample.accountKey } });
  }, 30_000);

  it('rebases a pulled row with the stored values of a run by reference, and keeps the values through a reset', async () => {
    const written = puts(3);
    await rowTable(db, 'contacts').bulkPut(written.map((m) => ({ ...emptyContact(m.key), ...m.fields, updatedAt: 1, changed: { name: 1 } })));
    await db.outbox.bulkAdd(outboxRuns('client-1', 1, written, 500, true));
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 4 });
    const colleague = { ...emptyContact(written[1]!.key), name: 'Theirs', title: 'CTO', updatedAt: 5, changed: { name: 5, title: 5 } };
    await storePulled(db, [{ table: 'contacts', key: colleague.key, row: colleague, version: 1 }], 1);
    // Our pending name stays on top of the pulled row (server order will put our push after theirs).
    expect(await rowTable(db, 'contacts').get(colleague.key)).toMatchObject({ name: 'P1', title: 'CTO' });
    // A reset drops the stored rows: the run keeps its values first, and still pushes ours.
    await storePulled(db, [{ table: 'contacts', key: colleague.key, row: colleague, version: 2 }], 2, true);
    expect(await rowTable(db, 'contacts').get(written[0]!.key)).toBeUndefined();
    expect((await db.outbox.toArray()).every((e) => 'run' in e && !e.run.byRef)).toBe(true);
    expect((await readPushBatch(db, 10)).entries.map((e) => e.mutation)).toEqual(written);
  });

  it("keeps a note's values in a run by reference: a note deleted before the push still pushes whole, then its deletion", async () => {
    const note = { name: 'put' as const, table: 'notes' as const, key: 'note-ref-0001', fields: { contactKey: alice, committeeKey: deal, text: '预算在集团', author: 'Lin', createdAt: 3 }, at: 3 };
    const person = puts(1)[0]!;
    await rowTable(db, 'contacts').put({ ...emptyContact(person.key), ...person.fields, updatedAt: 1, changed: { name: 1 } });
    await db.notes.put({ key: note.key, ...note.fields, updatedAt: 3, changed: {} });
    await db.outbox.bulkAdd(outboxRuns('client-1', 1, [person, note], 500, true));
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 3 });
    await commit(db, [{ name: 'delete', table: 'notes', key: note.key, at: 4, by: 'Lin' }]);
    expect(await db.notes.get(note.key)).toMatchObject({ deleted: true, text: '' });
    const pushed = (await readPushBatch(db, 10)).entries.map((e) => e.mutation);
    expect(pushed).toEqual([person, note, { name: 'delete', table: 'notes', key: note.key, at: 4, by: 'Lin' }]);
    for (const m of pushed) expect(validate(mutationSchema, m).success).toBe(true);
  });

  it('a batch that ends inside a run by reference reads only the rows it pushes', async () => {
    // A local edit queued before the import's run: every batch then ends one mutation into the next run.
    const edit = { name: 'put' as const, table: 'contacts' as const, key: sfKey('contact', 9999), fields: { name: 'Edited' }, at: 1 };
    const written = puts(10);
    // The run's last row is not stored: reading it would refuse the whole batch.
    await rowTable(db, 'contacts').bulkPut([edit, ...written.slice(0, 9)].map((m) => ({ ...emptyContact(m.key), ...m.fields, updatedAt: 1, changed: { name: 1 } })));
    await db.outbox.bulkAdd([...outboxRuns('client-1', 1, [edit]), ...outboxRuns('client-1', 2, written, 500, true)]);
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 12 });
    const first = await readPushBatch(db, 5);
    expect(first.entries.map((e) => [e.mutationId, e.mutation])).toEqual([edit, ...written.slice(0, 4)].map((m, i) => [i + 1, m]));
    expect(await acknowledge(db, 5)).toBe(5);
    expect((await readPushBatch(db, 5)).entries.map((e) => e.mutation)).toEqual(written.slice(4, 9));
    await acknowledge(db, 10);
    await expect(readPushBatch(db, 5)).rejects.toThrow(/refers to a row that is no longer stored \(contacts /);
  });

  it('a run by reference whose row is gone is refused with a clear error, not pushed empty', async () => {
    await db.outbox.bulkAdd(outboxRuns('client-1', 1, puts(2), 500, true));
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 3 });
    await expect(readPushBatch(db, 10)).rejects.toThrow(/refers to a row that is no longer stored \(contacts /);
    expect(await pendingCount(db)).toBe(2);
  });

  it('keeps single writes and runs in one order', async () => {
    await commit(db, [{ name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice' }, at: 1 }]);
    await db.outbox.bulkAdd(outboxRuns((await readPushBatch(db, 1)).clientId, 2, puts(3)));
    await db.meta.put({ key: NEXT_MUTATION_ID, value: 5 });
    await commit(db, [{ name: 'put', table: 'contacts', key: bob, fields: { name: 'Bob' }, at: 2 }]);
    const { entries } = await readPushBatch(db, 10);
    expect(entries.map((e) => [e.mutationId, e.mutation.key])).toEqual([
      [1, alice],
      [2, sfKey('contact', 1)],
      [3, sfKey('contact', 2)],
      [4, sfKey('contact', 3)],
      [5, bob],
    ]);
    expect(await pendingCount(db)).toBe(5);
  });
});

describe('queries', () => {
  it('an account committee includes its deals\' memberships; a deal only its own', async () => {
    const carol = sfKey('contact', 3);
    await commit(db, [
      { name: 'put', table: 'deals', key: deal, fields: { name: 'Expansion', accountKey: account }, at: 1 },
      { name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice' }, at: 1 },
      { name: 'put', table: 'contacts', key: bob, fields: { name: 'Bob' }, at: 1 },
      { name: 'put', table: 'memberships', key: membershipKey(account, alice), fields: { roles: ['user'], accountKey: account }, at: 2 },
      { name: 'put', table: 'memberships', key: membershipKey(deal, bob), fields: { roles: ['decision_maker'], accountKey: account }, at: 2 },
      // A membership of the account's committee filed under another account (its record is that account's).
      { name: 'put', table: 'contacts', key: carol, fields: { name: 'Carol' }, at: 1 },
      { name: 'put', table: 'memberships', key: membershipKey(account, carol), fields: { roles: ['influencer'], accountKey: sfKey('account', 2) }, at: 2 },
    ]);
    const acc = await committeeView(db, account);
    expect(acc.members.map((m) => m.contactKey).sort()).toEqual([alice, bob, carol].sort());
    expect(Object.keys(acc.contacts).sort()).toEqual([alice, bob, carol].sort());
    const d = await committeeView(db, deal);
    expect(d.members.map((m) => m.contactKey)).toEqual([bob]);
    expect(d.deal?.name).toBe('Expansion');
  });

  it('views leave out tombstones (but keep deleted notes), find contacts of other accounts, and list notes newest first', async () => {
    const carol = sfKey('contact', 3);
    const elsewhere = sfKey('account', 2);
    await commit(db, [
      { name: 'put', table: 'deals', key: deal, fields: { name: 'Expansion', accountKey: account }, at: 1 },
      { name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice', accountKey: account }, at: 1 },
      { name: 'put', table: 'contacts', key: bob, fields: { name: 'Bob', accountKey: elsewhere }, at: 1 },
      { name: 'put', table: 'contacts', key: carol, fields: { name: 'Carol', accountKey: account }, at: 1 },
      { name: 'put', table: 'memberships', key: membershipKey(deal, alice), fields: { roles: ['user'], accountKey: account }, at: 2 },
      { name: 'put', table: 'memberships', key: membershipKey(deal, bob), fields: { roles: ['decision_maker'], accountKey: account }, at: 2 },
      { name: 'put', table: 'memberships', key: membershipKey(deal, carol), fields: { roles: ['user'], accountKey: account }, at: 2 },
      { name: 'delete', table: 'memberships', key: membershipKey(deal, carol), at: 3, by: '' },
      { name: 'delete', table: 'contacts', key: carol, at: 3, by: '' },
      { name: 'put', table: 'notes', key: 'note-old-1', fields: { contactKey: alice, committeeKey: deal, text: 'first', author: 'A', createdAt: 10 }, at: 10 },
      { name: 'put', table: 'notes', key: 'note-new-2', fields: { contactKey: bob, committeeKey: deal, text: 'second', author: 'A', createdAt: 20 }, at: 20 },
      { name: 'put', table: 'notes', key: 'note-gone-3', fields: { contactKey: bob, committeeKey: deal, text: 'gone', author: 'A', createdAt: 15 }, at: 15 },
      { name: 'delete', table: 'notes', key: 'note-gone-3', at: 16, by: '' },
    ]);
    const view = await committeeView(db, deal);
    expect(view.members.map((m) => m.contactKey).sort()).toEqual([alice, bob].sort());
    // Bob belongs to another account: he is looked up on his own; Carol is deleted.
    expect(Object.keys(view.contacts).sort()).toEqual([alice, bob].sort());
    expect(view.contacts[bob]?.name).toBe('Bob');
    expect(view.notes.map((n) => [n.key, !!n.deleted])).toEqual([
      ['note-new-2', false],
      ['note-gone-3', true],
      ['note-old-1', false],
    ]);
    expect(view.account).toBeNull();
    expect(view.deals.map((d) => d.key)).toEqual([deal]);
    await commit(db, [{ name: 'delete', table: 'deals', key: deal, at: 30, by: '' }]);
    expect((await committeeView(db, deal)).deal).toBeNull();
    expect(await contactView(db, carol)).toEqual({ contact: null, memberships: [], notes: [] });
    expect((await contactView(db, bob)).notes.map((n) => n.key)).toEqual(['note-new-2', 'note-gone-3']);
  });

  it("a person's panel: the person found in the record of the account the page names, else through their home", async () => {
    const carol = sfKey('contact', 3);
    const dave = sfKey('contact', 4);
    const elsewhere = sfKey('account', 2);
    await commit(db, [
      { name: 'put', table: 'accounts', key: account, fields: { name: 'Acme' }, at: 1 },
      { name: 'put', table: 'accounts', key: elsewhere, fields: { name: 'Globex' }, at: 1 },
      { name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice', accountKey: account }, at: 1 },
      { name: 'put', table: 'contacts', key: bob, fields: { name: 'Bob', accountKey: elsewhere }, at: 1 },
      { name: 'put', table: 'contacts', key: carol, fields: { name: 'Carol', accountKey: account }, at: 1 },
      { name: 'put', table: 'contacts', key: dave, fields: { name: 'Dave' }, at: 1 },
      { name: 'put', table: 'memberships', key: membershipKey(account, alice), fields: { roles: ['user'], accountKey: account }, at: 2 },
      { name: 'delete', table: 'contacts', key: carol, at: 3, by: '' },
    ]);
    const people = (p: { account: { contacts: Record<string, unknown> } | null }) => Object.keys(p.account?.contacts ?? {}).sort();
    // The page names Alice's own account: its record holds her.
    const own = await personPanel(db, alice, account);
    expect(own.person.contact?.name).toBe('Alice');
    expect(own.person.memberships.map((m) => m.key)).toEqual([membershipKey(account, alice)]);
    expect(own.account?.account?.name).toBe('Acme');
    expect(people(own)).toEqual([alice]);
    // The page names another account: Alice is found in her own record; the summary is the page's account.
    const named = await personPanel(db, alice, elsewhere);
    expect(named.person.contact?.name).toBe('Alice');
    expect(named.account?.committeeKey).toBe(elsewhere);
    expect(people(named)).toEqual([bob]);
    // No account on the page: the person's own account, from the record that holds them.
    const bobs = await personPanel(db, bob);
    expect(bobs.person.contact?.name).toBe('Bob');
    expect(bobs.account?.account?.name).toBe('Globex');
    // A deleted person shows as none, in their account's record or not; a person with no account has no summary.
    expect((await personPanel(db, carol, account)).person.contact).toBeNull();
    expect((await personPanel(db, carol)).person.contact).toBeNull();
    expect(await personPanel(db, dave)).toMatchObject({ person: { contact: { name: 'Dave' } }, account: null });
    // Someone never stored, on a page naming an account: no person, the account's summary.
    const stranger = await personPanel(db, sfKey('contact', 9), account);
    expect(stranger.person).toEqual({ contact: null, memberships: [], notes: [] });
    expect(people(stranger)).toEqual([alice]);
    expect(await contactView(db, alice)).toEqual(own.person);
  });

  it('a view opens the store when Dexie has closed it (as after a version change)', async () => {
    await commit(db, [{ name: 'put', table: 'contacts', key: alice, fields: { name: 'Alice' }, at: 1 }]);
    expect((await contactView(db, alice)).contact?.name).toBe('Alice'); // once open, views skip Dexie's open()
    db.close({ disableAutoOpen: false });
    expect(db.isOpen()).toBe(false);
    expect((await contactView(db, alice)).contact?.name).toBe('Alice');
    expect((await committeeView(db, deal)).members).toEqual([]);
  });

  it('a view asked for inside a Dexie transaction fails at once instead of waiting for that transaction forever', async () => {
    await expect(db.transaction('rw', db.accountGroups, db.memberGroups, () => committeeView(db, deal))).rejects.toThrow(/outside a Dexie transaction/);
    await expect(db.transaction('r', db.accountGroups, () => contactView(db, bob))).rejects.toThrow(/outside a Dexie transaction/);
  });

  it('the code after a view runs outside its read transaction (reads, writes and views go on)', async () => {
    await commit(db, [{ name: 'put', table: 'memberships', key: membershipKey(deal, bob), fields: { roles: ['user'] }, at: 1 }]);
    for (let i = 0; i < 3; i++) {
      const view = await (i % 2 ? contactView(db, bob) : committeeView(db, deal));
      expect(view).toBeTruthy();
      expect(Dexie.currentTransaction).toBeNull();
      expect(await membershipTable(db).count()).toBe(1);
      await commit(db, [{ name: 'put', table: 'contacts', key: bob, fields: { title: `CFO ${i}` }, at: 2 + i }]);
      expect((await committeeView(db, deal)).contacts[bob]?.title).toBe(`CFO ${i}`);
    }
  });
});

describe('schema', () => {
  it('has the indexes the queries need', async () => {
    const idx = (t: string) => db.table(t).schema.indexes.map((i) => i.name);
    expect(idx('memberGroups').sort()).toEqual(['committeeKeys', 'contactKeys']);
    // Accounts, people and deals: one record per account, found by key (accounts) or through `homes`: no index.
    expect(idx('accountGroups')).toEqual([]);
    expect(idx('homes')).toEqual([]);
    expect(idx('notes').sort()).toEqual(['committeeKey', 'contactKey']);
    expect(idx('risk')).toContain('score');
    expect(db.outbox.schema.primKey.auto).toBe(true);
  });
  it('is deleted cleanly', async () => {
    db.close();
    await Dexie.delete(db.name);
    expect(await Dexie.exists(db.name)).toBe(false);
  });
});
