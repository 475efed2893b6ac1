import { describe, expect, it } from 'vitest';
import { committeeRows } from '../../components/panel/CommitteeList';
import { committeeOptions, createPanelStore, whenLoaded, type Call } from '../../components/panel/store';
import type { PageContext } from '../../crm/types';
import { emptyMembership, membershipKey, type Membership } from '../../domain/model';
import { DEFAULT_SETTINGS, type CommitteeView, type ContactView, type Settings } from '../../domain/protocol';
import type { Role } from '../../domain/taxonomy';
import { sfKey } from './helpers/keys';

const account = sfKey('account', 1);
const deal = sfKey('opportunity', 1);
const [ann, ben, cai] = [1, 2, 3].map((n) => sfKey('contact', n)) as [string, string, string];

function member(committee: string, contact: string, roles: Role[]): Membership {
  return { ...emptyMembership(membershipKey(committee, contact), account), roles };
}

describe('committeeRows', () => {
  const contacts = { [ann]: { name: 'Ann', title: 'CEO' }, [ben]: { name: 'Ben', title: '' } };
  it('merges roles over the account and its deals, core roles first, then untagged people the page lists', () => {
    const rows = committeeRows(
      account,
      [member(account, ben, ['user']), member(deal, ben, ['champion']), member(deal, ann, ['decision_maker'])],
      contacts,
      [{ key: cai, name: 'Cai (page)' }, { key: ann, name: 'Ann from page' }],
    );
    expect(rows.map((r) => [r.name, r.roles, !!r.own, r.listed])).toEqual([
      ['Ann', ['decision_maker'], false, true],
      ['Ben', ['user', 'champion'], true, false],
      ['Cai (page)', [], false, true],
    ]);
  });
  it('is empty for an empty committee and page', () => {
    expect(committeeRows(deal, [], {}, [])).toEqual([]);
  });
});

describe('committeeOptions', () => {
  it('lists the account, its deals, then other committees the person is in, once each', () => {
    const other = sfKey('opportunity', 9);
    const person = { contact: null, notes: [], memberships: [member(deal, ann, []), member(other, ann, [])] } as ContactView;
    const acc = { committeeKey: account, deals: [{ key: deal }] } as unknown as CommitteeView;
    expect(committeeOptions(person, acc)).toEqual([account, deal, other]);
    expect(committeeOptions(null, null)).toEqual([]);
  });
});

describe('first view', () => {
  const page: PageContext = { crm: 'salesforce', org: 'acme', object: 'contact', key: ann, name: 'Ann', contacts: [], anchors: [] };
  const contact: ContactView = { contact: null, memberships: [member(deal, ann, ['champion'])], notes: [] };
  const settings: Settings = { ...DEFAULT_SETTINGS, language: 'zh', panelCollapsed: true };
  function storeWith(contactAnswer: Promise<ContactView>, calls: string[] = []) {
    const call = (async (type: string) => {
      calls.push(type);
      if (type === 'panel.load') return { kind: 'person', settings, staleDays: 9, person: await contactAnswer, account: null };
      return type === 'page.observe' ? { changed: 0 } : null;
    }) as Call;
    return createPanelStore(call, 'en');
  }

  it('loads the settings with the record, in one request, and records the page facts after', async () => {
    const calls: string[] = [];
    const store = storeWith(Promise.resolve(contact), calls);
    expect(store.getState().settingsLoaded).toBe(false);
    await store.getState().setPage(page);
    expect(calls).toEqual(['panel.load', 'page.observe']);
    expect(store.getState()).toMatchObject({ settingsLoaded: true, lang: 'zh', staleDays: 9, settings: { panelCollapsed: true }, loading: false });
  });

  it('takes the settings from the first view only; later views cannot undo a toggle made meanwhile', async () => {
    let answer = settings;
    const call = (async (type: string) => {
      if (type === 'panel.load') return { kind: 'person', settings: answer, staleDays: 9, person: contact, account: null };
      if (type === 'settings.update') return { ...settings, panelCollapsed: false };
      return { changed: 0 };
    }) as Call;
    const store = createPanelStore(call, 'en');
    await store.getState().setPage(page);
    expect(store.getState().settings.panelCollapsed).toBe(true);
    answer = { ...settings, panelCollapsed: true, language: 'en' }; // read before the toggle below was stored
    await store.getState().toggle();
    await store.getState().reload();
    expect(store.getState().settings).toMatchObject({ panelCollapsed: false, language: 'zh' });
    expect(store.getState().lang).toBe('zh');
  });

  it('waits for the stored tags when they come in time, so the panel mounts once with them', async () => {
    const store = storeWith(new Promise((r) => setTimeout(() => r(contact), 20)));
    void store.getState().setPage(page);
    expect(store.getState().loading).toBe(true);
    await whenLoaded(store, 2000);
    expect(store.getState().loading).toBe(false);
    expect(store.getState().person?.memberships.map((m) => m.roles)).toEqual([['champion']]);
  });

  it('stops waiting after its limit when the worker is slow (the panel shows "Loading…")', async () => {
    const store = storeWith(new Promise(() => undefined));
    void store.getState().setPage(page);
    await whenLoaded(store, 30);
    expect(store.getState().loading).toBe(true);
    expect(store.getState().person).toBeNull();
  });

  it('does not wait when nothing is loading', async () => {
    const store = storeWith(Promise.resolve(contact));
    await whenLoaded(store, 60_000);
    expect(store.getState().page).toBeNull();
  });
});
