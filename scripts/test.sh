#!/usr/bin/env bash
# Builds DistCache and runs the whole test suite; prints `tests: N passed, N failed` last.
# Needs the .NET SDK and root (for PostgreSQL): packages restore from NuGet, and a throwaway PostgreSQL
# server (installed from Debian's packages when missing) runs on 127.0.0.1 for the journal and cluster
# tests, then is stopped; redis-cli (Debian's redis-tools) is installed when missing.
# Test classes run one after another: cluster tests time failure detection,
# and two clusters sharing 2 cores would make that flaky.
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
pg="$(mktemp -d /tmp/distcache-pg.XXXXXX)"
cleanup() { bash scripts/postgres.sh stop "$pg" || true; rm -rf "$results" "$pg"; }
trap cleanup EXIT

if ! DISTCACHE_TEST_POSTGRES="$(bash scripts/postgres.sh start "$pg")"; then
  echo "could not start PostgreSQL for the tests"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
export DISTCACHE_TEST_POSTGRES

# redis-cli drives the Redis protocol endpoint in the tests, as a user would.
if ! command -v redis-cli >/dev/null; then
  echo "installing redis-tools (redis-cli) from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends redis-tools >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends redis-tools >&2; } \
    || echo "could not install redis-tools: the redis-cli test will fail" >&2
fi

# The history test splits the network between nodes with network namespaces (iproute2's `ip`).
if ! command -v ip >/dev/null; then
  echo "installing iproute2 (ip) from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends iproute2 >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends iproute2 >&2; } \
    || echo "could not install iproute2: the history test will fail" >&2
fi

# The TLS tests make certificates with openssl (scripts/make-certs.sh) and fetch HTTPS with curl.
for tool in openssl curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "$tool" ca-certificates >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "$tool" ca-certificates >&2; } \
      || echo "could not install $tool: the TLS tests will fail" >&2
  fi
done

dotnet build DistCache.slnx -c Release -nologo -v quiet || { echo "tests: 0 passed, 1 failed"; exit 1; }
dotnet test DistCache.Tests -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1710000
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
passed="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
failed="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
# CI shows the tail of this output: name each failed test and its message right above the count.
awk '
  /<UnitTestResult / { failed = ($0 ~ /outcome="Failed"/); if (failed) { match($0, /testName="[^"]*"/); print "FAILED: " substr($0, RSTART + 10, RLENGTH - 11) } }
  failed && /<Message>/ { inmsg = 1 }
  failed && inmsg { print "  " substr($0, 1, 400) }
  /<\/Message>/ { inmsg = 0 }
  failed && /<StackTrace>/ { n = 0; instack = 1 }
  failed && instack && n < 6 { print "  " $0; n++ }
  /<\/StackTrace>/ { instack = 0 }
' "$trx" | head -n 80
# A test that crashed the host or timed out counts as failed even when the counters say otherwise.
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-0}" -eq 0 ]
