#!/usr/bin/env bash
# CPU per operation on one node and summed over a 3-node cluster, same load, same run (memory-only mode).
# On separate machines throughput grows with the nodes only if a cluster does not spend much more CPU per
# operation than one node does; this measures that ratio on this machine (the nodes share its cores).
#   scripts/cluster-cpu.sh [OUT_DIR]
# Environment: REQUESTS (per operation, default 200000), CLIENTS (default 50), OPS (default set,get,incr),
# NODES (default 3), WARMUP (requests per operation before measuring, default 100000), CLIENT: dotnet (default: `DistCache.Host bench`, the .NET client, which routes each key to
# its owner) or redis (`redis-benchmark --cluster` against the nodes' Redis ports: a cluster-aware Redis client
# that learns the slots from CLUSTER SLOTS and follows MOVED), IDLE_SECONDS (default 5: the nodes' CPU with no
# load is measured this long before the load, and each operation's share of it is printed, since timers, gossip
# and failure detection cost per node and per second, not per request), PROFILE (a folder: each run is recorded
# with `perf record -g` over all its nodes, with the runtime's perf map on, and summarised there by area and by
# thread). Every process listens on 127.0.0.1 and is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

out="${1:-}"
requests="${REQUESTS:-200000}"
clients="${CLIENTS:-50}"
ops="${OPS:-set,get,incr}"
cluster_size="${NODES:-3}"
client="${CLIENT:-dotnet}"
idle_seconds="${IDLE_SECONDS:-5}"
warmup="${WARMUP:-100000}"
profile="${PROFILE:-}"
perf_env=()
if [ -n "$profile" ]; then
  ensure_commands perf:linux-perf
  mkdir -p "$profile"; profile="$(cd "$profile" && pwd)"
  # W^X off: with it the JIT's code runs from a memfd mapping perf does not match against the perf map.
  perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
fi
case "$client" in dotnet|redis) ;; *) echo "CLIENT must be dotnet or redis" >&2; exit 2 ;; esac
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"
work="$(mktemp -d /tmp/distcache-cluster-cpu.XXXXXX)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null

ticks() { local sum=0; for pid in "$@"; do sum=$((sum + $(awk '{print $14+$15}' "/proc/$pid/stat"))); done; echo "$sum"; }
hz=$(getconf CLK_TCK)

# Starts N nodes (every one a seed of the others) and waits until each reports ready.
start_nodes() {
  local n="$1" label="$2" ports=() seeds=()
  for _ in $(seq 1 "$n"); do ports+=("$(free_port)"); done
  for p in "${ports[@]}"; do seeds+=(--seed "127.0.0.1:$p"); done
  node_pids=()
  contacts=()
  resp_ports=()
  for i in $(seq 0 $((n - 1))); do
    local http resp; http="$(free_port)"; resp="$(free_port)"
    resp_ports+=("$resp")
    env "${perf_env[@]}" dotnet "$host_dll" --host 127.0.0.1 --port "${ports[$i]}" "${seeds[@]}" --http-port "$http" --resp-port "$resp" --resp-cluster-mode auto \
      --data "$work/$label" --durability none >"$work/$label-node$i.log" 2>&1 &
    local pid=$!
    pids+=("$pid"); node_pids+=("$pid"); contacts+=(--contact "127.0.0.1:${ports[$i]}")
    for _ in $(seq 1 240); do
      grep -q "DistCache ready" "$work/$label-node$i.log" 2>/dev/null && break
      kill -0 "$pid" 2>/dev/null || { echo "node $i of $label failed:" >&2; tail -20 "$work/$label-node$i.log" >&2; exit 1; }
      sleep 0.5
    done
    http_ports+=("$http")
  done
  # Every shard placed and recovered on every node before the load starts.
  for h in "${http_ports[@]}"; do
    for _ in $(seq 1 240); do
      curl -sf "http://127.0.0.1:$h/health/ready" >/dev/null 2>&1 && break
      sleep 0.5
    done
  done
  # And balanced: partitions still moving to the last node would be measured as hand-offs (and, for a Redis
  # cluster client, as a node that owns no slots yet).
  for _ in $(seq 1 120); do
    dotnet "$host_dll" status "${contacts[@]}" --json 2>/dev/null | grep -q '"Balanced": true' && break
    sleep 1
  done
}

stop_nodes() {
  for pid in "${node_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# Redis-port requests the nodes served on the local path and forwarded, summed (distcache_resp_requests_total).
resp_paths() {
  local local_sum=0 fwd_sum=0 h
  for h in "${http_ports[@]}"; do
    local m; m=$(curl -sf "http://127.0.0.1:$h/metrics" || true)
    local_sum=$((local_sum + $(awk '/^distcache_resp_requests_total\{path="local"\}/ {printf "%d", $2; f=1} END {if (!f) print 0}' <<<"$m")))
    fwd_sum=$((fwd_sum + $(awk '/^distcache_resp_requests_total\{path="forwarded"\}/ {printf "%d", $2; f=1} END {if (!f) print 0}' <<<"$m")))
  done
  echo "$local_sum $fwd_sum"
}

# The nodes' CPU per second with no load (ticks per second, summed).
idle_rate() {
  local before; before=$(ticks "${node_pids[@]}")
  sleep "$idle_seconds"
  awk -v t=$(($(ticks "${node_pids[@]}") - before)) -v s="$idle_seconds" 'BEGIN{printf "%.2f", t / s}'
}

declare -A cost idle
run() {
  local n="$1" label="$2"
  http_ports=()
  start_nodes "$n" "$label"
  # Warm-up with every measured operation, twice with a pause, so the runtime's tiered JIT has compiled the
  # hot path on every node before anything is counted: each node compiles it for itself, and a short warm-up
  # left 55 % of the 3-node GET run's CPU on ".NET Tiered Compilation" (perf, 2026-12-07).
  cluster_flag=(); [ "$n" -gt 1 ] && cluster_flag=(--cluster)
  for warm in "$warmup" $((warmup / 4)); do
    if [ "$client" = dotnet ]; then
      dotnet "$host_dll" bench "${contacts[@]}" --ops "$ops" --requests "$warm" --clients "$clients" --key-prefix "warm:" >/dev/null
    else
      # redis-benchmark refuses --cluster with one node ("Invalid cluster"); one node owns every slot anyway.
      redis-benchmark "${cluster_flag[@]}" -h 127.0.0.1 -p "${resp_ports[0]}" -t "$ops" -n "$warm" -c "$clients" -r 10000 -d 32 -q >/dev/null
    fi
    sleep 2
  done
  local rate_idle; rate_idle=$(idle_rate)
  echo "$label idle: $(awk -v r="$rate_idle" -v hz="$hz" 'BEGIN{printf "%.3f", r / hz}') CPU-seconds per second (summed over $n node(s))"
  IFS=',' read -ra list <<<"$ops"
  for op in "${list[@]}"; do
    local before after rate paths_before started perf_pid=""
    paths_before=$(resp_paths)
    if [ -n "$profile" ]; then
      perf record -F 999 -g -p "$(IFS=,; echo "${node_pids[*]}")" -o "$profile/$label-$op.data" >"$work/perf-$label-$op.log" 2>&1 &
      perf_pid=$!
      sleep 1 # perf attaches to every thread before the load starts
    fi
    started=$(date +%s.%N)
    before=$(ticks "${node_pids[@]}")
    if [ "$client" = dotnet ]; then
      dotnet "$host_dll" bench "${contacts[@]}" --ops "$op" --requests "$requests" --clients "$clients" \
        --json "$work/$label-$op.json" >"$work/$label-$op.txt"
      after=$(ticks "${node_pids[@]}")
      rate=$(python3 -c "import json; r=json.load(open('$work/$label-$op.json'))[0]; print(round(r['ops_per_second']))")
    else
      redis-benchmark "${cluster_flag[@]}" -h 127.0.0.1 -p "${resp_ports[0]}" -t "$op" -n "$requests" -c "$clients" -r 10000 -d 32 -q \
        >"$work/$label-$op.txt" 2>&1
      after=$(ticks "${node_pids[@]}")
      # -q ends each test with "SET: 58038.56 requests per second, p50=…" after its \r-separated progress lines.
      rate=$(tr '\r' '\n' <"$work/$label-$op.txt" | awk -v op="${op^^}" '$1 == op":" && $3 == "requests" {printf "%d", $2}')
      [ -n "$rate" ] || { echo "redis-benchmark printed no rate for $op:" >&2; cat "$work/$label-$op.txt" >&2; exit 1; }
    fi
    if [ -n "$perf_pid" ]; then
      kill -INT "$perf_pid"; wait "$perf_pid" || true
      perf_areas "$profile/$label-$op.data" >"$profile/$label-$op-areas.txt" || true
      perf report -i "$profile/$label-$op.data" --no-children -g none --sort comm --stdio 2>/dev/null \
        | grep -E '^ +[0-9]' | head -20 >"$profile/$label-$op-threads.txt" || true
      perf report -i "$profile/$label-$op.data" --no-children -g none --sort dso,sym --stdio --percent-limit 0.5 2>/dev/null \
        | grep -E '^ +[0-9]' | head -50 >"$profile/$label-$op-symbols.txt" || true
    fi
    # The share of the idle cost that fell in this run: what the nodes burn per second with no load, times
    # the run's length, per request.
    idle[$label-$op]=$(awk -v r="$rate_idle" -v hz="$hz" -v s="$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{print b - a}')" -v n="$requests" \
      'BEGIN{printf "%.1f", r / hz * s * 1e6 / n}')
    cost[$label-$op]=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}')
    rates[$label-$op]="$rate"
    echo "$label $op: $rate ops/s, node CPU ${cost[$label-$op]} µs/op (summed over $n node(s)), of which ${idle[$label-$op]} the idle cost"
    if [ "$client" = redis ]; then
      read -r l0 f0 <<<"$paths_before"; read -r l1 f1 <<<"$(resp_paths)"
      echo "  Redis-port requests: $((l1 - l0)) served where they arrived, $((f1 - f0)) forwarded"
    fi
  done
  stop_nodes
}

declare -A rates
run 1 single
run "$cluster_size" cluster

{
  echo "| operation | 1 node ops/s | 1 node µs/op (idle share) | $cluster_size nodes ops/s | $cluster_size nodes µs/op, sum (idle share) | ratio | ratio without idle |"
  echo "|---|---|---|---|---|---|---|"
  IFS=',' read -ra list <<<"$ops"
  for op in "${list[@]}"; do
    ratio=$(awk -v a="${cost[cluster-$op]}" -v b="${cost[single-$op]}" 'BEGIN{printf "%.2f", a / b}')
    busy=$(awk -v a="${cost[cluster-$op]}" -v ai="${idle[cluster-$op]}" -v b="${cost[single-$op]}" -v bi="${idle[single-$op]}" 'BEGIN{printf "%.2f", (a - ai) / (b - bi)}')
    echo "| $op | ${rates[single-$op]} | ${cost[single-$op]} (${idle[single-$op]}) | ${rates[cluster-$op]} | ${cost[cluster-$op]} (${idle[cluster-$op]}) | ${ratio}× | ${busy}× |"
  done
} | tee "$work/table.md"
if [ -n "$out" ]; then mkdir -p "$out"; cp "$work"/*.txt "$work/table.md" "$out/"; cp "$work"/*.json "$out/" 2>/dev/null || true; fi
