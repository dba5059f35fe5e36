#!/usr/bin/env bash
# Throwaway PostgreSQL server for tests (Debian, run as root, e.g. in CI).
#   bash scripts/postgres.sh start DIR  -> prints ONE line on stdout: the Npgsql connection string
#   bash scripts/postgres.sh stop DIR   -> stops that server and removes DIR/pgdata (safe if nothing runs)
# Each DIR gets its own cluster, port and socket, so several can coexist in one CI run.
set -euo pipefail

exec 3>&1 1>&2   # stdout is reserved for the connection string; everything else goes to stderr
die() { echo "postgres.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 start|stop DIR"
cmd=$1
[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and switches to the postgres user)"
# stop on a DIR that was never made has nothing to do (and should not create it).
[ "$cmd" = stop ] && [ ! -d "$2" ] && exit 0
mkdir -p "$2"
DIR=$(cd "$2" && pwd -P)   # absolute: the server runs with another working directory
PGDATA_DIR=$DIR/pgdata
DB=distcache_test

# Newest server install from Debian's packages; the psql on PATH is only a client wrapper.
find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# fd 3 (our real stdout) is closed for children: a postmaster inheriting it would keep a
# caller's `cs=$(postgres.sh start DIR)` waiting forever for EOF.
as_pg() { runuser -u postgres -- "$@" 3>&-; }
# True while PID runs; a zombie (exited, not yet reaped by a lazy PID 1) counts as gone.
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

install_server() {
  echo "postgres.sh: server binaries missing, installing Debian's postgresql package"
  # Keep the package's postinst from starting its own 'main' cluster: we never use it, and it
  # would grab port 5432 and /var/run/postgresql. Only add the policy if none exists, and remove it after.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local rc=0
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get install -y -q --no-install-recommends postgresql)
  # 'apt-get update' is slow, so only when the package lists are missing or stale.
  { "${apt[@]}" || { apt-get update -q && "${apt[@]}"; }; } </dev/null 3>&- || rc=$?
  [ "$own_policy" -eq 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" -eq 0 ] || die "apt-get install postgresql failed (exit $rc)"
}

stop_server() {
  local bin pid="" cmdline=""
  if [ -f "$PGDATA_DIR/PG_VERSION" ] && bin=$(find_bin); then
    as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" stop -m fast -w -t 30 >/dev/null 2>&1 || true
  fi
  [ -f "$DIR/postgres.pid" ] && pid=$(head -n 1 "$DIR/postgres.pid")
  # Fallback: kill only the recorded postmaster, and only if that PID is still the postmaster of
  # THIS data dir (after a crash the PID may belong to something else, even another test's server).
  # SIGINT is the postmaster's "fast" shutdown (SIGTERM would wait for pooled clients to leave).
  [[ "$pid" =~ ^[0-9]+$ ]] && cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)
  if [[ "$cmdline" == *"-D $PGDATA_DIR "* ]]; then
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  fi
  rm -rf "$PGDATA_DIR" "$DIR/postgres.pid" "$DIR/connection-string"
}

# Picks a random high port nobody listens on; the start loop retries if we still lose a race.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 9<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free TCP port found"
}

start_server() {
  local bin t0=$SECONDS
  bin=$(find_bin) || { install_server; bin=$(find_bin) || die "no initdb/pg_ctl under /usr/lib/postgresql/*/bin after install"; }
  echo "postgres.sh: using $bin ($(( SECONDS - t0 ))s so far)"
  id postgres >/dev/null 2>&1 || die "no 'postgres' system user (the package normally creates it)"

  # A leftover cluster from an earlier run in the same DIR would make initdb fail: clear it first.
  [ -e "$PGDATA_DIR" ] && stop_server
  # Unix socket paths are limited to 107 bytes; DIR holds the socket so it stays out of /var/run/postgresql.
  [ ${#DIR} -le 90 ] || die "DIR path too long for a unix socket (${#DIR} > 90 chars): $DIR"

  # initdb refuses to run as root, so the postgres user owns DIR (socket, lock file, data).
  chown postgres: "$DIR"
  as_pg test -w "$DIR" || die "user postgres cannot reach $DIR (a parent directory is not traversable, e.g. /root)"

  # Trust auth is fine: the server listens on 127.0.0.1 and its own socket only.
  # --no-sync and C locale: faster, and the same result on every machine.
  as_pg "$bin/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log"; die "initdb failed"; }
  cat >>"$PGDATA_DIR/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
# Throwaway data: skipping fsync only risks data on an OS crash, not when the server is killed.
fsync = off
# Each test uses a database (and a connection pool) of its own; several clusters run one after another.
max_connections = 400
EOF

  local port="" attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$DIR/postgres.log" -o "-p $port" -w -t 60 start >/dev/null; then
      break
    fi
    echo "postgres.sh: start on port $port failed (attempt $attempt), log tail:"; tail -n 5 "$DIR/postgres.log" || true
    port=""
  done
  [ -n "$port" ] || die "server did not start; see $DIR/postgres.log"

  head -n 1 "$PGDATA_DIR/postmaster.pid" >"$DIR/postgres.pid"
  # Over TCP on purpose: proves the address tests will use actually works.
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 "host=127.0.0.1 port=$port user=postgres dbname=postgres" \
    -c "CREATE DATABASE $DB" || { stop_server; die "could not create database $DB"; }

  local cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=$DB;Pooling=true"
  echo "$cs" >"$DIR/connection-string"
  echo "postgres.sh: server pid $(cat "$DIR/postgres.pid") on 127.0.0.1:$port, ready after $(( SECONDS - t0 ))s"
  echo "$cs" >&3
}

case "$cmd" in
  start) start_server ;;
  stop) stop_server ;;
  *) die "usage: $0 start|stop DIR" ;;
esac
