/**
 * The outbox: local mutations waiting to be pushed, in order. An entry holds one mutation or a run of
 * consecutive ones (see OutboxEntry); readers see a flat list of { mutationId, mutation }.
 * Each function is one short transaction, safe to repeat if the worker is killed between them.
 */
import { entryMutations, entrySize, outboxRuns, type CommitteeDb, type PendingMutation } from './db';
import { clientId, getMeta, NEXT_MUTATION_ID } from './writes';

/** The oldest pending mutations, in order, at most `limit`: the next push. */
export async function readPushBatch(db: CommitteeDb, limit: number): Promise<{ clientId: string; entries: PendingMutation[] }> {
  return db.transaction('rw', db.outbox, db.meta, async () => {
    let seen = 0;
    const entries = await db.outbox
      .orderBy('seq')
      .until((e) => {
        const full = seen >= limit;
        seen += entrySize(e);
        return full;
      })
      .toArray();
    return { clientId: await clientId(db), entries: entries.flatMap(entryMutations).slice(0, limit) };
  });
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
      const left = entryMutations(e).filter((m) => m.mutationId > lastMutationId);
      count += entrySize(e) - left.length;
      if (left.length === 0) await db.outbox.delete(e.seq!);
      else await db.outbox.put({ seq: e.seq, ...outboxRuns(e.clientId, left[0]!.mutationId, left.map((m) => m.mutation), left.length)[0]! });
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
