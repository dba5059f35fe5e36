#!/usr/bin/env bash
# The original DistCache example (../shared/seed) through the command line, against a running host.
# Start a host first (dotnet run --project DistCache.Host), then: bash scripts/example.sh [host:port]
set -euo pipefail
cd "$(dirname "$0")/.."
contact="${1:-127.0.0.1:4053}"

dotnet build DistCache.Host -c Release -nologo -v quiet >/dev/null
cli() {
  echo "> $*" >&2
  dotnet DistCache.Host/bin/Release/net10.0/DistCache.Host.dll "$@" --contact "$contact"
}

cli set brazil football
cli set harry potter
cli set 1 2
cli set 3 6
cli set hey hola
cli get hey        # hola
cli get 1          # 2
cli set hey there
cli get hey        # there
cli del 3          # 1
cli get 3          # (nil)
cli get brazil     # football
