/**
 * `npm start`: build the extension, serve the demo CRM under the real host names, and launch
 * Chromium with the extension. With a display it stays open, ready to click; without one it runs
 * headless, walks through tagging a few contacts, and writes screenshots whose paths it prints.
 */
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchExtension } from '../support/browser';
import { startCrmServer } from '../support/crm-server';
import { siteRoute } from '../support/fixture-site';
import { DEMO, demoIndex, demoPages } from './site';

const OUT = resolve(import.meta.dirname, '../../.output/demo');
const headed = !!process.env.DISPLAY && process.env.HEADLESS !== '1';

console.log('Building the extension…');
execSync('npx wxt build', { stdio: 'inherit' });

const route = siteRoute(demoPages());
const crm = await startCrmServer((url) => (url.pathname === '/' && url.hostname === 'acme.lightning.force.com' ? demoIndex() : route(url)));
const app = await launchExtension({ resolverRule: crm.resolverRule, headless: !headed });
console.log(`Demo CRM served on 127.0.0.1:${crm.port} as *.lightning.force.com and *.hubspot.com`);

const shots: string[] = [];
async function shot(page: Page, name: string) {
  mkdirSync(OUT, { recursive: true });
  const path = `${OUT}/${name}.png`;
  await page.screenshot({ path });
  shots.push(path);
}

if (headed) {
  const page = app.context.pages()[0] ?? (await app.context.newPage());
  await page.goto('https://acme.lightning.force.com/');
  console.log('Chromium is open with Committee Lens. Close the window (or press Ctrl+C) to stop.');
  await new Promise<void>((r) => app.context.on('close', () => r()));
} else {
  console.log('No display: walking through the demo headless…');
  const page = await app.context.newPage();
  await page.setViewportSize({ width: 1400, height: 900 });
  const panel = page.getByRole('region', { name: 'Committee Lens' });
  const role = (name: string) => panel.getByRole('checkbox', { name, exact: true });

  // The account page lists its people: the panel learns who works there.
  await page.goto(DEMO.sfAccount);
  await panel.getByRole('list', { name: 'Buying committee' }).waitFor();
  // Case 1: the friendly manager claims the decision; the CEO above him is not on the map yet.
  await page.goto(DEMO.sfContact(0));
  await panel.waitFor();
  await role('Decision maker').check();
  await panel.getByRole('combobox', { name: 'Authority' }).selectOption('claimed');
  await panel.getByRole('combobox', { name: 'Stance' }).selectOption('champion');
  await panel.getByRole('combobox', { name: 'Lifecycle stage' }).selectOption('evaluation');
  await panel.getByRole('combobox', { name: 'Reports to' }).selectOption({ label: 'Chen Jie' });
  await panel.getByRole('textbox', { name: 'New note' }).fill('Says his department has the budget and he can sign. Approval chain not confirmed.');
  await panel.getByRole('button', { name: 'Add note' }).click();
  await page.waitForTimeout(400);
  await shot(page, '1-salesforce-contact-tagged');
  await page.goto(DEMO.sfDeal);
  await panel.getByRole('list', { name: 'Buying committee' }).waitFor();
  await panel.getByRole('combobox', { name: 'Add role for Li Na' }).selectOption('user');
  await page.waitForTimeout(600);
  await shot(page, '2-salesforce-opportunity-committee');

  /** On a HubSpot person's own page: their department, and where they stand in one deal's committee. */
  async function onPersonPage(i: number, tags: { department?: string; deal?: string; stance?: string; stage?: string }) {
    await page.goto(DEMO.hsContact(i));
    if (tags.department) {
      const department = panel.getByRole('textbox', { name: 'Department' });
      await department.fill(tags.department);
      await department.press('Enter');
    }
    if (tags.deal) await panel.getByRole('combobox', { name: 'Committee' }).selectOption({ label: `Deal: ${tags.deal}` });
    if (tags.stance) await panel.getByRole('combobox', { name: 'Stance' }).selectOption(tags.stance);
    if (tags.stage) await panel.getByRole('combobox', { name: 'Lifecycle stage' }).selectOption(tags.stage);
    await page.waitForTimeout(300);
  }
  /** A HubSpot deal's page, its roles tagged from the committee list. */
  async function tagDeal(url: string, roles: [name: string, role: string][]) {
    await page.goto(url);
    await panel.getByRole('list', { name: 'Buying committee' }).waitFor();
    for (const [name, role] of roles) await panel.getByRole('combobox', { name: `Add role for ${name}` }).selectOption(role);
  }
  async function showDeal(url: string, name: string) {
    await page.goto(url);
    await panel.getByRole('list', { name: 'Buying committee' }).waitFor();
    await page.waitForTimeout(600);
    await shot(page, name);
  }

  // Case 2: after signing, the boss wants what the daily user opposes.
  await tagDeal(DEMO.hsRenewal, [['Mei Lin', 'decision_maker'], ['Jun Park', 'user']]);
  await onPersonPage(0, { deal: DEMO.hsRenewalName, stance: 'supportive' });
  await onPersonPage(1, { deal: DEMO.hsRenewalName, stance: 'opposed', stage: 'experience' });
  await showDeal(DEMO.hsRenewal, '3-hubspot-renewal-boss-against-user');

  // Case 3: five departments in the room, one heard.
  await tagDeal(DEMO.hsDeal, [['Mei Lin', 'decision_maker'], ...DEMO.hsPeople.slice(1).map((p): [string, string] => [p.name, 'user'])]);
  // Each user's department, on their own page; only the field service supervisor has said where he stands.
  for (const [i, p] of DEMO.hsPeople.entries()) {
    if (p.department) await onPersonPage(i, { department: p.department, ...(i === 1 ? { deal: DEMO.hsDealName, stance: 'supportive' } : {}) });
  }
  await showDeal(DEMO.hsDeal, '4-hubspot-deal-five-departments');

  // The popup over the deal.
  const tabId = await app.worker.evaluate(async (u) => {
    const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url: string }[]> } } }).chrome;
    return (await c.tabs.query({})).find((t) => t.url === u)?.id;
  }, DEMO.hsDeal);
  const popup = await app.context.newPage();
  await popup.setViewportSize({ width: 420, height: 700 });
  await popup.goto(app.extensionUrl(`popup.html?tab=${tabId}`));
  await popup.getByLabel('Deal risk score').waitFor();
  await shot(popup, '5-popup-deal-risk');
  await popup.goto(app.extensionUrl('popup.html'));
  await popup.getByRole('list', { name: 'Deals at risk' }).waitFor();
  await shot(popup, '6-popup-deals-at-risk');

  await app.context.close();
  await crm.close();
  console.log('Screenshots:');
  for (const s of shots) console.log('  ' + s);
}
await crm.close().catch(() => {});
