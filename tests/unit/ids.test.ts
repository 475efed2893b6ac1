import { describe, expect, it } from 'vitest';
import { CRMS, kindOf, normalizeSalesforceId, OBJECT_TYPES, parseRecordKey, recordKey, recordKeyKind, salesforceChecksum, type Crm, type ObjectType, type RecordRef } from '../../domain/ids';

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

  it('tells the kind of a key', () => {
    const cases: [string, string | null][] = [
      ['hubspot:1:contact:7', 'person'],
      ['salesforce:acme:lead:00Q000000000001AAA', null], // wrong checksum
      ['hubspot:1:company:7', 'account'],
      ['hubspot:1:deal:7', 'deal'],
      ['hubspot:1:widget:7', null],
      ['hubspot:1:constructor:7', null],
      ['hubspot:1:deal:7:8', null],
      ['hubspot:1:deal', null],
    ];
    for (const [key, kind] of cases) expect(recordKeyKind(key)).toBe(kind);
    expect(recordKeyKind(recordKey({ crm: 'salesforce', org: 'acme', object: 'lead', id: '00Q000000000001' }))).toBe('person');
  });

  it('tells a key well-formed exactly when recordKey makes it from its parts, for keys near the valid ones', () => {
    // Read in place for speed, the kind and the parts must still follow that definition.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const valid = [
      recordKey({ crm: 'salesforce', org: 'acme', object: 'contact', id: '003000000000001' }),
      recordKey({ crm: 'salesforce', org: 'my-org.eu_1', object: 'opportunity', id: '006Ab00000Zz001' }),
      recordKey({ crm: 'hubspot', org: '4242', object: 'company', id: '123456789' }),
      'salesforce:acme:deal:006000000000001AAA',
    ];
    const edits = [
      (k: string, i: number) => k.slice(0, i) + k.slice(i + 1),
      (k: string, i: number) => k.slice(0, i) + (k[i] ?? '').toUpperCase() + k.slice(i + 1),
      (k: string, i: number) => k.slice(0, i) + (k[i] ?? '').toLowerCase() + k.slice(i + 1),
      (k: string, i: number) => k.slice(0, i) + ':' + k.slice(i),
      (k: string, i: number) => k.slice(0, i) + 'ABCZ019:-_. é'[random(13)] + k.slice(i + 1),
      (k: string) => k.slice(0, -3),
      (k: string) => k.replace(/^[a-z]+/, (crm) => (crm === 'hubspot' ? 'salesforce' : 'hubspot')),
    ];
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      let key = valid[random(valid.length)]!;
      for (let e = random(3); e >= 0; e--) key = edits[random(edits.length)]!(key, random(Math.max(1, key.length)));
      // The definition: a key is well formed when `recordKey` makes it again from its parts.
      const [crm, org, object, id, ...rest] = key.split(':');
      let made = false;
      try {
        made = rest.length === 0 && recordKey({ crm, org, object, id } as RecordRef) === key && OBJECT_TYPES.includes(object as ObjectType) && CRMS.includes(crm as Crm);
      } catch {
        made = false;
      }
      const kind = made ? kindOf(object as ObjectType) : null;
      expect(recordKeyKind(key), key).toBe(kind);
      expect(parseRecordKey(key), key).toEqual(made ? { crm, org, object, id } : null);
      if (made) accepted++;
    }
    expect(accepted).toBeGreaterThan(500); // the edits leave some keys valid, so both answers are compared
  });
});
