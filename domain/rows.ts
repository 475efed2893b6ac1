/** Empty rows and membership keys, free of schema code so that views (the content script) can use them cheaply. */
import { kindOf, MEMBERSHIP_SEPARATOR, parseRecordKey, recordKeyKind } from './ids';
import type { Account, Contact, Deal, Membership } from './model';

export function parseMembershipKey(key: string): { committeeKey: string; contactKey: string } | null {
  const at = key.indexOf(MEMBERSHIP_SEPARATOR);
  if (at < 0 || key.indexOf(MEMBERSHIP_SEPARATOR, at + 1) >= 0) return null;
  const committeeKey = key.slice(0, at);
  const contactKey = key.slice(at + 1);
  const committee = recordKeyKind(committeeKey);
  if (committee === null || committee === 'person' || recordKeyKind(contactKey) !== 'person') return null;
  return { committeeKey, contactKey };
}

export function emptyContact(key: string): Contact {
  const ref = parseRecordKey(key);
  if (!ref || kindOf(ref.object) !== 'person') throw new Error(`not a person key: ${key}`);
  return {
    key,
    crm: ref.crm,
    org: ref.org,
    object: ref.object as 'contact' | 'lead',
    name: '',
    title: '',
    email: '',
    accountKey: null,
    department: '',
    reportsTo: null,
    win: '',
    updatedAt: 0,
    changed: {},
  };
}

export function emptyAccount(key: string): Account {
  return { key, name: '', segment: null, updatedAt: 0, changed: {} };
}

export function emptyDeal(key: string): Deal {
  return { key, name: '', accountKey: null, stage: null, updatedAt: 0, changed: {} };
}

/** The fields a new membership holds before anyone tags it (fresh objects each call). */
export function emptyMembershipFields(): Pick<Membership, 'roles' | 'stage' | 'stance' | 'authority' | 'influence' | 'evidence' | 'verified'> {
  return { roles: [], stage: null, stance: null, authority: 'unknown', influence: null, evidence: {}, verified: {} };
}

export function emptyMembership(key: string, accountKey: string | null): Membership {
  const parsed = parseMembershipKey(key);
  if (!parsed) throw new Error(`not a membership key: ${key}`);
  const isDeal = kindOf(parseRecordKey(parsed.committeeKey)!.object) === 'deal';
  return {
    key,
    committeeKey: parsed.committeeKey,
    contactKey: parsed.contactKey,
    accountKey: isDeal ? accountKey : parsed.committeeKey,
    dealKey: isDeal ? parsed.committeeKey : null,
    ...emptyMembershipFields(),
    updatedAt: 0,
    changed: {},
  };
}
