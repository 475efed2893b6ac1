/**
 * The JSON backup (see BACKUP-FORMAT.md): a versioned file of every row, tombstones included.
 * Writing is deterministic (fixed top-level order, key first then fields alphabetically, rows sorted by key),
 * so export → wipe → import → export gives the same bytes apart from `exportedAt`.
 * Reading checks the size first, then the JSON syntax, then the whole file against the schema and
 * the references between rows, and reports every problem with its path. Version 1 files are upgraded.
 */
import { z } from 'zod';
import { committeeOf, kindOf, personOf, recordKeyKind, type Crm, type ObjectType, type RecordKind } from '../ids';
import {
  accountFields,
  contactFields,
  dealFields,
  membershipFields,
  membershipKey,
  NOTE_FIELD_NAMES,
  NOTE_MAX,
  noteFields,
  TABLE_KEY,
  timeMap,
  timestamp,
  type TableRow,
} from '../model';
import { formatIssues, jsonSyntaxError, lineColumn, show } from './problems';
import { validate } from '../validate';

export const BACKUP_FORMAT = 'committee-lens-backup';
export const BACKUP_SCHEMA_VERSION = 2;
/** 100 MB: a team backup of 100,000 memberships, 25,000 contacts and 50,000 notes is about 65 MB. */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

const meta = { updatedAt: timestamp, changed: timeMap, deleted: z.boolean().optional() };

const keyOf = (kinds: readonly RecordKind[], message: string) =>
  z.string().refine((key) => kinds.includes(recordKeyKind(key) as RecordKind), { message });
const personKey = keyOf(['person'], 'not a person record key');
const accountKey = keyOf(['account'], 'not an account record key');
const dealKey = keyOf(['deal'], 'not a deal record key');
const committeeKey = keyOf(['account', 'deal'], 'not an account or deal record key');

// Parts of a row that its key already says (a contact's crm, org and object; a membership's committee,
// contact and deal) are not written: the file stays small and cannot contradict itself. Reading adds them.
const contactRow = contactFields.extend({
  key: personKey,
  accountKey: accountKey.nullable(),
  reportsTo: personKey.nullable(),
  ...meta,
});
const accountRow = accountFields.extend({ key: accountKey, ...meta });
const dealRow = dealFields.extend({ key: dealKey, accountKey: accountKey.nullable(), ...meta });
const membershipRow = membershipFields.extend({ key: TABLE_KEY.memberships, accountKey: accountKey.nullable(), ...meta });
const noteRow = noteFields.extend({
  key: TABLE_KEY.notes,
  contactKey: personKey,
  committeeKey: committeeKey.nullable(),
  // A deleted note keeps its key and loses its text; a live note's text must not be empty (checked below).
  text: z.string().max(NOTE_MAX),
  deletedAt: timestamp.optional(),
  deletedBy: z.string().max(200).optional(),
  ...meta,
});
export type JsonValue = z.infer<ReturnType<typeof z.json>>;
const settingRow = z.strictObject({ key: z.string().min(1).max(200), value: z.json(), updatedAt: timestamp });
export interface SettingRow {
  key: string;
  value: JsonValue;
  updatedAt: number;
}

/** The tables of a backup, in file order. */
export const BACKUP_TABLES = ['contacts', 'accounts', 'deals', 'memberships', 'notes', 'settings'] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];
export interface BackupRow extends TableRow {
  settings: SettingRow;
}
export type BackupData = { [T in BackupTable]: BackupRow[T][] };

const ROW_SCHEMAS = {
  contacts: contactRow,
  accounts: accountRow,
  deals: dealRow,
  memberships: membershipRow,
  notes: noteRow,
  settings: settingRow,
} as const;

const scopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('accounts'), accountKeys: z.array(accountKey) }),
]);
/** What the file holds: everything, or the committees of some accounts. Informative; import ignores it. */
export type BackupScope = z.infer<typeof scopeSchema>;

/** The file of the current version, as read (before the checks between rows). */
export const backupFileSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  schemaVersion: z.literal(2),
  exportedAt: z.iso.datetime(),
  scope: scopeSchema,
  data: z.strictObject({
    contacts: z.array(contactRow),
    accounts: z.array(accountRow),
    deals: z.array(dealRow),
    memberships: z.array(membershipRow),
    notes: z.array(noteRow),
    settings: z.array(settingRow),
  }),
});

export interface Backup {
  format: typeof BACKUP_FORMAT;
  schemaVersion: 2;
  exportedAt: string;
  scope: BackupScope;
  data: BackupData;
}

/**
 * Version 1 (Committee Lens 0.x): tables at the top level, the members embedded in their committee,
 * no champion evidence or verification times on members, no tombstones (deletes removed rows), notes
 * without change times, settings as a plain object.
 */
const memberV1 = membershipFields
  .omit({ accountKey: true, evidence: true, verified: true })
  .extend({ contactKey: personKey, updatedAt: timestamp, changed: timeMap });
const backupV1 = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  schemaVersion: z.literal(1),
  exportedAt: z.iso.datetime(),
  contacts: z.array(contactRow.omit({ deleted: true })),
  accounts: z.array(accountRow.omit({ deleted: true })),
  deals: z.array(dealRow.omit({ deleted: true })),
  committees: z.array(
    z.strictObject({ key: committeeKey, accountKey: accountKey.nullable(), members: z.array(memberV1) }),
  ),
  notes: z.array(noteFields.extend({ key: TABLE_KEY.notes, contactKey: personKey, committeeKey: committeeKey.nullable() })),
  settings: z.record(z.string().min(1).max(200), z.json()),
});
export type BackupV1 = z.infer<typeof backupV1>;

/** Where a row of the upgraded backup came from in the file, for messages. */
type RowPath = (table: BackupTable, index: number) => string;
/** The rows as the file holds them (without the parts their key says). */
type FileData = z.infer<typeof backupFileSchema>['data'];

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
/** The parts of a record key that the schema has already validated. */
const keyParts = (key: string) => key.split(':') as [Crm, string, ObjectType, string];
const isDealKey = (key: string) => kindOf(keyParts(key)[2]) === 'deal';

/** Upgrade version 1 rows to the current file shape; `where` names each row's place in the old file. */
export function upgradeV1(v1: BackupV1): { data: FileData; where: RowPath } {
  const memberships: FileData['memberships'] = [];
  const memberPaths: string[] = [];
  v1.committees.forEach((committee, c) =>
    committee.members.forEach((member, m) => {
      const { contactKey, ...fields } = member;
      const accountKey = isDealKey(committee.key) ? committee.accountKey : committee.key;
      memberships.push({ key: membershipKey(committee.key, contactKey), accountKey, ...fields, evidence: {}, verified: {} });
      memberPaths.push(`committees[${c}].members[${m}]`);
    }),
  );
  const notes = v1.notes.map((note) => ({
    ...note,
    updatedAt: note.createdAt,
    changed: Object.fromEntries(NOTE_FIELD_NAMES.map((f) => [f, note.createdAt])),
  }));
  const settingKeys = Object.keys(v1.settings).sort();
  const settings = settingKeys.map((key) => ({ key, value: v1.settings[key] as JsonValue, updatedAt: 0 }));
  const where: RowPath = (table, i) =>
    table === 'memberships'
      ? (memberPaths[i] ?? '')
      : table === 'settings'
        ? `settings[${JSON.stringify(settingKeys[i])}]`
        : `${table}[${i}]`;
  return { data: { contacts: v1.contacts, accounts: v1.accounts, deals: v1.deals, memberships, notes, settings }, where };
}

/** Checks the schema cannot express: duplicate keys, an account committee's account, empty live notes. */
export function checkReferences(data: FileData, where: RowPath): string[] {
  const errors: string[] = [];
  for (const table of BACKUP_TABLES) {
    const seen = new Map<string, number>();
    data[table].forEach((row, i) => {
      const first = seen.get(row.key);
      if (first === undefined) seen.set(row.key, i);
      else errors.push(`${where(table, i)}: duplicate key ${JSON.stringify(row.key)} (first at ${where(table, first)})`);
    });
  }
  data.memberships.forEach((m, i) => {
    const committeeKey = committeeOf(m.key);
    if (!isDealKey(committeeKey) && m.accountKey !== committeeKey)
      errors.push(`${where('memberships', i)}.accountKey: ${JSON.stringify(m.accountKey)} is not the account of this account committee (${JSON.stringify(committeeKey)})`);
  });
  data.notes.forEach((n, i) => {
    if (!n.deleted && n.text === '') errors.push(`${where('notes', i)}.text: must not be empty (only a deleted note has no text)`);
  });
  return errors;
}

/** Stored rows from file rows (fresh objects from the parser): add the parts their key says, in place. */
function completeRows(data: FileData): BackupData {
  for (const c of data.contacts) {
    const [crm, org, object] = keyParts(c.key);
    Object.assign(c, { crm, org, object });
  }
  for (const m of data.memberships) {
    const committeeKey = committeeOf(m.key);
    Object.assign(m, { committeeKey, contactKey: personOf(m.key), dealKey: isDealKey(committeeKey) ? committeeKey : null });
  }
  return data as BackupData;
}

export type ParseResult = { ok: true; backup: Backup } | { ok: false; errors: string[] };

/** UTF-8 size of a string without encoding it (a backup is nearly always ASCII: one search tells). */
function utf8Length(text: string): number {
  if (!/[^\x00-\x7f]/.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;

/** The error for a file of `bytes` (UTF-8), when it is larger than a backup may be. */
export function sizeProblem(bytes: number, maxBytes = DEFAULT_MAX_BYTES): string | null {
  return bytes > maxBytes ? `the file is too large (${megabytes(bytes)}); the limit is ${megabytes(maxBytes)}` : null;
}

/**
 * Read a backup file. Nothing is returned unless the whole file is valid. `bytes`: the file's size when
 * known (a File's), else the text is measured.
 */
export function parseBackup(text: string, options: { maxBytes?: number; bytes?: number } = {}): ParseResult {
  return readBackup(text, options.maxBytes ?? DEFAULT_MAX_BYTES, options.bytes);
}

function readBackup(text: string, maxBytes: number, bytes: number | undefined): ParseResult {
  // UTF-8 takes at least a byte per UTF-16 unit and at most three: measure only between the two.
  const tooLarge = sizeProblem(bytes ?? (text.length * 3 > maxBytes ? utf8Length(text) : text.length), maxBytes);
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const found = jsonSyntaxError(text);
    if (!found) return { ok: false, errors: [`not valid JSON: ${(e as Error).message}`] };
    const { line, column } = lineColumn(text, found.offset);
    return { ok: false, errors: [`not valid JSON at line ${line}, column ${column} (character ${found.offset}): ${found.problem}`] };
  }

  if (typeof json !== 'object' || json === null || Array.isArray(json) || (json as { format?: unknown }).format !== BACKUP_FORMAT)
    return { ok: false, errors: [`format: not a Committee Lens backup (expected "format": "${BACKUP_FORMAT}")`] };
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (version !== 1 && version !== 2)
    return {
      ok: false,
      errors: [`schemaVersion: unsupported version ${show(version)}; this version of Committee Lens reads versions 1 and 2`],
    };

  let data: FileData;
  let where: RowPath;
  const { exportedAt } = json as { exportedAt: string };
  let scope: BackupScope = { kind: 'all' };
  if (version === 1) {
    const parsed = validate(backupV1, json, { reportInput: true });
    if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues) };
    ({ data, where } = upgradeV1(parsed.data));
  } else {
    const parsed = validate(backupFileSchema, json, { reportInput: true });
    if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues) };
    ({ data, scope } = parsed.data);
    where = (table, i) => `data.${table}[${i}]`;
  }
  const errors = checkReferences(data, where);
  if (errors.length) return { ok: false, errors };
  return { ok: true, backup: { format: BACKUP_FORMAT, schemaVersion: 2, exportedAt, scope, data: completeRows(data) } };
}

/** A copy of a JSON value with object keys in alphabetical order at every level (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortKeys);
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) out[key] = sortKeys(record[key]);
  return out;
}

/** Fields of each table in file order: the key, then the others alphabetically. */
const FIELDS = Object.fromEntries(
  BACKUP_TABLES.map((t) => [t, ['key', ...Object.keys(ROW_SCHEMAS[t].shape).filter((f) => f !== 'key').sort()]]),
) as Record<
  BackupTable,
  string[]
>;

/**
 * Write a backup: one row per line, rows sorted by key, only the fields of the schema (anything else a
 * stored row carries is left out), the key first and the other fields in alphabetical order.
 */
export function serializeBackup(data: BackupData, options: { exportedAt: Date | string; scope?: BackupScope }): string {
  const exportedAt = typeof options.exportedAt === 'string' ? options.exportedAt : options.exportedAt.toISOString();
  const head = [
    `"format":${JSON.stringify(BACKUP_FORMAT)}`,
    `"schemaVersion":${BACKUP_SCHEMA_VERSION}`,
    `"exportedAt":${JSON.stringify(exportedAt)}`,
    `"scope":${JSON.stringify(sortKeys(options.scope ?? { kind: 'all' }))}`,
  ].join(',');
  const tables = BACKUP_TABLES.map((table) => {
    const fields = FIELDS[table];
    const rows = [...(data[table] as { key: string }[])].sort(byKey).map((row) => {
      const record = row as unknown as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const value = record[f];
        out[f] = value !== null && typeof value === 'object' ? sortKeys(value) : value;
      }
      return JSON.stringify(out);
    });
    return rows.length ? `"${table}":[\n${rows.join(',\n')}\n]` : `"${table}":[]`;
  });
  return `{${head},"data":{\n${tables.join(',\n')}\n}}\n`;
}
