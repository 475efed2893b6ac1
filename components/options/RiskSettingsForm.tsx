/** Risk settings: rules on/off and weights, thresholds, stale days. Validated by the background before saving. */
import { Notice, type NoticeMessage } from '../app/Notice';
import { useEffect, useId, useState } from 'react';
import { RULES } from '../../domain/risk/rules';
import { DEFAULT_RISK_SETTINGS, type RiskSettings } from '../../domain/risk/settings';
import type { Language } from '../../domain/taxonomy';
import { call } from '../../storage/client';
import type { MessageKey, Translate } from '../i18n';

const THRESHOLDS: { key: 'staleDays' | 'minEngaged' | 'minRoles' | 'minDepartmentsHeard' | 'stanceConflictGap'; label: MessageKey }[] = [
  { key: 'staleDays', label: 'thStaleDays' },
  { key: 'minEngaged', label: 'thMinEngaged' },
  { key: 'minRoles', label: 'thMinRoles' },
  { key: 'minDepartmentsHeard', label: 'thMinDepartments' },
  { key: 'stanceConflictGap', label: 'thStanceGap' },
];

export function RiskSettingsForm({ t, lang }: { t: Translate; lang: Language }) {
  const id = useId();
  const [settings, setSettings] = useState<RiskSettings | null>(null);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  useEffect(() => {
    void call('risk.settings.get', {}).then(setSettings);
  }, []);
  if (!settings) return null;
  const num = (v: string) => (v === '' ? NaN : Number(v));
  const save = async (next: RiskSettings) => {
    try {
      setSettings(await call('risk.settings.update', { settings: next }));
      setMessage({ error: false, text: t('riskSaved') });
    } catch (e) {
      setMessage({ error: true, text: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('riskSettings')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(settings);
        }}
      >
        <table>
          <thead>
            <tr>
              <th>{t('rule')}</th>
              <th>{t('ruleOn')}</th>
              <th>{t('weight')}</th>
            </tr>
          </thead>
          <tbody>
            {RULES.map((rule) => {
              const r = settings.rules[rule.id];
              const set = (patch: Partial<typeof r>) => setSettings({ ...settings, rules: { ...settings.rules, [rule.id]: { ...r, ...patch } } });
              return (
                <tr key={rule.id} data-rule-id={rule.id}>
                  <td title={rule.description[lang]}>{rule.label[lang]}</td>
                  <td>
                    <input type="checkbox" aria-label={t('ruleEnabled', { rule: rule.label[lang] })} checked={r.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
                  </td>
                  <td>
                    <input type="number" min={0} max={100} aria-label={t('ruleWeight', { rule: rule.label[lang] })} value={Number.isNaN(r.weight) ? '' : r.weight} onChange={(e) => set({ weight: num(e.target.value) })} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {THRESHOLDS.map(({ key, label }) => (
          <div className="cl-field" key={key}>
            <label htmlFor={`${id}-${key}`}>{t(label)}</label>
            <input id={`${id}-${key}`} type="number" value={Number.isNaN(settings[key]) ? '' : settings[key]} onChange={(e) => setSettings({ ...settings, [key]: num(e.target.value) })} />
          </div>
        ))}
        <div className="cl-row">
          <div className="cl-field">
            <label htmlFor={`${id}-medium`}>{t('levelMediumFrom')}</label>
            <input id={`${id}-medium`} type="number" value={settings.levels.medium} onChange={(e) => setSettings({ ...settings, levels: { ...settings.levels, medium: num(e.target.value) } })} />
          </div>
          <div className="cl-field">
            <label htmlFor={`${id}-high`}>{t('levelHighFrom')}</label>
            <input id={`${id}-high`} type="number" value={settings.levels.high} onChange={(e) => setSettings({ ...settings, levels: { ...settings.levels, high: num(e.target.value) } })} />
          </div>
        </div>
        <div className="cl-row">
          <button type="submit">{t('saveRiskSettings')}</button>
          <button type="button" className="cl-secondary" onClick={() => void save(structuredClone(DEFAULT_RISK_SETTINGS))}>
            {t('restoreDefaults')}
          </button>
        </div>
      </form>
      <Notice message={message} />
    </section>
  );
}
