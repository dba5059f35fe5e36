#!/usr/bin/env bash
# Runs redis-benchmark against a Redis and DistCache's bench against a DistCache node, with the same
# concurrency, request count, key space and value size, in the same run on this machine, then prints a
# side-by-side table with the ratio DistCache/Redis and draws it as a PNG chart.
# Installs redis-server, redis-tools and gnuplot from Debian's packages when missing (needs root).
# Everything listens on 127.0.0.1; only the processes started here are stopped, by their PIDs.
#   CLIENTS=50 REQUESTS=20000 KEYSPACE=10000 VALUE_SIZE=32 bash scripts/bench-vs-redis.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

clients="${CLIENTS:-50}"
requests="${REQUESTS:-20000}"
keyspace="${KEYSPACE:-10000}"
size="${VALUE_SIZE:-32}"
out="${1:-bench-results}"
mkdir -p "$out"
work="$(mktemp -d /tmp/distcache-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done; done
  rm -rf "$work"
}
trap cleanup EXIT

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing ${need[*]} from Debian's packages" >&2
  # Keep the packages' services from starting: this script starts its own Redis.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
  [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
fi

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
wait_for() { for _ in $(seq 1 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out: $1" >&2; cat "$1" >&2; exit 1; }

# Redis, twice: in memory only, and with every write fsynced (appendonly yes, appendfsync always), the
# peer of DistCache's "journal every write before the reply".
run_redis() {
  local name="$1" tests="$2"; shift 2
  local port; port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --dir "$work" --appendfilename "$name.aof" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  wait_for "$work/$name.log" "Ready to accept connections"
  redis-benchmark -h 127.0.0.1 -p "$port" -c "$clients" -n "$requests" -r "$keyspace" -d "$size" -t "$tests" --csv 2>/dev/null \
    | tr -d '"' | awk -F, -v n="$name" 'NR>1 { print n "," tolower($1) "," $2 "," $7 }'
}

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"
dc_port="$(free_port)"
dotnet "$host_dll" --host 127.0.0.1 --port "$dc_port" --data "$work/distcache" >"$work/distcache.log" 2>&1 &
pids+=($!)
wait_for "$work/distcache.log" "DistCache recovered"

{
  run_redis redis set,get,incr --appendonly no
  run_redis redis-aof set,incr --appendonly yes --appendfsync always
} >"$work/redis.csv"

dotnet "$host_dll" bench --ops set,get,incr --clients "$clients" --requests "$requests" --keyspace "$keyspace" \
  --value-size "$size" --contact "127.0.0.1:$dc_port" --timeout 60 --json "$out/distcache.json" >&2
# The JSON is indented one field per line: pick op, ops/s and p99 without needing jq.
awk -F'[:,]' '/"op"/ { gsub(/[ "]/, "", $2); op=$2 } /"ops_per_second"/ { ops=$2+0 } /"p99_ms"/ { print "distcache," op "," ops "," $2+0 }' \
  "$out/distcache.json" >"$work/distcache.csv"
cp "$work/redis.csv" "$out/redis.csv"

{
  echo "op,redis_ops,distcache_ops,ratio,redis_p99_ms,distcache_p99_ms,redis_aof_ops,ratio_vs_aof"
  for op in set get incr; do
    r=$(awk -F, -v o="$op" '$1=="redis" && $2==o { print $3; exit }' "$work/redis.csv")
    rp=$(awk -F, -v o="$op" '$1=="redis" && $2==o { print $4; exit }' "$work/redis.csv")
    a=$(awk -F, -v o="$op" '$1=="redis-aof" && $2==o { print $3; exit }' "$work/redis.csv")
    d=$(awk -F, -v o="$op" '$2==o { print $3; exit }' "$work/distcache.csv")
    dp=$(awk -F, -v o="$op" '$2==o { print $4; exit }' "$work/distcache.csv")
    awk -v o="$op" -v r="${r:-0}" -v d="${d:-0}" -v rp="${rp:-}" -v dp="${dp:-}" -v a="${a:-}" 'BEGIN {
      printf "%s,%.0f,%.0f,%.3f,%s,%.2f,%s,%s\n", o, r, d, (r > 0 ? d / r : 0), rp, dp, (a == "" ? "-" : sprintf("%.0f", a)), (a == "" || a == 0 ? "-" : sprintf("%.3f", d / a)) }'
  done
} >"$out/comparison.csv"

echo
echo "DistCache vs Redis on $(nproc) cores, $(date -u +%Y-%m-%d): $clients clients, $requests requests, keyspace $keyspace, value $size B"
column -t -s, "$out/comparison.csv"

gnuplot <<GNUPLOT
set terminal pngcairo size 900,500 noenhanced
set output "$out/comparison.png"
set title "ops/s, $clients clients, value $size B ($(date -u +%Y-%m-%d))"
set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top right
set ylabel "operations per second"
set grid ytics
plot "$out/comparison.csv" every ::1 using 2:xtic(1) title "Redis", '' every ::1 using 3 title "DistCache"
GNUPLOT
echo "chart: $out/comparison.png"
