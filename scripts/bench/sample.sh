#!/bin/sh
# jb-sample benchmark: sampling rate and peak memory on 500k question records made by
# jb-ingest from the j-archive TSVs, next to jb-ingest's own rate, and peak memory at two
# input sizes (250k and 500k) to show it is flat in the input size. The machine may be shared:
# records/s is given per CPU second (user + system), which load does not inflate.
# Usage: scripts/bench/sample.sh BIN_DIR   (release binaries: swift build -c release --show-bin-path)
set -eu
bin="${1:?usage: scripts/bench/sample.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
tsv="${JB_SHARED_DIR:-../shared}/data/jeopardy/jarchive_tsv"
if [ ! -d "$tsv" ]; then
  echo "   skipped: $tsv is absent (the j-archive TSVs are needed)"
  exit 0
fi
if [ ! -x /usr/bin/time ]; then
  echo "   skipped: /usr/bin/time is missing (Debian: apt-get install time)"
  exit 0
fi
out=bench-out/sample
mkdir -p "$out"

# measure LABEL RECORDS CMD...: runs CMD under /usr/bin/time -v, prints rate and peak RSS.
measure() {
  label="$1"; records="$2"; shift 2
  /usr/bin/time -v "$@" 2> "$out/time.txt" > "$out/stdout.jsonl" || { cat "$out/time.txt"; return 1; }
  awk -v label="$label" -v records="$records" -v lines="$(wc -l < "$out/stdout.jsonl")" '
    /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /User time \(seconds\)/ { cpu += $NF }
    /System time \(seconds\)/ { cpu += $NF }
    /Maximum resident set size/ { kb = $NF }
    END { printf "   %-40s %6d records: %6.2f s wall, %6.2f s CPU = %7.0f records/s of CPU, peak RSS %6.1f MiB, %d written\n",
                 label, records, s, cpu, (cpu > 0 ? records / cpu : 0), kb / 1024, lines }' "$out/time.txt"
}

if [ ! -s "$out/all.jsonl" ]; then
  "$bin/jb-ingest" --quiet "$tsv"/*.tsv.gz > "$out/all.jsonl"
fi
total=$(wc -l < "$out/all.jsonl")
if [ "$total" -lt 500000 ]; then
  echo "   skipped: jb-ingest gave only $total records (500000 needed)"
  exit 0
fi
head -n 500000 "$out/all.jsonl" > "$out/500k.jsonl"
head -n 250000 "$out/all.jsonl" > "$out/250k.jsonl"

echo "   jb-ingest reference (all TSVs, $total records):"
measure "jb-ingest *.tsv.gz" "$total" "$bin/jb-ingest" --quiet "$tsv"/*.tsv.gz
echo "   jb-sample on 500k records:"
measure "-n 1000" 500000 "$bin/jb-sample" -n 1000 --seed 1 "$out/500k.jsonl"
measure "-n 1000 --stratify round,decade" 500000 "$bin/jb-sample" -n 1000 --seed 1 --stratify round,decade "$out/500k.jsonl"
measure "--margin 0.01 --stratify round" 500000 "$bin/jb-sample" --quiet --margin 0.01 --seed 1 --stratify round "$out/500k.jsonl"
measure "--fraction 0.01" 500000 "$bin/jb-sample" --fraction 0.01 --seed 1 "$out/500k.jsonl"
measure "--per-stratum 2 --stratify category" 500000 "$bin/jb-sample" --per-stratum 2 --seed 1 --stratify category "$out/500k.jsonl"
measure "-n 1000 --stratify category" 500000 "$bin/jb-sample" -n 1000 --seed 1 --stratify category "$out/500k.jsonl"
measure "filters only (--round DJ --category hist)" 500000 "$bin/jb-sample" --round DJ --category hist --no-media "$out/500k.jsonl"
echo "   memory against input size (-n 1000 --stratify round,decade):"
measure "250k input" 250000 "$bin/jb-sample" -n 1000 --seed 1 --stratify round,decade "$out/250k.jsonl"
measure "500k input" 500000 "$bin/jb-sample" -n 1000 --seed 1 --stratify round,decade "$out/500k.jsonl"
rm -f "$out/stdout.jsonl" "$out/time.txt"
