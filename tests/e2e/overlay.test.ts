/** The overlay in real Chromium on Salesforce and HubSpot fixture pages: tag, navigate, reload, live updates. */
import { describe, expect, it } from 'vitest';
import { spaNavigate, type SitePage } from '../support/fixture-site';
import { overlaySession, panel } from '../support/overlay';
import { HUBSPOT_CASES, SALESFORCE_CASES } from '../fixtures/cases';

const all = [...SALESFORCE_CASES, ...HUBSPOT_CASES];
const page = (name: string): SitePage => {
  const c = all.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture ${name}`);
  return c;
};
const sfContact = page('Lightning contact (records- header, detail email)');
const sfAccount = page('account with Contacts related list (table)');
const sfStale = page('two hidden cached views before the active one');
const sfList = page('list view');

const session = overlaySession(all);
const open = session.open;

describe('overlay on Salesforce', () => {
  it('tags a contact, keeps the tags across SPA navigation and reload', async () => {
    const p = await open(sfContact.url);
    await expect.poll(() => panel(p).getByRole('heading').first().textContent()).toBe('Zhang Wei');
    await panel(p).getByRole('checkbox', { name: 'Decision maker', exact: true }).check();
    await expect.poll(() => panel(p).getByRole('checkbox', { name: 'Decision maker', exact: true }).isChecked()).toBe(true);
    await panel(p).getByRole('combobox', { name: 'Lifecycle stage' }).selectOption({ label: 'Multi-party consideration & comparison' });
    await panel(p).getByRole('combobox', { name: 'Stance' }).selectOption({ label: 'Supportive' });
    await panel(p).getByRole('combobox', { name: 'Authority' }).selectOption({ label: 'Claimed' });
    await panel(p).getByRole('textbox', { name: 'Department' }).fill('Sales');
    await panel(p).getByRole('textbox', { name: 'Department' }).press('Enter');
    await panel(p).getByRole('textbox', { name: 'New note' }).fill('Says he owns the budget; approval may sit with the CEO.');
    await panel(p).getByRole('button', { name: 'Add note' }).click();
    const notes = panel(p).getByRole('list', { name: 'Notes' });
    await expect.poll(() => notes.textContent()).toContain('approval may sit with the CEO');

    // pushState to the account: the panel follows and lists Zhang Wei with his role.
    await spaNavigate(p, sfAccount);
    const committee = panel(p).getByRole('list', { name: 'Buying committee' });
    await expect.poll(() => committee.getByRole('listitem').filter({ hasText: 'Zhang Wei' }).textContent(), { timeout: 5000 }).toContain('Decision maker');
    await expect.poll(() => panel(p).getByRole('heading').first().textContent()).toBe('Huadong Manufacturing');
    // untagged people the page lists are there, marked
    await expect.poll(() => committee.getByRole('listitem').filter({ hasText: 'Li Na' }).textContent()).toContain('untagged');

    // back to the contact, then reload: everything is still there
    await p.goBack();
    await expect.poll(() => panel(p).getByRole('heading').first().textContent()).toBe('Zhang Wei');
    await p.reload();
    await expect.poll(() => panel(p).getByRole('checkbox', { name: 'Decision maker', exact: true }).isChecked(), { timeout: 10_000 }).toBe(true);
    expect(await panel(p).getByRole('combobox', { name: 'Stance' }).inputValue()).toBe('supportive');
    expect(await panel(p).getByRole('combobox', { name: 'Lifecycle stage' }).inputValue()).toBe('evaluation');
    expect(await panel(p).getByRole('combobox', { name: 'Authority' }).inputValue()).toBe('claimed');
    expect(await panel(p).getByRole('textbox', { name: 'Department' }).inputValue()).toBe('Sales');
    expect(await panel(p).getByRole('list', { name: 'Notes' }).textContent()).toContain('approval may sit with the CEO');
    await p.close();
  });

  it('a second tab on the same account sees a change without reload', async () => {
    const accountTab = await open(sfAccount.url);
    const committee = panel(accountTab).getByRole('list', { name: 'Buying committee' });
    await expect.poll(() => committee.getByRole('listitem').filter({ hasText: 'Zhang Wei' }).count()).toBe(1);
    const contactTab = await open(sfContact.url);
    await panel(contactTab).getByRole('checkbox', { name: 'Champion', exact: true }).check();
    await expect.poll(() => committee.getByRole('listitem').filter({ hasText: 'Zhang Wei' }).textContent(), { timeout: 5000 }).toContain('Champion');
    await accountTab.close();
    await contactTab.close();
  });

  it('quick-tags from the account committee list', async () => {
    const p = await open(sfAccount.url);
    const committee = panel(p).getByRole('list', { name: 'Buying committee' });
    await panel(p).getByRole('combobox', { name: 'Add role for Li Na' }).selectOption({ label: 'Product user' });
    await expect.poll(() => committee.getByRole('listitem').filter({ hasText: 'Li Na' }).textContent()).toContain('Product user');
    // a role chip appears next to Li Na's link on the CRM page itself
    await expect.poll(() => p.locator('[data-committee-lens-chip]').allTextContents()).toContain('Product user');
    await p.close();
  });

  it('hidden stale views never win', async () => {
    const p = await open(sfStale.url);
    await expect.poll(() => panel(p).getByRole('heading').first().textContent()).toBe('Huadong – WMS rollout 2027');
    const items = panel(p).getByRole('list', { name: 'Buying committee' }).getByRole('listitem');
    await expect.poll(() => items.allTextContents()).not.toContainEqual(expect.stringContaining('Zhao Lei'));
    await p.close();
  });

  it('shows no panel on a page without a record', async () => {
    const p = await session.app.context.newPage();
    await p.goto(sfList.url);
    await p.waitForTimeout(800);
    expect(await panel(p).count()).toBe(0);
    await p.close();
  });

  it('collapses and expands with the toggle, and remembers it', async () => {
    const p = await open(sfContact.url);
    const toggle = p.getByRole('button', { name: 'Toggle Committee Lens' });
    await toggle.click();
    await expect.poll(() => panel(p).getByRole('checkbox').count()).toBe(0);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await p.reload();
    await expect.poll(() => p.getByRole('button', { name: 'Toggle Committee Lens' }).getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('false');
    await p.getByRole('button', { name: 'Toggle Committee Lens' }).click();
    await expect.poll(() => panel(p).getByRole('checkbox', { name: 'Decision maker', exact: true }).count()).toBe(1);
    await p.close();
  });

  it('mounts again when the CRM re-renders the page and removes the panel', async () => {
    const p = await open(sfContact.url);
    await p.evaluate(() => document.querySelector('committee-lens-panel')?.remove());
    await expect.poll(() => panel(p).count(), { timeout: 5000 }).toBe(1);
    await p.close();
  });
});
