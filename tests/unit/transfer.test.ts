/** Export and import through the store: the round trip, bad files, CRM files, and the risk ranking they feed. */
import { beforeEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { openDb, type CommitteeDb } from '../../storage/db';
import { commit } from '../../storage/writes';
import { applyImport, EXPORT_CHUNK, exportFile, previewImport, textBlob } from '../../storage/transfer';
import { BULK_CHANGE, markRiskStale, RISK_REFRESHED, RISK_STALE, rankedDeals, refreshAgedRisk, refreshRisk, refreshStaleRisk, saveRiskSettings } from '../../storage/risk';
import { getMeta } from '../../storage/writes';
import { benchBackup, benchData } from '../bench/data';
import { buildExportRows, byAccountCommitteeContact } from '../../domain/formats/export-rows';
import { parseBackup } from '../../domain/formats/backup';
import { csvHeader, csvRows } from '../../domain/formats/csv';
import { membershipKey, type Membership } from '../../domain/model';
import { DEFAULT_RISK_SETTINGS } from '../../domain/risk/settings';
import { hsKey, sfKey } from './helpers/keys';
import { pendingCount } from '../../storage/outbox';
import { membershipTable, putRows } from '../../storage/tables';
import { committeeOf } from '../../domain/ids';

/** An export with its file's text (a byte-order mark kept), as the tests read it. */
async function exportText(...args: Parameters<typeof exportFile>) {
  const file = await exportFile(...args);
  expect(file.content.type).toBe(file.filename.endsWith('.json') ? 'application/json' : 'text/csv;charset=utf-8');
  return { ...file, content: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await file.content.arrayBuffer()) };
}

const account = sfKey('account', 1);
const deal = sfKey('opportunity', 1);
const deal2 = sfKey('opportunity', 2);
const [ann, ben] = [sfKey('contact', 1), sfKey('contact', 2)];
const now = new Date('2026-11-20T10:00:00Z');

let db: CommitteeDb;
beforeEach(async () => {
  db = openDb(`tr-${crypto.randomUUID()}`);
  await commit(db, [
    { name: 'put', table: 'accounts', key: account, fields: { name: '华东制造', segment: 'key_account' }, at: 1 },
    { name: 'put', table: 'deals', key: deal, fields: { name: 'WMS, "phase 1"', accountKey: account, stage: 'evaluation' }, at: 2 },
    { name: 'put', table: 'deals', key: deal2, fields: { name: 'Renewal', accountKey: account, stage: 'loyalty' }, at: 2 },
    { name: 'put', table: 'contacts', key: ann, fields: { name: '=HYPERLINK("x")', department: 'IT', accountKey: account }, at: 3 },
    { name: 'put', table: 'contacts', key: ben, fields: { name: '王丽, 仓管\nlead', department: '仓管', reportsTo: ann }, at: 3 },
    { name: 'put', table: 'memberships', key: membershipKey(deal, ann), fields: { roles: ['decision_maker', 'champion'], authority: 'verified', stance: 'supportive', accountKey: account }, at: 4 },
    { name: 'put', table: 'memberships', key: membershipKey(deal, ben), fields: { roles: ['user'], stance: 'opposed', accountKey: account }, at: 5 },
    { name: 'put', table: 'memberships', key: membershipKey(deal2, ben), fields: { roles: ['user'], stance: 'skeptical', stage: 'experience', accountKey: account }, at: 5 },
    { name: 'put', table: 'notes', key: 'note-000001', fields: { contactKey: ben, committeeKey: deal, text: '+1 worried', author: 'Lin', createdAt: 6 }, at: 6 },
    { name: 'put', table: 'notes', key: 'note-000002', fields: { contactKey: ann, committeeKey: deal, text: 'old', author: 'Lin', createdAt: 7 }, at: 7 },
    { name: 'delete', table: 'notes', key: 'note-000002', at: 8, by: 'Lin' },
  ]);
  await saveRiskSettings(db, { ...structuredClone(DEFAULT_RISK_SETTINGS), staleDays: 30 }, 9);
});

async function wipe() {
  await Promise.all(db.tables.map((t) => t.clear()));
}

describe('JSON backup through the store', () => {
  it('round-trips byte-identically apart from the export time, and queues the rows for sync', async () => {
    const first = await exportText(db, 'json', { kind: 'all' }, 'en', now);
    await wipe();
    const preview = await previewImport(db, first.content);
    expect(preview.counts?.memberships).toEqual({ added: 3, changed: 0, skipped: 0 });
    expect(await membershipTable(db).count()).toBe(0); // a preview writes nothing
    const applied = await applyImport(db, first.content);
    expect(applied.ok).toBe(true);
    const second = await exportText(db, 'json', { kind: 'all' }, 'en', new Date('2027-01-01T00:00:00Z'));
    const strip = (s: string) => s.replace(/"exportedAt":"[^"]+"/, '');
    expect(strip(second.content)).toBe(strip(first.content));
    expect(await pendingCount(db)).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ['truncated', (s: string) => s.slice(0, s.length / 2)],
    ['an unknown stage', (s: string) => s.replace('"stage":"evaluation"', '"stage":"closing"')],
    ['not JSON', () => 'hello'],
    ['a wrong format', (s: string) => s.replace('committee-lens-backup', 'other')],
  ])('a file that is %s writes nothing and says why', async (_, mangle) => {
    const file = await exportText(db, 'json', { kind: 'all' }, 'en', now);
    await wipe();
    const res = await applyImport(db, mangle(file.content));
    expect(res.ok).toBe(false);
    expect(res.errors.length).toBeGreaterThan(0);
    expect(res.errors.join('\n')).toMatch(/\S/);
    for (const t of db.tables) expect(await t.count()).toBe(0);
  });

  it('a chosen file that can no longer be read (changed on disk) writes nothing and says to choose it again', async () => {
    const file = await exportFile(db, 'json', { kind: 'all' }, 'en', now);
    await wipe();
    file.content.text = () => Promise.reject(new DOMException('The file changed', 'NotReadableError'));
    const res = await applyImport(db, file.content);
    expect(res).toMatchObject({ ok: false, errors: ['the file cannot be read any more (The file changed); choose it again'] });
    for (const t of db.tables) expect(await t.count()).toBe(0);
  });

  it('an import whose queueing for sync fails keeps none of its rows (the rows are written while the mutations are queued)', async () => {
    const file = await exportText(db, 'json', { kind: 'all' }, 'en', now);
    await wipe();
    const add = db.outbox.bulkAdd;
    db.outbox.bulkAdd = (() => Promise.reject(new Error('disk full'))) as unknown as typeof add;
    await expect(applyImport(db, file.content)).rejects.toThrow('disk full');
    db.outbox.bulkAdd = add;
    for (const t of db.tables) expect(await t.count(), t.name).toBe(0);
    expect((await applyImport(db, file.content)).ok).toBe(true);
    expect(await membershipTable(db).count()).toBe(3);
  });

  it('names the path of a bad value', async () => {
    const file = await exportText(db, 'json', { kind: 'all' }, 'en', now);
    const res = await previewImport(db, file.content.replace('"stage":"evaluation"', '"stage":"closing"'));
    expect(res.errors.join('\n')).toMatch(/deals\[\d\]\.stage: .*closing/);
  });

  it('exports one account with its deals only', async () => {
    const other = sfKey('account', 9);
    await commit(db, [{ name: 'put', table: 'memberships', key: membershipKey(other, ann), fields: { roles: ['user'] }, at: 10 }]);
    const file = await exportText(db, 'json', { kind: 'committee', key: account }, 'en', now);
    const data = JSON.parse(file.content).data;
    expect(data.memberships).toHaveLength(3);
  });
});

describe('textBlob', () => {
  it('is the text as UTF-8, whole, across its pieces, with surrogate pairs and CJK at the seams', async () => {
    const piece = 1 << 20;
    // A pair whose high half ends the first piece, CJK and a NUL around the second seam, a pair closing the text.
    const text = 'a'.repeat(piece - 1) + '😀' + '名'.repeat(piece - 2) + '\u0000x' + '中文'.repeat(1000) + '𝄞';
    const blob = textBlob(text, 'text/csv;charset=utf-8');
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(await blob.text()).toBe(text);
    expect(blob.size).toBe(new TextEncoder().encode(text).length);
    expect(await textBlob('').text()).toBe('');
  });
});

describe('CSV exports through the store', () => {
  it('exports one deal with its people, account, deal name and notes, and nothing of other committees', async () => {
    const other = sfKey('opportunity', 9);
    await commit(db, [{ name: 'put', table: 'memberships', key: membershipKey(other, ann), fields: { roles: ['user'] }, at: 10 }]);
    const file = await exportText(db, 'csv', { kind: 'committee', key: deal }, 'en', now);
    const rows = Papa.parse<Record<string, string>>(file.content.slice(1), { header: true, skipEmptyLines: true }).data;
    expect(file.rows).toBe(2);
    expect(rows.map((r) => Object.values(r).join('|'))).toEqual([expect.stringContaining('WMS, "phase 1"'), expect.stringContaining('WMS, "phase 1"')]);
    expect(rows.map((r) => Object.values(r).join('|')).join('\n')).toContain('华东制造');
    expect(rows.map((r) => Object.values(r).join('|')).join('\n')).toContain('+1 worried');
    expect(rows.map((r) => Object.values(r).join('|')).join('\n')).not.toContain(other.split(':')[3]);
  });

  it('exports one row per membership, neutralised and parseable, in Chinese headers on request', async () => {
    const file = await exportText(db, 'csv', { kind: 'all' }, 'zh', now);
    expect(file.content.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(file.content.slice(1), { skipEmptyLines: true });
    expect(parsed.data).toHaveLength(4);
    expect(parsed.data[0]!.join()).toMatch(/[\u4e00-\u9fff]/);
    const cells = parsed.data.flat();
    expect(cells).toContain(`'=HYPERLINK("x")`);
    expect(cells).toContain('王丽, 仓管\nlead');
    expect(cells.some((c) => c.startsWith('='))).toBe(false);
  });
  it('exports the whole store page by page: every live row once, by account and committee, the same bytes as one pass over all rows', async () => {
    await wipe();
    const { data } = benchData(2 * EXPORT_CHUNK + 7);
    const gone = data.memberships[EXPORT_CHUNK + 3]!; // in the second page
    gone.deleted = true;
    await putRows(db, data);
    const seen: [number, number][] = [];
    const file = await exportText(db, 'csv', { kind: 'all' }, 'en', now, (done, total) => seen.push([done, total]));
    const n = data.memberships.length;
    expect(n).toBeGreaterThan(2 * EXPORT_CHUNK);
    expect(file.rows).toBe(n - 1);
    expect(file.content).toBe(csvHeader('en') + csvRows(buildExportRows(data), 'en'));
    // Progress counts member records (an account's memberships each), a page of them at a time.
    const records = new Set(data.memberships.map((m) => m.accountKey ?? m.committeeKey)).size;
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every(([, total]) => total === records)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual([records, records]);
  });
  it('reports progress in chunks', async () => {
    const seen: number[] = [];
    await exportText(db, 'csv', { kind: 'all' }, 'en', now, (done) => seen.push(done));
    expect(seen.at(-1)).toBe(1); // the account's member record, holding both its committees
  });
  it('orders rows by account, committee, then person, whole store or one account, even where one committee key begins another', async () => {
    await wipe();
    const company = hsKey('company', 4);
    const [short, long] = [hsKey('deal', 4), hsKey('deal', 45)];
    const [p1, p2] = [hsKey('contact', 9), hsKey('contact', 10)];
    await commit(db, [
      { name: 'put', table: 'deals', key: short, fields: { name: 'Short', accountKey: company }, at: 1 },
      { name: 'put', table: 'deals', key: long, fields: { name: 'Long', accountKey: company }, at: 1 },
      ...[short, long].flatMap((d) => [p2, p1].map((p) => ({ name: 'put' as const, table: 'memberships' as const, key: membershipKey(d, p), fields: { roles: ['user'], accountKey: company }, at: 2 }))),
    ]);
    const order = [membershipKey(short, p2), membershipKey(short, p1), membershipKey(long, p2), membershipKey(long, p1)].sort(
      (a, b) => byAccountCommitteeContact({ committeeKey: committeeOf(a), key: a } as Membership, { committeeKey: committeeOf(b), key: b } as Membership),
    );
    expect(order.slice(0, 2).every((k) => k.startsWith(short + '|'))).toBe(true); // membership-key order would put the longer deal first
    for (const scope of [{ kind: 'all' as const }, { kind: 'committee' as const, key: company }]) {
      const file = await exportText(db, 'json', scope, 'en', now);
      const csv = await exportText(db, 'csv', scope, 'en', now);
      const data = parseBackup(file.content);
      if (!data.ok) throw new Error(data.errors.join('; '));
      expect(csv.content).toBe(csvHeader('en') + csvRows(buildExportRows(data.backup.data), 'en'));
      const rows = Papa.parse<Record<string, string>>(csv.content.slice(1), { header: true, skipEmptyLines: true }).data;
      expect(rows.map((r) => membershipKey(r['Committee key']!, r['Contact key']!))).toEqual(order);
    }
  });
  it('writes Salesforce contact roles for opportunities', async () => {
    const file = await exportText(db, 'salesforce', { kind: 'all' }, 'en', now);
    const rows = Papa.parse<Record<string, string>>(file.content, { header: true, skipEmptyLines: true }).data;
    expect(rows.find((r) => r.ContactId === ann.split(':')[3])).toMatchObject({ Role: 'Decision Maker', IsPrimary: 'true' });
  });
});

describe('risk ranking', () => {
  it('ranks deals riskiest first and searches by name', async () => {
    await refreshRisk(db, [deal, deal2, ann], now.getTime());
    const ranked = await rankedDeals(db, '', 10);
    expect(ranked.map((r) => r.committeeKey).sort()).toEqual([deal, deal2].sort());
    expect(ranked[0]!.score).toBeGreaterThanOrEqual(ranked[1]!.score);
    expect((await rankedDeals(db, 'renew', 10)).map((r) => r.name)).toEqual(['Renewal']);
  });

  it('ranks every deal page by page exactly as deal by deal, deals with no row included', async () => {
    const big = benchBackup(600, 40);
    expect((await applyImport(db, big.text)).ok).toBe(true);
    const [tagged, deleted, ghost] = [sfKey('opportunity', 7), sfKey('opportunity', 8), sfKey('opportunity', 9)];
    const carl = sfKey('contact', 3);
    await commit(db, [
      // Tags on a deal whose row was never stored, and a deal deleted since it was ranked.
      { name: 'put', table: 'memberships', key: membershipKey(tagged, ann), fields: { roles: ['influencer'], accountKey: account }, at: 10 },
      { name: 'put', table: 'deals', key: deleted, fields: { name: 'Lost', accountKey: account, stage: 'evaluation' }, at: 10 },
      // The renewal's only decision maker reports to someone off the map: a finding that needs Carl's own row (in the account's record).
      { name: 'put', table: 'contacts', key: carl, fields: { name: 'Carl', accountKey: account, reportsTo: sfKey('contact', 50) }, at: 10 },
      { name: 'put', table: 'memberships', key: membershipKey(deal2, carl), fields: { roles: ['decision_maker'], authority: 'verified', accountKey: account }, at: 10 },
    ]);
    await refreshRisk(db, [deleted], now.getTime());
    await commit(db, [{ name: 'delete', table: 'deals', key: deleted, at: 11, by: 'Lin' }]);
    // A ranked deal with neither a row nor tags any more.
    await db.risk.put({ committeeKey: ghost, score: 99, level: 'high', name: 'Ghost', updatedAt: 1 });
    const everyDeal = [...(await db.risk.toCollection().primaryKeys()), ...big.data.deals.map((d) => d.key), deal, deal2, tagged, deleted];
    await refreshRisk(db, everyDeal, now.getTime());
    const oneByOne = await db.risk.toArray();
    expect(oneByOne.map((r) => r.committeeKey)).toEqual(expect.arrayContaining([tagged, deal, big.sample.deal]));
    expect(oneByOne.map((r) => r.committeeKey)).not.toEqual(expect.arrayContaining([deleted]));
    expect(oneByOne).toHaveLength(40 + 3);
    for (const pageSize of [1, 7, 1000]) {
      await db.risk.clear();
      await db.risk.put({ committeeKey: ghost, score: 99, level: 'high', name: 'Ghost', updatedAt: 1 });
      await db.risk.put({ committeeKey: deleted, score: 50, level: 'medium', name: 'Lost', updatedAt: 1 });
      await refreshRisk(db, null, now.getTime(), pageSize);
      expect(await db.risk.toArray()).toEqual(oneByOne);
    }
  });

  it('a whole re-ranking asked for while another runs waits for it: the later settings decide every row', async () => {
    expect((await applyImport(db, benchBackup(600, 40).text)).ok).toBe(true);
    await refreshRisk(db, null, now.getTime());
    expect((await db.risk.toArray()).some((r) => r.score > 0)).toBe(true);
    // The first re-ranking is slow to read its first page; meanwhile the settings are saved with every rule off.
    const read = db.accountGroups.limit.bind(db.accountGroups);
    let calls = 0;
    db.accountGroups.limit = ((n: number) => {
      const collection = read(n);
      if (calls++ > 0) return collection;
      const toArray = collection.toArray.bind(collection);
      return Object.assign(collection, { toArray: async () => (await new Promise((r) => setTimeout(r, 50)), toArray()) });
    }) as typeof db.accountGroups.limit;
    const first = refreshRisk(db, null, now.getTime(), 1);
    const off = structuredClone(DEFAULT_RISK_SETTINGS);
    for (const rule of Object.values(off.rules)) rule.enabled = false;
    await saveRiskSettings(db, off, 10);
    await Promise.all([first, refreshRisk(db, null, now.getTime(), 1)]);
    db.accountGroups.limit = read;
    const rows = await db.risk.toArray();
    expect(rows).toHaveLength(40 + 2);
    expect(rows.filter((r) => r.score > 0)).toEqual([]);
  });

  it('a bulk import marks the ranking stale and queues its rows in a few outbox entries; the stale ranking is rebuilt once', async () => {
    const big = benchBackup(BULK_CHANGE + 100, 220);
    const queued = await pendingCount(db);
    const result = await applyImport(db, big.text);
    expect(result.written.length).toBeGreaterThan(BULK_CHANGE);
    expect(await getMeta(db, RISK_STALE, false)).toEqual(expect.any(String));
    expect(await pendingCount(db)).toBe(queued + result.written.length);
    expect(await db.outbox.count()).toBeLessThan(20);
    expect(await refreshStaleRisk(db, now.getTime())).toBe(true);
    expect(await getMeta(db, RISK_STALE, false)).toBe(false);
    const ranked = await rankedDeals(db, '', 10_000);
    expect(ranked.map((r) => r.committeeKey)).toEqual(expect.arrayContaining([big.sample.deal, deal]));
    expect(ranked).toHaveLength(220 + 2);
    expect(await refreshStaleRisk(db, now.getTime())).toBe(false);
  });

  it('re-ranks every deal when the whole ranking has aged, and counts any whole ranking (an import\'s) as one', async () => {
    const hour = 3600_000;
    const t0 = now.getTime();
    expect(await getMeta(db, RISK_REFRESHED, 0)).toBe(0);
    // A few deals ranked after a change do not make a whole ranking.
    await refreshRisk(db, [deal], t0);
    expect(await getMeta(db, RISK_REFRESHED, 0)).toBe(0);
    // The stale ranking an import leaves is rebuilt whole: the periodic check after it has nothing to do.
    await markRiskStale(db);
    expect(await refreshStaleRisk(db, t0)).toBe(true);
    expect(await getMeta(db, RISK_REFRESHED, 0)).toBe(t0);
    await db.risk.clear();
    expect(await refreshAgedRisk(db, t0 + hour, 6 * hour)).toBe(false);
    expect(await db.risk.count()).toBe(0);
    // Six hours on, time alone has made it stale.
    expect(await refreshAgedRisk(db, t0 + 6 * hour, 6 * hour)).toBe(true);
    expect((await rankedDeals(db, '', 10)).map((r) => r.committeeKey).sort()).toEqual([deal, deal2].sort());
    expect(await getMeta(db, RISK_REFRESHED, 0)).toBe(t0 + 6 * hour);
  });

  it('a bulk change marked while a re-ranking reads keeps the ranking stale', async () => {
    await markRiskStale(db);
    const read = db.accountGroups.limit.bind(db.accountGroups);
    // A pulled page marks the ranking stale again while the re-ranking reads the records.
    db.accountGroups.limit = ((n: number) => (void markRiskStale(db), read(n))) as typeof db.accountGroups.limit;
    await refreshRisk(db, null, now.getTime());
    db.accountGroups.limit = read;
    expect(await refreshStaleRisk(db, now.getTime())).toBe(true);
    expect(await refreshStaleRisk(db, now.getTime())).toBe(false);
  });
});
