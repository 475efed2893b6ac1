import './risk.css';
/** The risk of one committee: score, level, reasons with their contacts and next steps, coverage. Shared by popup and panel. */
import type { RiskView } from '../../domain/protocol';
import { CORE_ROLES, ROLE, STAGE, type Language } from '../../domain/taxonomy';
import type { Translate } from '../i18n';

const LEVEL_KEY = { low: 'levelLow', medium: 'levelMedium', high: 'levelHigh' } as const;

export function RiskSummary({ view, t, lang, compact = false }: { view: RiskView; t: Translate; lang: Language; compact?: boolean }) {
  const { result, names } = view;
  const name = (key: string) => names[key] || t('unnamed');
  return (
    <div className={`cl-risk cl-risk-${result.level}`}>
      <div className="cl-risk-head">
        <output className="cl-score" aria-label={t('riskScore')}>
          {result.score}
        </output>
        <output className="cl-level" aria-label={t('riskLevel')}>
          {t(LEVEL_KEY[result.level])}
        </output>
      </div>
      {result.reasons.length === 0 ? (
        <p className="cl-muted">{t('riskNone')}</p>
      ) : (
        <ul aria-label={t('riskReasons')} className="cl-reasons">
          {result.reasons.map((r) => (
            <li key={r.ruleId} data-rule-id={r.ruleId}>
              <span className="cl-points">+{r.points}</span> {r.message[lang]}
              {!compact && (
                <div className="cl-muted">
                  {t('nextStep')} {r.nextStep[lang]}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {!compact && (
        <dl className="cl-coverage">
          <dt>{t('coreRoles')}</dt>
          <dd>
            {CORE_ROLES.map((role) => {
              const who = result.coverage.coreRoles[role as keyof typeof result.coverage.coreRoles];
              return (
                <div key={role}>
                  {ROLE.labels[role][lang]}: {who.length ? who.map(name).join(', ') : t('nobodyYet')}
                </div>
              );
            })}
          </dd>
          <dt>{t('departments')}</dt>
          <dd>
            {result.coverage.departments.length === 0
              ? t('nobodyYet')
              : result.coverage.departments.map((d) => `${d.name} (${d.heard ? t('heard') : t('notHeard')})`).join(' · ')}
          </dd>
          <dt>{t('stages')}</dt>
          <dd>
            {STAGE.ids
              .filter((s) => result.coverage.stages[s].length)
              .map((s) => `${STAGE.labels[s][lang]}: ${result.coverage.stages[s].length}`)
              .join(' · ') || t('nobodyYet')}
          </dd>
        </dl>
      )}
    </div>
  );
}
