#!/usr/bin/env bash
# Measures the README figures for refusals and database faults: a throwaway PostgreSQL 15 cluster, the API
# built in Debug (dotnet build src/Caucus.Api), curl. Run as root (initdb and pg_ctl run as the postgres user).
set -u
BIN=/usr/lib/postgresql/15/bin
W=$(mktemp -d /tmp/caucus-measure-XXXXXX); chmod 755 $W; D=$W/pg
PORT=54931
rm -rf $D; mkdir -p $D; chown postgres:postgres $D
runuser -u postgres -- $BIN/initdb -D $D -U postgres -A trust -E UTF8 --no-locale >/dev/null
printf "port=$PORT\nlisten_addresses='127.0.0.1'\nunix_socket_directories='$D'\n" >> $D/postgresql.conf
runuser -u postgres -- $BIN/pg_ctl -D $D -l $D/log -w start >/dev/null
psql -h 127.0.0.1 -p $PORT -U postgres -qc "CREATE DATABASE caucus"
TOKEN=adm_measure_0123456789abcdef
cd "$(dirname "$0")/../src/Caucus.Api/bin/Debug/net10.0"
CAUCUS_ADMIN_TOKEN=$TOKEN Caucus__Store=postgres ConnectionStrings__Caucus="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=caucus" \
  ASPNETCORE_ENVIRONMENT=Production dotnet Caucus.Api.dll --urls http://127.0.0.1:5391 > $W/api.log 2>&1 &
API=$!
for i in $(seq 1 60); do curl -sf http://127.0.0.1:5391/healthz >/dev/null && break; sleep 0.5; done
U=http://127.0.0.1:5391
H="Authorization: Bearer $TOKEN"
size() { psql -h 127.0.0.1 -p $PORT -U postgres -d caucus -tAc "SELECT pg_database_size('caucus')"; }
psql -h 127.0.0.1 -p $PORT -U postgres -d caucus -qc "CHECKPOINT"
before=$(size)
head -c 65536 /dev/urandom > $W/junk.bin
start=$(date +%s.%N)
for i in $(seq 1 300); do
  curl -s -o /dev/null -w "%{http_code}\n" -H "$H" -H "Content-Type: application/json" --data-binary @$W/junk.bin "$U/api/v1/precincts/adair%2F1nw-adair/reports"
done | sort | uniq -c
end=$(date +%s.%N)
psql -h 127.0.0.1 -p $PORT -U postgres -d caucus -qc "CHECKPOINT"
after=$(size)
echo "300 refused 64 KiB bodies (known precinct): db grew $(( (after-before) )) bytes = $(echo "scale=2; ($after-$before)/1048576" | bc) MiB in $(echo "$end-$start" | bc) s"
echo "audit first page bytes: $(curl -s -H "$H" "$U/api/v1/audit/precincts/adair%2F1nw-adair" | wc -c)"
b2=$(size)
for i in $(seq 1 300); do
  curl -s -o /dev/null -w "%{http_code}\n" -H "$H" -H "Content-Type: application/json" --data-binary @$W/junk.bin "$U/api/v1/precincts/nowhere%2Fjunk-$i/reports"
done | sort | uniq -c
psql -h 127.0.0.1 -p $PORT -U postgres -d caucus -qc "CHECKPOINT"
a2=$(size)
echo "300 refused 64 KiB bodies (unknown ids): db grew $(( a2-b2 )) bytes; rows for them: $(psql -h 127.0.0.1 -p $PORT -U postgres -d caucus -tAc "SELECT count(*) FROM rejected_submissions WHERE precinct_id LIKE 'nowhere/%'")"
curl -s $U/metrics | grep -E "^caucus_reports_(refused|unknown)" | head

post() { # precinct key -> "code time retry-after"
  curl -s -o $W/body -D $W/hdr -w "%{http_code} %{time_total}" -H "$H" -H "Idempotency-Key: $2" -H "Content-Type: application/json" \
    --data '{"attendees":10,"first":{"Sanders":6,"Warren":4},"final":{"Sanders":6,"Warren":4},"source":"official"}' "$U/api/v1/precincts/$1/reports"
  echo " retry-after=$(grep -i '^retry-after' $W/hdr | tr -d '\r' | cut -d' ' -f2)"
}
get() { curl -s -o /dev/null -w "%{http_code} %{time_total}" -H "$H" "$U/$1"; echo; }
PM=$(head -1 $D/postmaster.pid)
echo "== frozen (SIGSTOP postmaster $PM and children)"
kill -STOP $PM $(pgrep -P $PM)
for i in 1 2 3 4 5 1 2 3 4 5 1 2 3 4 5; do echo "POST: $(post adams%2Fadams-$i frz-$i)"; echo "GET results: $(get api/v1/results)"; done
echo "healthz: $(get healthz)  readyz: $(get readyz)"
kill -CONT $(pgrep -P $PM) $PM
t0=$(date +%s.%N)
for i in $(seq 1 120); do r=$(post adams%2Fadams-1 frz-1); case "$r" in 201*) echo "first 201 after resume: $(echo "$(date +%s.%N)-$t0" | bc) s ($r) replayed=$(grep -ci idempotent-replayed $W/hdr)"; break;; esac; sleep 0.25; done
echo "== stopped (pg_ctl stop -m fast)"
runuser -u postgres -- $BIN/pg_ctl -D $D -m fast -w stop >/dev/null
for p in walnut bellair-lincoln taylor-chariton washington-wells; do echo "POST: $(post appanoose%2F$p stp-$p)"; echo "GET results: $(get api/v1/results)"; done
echo "healthz: $(get healthz)  readyz: $(get readyz)"
runuser -u postgres -- $BIN/pg_ctl -D $D -l $D/log -w start >/dev/null
t0=$(date +%s.%N)
for i in $(seq 1 120); do r=$(post appanoose%2Fwalnut stp-walnut); case "$r" in 201*) echo "first 201 after restart: $(echo "$(date +%s.%N)-$t0" | bc) s ($r)"; break;; esac; sleep 0.25; done
kill $API; wait $API 2>/dev/null
runuser -u postgres -- $BIN/pg_ctl -D $D -m fast -w stop >/dev/null
rm -rf "$W"
