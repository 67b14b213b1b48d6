#!/usr/bin/env bash
# A throwaway PostgreSQL (Debian's packages) on 127.0.0.1 for the test suite.
#   scripts/test-postgres.sh start   prints the URL to use as TEST_DATABASE_URL
#   scripts/test-postgres.sh stop
# Installs the `postgresql` package with apt when it is missing and we are root.
set -euo pipefail
PORT=${TEST_PG_PORT:-54329}
DATA=${TEST_PG_DATA:-/tmp/herstelgids-test-pg}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_owner() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing PostgreSQL from Debian's packages..." >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -q postgresql >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
      bin=$(find_bin)
    fi
    [ -n "$bin" ] || { echo "PostgreSQL is not installed and cannot be installed here" >&2; exit 1; }
  fi
  if ! as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    rm -rf "$DATA" && mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres "$DATA"
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w start \
      -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null
    "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres \
      -c "CREATE ROLE hg LOGIN CREATEDB PASSWORD 'hg'" -c "CREATE DATABASE hg OWNER hg" >/dev/null
  fi
  echo "postgresql://hg:hg@127.0.0.1:$PORT/hg"
}

stop() {
  local bin
  bin=$(find_bin)
  [ -n "$bin" ] && as_owner "$bin/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}

"${1:-start}"
