/**
 * Run the team sync service: `npm run server`. Environment: PORT (8787), HOST (127.0.0.1), DATABASE_URL
 * (Postgres; else PGlite in PGLITE_DIR or .data/pglite), TOMBSTONE_RETENTION_DAYS (30), PURGE_INTERVAL_HOURS (24; 0 = off).
 */
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { openDbFromEnv } from './db';
import { DEFAULT_RETENTION_DAYS, purgeTombstones, retentionCutoff } from './sync';

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const retentionDays = Number(process.env.TOMBSTONE_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);
const purgeHours = Number(process.env.PURGE_INTERVAL_HOURS ?? 24);
const log = (line: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), ...line }));

const db = await openDbFromEnv();
const app = createApp(db);

async function purge() {
  try {
    const purged = await purgeTombstones(db, retentionCutoff(retentionDays));
    log({ msg: 'tombstone purge', retentionDays, purged });
  } catch (err) {
    log({ level: 'error', msg: 'tombstone purge failed', error: (err as Error).message });
  }
}
const timer = purgeHours > 0 ? setInterval(purge, purgeHours * 3_600_000) : undefined;
if (timer) void purge();

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  log({ msg: 'listening', url: `http://${host}:${info.port}`, driver: db.driver });
  console.log(`Committee Lens sync service on http://${host}:${info.port} (${db.driver})`);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    server.close(() => void db.close().then(() => process.exit(0)));
  });
