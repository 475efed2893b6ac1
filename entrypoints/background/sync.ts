/**
 * The background sync engine: push the outbox in batches, then pull the team's changes after our
 * cursor. Runs after local writes (debounced), on a one-minute alarm and at browser start, with
 * exponential backoff and jitter after failures. Every step is a short transaction; nothing is
 * acknowledged or advanced before the server (push) or the local store (pull) has it.
 */
import type { Mutation } from '../../domain/mutations';
import type { TableName } from '../../domain/model';
import type { SyncRun, SyncStatus } from '../../domain/protocol';
import type { CommitteeDb } from '../../storage/db';
import { getCursor, storePulled, type PulledRow } from '../../storage/sync';
import { acknowledge, pendingCount, readPushBatch } from '../../storage/outbox';
import { OUTBOX_RUN } from '../../storage/db';
import { changedKeys, getMeta, setMeta } from '../../storage/writes';

export interface PushRequest {
  clientId: string;
  mutations: { id: number; mutation: Mutation }[];
}
export interface PullPage {
  rows: PulledRow[];
  cursor: number;
  hasMore: boolean;
  reset?: boolean;
}
/** Where a page ends: its cursor, and whether more pages follow. */
export type PageEnd = Pick<PullPage, 'cursor' | 'hasMore'>;
export interface SyncTransport {
  push(request: PushRequest): Promise<{ lastMutationId: number }>;
  /** `onEnd` is told where the page ends as soon as that is known, when before its rows (from the reply's headers). */
  pull(cursor: number, limit: number, onEnd?: (end: PageEnd) => void): Promise<PullPage>;
}

/** The server refused a push because it has applied mutations only up to `lastMutationId`. */
export class MutationGapError extends Error {
  constructor(readonly lastMutationId: number) {
    super(`the server has mutations only up to ${lastMutationId}`);
  }
}

/** What the worker keeps of its syncing (the status the views see adds the settings and the outbox's size). */
export type SyncState = Omit<SyncStatus, 'configured' | 'serverUrl' | 'pending'>;
export const SYNC_STATE = 'syncState';
export const INITIAL_SYNC_STATE: SyncState = { lastSyncAt: null, lastAttemptAt: null, lastError: null, failures: 0, nextAttemptAt: 0, lastRun: null };

/** One outbox run per push (imports queue their mutations in runs of this size). */
export const PUSH_BATCH = OUTBOX_RUN;
/** Rows per pull page: the service's largest (fewer round trips and transactions for a first sync). */
export const PULL_PAGE = 5000;
/**
 * Pulled rows stored in one transaction: four pages. Fewer, larger writes rewrite each account's record
 * less often; larger still would hold the store (and the panel's reads) for seconds at a time.
 */
export const PULL_BATCH = 4 * PULL_PAGE;

/** Delay before the next attempt after `failures` failures in a row: 2^n seconds, capped at 5 minutes, ±50 % jitter. */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 1000 * 2 ** Math.min(failures, 16));
  return Math.round(base * (0.5 + random()));
}

/**
 * The pages after `cursor`, asked for one after another (each request needs the cursor of the page
 * before) and read ahead of the caller, up to `aheadRows` rows waiting (a page not yet here counts as
 * full). The next page is asked for as soon as the transport says where this one ends: from a reply's
 * headers that is before its rows have come and been checked, so the service makes one page while the
 * worker reads the other. `next()` gives the pages in order, null after the last, and throws a failed
 * request's error once the pages before it are taken.
 */
export function readAhead(transport: SyncTransport, cursor: number, aheadRows: number): { next(): Promise<PullPage | null>; stop(): void } {
  const waiting: { page: Promise<PullPage>; rows?: number }[] = [];
  const waitingRows = () => waiting.reduce((n, w) => n + (w.rows ?? PULL_PAGE), 0);
  let ended = false;
  let stopped = false;
  let wakers: (() => void)[] = [];
  const changed = () => new Promise<void>((resolve) => wakers.push(resolve));
  const wake = () => {
    const all = wakers;
    wakers = [];
    for (const w of all) w();
  };
  void (async () => {
    let at = cursor;
    try {
      while (!stopped) {
        if (waitingRows() >= aheadRows) {
          await changed();
          continue;
        }
        let toldEnd: (end: PageEnd) => void = () => {};
        const told = new Promise<PageEnd>((resolve) => (toldEnd = resolve));
        const entry: (typeof waiting)[number] = { page: transport.pull(at, PULL_PAGE, toldEnd) };
        // A failure is thrown by next(), in its turn; until then it is only noted.
        entry.page.then((page) => (entry.rows = page.rows.length), () => (entry.rows = 0)).finally(wake);
        waiting.push(entry);
        wake();
        const end = await Promise.race([told, entry.page]);
        if (stopped || !end.hasMore || end.cursor === at) break;
        at = end.cursor;
      }
    } catch {
      // The failed page waits in its place: next() throws its error once the pages before it are taken.
    }
    ended = true;
    wake();
  })();
  return {
    async next() {
      for (;;) {
        const entry = waiting.shift();
        if (entry) {
          wake();
          return entry.page;
        }
        if (ended) return null;
        await changed();
      }
    },
    stop() {
      stopped = true;
      wake();
    },
  };
}

/** One full sync: push everything pending, then pull until up to date. Returns what changed locally. */
export async function syncOnce(
  db: CommitteeDb,
  transport: SyncTransport,
  onPulled: (rows: PulledRow[]) => void = () => {},
  batchRows = PULL_BATCH,
): Promise<SyncRun> {
  const started = performance.now();
  let pushed = 0;
  for (;;) {
    const { clientId, entries } = await readPushBatch(db, PUSH_BATCH);
    if (entries.length === 0) break;
    let last: number;
    try {
      ({ lastMutationId: last } = await transport.push({ clientId, mutations: entries.map((e) => ({ id: e.mutationId, mutation: e.mutation })) }));
    } catch (error) {
      if (!(error instanceof MutationGapError)) throw error;
      last = error.lastMutationId;
      if (last < entries[0]!.mutationId - 1)
        throw new Error(`Sync cannot continue: the server expects mutation ${last + 1} but the oldest one here is ${entries[0]!.mutationId}.`);
    }
    const done = await acknowledge(db, last);
    pushed += done;
    if (done === 0) throw new Error('The sync server acknowledged none of the pushed changes.');
  }

  const pushMs = performance.now() - started;
  let pulled = 0;
  let cursor = await getCursor(db);
  // Pages are stored a few at a time (`batchRows` rows): an account's record is then written once for its
  // people, the account and its deals, not once per page that brings some of them. The next batch's pages
  // are asked for while one is stored: the service and IndexedDB work side by side.
  const pages = readAhead(transport, cursor, batchRows);
  let batch: PulledRow[] = [];
  let reset = false;
  let unstored = false;
  const store = async () => {
    const stored = await storePulled(db, batch, cursor, reset);
    batch = [];
    reset = false;
    unstored = false;
    pulled += stored.length;
    if (stored.length) onPulled(stored);
  };
  try {
    for (;;) {
      let page: PullPage | null;
      try {
        page = await pages.next();
      } catch (error) {
        // The pages already here are kept: the next sync goes on after them.
        if (unstored) await store();
        throw error;
      }
      if (!page) break;
      // With `reset`, our cursor is older than the server keeps tombstones: the page starts a full
      // resync from 0, so the rows we hold from the server are dropped first (the outbox is kept).
      if (page.reset) {
        if (unstored) await store();
        reset = true;
      }
      for (const row of page.rows) batch.push(row);
      cursor = page.cursor;
      unstored = true;
      if (batch.length >= batchRows) await store();
    }
    if (unstored) await store();
  } finally {
    // A failed store drops what was read ahead, unread: the next sync asks again from the stored cursor.
    pages.stop();
  }
  return { pushed, pulled, pushMs: Math.round(pushMs), pullMs: Math.round(performance.now() - started - pushMs) };
}


/**
 * Runs syncs one at a time and records their outcome. `transport()` returns null when sync is not
 * configured (the product works fully without a server).
 */
export function createSyncRunner(deps: {
  db: CommitteeDb;
  transport: () => Promise<SyncTransport | null>;
  now: () => number;
  onPulled: (tables: TableName[], keys: string[]) => void;
  onStatus: () => void;
}) {
  let running: Promise<void> | null = null;
  let again = false;

  async function state(): Promise<SyncState> {
    return { ...INITIAL_SYNC_STATE, ...(await getMeta<Partial<SyncState>>(deps.db, SYNC_STATE, {})) };
  }

  async function runOnce(force: boolean): Promise<void> {
    const transport = await deps.transport();
    if (!transport) return;
    const before = await state();
    if (!force && before.nextAttemptAt > deps.now()) return;
    const attemptAt = deps.now();
    try {
      const lastRun = await syncOnce(deps.db, transport, (rows) =>
        deps.onPulled([...new Set(rows.map((r) => r.table))], changedKeys(rows)),
      );
      await setMeta(deps.db, SYNC_STATE, { ...before, lastSyncAt: deps.now(), lastAttemptAt: attemptAt, lastError: null, failures: 0, nextAttemptAt: 0, lastRun: lastRun.pushed || lastRun.pulled ? lastRun : before.lastRun });
    } catch (error) {
      const failures = before.failures + 1;
      await setMeta(deps.db, SYNC_STATE, {
        ...before,
        lastAttemptAt: attemptAt,
        lastError: error instanceof Error ? error.message : String(error),
        failures,
        nextAttemptAt: deps.now() + backoffDelay(failures),
      });
    }
    deps.onStatus();
  }

  return {
    /** Sync now (or right after the running sync); `force` ignores the backoff. */
    run(force = false): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await runOnce(force);
        } while (again);
      })().finally(() => (running = null));
      return running;
    },
    async status(serverUrl: string, configured: boolean): Promise<SyncStatus> {
      return { ...(await state()), pending: await pendingCount(deps.db), serverUrl, configured };
    },
    async resetState(): Promise<void> {
      await setMeta(deps.db, SYNC_STATE, INITIAL_SYNC_STATE);
    },
  };
}
