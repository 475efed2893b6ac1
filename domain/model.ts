/**
 * The data model: the rows the extension stores, syncs and exports, with their schemas.
 * Every synced row has a string `key` (a record key, a membership key or a note id), an `updatedAt`
 * time and a `changed` map (field → time of its last change) that import merges use. Deletes are
 * tombstones (`deleted: true`), never removals.
 */
import { z } from 'zod';
import { parseMembershipKey } from './rows';
import { AUTHORITY, INFLUENCE, ROLE, SEGMENT, STAGE, STANCE } from './taxonomy';
import { CHAMPION_EVIDENCE, CRMS, isRecordKey, OBJECT_TYPES, membershipKey, MEMBERSHIP_SEPARATOR, recordKeyKind, type RecordKind } from './ids';

export const TEXT_MAX = 500;
export const NOTE_MAX = 10_000;

const text = (max = TEXT_MAX) => z.string().max(max);
const recordKeyOf = (kind?: RecordKind) =>
  z.string().refine(
    (k) => {
      const found = recordKeyKind(k);
      return found !== null && (!kind || found === kind);
    },
    { message: kind ? `not a ${kind} record key` : 'not a record key' },
  );
export const recordKeySchema = recordKeyOf();
export const personKeySchema = recordKeyOf('person');
export const accountKeySchema = recordKeyOf('account');
export const dealKeySchema = recordKeyOf('deal');
/** A committee is an account's or a deal's. */
export const committeeKeySchema = z.string().refine(
  (k) => {
    const found = recordKeyKind(k);
    return found !== null && found !== 'person';
  },
  { message: 'not an account or deal record key' },
);

/** A time: milliseconds since 1970, a non-negative whole number. */
export const timestamp = z.number().int().nonnegative();
/** An object of named values (not an array, null or a class instance), from this realm or another. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => Object.prototype.toString.call(value) === '[object Object]';
const isTime = (t: unknown) => typeof t === 'number' && Number.isSafeInteger(t) && t >= 0;
/** Longest field name a time map may hold. */
export const FIELD_NAME_MAX = 100;
/** What is wrong with a field → time map (a row's `changed`, a membership's `verified`); null when nothing. */
function timeMapProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return 'expected an object of field names to times';
  for (const field in value) {
    if (field.length > FIELD_NAME_MAX) return `field name too long (at most ${FIELD_NAME_MAX} characters): ${JSON.stringify(field.slice(0, 40))}…`;
    if (!isTime(value[field])) return `${JSON.stringify(field)}: expected a time (a non-negative whole number), got ${JSON.stringify(value[field]) ?? String(value[field])}`;
  }
  return null;
}
/**
 * A field → time map, checked in place: zod's record would rebuild every map, and an import or a pull checks
 * a few hundred thousand of them.
 */
export const timeMap = z.custom<Record<string, number>>((value) => timeMapProblem(value) === null, { error: (issue) => timeMapProblem(issue.input) ?? 'not a time map' });

/** Fields a rep or the page sets on a person (contact or lead). */
export const contactFields = z.strictObject({
  name: text(),
  title: text(),
  email: text(),
  accountKey: accountKeySchema.nullable(),
  department: text(100),
  reportsTo: personKeySchema.nullable(),
  win: text(1000),
});
export const accountFields = z.strictObject({
  name: text(),
  segment: z.enum(SEGMENT.ids).nullable(),
});
export const dealFields = z.strictObject({
  name: text(),
  accountKey: accountKeySchema.nullable(),
  stage: z.enum(STAGE.ids).nullable(),
});

/** Evidence that a champion really is one (see the champion check). */
export { CHAMPION_EVIDENCE };
export type ChampionEvidence = (typeof CHAMPION_EVIDENCE)[number];

export const membershipFields = z.strictObject({
  /** The account the committee belongs to (for an account committee: the account itself). */
  accountKey: accountKeySchema.nullable(),
  roles: z.array(z.enum(ROLE.ids)).max(ROLE.ids.length).refine((r) => new Set(r).size === r.length, 'duplicate role'),
  stage: z.enum(STAGE.ids).nullable(),
  stance: z.enum(STANCE.ids).nullable(),
  authority: z.enum(AUTHORITY.ids),
  influence: z.enum(INFLUENCE.ids).nullable(),
  /** Champion check: evidence id → time it was recorded. */
  evidence: z.partialRecord(z.enum(CHAMPION_EVIDENCE), timestamp),
  /** Field → time the rep last confirmed it is still true. */
  verified: timeMap,
});

export const noteFields = z.strictObject({
  contactKey: personKeySchema,
  committeeKey: committeeKeySchema.nullable(),
  text: z.string().min(1).max(NOTE_MAX),
  author: text(200),
  createdAt: timestamp,
});

/** A note's fields, in the schema's order: a note is written whole, once. */
export const NOTE_FIELD_NAMES = Object.keys(noteFields.shape) as (keyof z.infer<typeof noteFields>)[];

export type ContactFields = z.infer<typeof contactFields>;
export type AccountFields = z.infer<typeof accountFields>;
export type DealFields = z.infer<typeof dealFields>;
export type MembershipFields = z.infer<typeof membershipFields>;
export type NoteFields = z.infer<typeof noteFields>;

interface RowMeta {
  key: string;
  updatedAt: number;
  changed: Record<string, number>;
  deleted?: boolean;
}
export type Contact = RowMeta & ContactFields & { crm: (typeof CRMS)[number]; org: string; object: 'contact' | 'lead' };
export type Account = RowMeta & AccountFields;
export type Deal = RowMeta & DealFields;
export type Membership = RowMeta &
  MembershipFields & {
    committeeKey: string;
    contactKey: string;
    /** The deal, for a deal committee. */
    dealKey: string | null;
  };
export type Note = RowMeta & NoteFields & { deletedAt?: number; deletedBy?: string };

/** The synced tables and the fields a mutation may set on each. */
export const TABLE_FIELDS = {
  contacts: contactFields,
  accounts: accountFields,
  deals: dealFields,
  memberships: membershipFields,
  notes: noteFields,
} as const;
export type TableName = keyof typeof TABLE_FIELDS;
/**
 * Each table's fields, every one optional: what a put mutation may set. Built once here: creating a zod
 * schema costs far more than running it (per mutation, it was most of a 10,000-mutation push's checks).
 */
export const TABLE_PATCH = {
  contacts: contactFields.partial(),
  accounts: accountFields.partial(),
  deals: dealFields.partial(),
  memberships: membershipFields.partial(),
  notes: noteFields.partial(),
} as const;
export const TABLES = Object.keys(TABLE_FIELDS) as TableName[];
export interface TableRow {
  contacts: Contact;
  accounts: Account;
  deals: Deal;
  memberships: Membership;
  notes: Note;
}

export { membershipKey, MEMBERSHIP_SEPARATOR };
const NOTE_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** The key schema of each table. */
export const TABLE_KEY = {
  contacts: personKeySchema,
  accounts: accountKeySchema,
  deals: dealKeySchema,
  memberships: z.string().refine((k) => parseMembershipKey(k) !== null, 'not a membership key'),
  notes: z.string().regex(NOTE_ID, 'not a note id'),
} satisfies Record<TableName, z.ZodType<string>>;

export { emptyAccount, emptyContact, emptyDeal, emptyMembership, parseMembershipKey } from './rows';
export { isRecordKey, OBJECT_TYPES };
