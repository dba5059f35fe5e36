#!/usr/bin/env bash
# Redis's data types, DistCache beside Redis in the same run on this machine:
#  1. redis-benchmark runs each collection operation (HSET, HGET, LPUSH, LPOP, SADD, SPOP, ZADD, and ZRANGE
#     of a 100-member sorted set) against a Redis and against a DistCache node's Redis endpoint, the same
#     commands, clients and request counts on both: in memory (DistCache durability none beside Redis without
#     AOF) and durable (always beside Redis with appendfsync always). Each row has the ratio DistCache/Redis and
#     the CPU per operation of each server and its redis-benchmark.
#  2. Memory per element: one key filled with ELEMENTS fields, elements or members (a hash, a list, a set and a
#     sorted set, 100 per command) in each server; Redis's used_memory growth against the growth of the node's
#     resident memory (what the node's process holds, garbage included, after a full collection has had time).
# Installs redis-server and redis-tools from Debian's packages when missing (needs root). Everything listens
# on 127.0.0.1; only the processes started here are stopped, by their PIDs. bench-vs-redis.sh runs this too.
#   CLIENTS=50 REQUESTS=200000 DURABLE_REQUESTS=20000 KEYSPACE=10000 ELEMENTS=1000000 \
#   TYPES="hash list set zset" ONLY=all|ops|memory bash scripts/bench-types.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

clients="${CLIENTS:-50}"
requests="${REQUESTS:-200000}"
durable_requests="${DURABLE_REQUESTS:-20000}"
keyspace="${KEYSPACE:-10000}"
elements="${ELEMENTS:-1000000}"
types="${TYPES:-hash list set zset}"
only="${ONLY:-all}"
case "$only" in all|ops|memory) ;; *) echo "ONLY=$only: expected all, ops or memory" >&2; exit 2 ;; esac
out="${1:-bench-results}"
mkdir -p "$out"
work="$(mktemp -d /tmp/distcache-types.XXXXXX)"
pids=()
trap stop_started EXIT

ensure_commands redis-server:redis-server redis-benchmark:redis-tools redis-cli:redis-tools

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"

# A 1M-element collection of short elements is ~30 MB of elements, past the default per-collection byte limit
# (distcache.max-value-bytes, 16 MB); Redis has no such limit, so the node here gets one as large.
printf 'distcache.max-value-bytes = 268435456\n' >"$work/large-collections.conf"

value="$(printf 'v%.0s' $(seq 1 32))"
# name|command: in this order on each server, so HGET, LPOP and SPOP find what HSET, LPUSH and SADD left.
operations=(
  "hset|HSET bench:hash element:__rand_int__ $value"
  "hget|HGET bench:hash element:__rand_int__"
  "lpush|LPUSH bench:list $value"
  "lpop|LPOP bench:list"
  "sadd|SADD bench:set element:__rand_int__"
  "spop|SPOP bench:set"
  "zadd|ZADD bench:zset __rand_int__ element:__rand_int__"
  "zrange 100|ZRANGE bench:zset100 0 99"
)

start_redis() { # name [redis-server args]: prints port and pid
  local name="$1"; shift
  local port; port="$(free_port)"
  rm -rf "${work:?}/$name"; mkdir -p "$work/$name"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --dir "$work/$name" "$@" >"$work/$name.log" 2>&1 &
  started=("$port" "$!")
  pids+=("$!")
  wait_for "$work/$name.log" "Ready to accept connections"
}

start_node() { # name durability
  local name="$1" mode="$2" port resp; port="$(free_port)"; resp="$(free_port)"
  rm -rf "${work:?}/$name"
  dotnet "$host_dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --data "$work/$name" --durability "$mode" \
    --config "$work/large-collections.conf" >"$work/$name.log" 2>&1 &
  started=("$resp" "$!")
  pids+=("$!")
  wait_for "$work/$name.log" "DistCache recovered"
}

stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

# 100 members for ZRANGE, then every operation; rows name,op,ops/s,p99 ms,server µs/op,generator µs/op.
run_ops() { # name port pid requests
  local name="$1" port="$2" pid="$3" n="$4" op
  redis-cli -p "$port" ZADD bench:zset100 $(for i in $(seq 1 100); do printf '%d member:%03d ' "$i" "$i"; done) >/dev/null
  for op in "${operations[@]}"; do
    # shellcheck disable=SC2086
    bench_row "$name" "${op%%|*}" "$port" "$pid" "$n" -c "$clients" -r "$keyspace" ${op#*|}
  done
}

# One unrecorded pass first on a node: the JIT compiles each command's path during its first requests.
ops_table() {
  : >"$work/ops.csv"
  start_redis redis --appendonly no; run_ops redis "${started[@]}" "$requests" >>"$work/ops.csv"; stop "${started[1]}"
  start_redis redis-always --appendonly yes --appendfsync always
  run_ops redis-always "${started[@]}" "$durable_requests" >>"$work/ops.csv"; stop "${started[1]}"
  start_node node-none none; run_ops warmup "${started[@]}" 20000 >/dev/null
  run_ops none "${started[@]}" "$requests" >>"$work/ops.csv"; stop "${started[1]}"
  start_node node-always always; run_ops warmup "${started[@]}" 5000 >/dev/null
  run_ops always "${started[@]}" "$durable_requests" >>"$work/ops.csv"; stop "${started[1]}"
  {
    echo "operation,mode,redis_ops,distcache_ops,ratio,redis_p99_ms,distcache_p99_ms,redis_cpu_us,redis_gen_cpu_us,distcache_cpu_us,distcache_gen_cpu_us"
    awk -F, '{ row[$1 "|" $2] = $0; if (!($2 in seen)) { seen[$2] = 1; ops[++n] = $2 } }
      END { for (m = 1; m <= 2; m++) for (i = 1; i <= n; i++) {
        r = (m == 1 ? "redis" : "redis-always"); d = (m == 1 ? "none" : "always")
        split(row[r "|" ops[i]], R, ","); split(row[d "|" ops[i]], D, ",")
        printf "%s,%s,%.0f,%.0f,%.3f,%.2f,%.2f,%.1f,%.1f,%.1f,%.1f\n", ops[i], d, R[3], D[3], (R[3] > 0 ? D[3] / R[3] : 0), R[4], D[4], R[5], R[6], D[5], D[6] } }' "$work/ops.csv"
  } >"$out/types.csv"
}

# ELEMENTS elements into one key, 100 per command, through redis-cli --pipe.
fill() { # port type
  awk -v n="$elements" -v t="$2" 'BEGIN {
    for (i = 0; i < n; i += 100) {
      m = (n - i < 100 ? n - i : 100)
      if (t == "hash") { printf "*%d\r\n$4\r\nHSET\r\n$8\r\nmem:hash\r\n", 2 + 2 * m; w = 2 }
      else if (t == "list") { printf "*%d\r\n$5\r\nRPUSH\r\n$8\r\nmem:list\r\n", 2 + m; w = 1 }
      else if (t == "set") { printf "*%d\r\n$4\r\nSADD\r\n$7\r\nmem:set\r\n", 2 + m; w = 1 }
      else { printf "*%d\r\n$4\r\nZADD\r\n$8\r\nmem:zset\r\n", 2 + 2 * m; w = 2 }
      for (j = i; j < i + m; j++) {
        e = sprintf("element:%012d", j)
        if (t == "zset") { s = sprintf("%d", j); printf "$%d\r\n%s\r\n", length(s), s }
        printf "$%d\r\n%s\r\n", length(e), e
        if (t == "hash") printf "$8\r\nvalue:%02d\r\n", j % 100
      } } }' | redis-cli -p "$1" --pipe >/dev/null
}

rss() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"; }
used_memory() { redis-cli -p "$1" info memory | awk -F: '/^used_memory:/ { print $2+0 }'; }

# Each type in a fresh server of each kind, so one type's garbage is not counted in another's figure.
memory_table() {
  local t before after count port pid
  echo "type,elements,redis_used_memory_bytes_per_element,distcache_resident_bytes_per_element,ratio" >"$out/types-memory.csv"
  for t in $types; do
    start_redis "redis-mem-$t" --appendonly no; port="${started[0]}"; pid="${started[1]}"
    before="$(used_memory "$port")"; fill "$port" "$t"; after="$(used_memory "$port")"
    local redis_per; redis_per="$(awk -v d="$((after - before))" -v n="$elements" 'BEGIN { printf "%.1f", d / n }')"
    stop "$pid"
    start_node "node-mem-$t" none; port="${started[0]}"; pid="${started[1]}"
    # The first commands compile the RESP path and grow the node's pools: measured from after one small key.
    redis-cli -p "$port" SET mem:warm 1 >/dev/null
    before="$(rss "$pid")"; fill "$port" "$t"
    count="$(redis-cli -p "$port" "$(case "$t" in hash) echo HLEN ;; list) echo LLEN ;; set) echo SCARD ;; zset) echo ZCARD ;; esac)" "mem:$t")"
    # Held elements, not the fill's in-flight garbage: the server's GC runs on its own within seconds.
    sleep 8
    after="$(rss "$pid")"
    stop "$pid"
    [ "$count" = "$elements" ] || { echo "distcache held $count of $elements elements of the $t" >&2; exit 1; }
    awk -v t="$t" -v n="$elements" -v r="$redis_per" -v d="$((after - before))" \
      'BEGIN { printf "%s,%d,%s,%.1f,%.2f\n", t, n, r, d / n, (r > 0 ? d / n / r : 0) }' >>"$out/types-memory.csv"
  done
}

[ "$only" = memory ] || ops_table
[ "$only" = ops ] || memory_table

echo
echo "Redis's data types: DistCache vs Redis on $(nproc) cores, $(date -u +%Y-%m-%d): redis-benchmark with $clients clients on both,"
echo "$requests requests in memory (none: Redis without AOF), $durable_requests durable (always: Redis appendfsync always), keyspace $keyspace"
[ "$only" = memory ] || column -t -s, "$out/types.csv"
echo
[ "$only" = ops ] || { echo "Memory per element, one key of $elements (Redis used_memory growth; DistCache resident memory growth)"; column -t -s, "$out/types-memory.csv"; }
