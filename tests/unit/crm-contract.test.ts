// @vitest-environment happy-dom
/** The same contract suite for every adapter, over its fixture table. */
import { describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor } from '../../crm';
import { isVisible } from '../../crm/dom';
import { HUBSPOT_CASES, MATCHES, SALESFORCE_CASES, type FixtureCase } from '../fixtures/cases';

function load(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

const CASES: Record<string, FixtureCase[]> = { salesforce: SALESFORCE_CASES, hubspot: HUBSPOT_CASES };

for (const adapter of ADAPTERS) {
  describe(`${adapter.crm} adapter contract`, () => {
    it.each(MATCHES[adapter.crm].yes)('matches %s', (url) => expect(adapter.matches(url)).toBe(true));
    it.each(MATCHES[adapter.crm].no)('does not match %s', (url) => expect(adapter.matches(url)).toBe(false));

    it.each(CASES[adapter.crm]!.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const doc = load(c.html);
      const found = adapterFor(c.url);
      if (c.expected === null) {
        expect(found?.readContext(c.url, doc) ?? null).toBeNull();
        return;
      }
      expect(found).toBe(adapter);
      const ctx = adapter.readContext(c.url, doc);
      expect(ctx).not.toBeNull();
      const { anchors, ...rest } = ctx!;
      const { anchorKeys, ...expected } = c.expected;
      expect(rest).toEqual(expected);
      // Anchors: only visible links, one per listed person at least, all of known contacts.
      for (const a of anchors) expect(isVisible(a.element)).toBe(true);
      expect(new Set(anchors.map((a) => a.key))).toEqual(new Set(rest.contacts.map((x) => x.key)));
      if (anchorKeys) expect(anchors.map((a) => a.key)).toEqual(anchorKeys);
      // URL-only reading agrees with the full context.
      const rec = adapter.recordFromUrl(c.url);
      if (c.fromPage) return expect(rec).toBeNull();
      expect(rec).toMatchObject({ org: rest.org, object: rest.object });
      expect(rest.key.endsWith(':' + rec!.id)).toBe(true);
    });

    it('mounts on the page body', () => {
      const doc = load('<!doctype html><body><p>x</p></body>');
      expect(adapter.mountPoint(doc)).toBe(doc.body);
    });

    it('never reads markup as HTML: names with tags come back as text', () => {
      const c = CASES[adapter.crm]!.find((x) => x.expected && x.expected.contacts.length)!;
      const evil = c.html.replaceAll(c.expected!.name.replace(/&/g, '&amp;'), '&lt;img src=x onerror=alert(1)&gt;');
      const ctx = adapter.readContext(c.url, load(evil))!;
      expect(ctx.name).toBe('<img src=x onerror=alert(1)>');
    });
  });
}

describe('adapterFor', () => {
  it('picks no adapter on other sites', () => {
    expect(adapterFor('https://example.com/lightning/r/Contact/0035g00000ZqT1aAAF/view')).toBeNull();
  });
});
