/**
 * The team sync protocol, version 1: request and response schemas shared by the sync service and the
 * extension's sync engine. Pure: zod and domain/ only, no node or browser API. Prose: server/PROTOCOL.md.
 */
import { z } from 'zod';
import { isPlainObject, TABLES, type TableName } from '../domain/model';
import { mutationSchema } from '../domain/mutations';

export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  /** Largest request body in bytes (413 `payload_too_large` above it). */
  maxBodyBytes: 5 * 1024 * 1024,
  /** Most mutations in one push (413 `batch_too_large` above it). */
  maxBatch: 1000,
  /** Rows per pull page when `limit` is not given, and the largest `limit` accepted. */
  defaultPullLimit: 1000,
  maxPullLimit: 5000,
} as const;

/** A client (one browser profile's extension install) names itself with a random id it keeps. */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId: 8 to 64 of A-Z a-z 0-9 _ -');
/** A client's mutation ids start at 1 and grow by one per mutation. */
export const mutationIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().nonnegative();

export const pushRequestSchema = z
  .strictObject({
    clientId: clientIdSchema,
    mutations: z.array(z.strictObject({ id: mutationIdSchema, mutation: mutationSchema })),
  })
  .superRefine((push, ctx) => {
    push.mutations.forEach((m, i) => {
      const prev = push.mutations[i - 1];
      if (prev && m.id !== prev.id + 1)
        ctx.addIssue({ code: 'custom', path: ['mutations', i, 'id'], message: `ids must be consecutive: expected ${prev.id + 1}` });
    });
  });
export type PushRequest = z.input<typeof pushRequestSchema>;
export type ParsedPushRequest = z.output<typeof pushRequestSchema>;

export const pushResponseSchema = z.strictObject({
  /** The highest mutation id of this client the server has applied (0 before the first). */
  lastMutationId: count,
  /** The team's version after this push. */
  version: count,
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

const decimal = (name: string) => z.string().regex(/^\d{1,15}$/, `${name}: a non-negative integer`).transform(Number);
/** The query string of `GET /v1/pull`, as the server reads it. */
export const pullQuerySchema = z.object({
  cursor: decimal('cursor').default(0),
  limit: decimal('limit')
    .pipe(z.number().min(1).max(LIMITS.maxPullLimit))
    .default(LIMITS.defaultPullLimit),
});

export const syncedRowSchema = z.strictObject({
  table: z.enum(TABLES as [TableName, ...TableName[]]),
  key: z.string(),
  /** The whole row as domain/model.ts types it; `deleted: true` is a tombstone. */
  row: z.custom<Record<string, unknown>>(isPlainObject, 'expected an object'),
  /** The team version that last changed this row. */
  version: count,
});
export type SyncedRow = z.infer<typeof syncedRowSchema>;

export const pullResponseSchema = z.strictObject({
  /** Rows changed after the cursor, ordered by (version, table, key); every version is complete. */
  rows: z.array(syncedRowSchema),
  /** Pass this back as `cursor` for the next page; store it once the page is applied. */
  cursor: count,
  hasMore: z.boolean(),
  /** true: the cursor was older than the tombstone horizon; drop every server row you hold, then apply this page (which starts from 0). */
  reset: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const meResponseSchema = z.strictObject({
  team: z.strictObject({ id: count, name: z.string() }),
  member: z.strictObject({ id: count, name: z.string() }),
  version: count,
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const healthResponseSchema = z.strictObject({ ok: z.literal(true), protocol: z.literal(PROTOCOL_VERSION) });

export const ERROR_CODES = [
  'invalid_json',
  'invalid_request',
  'unauthorized',
  'payload_too_large',
  'batch_too_large',
  'mutation_gap',
  'not_found',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const issueSchema = z.strictObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    issues: z.array(issueSchema).optional(),
    /** With `mutation_gap`: the last mutation id the server has applied for this client. */
    lastMutationId: count.optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The path and query of a pull request. */
export function pullPath(cursor: number, limit?: number): string {
  return `/v1/pull?cursor=${cursor}` + (limit === undefined ? '' : `&limit=${limit}`);
}

/**
 * A pull reply's headers repeat its page's `cursor` and `hasMore`, so a client can ask for the next page
 * as soon as the headers arrive, while this page's rows are still coming and being read.
 */
export const PAGE_END_HEADERS = { cursor: 'Sync-Cursor', hasMore: 'Sync-Has-More' } as const;

/** The page's end from a pull reply's headers, or null when they are missing or malformed (the body's then decides). */
export function pageEndFromHeaders(get: (name: string) => string | null): { cursor: number; hasMore: boolean } | null {
  const cursor = get(PAGE_END_HEADERS.cursor);
  const hasMore = get(PAGE_END_HEADERS.hasMore);
  if (cursor === null || !/^\d{1,15}$/.test(cursor) || (hasMore !== 'true' && hasMore !== 'false')) return null;
  return { cursor: Number(cursor), hasMore: hasMore === 'true' };
}
