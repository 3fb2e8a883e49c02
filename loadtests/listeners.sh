#!/usr/bin/env bash
# Many stream listeners on one instance (issue 25, item 4), one command: builds the API and the runner in Release, raises
# the open-files limit (the runner and the API each hold one socket per listener), then runs `listeners` against an API
# it starts itself with the shipped defaults and a fresh SQLite file.
#   loadtests/listeners.sh            # 10,000 listeners; report: loadtests/reports/listeners-10000.md
#   loadtests/listeners.sh 20000      # any count; listeners spread over one credential and one 127.0.0.x per 2,000
# Exit code: 0 pass, 1 a check failed (a listener not connected or late, the API's RSS over the bound), 2 could not run.
set -euo pipefail
count=${1:-10000}; shift || true
cd "$(dirname "$0")/.."
want=$((count + 2000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then
  ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
dotnet build -c Release src/Caucus.Api -v q -nologo >/dev/null
dotnet build -c Release loadtests/Caucus.LoadTests -v q -nologo >/dev/null
dotnet loadtests/Caucus.LoadTests/bin/Release/net10.0/Caucus.LoadTests.dll listeners --start-api --count "$count" \
  --report "loadtests/reports/listeners-$count.md" "$@"
