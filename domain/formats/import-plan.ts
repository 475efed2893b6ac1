/**
 * Import preview and merge: what a backup would add, change and skip, table by table, following the
 * merge rules of domain/mutations.ts `mergeRows` (per field the newer change wins, a tombstone on
 * either side wins, notes are a union). Pure: the caller looks up the current rows with the keys of
 * `backupKeys(backup)`, calls `planImport`, shows `counts`, then writes `writes` in one transaction.
 */
import { mergeRows } from '../mutations';
import { TABLE_FIELDS, type TableName } from '../model';
import { BACKUP_TABLES, type Backup, type BackupRow, type BackupTable, type SettingRow } from './backup';

/** Current rows of a table: a Map or a lookup function (undefined when absent). */
export type Lookup<T> = ReadonlyMap<string, T> | ((key: string) => T | undefined);
export type ExistingRows = { [T in BackupTable]?: Lookup<BackupRow[T]> };

export type SkipReason = 'identical' | 'older' | 'deleted here';
export interface TablePlan<T> {
  added: T[];
  /** The merged row to write and the fields whose value it changes. */
  changed: { key: string; fields: string[]; row: T }[];
  skipped: { key: string; reason: SkipReason }[];
}
export interface ImportPlan {
  tables: { [T in BackupTable]: TablePlan<BackupRow[T]> };
  /** Rows to put, per table: added and changed rows, merged. */
  writes: { [T in BackupTable]: BackupRow[T][] };
  counts: Record<BackupTable, { added: number; changed: number; skipped: number }>;
}

/** The keys to look up before planning, per table. */
export function backupKeys(backup: Backup): Record<BackupTable, string[]> {
  return Object.fromEntries(BACKUP_TABLES.map((t) => [t, backup.data[t].map((r) => r.key)])) as Record<BackupTable, string[]>;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const VISIBLE: Record<BackupTable, string[]> = {
  ...(Object.fromEntries(
    (Object.keys(TABLE_FIELDS) as TableName[]).map((t) => [t, [...Object.keys(TABLE_FIELDS[t].shape), 'deleted']]),
  ) as Record<TableName, string[]>),
  settings: ['value'],
};

/** Settings have no per-field times: the newer row wins as a whole. */
function mergeSetting(local: SettingRow | undefined, incoming: SettingRow): SettingRow {
  return !local || incoming.updatedAt > local.updatedAt ? incoming : local;
}

function lookup<T>(source: Lookup<T> | undefined, key: string): T | undefined {
  if (!source) return undefined;
  return typeof source === 'function' ? source(key) : source.get(key);
}

function planTable<T extends BackupTable>(table: T, rows: BackupRow[T][], existing: Lookup<BackupRow[T]> | undefined) {
  const plan: TablePlan<BackupRow[T]> = { added: [], changed: [], skipped: [] };
  const fields = VISIBLE[table];
  for (const incoming of rows) {
    const local = lookup(existing, incoming.key);
    if (!local) {
      plan.added.push(incoming);
      continue;
    }
    const merged = (
      table === 'settings'
        ? mergeSetting(local as SettingRow, incoming as SettingRow)
        : mergeRows(table as TableName, local as BackupRow[TableName], incoming as BackupRow[TableName])
    ) as BackupRow[T];
    const l = local as unknown as Record<string, unknown>;
    const m = merged as unknown as Record<string, unknown>;
    const diff = fields.filter((f) => !equal(l[f], m[f]));
    if (diff.length) plan.changed.push({ key: incoming.key, fields: diff, row: merged });
    else {
      const reason: SkipReason =
        'deleted' in l && l.deleted
          ? 'deleted here'
          : fields.every((f) => equal(l[f], (incoming as unknown as Record<string, unknown>)[f]))
            ? 'identical'
            : 'older';
      plan.skipped.push({ key: incoming.key, reason });
    }
  }
  return plan;
}

/**
 * Plan an import into the current rows. Rows whose values the merge would leave as they are are
 * skipped (identical, older, or deleted here), even when the incoming change times are newer.
 */
export function planImport(backup: Backup, existing: ExistingRows): ImportPlan {
  const tables = {} as ImportPlan['tables'];
  const writes = {} as ImportPlan['writes'];
  const counts = {} as ImportPlan['counts'];
  for (const table of BACKUP_TABLES) {
    const plan = planTable(table, backup.data[table], existing[table] as Lookup<BackupRow[typeof table]> | undefined);
    (tables as Record<BackupTable, unknown>)[table] = plan;
    (writes as Record<BackupTable, unknown>)[table] = [...plan.added, ...plan.changed.map((c) => c.row)];
    counts[table] = { added: plan.added.length, changed: plan.changed.length, skipped: plan.skipped.length };
  }
  return { tables, writes, counts };
}
