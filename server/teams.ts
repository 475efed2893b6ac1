/**
 * Teams and members. A member holds one bearer token: 32 random bytes, shown once when the member is
 * added, stored only as its SHA-256 hash, revocable.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db';

export interface Member {
  memberId: number;
  memberName: string;
  teamId: number;
  teamName: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The member a token belongs to, or null when the token is unknown or revoked. */
export async function memberByToken(db: Queryable, token: string): Promise<Member | null> {
  const [row] = await db.query<{ member_id: string; member_name: string; team_id: string; team_name: string }>(
    `SELECT m.id AS member_id, m.name AS member_name, t.id AS team_id, t.name AS team_name
       FROM members m JOIN teams t ON t.id = m.team_id
      WHERE m.token_hash = $1 AND m.revoked_at IS NULL`,
    [hashToken(token)],
  );
  return row
    ? { memberId: Number(row.member_id), memberName: row.member_name, teamId: Number(row.team_id), teamName: row.team_name }
    : null;
}

function cleanName(name: string, what: string): string {
  const clean = name.trim();
  if (!clean || clean.length > 200) throw new Error(`${what} name must be 1 to 200 characters`);
  return clean;
}

export async function createTeam(db: Queryable, name: string): Promise<{ id: number; name: string }> {
  const clean = cleanName(name, 'team');
  const existing = await db.query('SELECT 1 FROM teams WHERE name = $1', [clean]);
  if (existing.length) throw new Error(`a team named "${clean}" already exists`);
  const [row] = await db.query<{ id: string }>('INSERT INTO teams (name) VALUES ($1) RETURNING id', [clean]);
  return { id: Number(row!.id), name: clean };
}

/** Find a team by id or exact name. */
export async function findTeam(db: Queryable, idOrName: string): Promise<{ id: number; name: string } | null> {
  const byId = /^\d{1,15}$/.test(idOrName);
  const [row] = await db.query<{ id: string; name: string }>(
    byId ? 'SELECT id, name FROM teams WHERE id = $1' : 'SELECT id, name FROM teams WHERE name = $1',
    [byId ? Number(idOrName) : idOrName.trim()],
  );
  return row ? { id: Number(row.id), name: row.name } : null;
}

/** Add a member; returns the token, which is never stored and cannot be shown again. */
export async function addMember(db: Queryable, teamIdOrName: string, name: string): Promise<{ id: number; token: string }> {
  const team = await findTeam(db, teamIdOrName);
  if (!team) throw new Error(`no team "${teamIdOrName}"`);
  const token = 'clt_' + randomBytes(32).toString('base64url');
  const [row] = await db.query<{ id: string }>(
    'INSERT INTO members (team_id, name, token_hash) VALUES ($1, $2, $3) RETURNING id',
    [team.id, cleanName(name, 'member'), hashToken(token)],
  );
  return { id: Number(row!.id), token };
}

/** Revoke a member's token; false when there is no such active member. */
export async function revokeMember(db: Queryable, memberId: number): Promise<boolean> {
  const rows = await db.query('UPDATE members SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [memberId]);
  return rows.length === 1;
}

export interface TeamListing {
  id: number;
  name: string;
  version: number;
  members: { id: number; name: string; revoked: boolean }[];
}
export async function listTeams(db: Queryable): Promise<TeamListing[]> {
  const teams = await db.query<{ id: string; name: string; version: string }>('SELECT id, name, version FROM teams ORDER BY id');
  const members = await db.query<{ id: string; team_id: string; name: string; revoked: boolean }>(
    'SELECT id, team_id, name, revoked_at IS NOT NULL AS revoked FROM members ORDER BY id',
  );
  return teams.map((t) => ({
    id: Number(t.id),
    name: t.name,
    version: Number(t.version),
    members: members.filter((m) => Number(m.team_id) === Number(t.id)).map((m) => ({ id: Number(m.id), name: m.name, revoked: m.revoked })),
  }));
}
