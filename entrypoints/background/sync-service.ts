/** Sync as the background runs it: its configuration, its triggers and the status the views show. */
import type { TableName } from '../../domain/model';
import type { SyncStatus } from '../../domain/protocol';
import type { CommitteeDb } from '../../storage/db';
import { CURSOR } from '../../storage/sync';
import { getMeta, setMeta } from '../../storage/writes';
import { createSyncRunner } from './sync';
import { httpTransport, normalizeServerUrl } from './transport';

export interface SyncConfig {
  serverUrl: string;
  token: string;
}
const CONFIG = 'syncConfig';
/** How long one request may take before it is abandoned and retried later. */
export const REQUEST_TIMEOUT = 'syncRequestTimeoutMs';
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Local writes are pushed this long after the last one (debounce). */
export const PUSH_DEBOUNCE_MS = 1500;

export function createSyncService(deps: {
  db: CommitteeDb;
  now: () => number;
  broadcast: (tables: TableName[], keys: string[]) => void;
  fetch?: typeof fetch;
}) {
  const { db } = deps;
  const config = () => getMeta<SyncConfig>(db, CONFIG, { serverUrl: '', token: '' });
  const transportFor = async (c: SyncConfig) =>
    httpTransport(c.serverUrl, c.token, await getMeta(db, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT_MS), deps.fetch ?? ((...a) => fetch(...a)));
  const runner = createSyncRunner({
    db,
    now: deps.now,
    transport: async () => {
      const c = await config();
      return c.serverUrl && c.token ? transportFor(c) : null;
    },
    onPulled: deps.broadcast,
    onStatus: () => deps.broadcast([], ['sync']),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function status(): Promise<SyncStatus> {
    const c = await config();
    return runner.status(c.serverUrl, !!(c.serverUrl && c.token));
  }

  return {
    status,
    /** After a local write: push soon, once writes pause. */
    schedule(delay = PUSH_DEBOUNCE_MS) {
      clearTimeout(timer);
      timer = setTimeout(() => void runner.run(), delay);
    },
    /** From the alarm and at start-up: respects the backoff. */
    tick: () => runner.run(false),
    async syncNow(): Promise<SyncStatus> {
      await runner.run(true);
      return status();
    },
    async configure(next: SyncConfig): Promise<SyncStatus> {
      const serverUrl = next.serverUrl ? normalizeServerUrl(next.serverUrl) : '';
      const before = await config();
      await setMeta(db, CONFIG, { serverUrl, token: next.token });
      // Another server means another team history: pull it from the start.
      if (serverUrl !== before.serverUrl) await setMeta(db, CURSOR, 0);
      await runner.resetState();
      if (serverUrl && next.token) await runner.run(true);
      deps.broadcast([], ['sync']);
      return status();
    },
    /** Check a URL and token without saving them: who does the server say we are? */
    async test(c: SyncConfig): Promise<{ team: string; member: string }> {
      const me = await (await transportFor({ serverUrl: c.serverUrl, token: c.token })).me();
      return { team: me.team.name, member: me.member.name };
    },
  };
}
export type SyncService = ReturnType<typeof createSyncService>;
