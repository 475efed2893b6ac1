import { browser } from 'wxt/browser';
import { CRM_MATCHES } from '../../crm/hosts';
import { ALL_KEYS, type ChangeBroadcast } from '../../domain/protocol';
import { openDb } from '../../storage/db';
import { committeeView, contactView } from '../../storage/queries';
import { BULK_CHANGE, markRiskStale, refreshAgedRisk, refreshRisk, refreshStaleRisk } from '../../storage/risk';
import { createHandlers } from './handlers';
import { answerOnPort, createRouter, type PortRequestEvent } from './router';
import { createSyncService } from './sync-service';
import type { TableName } from '../../domain/model';

const SYNC_ALARM = 'committee-lens-sync';
/** How old the whole ranking may grow before the sync alarm re-ranks every deal. */
const RISK_MAX_AGE_MS = 6 * 3600_000;
const MAX_BROADCAST_KEYS = 500;

export default defineBackground(() => {
  const db = openDb();
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  async function broadcast(change: ChangeBroadcast) {
    // Extension pages (popup, options) and every CRM tab with our content script.
    browser.runtime.sendMessage(change).catch(() => {});
    const tabs = await browser.tabs.query({ url: [...CRM_MATCHES] });
    for (const tab of tabs) if (tab.id !== undefined) browser.tabs.sendMessage(tab.id, change).catch(() => {});
  }

  const now = () => Date.now();
  // A bulk change (an import, a large pull) is announced as "everything": views reload instead of matching keys.
  const notify = (tables: TableName[], keys: string[]) =>
    void broadcast({ channel: 'committee-lens', type: 'changed', tables, keys: keys.length > MAX_BROADCAST_KEYS ? [ALL_KEYS] : keys });
  const rerankStale = () => refreshStaleRisk(db, now()).then((ran) => ran && notify([], [ALL_KEYS]));
  const sync = createSyncService({
    db,
    now,
    broadcast: (tables, keys) => {
      if (tables.length === 0) {
        // A sync ended: finish a re-ranking that bulk pages left for the end.
        notify(tables, keys);
        void rerankStale();
        return;
      }
      // Pulled changes: re-rank the deals they touch, then tell the views. A bulk page (a first sync,
      // a large team change) marks the ranking stale instead: one whole re-ranking when the sync ends.
      const rerank = keys.length > BULK_CHANGE ? markRiskStale(db) : refreshRisk(db, keys, now());
      void rerank.finally(() => notify(tables, keys));
    },
  });
  const handlers = createHandlers({ db, now, broadcast: notify, sync });
  const route = createRouter(handlers, browser.runtime.id, extensionOrigin);
  // Support diagnostics from the worker's DevTools console, also read by the benchmark: the store and
  // its read queries, timed without messaging.
  Object.assign(globalThis, { committeeLens: { db, committeeView: (key: string) => committeeView(db, key), contactView: (key: string) => contactView(db, key) } });

  // Registered synchronously at start-up: MV3 wakes the worker by event.
  browser.runtime.onMessage.addListener((message, sender) => {
    // A bare echo, the benchmark's baseline for the protocol's own round trip.
    if ((message as { channel?: string })?.channel === 'committee-lens-echo' && sender.id === browser.runtime.id) return Promise.resolve(message);
    return route(message, sender);
  });

  // A backup file from the options page comes over the worker's own message channel (Chrome; the
  // Firefox background is a page, and its pages use runtime messaging for everything).
  if ('ServiceWorkerGlobalScope' in globalThis) {
    const answer = answerOnPort(route, browser.runtime.id);
    globalThis.addEventListener('message', (event) => answer(event as unknown as PortRequestEvent));
  }

  // The manifest's toggle shortcut: tell the active CRM tab's panel.
  browser.commands?.onCommand.addListener(async (command) => {
    if (command !== 'toggle-panel') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) browser.tabs.sendMessage(tab.id, { channel: 'committee-lens', type: 'toggle-panel' }).catch(() => {});
  });

  // Sync every minute (the alarm wakes the worker), and at browser start.
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== SYNC_ALARM) return;
    void sync.tick();
    // Time makes committees stale: re-rank every deal a few times a day.
    void refreshAgedRisk(db, now(), RISK_MAX_AGE_MS);
  });
  const start = () => {
    void navigator.storage?.persist?.().catch(() => {});
    void browser.alarms.create(SYNC_ALARM, { periodInMinutes: 1 });
    void sync.tick();
  };
  browser.runtime.onInstalled.addListener(start);
  // A bulk import or pull marks the ranking stale and re-ranks right after; finish it if the worker stopped first.
  void rerankStale();
  browser.runtime.onStartup.addListener(start);
});
