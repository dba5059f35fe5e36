#!/usr/bin/env bash
# Measures how long one node takes to recover N keys (default 1,000,000) from its SQLite journal and
# snapshots: fills a fresh node, stops it gracefully, starts it again and reports the time until every
# partition has recovered. Everything runs on 127.0.0.1; only the processes started here are stopped.
# The fill runs in durability mode batched (the same events reach the journal, without a journal round
# trip per acknowledged write); the restart that is measured uses the default mode, always.
#   bash scripts/recovery-bench.sh [KEYS] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
keys="${1:-1000000}"
port="${2:-4790}"
work="$(mktemp -d /tmp/distcache-recovery.XXXXXX)"
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"
pid=""
stop_host() {
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  pid=""
}
trap 'stop_host; rm -rf "$work"' EXIT

start_host() {
  dotnet "$host_dll" --port "$port" --data "$work/data" "${@:3}" >"$work/$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    grep -q "$2" "$work/$1.log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$2'" >&2; exit 1
}

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
start_host fill "DistCache ready" --durability batched
dotnet "$host_dll" fill --keys "$keys" --clients 64 --contact "127.0.0.1:$port" --timeout 60
stop_host
echo "journal: $(du -sh "$work/data" | cut -f1)"

start_host recover "DistCache recovered"
grep "DistCache recovered" "$work/recover.log"
echo "check: key:$((keys - 1)) = $(dotnet "$host_dll" get "key:$((keys - 1))" --contact "127.0.0.1:$port")"
