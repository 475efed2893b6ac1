/** Sync survives the MV3 worker being stopped in the middle of a push (CDP ServiceWorker.stopWorker). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import Papa from 'papaparse';
import { callFromPage, committeeFromPage, downloadFrom, launchExtension, stopServiceWorker, type ExtensionGlobal, type Launched } from '../support/browser';
import { startSyncServer } from '../support/sync-server';
import { benchBackup, key } from '../bench/data';
import { OUTBOX_RUN } from '../../storage/db';

let sync: Awaited<ReturnType<typeof startSyncServer>>;
let a: Launched;
let b: Launched;
beforeAll(async () => {
  sync = await startSyncServer(['a', 'b']);
  a = await launchExtension();
  b = await launchExtension();
});
afterAll(async () => {
  await a?.context.close();
  await b?.context.close();
  await sync?.close();
});

it('the worker stopped mid-push: after restart everything arrives once and the outbox empties', async () => {
  const seed = benchBackup(6000, 600); // several push batches of OUTBOX_RUN mutations
  const pa = await a.context.newPage();
  await pa.goto(a.extensionUrl('options.html'));
  expect((await callFromPage<{ ok: boolean }>(pa, 'import.apply', { text: seed.text })).data?.ok).toBe(true);
  const pending = (await callFromPage<{ pending: number }>(pa, 'sync.status', {})).data!.pending;
  expect(pending).toBeGreaterThan(4 * OUTBOX_RUN);
  // Start syncing (configure runs a sync) and stop the worker while it pushes.
  void pa.evaluate(
    ([url, token]) => (globalThis as unknown as ExtensionGlobal).chrome.runtime.sendMessage({ channel: 'committee-lens', type: 'sync.configure', payload: { serverUrl: url, token } }).catch(() => null),
    [sync.url, sync.tokens.a!] as const,
  );
  await expect.poll(async () => (await callFromPage<{ pending: number }>(pa, 'sync.status', {})).data!.pending, { interval: 20 }).toBeLessThan(pending);
  expect(await stopServiceWorker(pa)).toBeGreaterThan(0);
  const left = (await callFromPage<{ pending: number }>(pa, 'sync.status', {})).data!.pending;
  expect(left).toBeGreaterThan(0); // stopped mid-way
  await expect.poll(async () => (await callFromPage<{ pending: number; lastError: string | null }>(pa, 'sync.now', {})).data, { timeout: 30_000 }).toMatchObject({ pending: 0 });

  // A second profile pulls the team's data: every membership exactly once.
  const pb = await b.context.newPage();
  await pb.goto(b.extensionUrl('options.html'));
  const status = (await callFromPage<{ pending: number; lastError: string | null }>(pb, 'sync.configure', { serverUrl: sync.url, token: sync.tokens.b! })).data!;
  expect(status.lastError).toBeNull();
  const exported = Papa.parse<Record<string, string>>((await downloadFrom(pb, 'Export CSV')).text.slice(1), { header: true, skipEmptyLines: true }).data;
  expect(exported).toHaveLength(seed.data.memberships.length);
  expect(new Set(exported.map((r) => r['Committee key']! + r['Contact key']!)).size).toBe(seed.data.memberships.length);
  const deal0 = await committeeFromPage(pb, key('opportunity', 0));
  expect(deal0.members.length).toBe(seed.data.memberships.filter((m) => m.committeeKey === key('opportunity', 0)).length);
});
