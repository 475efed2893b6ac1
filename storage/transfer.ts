/**
 * Export and import over the local store: exports are built in chunks (the worker stays responsive
 * and reports progress); an import is validated whole, previewed, then applied in ONE transaction
 * that writes the merged rows and queues them for sync like any other write.
 */
import { kindOf, parseRecordKey } from '../domain/ids';
import { NOTE_FIELD_NAMES, type Membership, type TableName, type TableRow } from '../domain/model';
import type { Mutation } from '../domain/mutations';
import { BACKUP_TABLES, parseBackup, serializeBackup, sizeProblem, type Backup, type BackupData, type SettingRow } from '../domain/formats/backup';
import { toHubspotContacts, toSalesforceContactRoles, type CrmReport } from '../domain/formats/crm';
import { csvHeader, csvRows } from '../domain/formats/csv';
import { byAccountCommitteeContact, createExportIndex, type ExportIndex, type ExportRow } from '../domain/formats/export-rows';
import { backupKeys, planImport, type ExistingRows, type ImportPlan } from '../domain/formats/import-plan';
import type { Language } from '../domain/taxonomy';
import { OUTBOX_RUN, outboxRuns, SYNCED_STORES, SYNCED_TABLES, type CommitteeDb } from './db';
import { groupedRows, groupedTable, membersIn, membershipTable, presentGrouped, rowTable, stageRows } from './tables';
import { BULK_CHANGE, markRiskStale, RISK_SETTINGS } from './risk';
import { clientId, getMeta, NEXT_MUTATION_ID, setMeta } from './writes';

export type ExportFormat = 'csv' | 'json' | 'salesforce' | 'hubspot';
/** Everything, or one account (with its deals), or one deal. */
export type ExportScope = { kind: 'all' } | { kind: 'committee'; key: string };

export interface ExportFile {
  filename: string;
  /**
   * The file, with its media type. A spreadsheet is made a chunk at a time as the store is read (each chunk's bytes are made
   * while the next chunk is read), never as one string.
   */
  content: Blob;
  rows: number;
  report?: CrmReport;
}

export const EXPORT_CHUNK = 5000;
/** Backups larger than this are refused before parsing (stated in the options page and the README). */
export const IMPORT_MAX_BYTES = 60 * 1024 * 1024;
/** Settings that belong to the data and travel in backups. */
export const DATA_SETTINGS = [RISK_SETTINGS];
export const settingTime = (key: string) => `${key}:updatedAt`;

/**
 * Let the page paint and answer input between pages of work. `scheduler.yield` where the browser has it
 * (Chromium): nested `setTimeout(0)` waits at least 4 ms each after the fifth, for every page of an export.
 */
const tick = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((r) => setTimeout(r, 0));
};

/** UTF-16 code units encoded per piece of a text Blob (at most 3 bytes each). */
const BLOB_PIECE = 1 << 20;
let blobBuffer: Uint8Array<ArrayBuffer> | null = null;
const blobEncoder = new TextEncoder();
/**
 * Text as a UTF-8 Blob, encoded piece by piece into one reused buffer. Chromium's Blob (and
 * TextEncoder.encode) from a string allocate for each string and are several times slower: for 1.9 MB of
 * CSV, 50-88 ms against 12 ms for encodeInto and 14 ms for the Blob's copy of the bytes.
 */
export function textBlob(text: string, type = ''): Blob {
  const buffer = (blobBuffer ??= new Uint8Array(BLOB_PIECE * 3));
  const pieces: Blob[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + BLOB_PIECE, text.length);
    // Never split a surrogate pair: each half alone would be written as U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const { written } = blobEncoder.encodeInto(text.slice(start, end), buffer);
    pieces.push(new Blob([buffer.subarray(0, written)]));
    start = end;
  }
  return new Blob(pieces, { type });
}

async function scopedMemberships(db: CommitteeDb, scope: ExportScope): Promise<Membership[]> {
  const rows = membershipTable(db);
  if (scope.kind === 'all') return rows.toArray();
  const ref = parseRecordKey(scope.key);
  if (ref && kindOf(ref.object) === 'account') {
    const deals = await groupedTable(db, 'deals').ofAccount(scope.key);
    return rows.ofAccountCommittees(scope.key, deals.map((d) => d.key));
  }
  return rows.ofCommittees([scope.key]);
}

/** Member records per page of an export of the whole store (an account's memberships each, about 40 in the bench). */
const EXPORT_RECORDS = EXPORT_CHUNK / 40;

/**
 * What an export joins and walks, as pages of memberships with the progress each page makes: the whole
 * store (member records read a page ahead, beside the joined tables; progress in records), or one
 * committee's rows (progress in rows).
 */
async function exportSource(db: CommitteeDb, scope: ExportScope): Promise<{ index: ExportIndex; total: number; pages: AsyncIterable<{ rows: Membership[]; done: number }> }> {
  if (scope.kind === 'all') {
    const records = membershipTable(db).pages(EXPORT_RECORDS);
    const [{ contacts, accounts, deals }, notes, total] = await Promise.all([groupedRows(db), db.notes.toArray(), db.memberGroups.count()]);
    const pages = async function* () {
      for await (const page of records) yield { rows: page.flatMap(membersIn), done: page.length };
    };
    return { index: createExportIndex({ contacts, accounts, deals, notes }), total, pages: pages() };
  }
  const data = await backupData(db, scope);
  const memberships = data.memberships.sort(byAccountCommitteeContact);
  const pages = async function* () {
    for (let i = 0; i < memberships.length; i += EXPORT_CHUNK) {
      const rows = memberships.slice(i, i + EXPORT_CHUNK);
      yield { rows, done: rows.length };
    }
  };
  return { index: createExportIndex(data), total: memberships.length, pages: pages() };
}

/** Export rows in chunks, yielding to the event loop between chunks and reporting progress. */
async function exportRows(db: CommitteeDb, scope: ExportScope, onRow: (rows: ExportRow[]) => void, progress: (done: number, total: number) => void): Promise<number> {
  const { index, total, pages } = await exportSource(db, scope);
  let count = 0;
  let done = 0;
  for await (const page of pages) {
    const rows: ExportRow[] = [];
    for (const m of page.rows) {
      const row = index.row(m);
      if (row) rows.push(row);
    }
    count += rows.length;
    done += page.done;
    onRow(rows);
    progress(Math.min(done, total), total);
    await tick();
  }
  return count;
}

async function backupData(db: CommitteeDb, scope: ExportScope): Promise<BackupData> {
  const settings: SettingRow[] = [];
  for (const key of DATA_SETTINGS) {
    const value = await getMeta<unknown>(db, key, undefined);
    if (value !== undefined) settings.push({ key, value: value as SettingRow['value'], updatedAt: await getMeta(db, settingTime(key), 0) });
  }
  if (scope.kind === 'all') {
    const [grouped, memberships, notes] = await Promise.all([groupedRows(db), membershipTable(db).toArray(), db.notes.toArray()]);
    return { ...grouped, memberships, notes, settings };
  }
  const memberships = await scopedMemberships(db, scope);
  const contactKeys = [...new Set(memberships.map((m) => m.contactKey))];
  const committeeKeys = [...new Set([scope.key, ...memberships.map((m) => m.committeeKey)])];
  const [contacts, deals, notes] = await Promise.all([
    groupedTable(db, 'contacts').bulkGet(contactKeys),
    groupedTable(db, 'deals').bulkGet(committeeKeys),
    db.notes.where('contactKey').anyOf(contactKeys).toArray(),
  ]);
  const accountKeys = [...new Set([...memberships.map((m) => m.accountKey), ...deals.map((d) => d?.accountKey)].filter((k): k is string => !!k))];
  const accounts = await groupedTable(db, 'accounts').bulkGet(accountKeys);
  const present = <T>(rows: (T | undefined)[]) => rows.filter((r): r is T => r !== undefined);
  return { contacts: present(contacts), accounts: present(accounts), deals: present(deals), memberships, notes, settings };
}

export async function exportFile(
  db: CommitteeDb,
  format: ExportFormat,
  scope: ExportScope,
  lang: Language,
  now: Date,
  progress: (done: number, total: number) => void = () => {},
): Promise<ExportFile> {
  const stamp = now.toISOString().slice(0, 10);
  if (format === 'json') {
    const data = await backupData(db, scope);
    const content = serializeBackup(data, { exportedAt: now, scope: scope.kind === 'all' ? { kind: 'all' } : { kind: 'accounts', accountKeys: data.accounts.map((a) => a.key) } });
    progress(1, 1);
    return { filename: `committee-lens-backup-${stamp}.json`, content: textBlob(content, 'application/json'), rows: data.memberships.length };
  }
  const mime = 'text/csv;charset=utf-8';
  if (format === 'csv') {
    const parts = [textBlob(csvHeader(lang))];
    const rows = await exportRows(db, scope, (chunk) => parts.push(textBlob(csvRows(chunk, lang))), progress);
    return { filename: `committee-lens-${stamp}.csv`, content: new Blob(parts, { type: mime }), rows };
  }
  const all: ExportRow[] = [];
  await exportRows(db, scope, (chunk) => all.push(...chunk), progress);
  const crm = format === 'salesforce' ? toSalesforceContactRoles(all) : toHubspotContacts(all);
  const name = format === 'salesforce' ? 'salesforce-opportunity-contact-roles' : 'hubspot-contacts';
  return { filename: `${name}-${stamp}.csv`, content: textBlob(crm.csv, mime), rows: all.length, report: crm.report };
}

export interface ImportPreview {
  ok: boolean;
  errors: string[];
  counts: ImportPlan['counts'] | null;
  /** A few changed rows with their fields, for the preview. */
  samples: { table: string; key: string; fields: string[] }[];
}

async function plan(db: CommitteeDb, backup: Backup): Promise<ImportPlan> {
  const keys = backupKeys(backup);
  // Accounts, people and deals share their records: one read of them for the three tables.
  const existing: Record<string, Map<string, unknown>> = await presentGrouped(db, { accounts: keys.accounts, contacts: keys.contacts, deals: keys.deals });
  for (const table of ['memberships', 'notes'] as const) {
    const rows = await rowTable(db, table).present(keys[table]);
    existing[table] = new Map(rows.map((r) => [r.key, r]));
  }
  const settings = new Map<string, SettingRow>();
  for (const key of keys.settings) {
    const value = await getMeta<unknown>(db, key, undefined);
    if (value !== undefined) settings.set(key, { key, value: value as SettingRow['value'], updatedAt: await getMeta(db, settingTime(key), 0) });
  }
  return planImport(backup, { ...existing, settings } as ExistingRows);
}

/**
 * A backup file as an import receives it: the file itself (from our own pages in Chrome, posted to the
 * worker: read here, with no 50 MB copy between them), or its text (runtime messaging).
 */
export type BackupSource = string | Blob;

async function parse(source: BackupSource): Promise<{ ok: true; backup: Backup } | { ok: false; errors: string[] }> {
  let parsed;
  if (typeof source === 'string') parsed = parseBackup(source, { maxBytes: IMPORT_MAX_BYTES });
  else {
    const tooLarge = sizeProblem(source.size, IMPORT_MAX_BYTES);
    if (tooLarge) return { ok: false, errors: [tooLarge] };
    let text: string;
    try {
      text = await source.text();
    } catch (e) {
      // A chosen file that changed or went away on disk since (Chrome refuses to read it then).
      return { ok: false, errors: [`the file cannot be read any more (${(e as Error).message}); choose it again`] };
    }
    parsed = parseBackup(text, { maxBytes: IMPORT_MAX_BYTES, bytes: source.size });
  }
  if (!parsed.ok) return parsed;
  const unknown = parsed.backup.data.settings.filter((s) => !DATA_SETTINGS.includes(s.key));
  if (unknown.length) return { ok: false, errors: unknown.map((s) => `settings: unknown setting "${s.key}"`) };
  return parsed;
}

export async function previewImport(db: CommitteeDb, source: BackupSource): Promise<ImportPreview> {
  const parsed = await parse(source);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, counts: null, samples: [] };
  const p = await plan(db, parsed.backup);
  const samples = SYNCED_TABLES.flatMap((t) => p.tables[t].changed.slice(0, 5).map((c) => ({ table: t, key: c.key, fields: c.fields })));
  return { ok: true, errors: [], counts: p.counts, samples };
}

/** Apply a backup: validate it whole, then write every merged row and its outbox entry in one transaction. */
export async function applyImport(db: CommitteeDb, source: BackupSource): Promise<ImportPreview & { written: { table: TableName; key: string; row: object }[] }> {
  const parsed = await parse(source);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, counts: null, samples: [], written: [] };
  const written: { table: TableName; key: string; row: object }[] = [];
  let counts: ImportPlan['counts'] | null = null;
  await db.transaction('rw', [...SYNCED_STORES, 'outbox', 'meta'], async () => {
    const p = await plan(db, parsed.backup);
    counts = p.counts;
    const client = await clientId(db);
    const first = await getMeta<number>(db, NEXT_MUTATION_ID, 1);
    const write = await stageRows(db, p.writes);
    // The records' puts go first; their mutations are made and queued while the store writes them, by
    // reference (PackedRun): the records hold the values, and the outbox does not store them again.
    const queue = async () => {
      const mutations: Mutation[] = [];
      for (const table of SYNCED_TABLES) {
        const rows = p.writes[table] as TableRow[typeof table][];
        const changedFields = new Map(p.tables[table].changed.map((c) => [c.key, c.fields]));
        for (const row of rows) {
          written.push({ table, key: row.key, row });
          const mutation = toMutation(table, row, changedFields.get(row.key));
          if (mutation) mutations.push(mutation);
        }
      }
      await Promise.all([db.outbox.bulkAdd(outboxRuns(client, first, mutations, OUTBOX_RUN, true)), setMeta(db, NEXT_MUTATION_ID, first + mutations.length)]);
    };
    await Promise.all([write(), queue()]);
    if (written.length > BULK_CHANGE) await markRiskStale(db);
    for (const s of p.writes.settings) {
      await setMeta(db, s.key, s.value);
      await setMeta(db, settingTime(s.key), s.updatedAt);
    }
  });
  return { ok: true, errors: [], counts, samples: [], written };
}

/** The mutation that brings an imported row to the team: a tombstone, a whole note, or the fields it sets. */
function toMutation(table: TableName, row: TableRow[TableName], fields: string[] | undefined): Mutation | null {
  if (row.deleted) return { name: 'delete', table, key: row.key, at: row.updatedAt, by: (row as { deletedBy?: string }).deletedBy ?? '' };
  const names = table === 'notes' ? NOTE_FIELD_NAMES : (fields ?? Object.keys(row.changed));
  const record = row as unknown as Record<string, unknown>;
  // A plain loop: an import makes one of these per row (142,500 in the bench's backup).
  const picked: Record<string, unknown> = {};
  let any = false;
  for (const f of names) {
    if (f === 'deleted' || !(f in record)) continue;
    picked[f] = record[f];
    any = true;
  }
  return any ? { name: 'put', table, key: row.key, fields: picked, at: row.updatedAt } : null;
}

export { BACKUP_TABLES };
