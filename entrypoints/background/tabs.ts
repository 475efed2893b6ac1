/** Which record a browser tab shows, for the popup: asked from our content script, else read from the URL. */
import { browser } from 'wxt/browser';
import { adapterFor } from '../../crm';
import { kindOf, parseRecordKey } from '../../domain/ids';
import type { TabRecord } from '../../domain/protocol';

/** The record of a tab (null: the active tab of the last focused window, where the toolbar popup opens). */
export async function recordInTab(tabId: number | null): Promise<TabRecord | null> {
  const tab = tabId !== null ? await browser.tabs.get(tabId).catch(() => undefined) : (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0];
  // Our content script runs only where an adapter claims the page: any other tab (or one whose URL we
  // may not see) shows no record, and is not asked.
  const url = tab?.url;
  const adapter = url ? adapterFor(url) : null;
  if (!tab || !url || !adapter) return null;
  // The panel knows previews and the committee chosen on a person's page, which the URL does not.
  if (tab.id !== undefined) {
    const answer = (await browser.tabs.sendMessage(tab.id, { channel: 'committee-lens', type: 'panel.context' }).catch(() => null)) as TabRecord | null;
    if (answer?.committeeKey && typeof answer.committeeKey === 'string' && parseRecordKey(answer.committeeKey)) return { committeeKey: answer.committeeKey, name: typeof answer.name === 'string' ? answer.name : '' };
  }
  const rec = adapter.recordFromUrl(url);
  if (!rec?.object || kindOf(rec.object) === 'person') return null;
  const key = `${adapter.crm}:${rec.org}:${rec.object}:${rec.id}`;
  return parseRecordKey(key) ? { committeeKey: key, name: '' } : null;
}
