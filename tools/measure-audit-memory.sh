#!/usr/bin/env bash
# Measures the README figures for the audit-memory attack (issue 19, case 4) against the running API on SQLite with
# the shipped defaults: two hotline credentials store reports padded with whitespace for one precinct (as written:
# to 64 KiB; then, when those are refused, to the report limit, the most a report can still be), then a war-room
# credential reads that precinct's audit trail (`?limit=500`) twenty at once, three times. Prints the API's resident
# memory (VmRSS) before, after storing and after the reads (at once and 15 s later), and /api/v1/results latency
# before, during and after the reads.
#   dotnet build src/Caucus.Api -c Release && tools/measure-audit-memory.sh [API build directory]
# Any DOTNET_* variable set when it runs reaches the API (e.g. DOTNET_GCHeapHardLimit, DOTNET_gcServer=0).
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${1:-$ROOT/src/Caucus.Api/bin/Release/net10.0}"
W=$(mktemp -d /tmp/caucus-audit-memory-XXXXXX)
PORT=${PORT:-5393}
U=http://127.0.0.1:$PORT
TOKEN=adm_measure_0123456789abcdef
PRECINCT=adair%2F1nw-adair
cd "$BIN"
CAUCUS_ADMIN_TOKEN=$TOKEN Caucus__Store=sqlite ConnectionStrings__Caucus="Data Source=$W/caucus.db" \
  ASPNETCORE_ENVIRONMENT=Production dotnet Caucus.Api.dll --urls $U > $W/api.log 2>&1 &
API=$!
for i in $(seq 1 120); do curl -sf $U/healthz >/dev/null && break; sleep 0.5; done
rss() { awk '/^VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$API/status; }
issue() { curl -s -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" --data "{\"role\":\"$1\"}" $U/api/v1/admin/tokens |
  sed -E 's/.*"token":"([^"]+)".*/\1/'; }
# min / median / max of the times (seconds) in a file, in ms
stats() { sort -n "$1" | awk '{t[NR]=$1*1000} END {if (NR) printf "%d reads, %.1f / %.1f / %.1f ms (min / median / max)", NR, t[1], t[int((NR+1)/2)], t[NR]}'; }
results() { # n -> latencies of n reads of /api/v1/results, one after another
  for i in $(seq 1 $1); do curl -s -o /dev/null -w "%{time_total}\n" -H "Authorization: Bearer $WARROOM" $U/api/v1/results; done; }
# A valid hotline report padded with spaces (JSON allows them between tokens) to $1 bytes.
padded() {
  local report='{"attendees":20,"first":{"Sanders":12,"Biden":8},"final":{"Sanders":12,"Biden":8},"source":"hotline"'
  { printf '%s' "$report"; head -c $(( $1 - ${#report} - 1 )) /dev/zero | tr '\0' ' '; printf '}'; } > $W/padded-$1.json
}
store() { # bytes n -> n padded reports from two fresh hotline credentials, 8 at a time
  padded $1
  local a b; a=$(issue hotline); b=$(issue hotline)
  local start=$(date +%s.%N)
  for i in $(seq 1 $2); do if (( i % 2 )); then echo $a; else echo $b; fi; done |
    xargs -P 8 -I{} curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer {}" -H "Content-Type: application/json" \
      --data-binary @$W/padded-$1.json $U/api/v1/precincts/$PRECINCT/reports | sort | uniq -c | tr '\n' ' '
  echo "in $(echo "$(date +%s.%N) - $start" | bc) s"
}

WARROOM=$(issue warroom)
results 5 > /dev/null
echo "API $BIN (pid $API), load average $(cut -d" " -f1-3 /proc/loadavg)"
echo "RSS at start: $(rss); results: $(results 20 > $W/t0; stats $W/t0)"
echo "243 reports padded to 65536 bytes: $(store 65536 243)"
stored=$(sqlite3 $W/caucus.db "SELECT count(*) FROM revisions" 2>/dev/null || echo "?")
if [ "$stored" = "0" ]; then
  limit=$(curl -s -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" --data-binary @$W/padded-65536.json \
    $U/api/v1/precincts/$PRECINCT/reports | sed -E 's/.*at most ([0-9]+) bytes.*/\1/')
  echo "refused; 243 reports padded to the report limit ($limit bytes): $(store $limit 243)"
fi
echo "stored: $(sqlite3 $W/caucus.db "SELECT count(*) || ' revisions, ' || sum(length(CAST(raw_body AS BLOB)) + COALESCE(length(raw_bytes), 0)) || ' bytes of bodies' FROM revisions" 2>/dev/null)"
echo "RSS after storing: $(rss)"
echo "one audit read (?limit=500): $(curl -s -o /dev/null -w "%{http_code}, %{size_download} bytes in %{time_total} s" -H "Authorization: Bearer $WARROOM" "$U/api/v1/audit/precincts/$PRECINCT?limit=500")"
( while [ ! -e $W/done ]; do curl -s -o /dev/null -w "%{time_total}\n" -H "Authorization: Bearer $WARROOM" $U/api/v1/results; sleep 0.05; done ) > $W/t1 &
LOOP=$!
start=$(date +%s.%N)
for round in 1 2 3; do
  seq 1 20 | xargs -P 20 -I{} curl -s -o /dev/null -w "%{http_code} %{size_download}\n" -H "Authorization: Bearer $WARROOM" \
    "$U/api/v1/audit/precincts/$PRECINCT?limit=500" > $W/round-$round
  echo "round $round: $(cut -d' ' -f1 $W/round-$round | sort | uniq -c | tr '\n' ' ')largest $(cut -d' ' -f2 $W/round-$round | sort -n | tail -1) bytes; RSS $(rss)"
done
echo "20 concurrent audit reads x 3 in $(echo "$(date +%s.%N) - $start" | bc) s"
touch $W/done; wait $LOOP
echo "results during the reads: $(stats $W/t1)"
echo "RSS right after: $(rss); results after: $(results 20 > $W/t2; stats $W/t2)"
sleep 15
echo "RSS 15 s later: $(rss); results: $(results 20 > $W/t3; stats $W/t3)"
kill $API; wait $API 2>/dev/null
rm -rf "$W"
