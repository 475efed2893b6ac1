import { describe, expect, it } from 'vitest';
import { backoffDelay, createSyncRunner, MutationGapError, type SyncTransport } from '../../entrypoints/background/sync';
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
