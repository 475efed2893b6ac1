/**
 * The one message protocol between views (content scripts, popup, options) and the background worker.
 * Every message is listed here with its payload schema and the contexts allowed to send it; the
 * background validates sender and payload before anything runs. Pure: zod only.
 */
import { z } from 'zod';
import { formatPath } from './formats/problems';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { riskSettingsSchema, type RiskSettings } from './risk/settings';
import type { RiskResult } from './risk';
import {
  accountKeySchema,
  CHAMPION_EVIDENCE,
  committeeKeySchema,
  contactFields,
  dealKeySchema,
  membershipFields,
  NOTE_MAX,
  personKeySchema,
  recordKeySchema,
  type Account,
  type Contact,
  type Deal,
  type Membership,
  type Note,
  type TableName,
} from './model';

/** Who may send a message: a content script on a CRM page, or one of our extension pages. */
export type SenderKind = 'content' | 'extension';

const pageRecord = z.strictObject({
  key: personKeySchema,
  name: z.string().max(500),
  title: z.string().max(500).optional(),
  email: z.string().max(500).optional(),
});

/** What a content script read off the CRM page: the record shown and the people it lists. */
export const pageContextSchema = z.strictObject({
  key: recordKeySchema,
  name: z.string().max(500),
  title: z.string().max(500).optional(),
  email: z.string().max(500).optional(),
  accountKey: accountKeySchema.optional(),
  accountName: z.string().max(500).optional(),
  contacts: z.array(pageRecord).max(2000),
});
export type PageContextPayload = z.infer<typeof pageContextSchema>;

/** A message definition: its payload schema, who may send it, and (as a type only) its result. */
const message =
  <R>() =>
  <S extends z.ZodType>(payload: S, from: readonly SenderKind[]) => ({ payload, from, response: undefined as unknown as R });
const BOTH = ['content', 'extension'] as const;
const EXTENSION_ONLY = ['extension'] as const;

export interface CommitteeView {
  committeeKey: string;
  account: Account | null;
  deal: Deal | null;
  /** The account's deals (for an account committee; for a deal, its siblings under the same account). */
  deals: Deal[];
  /** Memberships of this committee; for an account, also those of its deals' committees. */
  members: Membership[];
  /** The members' contacts and the other known people of the account. */
  contacts: Record<string, Contact>;
  notes: Note[];
}
/**
 * An account as a person's panel needs it: the account, its deals (the committees the person can be
 * edited in) and its people (whom the person reports to). Not its members: the person page shows none.
 */
export type AccountSummary = Pick<CommitteeView, 'committeeKey' | 'account' | 'deals' | 'contacts'>;
export interface ContactView {
  contact: Contact | null;
  memberships: Membership[];
  notes: Note[];
}

export const settingsPatchSchema = z.strictObject({
  language: z.enum(['auto', 'en', 'zh']).optional(),
  displayName: z.string().max(200).optional(),
  panelCollapsed: z.boolean().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
export { DEFAULT_SETTINGS, type Settings };

/** The risk of one committee, with the names its reasons point at. */
export interface RiskView {
  committeeKey: string;
  name: string;
  result: RiskResult;
  /** contactKey → display name, for every contact a reason or the coverage names. */
  names: Record<string, string>;
}
export interface RankedDeal {
  committeeKey: string;
  name: string;
  score: number;
  level: 'low' | 'medium' | 'high';
  url: string | null;
}
/** The record a browser tab shows, as the popup needs it. */
export interface TabRecord {
  /** The committee whose risk to show: the deal or account, or the one a person's panel edits. */
  committeeKey: string;
  name: string;
}
/**
 * Everything the side panel shows for a record, in one answer: the settings it is drawn with, and the
 * person with their account's summary, or the account's or deal's committee with its risk.
 */
export type PanelView = { settings: Settings; staleDays: number } & PanelRecord;
export type PanelRecord =
  | { kind: 'person'; person: ContactView; account: AccountSummary | null }
  | { kind: 'committee'; committee: CommitteeView; risk: RiskView };
/** Everything the popup shows first, in one answer: the tab's record and its risk, or else the riskiest deals. */
export interface PopupView {
  settings: Settings;
  record: TabRecord | null;
  risk: RiskView | null;
  deals: RankedDeal[];
}
export interface ImportResult {
  ok: boolean;
  errors: string[];
  counts: Record<string, { added: number; changed: number; skipped: number }> | null;
  samples: { table: string; key: string; fields: string[] }[];
}

/** Where sync stands, for the options page and the popup's status line. */
export interface SyncStatus {
  configured: boolean;
  serverUrl: string;
  pending: number;
  lastSyncAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  failures: number;
  nextAttemptAt: number;
  /** What the last successful sync that moved anything moved, and how long each half took. */
  lastRun: SyncRun | null;
}

export interface SyncRun {
  pushed: number;
  pulled: number;
  pushMs: number;
  pullMs: number;
}

const syncConfig = z.strictObject({
  serverUrl: z.string().trim().max(2000).refine((u) => u === '' || URL.canParse(u), 'not a URL'),
  token: z.string().trim().max(500),
});

/**
 * A backup to import: the file itself, posted by our own pages to the worker (Chrome), which reads it
 * there; or its text, over runtime messaging (which cannot carry a file).
 */
const backupFile = z.union([z.strictObject({ file: z.instanceof(Blob) }), z.strictObject({ text: z.string() })]);
export type BackupFilePayload = z.infer<typeof backupFile>;

export const PROTOCOL = {
  /** Round trip with no work: health checks and the message benchmark. */
  ping: message<{ echo: string | undefined }>()(z.strictObject({ echo: z.string().max(1000).optional() }), BOTH),
  /** Record the facts the page shows (names, titles, account links) so the committee can show them. */
  'page.observe': message<{ changed: number }>()(pageContextSchema, ['content']),
  /** The side panel's view of the record a CRM page shows (the page may name a person's account). */
  'panel.load': message<PanelView>()(z.strictObject({ key: recordKeySchema, accountKey: accountKeySchema.optional() }), BOTH),
  'contact.update': message<Contact>()(
    z.strictObject({ contactKey: personKeySchema, fields: contactFields.partial() }),
    BOTH,
  ),
  'membership.update': message<Membership>()(
    z.strictObject({ committeeKey: committeeKeySchema, contactKey: personKeySchema, fields: membershipFields.partial() }),
    BOTH,
  ),
  'note.add': message<Note>()(
    z.strictObject({
      contactKey: personKeySchema,
      committeeKey: committeeKeySchema.nullable(),
      text: z.string().trim().min(1, 'a note needs text').max(NOTE_MAX),
    }),
    BOTH,
  ),
  'note.delete': message<Note>()(z.strictObject({ key: z.string().min(8).max(64) }), BOTH),
  'settings.get': message<Settings>()(z.strictObject({}), BOTH),
  'settings.update': message<Settings>()(settingsPatchSchema, BOTH),
  'risk.get': message<RiskView>()(z.strictObject({ committeeKey: committeeKeySchema }), BOTH),
  'risk.list': message<RankedDeal[]>()(z.strictObject({ query: z.string().max(200), limit: z.number().int().min(1).max(500) }), EXTENSION_ONLY),
  /** The popup opening: which record the tab (given, or the active one) shows, and its first view. */
  'popup.open': message<PopupView>()(
    z.strictObject({ tabId: z.number().int().nonnegative().nullable(), limit: z.number().int().min(1).max(500) }),
    EXTENSION_ONLY,
  ),
  'risk.settings.get': message<RiskSettings>()(z.strictObject({}), BOTH),
  'risk.settings.update': message<RiskSettings>()(z.strictObject({ settings: riskSettingsSchema }), EXTENSION_ONLY),
  /** Champion check: record (or clear) a piece of evidence, dated now. */
  'champion.evidence': message<Membership>()(
    z.strictObject({ committeeKey: committeeKeySchema, contactKey: personKeySchema, evidence: z.enum(CHAMPION_EVIDENCE), present: z.boolean() }),
    BOTH,
  ),
  /** Freshness: the rep confirms some tags are still true (re-verifies them, dated now). */
  'membership.verify': message<Membership>()(
    z.strictObject({ committeeKey: committeeKeySchema, contactKey: personKeySchema, fields: z.array(z.enum(['roles', 'stage', 'stance', 'authority', 'influence'])).min(1) }),
    BOTH,
  ),
  'import.preview': message<ImportResult>()(backupFile, EXTENSION_ONLY),
  'import.apply': message<ImportResult>()(backupFile, EXTENSION_ONLY),
  /** Sync settings and status: only from our own pages (the token never reaches a CRM page). */
  'sync.configure': message<SyncStatus>()(syncConfig, EXTENSION_ONLY),
  'sync.test': message<{ team: string; member: string }>()(syncConfig, EXTENSION_ONLY),
  'sync.status': message<SyncStatus>()(z.strictObject({}), EXTENSION_ONLY),
  'sync.now': message<SyncStatus>()(z.strictObject({}), EXTENSION_ONLY),
  /** Attach a deal to its account (the deal's committee then counts for the account). */
  'deal.link': message<Deal>()(z.strictObject({ dealKey: dealKeySchema, accountKey: accountKeySchema }), BOTH),
} as const;

export type MessageType = keyof typeof PROTOCOL;
export type Payload<T extends MessageType> = z.input<(typeof PROTOCOL)[T]['payload']>;
export type Result<T extends MessageType> = (typeof PROTOCOL)[T]['response'];

/** The envelope every request travels in. */
export const requestSchema = z.strictObject({
  channel: z.literal('committee-lens'),
  type: z.string().max(64),
  payload: z.unknown(),
});
export type Request = z.infer<typeof requestSchema>;

export type ErrorCode = 'forbidden' | 'unknown_type' | 'invalid_payload' | 'not_found' | 'internal';
export interface ProtocolError {
  code: ErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
}
export type Response<R> = { ok: true; data: R } | { ok: false; error: ProtocolError };

/** In a change broadcast's keys: everything may have changed (bulk imports, resyncs). */
export const ALL_KEYS = '*';

/** The change broadcast the background sends to every open view after each write. */
export interface ChangeBroadcast {
  channel: 'committee-lens';
  type: 'changed';
  tables: TableName[];
  keys: string[];
}
/** The background relays the toggle shortcut (manifest command) to the active tab. */
export interface ToggleBroadcast {
  channel: 'committee-lens';
  type: 'toggle-panel';
}

export function validationError(error: z.ZodError, what: string): ProtocolError {
  const issues = error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return {
    code: 'invalid_payload',
    message: `${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
    issues,
  };
}
