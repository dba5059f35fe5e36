# Sourced by the benchmark scripts here: what they share.

# ensure_commands COMMAND:PACKAGE ...: installs from Debian's packages (root) the packages whose command is
# missing, with the packages' services kept from starting: the scripts start their own servers.
ensure_commands() {
  local need=() pair own_policy=0
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}"); done
  [ "${#need[@]}" -gt 0 ] || return 0
  echo "installing ${need[*]} from Debian's packages" >&2
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
  [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
}

# stop_started: the EXIT trap. Stops the processes whose PIDs the script added to `pids` (only those, by
# PID), waits up to 20 s for each, and removes the script's `work` folder.
stop_started() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done; done
  rm -rf "$work"
}

# free_port: a port on 127.0.0.1 nothing listens on now.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# wait_for FILE TEXT: waits up to 60 s for TEXT to appear in a server's log FILE; prints the log and exits if not.
wait_for() { for _ in $(seq 1 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out: $1" >&2; cat "$1" >&2; exit 1; }

# bench_row NAME OP PORT SERVER_PID REQUESTS REDIS-BENCHMARK-ARGS...: one redis-benchmark run, printed as the
# row NAME,OP,ops/s,p99 ms,server CPU µs/op,redis-benchmark CPU µs/op (OP empty: the test's own name). The
# server's CPU from its /proc/PID/stat before and after; the generator's from a subshell's reaped-children
# CPU (read by the builtin read, no fork), so each row's CPU is that operation's alone. Needs `work`.
clk_tck="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
bench_row() {
  local name="$1" op="$2" port="$3" server="$4" n="$5"; shift 5
  local before after
  before="$(cpu_ticks "$server")"
  ( redis-benchmark -h 127.0.0.1 -p "$port" -n "$n" --csv "$@" 2>/dev/null
    read -r -a st <"/proc/$BASHPID/stat"; echo "generator,$((st[15] + st[16]))" ) >"$work/bench.out"
  after="$(cpu_ticks "$server")"
  tr -d '"' <"$work/bench.out" | awk -F, -v n="$name" -v op="$op" -v s="$((after - before))" -v hz="$clk_tck" -v req="$n" '
    $1 == "generator" { g = $2; next } NR > 1 { o = (op == "" ? tolower($1) : op); ops = $2; p99 = $7 }
    END { printf "%s,%s,%s,%s,%.1f,%.1f\n", n, o, ops, p99, s * 1e6 / hz / req, g * 1e6 / hz / req }'
}

# perf_areas PERF.DATA: where the samples' CPU went, by each sample's innermost frame, sorted into kernel,
# runtime (coreclr, GC), SQLite, and JIT-compiled code by its namespace (from the perf map's names).
perf_areas() {
  perf script -i "$1" -F ip,sym,dso 2>/dev/null | awk '
  NF == 0 { fresh = 1; next }
  fresh || NR == 1 {
    fresh = 0; s = $0; area = "other"
    if (s ~ /kernel/) area = "kernel"
    else if (s ~ /libcoreclr/) area = (s ~ /[Gg][Cc]|gc_heap|WKS::|SVR::/ ? "runtime: GC" : "runtime: coreclr")
    else if (s ~ /libclrjit/) area = "runtime: JIT compiler"
    else if (s ~ /e_sqlite3|libsqlite/) area = "SQLite (native)"
    else if (s ~ /libc[.-]|libpthread|ld-linux/) area = "libc"
    else if (s ~ /Akka\.Remote|DotNetty/) area = "managed: Akka.Remote / DotNetty"
    else if (s ~ /Akka\./) area = "managed: Akka"
    else if (s ~ /DistCache\./) area = "managed: DistCache"
    else if (s ~ /Microsoft\.Data\.Sqlite|SQLitePCL|LinqToDB/) area = "managed: SQLite driver / linq2db"
    else if (s ~ /Prometheus/) area = "managed: prometheus-net"
    else if (s ~ /System\.Net\.|System\.IO\.Pipelines/) area = "managed: System.Net / Pipelines"
    else if (s ~ /System\.Threading/) area = "managed: System.Threading (pool, tasks, channels)"
    else if (s ~ /System\./) area = "managed: other System.*"
    else if (s ~ /perf-[0-9]+\.map|unknown/) area = "unnamed"
    n[area]++; total++
  }
  END { for (a in n) printf "%6.1f %%  %s\n", 100 * n[a] / total, a }' | sort -rn
}
