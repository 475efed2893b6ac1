/** The options page: language and identity, risk settings, import, sync. */
import { useId, useState, useEffect } from 'react';
import { useSettings } from '../app/useSettings';
import { SyncSettings } from './SyncSettings';
import { RiskSettingsForm } from './RiskSettingsForm';
import { ImportBackup } from './ImportBackup';
import { ExportButtons } from '../app/ExportButtons';

export function OptionsPage() {
  const { settings, loaded, t, lang, update } = useSettings();
  const id = useId();
  const [name, setName] = useState('');
  useEffect(() => setName(settings.displayName), [settings.displayName]);
  return (
    <main className="cl-page">
      <h1>{t('optionsTitle')}</h1>
      <section aria-labelledby={`${id}-general`}>
        <h2 id={`${id}-general`}>{t('general')}</h2>
        <div className="cl-field">
          <label htmlFor={`${id}-lang`}>{t('language')}</label>
          <select id={`${id}-lang`} value={settings.language} disabled={!loaded} onChange={(e) => void update({ language: e.target.value as 'auto' | 'en' | 'zh' })}>
            <option value="auto">{t('languageAuto')}</option>
            <option value="en">English</option>
            <option value="zh">简体中文</option>
          </select>
        </div>
        <form
          className="cl-field"
          onSubmit={(e) => {
            e.preventDefault();
            void update({ displayName: name.trim() });
          }}
        >
          <label htmlFor={`${id}-name`}>{t('displayName')}</label>
          <div className="cl-row">
            <input id={`${id}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
            <button type="submit" aria-label={t('saveName')}>{t('save')}</button>
          </div>
        </form>
      </section>
      <RiskSettingsForm t={t} lang={lang} />
      <section>
        <h2>{t('exportTitle')}</h2>
        <p className="cl-muted">{t('exportIntro')}</p>
        <ExportButtons t={t} lang={lang} scope={{ kind: 'all' }} formats={['csv', 'json', 'salesforce', 'hubspot']} />
      </section>
      <ImportBackup t={t} />
      <SyncSettings t={t} lang={lang} />
    </main>
  );
}
