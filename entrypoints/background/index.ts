import { browser } from 'wxt/browser';
import { CRM_MATCHES } from '../../crm/hosts';
import type { ChangeBroadcast } from '../../domain/protocol';
import { openDb } from '../../storage/db';
import { createHandlers } from './handlers';
import { createRouter } from './router';

export default defineBackground(() => {
  const db = openDb();
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  async function broadcast(change: ChangeBroadcast) {
    // Extension pages (popup, options) and every CRM tab with our content script.
    browser.runtime.sendMessage(change).catch(() => {});
    const tabs = await browser.tabs.query({ url: [...CRM_MATCHES] });
    for (const tab of tabs) if (tab.id !== undefined) browser.tabs.sendMessage(tab.id, change).catch(() => {});
  }

  const handlers = createHandlers({
    db,
    now: () => Date.now(),
    broadcast: (tables, keys) => void broadcast({ channel: 'committee-lens', type: 'changed', tables, keys }),
  });
  const route = createRouter(handlers, browser.runtime.id, extensionOrigin);

  // Registered synchronously at start-up: MV3 wakes the worker by event.
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));

  browser.runtime.onInstalled.addListener(() => void navigator.storage?.persist?.().catch(() => {}));
  browser.runtime.onStartup.addListener(() => void navigator.storage?.persist?.().catch(() => {}));
});
