/**
 * Admin CLI: `npm run server:admin -- <command>`. Uses the same database as the server (DATABASE_URL, or
 * PGlite in PGLITE_DIR / .data/pglite: stop a PGlite server first, one process owns that directory).
 */
import { openDbFromEnv } from './db';
import { DEFAULT_RETENTION_DAYS, purgeTombstones, retentionCutoff } from './sync';
import { addMember, createTeam, listTeams, revokeMember } from './teams';

const USAGE = `usage: npm run server:admin -- <command>
  create-team <name>              create a team
  add-member <team id|name> <name> add a member and print their token (shown once)
  revoke <memberId>               revoke a member's token
  list                            list teams and members
  purge [days]                    delete tombstones older than days (default ${DEFAULT_RETENTION_DAYS})
  migrate                         apply pending migrations`;

async function run(args: string[]): Promise<string> {
  const [command, ...rest] = args;
  const need = (n: number) => {
    if (rest.length !== n) throw new Error(USAGE);
  };
  const db = await openDbFromEnv();
  try {
    switch (command) {
      case 'create-team': {
        need(1);
        const team = await createTeam(db, rest[0]!);
        return `created team ${team.id} "${team.name}"`;
      }
      case 'add-member': {
        need(2);
        const member = await addMember(db, rest[0]!, rest[1]!);
        return `added member ${member.id} "${rest[1]!.trim()}"\ntoken (shown once, give it to the member): ${member.token}`;
      }
      case 'revoke': {
        need(1);
        const id = Number(rest[0]);
        if (!Number.isInteger(id)) throw new Error(`not a member id: ${rest[0]}`);
        if (!(await revokeMember(db, id))) throw new Error(`no active member ${id}`);
        return `revoked member ${id}`;
      }
      case 'list': {
        need(0);
        const teams = await listTeams(db);
        if (!teams.length) return 'no teams';
        return teams
          .map((t) =>
            [`team ${t.id} "${t.name}" (version ${t.version})`, ...t.members.map((m) => `  member ${m.id} "${m.name}"${m.revoked ? ' (revoked)' : ''}`)].join('\n'),
          )
          .join('\n');
      }
      case 'purge': {
        if (rest.length > 1) throw new Error(USAGE);
        const days = Number(rest[0] ?? DEFAULT_RETENTION_DAYS);
        if (!(days >= 0)) throw new Error(`not a number of days: ${rest[0]}`);
        const purged = await purgeTombstones(db, retentionCutoff(days));
        return purged.length ? purged.map((p) => `team ${p.teamId}: ${p.purged} tombstones purged`).join('\n') : 'nothing to purge';
      }
      case 'migrate':
        need(0);
        return 'migrations applied';
      default:
        throw new Error(USAGE);
    }
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).then(
  (out) => console.log(out),
  (err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  },
);
