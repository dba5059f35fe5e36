#!/usr/bin/env bash
# A local DistCache cluster on 127.0.0.1 for experiments.
#   scripts/cluster.sh start N   start N nodes on ports 4053, 4054, …, one shared journal; every node lists every
#                                node as a seed (one seed alone is the layout that used to split the brain
#                                when that seed restarted; nodes now also find each other through the journal)
#   scripts/cluster.sh status    which recorded nodes are running
#   scripts/cluster.sh stop      stop every recorded node gracefully (SIGTERM: partitions hand off first)
#   scripts/cluster.sh kill I    kill -9 node I (1-based), to watch the cluster recover
# Environment: DATA (default ./data/cluster) holds the journal, logs and PIDs; BASE_PORT (default 4053);
# RESP_BASE_PORT (unset: off) gives node I the Redis protocol on RESP_BASE_PORT+I-1 (6379, 6380, … for redis-cli);
# RESP_PASSWORD_FILE (unset: no password) is the file of the password Redis clients must give (--resp-password-file).
# TLS=1: the cluster port runs TLS (akka.ssl.tcp). Certificates come from scripts/make-certs.sh in $DATA/certs
# (made once: a throwaway CA, nodeI and client); connect with
#   DistCache.Host get KEY --tls-cert $DATA/certs/client.crt --tls-key $DATA/certs/client.key --tls-ca $DATA/certs/ca.crt
# SKIP_BUILD=1: use the Release build as it is (the test suite has just built it; an up-to-date build still
# costs about 20 s on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."

data="${DATA:-./data/cluster}"
base="${BASE_PORT:-4053}"
resp_base="${RESP_BASE_PORT:-}"
resp_password="${RESP_PASSWORD_FILE:-}"
tls="${TLS:-}"
certs="$data/certs"
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"

pid_of() { cat "$data/node$1.pid" 2>/dev/null || true; }
# A killed node stays a zombie until PID 1 reaps it; count that as stopped.
alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
nodes() { ls "$data"/node*.pid 2>/dev/null | sed 's/.*node\([0-9]*\)\.pid/\1/' | sort -n; }

start() {
  local count="$1"
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 start N" >&2; exit 1; }
  mkdir -p "$data"
  [ -n "${SKIP_BUILD:-}" ] || dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
  local names=()
  if [ -n "$tls" ]; then
    for i in $(seq 1 "$count"); do [ -f "$certs/node$i.crt" ] || names+=("node$i"); done
    [ -f "$certs/client.crt" ] || names+=(client)
    [ ${#names[@]} -eq 0 ] || scripts/make-certs.sh "$certs" "${names[@]}" >/dev/null
  fi
  local seeds=()
  for j in $(seq 1 "$count"); do seeds+=(--seed "127.0.0.1:$((base + j - 1))"); done
  for i in $(seq 1 "$count"); do
    if alive "$(pid_of "$i")"; then echo "node $i already running (pid $(pid_of "$i"))"; continue; fi
    local port=$((base + i - 1))
    local resp=()
    [ -z "$resp_base" ] || resp=(--resp-port "$((resp_base + i - 1))")
    [ -z "$resp_base" ] || [ -z "$resp_password" ] || resp+=(--resp-password-file "$resp_password")
    local tls_args=()
    [ -z "$tls" ] || tls_args=(--tls-cert "$certs/node$i.crt" --tls-key "$certs/node$i.key" --tls-ca "$certs/ca.crt")
    dotnet "$host_dll" --host 127.0.0.1 --port "$port" "${seeds[@]}" --data "$data" "${resp[@]}" "${tls_args[@]}" \
      >"$data/node$i.log" 2>&1 &
    echo $! >"$data/node$i.pid"
    # The first node forms the cluster; later nodes join it, so wait for each before starting the next.
    for _ in $(seq 1 120); do
      grep -q "DistCache ready" "$data/node$i.log" 2>/dev/null && break
      alive "$(pid_of "$i")" || { echo "node $i failed to start:" >&2; tail -20 "$data/node$i.log" >&2; exit 1; }
      sleep 0.5
    done
    echo "node $i up on 127.0.0.1:$port${tls:+ (TLS)}${resp_base:+ (redis protocol on 127.0.0.1:$((resp_base + i - 1)))} (pid $(pid_of "$i"), log $data/node$i.log)"
  done
  [ -z "$tls" ] || echo "client flags: --tls-cert $certs/client.crt --tls-key $certs/client.key --tls-ca $certs/ca.crt"
}

status() {
  local any=0
  for i in $(nodes); do
    any=1
    local pid; pid="$(pid_of "$i")"
    if alive "$pid"; then state=running; else state=stopped; fi
    echo "node $i  127.0.0.1:$((base + i - 1))  pid $pid  $state"
  done
  [ "$any" = 1 ] || echo "no nodes recorded in $data"
}

stop() {
  for i in $(nodes); do
    local pid; pid="$(pid_of "$i")"
    if alive "$pid"; then kill -TERM "$pid"; fi
  done
  for i in $(nodes); do
    local pid; pid="$(pid_of "$i")"
    for _ in $(seq 1 120); do alive "$pid" || break; sleep 0.5; done
    if alive "$pid"; then echo "node $i (pid $pid) did not stop within 60 s" >&2; else echo "node $i stopped"; fi
    rm -f "$data/node$i.pid"
  done
}

kill9() {
  local pid; pid="$(pid_of "$1")"
  alive "$pid" || { echo "node $1 is not running" >&2; exit 1; }
  kill -9 "$pid"
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  echo "node $1 (pid $pid) killed with SIGKILL"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  status) status ;;
  stop) stop ;;
  kill) kill9 "${2:?usage: $0 kill I}" ;;
  *) echo "usage: $0 start N | status | stop | kill I" >&2; exit 1 ;;
esac
