import { describe, expect, it } from 'vitest';
import { BACKUP_TABLES, parseBackup, serializeBackup, type Backup } from '../../../domain/formats/backup';
import { backupKeys, planImport, type ExistingRows } from '../../../domain/formats/import-plan';
import { membershipKey } from '../../../domain/model';
import { ROLE, STAGE } from '../../../domain/taxonomy';
import { hs, sampleStore, sf, Store } from './fixtures';

const AT = '2025-03-01T10:00:00.000Z';

function parsed(text: string): Backup {
  const result = parseBackup(text);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.backup;
}
const errorsOf = (text: string, maxBytes?: number) => {
  const result = parseBackup(text, maxBytes === undefined ? {} : { maxBytes });
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
};
const existing = (s: Store): ExistingRows => s.tables;

describe('backup round trip', () => {
  const source = sampleStore();
  const text = serializeBackup(source.data(), { exportedAt: new Date(AT) });

  it('export → parse → import into an empty store → export gives the same bytes', () => {
    const backup = parsed(text);
    const plan = planImport(backup, existing(new Store()));
    expect(plan.counts.memberships).toEqual({ added: 7, changed: 0, skipped: 0 });
    expect(plan.counts.notes.added).toBe(5);
    const restored = new Store().apply(plan.writes);
    expect(serializeBackup(restored.data(), { exportedAt: AT })).toBe(text);
    const later = serializeBackup(restored.data(), { exportedAt: '2026-01-01T00:00:00.000Z' });
    expect(later.replace('2026-01-01T00:00:00.000Z', AT)).toBe(text);
  });

  it('keeps tombstones and deleted notes', () => {
    const backup = parsed(text);
    expect(backup.data.notes.find((n) => n.key === 'note-0004')).toMatchObject({ deleted: true, text: '', deletedBy: 'rep' });
    expect(backup.data.contacts.filter((c) => c.deleted)).toHaveLength(1);
    expect(backup.data.settings.map((s) => s.key)).toEqual(['language', 'risk']);
  });

  it('is deterministic whatever the row and field order, and leaves out fields outside the schema', () => {
    const data = source.data();
    const shuffled = Object.fromEntries(
      BACKUP_TABLES.map((t) => [t, [...data[t]].reverse().map((r) => Object.fromEntries(Object.entries(r).reverse()))]),
    ) as unknown as typeof data;
    shuffled.contacts[0] = { ...shuffled.contacts[0]!, localOnly: 1 } as never;
    expect(serializeBackup(shuffled, { exportedAt: AT })).toBe(text);
  });

  it('importing the same file again skips everything as identical', () => {
    const plan = planImport(parsed(text), existing(source));
    for (const t of BACKUP_TABLES) expect(plan.counts[t]).toMatchObject({ added: 0, changed: 0 });
    expect(new Set(Object.values(plan.tables).flatMap((p) => p.skipped.map((s) => s.reason)))).toEqual(
      new Set(['identical', 'deleted here']),
    );
  });
});

describe('backup validation', () => {
  const valid = serializeBackup(sampleStore().data(), { exportedAt: AT });

  it('checks the size first, naming the limit', () => {
    expect(errorsOf(valid, 1024 * 1024 * 0.001)).toEqual([
      expect.stringMatching(/^the file is too large \(0(\.\d)? MB\); the limit is 0 MB$/),
    ]);
    expect(errorsOf('x'.repeat(2000), 1000)[0]).toContain('too large');
    expect(errorsOf('{"a":"' + '界'.repeat(400) + '"}', 1000)[0]).toContain('too large');
    expect(parseBackup(valid, { maxBytes: 50 * 1024 * 1024 }).ok).toBe(true);
  });

  it.each([
    ['{"format": "committee-lens-backup",\n  "schemaVersion": 2,,\n}', 'line 2, column 22', "expected a field name in double quotes"],
    ['{"a": [1, 2}', 'line 1, column 12', "expected ',' or ']'"],
    ['{"a": tru}', 'line 1, column 7', 'unexpected "t" where a value should be'],
    ['{"a": 1} x', 'line 1, column 10', 'unexpected text after the end'],
    ['{"a": "line\nbreak"}', 'line 1, column 12', 'a line break or control character inside text'],
    ['{"a": "bad \\q escape"}', 'line 1, column 12', 'a bad escape \\q inside text'],
  ])('reports a JSON syntax error with its position: %j', (text, where, what) => {
    const [error] = errorsOf(text);
    expect(error).toContain(`not valid JSON at ${where}`);
    expect(error).toContain(what);
  });

  it('reports a file cut off anywhere as cut off', () => {
    const end = valid.trimEnd().length;
    for (let cut = 1; cut < end; cut += cut < 600 ? 1 : 37) {
      const [error] = errorsOf(valid.slice(0, cut));
      expect(error).toMatch(/^not valid JSON at line \d+, column \d+ \(character \d+\): the file ends too early/);
    }
  });

  it('rejects what is not a backup or of an unknown version', () => {
    expect(errorsOf('[1,2]')).toEqual(['format: not a Committee Lens backup (expected "format": "committee-lens-backup")']);
    expect(errorsOf(valid.replace('"schemaVersion":2', '"schemaVersion":3'))).toEqual([
      'schemaVersion: unsupported version 3; this version of Committee Lens reads versions 1 and 2',
    ]);
  });

  it('reports every problem of the file with its path', () => {
    const json = JSON.parse(valid);
    json.data.memberships[1].stage = 'closing';
    json.data.memberships[2].roles = ['decision_maker', 'boss'];
    json.data.contacts[0].name = 42;
    delete json.data.deals[0].accountKey;
    json.data.accounts[0].colour = 'red';
    json.data.notes[0].createdAt = 1.5;
    json.scope = { kind: 'some' };
    json.data.contacts[1].changed = { name: -1 };
    json.data.memberships[0].verified = [];
    json.data.deals[0].changed = { ['x'.repeat(101)]: 1 };
    const errors = errorsOf(JSON.stringify(json));
    expect(errors).toEqual(
      expect.arrayContaining([
        `data.memberships[1].stage: unknown value "closing", expected one of ${STAGE.ids.map((s) => `"${s}"`).join(', ')}`,
        `data.memberships[2].roles[1]: unknown value "boss", expected one of ${ROLE.ids.map((s) => `"${s}"`).join(', ')}`,
        'data.contacts[0].name: wrong type: expected text, got a whole number 42',
        'data.deals[0].accountKey: missing field',
        'data.accounts[0].colour: unknown field',
        'data.notes[0].createdAt: wrong type: expected a whole number, got a number 1.5',
        'scope.kind: unknown value "some", expected one of "all", "accounts"',
        'data.contacts[1].changed: "name": expected a time (a non-negative whole number), got -1',
        'data.memberships[0].verified: expected an object of field names to times',
        `data.deals[0].changed: field name too long (at most 100 characters): "${'x'.repeat(40)}"…`,
      ]),
    );
    expect(errors).toHaveLength(10);
  });

  it('reports bad keys, duplicate keys, a wrong account on an account committee and empty live notes', () => {
    const json = JSON.parse(valid);
    json.data.contacts.push({ ...json.data.contacts[0] });
    json.data.contacts[1].key = 'salesforce:acme:contact:nope';
    json.data.notes[0].text = '';
    const accountMember = json.data.memberships.findIndex((m: { key: string }) => m.key.startsWith(sf('account', 1)));
    json.data.memberships[accountMember].accountKey = sf('account', 2);
    expect(errorsOf(JSON.stringify(json))).toEqual(['data.contacts[1].key: not a person record key: "salesforce:acme:contact:nope"']);
    json.data.contacts[1].key = sf('lead', 1);
    expect(errorsOf(JSON.stringify(json))).toEqual([
      `data.contacts[5]: duplicate key ${JSON.stringify(json.data.contacts[0].key)} (first at data.contacts[0])`,
      `data.memberships[${accountMember}].accountKey: "${sf('account', 2)}" is not the account of this account committee ("${sf('account', 1)}")`,
      'data.notes[0].text: must not be empty (only a deleted note has no text)',
    ]);
  });

  it('does not write what a key already says, and restores it on reading', () => {
    const json = JSON.parse(valid);
    expect(json.data.contacts[0]).not.toHaveProperty('crm');
    expect(json.data.memberships[0]).not.toHaveProperty('committeeKey');
    const backup = parsed(valid);
    expect(backup.data.contacts.find((c) => c.key === sf('lead', 1))).toBeUndefined();
    expect(backup.data.memberships.find((m) => m.key === membershipKey(sf('opportunity', 1), sf('contact', 1)))).toMatchObject({
      committeeKey: sf('opportunity', 1),
      contactKey: sf('contact', 1),
      dealKey: sf('opportunity', 1),
    });
    expect(backup.data.contacts.find((c) => c.key === hs('contact', 11))).toMatchObject({ crm: 'hubspot', org: '4242', object: 'contact' });
  });
});

describe('version 1 files', () => {
  const acme = sf('account', 1);
  const opp = sf('opportunity', 1);
  const dana = sf('contact', 1);
  const v1 = {
    format: 'committee-lens-backup',
    schemaVersion: 1,
    exportedAt: '2024-06-01T08:00:00Z',
    contacts: [
      { key: dana, name: 'Dana', title: '', email: '', accountKey: acme, department: '', reportsTo: null, win: '', updatedAt: 10, changed: { name: 10 } },
    ],
    accounts: [{ key: acme, name: 'Acme', segment: null, updatedAt: 5, changed: { name: 5 } }],
    deals: [{ key: opp, name: 'Renewal', accountKey: acme, stage: 'discovery', updatedAt: 6, changed: { name: 6 } }],
    committees: [
      {
        key: opp,
        accountKey: acme,
        members: [{ contactKey: dana, roles: ['decision_maker'], stage: 'evaluation', stance: null, authority: 'claimed', influence: 'high', updatedAt: 20, changed: { roles: 20 } }],
      },
    ],
    notes: [{ key: 'note-v1-0001', contactKey: dana, committeeKey: opp, text: 'old note', author: 'rep', createdAt: 30 }],
    settings: { language: 'en' },
  };

  it('is upgraded to the current schema and imports', () => {
    const backup = parsed(JSON.stringify(v1));
    expect(backup.schemaVersion).toBe(2);
    expect(backup.data.memberships).toEqual([
      expect.objectContaining({ key: membershipKey(opp, dana), dealKey: opp, accountKey: acme, evidence: {}, verified: {}, stage: 'evaluation' }),
    ]);
    expect(backup.data.notes[0]).toMatchObject({ updatedAt: 30, changed: { text: 30 } });
    expect(backup.data.settings).toEqual([{ key: 'language', value: 'en', updatedAt: 0 }]);
    const plan = planImport(backup, existing(new Store()));
    expect(plan.writes.memberships).toHaveLength(1);
    // The upgraded data is a valid current file.
    const again = parsed(serializeBackup(new Store().apply(plan.writes).data(), { exportedAt: AT }));
    expect(again.data.memberships).toEqual(backup.data.memberships);
  });

  it('reports problems with their place in the old file', () => {
    const bad = structuredClone(v1) as typeof v1;
    bad.committees[0]!.members.push({ ...bad.committees[0]!.members[0]!, stage: 'closing' });
    expect(errorsOf(JSON.stringify(bad))).toEqual([
      `committees[0].members[1].stage: unknown value "closing", expected one of ${STAGE.ids.map((s) => `"${s}"`).join(', ')}`,
    ]);
    bad.committees[0]!.members[1]!.stage = 'loyalty';
    expect(errorsOf(JSON.stringify(bad))).toEqual([
      `committees[0].members[1]: duplicate key "${membershipKey(opp, dana)}" (first at committees[0].members[0])`,
    ]);
  });
});

describe('import plan (merge)', () => {
  const acme = sf('account', 1);
  const dana = sf('contact', 1);
  const li = hs('contact', 3);
  const local = () =>
    new Store()
      .put('contacts', dana, { name: 'Dana', title: 'VP' }, 100)
      .put('contacts', dana, { title: 'CEO' }, 300)
      .put('contacts', li, { name: 'Li' }, 100)
      .put('accounts', acme, { name: 'Acme' }, 100)
      .del('accounts', acme, 150)
      .put('notes', 'note-local-1', { contactKey: dana, committeeKey: null, text: 'mine', author: 'a', createdAt: 100 }, 100)
      .setting('language', 'en', 100);
  const incoming = () =>
    new Store()
      .put('contacts', dana, { name: 'Dana Chief', title: 'CTO' }, 200)
      .put('contacts', li, { name: 'Li' }, 100)
      .put('accounts', acme, { name: 'Acme Corp' }, 500)
      .put('notes', 'note-local-1', { contactKey: dana, committeeKey: null, text: 'mine', author: 'a', createdAt: 100 }, 100)
      .put('notes', 'note-their-1', { contactKey: dana, committeeKey: null, text: 'theirs', author: 'b', createdAt: 200 }, 200)
      .setting('language', 'zh', 200);

  it('takes the newer field, skips older and identical rows, respects tombstones, unions notes', () => {
    const backup = parsed(serializeBackup(incoming().data(), { exportedAt: AT }));
    const plan = planImport(backup, existing(local()));
    const [danaChange] = plan.tables.contacts.changed;
    expect(danaChange?.fields).toEqual(['name']);
    expect(danaChange?.row).toMatchObject({ name: 'Dana Chief', title: 'CEO', changed: { name: 200, title: 300 }, updatedAt: 300 });
    expect(plan.tables.contacts.skipped).toEqual([{ key: li, reason: 'identical' }]);
    expect(plan.tables.accounts.skipped).toEqual([{ key: acme, reason: 'deleted here' }]);
    expect(plan.tables.notes.added.map((n) => n.key)).toEqual(['note-their-1']);
    expect(plan.tables.notes.skipped).toEqual([{ key: 'note-local-1', reason: 'identical' }]);
    expect(plan.tables.settings.changed).toEqual([{ key: 'language', fields: ['value'], row: { key: 'language', value: 'zh', updatedAt: 200 } }]);
    expect(plan.counts.contacts).toEqual({ added: 0, changed: 1, skipped: 1 });
    expect(backupKeys(backup).contacts).toEqual([li, dana]);
  });

  it('skips a row whose every differing field is older here, and lets an incoming tombstone win', () => {
    const theirs = new Store().put('contacts', dana, { title: 'VP' }, 50).del('notes', 'x', 1);
    theirs.put('notes', 'note-local-1', { contactKey: dana, committeeKey: null, text: 'mine', author: 'a', createdAt: 100 }, 100);
    theirs.del('notes', 'note-local-1', 400);
    const plan = planImport(parsed(serializeBackup(theirs.data(), { exportedAt: AT })), (() => {
      const s = local();
      return { contacts: (key: string) => s.tables.contacts.get(key), notes: s.tables.notes };
    })());
    expect(plan.tables.contacts.skipped).toEqual([{ key: dana, reason: 'older' }]);
    expect(plan.tables.notes.changed[0]?.fields).toEqual(['text', 'deleted']);
    expect(plan.writes.notes[0]).toMatchObject({ deleted: true, deletedAt: 400 });
  });
});

describe('BACKUP-FORMAT.md', () => {
  it('documents every field the file holds', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync('domain/formats/BACKUP-FORMAT.md', 'utf8');
    const json = JSON.parse(serializeBackup(sampleStore().data(), { exportedAt: AT }));
    const fields = new Set<string>(Object.keys(json));
    for (const t of BACKUP_TABLES) for (const row of json.data[t]) for (const f of Object.keys(row)) fields.add(f);
    for (const f of fields) expect(doc, f).toContain(`\`${f}\``);
  });
});
