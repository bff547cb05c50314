#!/bin/sh
# The whole offline chain over all 511,433 shared clues with one simulated model, as one line:
#   jb-ingest | jb-sample -n 511433 | jb-query --model sim/good | jb-grade | jb-metrics --by round | jb-report
# beside ingest_pandas.py (the peer) reading and cleaning the same clues as Kaggle CSV. Goal: the
# whole chain finishes first. Uses bench-out/ingest/all.csv (made by ingest.sh) when present.
set -eu
bin="${1:?usage: scripts/bench/chain.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
. scripts/bench/lib.sh
shared="${JB_SHARED_DIR:-../shared}"
data="$shared/data/jeopardy/jarchive_tsv"
out=bench-out/chain
mkdir -p "$out"
csv=bench-out/ingest/all.csv
if [ ! -s "$csv" ]; then
  peer_setup
  if [ ! -d "$data" ] || [ -z "${peers:-}" ] || [ ! -f "$peers/tsv_to_kaggle.py" ]; then
    echo "   skipped: the shared TSV seasons or tsv_to_kaggle.py are absent"; exit 0
  fi
  mkdir -p bench-out/ingest
  all=$(ls "$data"/season*.tsv.gz | sort -V)
  { gzip -dc $(echo "$all" | head -1) | head -1; for f in $all; do gzip -dc "$f" | tail -n +2; done; } > bench-out/ingest/all.tsv
  python3 "$peers/tsv_to_kaggle.py" bench-out/ingest/all.tsv "$csv" bench-out/ingest/all.json > /dev/null
else
  peer_setup
fi
rows=$(( $(wc -l < "$csv") - 1 ))
# jb-sample takes every question: as many as jb-ingest writes (duplicates dropped), counted first.
n=$("$bin/jb-ingest" -q "$csv" | wc -l)
chain="\"$bin/jb-ingest\" -q \"$csv\" | \"$bin/jb-sample\" -q -n $n --seed 1 | \"$bin/jb-query\" -q --model sim/good | \"$bin/jb-grade\" -q | \"$bin/jb-metrics\" -q --by round | \"$bin/jb-report\" -q > \"$out/report.txt\""
# bash's pipefail: a stage that fails fails the line (sh would report only jb-report's status).
measure bash -o pipefail -c "$chain"
chain_s=$seconds
if [ "$status" != 0 ] || ! grep -q "Final Jeopardy" "$out/report.txt"; then
  echo "   chain FAILED (exit $status):"; sed 's/^/      /' "$err" | tail -5; exit 0
fi
echo "   chain over $rows Kaggle CSV rows, $n questions (jb-ingest | jb-sample -n $n | jb-query sim/good | jb-grade | jb-metrics --by round | jb-report): $seconds s, CPU $(printf '%.2f' "$cpu_seconds") s (the largest stage's peak memory $((rss_kb / 1024)) MB)"
if [ -n "$peer_py" ]; then
  measure "$peer_py" "$peers/ingest_pandas.py" "$csv"
  echo "   ingest_pandas.py on the same CSV: $seconds s, peak memory $((rss_kb / 1024)) MB (exit $status)"
  ok=$(echo "$chain_s < $seconds" | bc -l)
  echo "   ratio: the whole jb chain takes $(ratio "$chain_s" "$seconds") of pandas' ingest time (goal < 1: $([ "$ok" = 1 ] && echo met || echo NOT met))"
fi
