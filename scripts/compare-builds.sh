#!/usr/bin/env bash
# Two builds of DistCache back to back on one node each (durability none), beside Redis in the same run:
# a before/after check for a change to the request path. For each build: the .NET client (`bench`) and
# redis-benchmark on the node's Redis port, each with the node's CPU per operation and the load generator's;
# Redis's own server and generator CPU per operation beside them. Builds alternate for ROUNDS rounds (the
# shared cores drift; alternating spreads the drift over both), and the table has each round's figures.
#   scripts/compare-builds.sh OLD_HOST_DLL [NEW_HOST_DLL] [OUT_DIR]
# NEW_HOST_DLL defaults to this checkout's Release build. Environment: ROUNDS (2), REQUESTS (200000),
# CLIENTS (50), OPS (set,get), WARMUP (seconds of .NET client warm-up, 10). PERF=1 also records
# `perf record -g` of the .NET client process of each build's last round (the client's send path, from 3 s
# after its warm-up: start-up and the JIT are left out) into
# OUT_DIR/client-<build>.data with a summary by area. Everything listens on 127.0.0.1; only processes
# started here are stopped, by their PIDs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

old="${1:?usage: compare-builds.sh OLD_HOST_DLL [NEW_HOST_DLL] [OUT_DIR]}"
new="${2:-DistCache.Host/bin/Release/net10.0/DistCache.Host.dll}"
out="${3:-compare-results}"
rounds="${ROUNDS:-2}"
requests="${REQUESTS:-200000}"
clients="${CLIENTS:-50}"
ops="${OPS:-set,get}"
warmup="${WARMUP:-10}"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
work="$(mktemp -d /tmp/distcache-compare.XXXXXX)"
pids=()
trap stop_started EXIT
ensure_commands redis-server:redis-server redis-benchmark:redis-tools
[ "${PERF:-0}" = 0 ] || ensure_commands perf:linux-perf
[ "$new" != "DistCache.Host/bin/Release/net10.0/DistCache.Host.dll" ] || dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
for dll in "$old" "$new"; do [ -f "$dll" ] || { echo "no such build: $dll" >&2; exit 2; }; done

# Rows: round,build,client,op,ops/s,p99 ms,server CPU µs/op,generator CPU µs/op
run_build() { # round label dll
  local round="$1" label="$2" dll="$3" port resp http
  port="$(free_port)"; resp="$(free_port)"; http="$(free_port)"
  rm -rf "$work/data-$label"
  dotnet "$dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --http-port "$http" --data "$work/data-$label" --durability none \
    >"$work/node-$label.log" 2>&1 &
  local node=$!
  pids+=("$node")
  wait_for "$work/node-$label.log" "DistCache recovered"
  local bench=(dotnet "$dll" bench --ops "$ops" --clients "$clients" --requests "$requests" --keyspace 10000 --value-size 32
    --warmup "$warmup" --contact "127.0.0.1:$port" --timeout 60 --json "$work/$label.json" --metrics "http://127.0.0.1:$http/metrics")
  if [ "${PERF:-0}" != 0 ] && [ "$round" = "$rounds" ]; then
    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 999 -g -D $(( (warmup + 3) * 1000 )) -o "$out/client-$label.data" -- "${bench[@]}" >"$work/bench-$label.txt" 2>&1
    perf_areas "$out/client-$label.data" >"$out/client-$label-areas.txt" || true
    perf report -i "$out/client-$label.data" --no-children -g none --sort dso,sym --stdio --percent-limit 0.7 2>/dev/null \
      | grep -E '^ +[0-9]' | head -40 >"$out/client-$label-symbols.txt" || true
  else
    "${bench[@]}" >"$work/bench-$label.txt" 2>&1
  fi
  awk -F'[:,]' -v r="$round" -v b="$label" '/"op"/ { gsub(/[ "]/, "", $2); op=$2 } /"ops_per_second"/ { ops=$2+0 } /"p99_ms"/ { p99=$2+0 }
    /"node_cpu_us_per_op"/ { n=$2+0 } /"client_cpu_us_per_op"/ { c=$2+0 }
    /"rows_per_commit"/ { printf "%s,%s,dotnet,%s,%.0f,%.2f,%.1f,%.1f\n", r, b, op, ops, p99, n, c }' "$work/$label.json"
  local t
  for t in ${ops//,/ }; do bench_row warmup "$t" "$resp" "$node" 50000 -c "$clients" -r 10000 -d 32 -t "$t" >/dev/null; done
  for t in ${ops//,/ }; do
    bench_row "$label" "$t" "$resp" "$node" "$requests" -c "$clients" -r 10000 -d 32 -t "$t" | awk -F, -v r="$round" '{ print r "," $1 ",redis-benchmark," $2 "," $3 "," $4 "," $5 "," $6 }'
  done
  kill -TERM "$node"; wait "$node" 2>/dev/null || true
}

run_redis() { # round
  local port; port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_for "$work/redis.log" "Ready to accept connections"
  local t
  for t in ${ops//,/ }; do
    bench_row redis "$t" "$port" "$pid" "$requests" -c "$clients" -r 10000 -d 32 -t "$t" | awk -F, -v r="$1" '{ print r "," $1 ",redis-benchmark," $2 "," $3 "," $4 "," $5 "," $6 }'
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

{
  echo "round,build,client,op,ops_per_s,p99_ms,server_cpu_us_per_op,generator_cpu_us_per_op"
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then run_build "$round" old "$old"; run_build "$round" new "$new"
    else run_build "$round" new "$new"; run_build "$round" old "$old"; fi
    run_redis "$round"
  done
} | tee "$out/compare.csv"
if [ "${PERF:-0}" != 0 ]; then
  for b in old new; do echo "== the .NET client of build $b, by area"; cat "$out/client-$b-areas.txt"; done
fi
