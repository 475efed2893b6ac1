/**
 * The JSON backup (see BACKUP-FORMAT.md): a versioned file of every row, tombstones included.
 * Writing is deterministic (fixed top-level order, fields in alphabetical order, rows sorted by key),
 * so export → wipe → import → export gives the same bytes apart from `exportedAt`.
 * Reading checks the size first, then the JSON syntax, then the whole file against the schema and
 * the references between rows, and reports every problem with its path. Version 1 files are upgraded.
 */
import { z } from 'zod';
import { CRMS, kindOf, parseRecordKey } from '../ids';
import {
  accountFields,
  accountKeySchema,
  committeeKeySchema,
  contactFields,
  dealFields,
  dealKeySchema,
  emptyMembership,
  membershipFields,
  membershipKey,
  NOTE_MAX,
  noteFields,
  parseMembershipKey,
  personKeySchema,
  TABLE_KEY,
  type TableRow,
} from '../model';
import { formatIssues, jsonSyntaxError, lineColumn, show } from './problems';

export const BACKUP_FORMAT = 'committee-lens-backup';
export const BACKUP_SCHEMA_VERSION = 2;
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

const timestamp = z.number().int().nonnegative();
const changedMap = z.record(z.string().max(100), timestamp);
const meta = { updatedAt: timestamp, changed: changedMap, deleted: z.boolean().optional() };

// Parts that repeat the row key (a membership's committee, contact and deal; a contact's crm, org and
// object) are compared with the parsed key after the schema pass instead of being parsed again.
const contactRow = contactFields.extend({
  key: personKeySchema,
  crm: z.enum(CRMS),
  org: z.string().max(100),
  object: z.enum(['contact', 'lead']),
  ...meta,
});
const accountRow = accountFields.extend({ key: accountKeySchema, ...meta });
const dealRow = dealFields.extend({ key: dealKeySchema, ...meta });
const membershipRow = membershipFields.extend({
  key: TABLE_KEY.memberships,
  committeeKey: z.string(),
  contactKey: z.string(),
  dealKey: z.string().nullable(),
  ...meta,
});
const noteRow = noteFields.extend({
  key: TABLE_KEY.notes,
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
  z.strictObject({ kind: z.literal('accounts'), accountKeys: z.array(accountKeySchema) }),
]);
/** What the file holds: everything, or the committees of some accounts. Informative; import ignores it. */
export type BackupScope = z.infer<typeof scopeSchema>;

const backupV2 = z.strictObject({
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
  .extend({ contactKey: personKeySchema, updatedAt: timestamp, changed: changedMap });
const backupV1 = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  schemaVersion: z.literal(1),
  exportedAt: z.iso.datetime(),
  contacts: z.array(contactRow.omit({ deleted: true })),
  accounts: z.array(accountRow.omit({ deleted: true })),
  deals: z.array(dealRow.omit({ deleted: true })),
  committees: z.array(
    z.strictObject({ key: committeeKeySchema, accountKey: accountKeySchema.nullable(), members: z.array(memberV1) }),
  ),
  notes: z.array(noteFields.extend({ key: TABLE_KEY.notes })),
  settings: z.record(z.string().min(1).max(200), z.json()),
});
export type BackupV1 = z.infer<typeof backupV1>;

/** Where a row of the upgraded backup came from in the file, for messages. */
type RowPath = (table: BackupTable, index: number) => string;

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Upgrade a version 1 file to the current shape; `where` names each row's place in the old file. */
export function upgradeV1(v1: BackupV1): { backup: Backup; where: RowPath } {
  const memberships: TableRow['memberships'][] = [];
  const memberPaths: string[] = [];
  v1.committees.forEach((committee, c) =>
    committee.members.forEach((member, m) => {
      const { contactKey, ...fields } = member;
      memberships.push({ ...emptyMembership(membershipKey(committee.key, contactKey), committee.accountKey), ...fields });
      memberPaths.push(`committees[${c}].members[${m}]`);
    }),
  );
  const notes = v1.notes.map((note) => ({
    ...note,
    updatedAt: note.createdAt,
    changed: Object.fromEntries(['contactKey', 'committeeKey', 'text', 'author', 'createdAt'].map((f) => [f, note.createdAt])),
  }));
  const settings = Object.keys(v1.settings)
    .sort()
    .map((key) => ({ key, value: v1.settings[key] as JsonValue, updatedAt: 0 }));
  const backup: Backup = {
    format: BACKUP_FORMAT,
    schemaVersion: 2,
    exportedAt: v1.exportedAt,
    scope: { kind: 'all' },
    data: { contacts: v1.contacts, accounts: v1.accounts, deals: v1.deals, memberships, notes, settings },
  };
  const where: RowPath = (table, i) =>
    table === 'memberships' ? (memberPaths[i] ?? '') : table === 'settings' ? `settings[${JSON.stringify(settings[i]?.key)}]` : `${table}[${i}]`;
  return { backup, where };
}

/** Checks the schema cannot express: duplicate keys, parts that must match the key, empty live notes. */
export function checkReferences(data: BackupData, where: RowPath): string[] {
  const errors: string[] = [];
  for (const table of BACKUP_TABLES) {
    const seen = new Map<string, number>();
    data[table].forEach((row, i) => {
      const first = seen.get(row.key);
      if (first === undefined) seen.set(row.key, i);
      else errors.push(`${where(table, i)}: duplicate key ${JSON.stringify(row.key)} (first at ${where(table, first)})`);
    });
  }
  const mismatch = (path: string, field: string, value: unknown, expected: unknown) =>
    errors.push(`${path}.${field}: ${JSON.stringify(value)} does not match the key (expected ${JSON.stringify(expected)})`);
  data.contacts.forEach((c, i) => {
    const ref = parseRecordKey(c.key);
    if (!ref) return;
    for (const f of ['crm', 'org', 'object'] as const) if (c[f] !== ref[f]) mismatch(where('contacts', i), f, c[f], ref[f]);
  });
  data.memberships.forEach((m, i) => {
    const parts = parseMembershipKey(m.key);
    if (!parts) return;
    const path = where('memberships', i);
    const isDeal = kindOf(parseRecordKey(parts.committeeKey)!.object) === 'deal';
    if (m.committeeKey !== parts.committeeKey) mismatch(path, 'committeeKey', m.committeeKey, parts.committeeKey);
    if (m.contactKey !== parts.contactKey) mismatch(path, 'contactKey', m.contactKey, parts.contactKey);
    const dealKey = isDeal ? parts.committeeKey : null;
    if (m.dealKey !== dealKey) mismatch(path, 'dealKey', m.dealKey, dealKey);
    if (!isDeal && m.accountKey !== parts.committeeKey) mismatch(path, 'accountKey', m.accountKey, parts.committeeKey);
  });
  data.notes.forEach((n, i) => {
    if (!n.deleted && n.text === '') errors.push(`${where('notes', i)}.text: must not be empty (only a deleted note has no text)`);
  });
  return errors;
}

export type ParseResult = { ok: true; backup: Backup } | { ok: false; errors: string[] };

/** UTF-8 size of a string without encoding it. */
function utf8Length(text: string): number {
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

/** Read a backup file. Nothing is returned unless the whole file is valid. */
export function parseBackup(text: string, options: { maxBytes?: number } = {}): ParseResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes))
    return { ok: false, errors: [`the file is too large (${megabytes(utf8Length(text))}); the limit is ${megabytes(maxBytes)}`] };
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

  let backup: Backup;
  let where: RowPath;
  if (version === 1) {
    const parsed = backupV1.safeParse(json, { reportInput: true });
    if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues) };
    ({ backup, where } = upgradeV1(parsed.data));
  } else {
    const parsed = backupV2.safeParse(json, { reportInput: true });
    if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues) };
    backup = parsed.data as Backup;
    where = (table, i) => `data.${table}[${i}]`;
  }
  const errors = checkReferences(backup.data, where);
  return errors.length ? { ok: false, errors } : { ok: true, backup };
}

/** JSON with object keys in alphabetical order at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

const FIELDS = Object.fromEntries(BACKUP_TABLES.map((t) => [t, Object.keys(ROW_SCHEMAS[t].shape).sort()])) as Record<
  BackupTable,
  string[]
>;

/**
 * Write a backup: one row per line, rows sorted by key, only the fields of the schema (anything else a
 * stored row carries is left out), fields in alphabetical order.
 */
export function serializeBackup(data: BackupData, options: { exportedAt: Date | string; scope?: BackupScope }): string {
  const exportedAt = typeof options.exportedAt === 'string' ? options.exportedAt : options.exportedAt.toISOString();
  const head = [
    `"format":${JSON.stringify(BACKUP_FORMAT)}`,
    `"schemaVersion":${BACKUP_SCHEMA_VERSION}`,
    `"exportedAt":${JSON.stringify(exportedAt)}`,
    `"scope":${canonicalJson(options.scope ?? { kind: 'all' })}`,
  ].join(',');
  const tables = BACKUP_TABLES.map((table) => {
    const fields = FIELDS[table];
    const rows = [...(data[table] as { key: string }[])].sort(byKey).map((row) => {
      const record = row as unknown as Record<string, unknown>;
      const parts: string[] = [];
      for (const f of fields) if (record[f] !== undefined) parts.push(`${JSON.stringify(f)}:${canonicalJson(record[f])}`);
      return `{${parts.join(',')}}`;
    });
    return rows.length ? `"${table}":[\n${rows.join(',\n')}\n]` : `"${table}":[]`;
  });
  return `{${head},"data":{\n${tables.join(',\n')}\n}}\n`;
}
