import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  crmMappingMarkdown,
  HUBSPOT_BUYING_ROLES,
  HUBSPOT_LIFECYCLE_STAGES,
  HUBSPOT_ROLE_MAPPING,
  HUBSPOT_STAGE_MAPPING,
  primaryContact,
  SALESFORCE_ROLE_MAPPING,
  SALESFORCE_ROLES,
  salesforcePrimaryRole,
  toHubspotContacts,
  toSalesforceContactRoles,
} from '../../../domain/formats/crm';
import { buildExportRows } from '../../../domain/formats/export-rows';
import { parseRecordKey } from '../../../domain/ids';
import { ROLE, STAGE, type Role } from '../../../domain/taxonomy';
import { hs, sampleStore, sf, Store } from './fixtures';

const parse = (csv: string) => Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
const idOf = (key: string) => parseRecordKey(key)!.id;

describe('mapping tables', () => {
  it.each([
    ['Salesforce', SALESFORCE_ROLE_MAPPING, SALESFORCE_ROLES],
    ['HubSpot', HUBSPOT_ROLE_MAPPING, HUBSPOT_BUYING_ROLES],
  ] as const)('%s maps every role once, to a value of the target picklist', (_, mapping, values) => {
    expect(mapping.map((m) => m.from).sort()).toEqual([...ROLE.ids].sort());
    for (const m of mapping) if (m.to !== null) expect(values as readonly string[]).toContain(m.to);
  });

  it('maps every stage to a HubSpot lifecycle stage', () => {
    expect(HUBSPOT_STAGE_MAPPING.map((m) => m.from)).toEqual([...STAGE.ids]);
    for (const m of HUBSPOT_STAGE_MAPPING) expect(HUBSPOT_LIFECYCLE_STAGES as readonly string[]).toContain(m.to);
  });

  it('CRM-MAPPING.md is the generated document', () => {
    expect(readFileSync('domain/formats/CRM-MAPPING.md', 'utf8')).toBe(crmMappingMarkdown());
  });
});

describe('Salesforce OpportunityContactRole', () => {
  it.each<[Role[], Role | null]>([
    [['user', 'decision_maker'], 'decision_maker'],
    [['influencer', 'technical_evaluator'], 'technical_evaluator'],
    [['champion', 'user'], 'user'],
    [['blocker', 'other'], 'other'],
    [['procurement', 'champion'], 'champion'],
    [[], null],
  ])('primary role of %j is %j', (roles, expected) => {
    expect(salesforcePrimaryRole(roles)).toBe(expected);
  });

  const opp = sf('opportunity', 2);
  const c = (n: number) => sf('contact', n);
  it.each<[string, [number, Record<string, unknown>][], number | null]>([
    ['verified beats claimed with more influence', [[1, { roles: ['decision_maker'], authority: 'claimed', influence: 'high' }], [2, { roles: ['decision_maker'], authority: 'verified', influence: 'low' }]], 2],
    ['no verified: the first decision maker by authority', [[1, { roles: ['decision_maker'] }], [2, { roles: ['decision_maker'], authority: 'claimed' }]], 2],
    ['equal authority: higher influence', [[1, { roles: ['decision_maker'], authority: 'verified', influence: 'medium' }], [2, { roles: ['decision_maker'], authority: 'verified', influence: 'high' }]], 2],
    ['full tie: smaller contact key', [[2, { roles: ['decision_maker'] }], [1, { roles: ['decision_maker'] }]], 1],
    ['no decision maker: no primary', [[1, { roles: ['economic_buyer'], authority: 'verified' }], [2, { roles: ['user'] }]], null],
  ])('IsPrimary: %s', (_, members, expected) => {
    const s = new Store();
    for (const [n, fields] of members) s.member(opp, c(n), fields, 10);
    expect(primaryContact(s.data().memberships)).toBe(expected === null ? null : c(expected));
    const table = parse(toSalesforceContactRoles(buildExportRows(s.data())).csv).slice(1);
    expect(table.filter((r) => r[3] === 'true').map((r) => r[0])).toEqual(expected === null ? [] : [idOf(c(expected))]);
  });

  const rows = buildExportRows(sampleStore().data());
  const { csv, report } = toSalesforceContactRoles(rows);
  const table = parse(csv);

  it('writes deal committees on Salesforce opportunities with 18-character ids', () => {
    expect(table[0]).toEqual(['ContactId', 'OpportunityId', 'Role', 'IsPrimary']);
    expect(table.slice(1)).toEqual([
      [idOf(sf('contact', 1)), idOf(sf('opportunity', 1)), 'Decision Maker', 'true'],
      [idOf(sf('contact', 2)), idOf(sf('opportunity', 1)), 'Other', 'false'],
      [idOf(sf('contact', 3)), idOf(sf('opportunity', 1)), 'Business User', 'false'],
    ]);
    for (const r of table.slice(1)) expect(r[0]).toHaveLength(18);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('reports unmapped and dropped roles and skipped rows with reasons', () => {
    expect(report.unmapped).toEqual([{ contactKey: sf('contact', 2), role: 'champion' }]);
    expect(report.dropped).toEqual([
      { contactKey: sf('contact', 1), committeeKey: sf('opportunity', 1), role: 'economic_buyer', kept: 'decision_maker' },
    ]);
    expect(report.skipped.map((s) => s.reason).sort()).toEqual([
      'account committee: Salesforce contact roles belong to an opportunity',
      'account committee: Salesforce contact roles belong to an opportunity',
    ]);
  });

  it('skips leads, HubSpot deals and other orgs', () => {
    const s = new Store()
      .member(opp, sf('lead', 1), { roles: ['user'] }, 1)
      .member(hs('deal', 5), hs('contact', 5), { roles: ['user'] }, 1)
      .member(sf('opportunity', 3, 'other'), sf('contact', 3, 'other'), { roles: ['user'] }, 1);
    const out = toSalesforceContactRoles(buildExportRows(s.data()), { org: 'acme' });
    expect(parse(out.csv)).toHaveLength(1);
    expect(out.report.skipped.map((r) => r.reason).sort()).toEqual([
      'a lead has no ContactId: convert the lead first',
      'not a Salesforce opportunity',
      'other Salesforce org "other"',
    ]);
  });
});

describe('HubSpot contact import', () => {
  it('combines roles across committees, keeps the furthest stage, reports roles without counterpart', () => {
    const li = hs('contact', 11);
    const s = new Store()
      .member(hs('deal', 1), li, { roles: ['technical_evaluator', 'decision_maker'], stage: 'transaction' }, 1)
      .member(hs('company', 1), li, { roles: ['user', 'decision_maker'], stage: 'evaluation' }, 1)
      .member(hs('company', 1), hs('contact', 12), { roles: [] }, 1)
      .member(sf('account', 1), sf('contact', 1), { roles: ['user'] }, 1);
    const { csv, report } = toHubspotContacts(buildExportRows(s.data()));
    expect(parse(csv)).toEqual([
      ['Record ID', 'hs_buying_role', 'Lifecycle Stage'],
      ['11', 'DECISION_MAKER;END_USER;OTHER', 'customer'],
    ]);
    expect(report.unmapped).toEqual([{ contactKey: li, role: 'technical_evaluator' }]);
    expect(report.skipped).toEqual([
      { key: sf('contact', 1), reason: 'not a HubSpot contact' },
      { key: hs('contact', 12), reason: 'nothing to set: no role and no stage' },
    ]);
  });

  it.each(HUBSPOT_STAGE_MAPPING.map((m) => [m.from, m.to]))('stage %s → %s', (stage, expected) => {
    const s = new Store().member(hs('deal', 1), hs('contact', 1), { stage }, 1);
    expect(parse(toHubspotContacts(buildExportRows(s.data())).csv)[1]).toEqual(['1', '', expected]);
  });

  it.each(HUBSPOT_ROLE_MAPPING.map((m) => [m.from, m.to]))('role %s → %s', (role, expected) => {
    const s = new Store().member(hs('deal', 1), hs('contact', 1), { roles: [role] }, 1);
    const out = toHubspotContacts(buildExportRows(s.data()));
    expect(parse(out.csv)[1]?.[1]).toBe(expected ?? 'OTHER');
    expect(out.report.unmapped).toEqual(expected === null ? [{ contactKey: hs('contact', 1), role }] : []);
  });

  it('only takes contacts of the chosen portal', () => {
    const s = new Store().member(hs('deal', 1, '99'), hs('contact', 1, '99'), { roles: ['user'] }, 1);
    const out = toHubspotContacts(buildExportRows(s.data()), { org: '4242' });
    expect(out.report.skipped).toEqual([{ key: hs('contact', 1, '99'), reason: 'other HubSpot portal "99"' }]);
  });
});
