#!/usr/bin/env bash
# Notifications and near caching, measured on this machine (issue 24, item 5):
#  1. PUBLISH: redis-benchmark sends PUBLISH to one channel with 1 and with 50 subscribers listening
#     (redis-cli SUBSCRIBE processes), against a Redis and against a DistCache node's Redis endpoint, in the same
#     run; rows with ops/s, the ratio DistCache/Redis and the messages delivered per second (ops/s × subscribers).
#  2. GET through the .NET client's near cache against GET without it (DistCache.Host bench, same node, same
#     keys, every key read once before the measured pass).
#  3. Invalidation: on a 3-node cluster, the time from a write's acknowledgement to another client's near cache
#     dropping the key, the two clients entering through different nodes (DistCache.Host bench-invalidation):
#     p50, p99, max.
# Installs redis-server and redis-tools from Debian's packages when missing (needs root). Everything listens on
# 127.0.0.1; only the processes started here are stopped, by their PIDs.
#   CLIENTS=50 REQUESTS=200000 KEYSPACE=10000 ROUNDS=1000 SUBSCRIBERS="1 50" bash scripts/bench-notifications.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

clients="${CLIENTS:-50}"
requests="${REQUESTS:-200000}"
keyspace="${KEYSPACE:-10000}"
rounds="${ROUNDS:-1000}"
subscribers="${SUBSCRIBERS:-1 50}"
out="${1:-bench-results}"
mkdir -p "$out"
work="$(mktemp -d /tmp/distcache-notifications.XXXXXX)"
pids=()
trap stop_started EXIT

ensure_commands redis-server:redis-server redis-benchmark:redis-tools redis-cli:redis-tools
dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"

stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

start_redis() {
  local port; port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  started=("$port" "$!"); pids+=("$!")
  wait_for "$work/redis.log" "Ready to accept connections"
}

# One node, or the first of a cluster; prints nothing, sets started=(cluster-port resp-port pid).
start_node() { # name [seed-port]
  local name="$1" seed="${2:-}" port resp; port="$(free_port)"; resp="$(free_port)"
  dotnet "$host_dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --data "$work/data" --durability none \
    --seed "127.0.0.1:${seed:-$port}" >"$work/$name.log" 2>&1 &
  started=("$port" "$resp" "$!"); pids+=("$!")
  wait_for "$work/$name.log" "DistCache ready"
}

# PUBLISH with N subscribers: rows name,subscribers,ops/s,p99 ms.
publish_rows() { # name port
  local name="$1" port="$2" n sub_pids i
  for n in $subscribers; do
    sub_pids=()
    for i in $(seq 1 "$n"); do
      redis-cli -h 127.0.0.1 -p "$port" SUBSCRIBE bench:channel >/dev/null 2>&1 &
      sub_pids+=("$!"); pids+=("$!")
    done
    # Every subscriber counted before the load starts.
    for _ in $(seq 1 200); do
      [ "$(redis-cli -h 127.0.0.1 -p "$port" PUBSUB NUMSUB bench:channel | tail -1)" = "$n" ] && break
      sleep 0.05
    done
    redis-benchmark -h 127.0.0.1 -p "$port" -n "$requests" -c "$clients" --csv PUBLISH bench:channel hello 2>/dev/null \
      | tr -d '"' | awk -F, -v name="$name" -v n="$n" 'NR > 1 { printf "%s,%d,%s,%s\n", name, n, $2, $7 }'
    for i in "${sub_pids[@]}"; do kill -TERM "$i" 2>/dev/null || true; wait "$i" 2>/dev/null || true; done
  done
}

echo "== PUBLISH ($clients clients, $requests requests; subscribers: $subscribers)"
: >"$work/publish.csv"
start_redis; publish_rows redis "${started[0]}" >>"$work/publish.csv"; stop "${started[1]}"
start_node single
node_resp="${started[1]}"; node_port="${started[0]}"; node_pid="${started[2]}"
# One unrecorded pass: the JIT compiles the PUBLISH path during its first requests.
redis-benchmark -h 127.0.0.1 -p "$node_resp" -n 20000 -c "$clients" PUBLISH bench:channel hello >/dev/null 2>&1
publish_rows distcache "$node_resp" >>"$work/publish.csv"
{
  echo "subscribers,redis_ops,distcache_ops,ratio,redis_p99_ms,distcache_p99_ms,distcache_delivered_per_s"
  awk -F, '{ ops[$1 "|" $2] = $3; p99[$1 "|" $2] = $4; if (!($2 in seen)) { seen[$2] = 1; n[++k] = $2 } }
    END { for (i = 1; i <= k; i++) { s = n[i]; r = ops["redis|" s]; d = ops["distcache|" s]
      printf "%s,%.0f,%.0f,%.2f,%s,%s,%.0f\n", s, r, d, (r > 0 ? d / r : 0), p99["redis|" s], p99["distcache|" s], d * s } }' "$work/publish.csv"
} | tee "$out/publish.csv" | column -t -s,

echo
echo "== GET with and without the near cache (.NET client, $clients callers, $requests requests, keyspace $keyspace)"
common=(--contact "127.0.0.1:$node_port" --clients "$clients" --keyspace "$keyspace" --warmup 5)
dotnet "$host_dll" bench --ops set "${common[@]}" --requests "$keyspace" >/dev/null
dotnet "$host_dll" bench --ops get "${common[@]}" --requests "$requests" --json "$work/get-plain.json" >/dev/null
dotnet "$host_dll" bench --ops get "${common[@]}" --requests "$requests" --near-cache --json "$work/get-near.json" >/dev/null
{
  echo "read,ops_per_s,p50_ms,p99_ms"
  for f in plain near; do
    tr -d ' \n' <"$work/get-$f.json" | sed 's/.*"ops_per_second":\([0-9.]*\).*"p50_ms":\([0-9.]*\).*"p99_ms":\([0-9.]*\).*/\1 \2 \3/' \
      | awk -v f="$f" '{ printf "%s,%.0f,%.3f,%.3f\n", (f == "near" ? "near-cache" : "cluster"), $1, $2, $3 }'
  done
} | tee "$out/near-cache-get.csv" | column -t -s,
stop "$node_pid"

echo
echo "== Invalidation latency on 3 nodes (write acknowledged -> the other client's near cache dropped it; $rounds writes)"
rm -rf "$work/data"
start_node node1; first="${started[0]}"
start_node node2 "$first"; second="${started[0]}"
start_node node3 "$first"
dotnet "$host_dll" bench-invalidation --writer "127.0.0.1:$first" --reader "127.0.0.1:$second" --rounds "$rounds" --seconds 120 \
  | tee "$out/invalidation.txt"
