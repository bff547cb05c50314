#!/bin/sh
# jb-store into PostgreSQL beside SQLite: the same response records (JB_BENCH_PG_N, default
# 200k) loaded into a new SQLite file and into a new PostgreSQL database (a private server
# started here, on a Unix socket, with the default durability settings), then loaded again
# (idempotent) and exported. Skipped, saying why, where PostgreSQL's server is not installed.
set -eu
bin="${1:?usage: scripts/bench/store-postgres.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
n="${JB_BENCH_PG_N:-200000}"
out=bench-out/store-postgres
mkdir -p "$out"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "   skipped: PostgreSQL's server is not installed (Debian: postgresql)"
  exit 0
fi
owner=""
[ "$(id -u)" = 0 ] && owner=postgres
as_owner() { if [ -n "$owner" ]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }
cluster=$(mktemp -d /tmp/jb-bench-pg.XXXXXX)
chmod 755 "$cluster"
[ -n "$owner" ] && chown "$owner" "$cluster"
port=$(( 20000 + $$ % 30000 ))
cleanup() { as_owner "$pgbin/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null 2>&1 || :; rm -rf "$cluster"; }
trap cleanup EXIT INT TERM
as_owner "$pgbin/initdb" -D "$cluster/data" -A trust -U "${owner:-$(id -un)}" -E UTF8 --locale=C >/dev/null
as_owner "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w \
  -o "-k $cluster -p $port -c listen_addresses=''" start >/dev/null
"$pgbin/psql" -X -q -h "$cluster" -p "$port" -U "${owner:-$(id -un)}" -d postgres -c "CREATE DATABASE bench" >/dev/null
url="postgresql:///bench?host=$cluster&port=$port&user=${owner:-$(id -un)}"

responses="$out/responses.jsonl"
python3 scripts/bench/store-responses.py "$n" /dev/null > "$responses"
db="$out/results.db"
rm -f "$db" "$db-wal" "$db-shm"

now() { python3 -c 'import time; print(time.time())'; }
secs() { python3 -c "print($2 - $1)"; }
rate() { python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print('%.0f rows/s (%.2f s)' % (n / s, s))" "$@"; }

t0=$(now); "$bin/jb-store" load -q "$db" < "$responses"; t1=$(now)
lite=$(secs "$t0" "$t1")
t0=$(now); "$bin/jb-store" load -q "$url" < "$responses"; t1=$(now)
pg=$(secs "$t0" "$t1")
echo "   load $n responses, new database:   SQLite $(rate "$n" "$lite")   PostgreSQL $(rate "$n" "$pg")"
echo "   PostgreSQL / SQLite load rate: $(python3 -c "print('%.2f' % ($lite / $pg))")x"

t0=$(now); "$bin/jb-store" load -q "$db" < "$responses"; t1=$(now)
lite=$(secs "$t0" "$t1")
t0=$(now); "$bin/jb-store" load -q "$url" < "$responses"; t1=$(now)
pg=$(secs "$t0" "$t1")
echo "   load again (idempotent):            SQLite $(rate "$n" "$lite")   PostgreSQL $(rate "$n" "$pg")"

t0=$(now); "$bin/jb-store" export "$db" responses > "$out/export-sqlite.jsonl"; t1=$(now)
lite=$(secs "$t0" "$t1")
t0=$(now); "$bin/jb-store" export "$url" responses > "$out/export-postgres.jsonl"; t1=$(now)
pg=$(secs "$t0" "$t1")
echo "   export responses:                   SQLite $(rate "$n" "$lite")   PostgreSQL $(rate "$n" "$pg")"
if cmp -s "$out/export-sqlite.jsonl" "$out/export-postgres.jsonl"; then
  echo "   the two exports are byte-identical"
else
  echo "   the two exports DIFFER"
fi
