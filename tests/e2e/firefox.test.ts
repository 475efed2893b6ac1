/**
 * The Firefox build (MV2, `.output/firefox-mv2`) in Debian's Firefox ESR: installed as a temporary add-on
 * over WebDriver BiDi (puppeteer-core; Playwright drives only its own patched Firefox), it attaches the
 * panel to a Salesforce contact page, and a role ticked there is stored by the background page and
 * shown again after a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { startCrmServer, type CrmServer } from '../support/crm-server';
import { sfLightningPage } from '../fixtures/salesforce';
import { sfKey } from '../unit/helpers/keys';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const contactId = sfKey('contact', 5).split(':')[3]!;
const path = `/lightning/r/Contact/${contactId}/view`;
const html = sfLightningPage({ object: 'Contact', id: contactId, name: 'Wang Li', title: 'Warehouse Lead', account: { id: sfKey('account', 5).split(':')[3]!, name: 'Huadong Manufacturing' } });

/** The panel's checkbox for a role, found by its label inside the panel's (open) shadow root; null until it renders. */
const roleBox = (label: string) =>
  `[...(document.querySelector('committee-lens-panel')?.shadowRoot?.querySelectorAll('input[type=checkbox]') ?? [])].find((i) => i.closest('label')?.textContent?.trim() === ${JSON.stringify(label)}) ?? null`;
/** The text of the panel's roles group (its "changed …" line says the tag was stored). */
const rolesText = `document.querySelector('committee-lens-panel')?.shadowRoot?.querySelector('fieldset')?.textContent ?? ''`;

let crm: CrmServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  crm = await startCrmServer((url) => (url.pathname === path ? html : null));
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true, // the fixture CRM's certificate is self-signed
    extraPrefsFirefox: { 'network.dns.localDomains': 'acme.lightning.force.com' },
  });
  await browser.installExtension(resolve(import.meta.dirname, '../../.output/firefox-mv2'));
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await crm?.close();
});

describe('the Firefox build', () => {
  it('attaches the panel to a Salesforce contact page, with the account\'s committee chosen', async () => {
    await page.goto(`https://acme.lightning.force.com:${crm.port}${path}`);
    await page.waitForFunction(`!!(${roleBox('Decision maker')})`);
    const panel = await page.evaluate(`(() => { const root = document.querySelector('committee-lens-panel').shadowRoot; return { heading: root.querySelector('h2, h1')?.textContent, committee: root.querySelector('select')?.selectedOptions[0]?.textContent }; })()`);
    expect(panel).toEqual({ heading: 'Wang Li', committee: expect.stringContaining('Huadong Manufacturing') });
  });

  it('stores a role ticked in the panel (the background page and IndexedDB work) and shows it after a reload', async () => {
    expect(await page.evaluate(rolesText)).toContain('never changed');
    const box = (await page.evaluateHandle(roleBox('Decision maker'))).asElement() as ElementHandle<HTMLInputElement>;
    await box.click();
    await page.waitForFunction(`!(${rolesText}).includes('never changed')`);
    await page.reload();
    await page.waitForFunction(`(${roleBox('Decision maker')})?.checked === true`);
    expect(await page.evaluate(`(${roleBox('Product user')})?.checked`)).toBe(false);
  });
});
