/**
 * The outbox: local mutations waiting to be pushed, in order. An entry holds one mutation or a run of
 * consecutive ones (see OutboxEntry); readers see a flat list of { mutationId, mutation }.
 * Each function is one short transaction, safe to repeat if the worker is killed between them.
 */
import type { TableName } from '../domain/model';
import { entryAfter, entryBefore, entryMutations, entrySize, refTargets, rowId, SYNCED_STORES, type CommitteeDb, type OutboxEntry, type PendingMutation, type StoredRows } from './db';
import { rowTable } from './tables';
import { clientId, getMeta, NEXT_MUTATION_ID } from './writes';

/**
 * The oldest pending mutations, in order, at most `limit`: the next push. By-reference puts read their
 * values in a read-only transaction after it (a row written meanwhile gives its newer value, whose own
 * mutation is queued after: the same end).
 */
export async function readPushBatch(db: CommitteeDb, limit: number): Promise<{ clientId: string; entries: PendingMutation[] }> {
  const { client, entries } = await db.transaction('rw', db.outbox, db.meta, async () => {
    let seen = 0;
    const entries = await db.outbox
      .orderBy('seq')
      .until((e) => {
        const full = seen >= limit;
        seen += entrySize(e);
        return full;
      })
      .toArray();
    return { client: await clientId(db), entries };
  });
  // The last entry may reach past the limit (a local edit queued before an import's runs shifts every
  // batch off their bounds): only the mutations pushed now are unpacked, and only their rows read.
  const batch: OutboxEntry[] = [];
  let left = limit;
  for (const e of entries) {
    if (left <= 0) break;
    batch.push(entrySize(e) > left ? entryBefore(e, left) : e);
    left -= entrySize(e);
  }
  const byRef = batch.some((e) => 'run' in e && e.run.byRef);
  // The scope awaits the read itself: Dexie lost track of a transaction whose scope returned the read's
  // promise as it was, and reported it committed too early (an import's run of people and accounts).
  const stored = byRef ? await db.transaction('r', [...SYNCED_STORES], async () => await storedRows(db, batch)) : undefined;
  return { clientId: client, entries: batch.flatMap((e) => entryMutations(e, stored)) };
}

/**
 * The stored rows that by-reference puts among `entries` take their values from (all of them, or those
 * `wanted` says), read table by table. Called inside a transaction over the synced stores.
 */
export async function storedRows(db: CommitteeDb, entries: readonly OutboxEntry[], wanted?: (id: string) => boolean): Promise<StoredRows> {
  const keys = new Map<TableName, string[]>();
  for (const e of entries) for (const { table, key } of refTargets(e, wanted)) (keys.get(table) ?? keys.set(table, []).get(table)!).push(key);
  const rows = new Map<string, object>();
  // One table after another: mostly one (an import queues table by table).
  for (const [table, list] of keys) for (const row of await rowTable(db, table).present(list)) rows.set(rowId(table, row.key), row);
  return rows;
}

/** Drop every pending mutation the server has applied (id ≤ its last acknowledged id); returns how many. */
export async function acknowledge(db: CommitteeDb, lastMutationId: number): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const done = await db.outbox
      .orderBy('seq')
      .until((e) => e.mutationId > lastMutationId)
      .toArray();
    let count = 0;
    for (const e of done) {
      const applied = Math.min(entrySize(e), lastMutationId - e.mutationId + 1);
      count += applied;
      if (applied === entrySize(e)) await db.outbox.delete(e.seq!);
      else await db.outbox.put(entryAfter(e, applied));
    }
    return count;
  });
}

/** How many mutations wait to be pushed (ids are dense: next id minus the oldest pending one). */
export async function pendingCount(db: CommitteeDb): Promise<number> {
  return db.transaction('r', db.outbox, db.meta, async () => {
    const oldest = await db.outbox.orderBy('seq').first();
    return oldest ? (await getMeta<number>(db, NEXT_MUTATION_ID, 1)) - oldest.mutationId : 0;
  });
}
