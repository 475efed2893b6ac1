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

  // Case 3: five departments in the room, one heard.
  await page.goto(DEMO.hsDeal);
  await panel.getByRole('list', { name: 'Buying committee' }).waitFor();
  for (const p of DEMO.hsPeople.slice(1)) await panel.getByRole('combobox', { name: `Add role for ${p.name}` }).selectOption('user');
  await panel.getByRole('combobox', { name: 'Add role for Mei Lin' }).selectOption('decision_maker');
  // Each user's department, on their own page; only the field service supervisor has said where he stands.
  for (const [i, p] of DEMO.hsPeople.entries()) {
    if (!p.department) continue;
    await page.goto(DEMO.hsContact(i));
    const department = panel.getByRole('textbox', { name: 'Department' });
    await department.fill(p.department);
    await department.press('Enter');
    if (i === 1) {
      await panel.getByRole('combobox', { name: 'Committee' }).selectOption({ label: `Deal: ${DEMO.hsDealName}` });
      await panel.getByRole('combobox', { name: 'Stance' }).selectOption('supportive');
    }
    await page.waitForTimeout(300);
  }
  await page.goto(DEMO.hsDeal);
  await panel.getByRole('list', { name: 'Buying committee' }).waitFor();
  await page.waitForTimeout(600);
  await shot(page, '3-hubspot-deal-five-departments');

  // The popup over the deal.
  const tabId = await app.worker.evaluate(async (u) => {
    const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url: string }[]> } } }).chrome;
    return (await c.tabs.query({})).find((t) => t.url === u)?.id;
  }, DEMO.hsDeal);
  const popup = await app.context.newPage();
  await popup.setViewportSize({ width: 420, height: 700 });
  await popup.goto(app.extensionUrl(`popup.html?tab=${tabId}`));
  await popup.getByLabel('Deal risk score').waitFor();
  await shot(popup, '4-popup-deal-risk');
  await popup.goto(app.extensionUrl('popup.html'));
  await popup.getByRole('list', { name: 'Deals at risk' }).waitFor();
  await shot(popup, '5-popup-deals-at-risk');

  await app.context.close();
  await crm.close();
  console.log('Screenshots:');
  for (const s of shots) console.log('  ' + s);
}
await crm.close().catch(() => {});
