#!/bin/sh
# jb-store: rows loaded per second for 500k response records (JB_BENCH_STORE_N to change),
# a second load of the same file (idempotent: nothing added), and the export rate.
# Questions come from jb-ingest on ../shared's j-archive TSVs when present, else are made up.
set -eu
bin="${1:?usage: scripts/bench/store.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
n="${JB_BENCH_STORE_N:-500000}"
out=bench-out/store
mkdir -p "$out"
shared="${JB_SHARED_DIR:-../shared}"
questions="$out/questions.jsonl"
: > "$questions"
if ls "$shared"/data/jeopardy/jarchive_tsv/season3*.tsv.gz >/dev/null 2>&1 && [ -x "$bin/jb-ingest" ]; then
  "$bin/jb-ingest" -q "$shared"/data/jeopardy/jarchive_tsv/season3*.tsv.gz > "$questions" 2>/dev/null || : > "$questions"
  echo "   questions: $(wc -l < "$questions") from jb-ingest on $shared/data/jeopardy/jarchive_tsv/season3*.tsv.gz"
else
  echo "   questions: synthetic ($shared/data/jeopardy/jarchive_tsv absent or jb-ingest not built)"
fi
responses="$out/responses.jsonl"
python3 scripts/bench/store-responses.py "$n" "$questions" > "$responses"
bytes=$(wc -c < "$responses")
db="$out/results.db"
rm -f "$db" "$db-wal" "$db-shm"

now() { python3 -c 'import time; print(time.time())'; }
rate() { python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print('%d rows in %.2f s = %.0f rows/s' % (n, s, n / s))" "$@"; }

t0=$(now)
/usr/bin/time -v -o "$out/load.time" "$bin/jb-store" load -q "$db" < "$responses"
t1=$(now)
peak=$(awk -F': ' '/Maximum resident/ {print $2}' "$out/load.time")
echo "   load (new database, $(( bytes / 1048576 )) MiB of input): $(rate "$n" "$(python3 -c "print($t1 - $t0)")"), peak RSS ${peak} KiB"

t0=$(now)
"$bin/jb-store" load "$db" < "$responses" 2> "$out/reload.err"
t1=$(now)
echo "   load again (idempotent): $(rate "$n" "$(python3 -c "print($t1 - $t0)")"); $(sed 's/^jb-store: [^:]*: //' "$out/reload.err")"

t0=$(now)
"$bin/jb-store" export "$db" responses > "$out/export.jsonl"
t1=$(now)
echo "   export responses: $(rate "$(wc -l < "$out/export.jsonl")" "$(python3 -c "print($t1 - $t0)")")"
if cmp -s "$responses" "$out/export.jsonl"; then
  echo "   round trip: export is byte-identical to the input"
else
  echo "   round trip: export DIFFERS from the input"
fi
echo "   database: $(( $(wc -c < "$db") / 1048576 )) MiB for $n responses"
