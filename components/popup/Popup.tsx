/** The popup: the risk of the record in the current tab, or the deals ranked by risk; exports; sync status. */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import type { PopupView, RankedDeal, RiskView } from '../../domain/protocol';
import { call, onChange } from '../../storage/client';
import { ExportButtons } from '../app/ExportButtons';
import { RiskSummary } from '../app/RiskSummary';
import { useSettings } from '../app/useSettings';
import { syncStatusText, useSyncStatus } from '../options/SyncSettings';

const LIST_LIMIT = 100;

/**
 * Started as the popup's script loads: one request the worker answers with everything the first view
 * shows (the tab's record and its risk, or the riskiest deals, and the settings), so the popup renders
 * once, with its data. The worker asks the tab; a `?tab=` parameter names one (tests, the demo).
 */
export function preloadPopup(): Promise<PopupView> {
  const requested = Number(new URLSearchParams(location.search).get('tab'));
  return call('popup.open', { tabId: Number.isInteger(requested) && requested > 0 ? requested : null, limit: LIST_LIMIT });
}

/** The popup, first drawn from the worker's opening answer (or the error it gave). */
export function Popup({ first }: { first: PopupView | Error }) {
  const opened = first instanceof Error ? null : first;
  const { t, lang } = useSettings(opened?.settings);
  const id = useId();
  const record = opened?.record ?? null;
  const [risk, setRisk] = useState<RiskView | null>(opened?.risk ?? null);
  const [deals, setDeals] = useState<RankedDeal[]>(opened?.deals ?? []);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(first instanceof Error ? first.message : null);
  const { status } = useSyncStatus();

  // The opening answer is the first view; a change or a search asks again.
  const initial = useRef(true);
  const load = useCallback(async () => {
    try {
      if (record) setRisk(await call('risk.get', { committeeKey: record.committeeKey }));
      else setDeals(await call('risk.list', { query, limit: LIST_LIMIT }));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [record, query]);
  useEffect(() => {
    if (!initial.current || !opened) void load();
    initial.current = false;
    return onChange(() => void load());
  }, [load, opened]);
  // When the popup first shows its data (read by the benchmark: time since the popup opened).
  useEffect(() => {
    requestAnimationFrame(() => (document.body.dataset.readyMs = performance.now().toFixed(1)));
  }, []);

  return (
    <main className="cl-popup">
      <h1>{record ? risk?.name || record.name || t('popupTitle') : t('popupTitle')}</h1>
      {error && (
        <p role="alert" className="cl-error">
          {error}
        </p>
      )}
      {record && risk && <RiskSummary view={risk} t={t} lang={lang} />}
      {!record && (
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
