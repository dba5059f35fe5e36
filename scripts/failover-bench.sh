#!/usr/bin/env bash
# Measures failover on a 3-node cluster of real processes on 127.0.0.1 (SQLite journal, default settings):
#   1. kill -9 of one node: time until every key answers again (read by `await-keys`, started at the kill)
#   2. that node restarted on its old port: time until it is ready (a cluster member)
#   3. kill -9 of the whole cluster, then all three started together: time from the last start until every
#      key answers
# Usage: bash scripts/failover-bench.sh [KEYS] [ROUNDS]   (default 1000 keys, 3 rounds of 1 and 2)
# Stops only the processes it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

keys="${1:-1000}"
rounds="${2:-3}"
dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"
data="$(mktemp -d /tmp/distcache-failover.XXXXXX)"
declare -a pids=()
declare -a logs=()
ports=()
for i in 1 2 3; do
  ports+=("$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')")
done
seeds=()
for p in "${ports[@]}"; do seeds+=(--seed "127.0.0.1:$p"); done
contacts=()
for p in "${ports[@]}"; do contacts+=(--contact "127.0.0.1:$p"); done

cleanup() {
  for pid in "${pids[@]}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "logs kept in $data" >&2; else rm -rf "$data"; fi
}
trap cleanup EXIT

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null

now_ms() { date +%s%3N; }

start_node() { # index (0-based); sets pids[index]; one log per incarnation
  local i="$1"
  logs[$i]="$data/node$i.$(date +%s%3N).log"
  dotnet "$dll" --host 127.0.0.1 --port "${ports[$i]}" "${seeds[@]}" --data "$data" >"${logs[$i]}" 2>&1 &
  pids[$i]=$!
}

wait_ready() { # index, start time in ms; prints ms until ready
  local i="$1" started="$2"
  for _ in $(seq 1 600); do
    if grep -q "DistCache ready" "${logs[$i]}" 2>/dev/null; then echo $(( $(now_ms) - started )); return 0; fi
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "node $i exited:" >&2; tail -20 "${logs[$i]}" >&2; return 1; }
    sleep 0.05
  done
  echo "node $i not ready within 30 s" >&2; return 1
}

kill9() { kill -9 "${pids[$1]}" 2>/dev/null || true; wait "${pids[$1]}" 2>/dev/null || true; }

for i in 0 1 2; do start_node "$i"; wait_ready "$i" "$(now_ms)" >/dev/null; done
dotnet "$dll" fill --keys "$keys" --clients 32 "${contacts[@]}" >/dev/null
# Let the young cluster finish spreading its shards before the first fault.
sleep 15

echo "failover on 3 nodes, $keys keys (kill -9 → every key answering; restart on the old port → ready)"
for round in $(seq 1 "$rounds"); do
  victim=$(( round % 3 ))
  go="$data/go$round"
  dotnet "$dll" await-keys --keys "$keys" --start-when "$go" "${contacts[@]}" >"$data/await$round.out" &
  reader=$!
  for _ in $(seq 1 200); do grep -q connected "$data/await$round.out" && break; sleep 0.05; done
  kill9 "$victim"
  touch "$go"
  wait "$reader" || { echo "round $round: keys did not all answer:" >&2; cat "$data/await$round.out" >&2; exit 1; }
  out="$(tail -n 1 "$data/await$round.out")"
  sleep 2
  restarted="$(now_ms)"
  start_node "$victim"
  ready="$(wait_ready "$victim" "$restarted")"
  echo "round $round: kill -9 node $((victim + 1)): $out; restarted on its port: ready after ${ready} ms"
  sleep 10
done

for i in 0 1 2; do kill9 "$i"; done
sleep 2
for i in 0 1 2; do start_node "$i"; done
last_start="$(now_ms)"
out="$(dotnet "$dll" await-keys --keys "$keys" "${contacts[@]}")"
echo "whole cluster killed with kill -9 and restarted: every key answering $(( $(now_ms) - last_start )) ms after the last node started ($out)"
