#!/usr/bin/env bash
# Measures how long one node takes to recover N keys (default 1,000,000) from its SQLite journal and
# snapshots, twice:
#  1. after a fill (durability mode batched: the same events reach the journal without a round trip per
#     acknowledged write) and a graceful stop (each partition snapshots on the way out);
#  2. after SUSTAIN_SECONDS (default 600) of SETs over the same keys in the default mode, always, ended by
#     kill -9: no snapshot on the way out, so recovery reads each partition's last snapshot and replays
#     every event journaled since. The node's /metrics says how many that is just before the kill.
# Everything runs on 127.0.0.1; only the processes started here are stopped, by their PIDs.
#   SUSTAIN_SECONDS=600 CLIENTS=50 KEEP=1 (keeps the logs, the data, and data-at-kill) bash scripts/recovery-bench.sh [KEYS] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
keys="${1:-1000000}"
port="${2:-4790}"
http_port="$((port + 1))"
sustain="${SUSTAIN_SECONDS:-600}"
clients="${CLIENTS:-50}"
work="$(mktemp -d /tmp/distcache-recovery.XXXXXX)"
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"
pid=""
stop_host() { # [signal]
  [ -n "$pid" ] || return 0
  kill "-${1:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  pid=""
}
trap 'stop_host; [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT

start_host() { # log-name ready-line [node options]
  dotnet "$host_dll" --host 127.0.0.1 --port "$port" --http-port "$http_port" --data "$work/data" "${@:3}" >"$work/$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    grep -q "$2" "$work/$1.log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$2'" >&2; exit 1
}
metric() { curl -s "http://127.0.0.1:$http_port/metrics" | awk -v m="$1" '$1 == m { printf "%d", $2 }'; }
check() { echo "check: key:$((keys - 1)) = $(dotnet "$host_dll" get "key:$((keys - 1))" --contact "127.0.0.1:$port")"; }

command -v curl >/dev/null || { echo "recovery-bench needs curl" >&2; exit 1; }
dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
start_host fill "DistCache ready" --durability batched
dotnet "$host_dll" fill --keys "$keys" --clients 64 --contact "127.0.0.1:$port" --timeout 60
stop_host
echo "journal after the fill: $(du -sh "$work/data" | cut -f1)"

start_host recover "DistCache recovered"
echo "after a graceful stop: $(grep -o "DistCache recovered.*" "$work/recover.log")"
check
[ "$sustain" -gt 0 ] || exit 0

echo "sustained SETs over the same $keys keys for $sustain s, $clients callers, mode always:"
dotnet "$host_dll" bench --ops set --clients "$clients" --requests 2000000000 --duration "$sustain" --keyspace "$keys" \
  --key-prefix key: --contact "127.0.0.1:$port" --metrics "http://127.0.0.1:$http_port/metrics" --timeout 60 2>&1 | grep -E "│|┃|ops/s" || true
sleep 1.5 # the partitions report their journal figures once a second
echo "journal events to replay before kill -9: $(metric distcache_journal_rows_since_snapshot) in all, at most $(metric distcache_journal_rows_since_snapshot_max) in one partition; keys $(metric distcache_keys)"
echo "journal on disk: $(du -sh "$work/data" | cut -f1)"
stop_host KILL
# KEEP=1 also keeps the data as the kill left it, to replay again (restarting below snapshots it).
[ -z "${KEEP:-}" ] || cp -r "$work/data" "$work/data-at-kill"

start_host after-load "DistCache recovered"
echo "after $sustain s of writes and kill -9: $(grep -o "DistCache recovered.*" "$work/after-load.log")"
check
