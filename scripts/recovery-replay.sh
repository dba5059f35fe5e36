#!/usr/bin/env bash
# Recovers one node again and again from the same data, to compare builds on equal terms: for each round
# and each build given (paths to DistCache.Host.dll), copies DATA (a data folder as a kill -9 left it, e.g.
# data-at-kill from `KEEP=1 bash scripts/recovery-bench.sh`), starts a node on the copy, waits for
# "DistCache recovered", prints its time and the node's CPU seconds until then (from /proc), and kills it.
# NODE_ENV adds environment variables to the nodes (e.g. NODE_ENV="DOTNET_TieredPGO=0"). Listens on
# 127.0.0.1 only; only the processes started here are stopped, by PID.
#   ROUNDS=3 PORT=4890 NODE_ENV= bash scripts/recovery-replay.sh DATA [HOST_DLL ...]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: recovery-replay.sh DATA [HOST_DLL ...]}"
shift
builds=("$@")
if [ "${#builds[@]}" -eq 0 ]; then
  dotnet build DistCache.Host -c Release -nologo -v quiet >&2
  builds=("$PWD/DistCache.Host/bin/Release/net10.0/DistCache.Host.dll")
fi
rounds="${ROUNDS:-3}"
port="${PORT:-4890}"
work="$(mktemp -d /tmp/distcache-replay.XXXXXX)"
pid=""
trap '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

for round in $(seq 1 "$rounds"); do
  for i in "${!builds[@]}"; do
    rm -rf "$work/data" && cp -r "$data" "$work/data" && sync
    # shellcheck disable=SC2086 # NODE_ENV is a list of assignments
    env ${NODE_ENV:-} dotnet "${builds[$i]}" --host 127.0.0.1 --port "$port" --http-port "$((port + 1))" --data "$work/data" >"$work/node.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1200); do
      grep -q "DistCache recovered" "$work/node.log" && break
      kill -0 "$pid" 2>/dev/null || { cat "$work/node.log" >&2; exit 1; }
      sleep 0.1
    done
    cpu="$(awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$pid/stat")"
    echo "round $round build #$((i + 1)): $(grep -o 'DistCache recovered.*' "$work/node.log"), node CPU ${cpu} s"
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  done
done
for i in "${!builds[@]}"; do echo "build #$((i + 1)) = ${builds[$i]}"; done
