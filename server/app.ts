/**
 * The HTTP face of the sync service (Hono). Stateless: every request authenticates with its bearer token
 * and every query is scoped by the token's team, so any number of instances can share one database.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { z } from 'zod';
import type { Db } from './db';
import {
  LIMITS,
  PAGE_END_HEADERS,
  PROTOCOL_VERSION,
  pullQuerySchema,
  pushRequestSchema,
  type ErrorBody,
  type ErrorCode,
  type MeResponse,
} from './protocol';
import { MutationGapError, pull, pullReplyJson, push } from './sync';
import { memberByToken, type Member } from './teams';

export type LogLine = Record<string, unknown>;
export interface AppOptions {
  limits?: Partial<typeof LIMITS>;
  /** Receives one structured line per request (default: JSON on stdout). Never given a token. */
  log?: (line: LogLine) => void;
}

type Env = { Variables: { member: Member } };
type Status = 400 | 401 | 404 | 409 | 413 | 500;

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[A-Za-z0-9._-]+$/;

function fail(c: Context, status: Status, code: ErrorCode, message: string, extra: Omit<ErrorBody['error'], 'code' | 'message'> = {}) {
  return c.json({ error: { code, message, ...extra } } satisfies ErrorBody, status);
}
function invalid(c: Context, error: z.ZodError, message = 'the request does not match the protocol') {
  const issues = error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
  return fail(c, 400, 'invalid_request', message, { issues });
}

/**
 * Replies larger than this go compressed to clients that accept it. A pull page's JSON repeats its keys
 * and field names: 5,000 rows are 4.7 MB as text, 115 KB as Brotli (quality 1, 2 ms) and 157 KB as gzip
 * (level 1, 6 ms). The fastest settings: the bytes saved are already most of them.
 */
const COMPRESS_ABOVE = 8 * 1024;
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Compressed off the event loop (zlib's thread pool), so other requests go on meanwhile. */
const ENCODERS = {
  br: (data: Buffer) => brotliAsync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  gzip: (data: Buffer) => gzipAsync(data, { level: 1 }),
};

/** The encoding to send, from an Accept-Encoding header: Brotli, else gzip, never one given q=0. */
function chooseEncoding(header: string | undefined): keyof typeof ENCODERS | null {
  const accepted = new Set<string>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) accepted.add(name);
  }
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : null;
}

/** A JSON reply, compressed when it is large and the client accepts an encoding we have. */
async function jsonReply(c: Context, json: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', vary: 'Accept-Encoding', ...extra };
  const encoding = json.length > COMPRESS_ABOVE ? chooseEncoding(c.req.header('Accept-Encoding')) : null;
  if (!encoding) return c.body(json, 200, headers);
  const body = await ENCODERS[encoding](Buffer.from(json));
  return c.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 200, { ...headers, 'content-encoding': encoding });
}

export function createApp(db: Db, options: AppOptions = {}) {
  const limits = { ...LIMITS, ...options.limits };
  const log = options.log ?? ((line: LogLine) => console.log(JSON.stringify(line)));
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    log({
      time: new Date().toISOString(),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      team: c.get('member')?.teamId ?? null,
    });
  });
  app.use(
    '*',
    cors({
      origin: (origin) => (EXTENSION_ORIGIN.test(origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: [PAGE_END_HEADERS.cursor, PAGE_END_HEADERS.hasMore],
      maxAge: 600,
    }),
  );

  app.get('/v1/health', async (c) => {
    await db.query('SELECT 1');
    return c.json({ ok: true as const, protocol: PROTOCOL_VERSION });
  });

  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header)?.[1];
    const member = token ? await memberByToken(db, token) : null;
    if (!member) return fail(c, 401, 'unauthorized', 'a valid bearer token is required');
    c.set('member', member);
    await next();
  });

  app.get('/v1/me', async (c) => {
    const m = c.get('member');
    const [team] = await db.query<{ version: string }>('SELECT version FROM teams WHERE id = $1', [m.teamId]);
    return c.json({
      team: { id: m.teamId, name: m.teamName },
      member: { id: m.memberId, name: m.memberName },
      version: Number(team?.version ?? 0),
    } satisfies MeResponse);
  });

  app.post(
    '/v1/push',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) => fail(c, 413, 'payload_too_large', `the body is larger than ${limits.maxBodyBytes} bytes`),
    }),
    async (c) => {
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (err) {
        return fail(c, 400, 'invalid_json', `the body is not JSON: ${(err as Error).message}`);
      }
      const size = (body as { mutations?: unknown } | null)?.mutations;
      if (Array.isArray(size) && size.length > limits.maxBatch)
        return fail(c, 413, 'batch_too_large', `at most ${limits.maxBatch} mutations per push, got ${size.length}`);
      const parsed = pushRequestSchema.safeParse(body);
      if (!parsed.success) return invalid(c, parsed.error);
      const m = c.get('member');
      try {
        return c.json(await push(db, m.teamId, m.memberId, parsed.data));
      } catch (err) {
        if (err instanceof MutationGapError) return fail(c, 409, 'mutation_gap', err.message, { lastMutationId: err.lastMutationId });
        throw err;
      }
    },
  );

  app.get('/v1/pull', async (c) => {
    const parsed = pullQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return invalid(c, parsed.error, 'bad pull query');
    const page = await pull(db, c.get('member').teamId, parsed.data.cursor, parsed.data.limit);
    // The page's end also in its headers: the client asks for the next page before it has read this one.
    return jsonReply(c, pullReplyJson(page), {
      [PAGE_END_HEADERS.cursor]: String(page.cursor),
      [PAGE_END_HEADERS.hasMore]: String(page.hasMore),
    });
  });

  app.notFound((c) => fail(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    log({ time: new Date().toISOString(), level: 'error', method: c.req.method, path: c.req.path, error: err.message });
    return fail(c, 500, 'internal', 'internal error');
  });
  return app;
}
