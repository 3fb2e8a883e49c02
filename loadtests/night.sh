#!/usr/bin/env bash
# The full caucus-night run, one command: builds the API and the runner in Release, then runs `night` with the
# full thresholds against an API it starts itself with the shipped defaults and a fresh store.
#   loadtests/night.sh sqlite       # report: loadtests/reports/night-sqlite.md (+ SVG plots)
#   loadtests/night.sh postgres     # starts the throwaway PostgreSQL of loadtests/postgres.sh (emptied first)
# Extra options go to the runner, e.g. --wave-minutes 5. Exit code: 0 pass, 1 a threshold or check failed.
set -euo pipefail
store=${1:-sqlite}; shift || true
cd "$(dirname "$0")/.."
dotnet build -c Release src/Caucus.Api -v q -nologo >/dev/null
dotnet build -c Release loadtests/Caucus.LoadTests -v q -nologo >/dev/null
extra=()
if [ "$store" = postgres ]; then
  loadtests/postgres.sh start
  extra=(--connection "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres")
fi
dotnet loadtests/Caucus.LoadTests/bin/Release/net10.0/Caucus.LoadTests.dll night --start-api --store "$store" "${extra[@]}" \
  --thresholds loadtests/thresholds/full.json --report "loadtests/reports/night-$store.md" "$@"
