/** The options page in real Chromium: team sync between two browser profiles through the real service, import, language. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { committeeFromPage, downloadFrom, launchExtension, personFromPage, stopServiceWorker, type Launched } from '../support/browser';
import { startCrmServer, type CrmServer } from '../support/crm-server';
import { siteRoute } from '../support/fixture-site';
import { startSyncServer } from '../support/sync-server';
import { SALESFORCE_CASES, SF } from '../fixtures/cases';

const contactCase = SALESFORCE_CASES.find((c) => c.name === 'Lightning contact (records- header, detail email)')!;
const account = `salesforce:acme:account:${SF.acme.id}`;
const zhang = `salesforce:acme:contact:${SF.zhang.id}`;

let crm: CrmServer;
let sync: Awaited<ReturnType<typeof startSyncServer>>;
let ae: Launched;
let csm: Launched;

beforeAll(async () => {
  crm = await startCrmServer(siteRoute(SALESFORCE_CASES));
  sync = await startSyncServer(['Lin (AE)', 'Mei (CSM)']);
  ae = await launchExtension({ resolverRule: crm.resolverRule });
  csm = await launchExtension({ resolverRule: crm.resolverRule });
});
afterAll(async () => {
  await ae?.context.close();
  await csm?.context.close();
  await sync?.close();
  await crm?.close();
});

async function connect(app: Launched, token: string): Promise<Page> {
  const options = await app.context.newPage();
  await options.goto(app.extensionUrl('options.html'));
  await options.getByRole('textbox', { name: 'Server URL' }).fill(sync.url);
  await options.getByLabel('Access token').fill(token);
  await options.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => options.getByRole('status').allTextContents()).toContainEqual(expect.stringContaining('Acme Sales'));
  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => options.getByLabel('Sync status').textContent()).toMatch(/Last sync/);
  return options;
}

describe('team sync between two profiles', () => {
  it('a tag made in one profile appears in the other', async () => {
    const aeOptions = await connect(ae, sync.tokens['Lin (AE)']!);
    await connect(csm, sync.tokens['Mei (CSM)']!);

    const page = await ae.context.newPage();
    await page.goto(contactCase.url);
    const panel = page.getByRole('region', { name: 'Committee Lens' });
    await panel.getByRole('checkbox', { name: 'Decision maker', exact: true }).check();
    await panel.getByRole('textbox', { name: 'New note' }).fill('Budget sits with the CEO');
    await panel.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => aeOptions.getByLabel('Sync status').textContent(), { timeout: 15_000 }).toMatch(/ 0 pending/);

    const other = await csm.context.newPage();
    await other.goto(csm.extensionUrl('options.html'));
    await other.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(async () => (await committeeFromPage(other, account)).members, { timeout: 15_000 })
      .toEqual([expect.objectContaining({ contactKey: zhang, roles: ['decision_maker'] })]);
    const { notes } = await personFromPage(other, zhang);
    expect(notes.map((n) => n.text)).toEqual(['Budget sits with the CEO']);
    // and the CRM page in the second profile shows it
    const csmPage = await csm.context.newPage();
    await csmPage.goto(contactCase.url);
    await expect.poll(() => csmPage.getByRole('region', { name: 'Committee Lens' }).getByRole('checkbox', { name: 'Decision maker', exact: true }).isChecked()).toBe(true);
  });

  it('a wrong token is reported, not saved silently', async () => {
    const options = await ae.context.newPage();
    await options.goto(ae.extensionUrl('options.html'));
    await options.getByRole('textbox', { name: 'Server URL' }).fill(sync.url);
    await options.getByLabel('Access token').fill('wrong-token');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => options.getByRole('alert').textContent()).toMatch(/401/);
  });
});

describe('import in the options page', () => {
  it('previews a backup, refuses a broken one with its problems, applies a good one', async () => {
    const options = await csm.context.newPage();
    await options.goto(csm.extensionUrl('options.html'));
    const backup = (await downloadFrom(options, 'Export JSON')).text;
    const dir = mkdtempSync(join(tmpdir(), 'cl-import-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, backup.replace('"roles":["decision_maker"]', '"roles":["emperor"]'));
    await options.getByLabel('Import JSON').setInputFiles(bad);
    await expect.poll(() => options.getByRole('list', { name: 'Import problems' }).textContent()).toMatch(/memberships\[0\]\.roles\[0\].*emperor/);
    const good = join(dir, 'good.json');
    writeFileSync(good, backup.replace('"stance":null', '"stance":"supportive"').replace(/"changed":\{"accountKey":(\d+),"roles":(\d+)\}/, '"changed":{"accountKey":$1,"roles":$2,"stance":9999999999999}'));
    // The file goes to the worker itself (a reply port, not runtime messaging): it must wake a stopped one.
    await stopServiceWorker(options);
    await options.getByLabel('Import JSON').setInputFiles(good);
    const preview = options.getByRole('table', { name: 'Import preview' });
    await expect.poll(() => preview.textContent()).toContain('memberships');
    await options.getByRole('button', { name: 'Apply import' }).click();
    await expect.poll(() => options.getByRole('status').allTextContents()).toContain('Imported.');
  });

  it('switches the UI to Simplified Chinese', async () => {
    const options = await csm.context.newPage();
    await options.goto(csm.extensionUrl('options.html'));
    await options.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await expect.poll(() => options.getByRole('heading', { level: 1 }).textContent()).toBe('Committee Lens 设置');
    const page = await csm.context.newPage();
    await page.goto(contactCase.url);
    const panel = page.getByRole('region', { name: 'Committee Lens' });
    await expect.poll(() => panel.getByRole('checkbox', { name: '决策人', exact: true }).count()).toBe(1);
    await options.getByRole('combobox', { name: '语言' }).selectOption('en');
  });
});
