/** The foundation in real Chromium: the worker, the message protocol, broadcast and persistence. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callFromPage, committeeFromPage, launchExtension, stopServiceWorker, type ExtensionGlobal, type Launched } from '../support/browser';
import { startCrmServer, type CrmServer } from '../support/crm-server';
import { sfKey } from '../unit/helpers/keys';

const deal = sfKey('opportunity', 11);
const alice = sfKey('contact', 11);

let crm: CrmServer;
let app: Launched;
let page: Page;

beforeAll(async () => {
  crm = await startCrmServer(() => '<!doctype html><title>Recently Viewed | Contacts | Salesforce</title><h1>List</h1>');
  app = await launchExtension({ resolverRule: crm.resolverRule });
  page = await app.context.newPage();
  await page.goto(app.extensionUrl('popup.html'));
});
afterAll(async () => {
  await app?.context.close();
  await crm?.close();
});

async function membersOf(p: Page, committeeKey: string) {
  return (await committeeFromPage(p, committeeKey)).members;
}

describe('foundation in Chromium', () => {
  it('starts the background worker', () => {
    expect(app.extensionId).toMatch(/^[a-p]{32}$/);
    expect(app.worker.url()).toBe(app.extensionUrl('background.js'));
  });

  it('writes and reads a committee membership through the worker', async () => {
    const res = await callFromPage(page, 'membership.update', { committeeKey: deal, contactKey: alice, fields: { roles: ['decision_maker'], authority: 'claimed' } });
    expect(res).toMatchObject({ ok: true, data: { roles: ['decision_maker'], authority: 'claimed' } });
    expect(await membersOf(page, deal)).toEqual([expect.objectContaining({ contactKey: alice, roles: ['decision_maker'] })]);
  });

  it('broadcasts a change to a second open view', async () => {
    const second = await app.context.newPage();
    await second.goto(app.extensionUrl('popup.html'));
    await second.evaluate(() => {
      const w = globalThis as unknown as ExtensionGlobal & { seen: unknown[] };
      w.seen = [];
      w.chrome.runtime.onMessage.addListener((m) => void w.seen.push(m));
    });
    await callFromPage(page, 'membership.update', { committeeKey: deal, contactKey: alice, fields: { stance: 'supportive' } });
    // Requests from other extension pages reach every view too; a view reacts only to change broadcasts.
    const broadcasts = () => second.evaluate(() => (globalThis as unknown as { seen: { type?: string }[] }).seen.filter((m) => m.type === 'changed'));
    await expect.poll(broadcasts).toEqual([
      expect.objectContaining({ type: 'changed', tables: ['memberships'], keys: expect.arrayContaining([deal, alice]) }),
    ]);
    await second.close();
  });

  it('rejects malformed messages with an error and writes nothing', async () => {
    for (const bad of [
      { channel: 'committee-lens', type: 'membership.update', payload: { committeeKey: deal, contactKey: alice, fields: { roles: ['emperor'] } } },
      { channel: 'committee-lens', type: 'drop.everything', payload: {} },
      { hello: 'world' },
    ]) {
      const res = await page.evaluate((m) => (globalThis as unknown as ExtensionGlobal).chrome.runtime.sendMessage(m), bad);
      expect(res).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect(await membersOf(page, deal)).toEqual([expect.objectContaining({ roles: ['decision_maker'] })]);
  });

  it('a CRM page cannot reach the worker: no runtime in the page, forged postMessage ignored', async () => {
    const tab = await app.context.newPage();
    await tab.goto('https://acme.lightning.force.com/lightning/o/Contact/list');
    const reach = await tab.evaluate(() => {
      window.postMessage({ channel: 'committee-lens', type: 'membership.update', payload: { fields: { roles: ['blocker'] } } }, '*');
      return typeof (globalThis as unknown as Partial<ExtensionGlobal>).chrome?.runtime?.sendMessage;
    });
    expect(reach).toBe('undefined');
    await tab.waitForTimeout(300);
    expect(await membersOf(page, deal)).toEqual([expect.objectContaining({ roles: ['decision_maker'] })]);
    await tab.close();
  });

  it('keeps data when the worker is stopped, and the next message revives it', async () => {
    expect(await stopServiceWorker(page)).toBeGreaterThan(0);
    expect(await membersOf(page, deal)).toEqual([expect.objectContaining({ contactKey: alice, roles: ['decision_maker'] })]);
  });

  it('keeps data across a browser restart with the same profile', async () => {
    const { userDataDir } = app;
    await app.context.close();
    app = await launchExtension({ resolverRule: crm.resolverRule, userDataDir });
    page = await app.context.newPage();
    await page.goto(app.extensionUrl('popup.html'));
    expect(await membersOf(page, deal)).toEqual([expect.objectContaining({ contactKey: alice, roles: ['decision_maker'], stance: 'supportive' })]);
  });
});
