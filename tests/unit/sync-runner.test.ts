import { describe, expect, it } from 'vitest';
import { backoffDelay, createSyncRunner, MutationGapError, PULL_PAGE, readAhead, syncOnce, type PullPage, type SyncTransport } from '../../entrypoints/background/sync';
import { emptyContact } from '../../domain/model';
import { getCursor } from '../../storage/sync';
import { rowTable } from '../../storage/tables';
import { openDb } from '../../storage/db';
import { commit } from '../../storage/writes';
import { sfKey } from './helpers/keys';
import { pendingCount } from '../../storage/outbox';

describe('backoff', () => {
  it.each([
    [1, 0, 1000],
    [1, 0.999, 2998],
    [3, 0.5, 8000],
    [20, 0.5, 300_000],
  ])('after %i failures with jitter %f waits %i ms', (failures, random, ms) => {
    expect(backoffDelay(failures, () => random)).toBe(ms);
  });
});

describe('sync runner', () => {
  it('records failures with backoff, skips attempts until then, and clears them on success', async () => {
    const db = openDb(`runner-${crypto.randomUUID()}`);
    await commit(db, [{ name: 'put', table: 'contacts', key: sfKey('contact', 1), fields: { name: 'A' }, at: 1 }]);
    let now = 1_000_000;
    let broken = true;
    let calls = 0;
    const transport: SyncTransport = {
      async push(req) {
        calls++;
        if (broken) throw new Error('server down');
        return { lastMutationId: req.mutations.at(-1)!.id };
      },
      async pull() {
        return { rows: [], cursor: 0, hasMore: false };
      },
    };
    const runner = createSyncRunner({ db, transport: async () => transport, now: () => now, onPulled: () => {}, onStatus: () => {} });
    await runner.run();
    let s = await runner.status('u', true);
    expect(s).toMatchObject({ failures: 1, lastError: 'server down', pending: 1, lastSyncAt: null });
    expect(s.nextAttemptAt).toBeGreaterThan(now);
    await runner.run(); // still backing off: no attempt
    expect(calls).toBe(1);
    broken = false;
    now = s.nextAttemptAt + 1;
    await runner.run();
    s = await runner.status('u', true);
    expect(s).toMatchObject({ failures: 0, lastError: null, pending: 0, lastSyncAt: now });
    expect(s.lastRun).toMatchObject({ pushed: 1, pulled: 0 });
    expect(s.lastRun!.pushMs).toBeGreaterThanOrEqual(0);
  });

  it('a gap the server reports acknowledges what it already has', async () => {
    const db = openDb(`runner-${crypto.randomUUID()}`);
    await commit(db, [{ name: 'put', table: 'contacts', key: sfKey('contact', 1), fields: { name: 'A' }, at: 1 }]);
    await commit(db, [{ name: 'put', table: 'contacts', key: sfKey('contact', 1), fields: { name: 'B' }, at: 2 }]);
    const seen: number[][] = [];
    const transport: SyncTransport = {
      async push(req) {
        seen.push(req.mutations.map((m) => m.id));
        if (seen.length === 1) throw new MutationGapError(2);
        return { lastMutationId: 2 };
      },
      async pull() {
        return { rows: [], cursor: 0, hasMore: false };
      },
    };
    const runner = createSyncRunner({ db, transport: async () => transport, now: () => 1, onPulled: () => {}, onStatus: () => {} });
    await runner.run(true);
    expect(await pendingCount(db)).toBe(0);
  });
});

describe('pull read-ahead', () => {
  // Six pages of two people each, served at once from memory: what is asked for before a store shows the read-ahead.
  const people = Array.from({ length: 12 }, (_, i) => ({ ...emptyContact(sfKey('contact', i + 1)), name: `P${i + 1}`, updatedAt: 1 }));
  const pageAt = (cursor: number) => ({ rows: people.slice(cursor, cursor + 2).map((row, i) => ({ table: 'contacts' as const, key: row.key, row, version: cursor + i + 1 })), cursor: cursor + 2, hasMore: cursor + 2 < people.length });

  it('asks for the next batch of pages while one is stored, up to a batch ahead', async () => {
    const db = openDb(`ahead-${crypto.randomUUID()}`);
    const log: string[] = [];
    const transport: SyncTransport = { push: async () => ({ lastMutationId: 0 }), pull: async (cursor) => (log.push(`pull ${cursor}`), pageAt(cursor)) };
    db.accountGroups.hook('creating', () => void log.push('store'));
    const run = await syncOnce(db, transport, undefined, 4);
    // Batches of two pages: while the first is stored, the two pages after it are asked for (before, one).
    expect(log.slice(0, 5)).toEqual(['pull 0', 'pull 2', 'pull 4', 'pull 6', 'store']);
    expect(log.filter((l) => l.startsWith('pull'))).toEqual([0, 2, 4, 6, 8, 10].map((c) => `pull ${c}`));
    expect(run.pulled).toBe(12);
    expect(await getCursor(db)).toBe(12);
    expect((await rowTable(db, 'contacts').toArray()).map((c) => c.name).sort()).toEqual(people.map((p) => p.name).sort());
  });

  it('stops asking once a store fails, and a failed request ends the pages after those already read', async () => {
    const db = openDb(`ahead-${crypto.randomUUID()}`);
    let asked = 0;
    const transport: SyncTransport = { push: async () => ({ lastMutationId: 0 }), pull: async (cursor) => (asked++, pageAt(cursor)) };
    const failing = () => {
      throw new Error('disk full');
    };
    db.accountGroups.hook('creating', failing);
    await expect(syncOnce(db, transport, undefined, 4)).rejects.toThrow(/disk full/);
    expect(asked).toBe(4); // the first batch and the one read ahead; nothing after the failure
    expect(await getCursor(db)).toBe(0);

    const pages = readAhead({ push: transport.push, pull: async (cursor) => (cursor === 4 ? Promise.reject(new Error('reset by peer')) : pageAt(cursor)) }, 0, 100);
    expect((await pages.next())?.cursor).toBe(2);
    expect((await pages.next())?.cursor).toBe(4);
    await expect(pages.next()).rejects.toThrow(/reset by peer/);
  });

  /** A transport that tells each page's end at once (its headers) and gives its rows only when released. */
  function heldRows(failRowsAt?: number) {
    const log: string[] = [];
    const held: (() => void)[] = [];
    const transport: SyncTransport = {
      push: async () => ({ lastMutationId: 0 }),
      pull: (cursor, _limit, onEnd) => {
        log.push(`pull ${cursor}`);
        const page = pageAt(cursor);
        onEnd?.({ cursor: page.cursor, hasMore: page.hasMore });
        return new Promise<PullPage>((resolve, reject) =>
          held.push(() => {
            log.push(`rows ${cursor}`);
            if (cursor === failRowsAt) reject(new Error('connection reset mid-page'));
            else resolve(page);
          }),
        );
      },
    };
    const settle = () => new Promise((r) => setTimeout(r, 0));
    return { log, transport, settle, release: async () => (held.shift()?.(), settle()) };
  }

  it("asks for the next page as soon as a page's end is told, before its rows have come, up to the rows allowed ahead", async () => {
    const { log, transport, settle, release } = heldRows();
    const pages = readAhead(transport, 0, 3 * PULL_PAGE);
    await settle();
    // Three pages asked for and none of their rows here: a page not here yet counts as a full one.
    expect(log).toEqual(['pull 0', 'pull 2', 'pull 4']);
    await release();
    // Page 0's two rows are here: room for one more page.
    expect(log).toEqual(['pull 0', 'pull 2', 'pull 4', 'rows 0', 'pull 6']);
    const cursors: number[] = [];
    for (;;) {
      await release();
      const page = await Promise.race([pages.next(), settle().then(() => 'waiting' as const)]);
      if (page === 'waiting') continue;
      if (!page) break;
      cursors.push(page.cursor);
    }
    expect(cursors).toEqual([2, 4, 6, 8, 10, 12]);
    expect(log.filter((l) => l.startsWith('pull'))).toEqual([0, 2, 4, 6, 8, 10].map((c) => `pull ${c}`));
  });

  it('a page whose rows fail after its end was told: the sync stores the pages before it and none after', async () => {
    const { log, transport, release } = heldRows(2);
    const db = openDb(`ahead-${crypto.randomUUID()}`);
    let done = false;
    const sync = syncOnce(db, transport, undefined, 3 * PULL_PAGE).finally(() => (done = true));
    const failed = expect(sync).rejects.toThrow(/connection reset mid-page/);
    while (!done) await release();
    await failed;
    expect(log).toContain('pull 4');
    expect(log.indexOf('pull 4')).toBeLessThan(log.indexOf('rows 2')); // asked for before page 2's rows failed
    expect(await getCursor(db)).toBe(2);
    expect((await rowTable(db, 'contacts').toArray()).map((c) => c.name).sort()).toEqual(['P1', 'P2']);
  });
});
