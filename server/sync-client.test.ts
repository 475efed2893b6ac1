/**
 * The extension's sync engine against the real sync service (in process), on PGlite and, with
 * TEST_DATABASE_URL, on Postgres: convergence, notes, deletes, crashes mid-push and mid-pull,
 * stalled and broken servers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { addMember, createTeam } from './teams';
import { drivers } from './testing';
import type { Db } from './db';
import { openDb, type CommitteeDb } from '../storage/db';
import { commit } from '../storage/writes';
import { applyImport, exportFile } from '../storage/transfer';
import { benchBackup } from '../tests/bench/data';
import { getCursor } from '../storage/sync';
import { syncOnce, type SyncTransport } from '../entrypoints/background/sync';
import { httpTransport } from '../entrypoints/background/transport';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../entrypoints/background/sync-service';
import { emptyContact, membershipKey } from '../domain/model';
import { sfKey } from '../tests/unit/helpers/keys';
import { pendingCount } from '../storage/outbox';
import { membershipTable, rowTable } from '../storage/tables';

const deal = sfKey('opportunity', 1);
const ann = sfKey('contact', 1);
const BASE = 'http://localhost:8787';

for (const driver of drivers) {
  describe(`sync engine ↔ service (${driver.name})`, () => {
    let server: Db;
    let app: ReturnType<typeof createApp>;
    let token: string;
    const fetchVia = (f: typeof fetch): typeof fetch => f;
    const appFetch: typeof fetch = (input, init) => Promise.resolve(app.request(String(input), init as RequestInit));

    beforeEach(async () => {
      server = await driver.open();
      app = createApp(server, { log: () => {} });
      await createTeam(server, 'Acme Sales');
      token = (await addMember(server, 'Acme Sales', 'Lin')).token;
    });
    afterEach(async () => {
      await server.close();
    });

    const client = () => openDb(`client-${crypto.randomUUID()}`);
    const transport = (f: typeof fetch = appFetch, timeoutMs = 2000): SyncTransport => httpTransport(BASE, token, timeoutMs, fetchVia(f));
    const put = (db: CommitteeDb, table: 'contacts' | 'memberships', key: string, fields: Record<string, unknown>, at = Date.now()) =>
      commit(db, [{ name: 'put', table, key, fields, at }]);

    /** Five people from one client, one push each: the service keeps one push's rows on one page, so pages of two rows end at versions 2, 4 and 5. */
    const fivePushes = async () => {
      const a = client();
      for (const key of [1, 2, 3, 4, 5].map((n) => sfKey('contact', n))) {
        await put(a, 'contacts', key, { name: key.slice(-4) });
        await syncOnce(a, transport());
      }
    };

    it('two clients editing the same contact offline converge to the server-order value', async () => {
      const [a, b] = [client(), client()];
      await put(a, 'contacts', ann, { name: 'Ann', department: 'Sales' });
      await put(b, 'contacts', ann, { department: 'Finance', title: 'CFO' });
      await syncOnce(a, transport());
      await syncOnce(b, transport()); // b's push comes second in server order
      await syncOnce(a, transport());
      for (const db of [a, b]) expect(await rowTable(db, 'contacts').get(ann)).toMatchObject({ name: 'Ann', department: 'Finance', title: 'CFO' });
      expect(await pendingCount(a)).toBe(0);
      expect(await pendingCount(b)).toBe(0);
    });

    it('an import queued by reference pushes the values it wrote: a colleague pulls the same rows', async () => {
      // A backup of every table, a tombstone among them, large enough for several runs and pushes.
      const source = client();
      await applyImport(source, benchBackup(2400, 240).text);
      const note = { contactKey: ann, committeeKey: deal, text: '跟进: 预算', author: 'Lin', createdAt: 1 };
      await commit(source, [
        { name: 'put', table: 'notes', key: 'note-import-01', fields: note, at: 1 },
        { name: 'put', table: 'notes', key: 'note-import-02', fields: { ...note, text: 'gone' }, at: 2 },
        { name: 'delete', table: 'notes', key: 'note-import-02', at: 3, by: 'Lin' },
        { name: 'put', table: 'memberships', key: membershipKey(deal, ann), fields: { roles: ['decision_maker'], stance: 'supportive', authority: 'claimed' }, at: 4 },
      ]);
      const backup = await (await exportFile(source, 'json', { kind: 'all' }, 'en', new Date(5))).content.text();

      const a = client();
      expect((await applyImport(a, backup)).ok).toBe(true);
      const runs = (await a.outbox.toArray()).filter((e) => 'run' in e);
      expect(runs.length).toBeGreaterThan(3);
      expect(runs.every((e) => 'run' in e && e.run.byRef)).toBe(true);
      // Edited after the import, before the push.
      const edited = (await rowTable(a, 'contacts').toArray())[7]!.key;
      await put(a, 'contacts', edited, { title: 'VP Ops' });
      await syncOnce(a, transport());
      expect(await pendingCount(a)).toBe(0);

      const b = client();
      await syncOnce(b, transport());
      // The same values on both (change times aside: the service stamps each field with its push's time).
      // A tombstone of a note the team never had stays local: the service has nothing to delete.
      const values = async (db: CommitteeDb) =>
        Object.fromEntries(
          await Promise.all(
            (['accounts', 'contacts', 'deals', 'memberships', 'notes'] as const).map(async (t) => [
              t,
              (await rowTable(db, t).toArray() as unknown as Record<string, unknown>[]).filter((r) => !r.deleted).map(({ changed, verified, ...row }) => row).sort((x, y) => String(x.key).localeCompare(String(y.key))),
            ]),
          ),
        );
      const [mine, theirs] = [await values(a), await values(b)];
      expect(theirs.memberships).toHaveLength(2401);
      expect(theirs).toEqual(mine);
      expect(await rowTable(b, 'contacts').get(edited)).toMatchObject({ title: 'VP Ops' });
      expect(theirs.notes.map((n: { key: string }) => n.key)).toEqual(['note-import-01']);
    });

    it('keeps both of two concurrent notes', async () => {
      const [a, b] = [client(), client()];
      const note = (text: string) => ({ contactKey: ann, committeeKey: deal, text, author: 'x', createdAt: 1 });
      await commit(a, [{ name: 'put', table: 'notes', key: 'note-aaaa-0001', fields: note('from A'), at: 1 }]);
      await commit(b, [{ name: 'put', table: 'notes', key: 'note-bbbb-0001', fields: note('from B'), at: 1 }]);
      for (const db of [a, b, a]) await syncOnce(db, transport());
      for (const db of [a, b]) expect((await db.notes.toArray()).map((n) => n.text).sort()).toEqual(['from A', 'from B']);
    });

    it('a delete on one client and an edit on the other end in the tombstone on both', async () => {
      const [a, b] = [client(), client()];
      const note = { contactKey: ann, committeeKey: deal, text: 'x', author: 'x', createdAt: 1 };
      await commit(a, [{ name: 'put', table: 'notes', key: 'note-shared-01', fields: note, at: 1 }]);
      await syncOnce(a, transport());
      await syncOnce(b, transport());
      await commit(a, [{ name: 'delete', table: 'notes', key: 'note-shared-01', at: 2, by: 'A' }]);
      await put(b, 'memberships', membershipKey(deal, ann), { roles: ['user'] });
      await commit(b, [{ name: 'delete', table: 'contacts', key: ann, at: 3, by: 'B' }]).catch(() => undefined);
      for (const db of [a, b, a]) await syncOnce(db, transport());
      for (const db of [a, b]) expect(await db.notes.get('note-shared-01')).toMatchObject({ deleted: true, deletedBy: 'A' });
    });

    it('a push whose acknowledgement is lost (worker killed) is not applied twice', async () => {
      const a = client();
      await put(a, 'memberships', membershipKey(deal, ann), { roles: ['decision_maker'] });
      await put(a, 'memberships', membershipKey(deal, ann), { stance: 'supportive' });
      let pushes = 0;
      const dying: typeof fetch = async (input, init) => {
        const res = await appFetch(input, init);
        if (String(input).endsWith('/v1/push') && pushes++ === 0) throw new Error('worker stopped before the acknowledgement');
        return res;
      };
      await expect(syncOnce(a, transport(dying))).rejects.toThrow(/acknowledgement|reached/);
      expect(await pendingCount(a)).toBe(2);
      await syncOnce(a, transport());
      expect(await pendingCount(a)).toBe(0);
      const b = client();
      await syncOnce(b, transport());
      expect(await membershipTable(b).get(membershipKey(deal, ann))).toMatchObject({ roles: ['decision_maker'], stance: 'supportive' });
      const me = await (await appFetch(`${BASE}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();
      expect(me.version).toBe(1); // one push applied once
    });

    it('a pull interrupted before it is stored is fetched again', async () => {
      const a = client();
      await put(a, 'contacts', ann, { name: 'Ann' });
      await syncOnce(a, transport());
      const b = client();
      const failing = () => {
        throw new Error('disk full');
      };
      b.accountGroups.hook('creating', failing);
      await expect(syncOnce(b, transport())).rejects.toThrow(/disk full/);
      expect(await getCursor(b)).toBe(0);
      b.accountGroups.hook('creating').unsubscribe(failing);
      await syncOnce(b, transport());
      expect(await rowTable(b, 'contacts').get(ann)).toMatchObject({ name: 'Ann' });
      expect(await getCursor(b)).toBeGreaterThan(0);
    });

    it('asks for the next page while storing the current one; a page that fails to store is asked again (stored page by page)', async () => {
      await fivePushes();
      // Pages of two rows; the log shows the order of requests and stored rows.
      const log: string[] = [];
      const paged = (): SyncTransport => {
        const inner = transport();
        return { push: (r) => inner.push(r), pull: (cursor) => (log.push('pull'), inner.pull(cursor, 2)) };
      };
      const b = client();
      b.accountGroups.hook('creating', () => void log.push('store'));
      await syncOnce(b, paged(), undefined, 2);
      expect(log).toEqual(['pull', 'pull', 'store', 'store', 'pull', 'store', 'store', 'store']);
      expect(await rowTable(b, 'contacts').count()).toBe(5);

      const c = client();
      let stored = 0;
      const failSecondPage = () => {
        if (++stored === 3) throw new Error('disk full');
      };
      c.accountGroups.hook('creating', failSecondPage);
      await expect(syncOnce(c, paged(), undefined, 2)).rejects.toThrow(/disk full/);
      const afterFirstPage = await getCursor(c);
      expect(afterFirstPage).toBeGreaterThan(0);
      expect(await rowTable(c, 'contacts').count()).toBe(2);
      c.accountGroups.hook('creating').unsubscribe(failSecondPage);
      await syncOnce(c, paged(), undefined, 2);
      expect(await rowTable(c, 'contacts').count()).toBe(5);
      expect(await getCursor(c)).toBeGreaterThan(afterFirstPage);

      // Stored a batch of pages at a time: two pages in one transaction, then the last; one run of changes each.
      const d = client();
      const dlog: string[] = [];
      const inner = transport();
      const runs: number[] = [];
      d.accountGroups.hook('creating', () => void dlog.push('store'));
      await syncOnce(d, { push: (r) => inner.push(r), pull: (cursor) => (dlog.push('pull'), inner.pull(cursor, 2)) }, (rows) => runs.push(rows.length), 4);
      expect(dlog).toEqual(['pull', 'pull', 'pull', 'store', 'store', 'store', 'store', 'store']);
      expect(runs).toEqual([4, 1]);
      expect(await rowTable(d, 'contacts').count()).toBe(5);

      // A page that fails to arrive: the pages already here are stored, the next sync asks from there.
      const e = client();
      let asked = 0;
      const breaking: SyncTransport = { push: (r) => inner.push(r), pull: (cursor) => (++asked === 2 ? Promise.reject(new Error('connection reset')) : inner.pull(cursor, 2)) };
      await expect(syncOnce(e, breaking, undefined, 4)).rejects.toThrow(/connection reset/);
      expect(await rowTable(e, 'contacts').count()).toBe(2);
      const kept = await getCursor(e);
      expect(kept).toBeGreaterThan(0);
      await syncOnce(e, transport());
      expect(await rowTable(e, 'contacts').count()).toBe(5);
      expect(await getCursor(e)).toBeGreaterThan(kept);
    });

    it("asks for the next page from a reply's headers, and refuses a reply whose headers disagree with its rows", async () => {
      await fivePushes();
      // Pages of two rows: each reply's headers tell where it ends before its rows are read.
      const told: number[] = [];
      const inner = transport();
      const b = client();
      await syncOnce(b, { push: (r) => inner.push(r), pull: (cursor, _limit, onEnd) => inner.pull(cursor, 2, (end) => (told.push(end.cursor), onEnd?.(end))) });
      expect(told).toEqual([2, 4, 5]);
      expect(await rowTable(b, 'contacts').count()).toBe(5);

      // A reply whose headers end the page elsewhere than its rows: refused, nothing stored.
      const lying: typeof fetch = async (input, init) => {
        const res = await appFetch(input, init);
        if (!String(input).includes('/v1/pull')) return res;
        const headers = new Headers(res.headers);
        headers.set('Sync-Cursor', '4');
        return new Response(await res.text(), { status: res.status, headers });
      };
      const c = client();
      await expect(syncOnce(c, transport(lying))).rejects.toThrow(/disagrees with itself: its headers say cursor 4, the last page; its body cursor 5, the last page/);
      expect(await getCursor(c)).toBe(0);
      expect(await rowTable(c, 'contacts').count()).toBe(0);
    });

    it('a stalled server times out, loses nothing, and the next attempt succeeds', async () => {
      const a = client();
      await put(a, 'contacts', ann, { name: 'Ann' });
      const stalled: typeof fetch = (_input, init) =>
        new Promise((_, reject) => (init?.signal as AbortSignal).addEventListener('abort', () => reject((init!.signal as AbortSignal).reason)));
      await expect(syncOnce(a, transport(stalled, 150))).rejects.toThrow(/did not answer within/);
      expect(await pendingCount(a)).toBe(1);
      await syncOnce(a, transport());
      expect(await pendingCount(a)).toBe(0);
    });

    it('a server that stalls for 30 s is abandoned at the default request timeout and retried', async () => {
      const a = client();
      await put(a, 'contacts', ann, { name: 'Ann' });
      const stalled30s: typeof fetch = (input, init) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve(appFetch(input, { ...init, signal: undefined })), 30_000);
          (init?.signal as AbortSignal).addEventListener('abort', () => (clearTimeout(timer), reject((init!.signal as AbortSignal).reason)));
        });
      const started = Date.now();
      await expect(syncOnce(a, transport(stalled30s, DEFAULT_REQUEST_TIMEOUT_MS))).rejects.toThrow(/did not answer within 15 s/);
      expect(Date.now() - started).toBeLessThan(25_000);
      expect(await pendingCount(a)).toBe(1);
      await syncOnce(a, transport());
      expect(await pendingCount(a)).toBe(0);
    }, 40_000);

    it.each([
      ['a 500', () => new Response('{"error":{"code":"internal","message":"boom"}}', { status: 500 })],
      ['HTML garbage', () => new Response('<html>proxy error</html>', { status: 200 })],
      ['JSON of the wrong shape', () => new Response('{"lastMutationId":"many"}', { status: 200 })],
    ])('a server answering %s loses nothing', async (_, reply) => {
      const a = client();
      await put(a, 'contacts', ann, { name: 'Ann' });
      await expect(syncOnce(a, transport(async () => reply()))).rejects.toThrow(/sync server/i);
      expect(await pendingCount(a)).toBe(1);
      expect(await getCursor(a)).toBe(0);
      expect(await rowTable(a, 'contacts').get(ann)).toMatchObject({ name: 'Ann' });
    });

    it.each([
      ['a row that is not a row', { roles: 5 }],
      ['a row that is a list', [emptyContact(ann)]],
      ['a row whose change times are not times', { ...emptyContact(ann), changed: { name: 'yesterday' } }],
    ])('a pull page with %s is refused, and loses nothing', async (_, row) => {
      const a = client();
      await put(a, 'contacts', ann, { name: 'Ann' });
      const page = { rows: [{ table: 'contacts', key: ann, row, version: 1 }], cursor: 1, hasMore: false, reset: false };
      const badPull: typeof fetch = (input, init) => (String(input).includes('/v1/pull') ? Promise.resolve(new Response(JSON.stringify(page))) : appFetch(input, init));
      await expect(syncOnce(a, transport(badPull))).rejects.toThrow(/reply is malformed \(rows\.0\.row: /);
      expect(await getCursor(a)).toBe(0);
      expect(await rowTable(a, 'contacts').get(ann)).toMatchObject({ name: 'Ann' });
    });

    it('a wrong token is told apart from a broken server', async () => {
      const a = client();
      await put(a, 'contacts', ann, { name: 'Ann' });
      await expect(syncOnce(a, httpTransport(BASE, 'not-a-token', 2000, appFetch))).rejects.toThrow(/401.*token/);
    });
  });
}
