#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster with PostGIS for the hub's tests (and for
# trying `tongtin serve --store postgres://...` by hand).
#
#   scripts/postgres.sh start [DIR] [--watch PID]
#       initialises a cluster in DIR (default: a new temporary directory),
#       starts it on a free loopback port with trust authentication, creates
#       the database `tongtin` with PostGIS (and PostGIS in template1, so
#       every new database has it), and prints two lines:
#         dir=DIR
#         url=postgres://postgres@127.0.0.1:PORT/tongtin
#       With --watch PID, the cluster is stopped and DIR removed when process
#       PID ends (a test binary that panics or is killed cleans up too).
#   scripts/postgres.sh stop DIR
#       stops the cluster and removes DIR.
#
# Needs the Debian packages postgresql and postgresql-15-postgis-3
# (scripts/install-deps.sh installs them). initdb refuses to run as root, so
# as root the cluster runs as the `postgres` user the package creates.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin

die() { echo "postgres.sh: $*" >&2; exit 1; }

need_packages() {
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 is not installed ($PG_BIN/initdb missing): run scripts/install-deps.sh (Debian packages postgresql postgresql-15-postgis-3)"
  [ -f /usr/share/postgresql/15/extension/postgis.control ] || die "PostGIS for PostgreSQL 15 is not installed: run scripts/install-deps.sh (Debian package postgresql-15-postgis-3)"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

start() {
  need_packages
  local dir="" watch=""
  while [ $# -gt 0 ]; do
    case $1 in
      --watch) watch=$2; shift 2 ;;
      *) dir=$1; shift ;;
    esac
  done
  [ -n "$dir" ] || dir=$(mktemp -d /tmp/tongtin-pg.XXXXXX)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local port="" tries=0
  while :; do
    port=$(free_port)
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    [ $tries -lt 5 ] || { tail -20 "$dir/server.log" >&2; die "the server did not start"; }
  done
  local psql=(as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  "${psql[@]}" -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
  "${psql[@]}" -d postgres -c "CREATE DATABASE tongtin" >/dev/null
  if [ -n "$watch" ]; then
    # Stops the cluster when the watched process ends, whatever the reason.
    setsid nohup bash -c "while kill -0 $watch 2>/dev/null; do sleep 1; done; '$0' stop '$dir'" >/dev/null 2>&1 &
  fi
  echo "dir=$dir"
  echo "url=postgres://postgres@127.0.0.1:$port/tongtin"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) [ -n "${2:-}" ] || die "usage: postgres.sh stop DIR"; stop "$2" ;;
  *) die "usage: postgres.sh start [DIR] [--watch PID] | stop DIR" ;;
esac
