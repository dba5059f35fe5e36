#!/usr/bin/env bash
# What a Redis-protocol command costs: redis-benchmark SET and GET (without and with -P 16 pipelining)
# against redis-server, then against one DistCache node (memory-only mode) of each build given, in the same
# run; prints requests/s, the ratio to Redis, p50/p99 latency and the server's CPU per command (from /proc).
# Give several builds (paths to DistCache.Host.dll) to compare them on equal terms: a change to the request
# path is measured against the build before it, beside the same Redis. NODE_ENV adds environment variables
# to the nodes only (for example NODE_ENV="DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1"), NODE_ARGS adds
# options to their command line (for example NODE_ARGS="--config io.conf" with distcache.resp.io-threads = 0).
# Installs redis-server and redis-tools from Debian's packages when missing (root). Everything listens on
# 127.0.0.1; only the processes started here are stopped, by PID.
#   CLIENTS=50 REQUESTS=200000 KEYSPACE=10000 VALUE_SIZE=32 ROUNDS=1 NODE_ENV= NODE_ARGS= \
#   bash scripts/resp-cost.sh [HOST_DLL ...]      (default: this checkout's Release build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
clients="${CLIENTS:-50}"
requests="${REQUESTS:-200000}"
keyspace="${KEYSPACE:-10000}"
size="${VALUE_SIZE:-32}"
rounds="${ROUNDS:-1}"
node_env="${NODE_ENV:-}"
node_args="${NODE_ARGS:-}"
builds=("$@")
if [ "${#builds[@]}" -eq 0 ]; then
  dotnet build DistCache.Host -c Release -nologo -v quiet >&2
  builds=("$PWD/DistCache.Host/bin/Release/net10.0/DistCache.Host.dll")
fi

ensure_commands redis-server:redis-server redis-benchmark:redis-tools

work="$(mktemp -d /tmp/distcache-resp-cost.XXXXXX)"
pids=()
trap stop_started EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
hz="$(getconf CLK_TCK)"
cpu_seconds() { awk -v hz="$hz" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"; }

declare -A redis_rps
# One row: SERVER_NAME PID PORT PIPELINE OP
measure() {
  local name="$1" pid="$2" port="$3" pipeline="$4" op="$5" before after out rps lat us ratio
  before="$(cpu_seconds "$pid")"
  out="$(timeout 300 redis-benchmark -h 127.0.0.1 -p "$port" -c "$clients" -n "$requests" -r "$keyspace" -d "$size" -P "$pipeline" -t "$op" 2>/dev/null | tr '\r' '\n')"
  after="$(cpu_seconds "$pid")"
  rps="$(grep -a "throughput summary" <<<"$out" | grep -oE '[0-9.]+' | head -1)"
  lat="$(grep -a -A2 "latency summary" <<<"$out" | tail -1 | awk '{ print $3, $5 }')"
  us="$(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')"
  if [ "$name" = redis ]; then redis_rps["$pipeline-$op"]="$rps"; ratio="1.000"
  else ratio="$(awk -v d="$rps" -v r="${redis_rps["$pipeline-$op"]}" 'BEGIN { printf "%.3f", d / r }')"; fi
  printf '%-28s %-3s %-4s %10s %7s %8s %8s %14s\n' "$name" "$pipeline" "$op" "$rps" "$ratio" ${lat:-- -} "$us"
}

run_all() {
  local name="$1" pid="$2" port="$3"
  for pipeline in 1 16; do for op in set get; do measure "$name" "$pid" "$port" "$pipeline" "$op"; done; done
}

echo "Redis-protocol cost, $(date -u +%F), $(nproc) cores: $clients clients, $requests requests, keyspace $keyspace, value $size B${node_env:+, nodes with $node_env}${node_args:+, nodes given $node_args}"
printf '%-28s %-3s %-4s %10s %7s %8s %8s %14s\n' server P op req/s ratio p50_ms p99_ms server_cpu_us
for round in $(seq 1 "$rounds"); do
  port="$(free_port)"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  redis_pid=$!; pids+=("$redis_pid")
  for _ in $(seq 1 50); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
  run_all redis "$redis_pid" "$port"
  kill -TERM "$redis_pid"; wait "$redis_pid" 2>/dev/null || true

  index=0
  for dll in "${builds[@]}"; do
    index=$((index + 1))
    port="$(free_port)"; resp="$(free_port)"
    env $node_env dotnet "$dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --data "$work/node-$round-$index" --durability none $node_args \
      >"$work/node-$round-$index.log" 2>&1 &
    node_pid=$!; pids+=("$node_pid")
    for _ in $(seq 1 240); do redis-cli -p "$resp" ping 2>/dev/null | grep -q PONG && break; kill -0 "$node_pid" 2>/dev/null || break; sleep 0.5; done
    if ! kill -0 "$node_pid" 2>/dev/null; then echo "the node of $dll did not start:" >&2; tail -5 "$work/node-$round-$index.log" >&2; exit 1; fi
    # Warm-up, unmeasured: the JIT tiers the hot paths up.
    timeout 120 redis-benchmark -h 127.0.0.1 -p "$resp" -c "$clients" -n 100000 -r "$keyspace" -d "$size" -t set,get -q >/dev/null 2>&1 || true
    run_all "distcache#$index" "$node_pid" "$resp"
    kill -TERM "$node_pid"; wait "$node_pid" 2>/dev/null || true
  done
done
index=0
for dll in "${builds[@]}"; do index=$((index + 1)); echo "distcache#$index = $dll"; done
