#!/usr/bin/env bash
# A soak run: a 3-node cluster on 127.0.0.1 (SQLite journal in a temp folder) under a steady mixed load with expiry
# and eviction, one node restarted gracefully every RESTART_EVERY seconds, and once a minute a row of what could leak.
# Usage: bash scripts/soak.sh [DURATION]   (seconds, default 3600; at least two samples)
#   1. measures the peak of the workload (`bench --ops mixed`, PEAK_SECONDS after a short warm-up), then
#   2. runs it at LOAD_PERCENT of that peak (`bench --rate`) from one client process for the whole run, as an app
#      would (`--report-every`: each minute's p99 and errors are that minute's, with no client start-up in them);
#      meanwhile node 1, 2, 3, 1, … is stopped with SIGTERM (its partitions hand off) and started again on the
#      same ports every RESTART_EVERY seconds;
#   3. every SAMPLE_EVERY seconds writes a CSV row: per node RSS (/proc) and GC heap (dotnet_total_memory_bytes on
#      /metrics), journal rows and snapshots (sqlite3 on the journal file), client registrations per kind
#      (distcache_client_registrations, summed over the nodes), keys and evictions, the minute's ops, p99 and errors;
#   4. plots the CSV beside it (gnuplot) and prints a summary: memory growth over the last WINDOW seconds (target
#      < 5 %), errors outside restart windows (target 0), p99 per minute.
# Environment (defaults): RESTART_EVERY=600, SAMPLE_EVERY=60, WINDOW=2400, LOAD_PERCENT=80, PEAK_SECONDS=20,
#   CLIENTS=50, KEYSPACE=200000, VALUE_SIZE=1024, TTL=120 (seconds on every SET), MAX_MEMORY=2097152 (bytes per node,
#   distcache.max-memory: small, so eviction goes on even at a low rate), EVICTION=allkeys-lru, NEAR_CACHE=1 (the
#   benches read through a near cache, which registers with the nodes; default off), RESTART_GRACE=30 (seconds after a restarted node is ready that still
#   count as its restart window), OUT (default ./data/soak-<UTC time>: CSV, PNG, summary, node logs), SKIP_BUILD=1.
# Stops only the processes it started, by PID; every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

duration="${1:-3600}"
restart_every="${RESTART_EVERY:-600}"
sample_every="${SAMPLE_EVERY:-60}"
window="${WINDOW:-2400}"
load_percent="${LOAD_PERCENT:-80}"
peak_seconds="${PEAK_SECONDS:-20}"
clients="${CLIENTS:-50}"
keyspace="${KEYSPACE:-200000}"
value_size="${VALUE_SIZE:-1024}"
ttl="${TTL:-120}"
max_memory="${MAX_MEMORY:-2097152}"
eviction="${EVICTION:-allkeys-lru}"
grace="${RESTART_GRACE:-30}"
near_cache=()
[ "${NEAR_CACHE:-0}" = 0 ] || near_cache=(--near-cache)
out="${OUT:-./data/soak-$(date -u +%Y%m%dT%H%M%SZ)}"

is_count() { [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || { echo "$1 = '$2' must be a whole number from $3 to $4" >&2; exit 2; }; }
is_count DURATION "$duration" 60 86400
is_count SAMPLE_EVERY "$sample_every" 20 3600
is_count RESTART_EVERY "$restart_every" 0 86400
is_count WINDOW "$window" 60 86400
is_count LOAD_PERCENT "$load_percent" 1 100
is_count PEAK_SECONDS "$peak_seconds" 5 600
is_count CLIENTS "$clients" 1 1000
is_count KEYSPACE "$keyspace" 1 100000000
is_count VALUE_SIZE "$value_size" 1 1048576
is_count TTL "$ttl" 1 86400
is_count MAX_MEMORY "$max_memory" 0 1099511627776
is_count RESTART_GRACE "$grace" 0 3600
[ "$duration" -ge $((2 * sample_every)) ] || { echo "DURATION = $duration must hold at least two samples of SAMPLE_EVERY = $sample_every" >&2; exit 2; }
case "$eviction" in noeviction | allkeys-lru | volatile-ttl) ;; *) echo "EVICTION = '$eviction' is not one of noeviction, allkeys-lru, volatile-ttl" >&2; exit 2 ;; esac

ensure_commands sqlite3:sqlite3 gnuplot:gnuplot-nox python3:python3 curl:curl

dll="DistCache.Host/bin/Release/net10.0/DistCache.Host.dll"
[ -n "${SKIP_BUILD:-}" ] || dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d /tmp/distcache-soak.XXXXXX)"
declare -a pids=()
bench_pid=""
cleanup() {
  [ -z "$bench_pid" ] || kill -TERM "$bench_pid" 2>/dev/null || true
  stop_started
}
trap cleanup EXIT
trap "exit 143" TERM INT   # so EXIT runs the cleanup when the run is interrupted

cat >"$work/soak.conf" <<EOF
distcache {
  max-memory = $max_memory
  eviction-policy = $eviction
}
EOF

# Below the kernel's ephemeral range (32768 up, here): a busy machine's outgoing connections hold ports there, and a
# node restarted on its port would find it taken by one of them.
taken=" "
soak_port() {
  local p
  for _ in $(seq 1 1000); do
    p=$((20000 + RANDOM % 12000))
    [[ "$taken" == *" $p "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    taken+="$p "; echo "$p"; return 0
  done
  echo "no free port found in 20000-31999" >&2; exit 1
}
ports=() http_ports=() seeds=() contacts=()
for i in 0 1 2; do
  ports+=("$(soak_port)")
  http_ports+=("$(soak_port)")
  seeds+=(--seed "127.0.0.1:${ports[$i]}")
  contacts+=(--contact "127.0.0.1:${ports[$i]}")
done

now() { date +%s; }

# start_node I: node I (0-based) on its ports, one log per incarnation; waits until it is ready. A port still held
# (the node's own connections in TIME_WAIT after a graceful stop, up to 60 s) is tried again for up to 90 s.
start_node() {
  local i="$1" log attempt
  for attempt in $(seq 1 45); do
    log="$out/node$((i + 1)).$(date -u +%H%M%S).log"
    dotnet "$dll" --host 127.0.0.1 --port "${ports[$i]}" "${seeds[@]}" --data "$work" --config "$work/soak.conf" \
      --http-port "${http_ports[$i]}" >"$log" 2>&1 &
    pids[$i]=$!
    for _ in $(seq 1 240); do
      grep -q "DistCache ready" "$log" 2>/dev/null && return 0
      kill -0 "${pids[$i]}" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "${pids[$i]}" 2>/dev/null; then echo "node $((i + 1)) not ready within 120 s (log $log)" >&2; exit 1; fi
    wait "${pids[$i]}" 2>/dev/null || true
    pids[$i]=""
    grep -q "already in use" "$log" || { echo "node $((i + 1)) exited at start-up:" >&2; tail -20 "$log" >&2; exit 1; }
    echo "$(date -u +%H:%M:%S) node $((i + 1)): a port is still held ($(grep -o -- '--[a-z-]*port [0-9]*' "$log" | head -1)); again in 2 s" >&2
    rm -f "$log"
    sleep 2
  done
  echo "node $((i + 1)): its ports stayed taken for 90 s" >&2
  exit 1
}

# stop_node I: SIGTERM (partitions hand off, then the process exits), waiting up to 90 s.
stop_node() {
  local i="$1"
  kill -TERM "${pids[$i]}" 2>/dev/null || true
  for _ in $(seq 1 450); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "${pids[$i]}" 2>/dev/null; then echo "node $((i + 1)) did not stop within 90 s; killing it" >&2; kill -9 "${pids[$i]}"; fi
  wait "${pids[$i]}" 2>/dev/null || true
  pids[$i]=""   # gone: the exit trap must not signal whatever reuses its PID
}

# bench_run SECONDS JSON [ARGS...]: the workload through the .NET client, its table in JSON's .log beside it.
bench_run() {
  local seconds="$1" json="$2"; shift 2
  dotnet "$dll" bench --ops mixed --clients "$clients" --keyspace "$keyspace" --key-prefix soak: --value-size "$value_size" \
    --ttl "$ttl" --requests 2000000000 --duration "$seconds" --json "$json" "${contacts[@]}" "${near_cache[@]}" "$@" >"${json%.json}.log" 2>&1
}

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0][sys.argv[2]])' "$1" "$2" 2>/dev/null || true; }

for i in 0 1 2; do start_node "$i"; done
echo "cluster up: nodes on 127.0.0.1:${ports[*]}, /metrics on ${http_ports[*]}; journal in $work; results in $out"

# The partitions spread over the three nodes within seconds (rebalance-interval 2s); the warm-up also fills the cache.
bench_run 5 "$work/warmup.json" || true
bench_run "$peak_seconds" "$out/peak.json" || true
peak="$(json_field "$out/peak.json" ops_per_second)"
[ -n "$peak" ] || { echo "the peak measurement failed:" >&2; cat "$out/peak.log" >&2; exit 1; }
rate="$(python3 -c "print(max(1, round($peak * $load_percent / 100)))")"
echo "peak: $(printf '%.0f' "$peak") ops/s (mixed: 80 % GET, 20 % SET with TTL ${ttl} s, $clients clients, keyspace $keyspace, value $value_size B); soak at $load_percent %: $rate ops/s"

# What the nodes report, one value per line: RSS MB, GC heap MB, registrations per kind, keys, evictions.
scrape() {
  local i="$1" text
  text="$(curl -s --max-time 5 "http://127.0.0.1:${http_ports[$i]}/metrics" || true)"
  awk '$1 == "VmRSS:" { printf "rss %.1f\n", $2 / 1024 }' "/proc/${pids[$i]}/status" 2>/dev/null || true
  printf '%s\n' "$text" | awk '
    $1 == "dotnet_total_memory_bytes" { printf "gc %.1f\n", $2 / 1048576 }
    $1 ~ /^distcache_client_registrations\{/ { k = $1; sub(/.*kind="/, "", k); sub(/".*/, "", k); printf "reg_%s %d\n", k, $2 }
    $1 == "distcache_keys" { printf "keys %d\n", $2 }
    $1 == "distcache_evictions" { printf "evictions %d\n", $2 }'
}

journal_counts() {
  local db="$work/distcache.db"
  sqlite3 -cmd ".timeout 10000" "$db" "select (select count(*) from journal), (select count(*) from snapshot), (select count(*) from sharding_journal);" 2>/dev/null | tr '|' ' ' || true
}

csv="$out/soak.csv"
echo "time_utc,elapsed_s,restarted_node,restart_window,bench_ok,ops,ops_per_s,p99_ms,errors,rss_mb_1,rss_mb_2,rss_mb_3,gc_heap_mb_1,gc_heap_mb_2,gc_heap_mb_3,journal_rows,snapshots,reg_heartbeat,reg_near_cache,reg_pubsub,reg_resp,keys,evictions,sharding_journal_rows,error_kinds" >"$csv"

start="$(now)"
samples=$((duration / sample_every))
intervals="$out/intervals.jsonl"
rm -f "$intervals"
bench_run "$((samples * sample_every))" "$work/soak.json" --rate "$rate" --report-every "$sample_every" --report-file "$intervals" &
bench_pid=$!
victim=0
windows=()   # "from to" epoch seconds of each restart, to the restarted node's readiness plus the grace
for m in $(seq 1 "$samples"); do
  minute_start=$((start + (m - 1) * sample_every))
  minute_end=$((start + m * sample_every))
  restarted=""
  elapsed=$((minute_start - start))
  if [ "$restart_every" -gt 0 ] && [ "$elapsed" -gt 0 ] && [ $(((elapsed + sample_every / 2) % restart_every)) -lt "$sample_every" ]; then
    from="$(now)"
    stop_node "$victim"
    start_node "$victim"
    windows+=("$from $(($(now) + grace))")
    restarted=$((victim + 1))
    echo "$(date -u +%H:%M:%S) node $restarted restarted ($(($(now) - from)) s from SIGTERM to ready)"
    victim=$(((victim + 1) % 3))
  fi
  for _ in $(seq 1 "$sample_every"); do [ "$(now)" -lt "$minute_end" ] || break; sleep 1; done
  # The bench cuts its intervals from its own start, a second or two after ours: wait for line m (bounded).
  for _ in $(seq 1 60); do
    [ ! -f "$intervals" ] || [ "$(wc -l <"$intervals")" -lt "$m" ] || break
    kill -0 "$bench_pid" 2>/dev/null || break
    sleep 0.5
  done
  line="$(sed -n "${m}p" "$intervals" 2>/dev/null || true)"

  in_window=0
  for w in "${windows[@]}"; do
    read -r from to <<<"$w"
    [ "$from" -gt "$minute_end" ] || [ "$to" -lt "$minute_start" ] || in_window=1
  done
  if [ -n "$line" ]; then
    ok=1
    read -r ops ops_s p99 errors kinds <<<"$(python3 -c 'import json,sys; r = json.loads(sys.argv[1])
print(r["requests"], r["ops_per_second"], r["p99_ms"], r["errors"], " ".join(f"{k}={v}" for k, v in r["error_kinds"].items()))' "$line")"
  else
    ok=0; ops=""; ops_s=""; p99=""; errors=""; kinds=""
    echo "$(date -u +%H:%M:%S) sample $m: the bench reported no interval ($work/soak.log):" >&2
    tail -5 "$work/soak.log" >&2 || true
    cp "$work/soak.log" "$out/bench.log" 2>/dev/null || true
  fi
  for i in 0 1 2; do scrape "$i" >"$work/scrape$i"; done
  # Per node: RSS and GC heap; over the nodes: registrations per kind, keys, evictions (a node down reads as nothing).
  per_node="$(for k in rss gc; do for i in 0 1 2; do awk -v k="$k" '$1 == k { v = $2 } END { printf "%s,", v }' "$work/scrape$i"; done; done)"
  totals="$(cat "$work"/scrape0 "$work"/scrape1 "$work"/scrape2 | awk '{ t[$1] += $2 }
    END { n = split("reg_heartbeat reg_near-cache reg_pubsub reg_resp keys evictions", k, " ")
          for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), t[k[i]] }')"
  read -r rows snaps sharding_rows <<<"$(journal_counts)"
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s%s,%s,%s,%s,%s\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$((minute_end - start))" "$restarted" "$in_window" "$ok" "$ops" "$ops_s" "$p99" "$errors" \
    "$per_node" "${rows:-}" "${snaps:-}" "$totals" "${sharding_rows:-}" "$kinds" >>"$csv"
  tail -n 1 "$csv"
done

wait "$bench_pid" || true
bench_pid=""
cp "$work/soak.log" "$out/bench.log" 2>/dev/null || true

png="${csv%.csv}.png"
# All-zero columns (errors, evictions) and a run without restarts make gnuplot warn of an empty range or plot: harmless.
gnuplot 2> >(grep -v -e "empty y2 range" -e "no valid points" >&2) <<EOF
set datafile separator ","
set terminal pngcairo size 1400,1100 noenhanced
set output "$png"
set key autotitle columnhead outside right
set xlabel "elapsed s"
set multiplot layout 4,1 title "DistCache soak: $rate ops/s ($load_percent % of peak), a node restarted every $restart_every s"
set ylabel "MB"
plot "$csv" using 2:10 with linespoints title "RSS node 1", "" using 2:11 with linespoints title "RSS node 2", "" using 2:12 with linespoints title "RSS node 3", \
     "" using 2:13 with lines dt 2 title "GC heap 1", "" using 2:14 with lines dt 2 title "GC heap 2", "" using 2:15 with lines dt 2 title "GC heap 3"
set ylabel "ms / count"
set y2tics
plot "$csv" using 2:8 with linespoints title "p99 ms", "" using 2:9 axes x1y2 with impulses lw 3 title "errors (right)", \
     "" using 2:(\$3 > 0 ? 0 : 1/0) with points pt 7 ps 2 title "restart"
unset y2tics
set ylabel "rows"
set y2tics
plot "$csv" using 2:16 with linespoints title "journal rows", "" using 2:17 axes x1y2 with linespoints title "snapshots (right)"
unset y2tics
set ylabel "registrations"
set y2tics
plot "$csv" using 2:18 with linespoints title "heartbeat", "" using 2:19 with linespoints title "near-cache", "" using 2:20 with linespoints title "pubsub", \
     "" using 2:21 with linespoints title "resp", "" using 2:23 axes x1y2 with linespoints title "evictions (right)"
unset multiplot
EOF

python3 - "$csv" "$window" "$duration" <<'EOF' | tee "${csv%.csv}.summary.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
window, duration = int(sys.argv[2]), int(sys.argv[3])
num = lambda v: float(v) if v not in ("", None) else None
end = max(int(r["elapsed_s"]) for r in rows)
tail = [r for r in rows if int(r["elapsed_s"]) > end - window]
print(f"soak: {duration} s, {len(rows)} samples; summary over the last {min(window, end)} s ({len(tail)} samples)")
def growth(label, cols):
    # Samples with every node up, so a node mid-restart does not read as a drop.
    full = [sum(num(r[c]) for c in cols) for r in tail if all(num(r[c]) is not None for c in cols)]
    if len(full) < 2:
        print(f"  {label}: too few samples"); return
    k = max(1, min(3, len(full) // 3))
    first, last = statistics.mean(full[:k]), statistics.mean(full[-k:])
    print(f"  {label}, all nodes: {first:.1f} MB -> {last:.1f} MB ({100 * (last - first) / first:+.1f} %, target < 5 %; mean of the first and last {k} samples)")
growth("RSS", ["rss_mb_1", "rss_mb_2", "rss_mb_3"])
growth("GC heap", ["gc_heap_mb_1", "gc_heap_mb_2", "gc_heap_mb_3"])
outside = [r for r in rows if r["restart_window"] == "0"]
inside = [r for r in rows if r["restart_window"] == "1"]
err = lambda rs: sum(int(r["errors"] or 0) for r in rs)
failed = [r for r in rows if r["bench_ok"] != "1"]
print(f"  errors outside restart windows: {err(outside)} in {len(outside)} samples (target 0); inside: {err(inside)} in {len(inside)} samples")
if failed:
    print(f"  samples whose bench wrote no result: {len(failed)} (at {', '.join(r['elapsed_s'] + ' s' for r in failed)})")
def p99s(label, rs):
    v = [num(r["p99_ms"]) for r in rs if num(r["p99_ms"]) is not None]
    if v:
        print(f"  p99 per sample {label}: min {min(v):.2f} ms, median {statistics.median(v):.2f} ms, max {max(v):.2f} ms (max/median {max(v) / statistics.median(v):.2f})")
p99s("outside restart windows", outside)
p99s("inside restart windows", inside)
ops = [num(r["ops_per_s"]) for r in rows if num(r["ops_per_s"]) is not None]
if ops:
    print(f"  throughput per sample: min {min(ops):.0f}, median {statistics.median(ops):.0f} ops/s")
last = rows[-1]
print(f"  at the end: journal rows {last['journal_rows']}, snapshots {last['snapshots']}, keys {last['keys']}, evictions {last['evictions']}, "
      f"registrations heartbeat {last['reg_heartbeat']} near-cache {last['reg_near_cache']} pubsub {last['reg_pubsub']} resp {last['reg_resp']}")
EOF
echo "results: $csv, $png, ${csv%.csv}.summary.txt"
