/**
 * HTTP transport to the team sync service (server/PROTOCOL.md). Every reply is validated before the
 * engine sees it: a server answering garbage, an error or nothing at all (timeout) loses nothing —
 * the outbox is kept and the cursor does not move.
 */
import { z } from 'zod';
import { validate } from '../../domain/validate';
import { TABLE_KEY, TABLE_PATCH, TABLES, timeMap, type TableName } from '../../domain/model';
import { errorBodySchema, meResponseSchema, pageEndFromHeaders, pullPath, pullResponseSchema, pushResponseSchema, syncedRowSchema, type MeResponse } from '../../server/protocol';

/** Replies larger than this are refused (a pull page is at most a few MB). */
const MAX_REPLY_CHARS = 64 * 1024 * 1024;
import { MutationGapError, type PageEnd, type PullPage, type PushRequest, type SyncTransport } from './sync';

export class SyncHttpError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

const rowMeta = z.looseObject({
  key: z.string(),
  updatedAt: z.number(),
  changed: timeMap,
  deleted: z.boolean().optional(),
});

/** Each table's fields, others allowed (built once: a zod schema costs far more to create than to run). */
const rowFields = new Map<TableName, z.ZodType>(TABLES.map((t) => [t, TABLE_PATCH[t].loose()]));

/** A pulled row must be a well-formed row of its table: colleagues' data is untrusted. */
const pulledRow = syncedRowSchema.superRefine((r, ctx) => {
  if (!validate(TABLE_KEY[r.table], r.key).success) ctx.addIssue({ code: 'custom', path: ['key'], message: 'not a key of its table' });
  const meta = validate(rowMeta, r.row);
  if (!meta.success || meta.data.key !== r.key) ctx.addIssue({ code: 'custom', path: ['row'], message: 'not a row' });
  if (r.row.deleted) return; // tombstones may carry cleared fields
  const fields = validate(rowFields.get(r.table)!, r.row);
  if (!fields.success) ctx.addIssue({ code: 'custom', path: ['row'], message: fields.error.issues[0]?.message ?? 'bad fields' });
});
const pullReply = pullResponseSchema.extend({ rows: z.array(pulledRow) });

export function normalizeServerUrl(url: string): string {
  const u = new URL(url.trim());
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)))
    throw new Error('The server URL must use https (http only for localhost).');
  return u.origin + u.pathname.replace(/\/+$/, '');
}

export function httpTransport(serverUrl: string, token: string, timeoutMs: number, fetchImpl: typeof fetch = fetch) {
  const base = normalizeServerUrl(serverUrl);

  /** `onHeaders` sees a successful reply's headers before its body is read. */
  async function request<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown, onHeaders?: (headers: Headers) => void): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(base + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new SyncHttpError(timedOut ? `The sync server did not answer within ${Math.round(timeoutMs / 1000)} s.` : `The sync server cannot be reached (${(error as Error).message}).`);
    }
    if (res.ok) onHeaders?.(res.headers);
    const text = await res.text().catch(() => '');
    if (text.length > MAX_REPLY_CHARS) throw new SyncHttpError(`The sync server's reply is too large (${text.length} characters).`, res.status);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncHttpError(`The sync server answered ${res.status} with something that is not JSON.`, res.status);
    }
    if (!res.ok) {
      const err = errorBodySchema.safeParse(json);
      if (res.status === 409 && err.success && err.data.error.lastMutationId !== undefined) throw new MutationGapError(err.data.error.lastMutationId);
      const detail = err.success ? err.data.error.message : 'no details';
      const hint = res.status === 401 ? ' (check the access token)' : res.status === 403 ? ' (this token has no access to that team)' : '';
      throw new SyncHttpError(`The sync server answered ${res.status}${hint}: ${detail}`, res.status);
    }
    const parsed = validate(schema, json);
    if (!parsed.success) throw new SyncHttpError(`The sync server's reply is malformed (${parsed.error.issues[0]?.path.join('.') || 'body'}: ${parsed.error.issues[0]?.message}).`, res.status);
    return parsed.data;
  }

  const transport: SyncTransport & { me(): Promise<MeResponse> } = {
    push: (req: PushRequest) => request('POST', '/v1/push', pushResponseSchema, req),
    async pull(cursor, limit, onEnd) {
      const told: { end?: PageEnd } = {};
      const page = (await request('GET', pullPath(cursor, limit), pullReply, undefined, (headers) => {
        told.end = pageEndFromHeaders((name) => headers.get(name)) ?? undefined;
        if (told.end) onEnd?.(told.end);
      })) as unknown as PullPage;
      // The next page may already be asked for from the headers: they must say what the rows say.
      if (told.end && (told.end.cursor !== page.cursor || told.end.hasMore !== page.hasMore))
        throw new SyncHttpError(
          `The sync server's reply disagrees with itself: its headers say cursor ${told.end.cursor}${told.end.hasMore ? ', more to come' : ', the last page'}; its body cursor ${page.cursor}${page.hasMore ? ', more to come' : ', the last page'}.`,
        );
      return page;
    },
    me: () => request('GET', '/v1/me', meResponseSchema),
  };
  return transport;
}
