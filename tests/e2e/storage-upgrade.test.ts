/**
 * A store written by an earlier release (schema version 2: one record per row) opened by this build in
 * real Chromium: the worker moves the memberships into their accounts' member records (through the
 * per-committee records of versions 3 to 6), and accounts, people and deals into their accounts' records,
 * on first open; every view finds them there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callFromPage, committeeFromPage, launchExtension, personFromPage, stopServiceWorker, type Launched } from '../support/browser';
import { benchData } from '../bench/data';
import { SCHEMA_VERSIONS } from '../../storage/db';

const { data, sample } = benchData(40, 4);
/** Version 2's stores as Dexie declared them (primary key first), merged over version 1's. */
const v2Stores = Object.entries({ ...SCHEMA_VERSIONS[0]!.stores, ...SCHEMA_VERSIONS[1]!.stores }) as [string, string][];

let app: Launched;
let page: Page;

beforeAll(async () => {
  app = await launchExtension();
  page = await app.context.newPage();
  await page.goto(app.extensionUrl('options.html'));
  // Replace the store with one the previous release wrote, while no worker holds it open.
  expect((await callFromPage(page, 'ping', {})).ok).toBe(true); // the worker is up (a starting one cannot be stopped)
  expect(await stopServiceWorker(page)).toBeGreaterThan(0);
  await page.evaluate(
    async ({ stores, rows }) => {
      const request = <T>(req: IDBRequest<T> | IDBOpenDBRequest) =>
        new Promise<T>((resolve, reject) => {
          req.onsuccess = () => resolve(req.result as T);
          req.onerror = () => reject(req.error);
        });
      await request(indexedDB.deleteDatabase('committee-lens'));
      const open = indexedDB.open('committee-lens', 20); // Dexie stores version n as n × 10
      open.onupgradeneeded = () => {
        for (const [name, spec] of stores) {
          const [primary, ...indexes] = spec.split(',').map((s) => s.trim());
          const store = open.result.createObjectStore(name, primary!.startsWith('++') ? { keyPath: primary!.slice(2), autoIncrement: true } : { keyPath: primary });
          for (const index of indexes) store.createIndex(index, index);
        }
      };
      const db = (await request(open)) as IDBDatabase;
      const tx = db.transaction(Object.keys(rows), 'readwrite');
      for (const [name, list] of Object.entries(rows)) for (const row of list) tx.objectStore(name).put(row);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { stores: v2Stores, rows: { contacts: data.contacts, accounts: data.accounts, deals: data.deals, memberships: data.memberships } },
  );
});
afterAll(async () => {
  await app?.context.close();
});

describe('a store from the previous release', () => {
  it('opens with every membership in its committee, for the deal, the account and the person', async () => {
    const deal = await committeeFromPage(page, sample.deal);
    const ofDeal = data.memberships.filter((m) => m.committeeKey === sample.deal).map((m) => m.key);
    expect(ofDeal.length).toBeGreaterThan(1);
    expect(deal.members.map((m) => m.key).sort()).toEqual(ofDeal.sort());

    const account = await committeeFromPage(page, sample.account);
    const ofAccount = data.memberships.filter((m) => m.accountKey === sample.account).map((m) => m.key);
    expect(account.members.map((m) => m.key).sort()).toEqual(ofAccount.sort());
    expect(account.account?.name).toBe(data.accounts.find((a) => a.key === sample.account)!.name);
    expect(account.deals.map((d) => d.key).sort()).toEqual(data.deals.filter((d) => d.accountKey === sample.account).map((d) => d.key).sort());
    expect(Object.keys(account.contacts).sort()).toEqual(data.contacts.filter((c) => c.accountKey === sample.account).map((c) => c.key).sort());

    const person = await personFromPage(page, sample.contact);
    const ofPerson = data.memberships.filter((m) => m.contactKey === sample.contact).map((m) => m.key);
    expect(person.memberships.map((m) => m.key).sort()).toEqual(ofPerson.sort());
    expect(person.contact?.name).toBe(data.contacts.find((c) => c.key === sample.contact)!.name);
  });

  it('keeps the new layout and nothing of the old store', async () => {
    const stores = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('committee-lens');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const names = [...db.objectStoreNames];
      const memberRecords = await new Promise<number>((resolve) => {
        const req = db.transaction('memberGroups').objectStore('memberGroups').count();
        req.onsuccess = () => resolve(req.result);
      });
      db.close();
      return { names, memberRecords, version: db.version };
    });
    expect(stores.names).toEqual(expect.arrayContaining(['memberGroups', 'accountGroups', 'homes']));
    for (const old of ['memberships', 'committees', 'contacts', 'accounts', 'deals']) expect(stores.names).not.toContain(old);
    // One record per account holding memberships (a committee with no account: its own).
    expect(stores.memberRecords).toBe(new Set(data.memberships.map((m) => m.accountKey ?? m.committeeKey)).size);
    expect(stores.version).toBe(SCHEMA_VERSIONS.at(-1)!.version * 10);
  });

  it('writes into the moved records: a new tag joins the deal\'s committee', async () => {
    const newcomer = data.contacts.find((c) => !data.memberships.some((m) => m.committeeKey === sample.deal && m.contactKey === c.key))!.key;
    const res = await callFromPage(page, 'membership.update', { committeeKey: sample.deal, contactKey: newcomer, fields: { roles: ['influencer'] } });
    expect(res.ok).toBe(true);
    const deal = await committeeFromPage(page, sample.deal);
    expect(deal.members.map((m) => m.contactKey)).toContain(newcomer);
    expect(deal.members).toHaveLength(data.memberships.filter((m) => m.committeeKey === sample.deal).length + 1);
  });
});
