/**
 * One browser with the built extension over the fixture CRM site, for a test file's lifetime (vitest
 * hooks): open a CRM page and wait for the panel.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type Launched } from './browser';
import { startCrmServer, type CrmServer } from './crm-server';
import { siteRoute, type SitePage } from './fixture-site';

/** The Committee Lens side panel on a CRM page. */
export const panel = (p: Page) => p.getByRole('region', { name: 'Committee Lens' });

export function overlaySession(pages: SitePage[]) {
  let crm: CrmServer;
  let app: Launched;
  beforeAll(async () => {
    crm = await startCrmServer(siteRoute(pages));
    app = await launchExtension({ resolverRule: crm.resolverRule });
  });
  afterAll(async () => {
    await app?.context.close();
    await crm?.close();
  });
  return {
    get app(): Launched {
      return app;
    },
    /** A new tab on `url`, once the panel is there. */
    async open(url: string): Promise<Page> {
      const p = await app.context.newPage();
      await p.goto(url);
      await expect.poll(() => panel(p).count(), { timeout: 10_000 }).toBe(1);
      return p;
    },
  };
}
