#!/usr/bin/env bash
# Runs redis-benchmark against a Redis and DistCache's bench against a DistCache node, with the same
# concurrency, request count, key space and value size, in the same run on this machine; then
# redis-benchmark itself against the node's Redis protocol endpoint (without and with -P 16 pipelining);
# prints a side-by-side table with the ratio DistCache/Redis and draws it as a PNG chart.
# Installs redis-server, redis-tools and gnuplot from Debian's packages when missing (needs root).
# Everything listens on 127.0.0.1; only the processes started here are stopped, by their PIDs.
# Each DistCache durability mode runs beside its Redis peer (none: Redis in memory; batched: appendfsync
# everysec; always: appendfsync always), then both hold 1,000,000 keys for a memory comparison.
# Durable modes (batched, always) run for DURABLE_SECONDS (30) per operation rather than a request count, so
# a backlog cannot hide the journal's sustained rate; redis-benchmark against their RESP endpoint gets as
# many requests as the .NET client managed in that time (twice that with -P 16).
# The throughput comparison runs in rounds until two rounds in a row give every DistCache/Redis ratio within
# TOLERANCE (10 %) of each other, at most MAX_ROUNDS (3); it says how many rounds that took (or which rows
# still moved), and the table is the last round's.
# TLS rows: redis-benchmark --tls against DistCache's Redis endpoint over TLS beside Redis's own TLS port
# (Debian's redis-server is built with TLS), each beside the same server's plain port, with what TLS costs
# in throughput (certificates: a throwaway ECDSA P-256 CA made with openssl). ONLY=tls runs just those;
# ONLY=memory just the memory comparison (a few minutes, for a change to what a key or value costs);
# ONLY=types just the data types' rows and memory per element (scripts/bench-types.sh, run last by ONLY=all).
# Keyspace notifications: SET with notify-keyspace-events off, KEA without a subscriber and KEA with one
# (redis-cli PSUBSCRIBE '__key*__:*'), redis-server in memory beside a node with durability none, both driven
# by redis-benchmark; ONLY=keyspace runs just those rows (a few minutes).
#   CLIENTS=50 REQUESTS=200000 KEYSPACE=10000 VALUE_SIZE=32 WARMUP=15 DURABLE_SECONDS=30 MEMORY_KEYS=1000000 \
#   MAX_ROUNDS=3 TOLERANCE=0.10 ONLY=all|tls|memory|types|keyspace bash scripts/bench-vs-redis.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

clients="${CLIENTS:-50}"
requests="${REQUESTS:-200000}"
keyspace="${KEYSPACE:-10000}"
size="${VALUE_SIZE:-32}"
warmup="${WARMUP:-15}"
durable_seconds="${DURABLE_SECONDS:-30}"
max_rounds="${MAX_ROUNDS:-3}"
tolerance="${TOLERANCE:-0.10}"
only="${ONLY:-all}"
case "$only" in all|tls|memory|types|keyspace) ;; *) echo "ONLY=$only: expected all, tls, memory, types or keyspace" >&2; exit 2 ;; esac
out="${1:-bench-results}"
# Redis's data types (HSET ... ZRANGE, memory per element) have a script of their own; ONLY=all runs it last.
[ "$only" != types ] || exec bash scripts/bench-types.sh "$out"
mkdir -p "$out"
work="$(mktemp -d /tmp/distcache-bench.XXXXXX)"
pids=()
trap stop_started EXIT

ensure_commands redis-server:redis-server redis-benchmark:redis-tools gnuplot:gnuplot-nox openssl:openssl

# Redis three ways, each the peer of one DistCache durability mode: in memory only (none), appendonly
# with appendfsync everysec (batched), appendonly with appendfsync always (always).
# redis-benchmark rows as name,op,ops/s,p99 ms,server CPU µs/op,redis-benchmark CPU µs/op. One
# redis-benchmark run per operation, so each row's CPU is that operation's: the server's from its
# /proc/PID/stat before and after, the generator's from this subshell's reaped-children CPU.
redis_bench() { # name port server-pid tests [extra redis-benchmark args]
  local name="$1" port="$2" server="$3" tests="$4"; shift 4
  local t
  for t in ${tests//,/ }; do
    bench_row "$name" "" "$port" "$server" "$requests" -c "$clients" -r "$keyspace" -d "$size" -t "$t" "$@"
  done
}

run_redis() {
  local name="$1" tests="$2"; shift 2
  local port; port="$(free_port)"
  # A fresh directory each round, so a round never starts by loading the previous round's AOF.
  rm -rf "$work/$name"; mkdir -p "$work/$name"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --dir "$work/$name" --appendfilename "$name.aof" "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_for "$work/$name.log" "Ready to accept connections"
  redis_bench "$name" "$port" "$pid" "$tests"
  redis_bench "$name-p16" "$port" "$pid" "$tests" -P 16
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

# A throwaway CA and one server certificate for 127.0.0.1 (ECDSA P-256: the cheapest handshakes), used by
# Redis's TLS port and DistCache's alike; redis-benchmark trusts the CA.
certs="$work/certs"
mkdir -p "$certs"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$certs/ca.key" 2>/dev/null
openssl req -x509 -new -key "$certs/ca.key" -sha256 -days 2 -subj "/O=DistCache Bench/CN=Bench CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out "$certs/ca.crt" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$certs/node.key" 2>/dev/null
openssl req -new -key "$certs/node.key" -subj "/O=DistCache Bench/CN=node" 2>/dev/null \
  | openssl x509 -req -CA "$certs/ca.crt" -CAkey "$certs/ca.key" -CAcreateserial -days 2 -sha256 -out "$certs/node.crt" \
    -extfile <(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n') 2>/dev/null
# TLS on the Redis port only, so the rows measure what the Redis endpoint's TLS costs.
printf 'distcache.tls { cluster = off, http = off }\n' >"$certs/resp-only.conf"
tls_client=(--tls --cacert "$certs/ca.crt")

# Redis with a plain port and a TLS port (redis.conf TLS/SSL; clients need no certificate, as DistCache's
# default): rows redis-plain and redis-tls, the same server back to back.
run_redis_tls() {
  local port tls_port; port="$(free_port)"; tls_port="$(free_port)"
  rm -rf "$work/redis-tls"; mkdir -p "$work/redis-tls"
  redis-server --bind 127.0.0.1 --port "$port" --tls-port "$tls_port" --tls-cert-file "$certs/node.crt" --tls-key-file "$certs/node.key" \
    --tls-ca-cert-file "$certs/ca.crt" --tls-auth-clients no --save "" --appendonly no --dir "$work/redis-tls" >"$work/redis-tls.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_for "$work/redis-tls.log" "Ready to accept connections"
  redis_bench redis-plain "$port" "$pid" set,get
  redis_bench redis-tls "$tls_port" "$pid" set,get "${tls_client[@]}"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
host_dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"

# One DistCache node per durability mode, each benched after a warm-up (the JIT compiles the hot paths
# of node and client during the first seconds; Redis is native and needs none).
run_distcache() {
  local mode="$1" ops="$2"
  local port resp http; port="$(free_port)"; resp="$(free_port)"; http="$(free_port)"
  rm -rf "$work/distcache-$mode"
  dotnet "$host_dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --http-port "$http" --data "$work/distcache-$mode" --durability "$mode" \
    >"$work/distcache-$mode.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_for "$work/distcache-$mode.log" "DistCache recovered"
  local length=(--requests "$requests")
  [ "$mode" = none ] || length=(--requests 10000000 --duration "$durable_seconds")
  dotnet "$host_dll" bench --ops "$ops" --clients "$clients" "${length[@]}" --keyspace "$keyspace" \
    --value-size "$size" --warmup "$warmup" --contact "127.0.0.1:$port" --timeout 60 --json "$work/distcache-$mode.json" \
    --metrics "http://127.0.0.1:$http/metrics" >&2
  # The JSON is indented one field per line: pick op, ops/s, p99 and the node's and the client's CPU per
  # operation without needing jq (rows_per_commit closes each operation's fields).
  awk -F'[:,]' -v m="$mode" '/"op"/ { gsub(/[ "]/, "", $2); op=$2 } /"ops_per_second"/ { ops=$2+0 } /"p99_ms"/ { p99=$2+0 }
    /"node_cpu_us_per_op"/ { n=$2+0 } /"client_cpu_us_per_op"/ { c=$2+0 }
    /"rows_per_commit"/ { printf "%s,%s,%s,%s,%.1f,%.1f\n", m, op, ops, p99, n, c }' "$work/distcache-$mode.json"
  # What each operation cost (from the node's /metrics and both processes' CPU time): mode,op,node µs/op,
  # client µs/op, journal rows/s, writes per row, rows per commit.
  awk -F'[:,]' -v m="$mode" '/"op"/ { gsub(/[ "]/, "", $2); op=$2 } /"node_cpu_us_per_op"/ { n=$2+0 } /"client_cpu_us_per_op"/ { c=$2+0 }
    /"journal_rows_per_second"/ { r=$2+0 } /"writes_per_row"/ { w=$2+0 }
    /"rows_per_commit"/ { printf "%s,%s,%.0f,%.0f,%.0f,%.2f,%.1f\n", m, op, n, c, r, w, $2+0 }' "$work/distcache-$mode.json" >>"$work/costs.csv"
  # redis-benchmark itself against the node's Redis protocol endpoint, after one unrecorded pass; in a
  # durable mode with as many requests as the .NET client did in DURABLE_SECONDS (sustained, not a burst).
  redis_bench warmup "$resp" "$pid" "$ops" >/dev/null
  if [ "$mode" = none ]; then
    redis_bench "resp-$mode" "$resp" "$pid" "$ops"
    redis_bench "resp-p16-$mode" "$resp" "$pid" "$ops" -P 16
  else
    local rate n
    rate="$(awk -F'[:,]' '/"ops_per_second"/ { s += $2; n++ } END { print (n ? s / n : 1000) }' "$work/distcache-$mode.json")"
    n="$(awk -v r="$rate" -v t="$durable_seconds" 'BEGIN { printf "%d", r * t }')"
    requests="$n" redis_bench "resp-$mode" "$resp" "$pid" "$ops"
    requests="$((n * 2))" redis_bench "resp-p16-$mode" "$resp" "$pid" "$ops" -P 16
  fi
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

# A node (durability none) with its Redis endpoint plain or over TLS, driven by redis-benchmark only:
# rows resp-plain and resp-tls, after one unrecorded pass (the JIT compiles the RESP and TLS paths).
run_distcache_resp() { # plain|tls
  local kind="$1" port resp; port="$(free_port)"; resp="$(free_port)"
  local serve=() client=()
  [ "$kind" = plain ] || { serve=(--tls-cert "$certs/node.crt" --tls-key "$certs/node.key" --tls-ca "$certs/ca.crt" --config "$certs/resp-only.conf"); client=("${tls_client[@]}"); }
  rm -rf "$work/distcache-resp-$kind"
  dotnet "$host_dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --data "$work/distcache-resp-$kind" --durability none "${serve[@]}" \
    >"$work/distcache-resp-$kind.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_for "$work/distcache-resp-$kind.log" "DistCache recovered"
  redis_bench warmup "$resp" "$pid" set,get "${client[@]}" >/dev/null
  redis_bench "resp-$kind" "$resp" "$pid" set,get "${client[@]}"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

# Keyspace notifications, each setting in turn on one server (set by CONFIG SET, as a user would): off, KEA
# with nobody subscribed (every SET still publishes two messages), KEA with one redis-cli reading them all.
# Rows keyspace-off, keyspace-kea, keyspace-kea-sub under the server's name (redis or distcache).
keyspace_rows() { # name port server-pid
  local name="$1" port="$2" server="$3" setting sub
  for setting in off kea kea-sub; do
    redis-cli -p "$port" config set notify-keyspace-events "$([ "$setting" = off ] || echo KEA)" >/dev/null
    sub=""
    if [ "$setting" = kea-sub ]; then
      redis-cli -p "$port" psubscribe '__key*__:*' >/dev/null &
      sub=$!
      pids+=("$sub")
      sleep 1
    fi
    bench_row "$name" "keyspace-$setting" "$port" "$server" "$requests" -c "$clients" -r "$keyspace" -d "$size" -t set
    [ -z "$sub" ] || { kill -TERM "$sub"; wait "$sub" 2>/dev/null || true; }
  done
  redis-cli -p "$port" config set notify-keyspace-events "" >/dev/null
}
keyspace_compare() {
  : >"$work/keyspace.csv"
  local port pid resp
  port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$work" >"$work/redis-keyspace.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for "$work/redis-keyspace.log" "Ready to accept connections"
  keyspace_rows redis "$port" "$pid" >>"$work/keyspace.csv"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  port="$(free_port)"; resp="$(free_port)"
  rm -rf "$work/distcache-keyspace"
  dotnet "$host_dll" --host 127.0.0.1 --port "$port" --resp-port "$resp" --data "$work/distcache-keyspace" --durability none \
    >"$work/distcache-keyspace.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for "$work/distcache-keyspace.log" "DistCache recovered"
  # One unrecorded pass with notifications on, so the JIT has compiled the publishing path too.
  redis-cli -p "$resp" config set notify-keyspace-events KEA >/dev/null
  redis_bench warmup "$resp" "$pid" set >/dev/null
  keyspace_rows distcache "$resp" "$pid" >>"$work/keyspace.csv"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  # setting, both servers' ops/s, DistCache/Redis, and what notifications cost each server against its own off row.
  {
    echo "set_with,redis_ops,distcache_ops,ratio,redis_vs_off,distcache_vs_off,redis_cpu_us,distcache_cpu_us,redis_p99_ms,distcache_p99_ms"
    awk -F, '{ ops[$1, $2] = $3; p99[$1, $2] = $4; cpu[$1, $2] = $5 }
      END { split("keyspace-off keyspace-kea keyspace-kea-sub", s, " ")
        for (i = 1; i <= 3; i++) { k = s[i]; r = ops["redis", k]; d = ops["distcache", k]
          printf "%s,%.0f,%.0f,%.3f,%.3f,%.3f,%.1f,%.1f,%.2f,%.2f\n", k, r, d, (r > 0 ? d / r : 0),
            (ops["redis", s[1]] > 0 ? r / ops["redis", s[1]] : 0), (ops["distcache", s[1]] > 0 ? d / ops["distcache", s[1]] : 0),
            cpu["redis", k], cpu["distcache", k], p99["redis", k], p99["distcache", k] } }' "$work/keyspace.csv"
  } >"$out/keyspace.csv"
  echo
  echo "Keyspace notifications: SET, $clients clients, $requests requests, keyspace $keyspace, value $size B (redis-benchmark on both;"
  echo "DistCache durability none; *_vs_off: ops/s against the same server with notifications off; CPU: µs per SET of the server)"
  column -t -s, "$out/keyspace.csv"
}
if [ "$only" = keyspace ]; then
  keyspace_compare
  exit 0
fi

# One round of the throughput comparison: every Redis peer, every DistCache mode, then the side-by-side rows.
measure_round() {
  : >"$work/redis.csv"
  : >"$work/distcache.csv"
  : >"$work/costs.csv"
  if [ "$only" = all ]; then
    {
      run_redis redis set,get,incr --appendonly no
      run_redis redis-everysec set,incr --appendonly yes --appendfsync everysec
      run_redis redis-always set,incr --appendonly yes --appendfsync always
    } >"$work/redis.csv"
    {
      run_distcache none set,get,incr
      run_distcache batched set,incr
      run_distcache always set,get,incr
    } >"$work/distcache.csv"
  fi
  run_redis_tls >>"$work/redis.csv"
  { run_distcache_resp plain; run_distcache_resp tls; } >>"$work/distcache.csv"
  tls_table >"$work/tls.csv"
  { echo "mode,operation,node_cpu_us_per_op,client_cpu_us_per_op,journal_rows_per_s,writes_per_row,rows_per_commit"; cat "$work/costs.csv"; } >"$work/costs-table.csv"
  comparison >"$work/comparison.csv"
}

# Each DistCache mode beside its Redis peer: the .NET client (bench), then redis-benchmark on the RESP endpoint.
# Each row also says what one operation cost in CPU: the server (redis-server, the DistCache node) and its
# load generator (redis-benchmark, or the .NET bench client), and how many of the machine's cores the server
# and its generator kept busy together (ops/s × CPU per op): near the core count, the shared cores cap the row.
pair() { # label distcache-row redis-row op
  local r d
  r=$(awk -F, -v n="$3" -v o="$4" '$1==n && $2==o { print; exit }' "$work/redis.csv")
  d=$(awk -F, -v m="$2" -v o="$4" '$1==m && $2==o { print; exit }' "$work/distcache.csv")
  awk -v row="$1" -v peer="$3" -v r="${r:-,,0,0,0,0}" -v d="${d:-,,0,0,0,0}" 'BEGIN {
    split(r, R, ","); split(d, D, ",")
    printf "%s,%s,%.0f,%.0f,%.3f,%.2f,%.2f,%.1f,%.1f,%.1f,%.1f,%.2f,%.2f\n", row, peer, R[3], D[3], (R[3] > 0 ? D[3] / R[3] : 0), R[4], D[4],
      R[5], R[6], D[5], D[6], R[3] * (R[5] + R[6]) / 1e6, D[3] * (D[5] + D[6]) / 1e6 }'
}
comparison() {
  echo "operation,redis_peer,redis_ops,distcache_ops,ratio,redis_p99_ms,distcache_p99_ms,redis_cpu_us,redis_gen_cpu_us,distcache_cpu_us,distcache_gen_cpu_us,redis_cores,distcache_cores"
  for op in set get; do pair "resp $op (plain port)" resp-plain redis-plain "$op"; done
  for op in set get; do pair "resp $op (TLS port)" resp-tls redis-tls "$op"; done
  [ "$only" = all ] || return 0
  for op in set get incr; do pair "$op (none)" none redis "$op"; done
  for op in set incr; do pair "$op (batched)" batched redis-everysec "$op"; done
  for op in set incr get; do pair "$op (always)" always "$([ "$op" = get ] && echo redis || echo redis-always)" "$op"; done
  for op in set get incr; do pair "resp $op (none)" resp-none redis "$op"; done
  for op in set get incr; do pair "resp -P16 $op (none)" resp-p16-none redis-p16 "$op"; done
  for op in set incr; do pair "resp $op (batched)" resp-batched redis-everysec "$op"; done
  for op in set incr; do pair "resp -P16 $op (batched)" resp-p16-batched redis-everysec-p16 "$op"; done
  for op in set incr; do pair "resp $op (always)" resp-always redis-always "$op"; done
  for op in set incr; do pair "resp -P16 $op (always)" resp-p16-always redis-always-p16 "$op"; done
}

# What TLS costs each server: its TLS port's throughput beside its plain port's, in the same run.
tls_table() {
  echo "operation,redis_plain_ops,redis_tls_ops,redis_tls_cost,distcache_plain_ops,distcache_tls_ops,distcache_tls_cost,redis_tls_p99_ms,distcache_tls_p99_ms"
  for op in set get; do
    awk -F, -v o="$op" 'FNR == NR && $2 == o { r[$1] = $3; rp[$1] = $4; next } $2 == o { d[$1] = $3; dp[$1] = $4 }
      END { rc = (r["redis-plain"] > 0 ? 1 - r["redis-tls"] / r["redis-plain"] : 0); dc = (d["resp-plain"] > 0 ? 1 - d["resp-tls"] / d["resp-plain"] : 0)
        printf "%s,%.0f,%.0f,%.1f %%,%.0f,%.0f,%.1f %%,%.2f,%.2f\n", o, r["redis-plain"], r["redis-tls"], rc * 100, d["resp-plain"], d["resp-tls"], dc * 100, rp["redis-tls"], dp["resp-tls"] }' \
      "$work/redis.csv" "$work/distcache.csv"
  done
}

# Rows whose ratio moved by more than the tolerance between two rounds' comparison files.
moved_rows() {
  awk -F, -v tol="$tolerance" 'NR == FNR { if (FNR > 1) before[$1] = $5; next }
    FNR > 1 { a = before[$1] + 0; b = $5 + 0; m = (a > b ? a : b); if (m > 0 && (a > b ? a - b : b - a) / m > tol) printf "%s (%.3f then %.3f); ", $1, a, b }' "$1" "$2"
}

if [ "$only" != memory ]; then
round=1
measure_round
cp "$work/comparison.csv" "$work/round-1.csv"
repeat_note="one round only (MAX_ROUNDS=$max_rounds)"
while [ "$round" -lt "$max_rounds" ]; do
  round=$((round + 1))
  measure_round
  cp "$work/comparison.csv" "$work/round-$round.csv"
  moved="$(moved_rows "$work/round-$((round - 1)).csv" "$work/round-$round.csv")"
  if [ -z "$moved" ]; then
    repeat_note="every ratio repeated within $(awk -v t="$tolerance" 'BEGIN { print t * 100 }') % of the round before after $round rounds"
    break
  fi
  repeat_note="after $round rounds these ratios still moved by more than $(awk -v t="$tolerance" 'BEGIN { print t * 100 }') % from the round before: $moved"
done
for r in $(seq 1 "$round"); do cp "$work/round-$r.csv" "$out/comparison-round-$r.csv"; done
cp "$work/comparison.csv" "$out/comparison.csv"
cp "$work/redis.csv" "$out/redis.csv"
cp "$work/distcache.csv" "$out/distcache.csv"
cp "$work/costs-table.csv" "$out/costs.csv"
cp "$work/tls.csv" "$out/tls.csv"
echo "$repeat_note" >"$out/repeat.txt"

if [ "$only" = tls ]; then
  echo
  echo "DistCache vs Redis over TLS on $(nproc) cores, $(date -u +%Y-%m-%d): $clients clients, $requests requests, keyspace $keyspace, value $size B (redis-benchmark on both)"
  column -t -s, "$out/comparison.csv"
  echo "Repeatability: $repeat_note"
  echo
  echo "What TLS costs in throughput (TLS port beside the same server's plain port)"
  column -t -s, "$out/tls.csv"
  exit 0
fi
fi

# Memory for 1,000,000 keys of 16 bytes with 32-byte values: Redis's used_memory (and its RSS) against
# the growth of the DistCache node's resident memory (durability none, so the fill is quick; the
# journal is on disk and does not change what a node holds in memory).
memory_keys="${MEMORY_KEYS:-1000000}"
mem_port="$(free_port)"
redis-server --bind 127.0.0.1 --port "$mem_port" --save "" --appendonly no --dir "$work" >"$work/redis-memory.log" 2>&1 &
mem_pid=$!
pids+=("$mem_pid")
wait_for "$work/redis-memory.log" "Ready to accept connections"
redis_before="$(redis-cli -p "$mem_port" info memory | awk -F: '/^used_memory:/ { print $2+0 }')"
redis_rss_before="$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$mem_pid/status")"
awk -v n="$memory_keys" -v s="$size" 'BEGIN { v = sprintf("%*s", s, ""); gsub(/ /, "v", v);
  for (i = 0; i < n; i++) { k = sprintf("key:%012d", i); printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, s, v } }' \
  | redis-cli -p "$mem_port" --pipe >/dev/null
redis_keys="$(redis-cli -p "$mem_port" dbsize)"
redis_after="$(redis-cli -p "$mem_port" info memory | awk -F: '/^used_memory:/ { print $2+0 }')"
redis_rss="$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$mem_pid/status")"
kill -TERM "$mem_pid"; wait "$mem_pid" 2>/dev/null || true

dc_port="$(free_port)"
dotnet "$host_dll" --host 127.0.0.1 --port "$dc_port" --data "$work/distcache-memory" --durability none >"$work/distcache-memory.log" 2>&1 &
dc_pid=$!
pids+=("$dc_pid")
wait_for "$work/distcache-memory.log" "DistCache recovered"
dc_before="$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$dc_pid/status")"
dotnet "$host_dll" fill --keys "$memory_keys" --key-bytes 16 --value-size "$size" --clients 64 --contact "127.0.0.1:$dc_port" --timeout 5 >&2
# Held keys, not the fill's in-flight bookkeeping: a partition forgets a write's request id once the
# client's deadline (the fill's 5 s timeout, the client's default) plus the clock skew has passed.
sleep 8
dc_keys="$(dotnet "$host_dll" count --contact "127.0.0.1:$dc_port")"
dc_after="$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$dc_pid/status")"
kill -TERM "$dc_pid"; wait "$dc_pid" 2>/dev/null || true
{
  echo "store,keys,memory_bytes,bytes_per_key"
  awk -v k="$redis_keys" -v m="$((redis_after - redis_before))" 'BEGIN { printf "redis used_memory growth,%d,%d,%.1f\n", k, m, m / k }'
  awk -v k="$redis_keys" -v m="$((redis_rss - redis_rss_before))" 'BEGIN { printf "redis resident memory growth,%d,%d,%.1f\n", k, m, m / k }'
  awk -v k="$dc_keys" -v m="$((dc_after - dc_before))" 'BEGIN { printf "distcache resident memory growth,%d,%d,%.1f\n", k, m, m / k }'
} >"$out/memory.csv"

if [ "$only" = all ]; then
echo
echo "DistCache vs Redis on $(nproc) cores, $(date -u +%Y-%m-%d): $clients clients, $requests requests (durable DistCache modes: ${durable_seconds} s per operation), keyspace $keyspace, value $size B, DistCache warm-up ${warmup} s"
column -t -s, "$out/comparison.csv"
echo "CPU columns: µs of CPU per operation of the server (redis_cpu_us, distcache_cpu_us: redis-server, the DistCache node)"
echo "and of its load generator (*_gen_cpu_us: redis-benchmark, or the .NET bench client in rows without 'resp'), from /proc;"
echo "*_cores: cores kept busy by server and generator together. Near $(nproc), the shared cores cap that side of the row."
echo "Repeatability: $repeat_note"
echo
echo "What TLS costs in throughput (TLS port beside the same server's plain port)"
column -t -s, "$out/tls.csv"
echo
echo "What each .NET-client operation cost (node and client CPU from their processes, journal figures from the node's /metrics)"
column -t -s, "$out/costs.csv"
keyspace_compare
echo
fi
echo "Memory for $memory_keys keys (16-byte keys, $size-byte values)"
column -t -s, "$out/memory.csv"
[ "$only" = all ] || exit 0

gnuplot <<GNUPLOT
set terminal pngcairo size 1200,560 noenhanced
set output "$out/comparison.png"
set title "ops/s, $clients clients, value $size B ($(date -u +%Y-%m-%d)); DistCache durability mode beside its Redis peer"
set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top right
set xtics rotate by -35
set bmargin 8
set rmargin 12
set logscale y 10
set ylabel "operations per second (log scale)"
set grid ytics
plot "$out/comparison.csv" every ::1 using 3:xtic(1) title "Redis", '' every ::1 using 4 title "DistCache"
GNUPLOT
echo "chart: $out/comparison.png"
bash scripts/bench-types.sh "$out"
