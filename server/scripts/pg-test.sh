#!/usr/bin/env bash
# Run the server test suite against a throwaway real Postgres as well as PGlite.
# Uses Debian's postgresql package (installed with apt-get when missing and running as root): initdb into a
# temporary directory, start it on a private port (PGTEST_PORT, default 55432) on 127.0.0.1 only, create a
# database, run `vitest run server` with TEST_DATABASE_URL, then stop the server and delete the directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN="$(find_bin)"
if [ -z "$BIN" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  BIN="$(find_bin)"
fi
[ -n "$BIN" ] || { echo "pg-test: no PostgreSQL binaries in /usr/lib/postgresql/*/bin" >&2; exit 1; }

PORT="${PGTEST_PORT:-55432}"
DIR="$(mktemp -d /tmp/cl-pgtest.XXXXXX)"
# initdb refuses to run as root: run the server as the postgres user then.
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; AS=(su postgres -s /bin/sh -c); else AS=(sh -c); fi
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

cleanup() {
  "${AS[@]}" "$(q "$BIN/pg_ctl") -D $(q "$DIR/data") -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${AS[@]}" "$(q "$BIN/initdb") -D $(q "$DIR/data") -U postgres -A trust -E UTF8 --no-locale" >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${AS[@]}" "$(q "$BIN/pg_ctl") -D $(q "$DIR/data") -l $(q "$DIR/server.log") -w -t 60 \
  -o $(q "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off") start" >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres cl_test

echo "pg-test: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/cl_test" npx vitest run server "$@"
