#!/usr/bin/env bash
# CPU per operation on one node and summed over a 3-node cluster, same load, same run (memory-only mode).
# On separate machines throughput grows with the nodes only if a cluster does not spend much more CPU per
# operation than one node does; this measures that ratio on this machine (the nodes share its cores).
#   scripts/cluster-cpu.sh [OUT_DIR]
# Environment: REQUESTS (per operation, default 200000), CLIENTS (default 50), OPS (default set,get,incr),
# NODES (default 3), CLIENT: dotnet (default: `DistCache.Host bench`, the .NET client, which routes each key to
# its owner) or redis (`redis-benchmark --cluster` against the nodes' Redis ports: a cluster-aware Redis client
# that learns the slots from CLUSTER SLOTS and follows MOVED). Every process listens on 127.0.0.1 and is
# stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-}"
requests="${REQUESTS:-200000}"
clients="${CLIENTS:-50}"
ops="${OPS:-set,get,incr}"
cluster_size="${NODES:-3}"
client="${CLIENT:-dotnet}"
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
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
    dotnet "$host_dll" --host 127.0.0.1 --port "${ports[$i]}" "${seeds[@]}" --http-port "$http" --resp-port "$resp" --resp-cluster-mode auto \
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

declare -A cost
run() {
  local n="$1" label="$2"
  http_ports=()
  start_nodes "$n" "$label"
  # A short warm-up so JIT and the client's owner table are in place before anything is counted.
  if [ "$client" = dotnet ]; then
    dotnet "$host_dll" bench "${contacts[@]}" --ops set,get --requests 20000 --clients "$clients" --key-prefix "warm:" >/dev/null
  else
    # redis-benchmark refuses --cluster with one node ("Invalid cluster"); one node owns every slot anyway.
    cluster_flag=(); [ "$n" -gt 1 ] && cluster_flag=(--cluster)
    redis-benchmark "${cluster_flag[@]}" -h 127.0.0.1 -p "${resp_ports[0]}" -t set,get -n 20000 -c "$clients" -r 10000 -d 32 -q >/dev/null
  fi
  IFS=',' read -ra list <<<"$ops"
  for op in "${list[@]}"; do
    local before after rate paths_before
    paths_before=$(resp_paths)
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
    cost[$label-$op]=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}')
    rates[$label-$op]="$rate"
    echo "$label $op: $rate ops/s, node CPU ${cost[$label-$op]} µs/op (summed over $n node(s))"
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
  echo "| operation | 1 node ops/s | 1 node µs/op | $cluster_size nodes ops/s | $cluster_size nodes µs/op (sum) | ratio |"
  echo "|---|---|---|---|---|---|"
  IFS=',' read -ra list <<<"$ops"
  for op in "${list[@]}"; do
    ratio=$(awk -v a="${cost[cluster-$op]}" -v b="${cost[single-$op]}" 'BEGIN{printf "%.2f", a / b}')
    echo "| $op | ${rates[single-$op]} | ${cost[single-$op]} | ${rates[cluster-$op]} | ${cost[cluster-$op]} | ${ratio}× |"
  done
} | tee "$work/table.md"
if [ -n "$out" ]; then mkdir -p "$out"; cp "$work"/*.txt "$work/table.md" "$out/"; cp "$work"/*.json "$out/" 2>/dev/null || true; fi
