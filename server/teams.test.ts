import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openPglite, type Db } from './db';
import { addMember, createTeam, hashToken, listTeams, memberByToken, revokeMember } from './teams';
import { drivers } from './testing';

describe.each(drivers)('teams and members on $name', (driver) => {
  let db: Db;
  beforeEach(async () => {
    db = await driver.open();
  });
  afterEach(() => db.close());

  it('creates teams and members, storing only the hash of a token shown once', async () => {
    const team = await createTeam(db, '  Acme Sales ');
    expect(team.name).toBe('Acme Sales');
    await expect(createTeam(db, 'Acme Sales')).rejects.toThrow(/already exists/);
    await expect(createTeam(db, '   ')).rejects.toThrow(/1 to 200/);
    const byName = await addMember(db, 'Acme Sales', 'Ada');
    const byId = await addMember(db, String(team.id), 'Bob');
    await expect(addMember(db, 'Nobody Inc', 'Eve')).rejects.toThrow(/no team/);
    expect(byName.token).toMatch(/^clt_[A-Za-z0-9_-]{43}$/);
    expect(byName.token).not.toBe(byId.token);
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM members ORDER BY id');
    expect(stored.map((r) => r.token_hash)).toEqual([hashToken(byName.token), hashToken(byId.token)]);
    expect(JSON.stringify(stored)).not.toContain(byName.token);
    expect(await memberByToken(db, byId.token)).toEqual({ memberId: byId.id, memberName: 'Bob', teamId: team.id, teamName: 'Acme Sales' });
    expect(await revokeMember(db, byId.id)).toBe(true);
    expect(await memberByToken(db, byId.token)).toBeNull();
    expect(await listTeams(db)).toEqual([
      { id: team.id, name: 'Acme Sales', version: 0, members: [{ id: byName.id, name: 'Ada', revoked: false }, { id: byId.id, name: 'Bob', revoked: true }] },
    ]);
  });

  it('applies each migration once', async () => {
    expect(await migrate(db)).toEqual([]);
    const applied = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(applied.map((r) => Number(r.version))).toEqual([1]);
  });
});

describe('PGlite data directory', () => {
  it('is held by one process at a time through a lock file, released on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-pglite-'));
    try {
      const db = await openPglite(join(dir, 'data'));
      expect(readFileSync(join(dir, 'data.lock'), 'utf8')).toBe(String(process.pid));
      await migrate(db);
      await createTeam(db, 'Persisted');
      await db.close();
      const again = await openPglite(join(dir, 'data'));
      expect((await listTeams(again)).map((t) => t.name)).toEqual(['Persisted']);
      await again.close();
      // A lock held by another live process (here our parent) is refused; nothing is opened.
      writeFileSync(join(dir, 'data.lock'), String(process.ppid));
      await expect(openPglite(join(dir, 'data'))).rejects.toThrow(`in use by process ${process.ppid}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('protocol module', () => {
  it('imports only zod and the pure domain, so the extension can bundle it', () => {
    const source = readFileSync(join(import.meta.dirname, 'protocol.ts'), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(spec).toMatch(/^(zod|\.\.\/domain\/[a-z]+)$/);
  });
});
