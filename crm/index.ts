/** The CRM adapters behind one interface. Nothing outside crm/ knows which CRM a page is. */
import { hubspot } from './hubspot/adapter';
import { salesforce } from './salesforce/adapter';
import type { CrmAdapter } from './types';

export const ADAPTERS: readonly CrmAdapter[] = [salesforce, hubspot];

export function adapterFor(url: string): CrmAdapter | null {
  return ADAPTERS.find((a) => a.matches(url)) ?? null;
}

export type { CrmAdapter, PageContext, PageContact } from './types';
