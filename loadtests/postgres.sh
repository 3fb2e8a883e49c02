#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the load tests on 127.0.0.1:55432 (Debian's packages; as root the server
# runs as the postgres user). Loopback only, trust auth: never for anything but a load test.
#   loadtests/postgres.sh start    # initdb /tmp/pgload if needed, start, empty the public schema
#   loadtests/postgres.sh reset    # empty the public schema (a fresh store for the next run)
#   loadtests/postgres.sh stop
# Connection string: Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres
set -euo pipefail
dir=${PGLOAD_DIR:-/tmp/pgload}; port=55432
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)"; exit 2; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
reset() { as_pg "$bin/psql" -h 127.0.0.1 -p $port -U postgres -q -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null; }
case "${1:-}" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
      as_pg "$bin/initdb" -D "$dir" -A trust -U postgres >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1 || as_pg "$bin/pg_ctl" -D "$dir" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" -l "$dir.log" -w start >/dev/null
    reset ;;
  reset) reset ;;
  stop) as_pg "$bin/pg_ctl" -D "$dir" -w stop >/dev/null ;;
  *) echo "usage: $0 start|reset|stop"; exit 2 ;;
esac
