/**
 * The panel's state and actions (zustand). It knows nothing of the CRM: it is given the page
 * context the adapter read and talks to the background through the protocol client.
 */
import { createStore } from 'zustand/vanilla';
import type { PageContext } from '../../crm/types';
import { kindOf, parseRecordKey, type RecordKind } from '../../domain/ids';
import type { ContactFields, Membership, MembershipFields } from '../../domain/model';
import { membershipKey, type CHAMPION_EVIDENCE } from '../../domain/ids';
import type { TagField } from './Freshness';
import { emptyMembership } from '../../domain/rows';
import type { AccountSummary, ChangeBroadcast, CommitteeView, ContactView, MessageType, Payload, Result, RiskView } from '../../domain/protocol';
import { DEFAULT_SETTINGS, type Settings } from '../../domain/settings';
import type { Language } from '../../domain/taxonomy';
import { resolveLanguage } from '../i18n';

export type Call = <T extends MessageType>(type: T, payload: Payload<T>) => Promise<Result<T>>;

export interface PanelState {
  settings: Settings;
  lang: Language;
  page: PageContext | null;
  kind: RecordKind | null;
  /** The committee being edited on a person page; the committee shown on an account or deal page. */
  committeeKey: string | null;
  person: ContactView | null;
  committee: CommitteeView | null;
  /** The account's summary (its deals and people) on a person page. */
  account: AccountSummary | null;
  loading: boolean;
  error: string | null;
  /** Tags older than this many days are shown as stale (the risk settings' threshold). */
  staleDays: number;
  /** Whether the stored settings have arrived (until then the defaults show). */
  settingsLoaded: boolean;
  /** The risk of the committee shown (account or deal pages). */
  risk: RiskView | null;
  /** Keys whose change means the panel must reload. */
  watched: Set<string>;
}

export interface PanelActions {
  setPage(page: PageContext | null): Promise<void>;
  reload(): Promise<void>;
  chooseCommittee(key: string): Promise<void>;
  updateMembership(contactKey: string, fields: Partial<MembershipFields>, committeeKey?: string): Promise<void>;
  updateContact(contactKey: string, fields: Partial<ContactFields>): Promise<void>;
  addNote(text: string): Promise<void>;
  deleteNote(key: string): Promise<void>;
  setEvidence(evidence: (typeof CHAMPION_EVIDENCE)[number], present: boolean): Promise<void>;
  verify(fields: TagField[]): Promise<void>;
  toggle(collapsed?: boolean): Promise<void>;
  onChange(change: ChangeBroadcast): void;
  loadSettings(): Promise<void>;
}

export type PanelStore = ReturnType<typeof createPanelStore>;

/** Resolves once the store has finished loading the record (or failed), or after `ms`, whichever is first. */
export function whenLoaded(store: PanelStore, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (!store.getState().loading) return resolve();
    const done = () => (clearTimeout(timer), unsubscribe(), resolve());
    const timer = setTimeout(done, ms);
    const unsubscribe = store.subscribe((s) => void (!s.loading && done()));
  });
}

function sameContext(a: PageContext | null, b: PageContext | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.key === b.key &&
    a.name === b.name &&
    a.title === b.title &&
    a.email === b.email &&
    a.accountKey === b.accountKey &&
    a.accountName === b.accountName &&
    a.contacts.length === b.contacts.length &&
    a.contacts.every((c, i) => c.key === b.contacts[i]?.key && c.name === b.contacts[i]?.name)
  );
}

function sameAnchors(a: PageContext, b: PageContext): boolean {
  return a.anchors.length === b.anchors.length && a.anchors.every((x, i) => x.key === b.anchors[i]!.key && x.element === b.anchors[i]!.element);
}

export function createPanelStore(call: Call, browserLanguage: string) {
  let generation = 0;
  const store = createStore<PanelState & PanelActions>()((set, get) => {
    const fail = (error: unknown) => set({ error: error instanceof Error ? error.message : String(error), loading: false });

    /** Record the page's facts; true when that changed stored rows. */
    async function observe(page: PageContext): Promise<boolean> {
      const { anchors: _anchors, crm: _crm, org: _org, object: _object, ...facts } = page;
      const payload = {
        ...facts,
        contacts: facts.contacts.slice(0, 2000).map(({ key, name, title, email }) => ({ key, name, ...(title ? { title } : {}), ...(email ? { email } : {}) })),
      };
      // Page facts are best effort: the panel works from stored tags even if they cannot be recorded.
      const result = await call('page.observe', payload as Payload<'page.observe'>).catch((error) => {
        console.warn('Committee Lens: page facts not recorded', error);
        return null;
      });
      return !!result?.changed;
    }

    async function load() {
      const { page, kind } = get();
      const mine = ++generation;
      if (!page || !kind) return;
      try {
        // One request: the settings and the record's view come together (the page may name the account).
        const view = await call('panel.load', { key: page.key, ...(page.accountKey ? { accountKey: page.accountKey } : {}) });
        if (mine !== generation) return;
        // The settings come with the first view; after that the change broadcast keeps them (a view asked for
        // before a toggle must not undo it).
        const shown = { ...(get().settingsLoaded ? {} : withSettings(view.settings, view.staleDays)), loading: false, error: null };
        if (view.kind === 'person') {
          const { person, account } = view;
          const accountKey = account?.committeeKey ?? null;
          const current = get().committeeKey;
          const options = committeeOptions(person, account);
          const committeeKey = current && options.includes(current) ? current : (accountKey ?? options[0] ?? null);
          const watched = new Set([page.key, ...(accountKey ? [accountKey] : []), ...options]);
          set({ ...shown, person, account, committeeKey, committee: null, watched });
        } else {
          const { committee, risk } = view;
          const watched = new Set([page.key, ...page.contacts.map((c) => c.key), ...Object.keys(committee.contacts), 'riskSettings']);
          set({ ...shown, committee, risk, committeeKey: page.key, person: null, account: null, watched });
        }
      } catch (error) {
        if (mine === generation) fail(error);
      }
    }
    const withSettings = (settings: Settings, staleDays: number) => ({
      settings,
      lang: resolveLanguage(settings.language, browserLanguage),
      staleDays,
      settingsLoaded: true,
    });

    return {
      settings: DEFAULT_SETTINGS,
      lang: resolveLanguage('auto', browserLanguage),
      page: null,
      kind: null,
      committeeKey: null,
      person: null,
      committee: null,
      account: null,
      risk: null,
      staleDays: 21,
      settingsLoaded: false,
      loading: false,
      error: null,
      watched: new Set(),

      async loadSettings() {
        const [settings, risk] = await Promise.all([call('settings.get', {}), call('risk.settings.get', {})]);
        set(withSettings(settings, risk.staleDays));
      },

      async setPage(page) {
        const previous = get().page;
        if (sameContext(previous, page)) {
          if (page && !sameAnchors(previous!, page)) set({ page }); // fresh anchors for the role chips
          return;
        }
        const kind = page ? kindOf(parseRecordKey(page.key)!.object) : null;
        const recordChanged = previous?.key !== page?.key;
        set({
          page,
          kind,
          ...(recordChanged ? { person: null, committee: null, account: null, risk: null, committeeKey: null, loading: !!page, error: null } : {}),
        });
        if (!page) return;
        // The stored tags show first; the page's facts are written after, and when they changed what
        // the panel shows (a name, the account's people), it reads once more.
        await load();
        if ((await observe(page)) && get().page?.key === page.key) await load();
      },

      reload: load,

      async chooseCommittee(key) {
        set({ committeeKey: key });
      },

      async updateMembership(contactKey, fields, committeeKey) {
        const key = committeeKey ?? get().committeeKey;
        if (!key) return;
        // Show the change at once; the reload after the write brings the stored truth.
        const mKey = membershipKey(key, contactKey);
        const patch = (list: Membership[]) => {
          const found = list.find((m) => m.key === mKey);
          const next = { ...(found ?? emptyMembership(mKey, null)), ...fields } as Membership;
          return found ? list.map((m) => (m === found ? next : m)) : [...list, next];
        };
        const { person, committee } = get();
        if (person) set({ person: { ...person, memberships: patch(person.memberships) } });
        if (committee) set({ committee: { ...committee, members: patch(committee.members) } });
        try {
          await call('membership.update', { committeeKey: key, contactKey, fields });
          await load();
        } catch (error) {
          fail(error);
        }
      },

      async updateContact(contactKey, fields) {
        try {
          await call('contact.update', { contactKey, fields });
          await load();
        } catch (error) {
          fail(error);
        }
      },

      async addNote(text) {
        const { page, committeeKey } = get();
        if (!page) return;
        try {
          await call('note.add', { contactKey: page.key, committeeKey, text });
          await load();
        } catch (error) {
          fail(error);
        }
      },

      async setEvidence(evidence, present) {
        const { page, committeeKey } = get();
        if (!page || !committeeKey) return;
        await call('champion.evidence', { committeeKey, contactKey: page.key, evidence, present }).then(load, fail);
      },

      async verify(fields) {
        const { page, committeeKey } = get();
        if (!page || !committeeKey || !fields.length) return;
        await call('membership.verify', { committeeKey, contactKey: page.key, fields }).then(load, fail);
      },

      async deleteNote(key) {
        try {
          await call('note.delete', { key });
          await load();
        } catch (error) {
          fail(error);
        }
      },

      async toggle(collapsed) {
        const next = collapsed ?? !get().settings.panelCollapsed;
        set({ settings: { ...get().settings, panelCollapsed: next } });
        try {
          const settings = await call('settings.update', { panelCollapsed: next });
          set({ settings });
        } catch (error) {
          fail(error);
        }
      },

      onChange(change) {
        if (change.keys.includes('settings') || change.keys.includes('riskSettings')) {
          void get().loadSettings();
          return;
        }
        const watched = get().watched;
        // '*' is ALL_KEYS of the protocol (a bulk change); the literal keeps the protocol's schemas out of this bundle.
        if (change.keys.some((k) => k === '*' || watched.has(k))) void load();
      },
    };
  });
  return store;
}

/** The committees a person can be edited in: the account's, then its deals', then any other the person is in. */
export function committeeOptions(person: ContactView | null, account: AccountSummary | null): string[] {
  const keys: string[] = [];
  if (account) keys.push(account.committeeKey, ...account.deals.map((d) => d.key));
  for (const m of person?.memberships ?? []) keys.push(m.committeeKey);
  return [...new Set(keys)];
}
