/**
 * The content script on CRM pages: reads the page through the CRM's adapter, mounts the side panel
 * in an open shadow root, follows SPA navigation and re-mounts when the CRM re-renders the page.
 */
import baseCss from '../../components/app/base.css?inline';
import panelCss from '../../components/panel/panel.css?inline';
import riskCss from '../../components/app/risk.css?inline';
import { createRoot, type Root } from 'react-dom/client';
import { adapterFor } from '../../crm';
import type { PageContext } from '../../crm/types';
import { CRM_EXCLUDE_MATCHES, CRM_MATCHES } from '../../crm/hosts';
import { call, onChange } from '../../storage/client';
import { Panel } from '../../components/panel/Panel';
import { StoreContext } from '../../components/panel/context';
import { createPanelStore, whenLoaded } from '../../components/panel/store';
import { RoleChips } from '../../components/panel/chips';
import { isToggleShortcut, PANEL_WIDTH } from '../../components/panel/layout';

/** How long the first mount waits for the record's stored tags before it shows "Loading…". */
const FIRST_VIEW_WAIT_MS = 250;

export default defineContentScript({
  matches: [...CRM_MATCHES],
  excludeMatches: [...CRM_EXCLUDE_MATCHES],
  runAt: 'document_idle',
  // WXT announces a new script to older copies with a CustomEvent; its legacy window.postMessage copy
  // would also wake every message listener of the CRM page (and capture a stack trace under DevTools).
  noScriptStartedPostMessage: true,
  // The panel's CSS ships inside the script and goes into the shadow root: no fetch before the first view.
  cssInjectionMode: 'manual',

  async main(ctx) {
    const started = performance.now();
    const adapter = adapterFor(location.href);
    if (!adapter) return;
    const store = createPanelStore(call, navigator.language);
    const chips = new RoleChips(document);
    const startUrl = location.href;
    const firstPage = adapter.readContext(startUrl, document);
    // The record's view brings the settings (language, collapsed) with it, while the UI is created.
    void store.getState().setPage(firstPage);

    const ui = await createShadowRootUi<Root>(ctx, {
      name: 'committee-lens-panel',
      css: `${baseCss}\n${panelCss}\n${riskCss}`,
      position: 'inline',
      anchor: () => adapter.mountPoint(document),
      append: 'last',
      isolateEvents: ['keydown', 'keyup', 'keypress'],
      onMount(container) {
        const root = createRoot(container);
        root.render(
          <StoreContext.Provider value={store}>
            <Panel />
          </StoreContext.Provider>,
        );
        return root;
      },
      onRemove(root) {
        root?.unmount();
      },
    });

    // Reserve the panel's width at the right edge so it never covers the CRM's own controls.
    const applyLayout = () => {
      const { page, settings } = store.getState();
      const open = !!page && !settings.panelCollapsed;
      document.documentElement.style.setProperty('margin-right', open ? `${PANEL_WIDTH}px` : '');
      chips.render(page, store.getState());
    };
    // Timing marks on our host element, read by the benchmark (npm run bench): start, and when the
    // panel last showed a record's stored tags.
    ui.shadowHost.dataset.clStart = started.toFixed(1);
    const markReady = () => {
      const s = store.getState();
      const ready = ui.shadowHost.isConnected && s.page && !s.loading && (s.person || s.committee);
      if (ready && ui.shadowHost.dataset.clKey !== s.page!.key) {
        requestAnimationFrame(() => {
          ui.shadowHost.dataset.clReady = performance.now().toFixed(1);
          ui.shadowHost.dataset.clKey = s.page!.key;
        });
      }
    };

    const show = (page: PageContext | null) => {
      void store.getState().setPage(page);
      applyLayout(); // chips the CRM re-rendered away come back even when the record is unchanged
      if (page && !ui.shadowHost.isConnected) ui.mount();
      if (!page && ui.shadowHost.isConnected) ui.remove();
      markReady();
    };
    let scheduled = false;
    const refresh = () => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        show(adapter.readContext(location.href, document));
      });
    };

    // Mount with the stored tags when they come quickly: one render and one layout of the panel, rather
    // than "Loading…" first and the tags a moment later. A slow answer still shows "Loading…" soon, drawn
    // with the stored settings.
    if (firstPage) await whenLoaded(store, FIRST_VIEW_WAIT_MS);
    if (!store.getState().settingsLoaded) await store.getState().loadSettings().catch(() => undefined);
    store.subscribe(applyLayout);
    store.subscribe(markReady);
    // The page read at start is current unless the URL moved meanwhile; reading it again here would
    // force a layout of the whole page with the panel's margin.
    if (location.href === startUrl) show(firstPage);
    else refresh();

    // SPA navigation: the CRMs change records through the history API.
    ctx.addEventListener(window, 'wxt:locationchange', refresh);
    // Late rendering (the name, related lists) and re-renders that remove our host: re-read, debounced.
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Changes inside our own nodes, and the insertion of our host or chips, need no re-read.
    const ours = (node: Node) => ui.shadowHost.contains(node) || chips.owns(node);
    const observer = new MutationObserver((records) => {
      if (records.every((r) => ours(r.target) || (!r.removedNodes.length && [...r.addedNodes].every(ours)))) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
    ctx.onInvalidated(() => {
      observer.disconnect();
      clearTimeout(timer);
      chips.clear();
      document.documentElement.style.removeProperty('margin-right');
    });

    // Keyboard shortcut: the manifest command (relayed by the background) and the same keys in the page.
    ctx.addEventListener(window, 'keydown', (e) => {
      if (isToggleShortcut(e) && store.getState().page) {
        e.preventDefault();
        void store.getState().toggle();
      }
    });
    const stop = onChange(
      (change) => store.getState().onChange(change),
      () => store.getState().page && void store.getState().toggle(),
    );
    ctx.onInvalidated(stop);
    // The popup asks which committee this tab shows (previews and the panel's chosen committee are not in the URL).
    const answer = (message: unknown) => {
      const m = message as { channel?: string; type?: string };
      if (m?.channel !== 'committee-lens' || m.type !== 'panel.context') return undefined;
      const { page, committeeKey, kind } = store.getState();
      if (!page) return Promise.resolve(null);
      return Promise.resolve({ committeeKey: kind === 'person' ? committeeKey : page.key, name: page.name });
    };
    browser.runtime.onMessage.addListener(answer);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(answer));
  },
});
