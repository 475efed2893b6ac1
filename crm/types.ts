import type { ObjectType } from '../domain/ids';

export interface PageContact {
  key: string;
  name: string;
  title?: string;
  email?: string;
}

export interface PageContext {
  crm: 'salesforce' | 'hubspot';
  org: string;
  object: ObjectType;
  key: string;
  name: string;
  title?: string;
  email?: string;
  accountKey?: string;
  accountName?: string;
  contacts: PageContact[];
  anchors: { key: string; element: Element }[];
}

export interface CrmAdapter {
  crm: 'salesforce' | 'hubspot';
  matches(url: string): boolean;
  recordFromUrl(url: string): { org: string; object: ObjectType | null; id: string } | null;
  readContext(url: string, doc: Document): PageContext | null;
  mountPoint(doc: Document): Element;
}
