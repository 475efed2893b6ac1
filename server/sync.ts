/**
 * Push, pull and tombstone purge: the sync rules of PROTOCOL.md over the storage interface.
 * A push runs in one transaction that first locks the team's row, so a team's pushes are applied one at
 * a time and each commits before the next takes its version: a reader never sees version n+1 without n.
 */
import type { TableName, TableRow } from '../domain/model';
import { applyMutation, type Mutation } from '../domain/mutations';
import type { Db } from './db';
import type { ParsedPushRequest, PushResponse } from './protocol';

/** A push whose first new mutation id is not lastMutationId + 1. */
export class MutationGapError extends Error {
  constructor(
    readonly lastMutationId: number,
    readonly got: number,
  ) {
    super(`mutation ${got} does not follow the last applied mutation ${lastMutationId}; push from ${lastMutationId + 1}`);
  }
}

type AnyRow = TableRow[TableName];
const rowId = (table: string, key: string) => `${table}\u0000${key}`;

export async function push(db: Db, teamId: number, memberId: number, req: ParsedPushRequest): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    const [team] = await tx.query<{ version: string }>('SELECT version FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
    if (!team) throw new Error(`team ${teamId} vanished`);
    const [client] = await tx.query<{ last_mutation_id: string }>(
      'SELECT last_mutation_id FROM clients WHERE team_id = $1 AND client_id = $2',
      [teamId, req.clientId],
    );
    const last = Number(client?.last_mutation_id ?? 0);
    const fresh = req.mutations.filter((m) => m.id > last);
    const first = fresh[0];
    if (!first) return { lastMutationId: last, version: Number(team.version) };
    if (first.id !== last + 1) throw new MutationGapError(last, first.id);

    // Load the rows the batch touches with one query, apply in memory, write back with one upsert.
    const targets = new Map(fresh.map(({ mutation: m }) => [rowId(m.table, m.key), { tbl: m.table, key: m.key }]));
    const stored = await tx.query<{ tbl: string; key: string; row: AnyRow }>(
      `SELECT r.tbl, r.key, r.row FROM rows r
         JOIN jsonb_to_recordset($2::jsonb) AS x(tbl text, key text) ON r.tbl = x.tbl AND r.key = x.key
        WHERE r.team_id = $1`,
      [teamId, JSON.stringify([...targets.values()])],
    );
    const current = new Map<string, AnyRow>(stored.map((r) => [rowId(r.tbl, r.key), r.row]));
    const changed = new Map<string, { tbl: string; key: string; row: AnyRow }>();
    for (const { mutation } of fresh) {
      const id = rowId(mutation.table, mutation.key);
      const next = applyMutation(current.get(id), mutation as Mutation & { table: TableName });
      if (!next) continue;
      current.set(id, next);
      changed.set(id, { tbl: mutation.table, key: mutation.key, row: next });
    }

    let version = Number(team.version);
    if (changed.size > 0) {
      const [bumped] = await tx.query<{ version: string }>('UPDATE teams SET version = version + 1 WHERE id = $1 RETURNING version', [teamId]);
      version = Number(bumped!.version);
      await tx.query(
        `INSERT INTO rows (team_id, tbl, key, row, deleted, version, changed_at)
         SELECT $1, x.tbl, x.key, x.row, coalesce((x.row->>'deleted')::boolean, false), $2, now()
           FROM jsonb_to_recordset($3::jsonb) AS x(tbl text, key text, row jsonb)
         ON CONFLICT (team_id, tbl, key) DO UPDATE
            SET row = excluded.row, deleted = excluded.deleted, version = excluded.version, changed_at = excluded.changed_at`,
        [teamId, version, JSON.stringify([...changed.values()])],
      );
    }
    const lastMutationId = fresh[fresh.length - 1]!.id;
    await tx.query(
      `INSERT INTO clients (team_id, client_id, last_mutation_id, member_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team_id, client_id) DO UPDATE
          SET last_mutation_id = excluded.last_mutation_id, member_id = excluded.member_id, updated_at = now()`,
      [teamId, req.clientId, lastMutationId, memberId],
    );
    return { lastMutationId, version };
  });
}

/** A pull's page: `pullReplyJson` writes it out as the `PullResponse` JSON. */
export interface PullPage {
  /** The page's rows as `SyncedRow` JSON objects, comma-separated, in (version, table, key) order. */
  rowsJson: string;
  cursor: number;
  hasMore: boolean;
  reset: boolean;
}

/** The reply to a pull: a `PullResponse`. */
export function pullReplyJson(page: PullPage): string {
  return `{"rows":[${page.rowsJson}],"cursor":${page.cursor},"hasMore":${page.hasMore},"reset":${page.reset}}`;
}

// The page's rows, written out as JSON by the database in one value: each row's stored jsonb as it is
// written out once, beside its table, key and version. Read row by row and written out again in JavaScript,
// a 5,000-row page cost the service twice the time (PGlite hands each row over separately, parsed).
const PAGE_JSON = `SELECT max(version) AS top,
  coalesce(string_agg(format('{"table":%s,"key":%s,"row":%s,"version":%s}', to_json(tbl), to_json(key), row, version), ',' ORDER BY version, tbl, key), '') AS json
  FROM (SELECT tbl, key, row, version FROM rows WHERE team_id = $1 AND version > $2 AND version <= $3 ORDER BY version, tbl, key) page`;

/**
 * The rows changed after `cursor`, at least `limit` of them when there are that many, and always every
 * row of the last version in the page (a version holds at most one push, so a page has fewer than
 * limit + LIMITS.maxBatch rows). Read in one snapshot, so the purge horizon and the rows agree.
 */
export async function pull(db: Db, teamId: number, cursor: number, limit: number): Promise<PullPage> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    // Walk rows_team_version in order and stop at the limit. With statistics older than the rows (a bulk
    // push since the last ANALYZE; PGlite has no autovacuum at all) the planner guessed few rows, fetched
    // every row after the cursor and sorted them on disk: 2 s a page at 100,000 rows instead of 10 ms.
    await tx.query('SET LOCAL enable_sort = off');
    const [team] = await tx.query<{ purged_version: string }>('SELECT purged_version FROM teams WHERE id = $1', [teamId]);
    const reset = cursor > 0 && cursor < Number(team?.purged_version ?? 0);
    const after = reset ? 0 : cursor;
    // The version of the limit-th row: the page ends with it, whole, so the cursor never splits a version.
    const [edge] = await tx.query<{ version: string }>(`SELECT version FROM rows WHERE team_id = $1 AND version > $2 ORDER BY version, tbl, key OFFSET $3 LIMIT 1`, [
      teamId,
      after,
      limit - 1,
    ]);
    const last = edge ? Number(edge.version) : Number.MAX_SAFE_INTEGER;
    const [page] = await tx.query<{ top: string | null; json: string }>(PAGE_JSON, [teamId, after, last]);
    if (!edge) return { rowsJson: page!.json, cursor: page!.top === null ? after : Number(page!.top), hasMore: false, reset };
    const more = await tx.query(`SELECT 1 FROM rows WHERE team_id = $1 AND version > $2 LIMIT 1`, [teamId, last]);
    return { rowsJson: page!.json, cursor: last, hasMore: more.length > 0, reset };
  });
}

/**
 * Delete tombstones last changed before `before` and raise each team's purge horizon to the newest
 * version purged. One transaction per team, taking the team's lock first like a push does.
 */
export async function purgeTombstones(db: Db, before: Date): Promise<{ teamId: number; purged: number }[]> {
  const teams = await db.query<{ team_id: string }>('SELECT DISTINCT team_id FROM rows WHERE deleted AND changed_at < $1', [before.toISOString()]);
  const result: { teamId: number; purged: number }[] = [];
  for (const { team_id } of teams) {
    const teamId = Number(team_id);
    const purged = await db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
      const [gone] = await tx.query<{ n: string; v: string | null }>(
        `WITH gone AS (DELETE FROM rows WHERE team_id = $1 AND deleted AND changed_at < $2 RETURNING version)
         SELECT count(*) AS n, max(version) AS v FROM gone`,
        [teamId, before.toISOString()],
      );
      if (gone?.v != null)
        await tx.query('UPDATE teams SET purged_version = GREATEST(purged_version, $2) WHERE id = $1', [teamId, Number(gone.v)]);
      return Number(gone?.n ?? 0);
    });
    result.push({ teamId, purged });
  }
  return result;
}

export const DEFAULT_RETENTION_DAYS = 30;
/** The purge cut-off for a retention in days. */
export function retentionCutoff(days: number, now = Date.now()): Date {
  return new Date(now - days * 86_400_000);
}
