/** The real team sync service in the test process (PGlite in memory) on a loopback port, with one team. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { migrate, openPglite } from '../../server/db';
import { addMember, createTeam } from '../../server/teams';

export async function startSyncServer(members: string[]) {
  const db = await openPglite();
  await migrate(db);
  await createTeam(db, 'Acme Sales');
  const tokens: Record<string, string> = {};
  for (const m of members) tokens[m] = (await addMember(db, 'Acme Sales', m)).token;
  const app = createApp(db, { log: (line) => process.env.SYNC_LOG && console.error(JSON.stringify(line)) });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokens,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
    },
  };
}
