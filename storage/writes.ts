/**
 * The one write path: validate the mutations, then in ONE transaction apply each to its row and
 * append it to the outbox with this client's next mutation id (the mutations of one write share one outbox entry). A failure anywhere aborts the whole
 * transaction: no row and no outbox entry is left behind.
 */
import { applyMutation, mutationSchema, type Mutation } from '../domain/mutations';
import type { TableName, TableRow } from '../domain/model';
import { validate } from '../domain/validate';
import { outboxRuns, SYNCED_STORES, type CommitteeDb } from './db';
import { rowTable, type RowTable } from './tables';

export interface ChangedRow<T extends TableName = TableName> {
  table: T;
  key: string;
  row: TableRow[T];
}

const CLIENT_ID = 'clientId';
export const NEXT_MUTATION_ID = 'nextMutationId';

function newClientId(): string {
  return crypto.randomUUID();
}

/** This installation's client id, created on first use (inside the caller's transaction when there is one). */
export async function clientId(db: CommitteeDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(CLIENT_ID);
    if (typeof row?.value === 'string') return row.value;
    const id = newClientId();
    await db.meta.put({ key: CLIENT_ID, value: id });
    return id;
  });
}

/** Validate and apply mutations atomically; returns the rows that changed. Throws (writing nothing) on any error. */
export async function commit(db: CommitteeDb, mutations: readonly unknown[]): Promise<ChangedRow[]> {
  const parsed: Mutation[] = mutations.map((m) => {
    const result = validate(mutationSchema, m);
    if (!result.success) throw result.error;
    return result.data;
  });
  return db.transaction('rw', [...SYNCED_STORES, 'outbox', 'meta'], async () => {
    const client = await clientId(db);
    let next = ((await db.meta.get(NEXT_MUTATION_ID))?.value as number | undefined) ?? 1;
    const changed: ChangedRow[] = [];
    const applied: Mutation[] = [];
    for (const m of parsed) {
      const table = rowTable(db, m.table) as RowTable<TableRow[typeof m.table]>;
      const row = applyMutation(await table.get(m.key), m);
      if (!row) continue;
      await table.put(row);
      applied.push(m);
      changed.push({ table: m.table, key: m.key, row });
    }
    await db.outbox.bulkAdd(outboxRuns(client, next, applied));
    await db.meta.put({ key: NEXT_MUTATION_ID, value: next + applied.length });
    return changed;
  });
}

export async function getMeta<T>(db: CommitteeDb, key: string, fallback: T): Promise<T> {
  const row = await db.meta.get(key);
  return row === undefined ? fallback : (row.value as T);
}

export async function setMeta(db: CommitteeDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}

/** The keys a change concerns: each row's own and those of the committee, contact, account and deal it belongs to. */
export function changedKeys(rows: readonly { key: string; row: object }[]): string[] {
  const keys = new Set<string>();
  for (const { key, row } of rows) {
    keys.add(key);
    for (const k of ['committeeKey', 'contactKey', 'accountKey', 'dealKey'] as const) {
      const v = (row as Record<string, unknown>)[k];
      if (typeof v === 'string') keys.add(v);
    }
  }
  return [...keys];
}
