import { describe, expect, it } from 'vitest';
import { normalizeSalesforceId, parseRecordKey, recordKey, recordKeyKind, salesforceChecksum } from '../../domain/ids';

describe('Salesforce id normalisation', () => {
  it.each([
    ['00558000001N0Ke', '00558000001N0KeAAK'],
    ['00558000001N0KeAAK', '00558000001N0KeAAK'],
    ['00558000001N0Keaak', '00558000001N0KeAAK'], // suffix compared case-insensitively
    ['0018d00000eyAgl', '0018d00000eyAglAAE'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSalesforceId(input)).toBe(expected);
  });
  it.each(['', '0055800000', '00558000001N0KeAAA', '00558000001N0K!', '00558000001N0KeAAKX', '00558000001N0Ke A'])(
    'rejects %j',
    (input) => expect(normalizeSalesforceId(input)).toBeNull(),
  );
  it('checksum depends on case', () => {
    expect(salesforceChecksum('003aaaaaaaaaaaa')).not.toBe(salesforceChecksum('003AAAAAAAAAAAA'));
  });
});

describe('record keys', () => {
  it('normalises Salesforce ids and lowercases orgs', () => {
    expect(recordKey({ crm: 'salesforce', org: 'Acme', object: 'contact', id: '00558000001N0Ke' })).toBe(
      'salesforce:acme:contact:00558000001N0KeAAK',
    );
  });
  it('accepts HubSpot numeric ids only', () => {
    expect(recordKey({ crm: 'hubspot', org: '4417231', object: 'deal', id: '123456789012' })).toBe(
      'hubspot:4417231:deal:123456789012',
    );
    expect(() => recordKey({ crm: 'hubspot', org: '1', object: 'deal', id: '12a' })).toThrow(/HubSpot id/);
  });
  it('parses only well-formed keys', () => {
    expect(parseRecordKey('salesforce:acme:contact:00558000001N0KeAAK')).toEqual({
      crm: 'salesforce', org: 'acme', object: 'contact', id: '00558000001N0KeAAK',
    });
    for (const bad of ['salesforce:acme:contact:00558000001N0Ke', 'foo:a:contact:1', 'hubspot:1:widget:1', 'hubspot:1:deal', 'hubspot:1:deal:1:2'])
      expect(parseRecordKey(bad)).toBeNull();
  });

  it('tells the kind of a key, the same however many keys it has seen', () => {
    const cases: [string, string | null][] = [
      ['hubspot:1:contact:7', 'person'],
      ['salesforce:acme:lead:00Q000000000001AAA', null], // wrong checksum
      ['hubspot:1:company:7', 'account'],
      ['hubspot:1:deal:7', 'deal'],
      ['hubspot:1:widget:7', null],
    ];
    for (const [key, kind] of cases) expect(recordKeyKind(key)).toBe(kind);
    // more distinct keys than it remembers: it forgets, and still answers the same
    for (let i = 0; i < 25_000; i++) expect(recordKeyKind(`hubspot:1:deal:${i + 1}`)).toBe('deal');
    for (const [key, kind] of cases) expect(recordKeyKind(key)).toBe(kind);
    expect(recordKeyKind(recordKey({ crm: 'salesforce', org: 'acme', object: 'lead', id: '00Q000000000001' }))).toBe('person');
  });
});
