/**
 * The demo CRM: a fictional Salesforce org (acme) and HubSpot portal whose deals carry realistic
 * buying committees, including the three situations of the source article:
 *  1. a friendly regional manager who claims budget and authority while approval sits with the CEO;
 *  2. after signing, a boss who wants a feature that the daily user opposes;
 *  3. a room of people from five departments, of whom only one has been heard.
 */
import { salesforceChecksum } from '../../domain/ids';
import { hsRecordPage, type HsPerson } from '../fixtures/hubspot';
import { sfLightningPage, sfListPage, type SfPerson, type SfRecordView } from '../fixtures/salesforce';
import type { SitePage } from '../support/fixture-site';

const sfId = (prefix: string, n: number) => {
  const id15 = `${prefix}8d00000Dm${String(n).padStart(3, '0')}`.slice(0, 15);
  return id15 + salesforceChecksum(id15);
};

export const SF_ORG = 'https://acme.lightning.force.com';
const huadong = { id: sfId('001', 1), name: 'Huadong Manufacturing' };
const sfPeople: (SfPerson & { email: string })[] = [
  { id: sfId('003', 1), name: 'Zhang Wei', title: 'Regional Sales Manager', email: 'zhang.wei@huadong.example' },
  { id: sfId('003', 2), name: 'Chen Jie', title: 'CEO', email: 'chen.jie@huadong.example' },
  { id: sfId('003', 3), name: 'Li Na', title: 'Warehouse Lead', email: 'li.na@huadong.example' },
  { id: sfId('003', 4), name: 'Wang Fang', title: 'Customer Service Lead', email: 'wang.fang@huadong.example' },
  { id: sfId('003', 5), name: 'Zhao Lei', title: 'Procurement Officer', email: 'zhao.lei@huadong.example' },
];
const wms = { id: sfId('006', 1), name: 'Huadong – WMS rollout 2027' };

const orient = { id: '602000000101', name: 'Orient Foods' };
const portal = '4417231';
/** Orient Foods' people (cases 2 and 3): the COO decides; each of the five users works in a department of their own. */
const hsPeople: (HsPerson & { title: string; department?: string })[] = [
  { id: '501000000101', name: 'Mei Lin', email: 'mei.lin@orient.example', title: 'COO' },
  { id: '501000000102', name: 'Jun Park', email: 'jun.park@orient.example', title: 'Field Service Supervisor', department: 'Field service' },
  { id: '501000000103', name: 'Ana Souza', email: 'ana.souza@orient.example', title: 'Sales Director', department: 'Sales' },
  { id: '501000000104', name: 'Omar Haddad', email: 'omar.haddad@orient.example', title: 'Production Planner', department: 'Production' },
  { id: '501000000105', name: 'Sofia Rossi', email: 'sofia.rossi@orient.example', title: 'Buyer, Procurement', department: 'Procurement' },
  { id: '501000000106', name: 'Kenji Sato', email: 'kenji.sato@orient.example', title: 'Warehouse Manager', department: 'Warehouse' },
];
const rollout = { id: '703000000101', name: 'Orient Foods – Field service app' };
const renewal = { id: '703000000102', name: 'Orient Foods – Dispatch renewal' };

export const DEMO = {
  sfContact: (i: number) => `${SF_ORG}/lightning/r/Contact/${sfPeople[i]!.id}/view`,
  sfAccount: `${SF_ORG}/lightning/r/Account/${huadong.id}/view`,
  sfDeal: `${SF_ORG}/lightning/r/Opportunity/${wms.id}/view`,
  sfList: `${SF_ORG}/lightning/o/Opportunity/list?filterName=Recent`,
  hsDeal: `https://app.hubspot.com/contacts/${portal}/record/0-3/${rollout.id}`,
  hsDealName: rollout.name,
  hsRenewalName: renewal.name,
  hsRenewal: `https://app.hubspot.com/contacts/${portal}/record/0-3/${renewal.id}`,
  hsCompany: `https://app-eu1.hubspot.com/contacts/${portal}/record/0-2/${orient.id}`,
  hsContact: (i: number) => `https://app.hubspot.com/contacts/${portal}/record/0-1/${hsPeople[i]!.id}`,
  sfPeople,
  hsPeople,
};

export function demoPages(): SitePage[] {
  const pages: SitePage[] = [];
  const account: SfRecordView = { object: 'Account', id: huadong.id, name: huadong.name, people: sfPeople, peopleList: 'Contacts' };
  pages.push({ url: DEMO.sfAccount, html: sfLightningPage(account) });
  pages.push({ url: DEMO.sfDeal, html: sfLightningPage({ object: 'Opportunity', id: wms.id, name: wms.name, account: huadong, people: sfPeople.filter((p) => p.name !== 'Chen Jie'), peopleList: 'Contact Roles' }) });
  sfPeople.forEach((p, i) => pages.push({ url: DEMO.sfContact(i), html: sfLightningPage({ object: 'Contact', id: p.id, name: p.name, title: p.title, email: p.email, account: huadong }) }));
  pages.push({ url: DEMO.sfList, html: sfListPage('Opportunity', [{ id: wms.id, name: wms.name }]) });
  pages.push({ url: DEMO.hsCompany, html: hsRecordPage({ portal, type: '0-2', id: orient.id, name: orient.name, contacts: hsPeople }) });
  pages.push({ url: DEMO.hsDeal, html: hsRecordPage({ portal, type: '0-3', id: rollout.id, name: rollout.name, company: orient, contacts: hsPeople }) });
  pages.push({ url: DEMO.hsRenewal, html: hsRecordPage({ portal, type: '0-3', id: renewal.id, name: renewal.name, company: orient, contacts: hsPeople.slice(0, 2) }) });
  hsPeople.forEach((p, i) => pages.push({ url: DEMO.hsContact(i), html: hsRecordPage({ portal, type: '0-1', id: p.id, name: p.name, subtitle: p.title, email: p.email, company: orient }) }));
  return pages;
}

/** A start page linking every demo record. */
export function demoIndex(): string {
  const link = (href: string, text: string) => `<li><a href="${href}">${text}</a></li>`;
  return `<!doctype html><meta charset="utf-8"><title>Committee Lens demo</title><body style="font:15px system-ui;max-width:720px;margin:40px auto">
  <h1>Committee Lens demo CRM</h1><p>Fictional records served locally under the real CRM host names. Open one and use the panel on the right.</p>
  <h2>Salesforce (acme)</h2><ul>${link(DEMO.sfDeal, 'Opportunity: Huadong – WMS rollout 2027 (case 1: who really decides?)')}${link(DEMO.sfAccount, 'Account: Huadong Manufacturing')}${sfPeople.map((p, i) => link(DEMO.sfContact(i), `Contact: ${p.name}, ${p.title}`)).join('')}</ul>
  <h2>HubSpot (portal ${portal})</h2><ul>${link(DEMO.hsDeal, 'Deal: Orient Foods – Field service app (case 3: five departments)')}${link(DEMO.hsRenewal, 'Deal: Orient Foods – Dispatch renewal (case 2: boss vs daily user)')}${link(DEMO.hsCompany, 'Company: Orient Foods')}${hsPeople.map((p, i) => link(DEMO.hsContact(i), `Contact: ${p.name}, ${p.title}`)).join('')}</ul></body>`;
}
