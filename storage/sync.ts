/**
 * The local side of team sync, as short transactions that can each be repeated safely (the MV3 worker
 * may be killed between any two): read a push batch; acknowledge pushed mutations; store a pulled page
 * together with its cursor. Pulled rows replace local ones, then the mutations still waiting in the
 * outbox are re-applied on top, so local edits are never lost and server order decides the rest.
 */
import { applyMutation } from '../domain/mutations';
import type { TableName, TableRow } from '../domain/model';
import { entryMutation, entrySize, entryTarget, packRun, rowId, unpackRun, SYNCED_STORES, type CommitteeDb, type OutboxEntry, type PendingMutation } from './db';
import { storedRows } from './outbox';
import { putRows } from './tables';
import { getMeta, setMeta } from './writes';

export const CURSOR = 'syncCursor';

export interface PulledRow {
  table: TableName;
  key: string;
  row: TableRow[TableName];
  version: number;
}

export async function getCursor(db: CommitteeDb): Promise<number> {
  return getMeta(db, CURSOR, 0);
}

/**
 * Store one pulled page and advance the cursor in the same transaction. With `reset`, the local
 * synced tables are cleared first (the server no longer has the tombstones our cursor needs).
 * Returns the rows as stored (after re-applying pending local mutations).
 */
export async function storePulled(db: CommitteeDb, rows: PulledRow[], cursor: number, reset = false): Promise<PulledRow[]> {
  return db.transaction('rw', [...SYNCED_STORES, 'outbox', 'meta'], async () => {
    let entries = rows.length || reset ? await db.outbox.orderBy('seq').toArray() : [];
    if (reset) {
      entries = await storeValues(db, entries);
      for (const t of SYNCED_STORES) await db.table(t).clear();
    }
    const byKey = entries.length ? await pendingFor(db, entries, new Set(rows.map((r) => rowId(r.table, r.key)))) : new Map<string, PendingMutation[]>();
    const grouped = new Map<TableName, TableRow[TableName][]>();
    const stored: PulledRow[] = [];
    for (const pulled of rows) {
      let row: TableRow[TableName] = pulled.row;
      if (byKey.size) for (const e of byKey.get(rowId(pulled.table, pulled.key)) ?? []) row = applyMutation(row, e.mutation as never) ?? row;
      (grouped.get(pulled.table) ?? grouped.set(pulled.table, []).get(pulled.table)!).push(row);
      stored.push({ ...pulled, row });
    }
    await putRows(db, Object.fromEntries(grouped));
    await setMeta(db, CURSOR, cursor);
    return stored;
  });
}

/** By-reference runs rewritten with the values they read from the rows, before a reset drops the rows. */
async function storeValues(db: CommitteeDb, entries: readonly OutboxEntry[]): Promise<OutboxEntry[]> {
  const stored = await storedRows(db, entries);
  const out: OutboxEntry[] = [];
  for (const e of entries) {
    if (!('run' in e) || !e.run.byRef) {
      out.push(e);
      continue;
    }
    const copy = { ...e, run: packRun(unpackRun(e.run, stored)) };
    await db.outbox.put(copy);
    out.push(copy);
  }
  return out;
}

/**
 * The pending mutations of these rows, by row and in order: the local edits a pulled page is rebased with.
 * By-reference puts take the values of the rows as stored, read before the page replaces them.
 */
async function pendingFor(db: CommitteeDb, entries: readonly OutboxEntry[], ids: ReadonlySet<string>): Promise<Map<string, PendingMutation[]>> {
  const stored = await storedRows(db, entries, (id) => ids.has(id));
  const byKey = new Map<string, PendingMutation[]>();
  for (const e of entries) {
    for (let i = 0; i < entrySize(e); i++) {
      const { table, key } = entryTarget(e, i);
      const id = rowId(table, key);
      if (!ids.has(id)) continue;
      (byKey.get(id) ?? byKey.set(id, []).get(id)!).push({ mutationId: e.mutationId + i, mutation: entryMutation(e, i, stored) });
    }
  }
  return byKey;
}
