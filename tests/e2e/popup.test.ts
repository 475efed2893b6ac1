/** The popup in real Chromium: risk of the record in a tab, the ranked deal list, and the CSV export. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callFromPage, downloadFrom, launchExtension, type Launched } from '../support/browser';
import { startCrmServer, type CrmServer } from '../support/crm-server';
import { siteRoute } from '../support/fixture-site';
import { HS, HUBSPOT_CASES, SALESFORCE_CASES, SF } from '../fixtures/cases';

const all = [...SALESFORCE_CASES, ...HUBSPOT_CASES];
const url = (name: string) => all.find((c) => c.name === name)!.url;
const sfDeal = `salesforce:acme:opportunity:${SF.deal.id}`;
const hsDeal = `hubspot:${HS.portal}:deal:${HS.deal.id}`;
const sf = (id: string) => `salesforce:acme:contact:${id}`;
const hs = (id: string) => `hubspot:${HS.portal}:contact:${id}`;

let crm: CrmServer;
let app: Launched;
let ext: Page;

async function seed(type: string, payload: unknown) {
  const res = await callFromPage(ext, type, payload);
  expect(res.ok, JSON.stringify(res.error)).toBe(true);
}

beforeAll(async () => {
  crm = await startCrmServer(siteRoute(all));
  app = await launchExtension({ resolverRule: crm.resolverRule });
  ext = await app.context.newPage();
  await ext.goto(app.extensionUrl('options.html'));
  // Visiting the deal pages records their names and accounts (the product's own path).
  for (const name of ['opportunity with Contact Roles (table)', 'deal with chiclets', 'Lightning contact (records- header, detail email)']) {
    const p = await app.context.newPage();
    await p.goto(url(name));
    await p.getByRole('region', { name: 'Committee Lens' }).waitFor();
    await p.close();
  }
  // Case 1 and 2 of the source on the Salesforce opportunity: a manager who claims authority while his
  // CEO is not on the map, and a supportive boss against an opposed daily user.
  await seed('contact.update', { contactKey: sf(SF.zhang.id), fields: { reportsTo: sf(SF.chen.id), department: 'Sales' } });
  await seed('contact.update', { contactKey: sf(SF.li.id), fields: { department: 'Warehouse' } });
  await seed('membership.update', { committeeKey: sfDeal, contactKey: sf(SF.zhang.id), fields: { roles: ['decision_maker'], authority: 'claimed', stance: 'supportive', stage: 'evaluation' } });
  await seed('membership.update', { committeeKey: sfDeal, contactKey: sf(SF.li.id), fields: { roles: ['user'], stance: 'opposed', stage: 'evaluation' } });
  // A healthier HubSpot deal: verified decision maker, users and an influencer heard.
  await seed('contact.update', { contactKey: hs(HS.mei.id), fields: { department: 'Operations' } });
  await seed('contact.update', { contactKey: hs(HS.jun.id), fields: { department: 'Field service' } });
  await seed('contact.update', { contactKey: hs(HS.ana.id), fields: { department: 'IT' } });
  await seed('membership.update', { committeeKey: hsDeal, contactKey: hs(HS.mei.id), fields: { roles: ['decision_maker', 'economic_buyer'], authority: 'verified', stance: 'supportive' } });
  await seed('membership.update', { committeeKey: hsDeal, contactKey: hs(HS.jun.id), fields: { roles: ['user'], stance: 'supportive' } });
  await seed('membership.update', { committeeKey: hsDeal, contactKey: hs(HS.ana.id), fields: { roles: ['influencer', 'technical_evaluator'], stance: 'neutral' } });
});
afterAll(async () => {
  await app?.context.close();
  await crm?.close();
});

async function popupFor(recordUrl: string): Promise<Page> {
  const tab = await app.context.newPage();
  await tab.goto(recordUrl);
  await tab.getByRole('region', { name: 'Committee Lens' }).waitFor();
  const tabId = await app.worker.evaluate(async (u) => {
    const tabs = await (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url: string }[]> } } }).chrome.tabs.query({});
    return tabs.find((t) => t.url === u)?.id;
  }, recordUrl);
  const popup = await app.context.newPage();
  await popup.goto(app.extensionUrl(`popup.html?tab=${tabId}`));
  return popup;
}

describe('popup', () => {
  it('shows the risk of a Salesforce opportunity with its reasons', async () => {
    const popup = await popupFor(url('opportunity with Contact Roles (table)'));
    const score = popup.getByLabel('Deal risk score');
    await expect.poll(() => score.textContent(), { timeout: 10_000 }).toMatch(/^\d+$/);
    const value = Number(await score.textContent());
    const level = await popup.getByLabel('Risk level').textContent();
    expect(level).toBe(value >= 60 ? 'High' : value >= 30 ? 'Medium' : 'Low');
    const ids = await popup.getByRole('list', { name: 'Risk reasons' }).getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id')));
    expect(ids).toEqual(expect.arrayContaining(['authority-unverified', 'stance-conflict']));
    expect(ids).not.toContain('no-decision-maker');
    expect(await popup.getByRole('list', { name: 'Risk reasons' }).textContent()).toContain('Zhang Wei');
  });

  it('shows the risk of a HubSpot deal, and stays current when a tag changes', async () => {
    const popup = await popupFor(url('deal with chiclets'));
    const reasons = popup.getByRole('list', { name: 'Risk reasons' });
    const ids = () => reasons.getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id'))).catch(() => []);
    await expect.poll(() => popup.getByLabel('Deal risk score').textContent(), { timeout: 10_000 }).toMatch(/^\d+$/);
    expect(await ids()).not.toContain('blocker');
    const before = Number(await popup.getByLabel('Deal risk score').textContent());
    await seed('membership.update', { committeeKey: hsDeal, contactKey: hs(HS.jun.id), fields: { roles: ['user', 'blocker'], stance: 'opposed', influence: 'high' } });
    await expect.poll(ids, { timeout: 5000 }).toContain('blocker');
    expect(Number(await popup.getByLabel('Deal risk score').textContent())).toBeGreaterThan(before);
  });

  it('elsewhere lists the deals riskiest first', async () => {
    const popup = await app.context.newPage();
    await popup.goto(app.extensionUrl('popup.html'));
    const list = popup.getByRole('list', { name: 'Deals at risk' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 10_000 }).toBe(2);
    const scores = (await list.getByRole('listitem').locator('.cl-badge').allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await popup.getByRole('searchbox', { name: 'Search deals' }).fill('Orient');
    await expect.poll(() => list.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Orient Foods')]);
  });

  it('exports CSV from the popup', async () => {
    const popup = await app.context.newPage();
    await popup.goto(app.extensionUrl('popup.html'));
    const { filename, text } = await downloadFrom(popup, 'Export CSV');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('Zhang Wei');
    expect(text).toContain('Mei Lin');
    expect(text.split('\r\n').filter(Boolean).length).toBe(1 + 5);
    expect(filename).toMatch(/^committee-lens-\d{4}-\d{2}-\d{2}\.csv$/);
  });
});
