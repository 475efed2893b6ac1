import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { recordInTab } from '../../entrypoints/background/tabs';
import { sfKey } from './helpers/keys';

const deal = sfKey('opportunity', 7);
const dealUrl = `https://acme.lightning.force.com/lightning/r/Opportunity/${deal.split(':')[3]}/view`;

beforeEach(() => fakeBrowser.reset());

describe('the record in a tab (for the popup)', () => {
  it('reads a CRM record from the URL when the panel does not answer', async () => {
    const tab = await fakeBrowser.tabs.create({ url: dealUrl, active: true });
    const ask = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockRejectedValue(new Error('Receiving end does not exist.'));
    expect(await recordInTab(tab.id!)).toEqual({ committeeKey: deal, name: '' });
    expect(ask).toHaveBeenCalledOnce();
  });

  it("prefers the panel's answer (a preview or the committee chosen on a person's page)", async () => {
    const tab = await fakeBrowser.tabs.create({ url: dealUrl, active: true });
    const other = sfKey('opportunity', 8);
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ committeeKey: other, name: 'Renewal 2027' });
    expect(await recordInTab(tab.id!)).toEqual({ committeeKey: other, name: 'Renewal 2027' });
  });

  it('ignores a malformed answer from the tab', async () => {
    const tab = await fakeBrowser.tabs.create({ url: dealUrl, active: true });
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ committeeKey: '<img src=x onerror=alert(1)>', name: 42 });
    expect(await recordInTab(tab.id!)).toEqual({ committeeKey: deal, name: '' });
  });

  it('does not ask a tab that no adapter claims, and finds no record there', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://example.com/pricing', active: true });
    const ask = vi.spyOn(fakeBrowser.tabs, 'sendMessage');
    expect(await recordInTab(tab.id!)).toBeNull();
    expect(await recordInTab(null)).toBeNull();
    expect(ask).not.toHaveBeenCalled();
  });

  it('finds no record for an unknown tab, a tab without a URL, or a person (people have no committee)', async () => {
    const ask = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockRejectedValue(new Error('no receiver'));
    expect(await recordInTab(424242)).toBeNull();
    const blank = await fakeBrowser.tabs.create({});
    expect(await recordInTab(blank.id!)).toBeNull();
    const person = await fakeBrowser.tabs.create({ url: `https://acme.lightning.force.com/lightning/r/Contact/${sfKey('contact', 1).split(':')[3]}/view` });
    expect(await recordInTab(person.id!)).toBeNull();
    expect(ask).toHaveBeenCalledOnce();
  });
});
