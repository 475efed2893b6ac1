/**
 * The storage interface of the sync service and its two drivers: PGlite (embedded Postgres, the default)
 * and node-postgres (when DATABASE_URL is set). Both run the same SQL. Migrations are the numbered files
 * in server/migrations/, applied once each and recorded in `schema_migrations`.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Queryable {
  /** One statement with $1… parameters; returns the rows. Pass JSON as a string and cast it (`$1::jsonb`). */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
}
export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Run fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A PGlite database: in memory without a directory. `schema` (tests) puts every table in that schema. */
export async function openPglite(dataDir?: string, schema?: string): Promise<Db> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const lite = await PGlite.create(dataDir);
    return pgliteDb(lite, release, schema);
  } catch (err) {
    release();
    throw err;
  }
}

/** Wrap an open PGlite instance (tests share one instance across schemas). */
export async function pgliteDb(lite: PGlite, release: () => void = () => {}, schema?: string): Promise<Db> {
  if (schema) await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}; SET search_path TO ${ident(schema)}`);
  const on = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R>(sql: string, params?: unknown[]) {
      return (await q.query<R>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    driver: 'pglite',
    ...on(lite),
    transaction: (fn) => lite.transaction((tx) => fn(on(tx))),
    async close() {
      await lite.close();
      release();
    },
  };
}

/** A node-postgres pool. `schema` (tests) puts every table in that schema. */
export async function openPostgres(connectionString: string, schema?: string): Promise<Db> {
  if (schema) {
    const setup = new pg.Client({ connectionString });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString,
    max: Number(process.env.PG_POOL_SIZE ?? 10),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', (err) => console.error(JSON.stringify({ level: 'error', msg: 'idle postgres client failed', error: err.message })));
  const on = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(sql: string, params?: unknown[]) {
      return (await q.query(sql, params)).rows as R[];
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    driver: 'postgres',
    ...on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The database the environment names: DATABASE_URL (Postgres), else PGlite in PGLITE_DIR or .data/pglite. */
export async function openDbFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Db> {
  const db = env.DATABASE_URL ? await openPostgres(env.DATABASE_URL) : await openPglite(resolve(env.PGLITE_DIR || '.data/pglite'));
  await migrate(db);
  return db;
}

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Apply the migrations not yet recorded, in number order, in one transaction (serialised across instances). */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<number[]> {
  const files = readdirSync(dir)
    .map((name) => ({ name, version: Number(/^(\d+)_.*\.sql$/.exec(name)?.[1]) }))
    .filter((f) => Number.isInteger(f.version))
    .sort((a, b) => a.version - b.version);
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7215431)`);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const f of files) {
      if (done.has(f.version)) continue;
      await tx.exec(readFileSync(join(dir, f.name), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [f.version, f.name]);
      applied.push(f.version);
    }
    return applied;
  });
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad schema name ${name}`);
  return name;
}

/**
 * PGlite is one process's database: a second process on the same directory would corrupt it. Hold a lock
 * file beside the directory while open; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dirname(dataDir), { recursive: true });
  const lock = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lock, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid))
        throw new Error(`PGlite data directory ${dataDir} is in use by process ${pid} (stop it first, or use DATABASE_URL)`);
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`cannot lock ${lock}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
