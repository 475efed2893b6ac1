/**
 * The local side of team sync, as short transactions that can each be repeated safely (the MV3 worker
 * may be killed between any two): read a push batch; acknowledge pushed mutations; store a pulled page
 * together with its cursor. Pulled rows replace local ones, then the mutations still waiting in the
 * outbox are re-applied on top, so local edits are never lost and server order decides the rest.
 */
import { applyMutation } from '../domain/mutations';
import type { TableName, TableRow } from '../domain/model';
import { entryMutations, SYNCED_STORES, type CommitteeDb } from './db';
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
    if (reset) for (const t of SYNCED_STORES) await db.table(t).clear();
    const pending = rows.length ? (await db.outbox.orderBy('seq').toArray()).flatMap(entryMutations) : [];
    const byKey = new Map<string, typeof pending>();
    for (const e of pending) {
      const id = `${e.mutation.table}\u0000${e.mutation.key}`;
      (byKey.get(id) ?? byKey.set(id, []).get(id)!).push(e);
    }
    const grouped = new Map<TableName, TableRow[TableName][]>();
    const stored: PulledRow[] = [];
    for (const pulled of rows) {
      let row: TableRow[TableName] = pulled.row;
      for (const e of byKey.get(`${pulled.table}\u0000${pulled.key}`) ?? []) row = applyMutation(row, e.mutation as never) ?? row;
      (grouped.get(pulled.table) ?? grouped.set(pulled.table, []).get(pulled.table)!).push(row);
      stored.push({ ...pulled, row });
    }
    await putRows(db, Object.fromEntries(grouped));
    await setMeta(db, CURSOR, cursor);
    return stored;
  });
}
