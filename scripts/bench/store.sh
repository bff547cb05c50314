#!/bin/sh
# jb-store: `jb-store load` of 100,000 graded records beside `sqlite-utils insert --nl --pk id`
# (the peer), a second load of the same file (idempotent: nothing added), and `jb-store export`
# of the same records; then a larger load of response records (JB_BENCH_STORE_N, default 500k).
set -eu
bin="${1:?usage: scripts/bench/store.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
. scripts/bench/lib.sh
out=bench-out/store
mkdir -p "$out"
shared="${JB_SHARED_DIR:-../shared}"
n="${JB_BENCH_STORE_N:-500000}"
peer_setup

# Questions: jb-ingest on all 40 j-archive seasons when present, else made up.
questions="$out/questions.jsonl"
: > "$questions"
if ls "$shared"/data/jeopardy/jarchive_tsv/season*.tsv.gz >/dev/null 2>&1 && [ -x "$bin/jb-ingest" ]; then
  "$bin/jb-ingest" -q $(ls "$shared"/data/jeopardy/jarchive_tsv/season*.tsv.gz | sort -V) > "$questions" 2>/dev/null || : > "$questions"
  echo "   questions: $(wc -l < "$questions") from jb-ingest on the 40 j-archive seasons"
else
  echo "   questions: synthetic ($shared/data/jeopardy/jarchive_tsv absent or jb-ingest not built)"
fi

# 100,000 graded records: responses with a realistic mix of replies (the peers' make_responses.py
# when present), graded by jb-grade. sqlite-utils fixes a table's columns from its first rows and
# refuses a later record with another field (`--alter` adds them, at many times the cost), so
# the records are those whose questions have the same fields (no `wager`, `comments`, `notes`).
graded="$out/graded-100k.jsonl"
if [ -n "${peers:-}" ] && [ -f "$peers/make_responses.py" ] && [ -s "$questions" ]; then
  grep -v -e '"wager":' -e '"comments":' -e '"notes":' "$questions" | head -100000 \
    | python3 "$peers/make_responses.py" | "$bin/jb-grade" -q > "$graded"
else
  python3 scripts/bench/store-responses.py 100000 "$questions" | "$bin/jb-grade" -q > "$graded"
fi
g=$(wc -l < "$graded")
echo "   -- $g graded records ($(( $(wc -c < "$graded") / 1048576 )) MiB), jb-store load beside sqlite-utils insert"
db="$out/graded.db"
rm -f "$db" "$db-wal" "$db-shm"
measure "$bin/jb-store" load -q "$db" "$graded"
load_s=$seconds
report "jb-store load, new database" "$g" rows
jb_rate=$(echo "$g / $seconds" | bc -l)
measure "$bin/jb-store" load "$db" "$graded"
report "jb-store load again (idempotent: $(sed 's/^jb-store: [^:]*: //' "$err" | tail -1))" "$g" rows
measure sh -c "\"$bin/jb-store\" export \"$db\" grades > \"$out/graded-export.jsonl\""
export_s=$seconds
report "jb-store export grades" "$g" rows
# jb-grade adds `grade` after the fields it read; the export writes keys in order: compare the records.
if python3 - "$graded" "$out/graded-export.jsonl" <<'PY'
import json, sys
a, b = (open(p, encoding="utf-8") for p in sys.argv[1:3])
sys.exit(0 if all(json.loads(x) == json.loads(y) for x, y in zip(a, b)) and a.read() == b.read() == "" else 1)
PY
then
  echo "   round trip: the export gives back every record loaded, field for field"
else
  echo "   round trip: the export DIFFERS from the input"
fi
if [ -n "$peer_py" ]; then
  peer_db="$out/sqlite-utils.db"
  rm -f "$peer_db"
  measure "$(dirname "$peer_py")/sqlite-utils" insert "$peer_db" results "$graded" --nl --pk id
  peer_s=$seconds
  echo "   sqlite-utils insert --nl --pk id: $seconds s, peak memory $((rss_kb / 1024)) MB (exit $status)"
  measure sh -c "\"$(dirname "$peer_py")/sqlite-utils\" rows \"$peer_db\" results --nl > \"$out/sqlite-utils-export.jsonl\""
  peer_export_s=$seconds
  echo "   sqlite-utils rows --nl (its export): $seconds s (exit $status)"
  speed=$(ratio "$peer_s" "$load_s")
  echo "   ratio: jb-store load is ${speed}x faster than sqlite-utils insert (goal >= 10x: $([ "$(echo "$speed >= 10" | bc -l)" = 1 ] && echo met || echo NOT met)); $(printf '%.0f' "$jb_rate") rows/s (goal >= 100,000: $([ "$(echo "$jb_rate >= 100000" | bc -l)" = 1 ] && echo met || echo NOT met))"
  echo "   ratio: jb-store export is $(ratio "$peer_export_s" "$export_s")x faster than sqlite-utils rows"
fi

# A larger load of response records.
responses="$out/responses.jsonl"
python3 scripts/bench/store-responses.py "$n" "$questions" > "$responses"
db="$out/results.db"
rm -f "$db" "$db-wal" "$db-shm"
measure "$bin/jb-store" load -q "$db" "$responses"
report "jb-store load, $((n / 1000))k responses ($(( $(wc -c < "$responses") / 1048576 )) MiB)" "$n" rows
measure "$bin/jb-store" load "$db" "$responses"
report "jb-store load again (idempotent)" "$n" rows
measure sh -c "\"$bin/jb-store\" export \"$db\" responses > \"$out/export.jsonl\""
report "jb-store export responses" "$n" rows
if cmp -s "$responses" "$out/export.jsonl"; then
  echo "   round trip: export is byte-identical to the input"
else
  echo "   round trip: export DIFFERS from the input"
fi
echo "   database: $(( $(wc -c < "$db") / 1048576 )) MiB for $n responses"
