import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type CommitteeDb } from '../../storage/db';
import { createHandlers } from '../../entrypoints/background/handlers';
import { createRouter, senderKind, type SenderInfo } from '../../entrypoints/background/router';
import { membershipKey } from '../../domain/model';
import { hsKey, sfKey } from './helpers/keys';
import { pendingCount } from '../../storage/outbox';
import { membershipTable, rowTable } from '../../storage/tables';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}`;
const popup: SenderInfo = { id: EXT, url: `${ORIGIN}/popup.html` };
const crmTab: SenderInfo = { id: EXT, url: 'https://acme.lightning.force.com/lightning/r/Contact/x/view', tab: { id: 3 } };

const account = sfKey('account', 1);
const deal = sfKey('opportunity', 1);
const alice = sfKey('contact', 1);

let db: CommitteeDb;
let broadcasts: { tables: string[]; keys: string[] }[];
let route: ReturnType<typeof createRouter>;
let clock = 1000;

beforeEach(async () => {
  db = openDb(`bg-${crypto.randomUUID()}`);
  broadcasts = [];
  const handlers = createHandlers({ db, now: () => ++clock, broadcast: (tables, keys) => broadcasts.push({ tables, keys }) });
  route = createRouter(handlers, EXT, ORIGIN);
});

const req = (type: string, payload: unknown) => ({ channel: 'committee-lens', type, payload });
async function written() {
  return (await pendingCount(db)) + (await membershipTable(db).count()) + (await rowTable(db, 'contacts').count()) + (await db.notes.count());
}

describe('sender check', () => {
  it.each<[string, SenderInfo, string | null]>([
    ['our popup', popup, 'extension'],
    ['our options page in a tab', { id: EXT, url: `${ORIGIN}/options.html`, tab: { id: 1 } }, 'extension'],
    ['our content script on Salesforce', crmTab, 'content'],
    ['our content script on a HubSpot hublet', { id: EXT, url: 'https://app-eu1.hubspot.com/contacts/1/record/0-1/2', tab: { id: 4 } }, 'content'],
    ['another extension', { id: 'x'.repeat(32), url: `chrome-extension://${'x'.repeat(32)}/a.html` }, null],
    ['our content script on a non-CRM page', { id: EXT, url: 'https://evil.example.com/', tab: { id: 5 } }, null],
    ['a HubSpot host we exclude', { id: EXT, url: 'https://community.hubspot.com/t/1', tab: { id: 5 } }, null],
    ['a look-alike host', { id: EXT, url: 'https://lightning.force.com.evil.example/', tab: { id: 5 } }, null],
    ['no url', { id: EXT }, null],
  ])('%s → %s', (_, sender, kind) => {
    expect(senderKind(sender, EXT, ORIGIN)).toBe(kind);
  });
});

describe('router', () => {
  it('round-trips a membership write and read, and broadcasts the change', async () => {
    const res = await route(req('membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['decision_maker', 'champion'], authority: 'claimed' } }), crmTab);
    expect(res).toMatchObject({ ok: true, data: { roles: ['decision_maker', 'champion'], authority: 'claimed' } });
    const view = await route(req('panel.load', { key: deal }), popup);
    expect(view.ok && (view.data as { committee: { members: { contactKey: string }[] } }).committee.members.map((m) => m.contactKey)).toEqual([alice]);
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]!.tables).toEqual(['memberships']);
    expect(broadcasts[0]!.keys).toEqual(expect.arrayContaining([membershipKey(deal, alice), deal, alice]));
  });

  it.each<[string, unknown, SenderInfo, string]>([
    ['a foreign sender', req('membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['user'] } }), { id: 'other', url: 'chrome-extension://other/x.html' }, 'forbidden'],
    ['a page that is not a CRM', req('membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['user'] } }), { id: EXT, url: 'https://example.com/', tab: { id: 9 } }, 'forbidden'],
    ['an unknown type', req('db.drop', {}), popup, 'unknown_type'],
    ['a prototype key as type', req('constructor', {}), popup, 'unknown_type'],
    ['no envelope', { type: 'ping' }, popup, 'invalid_payload'],
    ['a string', 'hello', popup, 'invalid_payload'],
    ['null', null, popup, 'invalid_payload'],
    ['a bad role', req('membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['king'] } }), crmTab, 'invalid_payload'],
    ['a bad key', req('membership.update', { committeeKey: deal, contactKey: 'salesforce:acme:contact:003', fields: { roles: ['user'] } }), crmTab, 'invalid_payload'],
    ['a committee that is a person', req('membership.update', { committeeKey: alice, contactKey: alice, fields: { roles: ['user'] } }), crmTab, 'invalid_payload'],
    ['an extra field', req('contact.update', { contactKey: alice, fields: { name: 'A' }, admin: true }), crmTab, 'invalid_payload'],
    ['an empty note', req('note.add', { contactKey: alice, committeeKey: deal, text: '   ' }), crmTab, 'invalid_payload'],
    ['a huge note', req('note.add', { contactKey: alice, committeeKey: deal, text: 'x'.repeat(10_001) }), crmTab, 'invalid_payload'],
    ['page facts from an extension page', req('page.observe', { key: alice, name: 'A', contacts: [] }), popup, 'forbidden'],
  ])('rejects %s with a clear error and writes nothing', async (_, message, sender, code) => {
    const res = await route(message, sender);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe(code);
      expect(res.error.message.length).toBeGreaterThan(10);
    }
    expect(await written()).toBe(0);
    expect(broadcasts).toEqual([]);
  });

  it('names the failing path of an invalid payload', async () => {
    const res = await route(req('membership.update', { committeeKey: deal, contactKey: alice, fields: { stage: 'closing' } }), crmTab);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.issues?.[0]?.path).toBe('fields.stage');
  });

  it('records page facts once, and only what changed', async () => {
    const bob = sfKey('contact', 2);
    const ctx = { key: deal, name: 'Expansion 2027', accountKey: account, accountName: 'Acme Corp', contacts: [{ key: alice, name: 'Alice', title: 'CFO' }, { key: bob, name: 'Bob' }] };
    const first = await route(req('page.observe', ctx), crmTab);
    expect(first).toEqual({ ok: true, data: { changed: 4 } });
    expect(await route(req('page.observe', ctx), crmTab)).toEqual({ ok: true, data: { changed: 0 } });
    expect(await rowTable(db, 'contacts').get(alice)).toMatchObject({ name: 'Alice', title: 'CFO', accountKey: account });
    expect(await rowTable(db, 'deals').get(deal)).toMatchObject({ name: 'Expansion 2027', accountKey: account });
    // a membership on the deal then knows its account
    await route(req('membership.update', { committeeKey: deal, contactKey: bob, fields: { roles: ['user'] } }), crmTab);
    expect((await membershipTable(db).get(membershipKey(deal, bob)))!.accountKey).toBe(account);
  });

  it('adds and deletes notes with the author from settings', async () => {
    await route(req('settings.update', { displayName: 'Lin Chen' }), popup);
    const added = await route(req('note.add', { contactKey: alice, committeeKey: null, text: 'Prefers WeChat' }), crmTab);
    expect(added).toMatchObject({ ok: true, data: { author: 'Lin Chen', text: 'Prefers WeChat' } });
    const key = added.ok ? (added.data as { key: string }).key : '';
    const del = await route(req('note.delete', { key }), crmTab);
    expect(del).toMatchObject({ ok: true, data: { deleted: true, deletedBy: 'Lin Chen', text: '' } });
    expect((await route(req('note.delete', { key: 'not-a-note-000' }), crmTab)).ok).toBe(false);
  });

  it('works for HubSpot keys too', async () => {
    const res = await route(req('membership.update', { committeeKey: hsKey('deal', 1), contactKey: hsKey('contact', 1), fields: { stance: 'opposed' } }), popup);
    expect(res).toMatchObject({ ok: true, data: { stance: 'opposed', accountKey: null } });
  });

  it('refuses a contact reporting to itself', async () => {
    const res = await route(req('contact.update', { contactKey: alice, fields: { reportsTo: alice } }), crmTab);
    expect(res.ok).toBe(false);
  });
});

describe('popup opening', () => {
  function routeWithTab(record: { committeeKey: string; name: string } | null, asked: (number | null)[]) {
    const handlers = createHandlers({ db, now: () => ++clock, broadcast: () => undefined, tabRecord: async (tabId) => (asked.push(tabId), record) });
    return createRouter(handlers, EXT, ORIGIN);
  }

  it('answers with the tab record and its risk, and the settings, in one reply', async () => {
    await route(req('settings.update', { language: 'zh' }), popup);
    await route(req('membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['decision_maker'], authority: 'claimed' } }), crmTab);
    const asked: (number | null)[] = [];
    const res = await routeWithTab({ committeeKey: deal, name: 'Expansion' }, asked)(req('popup.open', { tabId: 7, limit: 10 }), popup);
    expect(asked).toEqual([7]);
    expect(res).toMatchObject({ ok: true, data: { settings: { language: 'zh' }, record: { committeeKey: deal }, deals: [] } });
    const risk = res.ok ? (res.data as { risk: { committeeKey: string; result: { reasons: { ruleId: string }[] } } }).risk : null;
    expect(risk?.committeeKey).toBe(deal);
    expect(risk?.result.reasons.map((r) => r.ruleId)).toContain('authority-unverified');
  });

  it('elsewhere answers with the riskiest deals, and is refused to a CRM page', async () => {
    await route(req('membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['user'] } }), crmTab);
    const asked: (number | null)[] = [];
    const open = routeWithTab(null, asked);
    const res = await open(req('popup.open', { tabId: null, limit: 10 }), popup);
    expect(asked).toEqual([null]);
    expect(res).toMatchObject({ ok: true, data: { record: null, risk: null, deals: [{ committeeKey: deal }] } });
    expect(await open(req('popup.open', { tabId: null, limit: 10 }), crmTab)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await open(req('popup.open', { tabId: -1, limit: 10 }), popup)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});

describe('panel loading', () => {
  const bob = sfKey('contact', 2);
  async function load(payload: unknown) {
    const res = await route(req('panel.load', payload), crmTab);
    if (!res.ok) throw new Error(res.error.message);
    return res.data as Record<string, unknown> & { kind: string; settings: { language: string }; staleDays: number };
  }

  it('answers a person page with the settings, the person and their account\'s summary, in one reply', async () => {
    await route(req('settings.update', { language: 'zh' }), popup);
    await route(req('risk.settings.get', {}), popup);
    await route(req('contact.update', { contactKey: alice, fields: { name: 'Alice', accountKey: account } }), crmTab);
    await route(req('membership.update', { committeeKey: account, contactKey: alice, fields: { roles: ['decision_maker'] } }), crmTab);
    await route(req('membership.update', { committeeKey: account, contactKey: bob, fields: { roles: ['user'] } }), crmTab);
    const view = await load({ key: alice });
    expect(view).toMatchObject({ kind: 'person', settings: { language: 'zh' }, person: { contact: { name: 'Alice' } }, account: { committeeKey: account } });
    expect(view.staleDays).toBeGreaterThan(0);
    // The account as the person page needs it: its people and deals, not its members (the page shows none).
    const summary = view.account as { contacts: Record<string, unknown>; deals: unknown[] };
    expect(Object.keys(summary.contacts)).toEqual([alice]);
    expect(summary.deals).toEqual([]);
    expect(summary).not.toHaveProperty('members');
    expect(summary).not.toHaveProperty('notes');
    // The account the page names wins over the stored one.
    const other = sfKey('account', 2);
    expect(await load({ key: alice, accountKey: other })).toMatchObject({ account: { committeeKey: other, account: null, deals: [], contacts: {} } });
  });

  it('answers a person with no account, and an account or deal page with its committee and risk', async () => {
    expect(await load({ key: bob })).toMatchObject({ kind: 'person', person: { contact: null, memberships: [] }, account: null });
    await route(req('membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['decision_maker'], authority: 'claimed' } }), crmTab);
    const view = await load({ key: deal });
    expect(view).toMatchObject({ kind: 'committee', committee: { committeeKey: deal, members: [{ contactKey: alice }] }, risk: { committeeKey: deal } });
    expect((view.risk as { result: { reasons: { ruleId: string }[] } }).result.reasons.map((r) => r.ruleId)).toContain('authority-unverified');
  });

  it('refuses a bad key or an extra field with a clear error', async () => {
    expect(await route(req('panel.load', { key: 'salesforce:acme:contact:003' }), crmTab)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await route(req('panel.load', { key: alice, accountKey: deal }), crmTab)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await route(req('panel.load', { key: alice, extra: 1 }), crmTab)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});
