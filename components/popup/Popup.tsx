/** The popup: the risk of the record in the current tab, or the deals ranked by risk; exports; sync status. */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import { adapterFor } from '../../crm';
import { kindOf, parseRecordKey } from '../../domain/ids';
import type { RankedDeal, RiskView } from '../../domain/protocol';
import { call, onChange } from '../../storage/client';
import { ExportButtons } from '../app/ExportButtons';
import { RiskSummary } from '../app/RiskSummary';
import { useSettings } from '../app/useSettings';
import { syncStatusText, useSyncStatus } from '../options/SyncSettings';

export interface TabRecord {
  /** The committee whose risk to show: the deal or account, or the one a person's panel edits. */
  committeeKey: string;
  name: string;
}

/** What the tab shows: asked from our content script (it knows previews and the panel's committee), else read from the URL. */
export async function recordInTab(tabId: number | undefined, url: string | undefined): Promise<TabRecord | null> {
  if (tabId !== undefined) {
    const answer = (await browser.tabs.sendMessage(tabId, { channel: 'committee-lens', type: 'panel.context' }).catch(() => null)) as TabRecord | null;
    if (answer?.committeeKey) return answer;
  }
  const adapter = url ? adapterFor(url) : null;
  const rec = adapter && url ? adapter.recordFromUrl(url) : null;
  if (!rec?.object || kindOf(rec.object) === 'person') return null;
  const key = `${adapter!.crm}:${rec.org}:${rec.object}:${rec.id}`;
  return parseRecordKey(key) ? { committeeKey: key, name: '' } : null;
}

async function currentTab() {
  const requested = Number(new URLSearchParams(location.search).get('tab'));
  if (requested) return browser.tabs.get(requested).catch(() => undefined);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}

const LIST_LIMIT = 100;

/**
 * Started as the popup's script loads, before the first render: which record the tab shows, and (in
 * parallel, as the likelier view) the riskiest deals. The first render then waits on nothing else.
 */
export function preloadPopup() {
  const record = currentTab()
    .then((tab) => recordInTab(tab?.id, tab?.url))
    .catch(() => null);
  const list = call('risk.list', { query: '', limit: LIST_LIMIT });
  list.catch(() => undefined);
  const risk = record.then((r) => (r ? call('risk.get', { committeeKey: r.committeeKey }) : null));
  risk.catch(() => undefined);
  return { record, list, risk };
}
export type PopupPreload = ReturnType<typeof preloadPopup>;

export function Popup({ preload }: { preload: PopupPreload }) {
  const { t, lang } = useSettings();
  const id = useId();
  const [record, setRecord] = useState<TabRecord | null | undefined>(undefined);
  const [risk, setRisk] = useState<RiskView | null>(null);
  const [deals, setDeals] = useState<RankedDeal[]>([]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { status } = useSyncStatus();

  const first = useRef<PopupPreload | null>(preload);
  useEffect(() => {
    void preload.record.then(setRecord);
  }, [preload]);

  const load = useCallback(async () => {
    try {
      // The first load of each view takes the preloaded answer; later ones (a change, a search) ask again.
      if (record) setRisk(await ((first.current && (await first.current.risk)) ?? call('risk.get', { committeeKey: record.committeeKey })));
      else if (record === null) setDeals(await (first.current && !query ? first.current.list : call('risk.list', { query, limit: LIST_LIMIT })));
      if (record !== undefined) first.current = null;
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [record, query]);
  useEffect(() => {
    void load();
    return onChange(() => void load());
  }, [load]);
  // When the popup first shows its data (read by the benchmark: time since the popup opened).
  const shown = (record && risk) || (record === null && deals.length > 0);
  useEffect(() => {
    if (shown && !document.body.dataset.readyMs) requestAnimationFrame(() => (document.body.dataset.readyMs = performance.now().toFixed(1)));
  }, [shown]);

  return (
    <main className="cl-popup">
      <h1>{record ? risk?.name || record.name || t('popupTitle') : t('popupTitle')}</h1>
      {error && (
        <p role="alert" className="cl-error">
          {error}
        </p>
      )}
      {record && risk && <RiskSummary view={risk} t={t} lang={lang} />}
      {record === null && (
        <section aria-labelledby={`${id}-deals`}>
          <h2 id={`${id}-deals`}>{t('dealsAtRisk')}</h2>
          <input type="search" aria-label={t('searchDeals')} placeholder={t('searchDeals')} value={query} onChange={(e) => setQuery(e.target.value)} />
          {deals.length === 0 && <p className="cl-muted">{t('noDeals')}</p>}
          <ol aria-label={t('dealsAtRisk')} className="cl-deals">
            {deals.map((d) => (
              <li key={d.committeeKey} data-level={d.level}>
                <span className={`cl-badge cl-${d.level}`}>{d.score}</span>{' '}
                {d.url ? (
                  <a href={d.url} aria-label={t('openRecord', { name: d.name || t('unnamed') })} onClick={(e) => (e.preventDefault(), void browser.tabs.create({ url: d.url! }))}>
                    {d.name || t('unnamed')}
                  </a>
                ) : (
                  d.name || t('unnamed')
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      <footer>
        <ExportButtons t={t} lang={lang} scope={record ? { kind: 'committee', key: record.committeeKey } : { kind: 'all' }} />
        <p className="cl-muted" aria-label={t('syncStatus')}>
          {syncStatusText(status, t, lang)}
        </p>
      </footer>
    </main>
  );
}
