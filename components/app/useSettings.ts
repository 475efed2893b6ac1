/** Settings and language for the extension's own pages (popup, options), kept live by the change broadcast. */
import { useCallback, useEffect, useState } from 'react';
import type { SettingsPatch } from '../../domain/protocol';
import { DEFAULT_SETTINGS, type Settings } from '../../domain/settings';
import { call, onChange } from '../../storage/client';
import { resolveLanguage, translator } from '../i18n';

export function useSettings() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  const load = useCallback(() => call('settings.get', {}).then((s) => (setSettings(s), setLoaded(true))), []);
  useEffect(() => {
    void load();
    return onChange((c) => c.keys.includes('settings') && void load());
  }, [load]);
  const lang = resolveLanguage(settings.language, navigator.language);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const update = useCallback(async (patch: SettingsPatch) => setSettings(await call('settings.update', patch)), []);
  return { settings, loaded, lang, t: translator(lang), update };
}
