/** What each message does. Handlers receive payloads already validated by the router. */
import { kindOf, parseRecordKey } from '../../domain/ids';
import { membershipKey, type Membership, type TableName } from '../../domain/model';
import { recordUrl } from '../../crm';
import { affectedDeals, BULK_CHANGE, committeeRisk, markRiskStale, rankedDeals, refreshAllRisk, refreshRisk, refreshStaleRisk, riskSettings, saveRiskSettings } from '../../storage/risk';
import { applyImport, previewImport } from '../../storage/transfer';
import type { Mutation } from '../../domain/mutations';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import {
  ALL_KEYS,
  type BackupFilePayload,
  type MessageType,
  type PageContextPayload,
  type PanelRecord,
  type Payload,
  type RankedDeal,
  type Result,
  type RiskView,
  type SenderKind,
  type TabRecord,
} from '../../domain/protocol';
import type { Settings } from '../../domain/settings';
import { committeeView, contactsByKey, personPanel } from '../../storage/queries';
import { changedKeys, commit, getMeta, setMeta, type ChangedRow } from '../../storage/writes';
import type { CommitteeDb } from '../../storage/db';
import { groupedTable, membershipTable, presentGrouped } from '../../storage/tables';
import { HandlerError } from './router';
import { recordInTab } from './tabs';
import type { SyncService } from './sync-service';

export type Handlers = {
  [T in MessageType]: (payload: Payload<T>, from: SenderKind) => Promise<Result<T>>;
};

export interface HandlerDeps {
  db: CommitteeDb;
  now: () => number;
  /** Tell every open view what changed. */
  broadcast: (tables: TableName[], keys: string[]) => void;
  /** Team sync (absent in tests that do not need it). */
  sync?: SyncService;
  /** The record a tab shows (a given tab, or the active one); tests replace the browser's tabs. */
  tabRecord?: (tabId: number | null) => Promise<TabRecord | null>;
}

const SETTINGS = 'settings';
/** The backup an import request carries: the file itself, or its text. */
const backupSource = (backup: BackupFilePayload) => ('file' in backup ? backup.file : backup.text);

/** Page facts (names, titles, account links) that differ from what is stored, as mutations. */
async function observationMutations(db: CommitteeDb, ctx: PageContextPayload, at: number): Promise<Mutation[]> {
  const out: Mutation[] = [];
  const kind = kindOf(parseRecordKey(ctx.key)!.object);
  const put = (table: TableName, key: string, stored: Record<string, unknown> | undefined, facts: Record<string, unknown>) => {
    if (stored?.deleted) return;
    const fields: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(facts)) if (v !== undefined && v !== '' && stored?.[f] !== v) fields[f] = v;
    if (Object.keys(fields).length) out.push({ name: 'put', table, key, fields, at });
  };
  const asRecord = (row: object | undefined) => row as Record<string, unknown> | undefined;
  // The stored rows the page names, from one read of their accounts' records (the page's account usually holds them all).
  const only = (...keys: (string | null | undefined | false)[]) => keys.filter((k): k is string => !!k);
  const stored = await presentGrouped(db, {
    accounts: only(ctx.accountKey, kind === 'account' && ctx.key),
    contacts: only(kind === 'person' && ctx.key, ...ctx.contacts.map((c) => c.key)),
    deals: only(kind === 'deal' && ctx.key),
  });
  if (ctx.accountKey) put('accounts', ctx.accountKey, asRecord(stored.accounts.get(ctx.accountKey)), { name: ctx.accountName });
  if (kind === 'person')
    put('contacts', ctx.key, asRecord(stored.contacts.get(ctx.key)), {
      name: ctx.name,
      title: ctx.title,
      email: ctx.email,
      accountKey: ctx.accountKey,
    });
  else if (kind === 'account') put('accounts', ctx.key, asRecord(stored.accounts.get(ctx.key)), { name: ctx.name });
  else put('deals', ctx.key, asRecord(stored.deals.get(ctx.key)), { name: ctx.name, accountKey: ctx.accountKey });
  const listedAccount = kind === 'account' ? ctx.key : ctx.accountKey;
  ctx.contacts.forEach((c) => {
    const row = stored.contacts.get(c.key);
    put('contacts', c.key, asRecord(row), {
      name: c.name,
      title: c.title,
      email: c.email,
      // A person listed on an account (or its deal) belongs to that account unless we know better.
      accountKey: row?.accountKey ? undefined : listedAccount,
    });
  });
  return out;
}

export function createHandlers({ db, now, broadcast, sync, tabRecord = recordInTab }: HandlerDeps): Handlers {
  async function riskView(committeeKey: string): Promise<RiskView> {
    const result = await committeeRisk(db, committeeKey, now());
    const keys = new Set([...result.reasons.flatMap((r) => r.contactKeys), ...result.coverage.engaged]);
    const contacts = await contactsByKey(db, keys);
    const names = Object.fromEntries([...keys].map((k) => [k, contacts[k]?.name ?? '']));
    const record = (await groupedTable(db, 'deals').get(committeeKey)) ?? (await groupedTable(db, 'accounts').get(committeeKey));
    return { committeeKey, name: record?.name ?? '', result, names };
  }
  /** The record part of the panel's view; a person's account is the page's, else the stored one. */
  async function panelRecord(key: string, pageAccount: string | undefined): Promise<PanelRecord> {
    if (kindOf(parseRecordKey(key)!.object) !== 'person') {
      const [committee, risk] = await Promise.all([committeeView(db, key), riskView(key)]);
      return { kind: 'committee', committee, risk };
    }
    return { kind: 'person', ...(await personPanel(db, key, pageAccount)) };
  }
  async function riskList(query: string, limit: number): Promise<RankedDeal[]> {
    return (await rankedDeals(db, query, limit)).map((r) => ({ committeeKey: r.committeeKey, name: r.name, score: r.score, level: r.level, url: recordUrl(r.committeeKey) }));
  }
  async function write(mutations: Mutation[]): Promise<ChangedRow[]> {
    if (mutations.length === 0) return [];
    const changed = await commit(db, mutations);
    if (changed.length) await afterChange(changed);
    return changed;
  }
  /**
   * After any local change: re-rank the deals it touches, tell the views, push it to the team soon.
   * A bulk change is announced as everything, answers at once and re-ranks every deal right after (an
   * import also marks the ranking stale in its own transaction, so a stopped worker finishes it at start).
   */
  async function afterChange(changed: { table: TableName; key: string; row: object }[]) {
    const tables = [...new Set(changed.map((c) => c.table))];
    if (changed.length > BULK_CHANGE) {
      broadcast(tables, [ALL_KEYS]);
      void markRiskStale(db).then(rerankStale);
    } else {
      await refreshRisk(db, await affectedDeals(db, changed), now());
      broadcast(tables, changedKeys(changed));
    }
    sync?.schedule();
  }
  /** Re-rank every deal if a bulk change left the ranking stale, then tell the views. */
  async function rerankStale() {
    if (await refreshStaleRisk(db, now())) broadcast([], [ALL_KEYS]);
  }
  async function membershipPatch(committeeKey: string, contactKey: string, build: (m: Membership | undefined) => Record<string, unknown>) {
    const key = membershipKey(committeeKey, contactKey);
    const changed = await write([{ name: 'put', table: 'memberships', key, fields: build(await membershipTable(db).get(key)), at: now() }]);
    return rowOf<Membership>(changed, () => membershipTable(db).get(key));
  }
  async function settings(): Promise<Settings> {
    return { ...DEFAULT_SETTINGS, ...(await getMeta<Partial<Settings>>(db, SETTINGS, {})) };
  }
  function rowOf<T>(changed: ChangedRow[], fallback: () => Promise<T | undefined>): Promise<T> {
    const row = changed[0]?.row as T | undefined;
    return row ? Promise.resolve(row) : fallback().then((r) => {
      if (!r) throw new HandlerError({ code: 'not_found', message: 'The record was not found (it may have been deleted).' });
      return r;
    });
  }

  function syncService(): SyncService {
    if (!sync) throw new HandlerError({ code: 'internal', message: 'Sync is not available here.' });
    return sync;
  }
  function syncError(error: unknown): never {
    throw new HandlerError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
  }

  return {
    async ping({ echo }) {
      return { echo };
    },
    async 'page.observe'(ctx) {
      return { changed: (await write(await observationMutations(db, ctx, now()))).length };
    },
    async 'panel.load'({ key, accountKey }) {
      const [current, { staleDays }, record] = await Promise.all([settings(), riskSettings(db), panelRecord(key, accountKey)]);
      return { settings: current, staleDays, ...record };
    },
    async 'contact.update'({ contactKey, fields }) {
      if (fields.reportsTo === contactKey)
        throw new HandlerError({ code: 'invalid_payload', message: 'A contact cannot report to itself.' });
      const changed = await write([{ name: 'put', table: 'contacts', key: contactKey, fields, at: now() }]);
      return rowOf(changed, () => groupedTable(db, 'contacts').get(contactKey));
    },
    async 'membership.update'({ committeeKey, contactKey, fields }) {
      const isDeal = kindOf(parseRecordKey(committeeKey)!.object) === 'deal';
      const accountKey = isDeal ? ((await groupedTable(db, 'deals').get(committeeKey))?.accountKey ?? null) : committeeKey;
      return membershipPatch(committeeKey, contactKey, (existing) => {
        const patch: Record<string, unknown> = { ...fields };
        if ((!existing || existing.accountKey === null) && (accountKey || !existing)) patch.accountKey = accountKey;
        return patch;
      });
    },
    async 'note.add'({ contactKey, committeeKey, text }) {
      const key = crypto.randomUUID();
      const { displayName } = await settings();
      const at = now();
      const fields = { contactKey, committeeKey, text, author: displayName, createdAt: at };
      const changed = await write([{ name: 'put', table: 'notes', key, fields, at }]);
      return rowOf(changed, () => db.notes.get(key));
    },
    async 'note.delete'({ key }) {
      const existing = await db.notes.get(key);
      if (!existing) throw new HandlerError({ code: 'not_found', message: 'That note does not exist.' });
      const { displayName } = await settings();
      const changed = await write([{ name: 'delete', table: 'notes', key, at: now(), by: displayName }]);
      return rowOf(changed, () => db.notes.get(key));
    },
    async 'settings.get'() {
      return settings();
    },
    async 'settings.update'(patch) {
      const next = { ...(await settings()), ...patch };
      await setMeta(db, SETTINGS, next);
      broadcast([], [SETTINGS]);
      return next;
    },
    async 'sync.configure'(config) {
      return syncService().configure(config).catch(syncError);
    },
    async 'sync.test'(config) {
      return syncService().test(config).catch(syncError);
    },
    async 'sync.status'() {
      return syncService().status();
    },
    async 'sync.now'() {
      return syncService().syncNow();
    },
    async 'risk.get'({ committeeKey }) {
      return riskView(committeeKey);
    },
    async 'risk.list'({ query, limit }) {
      return riskList(query, limit);
    },
    async 'popup.open'({ tabId, limit }) {
      const [record, current] = await Promise.all([tabRecord(tabId), settings()]);
      const [risk, deals] = record ? [await riskView(record.committeeKey), []] : [null, await riskList('', limit)];
      return { settings: current, record, risk, deals };
    },
    async 'risk.settings.get'() {
      return riskSettings(db);
    },
    async 'risk.settings.update'({ settings }) {
      await saveRiskSettings(db, settings, now());
      await refreshAllRisk(db, now());
      broadcast([], ['riskSettings']);
      return settings;
    },
    async 'champion.evidence'({ committeeKey, contactKey, evidence, present }) {
      return membershipPatch(committeeKey, contactKey, (m) => {
        const next = { ...(m?.evidence ?? {}) } as Record<string, number>;
        if (present) next[evidence] = now();
        else delete next[evidence];
        return { evidence: next };
      });
    },
    async 'membership.verify'({ committeeKey, contactKey, fields }) {
      return membershipPatch(committeeKey, contactKey, (m) => ({ verified: { ...(m?.verified ?? {}), ...Object.fromEntries(fields.map((f) => [f, now()])) } }));
    },
    async 'import.preview'(backup) {
      return previewImport(db, backupSource(backup));
    },
    async 'import.apply'(backup) {
      const { written, ...result } = await applyImport(db, backupSource(backup));
      if (written.length) await afterChange(written);
      else if (result.ok) broadcast([], ['riskSettings']);
      return result;
    },
    async 'deal.link'({ dealKey, accountKey }) {
      const changed = await write([{ name: 'put', table: 'deals', key: dealKey, fields: { accountKey }, at: now() }]);
      return rowOf(changed, () => groupedTable(db, 'deals').get(dealKey));
    },
  };
}
