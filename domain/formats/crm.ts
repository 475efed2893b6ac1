/**
 * CRM-ready CSV files: Salesforce OpportunityContactRole rows for Data Loader, and a HubSpot contact
 * import file. The mapping tables below are the single source of CRM-MAPPING.md
 * (`crmMappingMarkdown()`; a unit test keeps the two in step).
 * These files are for machine import, so they carry no byte-order mark; cells are still neutralised.
 */
import { parseRecordKey, type RecordRef } from '../ids';
import { ROLE, STAGE, stageIndex, type Role, type Stage } from '../taxonomy';
import type { Membership } from '../model';
import { csvLines } from './cells';
import type { ExportRow } from './export-rows';

/** Salesforce's standard OpportunityContactRole.Role picklist. */
export const SALESFORCE_ROLES = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
] as const;
export type SalesforceRole = (typeof SALESFORCE_ROLES)[number];

/** HubSpot's contact property hs_buying_role (multiple checkboxes), internal values. */
export const HUBSPOT_BUYING_ROLES = [
  'BLOCKER',
  'BUDGET_HOLDER',
  'CHAMPION',
  'DECISION_MAKER',
  'END_USER',
  'EXECUTIVE_SPONSOR',
  'INFLUENCER',
  'LEGAL_AND_COMPLIANCE',
  'OTHER',
] as const;
export type HubspotBuyingRole = (typeof HUBSPOT_BUYING_ROLES)[number];

/** HubSpot's contact property lifecyclestage, internal values. */
export const HUBSPOT_LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
export type HubspotLifecycleStage = (typeof HUBSPOT_LIFECYCLE_STAGES)[number];

interface Mapping<From extends string, To extends string> {
  from: From;
  /** null: no counterpart; the role is written as Other/OTHER and reported as unmapped. */
  to: To | null;
  why: string;
}

/** Our roles → Salesforce Role, in precedence order: the first role a membership holds is the one written. */
export const SALESFORCE_ROLE_MAPPING: readonly Mapping<Role, SalesforceRole>[] = [
  { from: 'decision_maker', to: 'Decision Maker', why: 'same meaning; the role that matters most on an opportunity' },
  { from: 'economic_buyer', to: 'Economic Buyer', why: 'owns the budget' },
  { from: 'executive_sponsor', to: 'Executive Sponsor', why: 'same meaning' },
  { from: 'technical_evaluator', to: 'Technical Buyer', why: 'judges technical fit; closer than the generic Evaluator' },
  { from: 'influencer', to: 'Influencer', why: 'same meaning' },
  { from: 'user', to: 'Business User', why: 'the product user on the business side' },
  { from: 'other', to: 'Other', why: 'same meaning' },
  { from: 'champion', to: null, why: 'no champion in the standard picklist' },
  { from: 'blocker', to: null, why: 'no blocker in the standard picklist' },
  { from: 'procurement', to: null, why: 'no purchasing or legal role in the standard picklist' },
];

/** Our roles → hs_buying_role. A contact's roles on all its committees are combined (the property is per contact). */
export const HUBSPOT_ROLE_MAPPING: readonly Mapping<Role, HubspotBuyingRole>[] = [
  { from: 'decision_maker', to: 'DECISION_MAKER', why: 'same meaning' },
  { from: 'influencer', to: 'INFLUENCER', why: 'same meaning' },
  { from: 'user', to: 'END_USER', why: 'same meaning' },
  { from: 'champion', to: 'CHAMPION', why: 'same meaning' },
  { from: 'economic_buyer', to: 'BUDGET_HOLDER', why: 'owns the budget' },
  { from: 'blocker', to: 'BLOCKER', why: 'same meaning' },
  { from: 'executive_sponsor', to: 'EXECUTIVE_SPONSOR', why: 'same meaning' },
  { from: 'procurement', to: 'LEGAL_AND_COMPLIANCE', why: 'our procurement role is the purchasing and legal gatekeeper' },
  { from: 'technical_evaluator', to: null, why: 'HubSpot has no technical role' },
  { from: 'other', to: 'OTHER', why: 'same meaning' },
];

/** Our stages → lifecyclestage. A contact on several committees gets its furthest stage. */
export const HUBSPOT_STAGE_MAPPING: readonly Mapping<Stage, HubspotLifecycleStage>[] = [
  { from: 'awareness', to: 'lead', why: 'interest shown, not yet qualified' },
  { from: 'evaluation', to: 'opportunity', why: 'the account is weighing a purchase' },
  { from: 'discovery', to: 'opportunity', why: 'still before the purchase' },
  { from: 'transaction', to: 'customer', why: 'they bought' },
  { from: 'experience', to: 'customer', why: 'a customer using the product' },
  { from: 'loyalty', to: 'evangelist', why: 'renews, expands and refers' },
];

export interface CrmReport {
  /** Roles with no counterpart in the target, written as Other / OTHER. */
  unmapped: { contactKey: string; role: Role }[];
  /** Roles left out because Salesforce takes one role per contact and opportunity (Salesforce only). */
  dropped: { contactKey: string; committeeKey: string; role: Role; kept: Role }[];
  /** Rows that are not part of the file: the membership key (Salesforce) or contact key (HubSpot). */
  skipped: { key: string; reason: string }[];
}
export interface CrmExport {
  csv: string;
  report: CrmReport;
}
export interface CrmOptions {
  /** Only records of this org (Salesforce) or portal (HubSpot); others are skipped. */
  org?: string;
}

/** parseRecordKey, remembered: the same contacts and deals come back on many rows. */
function keyParser(): (key: string) => RecordRef | null {
  const seen = new Map<string, RecordRef | null>();
  return (key) => {
    let ref = seen.get(key);
    if (ref === undefined) seen.set(key, (ref = parseRecordKey(key)));
    return ref;
  };
}

const emptyReport = (): CrmReport => ({ unmapped: [], dropped: [], skipped: [] });
const toRecord = <F extends string, T extends string>(m: readonly Mapping<F, T>[]) =>
  new Map(m.map((e) => [e.from, e.to] as const));

const SF_ROLE = toRecord(SALESFORCE_ROLE_MAPPING);
const SF_PRECEDENCE = SALESFORCE_ROLE_MAPPING.map((m) => m.from);

/** The role a membership is exported with to Salesforce: the first of its roles in precedence order. */
export function salesforcePrimaryRole(roles: readonly Role[]): Role | null {
  return SF_PRECEDENCE.find((r) => roles.includes(r)) ?? null;
}

const AUTHORITY_RANK = { verified: 2, claimed: 1, unknown: 0 } as const;
const INFLUENCE_RANK = { high: 3, medium: 2, low: 1 } as const;

/**
 * The primary contact of an opportunity: among its decision makers, the one with the strongest
 * authority (verified, then claimed, then unknown), then the highest influence, then the smallest
 * contact key. No decision maker: no primary contact.
 */
export function primaryContact(members: readonly Membership[]): string | null {
  let best: Membership | null = null;
  const score = (m: Membership) => [AUTHORITY_RANK[m.authority], m.influence ? INFLUENCE_RANK[m.influence] : 0] as const;
  for (const m of members) {
    if (!m.roles.includes('decision_maker')) continue;
    if (!best) {
      best = m;
      continue;
    }
    const [a1, i1] = score(m);
    const [a2, i2] = score(best);
    if (a1 > a2 || (a1 === a2 && (i1 > i2 || (i1 === i2 && m.contactKey < best.contactKey)))) best = m;
  }
  return best?.contactKey ?? null;
}

/** OpportunityContactRole rows (ContactId, OpportunityId, Role, IsPrimary) for Data Loader's insert. */
export function toSalesforceContactRoles(rows: readonly ExportRow[], options: CrmOptions = {}): CrmExport {
  const report = emptyReport();
  const parseKey = keyParser();
  const byOpportunity = new Map<string, { opportunityId: string; members: ExportRow[] }>();
  for (const row of rows) {
    const m = row.membership;
    const deal = m.dealKey ? parseKey(m.dealKey) : null;
    const person = parseKey(m.contactKey);
    let reason: string | null = null;
    if (!deal) reason = 'account committee: Salesforce contact roles belong to an opportunity';
    else if (deal.crm !== 'salesforce' || deal.object !== 'opportunity') reason = 'not a Salesforce opportunity';
    else if (options.org !== undefined && deal.org !== options.org) reason = `other Salesforce org "${deal.org}"`;
    else if (!person || person.crm !== 'salesforce') reason = 'not a Salesforce contact';
    else if (person.object !== 'contact') reason = 'a lead has no ContactId: convert the lead first';
    if (reason || !deal) {
      report.skipped.push({ key: m.key, reason: reason ?? '' });
      continue;
    }
    const group = byOpportunity.get(m.committeeKey) ?? { opportunityId: deal.id, members: [] };
    group.members.push(row);
    byOpportunity.set(m.committeeKey, group);
  }

  const unmapped = new Set<string>();
  const lines: string[][] = [['ContactId', 'OpportunityId', 'Role', 'IsPrimary']];
  for (const { opportunityId, members } of byOpportunity.values()) {
    const primary = primaryContact(members.map((r) => r.membership));
    for (const { membership: m } of members) {
      const kept = salesforcePrimaryRole(m.roles);
      let role = '';
      if (kept) {
        role = SF_ROLE.get(kept) ?? 'Other';
        if (SF_ROLE.get(kept) === null && !unmapped.has(`${m.contactKey}|${kept}`)) {
          unmapped.add(`${m.contactKey}|${kept}`);
          report.unmapped.push({ contactKey: m.contactKey, role: kept });
        }
        for (const other of m.roles)
          if (other !== kept) report.dropped.push({ contactKey: m.contactKey, committeeKey: m.committeeKey, role: other, kept });
      }
      const contactId = parseKey(m.contactKey)!.id;
      lines.push([contactId, opportunityId, role, String(m.contactKey === primary)]);
    }
  }
  return { csv: csvLines(lines), report };
}

const HS_ROLE = toRecord(HUBSPOT_ROLE_MAPPING);
const HS_STAGE = toRecord(HUBSPOT_STAGE_MAPPING);

/**
 * A HubSpot contact import file (Record ID, hs_buying_role, Lifecycle Stage): one line per HubSpot
 * contact, its roles on all committees combined (semicolon separated, in our role order) and its
 * furthest stage. Contacts with neither a role nor a stage are skipped (nothing to set).
 */
export function toHubspotContacts(rows: readonly ExportRow[], options: CrmOptions = {}): CrmExport {
  const report = emptyReport();
  const parseKey = keyParser();
  const contacts = new Map<string, { id: string; roles: Set<Role>; stage: Stage | null }>();
  const skipped = new Set<string>();
  for (const { membership: m } of rows) {
    const person = parseKey(m.contactKey);
    let reason: string | null = null;
    if (!person || person.crm !== 'hubspot' || person.object !== 'contact') reason = 'not a HubSpot contact';
    else if (options.org !== undefined && person.org !== options.org) reason = `other HubSpot portal "${person.org}"`;
    if (reason || !person) {
      if (!skipped.has(m.contactKey)) report.skipped.push({ key: m.contactKey, reason: reason ?? '' });
      skipped.add(m.contactKey);
      continue;
    }
    const c = contacts.get(m.contactKey) ?? { id: person.id, roles: new Set<Role>(), stage: null };
    for (const r of m.roles) c.roles.add(r);
    if (stageIndex(m.stage) > stageIndex(c.stage)) c.stage = m.stage;
    contacts.set(m.contactKey, c);
  }

  const lines: string[][] = [['Record ID', 'hs_buying_role', 'Lifecycle Stage']];
  const keys = [...contacts.keys()].sort();
  for (const key of keys) {
    const c = contacts.get(key)!;
    if (c.roles.size === 0 && !c.stage) {
      report.skipped.push({ key, reason: 'nothing to set: no role and no stage' });
      continue;
    }
    const values = new Set<HubspotBuyingRole>();
    for (const role of ROLE.ids) {
      if (!c.roles.has(role)) continue;
      const to = HS_ROLE.get(role);
      if (to === null) report.unmapped.push({ contactKey: key, role });
      values.add(to ?? 'OTHER');
    }
    lines.push([c.id, [...values].join(';'), c.stage ? (HS_STAGE.get(c.stage) ?? '') : '']);
  }
  return { csv: csvLines(lines), report };
}

function table<F extends string, T extends string>(mapping: readonly Mapping<F, T>[], to: string, fallback: string, label: (id: F) => string) {
  return [
    `| Committee Lens | ${to} | Why |`,
    '|---|---|---|',
    ...mapping.map((m) => `| \`${m.from}\` (${label(m.from)}) | ${m.to ? `\`${m.to}\`` : `${fallback}, reported as unmapped`} | ${m.why} |`),
  ].join('\n');
}

/** CRM-MAPPING.md, generated from the tables above. */
export function crmMappingMarkdown(): string {
  const role = (id: Role) => ROLE.labels[id].en;
  const stage = (id: Stage) => STAGE.labels[id].en;
  return `# CRM mapping

Generated from \`domain/formats/crm.ts\` (\`crmMappingMarkdown()\`); edit the tables there, not here.
Both exports return \`{ csv, report }\`; the report lists roles written as Other (\`unmapped\`), roles left
out (\`dropped\`, Salesforce only) and rows that do not belong in the file with the reason (\`skipped\`).
Cells that a spreadsheet would read as a formula are prefixed with \`'\`, as in every export.

## Salesforce: OpportunityContactRole (Data Loader, Insert)

Columns: \`ContactId\`, \`OpportunityId\`, \`Role\`, \`IsPrimary\` (ids are the 18-character ids of the record keys).
Only deal committees on Salesforce opportunities whose member is a Salesforce contact are exported:
account committees, HubSpot records and leads (which have no ContactId) are skipped and reported.

Salesforce takes one role per contact and opportunity. The role written is the first one the member holds
in the order of this table (precedence, top first); its other roles are reported as \`dropped\`.
A member with no role gets an empty Role.

${table(SALESFORCE_ROLE_MAPPING, 'Salesforce Role', '`Other`', role)}

**IsPrimary** is \`true\` for at most one contact per opportunity: among its decision makers, the one with
verified authority (else claimed, else unknown), then the highest influence, then the smallest contact key.
An opportunity with no decision maker gets no primary contact (Salesforce allows one primary contact
per opportunity; check the opportunity's existing primary contact role before inserting).

## HubSpot: contact import (Import, Contacts, update existing by Record ID)

Columns: \`Record ID\` (the contact id), \`hs_buying_role\` (internal values, \`;\` separated: a
multiple-checkbox property, so the import replaces its values), \`Lifecycle Stage\` (internal values).
Only HubSpot contacts are exported; the buying role is a property of the contact, so a contact's roles on
all its committees are combined, and its lifecycle stage is the furthest stage of its committees (HubSpot
does not move a lifecycle stage backwards on import). Contacts with neither a role nor a stage are skipped.

### hs_buying_role

${table(HUBSPOT_ROLE_MAPPING, 'hs_buying_role', '`OTHER`', role)}

### Lifecycle Stage (lifecyclestage)

${table(HUBSPOT_STAGE_MAPPING, 'lifecyclestage', 'empty', stage)}

HubSpot's \`subscriber\`, \`marketingqualifiedlead\`, \`salesqualifiedlead\` and \`other\` are not used: they
describe marketing qualification, which the committee does not record. A contact with no stage gets an
empty cell, which leaves HubSpot's value as it is.
`;
}
