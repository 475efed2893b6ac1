/** The side panel: a region docked to the right edge, collapsible to a small tab. */
import { useT, usePanel } from './context';
import { CommitteeList } from './CommitteeList';
import { PersonEditor } from './PersonEditor';

export function Panel() {
  const t = useT();
  const page = usePanel((s) => s.page);
  const kind = usePanel((s) => s.kind);
  const collapsed = usePanel((s) => s.settings.panelCollapsed);
  const loading = usePanel((s) => s.loading);
  const error = usePanel((s) => s.error);
  const { toggle, reload } = usePanel((s) => s);
  const lang = usePanel((s) => s.lang);
  if (!page) return null;
  return (
    <section role="region" aria-label={t('appName')} lang={lang === 'zh' ? 'zh-CN' : 'en'} className={collapsed ? 'cl-root cl-collapsed' : 'cl-root cl-open'}>
      <button type="button" className="cl-toggle" aria-label={t('togglePanel')} aria-expanded={!collapsed} onClick={() => void toggle()}>
        {collapsed ? '◧' : '›'}
      </button>
      {!collapsed && (
        <div className="cl-body">
          <header className="cl-header">
            <span className="cl-brand">{t('appName')}</span>
            <h2 className="cl-title">{page.name || t('unnamed')}</h2>
          </header>
          {error && (
            <div role="alert" className="cl-error">
              {t('errorPrefix')} {error}{' '}
              <button type="button" className="cl-link" onClick={() => void reload()}>
                {t('retry')}
              </button>
            </div>
          )}
          {loading ? <p className="cl-muted">{t('loading')}</p> : kind === 'person' ? <PersonEditor /> : <CommitteeList />}
        </div>
      )}
    </section>
  );
}
