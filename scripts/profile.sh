#!/usr/bin/env bash
# An on-CPU profile of one DistCache node under load: `perf record -g` on the node's process with the
# runtime's perf map on (DOTNET_PerfMapEnabled=1, so JIT-compiled frames have names; DOTNET_EnableWriteXorExecute=0,
# since with W^X the JIT's code runs from a memfd mapping perf does not match against the map). Unlike dotnet-trace's
# sampled thread time, perf samples only threads that are running, so the shares are shares of CPU.
# The load is redis-benchmark on the node's Redis endpoint (LOAD=resp, default) or the .NET bench client
# (LOAD=dotnet), SET and GET over KEYSPACE keys from CLIENTS connections, for SECONDS after WARMUP seconds.
# Prints where the node's CPU went: by area (kernel, runtime, GC, JIT-compiled code by namespace, SQLite),
# then the top symbols without children, and the node's CPU per operation from /proc. Needs perf (Debian's
# linux-perf) and redis-tools; installs them when missing (root). Listens on 127.0.0.1 only; stops only the
# processes it started, by PID.
#   DURABILITY=none|batched|always LOAD=resp|dotnet OPS=set,get CLIENTS=50 PIPELINE=1 PROFILE_SECONDS=15 WARMUP=10 \
#   KEYSPACE=10000 bash scripts/profile.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
durability="${DURABILITY:-none}"
load="${LOAD:-resp}"
ops="${OPS:-set,get}"
clients="${CLIENTS:-50}"
pipeline="${PIPELINE:-1}"
seconds="${PROFILE_SECONDS:-15}"
warmup="${WARMUP:-10}"
keyspace="${KEYSPACE:-10000}"
out="${1:-profile-results}"
mkdir -p "$out"
case "$durability" in none|batched|always) ;; *) echo "DURABILITY=$durability: expected none, batched or always" >&2; exit 2 ;; esac
case "$load" in resp|dotnet) ;; *) echo "LOAD=$load: expected resp or dotnet" >&2; exit 2 ;; esac

ensure_commands perf:linux-perf redis-benchmark:redis-tools curl:curl

work="$(mktemp -d /tmp/distcache-profile.XXXXXX)"
pids=()
trap stop_started EXIT
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"
port="$(free_port)"; resp="$(free_port)"; http="$(free_port)"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$host_dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --http-port "$http" --data "$work/data" \
  --durability "$durability" >"$work/node.log" 2>&1 &
node=$!
pids+=("$node")
for _ in $(seq 1 600); do grep -q "DistCache recovered" "$work/node.log" && break; sleep 0.1; done
grep -q "DistCache recovered" "$work/node.log" || { cat "$work/node.log" >&2; exit 1; }

# The load runs for warm-up plus profile time (bounded by its duration; redis-benchmark by -n, stopped
# when the profile ends).
total=$((warmup + seconds))
if [ "$load" = resp ]; then
  redis-benchmark -h 127.0.0.1 -p "$resp" -c "$clients" -n 100000000 -r "$keyspace" -d 32 -t "$ops" -P "$pipeline" -q >"$work/load.log" 2>&1 &
else
  dotnet "$host_dll" bench --ops "$ops" --clients "$clients" --requests 100000000 --duration "$total" --keyspace "$keyspace" \
    --value-size 32 --warmup 0 --contact "127.0.0.1:$port" --timeout 60 >"$work/load.log" 2>&1 &
fi
generator=$!
pids+=("$generator")
sleep "$warmup"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ops_done() { # operations the node's partitions answered so far, from its /metrics
  curl -s "http://127.0.0.1:$http/metrics" | awk '$1 ~ /^distcache_operations_total/ { n += $2 } END { printf "%d", n }'
}
before_ticks="$(ticks "$node")"
before_ops="$(ops_done || echo 0)"
perf record -F 999 -g -p "$node" -o "$out/perf.data" -- sleep "$seconds" >"$work/perf.log" 2>&1
after_ticks="$(ticks "$node")"
after_ops="$(ops_done || echo 0)"
kill -TERM "$generator" 2>/dev/null || true
hz="$(getconf CLK_TCK)"

perf report -i "$out/perf.data" --no-children -g none --sort dso,sym --stdio --percent-limit 0.3 2>/dev/null \
  | grep -v '^#' | grep -v '^$' | grep -E '^ +[0-9]' | head -60 >"$out/top-symbols.txt"
perf_areas "$out/perf.data" >"$out/areas.txt" || true

{
  echo "DistCache node on-CPU profile ($(date -u +%Y-%m-%d), $(nproc) cores): durability $durability, load $load ($ops, $clients clients, -P $pipeline), ${seconds} s after ${warmup} s warm-up"
  node_cpu="$(awk -v t="$((after_ticks - before_ticks))" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')"
  echo "node CPU in the profiled window: ${node_cpu} s over ${seconds} s"
  if [ "$after_ops" -gt "$before_ops" ]; then
    awk -v t="$((after_ticks - before_ticks))" -v hz="$hz" -v n="$((after_ops - before_ops))" -v s="$seconds" \
      'BEGIN { printf "operations: %d (%.0f/s); node CPU per operation: %.1f µs\n", n, n / s, t / hz * 1e6 / n }'
  fi
  echo
  echo "Where the node's CPU went, by the innermost frame of each sample:"
  cat "$out/areas.txt"
  echo
  echo "Top symbols (self time):"
  cat "$out/top-symbols.txt"
} | tee "$out/profile.txt"
