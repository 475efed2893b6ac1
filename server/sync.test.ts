import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mutation } from '../domain/mutations';
import { createApp, type LogLine } from './app';
import type { Db } from './db';
import { LIMITS, pageEndFromHeaders, pullPath, pullResponseSchema, type PullResponse, type SyncedRow } from './protocol';
import { pull, pullReplyJson, purgeTombstones } from './sync';
import { addMember, createTeam, revokeMember } from './teams';
import { drivers } from './testing';

const contact = (n: number) => `hubspot:123:contact:${1000 + n}`;
const put = (key: string, fields: Record<string, unknown>, at = 100): Mutation => ({ name: 'put', table: 'contacts', key, fields, at });
const del = (key: string, at = 100): Mutation => ({ name: 'delete', table: 'contacts', key, at, by: 'rep' });
const note = (id: string, text: string, at = 100): Mutation => ({
  name: 'put',
  table: 'notes',
  key: id,
  fields: { contactKey: contact(1), committeeKey: null, text, author: 'rep', createdAt: at },
  at,
});

describe.each(drivers)('sync service on $name', (driver) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let logs: LogLine[];
  let tokenA: string;
  let tokenB: string;
  let memberA: number;

  beforeEach(async () => {
    db = await driver.open();
    logs = [];
    app = createApp(db, { log: (line) => logs.push(line) });
    await createTeam(db, 'Acme Sales');
    await createTeam(db, 'Beta Corp');
    ({ id: memberA, token: tokenA } = await addMember(db, 'Acme Sales', 'Ada'));
    ({ token: tokenB } = await addMember(db, 'Beta Corp', 'Bob'));
  });
  afterEach(() => db.close());

  async function call(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await app.request(path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  }
  /** Push mutations numbered from `from` for one client. */
  const pushAs = (token: string, clientId: string, from: number, mutations: Mutation[]) =>
    call(token, 'POST', '/v1/push', { clientId, mutations: mutations.map((mutation, i) => ({ id: from + i, mutation })) });
  /** Pull every page after a cursor; returns the pages. */
  async function pullAll(token: string, cursor = 0, limit?: number): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    for (let page; !page || page.hasMore; cursor = page.cursor) {
      const res = await call(token, 'GET', pullPath(cursor, limit));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      page = pullResponseSchema.parse(res.body);
      // The headers say where the page ends before its body is read: they must agree with it.
      expect(pageEndFromHeaders((name) => res.headers.get(name))).toEqual({ cursor: page.cursor, hasMore: page.hasMore });
      pages.push(page);
      if (pages.length > 1000) throw new Error('pull does not end');
    }
    return pages;
  }
  const stateOf = (pages: PullResponse[]) => new Map(pages.flatMap((p) => p.rows).map((r) => [`${r.table}/${r.key}`, r.row]));

  it('converges two clients editing the same contact to the value written last in server order', async () => {
    expect((await pushAs(tokenA, 'client-one', 1, [put(contact(1), { name: 'Ann', title: 'CFO' }, 500)])).body).toEqual({ lastMutationId: 1, version: 1 });
    // Client two's clock is behind, but its write reaches the server later: server order wins.
    expect((await pushAs(tokenA, 'client-two', 1, [put(contact(1), { name: 'Anne' }, 100)])).body).toEqual({ lastMutationId: 1, version: 2 });
    const rows = (await pullAll(tokenA)).flatMap((p) => p.rows);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ table: 'contacts', key: contact(1), version: 2, row: { name: 'Anne', title: 'CFO', updatedAt: 500 } });
  });

  it('keeps concurrent notes from two clients, and never overwrites a note', async () => {
    await pushAs(tokenA, 'client-one', 1, [note('note-aaaaaaaa', 'from one')]);
    await pushAs(tokenA, 'client-two', 1, [note('note-bbbbbbbb', 'from two'), note('note-aaaaaaaa', 'overwrite attempt')]);
    const state = stateOf(await pullAll(tokenA));
    expect([...state.keys()].sort()).toEqual(['notes/note-aaaaaaaa', 'notes/note-bbbbbbbb']);
    expect(state.get('notes/note-aaaaaaaa')).toMatchObject({ text: 'from one' });
    expect(state.get('notes/note-bbbbbbbb')).toMatchObject({ text: 'from two' });
  });

  it.each([
    // A tombstone is final: an edit after it is dropped; one before it stays in the tombstone's last state.
    { order: 'delete then edit', first: del(contact(1), 300), second: put(contact(1), { name: 'Late edit' }, 400), name: 'Original' },
    { order: 'edit then delete', first: put(contact(1), { name: 'Late edit' }, 400), second: del(contact(1), 300), name: 'Late edit' },
  ])('ends a delete racing an edit in a tombstone ($order)', async ({ first, second, name }) => {
    await pushAs(tokenA, 'client-zero', 1, [put(contact(1), { name: 'Original' }, 100)]);
    await pushAs(tokenA, 'client-one', 1, [first]);
    await pushAs(tokenA, 'client-two', 1, [second]);
    const row = stateOf(await pullAll(tokenA)).get(`contacts/${contact(1)}`);
    expect(row).toMatchObject({ deleted: true, name });
  });

  it('applies a push once: the same push again, or an overlapping one, changes nothing already applied', async () => {
    const batch = [put(contact(1), { name: 'One' }), put(contact(2), { name: 'Two' })];
    const first = await pushAs(tokenA, 'client-one', 1, batch);
    expect(first.body).toEqual({ lastMutationId: 2, version: 1 });
    const before = await pullAll(tokenA);
    const again = await pushAs(tokenA, 'client-one', 1, batch);
    expect(again).toMatchObject({ status: 200, body: { lastMutationId: 2, version: 1 } });
    expect(await pullAll(tokenA)).toEqual(before);
    // Re-sent 1..2 plus a new 3: only 3 is applied.
    const overlap = await pushAs(tokenA, 'client-one', 1, [put(contact(1), { name: 'Changed?' }), ...batch.slice(1), put(contact(3), { name: 'Three' })]);
    expect(overlap.body).toEqual({ lastMutationId: 3, version: 2 });
    const state = stateOf(await pullAll(tokenA));
    expect(state.get(`contacts/${contact(1)}`)).toMatchObject({ name: 'One' });
    expect(state.get(`contacts/${contact(3)}`)).toMatchObject({ name: 'Three' });
  });

  it('refuses a gap in mutation ids with the last acknowledged id, and applies nothing of it', async () => {
    await pushAs(tokenA, 'client-one', 1, [put(contact(1), { name: 'One' })]);
    const gap = await pushAs(tokenA, 'client-one', 3, [put(contact(2), { name: 'Three' })]);
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'mutation_gap', lastMutationId: 1 });
    expect(gap.body.error.message).toMatch(/push from 2/);
    expect(stateOf(await pullAll(tokenA)).has(`contacts/${contact(2)}`)).toBe(false);
    const fresh = await pushAs(tokenA, 'client-new', 2, [put(contact(2), { name: 'Two' })]);
    expect(fresh.body.error).toMatchObject({ code: 'mutation_gap', lastMutationId: 0 });
  });

  it.each([1, 3, 4, 10, 1000])('pages a pull with limit %i without losing or repeating rows, even while pushes go on', async (limit) => {
    let next = 1;
    const pushBatch = async (keys: number[], name: string) => {
      const res = await pushAs(tokenA, 'writer-client', next, keys.map((k) => put(contact(k), { name: `${name} ${k}` })));
      expect(res.status).toBe(200);
      next += keys.length;
    };
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    await pushBatch(range(0, 10), 'first');
    await pushBatch(range(10, 17), 'first');
    await pushBatch(range(17, 25), 'first');
    // A reader takes one page, then writers change rows on both sides of its cursor.
    const firstPage = (await call(tokenA, 'GET', pullPath(0, limit))).body as PullResponse;
    await pushBatch([0, 1, 24, 30], 'second');
    const pages = [firstPage, ...(firstPage.hasMore ? await pullAll(tokenA, firstPage.cursor, limit) : await pullAll(tokenA, firstPage.cursor, limit))];
    for (const page of pages) {
      const rows = page.rows;
      // Ordered by (version, table, key), and no page ends inside a version.
      const order = rows.map((r) => [r.version, r.table, r.key] as const);
      expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)));
      if (rows.length) expect(page.cursor).toBe(rows.at(-1)!.version);
    }
    const all = pages.flatMap((p) => p.rows);
    const versions = new Map<number, SyncedRow[]>();
    for (const r of all) versions.set(r.version, [...(versions.get(r.version) ?? []), r]);
    // Every version seen is seen whole (each version's rows are in one page).
    for (const page of pages) for (const r of page.rows) expect(page.rows.filter((x) => x.version === r.version)).toHaveLength(versions.get(r.version)!.length);
    const truth = (await call(tokenA, 'GET', pullPath(0, LIMITS.maxPullLimit))).body as PullResponse;
    expect(truth.hasMore).toBe(false);
    expect(stateOf(pages)).toEqual(stateOf([truth]));
    expect(truth.rows).toHaveLength(26);
    expect(new Set(all.map((r) => `${r.key}@${r.version}`)).size).toBe(all.length);
  });

  it('reads a pull page in index order, never fetching and sorting every row after the cursor (statistics older than the rows)', async () => {
    for (let i = 0; i < 3; i++) expect((await pushAs(tokenA, 'client-one', 1 + i * 1000, Array.from({ length: 1000 }, (_, j) => put(contact(i * 1000 + j), { name: `P${j}` })))).status).toBe(200);
    const plans: string[] = [];
    const explaining: Db = {
      ...db,
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            query: async (sql: string, params?: unknown[]) => {
              if (/^SELECT .* ORDER BY/s.test(sql)) plans.push(JSON.stringify(await tx.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)));
              return tx.query(sql, params);
            },
          } as typeof tx),
        ),
    };
    const team = (await db.query<{ id: string }>(`SELECT id FROM teams WHERE name = 'Acme Sales'`))[0]!;
    const page = await pull(explaining, Number(team.id), 0, 100);
    expect(pullResponseSchema.parse(JSON.parse(pullReplyJson(page))).rows).toHaveLength(1000); // the whole first version (one push)
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan).toContain('rows_team_version');
      expect(plan).not.toMatch(/"Node Type":\s*"(Sort|Incremental Sort)"/);
    }
  });

  it('pulls back exactly the text pushed: quotes, escapes, markup, Chinese and emoji survive the stored JSON spliced into the reply', async () => {
    const tricky = ['say "hi" \\ back', 'line\nbreak\ttab\u0001', '</script><img src=x onerror=alert(1)>', '采购委员会 决策者', '👩🏽‍💼 \u2028\u2029', ''];
    await pushAs(tokenA, 'client-one', 1, tricky.map((name, i) => put(contact(i), { name, title: name })));
    const state = stateOf(await pullAll(tokenA));
    tricky.forEach((name, i) => expect(state.get(`contacts/${contact(i)}`)).toMatchObject({ name, title: name, key: contact(i) }));
  });

  it('answers an idle pull with no rows and the same cursor', async () => {
    await pushAs(tokenA, 'client-one', 1, [put(contact(1), { name: 'One' })]);
    const [page] = await pullAll(tokenA);
    expect(await call(tokenA, 'GET', pullPath(page!.cursor))).toMatchObject({ status: 200, body: { rows: [], cursor: 1, hasMore: false, reset: false } });
  });

  it('tells a client behind the tombstone purge horizon to reset, and no one else', async () => {
    await pushAs(tokenA, 'client-one', 1, [put(contact(1), { name: 'Kept' }), put(contact(2), { name: 'Doomed' })]); // v1
    await pushAs(tokenA, 'client-one', 3, [del(contact(2))]); // v2
    await pushAs(tokenA, 'client-one', 4, [put(contact(3), { name: 'Later' })]); // v3
    expect(await purgeTombstones(db, new Date(Date.now() - 60_000))).toEqual([]); // tombstone is younger than the cut-off
    const purged = await purgeTombstones(db, new Date(Date.now() + 60_000));
    expect(purged).toEqual([{ teamId: expect.any(Number), purged: 1 }]);
    const behind = (await call(tokenA, 'GET', pullPath(1))).body as PullResponse;
    expect(behind.reset).toBe(true);
    expect(behind.rows.map((r) => r.key).sort()).toEqual([contact(1), contact(3)]);
    for (const cursor of [0, 2, 3]) expect((await call(tokenA, 'GET', pullPath(cursor))).body.reset).toBe(false);
    // Team B is untouched by team A's purge.
    expect((await call(tokenB, 'GET', pullPath(1))).body.reset).toBe(false);
  });

  it("keeps teams apart: a team's token never reads or writes another team's rows", async () => {
    await pushAs(tokenA, 'shared-client', 1, [put(contact(1), { name: 'Secret of A' })]);
    expect((await call(tokenB, 'GET', pullPath(0))).body).toEqual({ rows: [], cursor: 0, hasMore: false, reset: false });
    // The same client id and key in team B are B's own: numbering starts again, A's row is untouched.
    expect((await pushAs(tokenB, 'shared-client', 1, [put(contact(1), { name: 'B writes' })])).body).toEqual({ lastMutationId: 1, version: 1 });
    expect(stateOf(await pullAll(tokenA)).get(`contacts/${contact(1)}`)).toMatchObject({ name: 'Secret of A' });
    expect(stateOf(await pullAll(tokenB)).get(`contacts/${contact(1)}`)).toMatchObject({ name: 'B writes' });
    expect((await call(tokenA, 'GET', '/v1/me')).body).toMatchObject({ team: { name: 'Acme Sales' }, member: { name: 'Ada' }, version: 1 });
    expect((await call(tokenB, 'GET', '/v1/me')).body).toMatchObject({ team: { name: 'Beta Corp' }, member: { name: 'Bob' }, version: 1 });
  });

  it.each([
    { what: 'no token', token: null },
    { what: 'a wrong token', token: 'clt_' + 'x'.repeat(43) },
    { what: 'a malformed header', token: 'not a token!' },
  ])('answers 401 with no data to $what', async ({ token }) => {
    await pushAs(tokenA, 'client-one', 1, [put(contact(1), { name: 'One' })]);
    for (const [method, path, body] of [['GET', pullPath(0)], ['GET', '/v1/me'], ['POST', '/v1/push', { clientId: 'client-one', mutations: [] }]] as const) {
      const res = await call(token, method, path, body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('refuses a revoked token', async () => {
    expect((await call(tokenA, 'GET', '/v1/me')).status).toBe(200);
    expect(await revokeMember(db, memberA)).toBe(true);
    expect(await revokeMember(db, memberA)).toBe(false);
    const res = await call(tokenA, 'GET', pullPath(0));
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(res.body).not.toHaveProperty('rows');
  });

  it('refuses an oversized body and an oversized batch with 413', async () => {
    const big = JSON.stringify({ clientId: 'client-one', mutations: [], pad: 'x'.repeat(LIMITS.maxBodyBytes) });
    expect(await call(tokenA, 'POST', '/v1/push', big)).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const batch = Array.from({ length: LIMITS.maxBatch + 1 }, (_, i) => put(contact(i), { name: 'n' }));
    expect(await pushAs(tokenA, 'client-one', 1, batch)).toMatchObject({ status: 413, body: { error: { code: 'batch_too_large' } } });
    expect((await pullAll(tokenA))[0]!.rows).toEqual([]);
  });

  it.each([
    { what: 'malformed JSON', body: '{"clientId": "client-one", "mutations": [', code: 'invalid_json', path: undefined },
    { what: 'a bad field', body: { clientId: 'client-one', mutations: [{ id: 1, mutation: put(contact(1), { name: 7 }) }] }, code: 'invalid_request', path: ['mutations', 0, 'mutation', 'fields', 'name'] },
    { what: 'a bad key', body: { clientId: 'client-one', mutations: [{ id: 1, mutation: put('salesforce:x:contact:nope', { name: 'a' }) }] }, code: 'invalid_request', path: ['mutations', 0, 'mutation', 'key'] },
    { what: 'an unknown table', body: { clientId: 'client-one', mutations: [{ id: 1, mutation: { ...put(contact(1), { name: 'a' }), table: 'users' } }] }, code: 'invalid_request', path: ['mutations', 0, 'mutation', 'table'] },
    { what: 'ids that skip', body: { clientId: 'client-one', mutations: [{ id: 1, mutation: put(contact(1), { name: 'a' }) }, { id: 3, mutation: put(contact(1), { name: 'b' }) }] }, code: 'invalid_request', path: ['mutations', 1, 'id'] },
    { what: 'a bad client id', body: { clientId: 'x', mutations: [] }, code: 'invalid_request', path: ['clientId'] },
    { what: 'a missing body', body: 'null', code: 'invalid_request', path: [] },
  ])('refuses $what with a clear error, changing nothing', async ({ body, code, path }) => {
    const res = await call(tokenA, 'POST', '/v1/push', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    if (path) expect(res.body.error.issues).toContainEqual({ path, message: expect.any(String) });
    expect((await pullAll(tokenA))[0]!.rows).toEqual([]);
  });

  it.each(['cursor=-1', 'cursor=abc', 'limit=0', `limit=${LIMITS.maxPullLimit + 1}`])('refuses a pull with %s', async (query) => {
    const res = await call(tokenA, 'GET', `/v1/pull?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', issues: [expect.objectContaining({ path: [query.split('=')[0]] })] });
  });

  it('serves health without a token, 404 JSON for unknown routes, and CORS for extension origins only', async () => {
    expect(await call(null, 'GET', '/v1/health')).toMatchObject({ status: 200, body: { ok: true, protocol: 1 } });
    expect(await call(tokenA, 'GET', '/v1/nothing')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await call(null, 'GET', '/')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    for (const origin of ['chrome-extension://abcdefghijklmnop', 'moz-extension://2f1e6c52-0c3b-4a8e-9d1f-1a2b3c4d5e6f']) {
      const res = await app.request('/v1/pull', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin);
      expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization');
    }
    // A page's end in its headers is readable by the extension's fetch.
    const get = await app.request(pullPath(0), { headers: { Origin: 'chrome-extension://abcdefghijklmnop', Authorization: `Bearer ${tokenA}` } });
    expect(get.headers.get('Access-Control-Expose-Headers')?.split(/,\s*/)).toEqual(expect.arrayContaining(['Sync-Cursor', 'Sync-Has-More']));
    const evil = await app.request('/v1/pull', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } });
    expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('compresses a large pull reply for clients that accept it (Brotli first, never an encoding given q=0), and only a large one', async () => {
    await pushAs(tokenA, 'client-one', 1, Array.from({ length: 60 }, (_, i) => put(contact(i), { name: `Person ${i}`, title: 'Head of procurement' })));
    const reply = (acceptEncoding?: string, path = pullPath(0)) =>
      app.request(path, { headers: { Authorization: `Bearer ${tokenA}`, ...(acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding }) } });
    const plain = await reply();
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(8 * 1024);
    expect(pullResponseSchema.parse(JSON.parse(text)).rows).toHaveLength(60);
    const decode = { br: brotliDecompressSync, gzip: gunzipSync };
    for (const [accepted, sent] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.5', 'gzip'],
      ['br;q=0, gzip;q=0', null],
      ['identity', null],
    ] as const) {
      const res = await reply(accepted);
      expect(res.headers.get('Content-Encoding'), accepted).toBe(sent);
      expect(res.headers.get('Vary')).toMatch(/Accept-Encoding/);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect((sent ? decode[sent](bytes) : bytes).toString('utf8')).toBe(text);
      if (sent) expect(bytes.length).toBeLessThan(text.length / 5);
    }
    // An idle pull is a few bytes: sent as it is.
    const idle = await reply('br', pullPath(JSON.parse(text).cursor));
    expect(idle.headers.get('Content-Encoding')).toBeNull();
    expect(await idle.json()).toMatchObject({ rows: [], hasMore: false });
  });

  it('logs one structured line per request, with the team and never the token', async () => {
    await call(tokenA, 'GET', pullPath(0));
    await call('clt_wrong', 'GET', '/v1/me');
    expect(logs).toEqual([
      { time: expect.any(String), method: 'GET', path: '/v1/pull', status: 200, ms: expect.any(Number), team: expect.any(Number) },
      { time: expect.any(String), method: 'GET', path: '/v1/me', status: 401, ms: expect.any(Number), team: null },
    ]);
    expect(JSON.stringify(logs)).not.toContain(tokenA);
  });

  it('serialises concurrent pushes of one team into distinct versions', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => pushAs(tokenA, `client-${i}xxxx`, 1, [put(contact(i), { name: `c${i}` }), put(contact(99), { title: `t${i}` })])),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const rows = (await pullAll(tokenA)).flatMap((p) => p.rows);
    expect(rows).toHaveLength(7);
    const last = results.find((r) => r.body.version === 6)!;
    const winner = results.indexOf(last);
    expect(rows.find((r) => r.key === contact(99))?.row).toMatchObject({ title: `t${winner}` });
  });
});
