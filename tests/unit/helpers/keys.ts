/** Valid record keys for tests (Salesforce ids with a correct checksum, made by the algorithm). */
import { recordKey, salesforceChecksum } from '../../../domain/ids';
import type { ObjectType } from '../../../domain/ids';

const PREFIX: Partial<Record<ObjectType, string>> = { contact: '003', lead: '00Q', account: '001', opportunity: '006' };

/** A Salesforce id of an object type, numbered n (15 characters + checksum = 18). */
export function sfId(object: ObjectType, n: number): string {
  const id15 = `${PREFIX[object]}5g00000${String(n).padStart(5, '0')}`.slice(0, 15);
  return id15 + salesforceChecksum(id15);
}
export function sfKey(object: ObjectType, n: number, org = 'acme'): string {
  return recordKey({ crm: 'salesforce', org, object, id: sfId(object, n) });
}
export function hsKey(object: 'contact' | 'company' | 'deal', n: number, portal = '4417231'): string {
  return recordKey({ crm: 'hubspot', org: portal, object, id: String(100000000000 + n) });
}
