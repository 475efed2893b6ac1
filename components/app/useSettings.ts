/** Settings and language for the extension's own pages (popup, options), kept live by the change broadcast. */
import { useCallback, useEffect, useState } from 'react';
import type { SettingsPatch } from '../../domain/protocol';
import { DEFAULT_SETTINGS, type Settings } from '../../domain/settings';
import { call, onChange } from '../../storage/client';
import { resolveLanguage, translator } from '../i18n';

/** `initial`: settings the page already has (the popup's opening answer); otherwise they are asked for. */
export function useSettings(initial?: Settings) {
  const [settings, setSettings] = useState<Settings>(initial ?? DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(!!initial);
  const load = useCallback(() => call('settings.get', {}).then((s) => (setSettings(s), setLoaded(true))), []);
  useEffect(() => {
    // Runs once (load never changes): ask only when the page did not bring the settings.
    if (!initial) void load();
    return onChange((c) => c.keys.includes('settings') && void load());
  }, [load]);
  const lang = resolveLanguage(settings.language, navigator.language);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const update = useCallback(async (patch: SettingsPatch) => setSettings(await call('settings.update', patch)), []);
  return { settings, loaded, lang, t: translator(lang), update };
}
