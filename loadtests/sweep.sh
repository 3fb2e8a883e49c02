#!/usr/bin/env bash
# Runs one load-test scenario at several rates, each against a freshly started Release API with a fresh
# store, and writes one report per rate under loadtests/reports/. Loopback only.
#   loadtests/sweep.sh sqlite ingest "100 200 400" 20
#   loadtests/sweep.sh postgres ingest "100 200" 20     (needs PostgreSQL on 127.0.0.1:55432, see README)
#   loadtests/sweep.sh sqlite results "1000 2000 4000" 15
# Extra runner options can follow, e.g. --max-p99-ms 250 --max-error-rate 0.
# PRELOAD=N first reports every precinct (ingest at N/s for 1,765/N s, no report), e.g. before results reads.
set -euo pipefail
store=${1:?store: sqlite or postgres}; scenario=${2:?scenario}; rates=${3:?rates}; duration=${4:-20}; shift 4 || true
cd "$(dirname "$0")/.."
export CAUCUS_ADMIN_TOKEN=${CAUCUS_ADMIN_TOKEN:-lt-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}
port=${PORT:-5000}
dotnet build -c Release src/Caucus.Api -v q -nologo >/dev/null
dotnet build -c Release loadtests/Caucus.LoadTests -v q -nologo >/dev/null
mkdir -p loadtests/reports

for rate in $rates; do
  if [ "$store" = postgres ]; then
    pg=${PG:-Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres}
    psql_db() { runuser -u postgres -- psql -h 127.0.0.1 -p 55432 -q -c "$1" >/dev/null; }
    psql_db "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
    export Caucus__Store=postgres ConnectionStrings__Caucus="$pg"
  else
    rm -f /tmp/load.db /tmp/load.db-wal /tmp/load.db-shm
    export Caucus__Store=sqlite ConnectionStrings__Caucus="Data Source=/tmp/load.db"
  fi
  Logging__LogLevel__Default=Warning dotnet src/Caucus.Api/bin/Release/net10.0/Caucus.Api.dll --urls "http://127.0.0.1:$port" >/tmp/caucus-api-sweep.log 2>&1 &
  api=$!
  trap 'kill $api 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  label="$store, Release API, fresh store"
  if [ -n "${PRELOAD:-}" ]; then
    dotnet loadtests/Caucus.LoadTests/bin/Release/net10.0/Caucus.LoadTests.dll --url "http://127.0.0.1:$port" --scenario ingest \
      --rate "$PRELOAD" --duration "$(( (1765 + PRELOAD - 1) / PRELOAD ))" --warmup 0 --duplicate-share 0 --correction-share 0 >/dev/null || true
    label="$store, Release API, every precinct reported first"
  fi
  report="loadtests/reports/$scenario-$store-$rate.md"
  dotnet loadtests/Caucus.LoadTests/bin/Release/net10.0/Caucus.LoadTests.dll --url "http://127.0.0.1:$port" \
    --scenario "$scenario" --rate "$rate" --duration "$duration" --api-pid "$api" \
    --label "$label" --report "$report" "$@" || true
  kill "$api"; wait "$api" 2>/dev/null || true
  trap - EXIT
done
