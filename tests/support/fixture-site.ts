/** Serve fixture pages under their real CRM URLs, and move between them the way the CRMs' SPAs do. */
import type { Page } from 'playwright-core';
import type { Route } from './crm-server';

export interface SitePage {
  url: string;
  html: string;
}

/** A route serving each page at its URL (host + path; query and hash ignored). */
export function siteRoute(pages: SitePage[]): Route {
  const byPath = new Map<string, string>();
  for (const p of pages) {
    const u = new URL(p.url);
    if (!byPath.has(u.host + u.pathname)) byPath.set(u.host + u.pathname, p.html);
  }
  return (url) => byPath.get(url.host + url.pathname) ?? null;
}

/**
 * SPA navigation as Lightning and HubSpot do it: the current view is hidden (kept in the DOM), the
 * next record's view is added, the title changes, and the URL moves by history.pushState.
 */
export async function spaNavigate(page: Page, to: SitePage): Promise<void> {
  await page.evaluate(({ url, html }) => {
    const main = document.querySelector('.viewport, main') ?? document.body;
    const views = () => [...main.querySelectorAll<HTMLElement>(':scope > div, :scope > section')];
    const show = (href: string) => {
      for (const view of views()) {
        const on = view.dataset.spaUrl === href;
        view.classList.toggle('active', on);
        view.style.display = on ? '' : 'none';
      }
      document.title = (views().find((v) => v.dataset.spaUrl === href)?.dataset.spaTitle ?? document.title);
    };
    const w = window as unknown as { spaReady?: boolean };
    if (!w.spaReady) {
      w.spaReady = true;
      for (const view of views()) if (!view.dataset.spaUrl && view.style.display !== 'none') Object.assign(view.dataset, { spaUrl: location.href, spaTitle: document.title });
      // Back and forward re-show the cached view of that URL, as the CRMs do.
      addEventListener('popstate', () => show(location.href));
    }
    const next = new DOMParser().parseFromString(html, 'text/html');
    const incoming = next.querySelector('.viewport, main') ?? next.body;
    const href = new URL(url, location.href).href;
    for (const node of [...incoming.children]) {
      const el = main.appendChild(document.importNode(node, true)) as HTMLElement;
      if (el.style.display !== 'none') Object.assign(el.dataset, { spaUrl: href, spaTitle: next.title });
    }
    history.pushState({}, '', url);
    show(href);
  }, to);
}
