-- Teams, their members (bearer tokens stored as SHA-256), clients' progress and the synced rows.
CREATE TABLE teams (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  -- The team's change counter: every push that changes rows bumps it and stamps them with it.
  version bigint NOT NULL DEFAULT 0,
  -- The highest version of a purged tombstone: a client whose cursor is below it must resync.
  purged_version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE members (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id bigint NOT NULL REFERENCES teams (id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX members_team ON members (team_id);

CREATE TABLE clients (
  team_id bigint NOT NULL REFERENCES teams (id),
  client_id text NOT NULL,
  last_mutation_id bigint NOT NULL,
  member_id bigint NOT NULL REFERENCES members (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, client_id)
);

CREATE TABLE rows (
  team_id bigint NOT NULL REFERENCES teams (id),
  tbl text NOT NULL,
  key text NOT NULL,
  row jsonb NOT NULL,
  deleted boolean NOT NULL,
  version bigint NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, tbl, key)
);
-- Pull: rows after a version, in (version, tbl, key) order; an idle pull touches one index page.
CREATE INDEX rows_team_version ON rows (team_id, version, tbl, key);
-- Tombstone purge.
CREATE INDEX rows_tombstones ON rows (team_id, changed_at) WHERE deleted;
