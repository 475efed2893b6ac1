/** The overlay on HubSpot in real Chromium, in a profile of its own. */
import { describe, expect, it } from 'vitest';
import { callFromPage } from '../support/browser';
import { spaNavigate } from '../support/fixture-site';
import { overlaySession, panel } from '../support/overlay';
import { HS, HUBSPOT_CASES } from '../fixtures/cases';

const hsDeal = HUBSPOT_CASES.find((c) => c.name === 'deal with chiclets')!;
const hsContact = HUBSPOT_CASES.find((c) => c.name === 'contact record')!;
const session = overlaySession(HUBSPOT_CASES);
const open = session.open;

describe('overlay on HubSpot', () => {
  it('tags a deal contact inline, and the contact page shows it in that deal\'s committee', async () => {
    const p = await open(hsDeal.url);
    const committee = panel(p).getByRole('list', { name: 'Buying committee' });
    await expect.poll(() => committee.getByRole('listitem').count()).toBe(3);
    // Tag through the product's protocol (the inline quick-tag control is exercised on Salesforce).
    const ext = await session.app.context.newPage();
    await ext.goto(session.app.extensionUrl('options.html'));
    const tagged = await callFromPage(ext, 'membership.update', {
      committeeKey: `hubspot:${HS.portal}:deal:${HS.deal.id}`,
      contactKey: `hubspot:${HS.portal}:contact:${HS.mei.id}`,
      fields: { roles: ['decision_maker'] },
    });
    expect(tagged.ok).toBe(true);
    await expect.poll(() => committee.getByRole('listitem').filter({ hasText: 'Mei Lin' }).textContent()).toContain('Decision maker');

    await spaNavigate(p, hsContact);
    await expect.poll(() => panel(p).getByRole('heading').first().textContent()).toBe('Mei Lin');
    await panel(p).getByRole('checkbox', { name: 'Decision maker', exact: true }).waitFor({ timeout: 10_000 });
    const chooser = panel(p).getByRole('combobox', { name: 'Committee', exact: true });
    await expect.poll(() => chooser.locator('option').allTextContents()).toContain('Deal: Orient Foods – Field service app');
    await chooser.selectOption(`hubspot:${HS.portal}:deal:${HS.deal.id}`, { timeout: 5000 });
    await expect.poll(() => panel(p).getByRole('checkbox', { name: 'Decision maker', exact: true }).isChecked()).toBe(true);
    // the account's own committee is separate
    await chooser.selectOption(`hubspot:${HS.portal}:company:${HS.company.id}`, { timeout: 5000 });
    await expect.poll(() => panel(p).getByRole('checkbox', { name: 'Decision maker', exact: true }).isChecked()).toBe(false);
    await p.close();
  });
});
