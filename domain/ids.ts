/**
 * Record identity: `crm:org:object:id`. Salesforce ids are normalised to their 18-character form,
 * HubSpot ids are numeric and scoped by portal.
 */
export const CRMS = ['salesforce', 'hubspot'] as const;
export type Crm = (typeof CRMS)[number];
export const OBJECT_TYPES = ['contact', 'lead', 'account', 'opportunity', 'company', 'deal'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Kinds of record as the committee sees them. */
export type RecordKind = 'person' | 'account' | 'deal';
export function kindOf(object: ObjectType): RecordKind {
  if (object === 'contact' || object === 'lead') return 'person';
  if (object === 'account' || object === 'company') return 'account';
  return 'deal';
}

const SF_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const SF_ID_15 = /^[a-zA-Z0-9]{15}$/;
const SF_ID_18 = /^[a-zA-Z0-9]{18}$/;

/** The three checksum characters that turn a 15-character Salesforce id into its 18-character form (of the id's first 15). */
export function salesforceChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let j = 0; j < 5; j++) {
      const c = id15.charCodeAt(chunk * 5 + j);
      if (c >= 65 && c <= 90) bits |= 1 << j;
    }
    suffix += SF_SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * Normalise a Salesforce id to 18 characters, or return null when it is not a valid id
 * (wrong length, bad characters, or an 18-character id whose checksum does not match).
 */
export function normalizeSalesforceId(id: string): string | null {
  if (SF_ID_15.test(id)) return id + salesforceChecksum(id);
  if (SF_ID_18.test(id)) {
    const head = id.slice(0, 15);
    const expected = salesforceChecksum(head);
    return id.slice(15).toUpperCase() === expected ? head + expected : null;
  }
  return null;
}

export function isSalesforceId(id: string): boolean {
  return normalizeSalesforceId(id) !== null;
}

const HUBSPOT_ID = /^[1-9][0-9]{0,19}$/;
export function isHubspotId(id: string): boolean {
  return HUBSPOT_ID.test(id);
}

const ORG = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

export interface RecordRef {
  crm: Crm;
  org: string;
  object: ObjectType;
  id: string;
}

/** Build a record key; throws on an id or org that is not valid for its CRM. */
export function recordKey(ref: RecordRef): string {
  const org = ref.org.toLowerCase();
  if (!ORG.test(org)) throw new Error(`invalid org "${ref.org}"`);
  let id = ref.id;
  if (ref.crm === 'salesforce') {
    const normalized = normalizeSalesforceId(ref.id);
    if (!normalized) throw new Error(`invalid Salesforce id "${ref.id}"`);
    id = normalized;
  } else if (!isHubspotId(ref.id)) {
    throw new Error(`invalid HubSpot id "${ref.id}"`);
  }
  return `${ref.crm}:${org}:${ref.object}:${id}`;
}

/** Parse a record key back into its parts; null when it is not a well-formed key (see `recordKeyKind`). */
export function parseRecordKey(key: string): RecordRef | null {
  if (recordKeyKind(key) === null) return null;
  const [crm, org, object, id] = key.split(':') as [Crm, string, ObjectType, string];
  return { crm, org, object, id };
}

const KIND_OF_OBJECT = new Map<string, RecordKind>(OBJECT_TYPES.map((o) => [o, kindOf(o)]));
/** A Salesforce id as a key holds it: 18 characters, the last three the checksum of the first 15, in capitals. */
const isKeySalesforceId = (id: string) => SF_ID_18.test(id) && id.slice(15) === salesforceChecksum(id);

/**
 * The kind of record a key names; null when it is not a well-formed record key: exactly the keys that
 * `recordKey` makes (its parts valid, the org in lower case, a Salesforce id in its 18-character form),
 * read in place, since an import or a pull checks a few hundred thousand keys.
 */
export function recordKeyKind(key: string): RecordKind | null {
  const a = key.indexOf(':');
  const b = key.indexOf(':', a + 1);
  const c = key.indexOf(':', b + 1);
  if (a < 0 || b < 0 || c < 0 || key.indexOf(':', c + 1) >= 0) return null;
  const crm = key.slice(0, a);
  if (crm !== 'salesforce' && crm !== 'hubspot') return null;
  const kind = KIND_OF_OBJECT.get(key.slice(b + 1, c));
  if (!kind || !ORG.test(key.slice(a + 1, b))) return null;
  const id = key.slice(c + 1);
  return (crm === 'salesforce' ? isKeySalesforceId(id) : HUBSPOT_ID.test(id)) ? kind : null;
}

export function isRecordKey(key: string): boolean {
  return recordKeyKind(key) !== null;
}

/** A committee membership is keyed by its committee (account or deal) and the person. */
export const MEMBERSHIP_SEPARATOR = '|';
export function membershipKey(committeeKey: string, contactKey: string): string {
  return committeeKey + MEMBERSHIP_SEPARATOR + contactKey;
}
/** The committee a well-formed membership key names: the part before the separator (record keys never hold it). */
export const committeeOf = (key: string) => key.slice(0, key.indexOf(MEMBERSHIP_SEPARATOR));
/** The person a well-formed membership key names: the part after the separator. */
export const personOf = (key: string) => key.slice(key.indexOf(MEMBERSHIP_SEPARATOR) + MEMBERSHIP_SEPARATOR.length);

/** Evidence that a champion really is one (the champion check). */
export const CHAMPION_EVIDENCE = ['access_to_decision_maker', 'shared_decision_process', 'sold_internally'] as const;
