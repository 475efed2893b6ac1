/**
 * Mutations: the one unit of change. Every local write is a mutation, appended to the outbox in the
 * same transaction as the rows it changes; the sync service applies the same mutations in server order.
 * Fields are last-writer-wins, notes are append-only, deletes are tombstones.
 */
import { z } from 'zod';
import { validate } from './validate';
import {
  emptyAccount,
  emptyContact,
  emptyDeal,
  emptyMembership,
  TABLE_FIELDS,
  TABLE_PATCH,
  TABLE_KEY,
  TABLES,
  timestamp,
  type Note,
  type TableName,
  type TableRow,
} from './model';

const putSchema = z.strictObject({
  name: z.literal('put'),
  table: z.enum(TABLES as [TableName, ...TableName[]]),
  key: z.string().max(300),
  fields: z.record(z.string(), z.unknown()),
  at: timestamp,
});
const deleteSchema = z.strictObject({
  name: z.literal('delete'),
  table: z.enum(TABLES as [TableName, ...TableName[]]),
  key: z.string().max(300),
  at: timestamp,
  by: z.string().max(200).default(''),
});

/** A mutation as validated: the key and the fields are checked against the table's schema. */
export const mutationSchema = z
  .discriminatedUnion('name', [putSchema, deleteSchema])
  .superRefine((m, ctx) => {
    const key = validate(TABLE_KEY[m.table], m.key);
    if (!key.success) ctx.addIssue({ code: 'custom', path: ['key'], message: key.error.issues[0]?.message ?? 'bad key' });
    if (m.name === 'put') {
      // Notes are append-only: a note is written whole, once. Other rows take partial patches.
      const schema = m.table === 'notes' ? TABLE_FIELDS.notes : TABLE_PATCH[m.table];
      const fields = validate(schema, m.fields);
      if (!fields.success)
        for (const issue of fields.error.issues)
          ctx.addIssue({ code: 'custom', path: ['fields', ...issue.path.map(String)], message: issue.message });
      else if (Object.keys(m.fields).length === 0)
        ctx.addIssue({ code: 'custom', path: ['fields'], message: 'no field to change' });
    }
  });
export type Mutation = z.infer<typeof mutationSchema>;
export type PutMutation = Extract<Mutation, { name: 'put' }>;

/** A row of a table, created empty for a key. */
export function emptyRow<T extends TableName>(table: T, key: string, fields: Record<string, unknown> = {}): TableRow[T] {
  switch (table) {
    case 'contacts':
      return emptyContact(key) as TableRow[T];
    case 'accounts':
      return emptyAccount(key) as TableRow[T];
    case 'deals':
      return emptyDeal(key) as TableRow[T];
    case 'memberships':
      return emptyMembership(key, (fields.accountKey as string | null | undefined) ?? null) as TableRow[T];
    case 'notes':
      return { key, updatedAt: 0, changed: {}, ...(fields as object) } as TableRow[T];
  }
  throw new Error(`unknown table ${String(table)}`);
}

/**
 * Apply one mutation to the row it names (undefined when absent) and return the new row, or null
 * when the mutation changes nothing (a note written twice, a delete of a missing row, a write to a
 * tombstone). Pure: callers store the result.
 */
export function applyMutation<T extends TableName>(existing: TableRow[T] | undefined, m: Mutation & { table: T }): TableRow[T] | null {
  if (existing?.deleted) return null; // deletes are final
  if (m.name === 'delete') {
    if (!existing) return null;
    const row = { ...existing, deleted: true, updatedAt: m.at } as TableRow[T];
    if (m.table === 'notes') Object.assign(row as Note, { text: '', deletedAt: m.at, deletedBy: m.by });
    return row;
  }
  if (m.table === 'notes' && existing) return null; // append-only
  const base = existing ?? emptyRow(m.table, m.key, m.fields);
  const changed = { ...base.changed };
  for (const field of Object.keys(m.fields)) changed[field] = m.at;
  return { ...base, ...m.fields, changed, updatedAt: Math.max(base.updatedAt, m.at) } as TableRow[T];
}

/**
 * Merge an incoming row (from an import) into a local one, field by field: the newer change wins,
 * a tombstone on either side wins, notes are a union (a note is never changed once written).
 */
export function mergeRows<T extends TableName>(table: T, local: TableRow[T] | undefined, incoming: TableRow[T]): TableRow[T] {
  if (!local) return incoming;
  if (local.deleted) return local;
  if (incoming.deleted) return incoming;
  if (table === 'notes') return local;
  const merged: Record<string, unknown> = { ...local };
  const changed = { ...local.changed };
  for (const field of Object.keys(TABLE_FIELDS[table].shape)) {
    const theirs = incoming.changed[field] ?? -1;
    const ours = local.changed[field] ?? -1;
    if (theirs > ours) {
      merged[field] = (incoming as unknown as Record<string, unknown>)[field];
      changed[field] = theirs;
    }
  }
  merged.changed = changed;
  merged.updatedAt = Math.max(local.updatedAt, incoming.updatedAt);
  return merged as unknown as TableRow[T];
}
