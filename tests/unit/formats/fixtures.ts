/** A small in-memory store built through real mutations, for the format tests. */
import { recordKey, type ObjectType } from '../../../domain/ids';
import { membershipKey, type TableName, type TableRow } from '../../../domain/model';
import { applyMutation } from '../../../domain/mutations';
import { BACKUP_TABLES, type BackupData, type BackupRow, type BackupTable, type SettingRow } from '../../../domain/formats/backup';

const SF_PREFIX: Partial<Record<ObjectType, string>> = { contact: '003', lead: '00Q', account: '001', opportunity: '006' };

/** A Salesforce record key with a 15-character id (normalised to 18 by recordKey). */
export function sf(object: ObjectType, n: number, org = 'acme'): string {
  return recordKey({ crm: 'salesforce', org, object, id: `${SF_PREFIX[object]}${String(n).padStart(12, '0')}` });
}
export function hs(object: ObjectType, n: number, portal = '4242'): string {
  return recordKey({ crm: 'hubspot', org: portal, object, id: String(n) });
}

export class Store {
  tables: { [T in BackupTable]: Map<string, BackupRow[T]> } = {
    contacts: new Map(),
    accounts: new Map(),
    deals: new Map(),
    memberships: new Map(),
    notes: new Map(),
    settings: new Map(),
  };

  put<T extends TableName>(table: T, key: string, fields: Record<string, unknown>, at: number): this {
    const map = this.tables[table] as Map<string, TableRow[T]>;
    const row = applyMutation(map.get(key), { name: 'put', table, key, fields, at } as never);
    if (row) map.set(key, row);
    return this;
  }

  del(table: TableName, key: string, at: number, by = 'rep@example.com'): this {
    const map = this.tables[table] as Map<string, TableRow[TableName]>;
    const row = applyMutation(map.get(key), { name: 'delete', table, key, at, by } as never);
    if (row) map.set(key, row);
    return this;
  }

  member(committeeKey: string, contactKey: string, fields: Record<string, unknown>, at: number): this {
    return this.put('memberships', membershipKey(committeeKey, contactKey), fields, at);
  }

  setting(key: string, value: SettingRow['value'], updatedAt: number): this {
    this.tables.settings.set(key, { key, value, updatedAt });
    return this;
  }

  /** Write rows (an import plan's writes). */
  apply(writes: Partial<BackupData>): this {
    for (const table of BACKUP_TABLES)
      for (const row of writes[table] ?? []) (this.tables[table] as Map<string, unknown>).set(row.key, row);
    return this;
  }

  data(): BackupData {
    return Object.fromEntries(BACKUP_TABLES.map((t) => [t, [...this.tables[t].values()]])) as unknown as BackupData;
  }
}

/** A store with two accounts, a Salesforce opportunity, notes (one deleted), tombstones and settings. */
export function sampleStore(): Store {
  const acme = sf('account', 1);
  const opp = sf('opportunity', 1);
  const ceo = sf('contact', 1);
  const cfo = sf('contact', 2);
  const op = sf('contact', 3);
  const gone = sf('contact', 4);
  const hsCo = hs('company', 7);
  const li = hs('contact', 11);
  const s = new Store()
    .put('accounts', acme, { name: 'Acme Ltd', segment: 'key_account' }, 1_000)
    .put('accounts', hsCo, { name: '华为技术', segment: 'mid_market' }, 1_100)
    .put('deals', opp, { name: 'Acme renewal', accountKey: acme, stage: 'evaluation' }, 1_200)
    .put('contacts', ceo, { name: 'Dana Chief', title: 'CEO', email: 'dana@acme.test', accountKey: acme, department: 'Management' }, 2_000)
    .put('contacts', cfo, { name: 'Li "Lucky", Lei', title: 'CFO', accountKey: acme, reportsTo: ceo, win: 'a promotion\nand budget' }, 2_100)
    .put('contacts', op, { name: '=HYPERLINK("http://x")', title: '-operator', accountKey: acme, department: 'Warehouse' }, 2_200)
    .put('contacts', gone, { name: 'Left the company', accountKey: acme }, 2_300)
    .del('contacts', gone, 2_400)
    .put('contacts', li, { name: '李雷', title: '采购经理', accountKey: hsCo, department: '采购' }, 2_500)
    .member(opp, ceo, { accountKey: acme, roles: ['decision_maker', 'economic_buyer'], authority: 'verified', stage: 'evaluation', influence: 'high' }, 3_000)
    .member(opp, cfo, { accountKey: acme, roles: ['champion'], stance: 'champion', evidence: { sold_internally: 3_050 } }, 3_100)
    .member(opp, op, { accountKey: acme, roles: ['user'], stance: 'skeptical', verified: { stance: 3_150 } }, 3_200)
    .member(acme, op, { roles: ['user', 'blocker'], stage: 'experience' }, 3_300)
    .member(hsCo, li, { roles: ['decision_maker', 'procurement'], stage: 'discovery', authority: 'claimed' }, 3_400)
    .member(acme, gone, { roles: ['influencer'] }, 3_500)
    .member(acme, cfo, { roles: ['influencer'] }, 3_600)
    .del('memberships', membershipKey(acme, cfo), 3_700)
    .put('notes', 'note-0001', { contactKey: ceo, committeeKey: opp, text: 'Signs above 50k', author: 'rep', createdAt: 4_000 }, 4_000)
    .put('notes', 'note-0002', { contactKey: ceo, committeeKey: null, text: '+ likes golf', author: 'rep', createdAt: 4_100 }, 4_100)
    .put('notes', 'note-0003', { contactKey: ceo, committeeKey: acme, text: 'other committee', author: 'rep', createdAt: 4_200 }, 4_200)
    .put('notes', 'note-0004', { contactKey: ceo, committeeKey: opp, text: 'wrong, removed', author: 'rep', createdAt: 4_300 }, 4_300)
    .del('notes', 'note-0004', 4_400, 'rep')
    .put('notes', 'note-0005', { contactKey: li, committeeKey: hsCo, text: '决策需要总部批准', author: '王', createdAt: 4_500 }, 4_500);
  return s.setting('language', 'zh', 5_000).setting('risk', { staleDays: 21, weights: { noDecisionMaker: 20 } }, 5_100);
}
