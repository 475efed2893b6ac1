/** The CRM adapters behind one interface. Nothing outside crm/ knows which CRM a page is. */
import { hubspot } from './hubspot/adapter';
import { salesforce } from './salesforce/adapter';
import type { CrmAdapter } from './types';

export const ADAPTERS: readonly CrmAdapter[] = [salesforce, hubspot];

export function adapterFor(url: string): CrmAdapter | null {
  return ADAPTERS.find((a) => a.matches(url)) ?? null;
}

export type { CrmAdapter, PageContext, PageContact } from './types';

/**
 * The CRM page of a record key, for links out of the popup. Salesforce keys keep the My Domain name
 * (with `--sandbox`), from which the Lightning host follows; HubSpot's app host redirects to the
 * portal's hublet.
 */
export function recordUrl(key: string): string | null {
  const [crm, org, object, id] = key.split(':');
  if (!crm || !org || !object || !id) return null;
  if (crm === 'hubspot') {
    const type = { contact: '0-1', company: '0-2', deal: '0-3' }[object];
    return type ? `https://app.hubspot.com/contacts/${org}/record/${type}/${id}` : null;
  }
  if (crm !== 'salesforce') return null;
  if (/^[a-z]{2,4}\d{1,3}[a-z]?$/.test(org)) return `https://${org}.salesforce.com/${id}`;
  const host = org.includes('--') ? `${org}.sandbox.lightning.force.com` : org.endsWith('-dev-ed') ? `${org}.develop.lightning.force.com` : `${org}.lightning.force.com`;
  const name = { contact: 'Contact', lead: 'Lead', account: 'Account', opportunity: 'Opportunity' }[object];
  return name ? `https://${host}/lightning/r/${name}/${id}/view` : null;
}
