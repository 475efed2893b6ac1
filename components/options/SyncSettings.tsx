/** Team sync settings: server URL and access token, test, save (asking for the host permission), live status. */
import { Notice, type NoticeMessage } from '../app/Notice';
import { useCallback, useEffect, useId, useState } from 'react';
import { browser } from 'wxt/browser';
import type { SyncStatus } from '../../domain/protocol';
import { call, onChange } from '../../storage/client';
import type { Language } from '../../domain/taxonomy';
import { relativeTime, type Translate } from '../i18n';

/**
 * Ask for the host permission of the sync server (optional host permissions; must start in a click).
 * Sync does not wait for the answer: the service allows the extension's origin by CORS, so it works
 * either way; the permission only spares the browser a preflight and keeps working behind proxies.
 */
export function requestServerPermission(serverUrl: string): void {
  if (!URL.canParse(serverUrl)) return;
  const origins = [new URL(serverUrl).origin + '/*'];
  void browser.permissions
    ?.contains({ origins })
    .then((granted) => granted || browser.permissions.request({ origins }))
    .catch(() => undefined); // Firefox MV2 declares no optional host permissions
}

/** The sync status in one line; `detail` adds what the last sync moved (the options page). */
export function syncStatusText(s: SyncStatus | null, t: Translate, lang: Language, { now = Date.now(), detail = false } = {}): string {
  if (!s) return t('loading');
  if (!s.configured) return t('syncOff', { pending: s.pending });
  const last = s.lastSyncAt ? relativeTime(s.lastSyncAt, now, lang) : t('syncNever');
  const parts = [t('syncLast', { time: last }), t('syncPending', { pending: s.pending })];
  if (detail && s.lastRun) parts.push(t('syncLastRun', { pushed: s.lastRun.pushed, pulled: s.lastRun.pulled }));
  if (s.lastError) parts.push(t('syncError', { message: s.lastError }));
  return parts.join(' · ');
}

export function useSyncStatus() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const load = useCallback(() => call('sync.status', {}).then(setStatus).catch(() => undefined), []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 15_000);
    const stop = onChange(() => void load());
    return () => {
      clearInterval(timer);
      stop();
    };
  }, [load]);
  return { status, setStatus };
}

export function SyncSettings({ t, lang }: { t: Translate; lang: Language }) {
  const id = useId();
  const { status, setStatus } = useSyncStatus();
  const [serverUrl, setServerUrl] = useState('');
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (status?.serverUrl !== undefined) setServerUrl((u) => u || status.serverUrl);
  }, [status?.serverUrl]);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ error: false, text: await action() });
    } catch (error) {
      setMessage({ error: true, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  const test = () =>
    run(async () => {
      const me = await call('sync.test', { serverUrl: serverUrl.trim(), token: token.trim() });
      return t('syncTestOk', { team: me.team, member: me.member });
    });
  const save = () =>
    run(async () => {
      requestServerPermission(serverUrl.trim());
      const next = await call('sync.configure', { serverUrl: serverUrl.trim(), token: token.trim() });
      setStatus(next);
      return next.configured ? t('syncSaved') : t('syncDisabled');
    });

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('syncTitle')}</h2>
      <p className="cl-muted">{t('syncIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="cl-field">
          <label htmlFor={`${id}-url`}>{t('serverUrl')}</label>
          <input id={`${id}-url`} type="url" placeholder="https://sync.example.com" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} />
        </div>
        <div className="cl-field">
          <label htmlFor={`${id}-token`}>{t('accessToken')}</label>
          <input id={`${id}-token`} type="password" autoComplete="off" value={token} placeholder={status?.configured ? t('tokenKept') : ''} onChange={(e) => setToken(e.target.value)} />
        </div>
        <div className="cl-row">
          <button type="submit" disabled={busy}>
            {t('save')}
          </button>
          <button type="button" className="cl-secondary" disabled={busy || !serverUrl.trim() || !token.trim()} onClick={() => void test()}>
            {t('testConnection')}
          </button>
          <button type="button" className="cl-secondary" disabled={busy || !status?.configured} onClick={() => void run(async () => (setStatus(await call('sync.now', {})), t('syncDone')))}>
            {t('syncNow')}
          </button>
        </div>
      </form>
      <Notice message={message} />
      <p role="status" aria-label={t('syncStatus')} className="cl-sync-status">
        {syncStatusText(status, t, lang, { detail: true })}
      </p>
    </section>
  );
}
