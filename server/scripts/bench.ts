/**
 * Rough timing of the sync service's targets, in process on in-memory PGlite (or DATABASE_URL):
 * push 10,000 mutations, pull 100,000 rows in pages, an idle pull. `npx tsx server/scripts/bench.ts`
 */
import { createApp } from '../app';
import { migrate, openPglite, openPostgres } from '../db';
import { LIMITS, pullPath, type PullResponse } from '../protocol';
import { addMember, createTeam } from '../teams';

const db = process.env.DATABASE_URL ? await openPostgres(process.env.DATABASE_URL) : await openPglite();
await migrate(db);
const app = createApp(db, { log: () => {} });
await createTeam(db, `Bench ${Date.now()}`);
const { token } = await addMember(db, (await db.query<{ name: string }>('SELECT name FROM teams ORDER BY id DESC LIMIT 1'))[0]!.name, 'bench');
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

async function pushRows(clientId: string, total: number, offset: number) {
  for (let from = 0; from < total; from += LIMITS.maxBatch) {
    const mutations = Array.from({ length: Math.min(LIMITS.maxBatch, total - from) }, (_, i) => ({
      id: from + i + 1,
      mutation: { name: 'put', table: 'contacts', key: `hubspot:123:contact:${offset + from + i + 1}`, fields: { name: `Person ${from + i}`, title: 'VP' }, at: 1 },
    }));
    const res = await app.request('/v1/push', { method: 'POST', headers, body: JSON.stringify({ clientId, mutations }) });
    if (res.status !== 200) throw new Error(`push ${res.status} ${await res.text()}`);
  }
}
const time = async (label: string, fn: () => Promise<unknown>) => {
  const start = performance.now();
  const out = await fn();
  console.log(`${label}: ${Math.round(performance.now() - start)} ms`, out ?? '');
};

await time('push 10,000 mutations (10 pushes)', () => pushRows('bench-client-0', 10_000, 0));
await time('push 90,000 more (setup)', () => pushRows('bench-client-1', 90_000, 10_000));
let cursor = 0;
await time('pull 100,000 rows in pages', async () => {
  let rows = 0;
  for (let page: PullResponse | undefined; !page || page.hasMore; cursor = page.cursor) {
    page = (await (await app.request(pullPath(cursor, LIMITS.maxPullLimit), { headers })).json()) as PullResponse;
    rows += page.rows.length;
  }
  return { rows };
});
await time('idle pull', async () => ((await (await app.request(pullPath(cursor), { headers })).json()) as PullResponse).rows.length);
await db.close();
