#!/bin/sh
# jb-ingest: rows per second and peak memory on the j-archive TSV set (all 40 seasons, gzip);
# the Kaggle CSV beside ingest_pandas.py (the peer) on 150,000 rows made with tsv_to_kaggle.py
# from all 40 seasons; the CSV, JSON and TSV readers on the same 511,433 clues; the 129 MB
# Kaggle JSON array in flat memory.
set -eu
bin="${1:?usage: scripts/bench/ingest.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
shared="${JB_SHARED_DIR:-../shared}"
data="$shared/data/jeopardy/jarchive_tsv"
if [ ! -d "$data" ]; then echo "   skipped: $data is absent"; exit 0; fi
. scripts/bench/lib.sh
out=bench-out/ingest
mkdir -p "$out"
all=$(ls "$data"/season*.tsv.gz | sort -V)
quarter=$(ls "$data"/season*.tsv.gz | sort -V | head -10)

summary() {  # the counts of jb-ingest's summary line in $err
  sed -n 's/^jb-ingest: \([0-9]*\) rows read, \([0-9]*\) questions written, \([0-9]*\) rejected.*/\1 rows read, \2 written, \3 rejected/p' "$err"
}
rows_read() { sed -n 's/^jb-ingest: \([0-9]*\) rows read.*/\1/p' "$err"; }

measure "$bin/jb-ingest" --strict $all
echo "   40 seasons: $(summary) (exit $status)"
report "jb-ingest, 40 TSV seasons (gzip)" "$(rows_read)" rows
full_rss=$rss_kb
measure "$bin/jb-ingest" --strict $quarter
echo "   peak memory: $((rss_kb / 1024)) MB on 10 seasons vs $((full_rss / 1024)) MB on 40 seasons (flat: the only growing state is 8 bytes per id)"

# The Kaggle layouts of the same clues, made once by the peers' converter (cached in bench-out).
peer_setup
tsv="$out/all.tsv" csv="$out/all.csv" json="$out/all.json" csv150="$out/kaggle-150k.csv"
if [ ! -s "$json" ] || [ ! -s "$csv150" ]; then
  if [ -z "${peers:-}" ] || [ ! -f "$peers/tsv_to_kaggle.py" ]; then
    echo "   Kaggle CSV/JSON rows skipped: tsv_to_kaggle.py is absent"; exit 0
  fi
  first=$(echo "$all" | head -1)
  { gzip -dc "$first" | head -1; for f in $all; do gzip -dc "$f" | tail -n +2; done; } > "$tsv"
  python3 "$peers/tsv_to_kaggle.py" "$tsv" "$csv" "$json" > /dev/null
  # The first 150,000 records (not lines: a quoted field may hold a line break).
  python3 - "$csv" "$csv150" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as o:
    r, w = csv.reader(f), csv.writer(o, quoting=csv.QUOTE_MINIMAL)
    for k, row in enumerate(r):
        if k > 150000: break
        w.writerow(row)
PY
fi
echo "   -- Kaggle CSV, 150,000 rows ($(( $(wc -c < "$csv150") / 1048576 )) MiB), jb-ingest beside ingest_pandas.py"
measure "$bin/jb-ingest" "$csv150"
jb_s=$seconds jb_kb=$rss_kb
echo "   jb-ingest: $(summary) (exit $status)"
report "jb-ingest, Kaggle CSV" "$(rows_read)" rows
if [ -n "$peer_py" ]; then
  measure "$peer_py" "$peers/ingest_pandas.py" "$csv150"
  echo "   ingest_pandas.py: $seconds s, peak memory $((rss_kb / 1024)) MB (exit $status)"
  speed=$(ratio "$seconds" "$jb_s")
  mem=$(ratio "$rss_kb" "$jb_kb")
  ok_speed=$(echo "$speed >= 10" | bc -l) ok_mem=$(echo "$mem >= 10" | bc -l)
  echo "   ratio: jb-ingest is ${speed}x faster (goal >= 10x: $([ "$ok_speed" = 1 ] && echo met || echo NOT met)), uses 1/${mem} of the memory (goal <= 1/10: $([ "$ok_mem" = 1 ] && echo met || echo NOT met))"
fi

echo "   -- the three readers on the same 511,433 clues (TSV, Kaggle CSV, Kaggle JSON)"
for f in "$tsv" "$csv" "$json"; do
  if [ -s "$f" ]; then
    measure "$bin/jb-ingest" "$f"
    report "jb-ingest, $(basename "$f") ($(( $(wc -c < "$f") / 1048576 )) MiB)" "$(rows_read)" rows
    echo "      CPU use $(echo "scale=2; $cpu_seconds / $seconds" | bc -l) cores"
  fi
done
if [ -s "$json" ]; then
  head -c $(( $(wc -c < "$json") / 4 )) "$json" | sed 's/, {[^}]*$/]/' > "$out/quarter.json"
  full=$rss_kb
  measure "$bin/jb-ingest" "$out/quarter.json"
  echo "   Kaggle JSON array peak memory: $((rss_kb / 1024)) MB on a quarter vs $((full / 1024)) MB on all 129 MB (streamed: flat)"
fi
