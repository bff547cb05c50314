#!/bin/sh
# jb-report benchmark: seconds and peak memory per format on a large synthetic metrics file
# (and on a large graded file for the sampled misses).
#
#   scripts/bench/report.sh BIN_DIR            (BIN_DIR: release binaries, e.g. .build/release)
#
# JB_BENCH_GROUPS sets the categories per model (default 20000; 5 models, so 100,005 metric
# records); JB_BENCH_RECORDS the graded records (default 500000). Inputs are generated once
# into bench-out/ with python3 (seeded) and reused.
set -eu
bin="${1:?usage: scripts/bench/report.sh BIN_DIR}"
bin="$(cd "$bin" && pwd)"
groups="${JB_BENCH_GROUPS:-20000}"
records="${JB_BENCH_RECORDS:-500000}"
cd "$(dirname "$0")/../.."
mkdir -p bench-out
metrics="bench-out/report-metrics-$groups.jsonl"
graded="bench-out/report-graded-$records.jsonl"
if ! command -v python3 >/dev/null 2>&1; then
  echo "   skipped: python3 is needed to generate the synthetic input"; exit 0
fi
if [ ! -x /usr/bin/time ]; then
  echo "   skipped: /usr/bin/time is missing (Debian: apt-get install time)"; exit 0
fi
if [ ! -s "$metrics" ] || [ ! -s "$graded" ]; then
  python3 - "$groups" "$records" "$metrics" "$graded" <<'PY'
import json, random, sys
groups, records, mpath, gpath = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(7)
models = ["sim/a", "sim/b", "sim/c", "sim/d", "sim/e"]
def rec(model, group, n, k, **extra):
    r = {"kind": "metric", "model": model, "group": group, "n": n, "answered": n, "correct": k,
         "accuracy": k / n, "ci_low": max(0, k / n - 0.1), "ci_high": min(1, k / n + 0.1), "confidence": 0.95}
    r.update(extra)
    return r
with open(mpath, "w") as f:
    for m in models:
        f.write(json.dumps(rec(m, "all", groups * 25, groups * 15, latency_p50_ms=800, latency_p95_ms=1500,
                               latency_p99_ms=2100, cost_usd=1.5, score=120000)) + "\n")
        for c in range(groups):
            n = rng.randint(5, 45)
            f.write(json.dumps(rec(m, f"category=CATEGORY {c}", n, rng.randint(0, n),
                                   group_field="category", group_value=f"CATEGORY {c}")) + "\n")
with open(gpath, "w") as f:
    for i in range(records):
        right = rng.random() < 0.6
        f.write(json.dumps({"id": f"{i:016x}", "model": models[i % 5], "category": "C", "clue": "a clue",
                            "answer": "an answer", "epoch": 1, "response_text": "What is it?",
                            "grade": {"correct": right, "answered": True, "method": "exact" if right else "fuzzy",
                                      "extracted": "it", "confidence": rng.random()}}) + "\n")
PY
fi
lines=$(wc -l < "$metrics")
for format in terminal markdown csv json html; do
  /usr/bin/time -f "%e %U %M" -o bench-out/report-time.txt "$bin/jb-report" --format "$format" "$metrics" > /dev/null
  read -r secs cpu kb < bench-out/report-time.txt
  echo "   $format: $lines metric records in ${secs} s (${cpu} s CPU), peak memory $((kb / 1024)) MiB"
done
/usr/bin/time -f "%e %U %M" -o bench-out/report-time.txt "$bin/jb-report" --format html --graded "$graded" \
  --previous-graded "$graded" "$metrics" > /dev/null
read -r secs cpu kb < bench-out/report-time.txt
echo "   html with --graded and --previous-graded ($records graded records each): ${secs} s (${cpu} s CPU), peak memory $((kb / 1024)) MiB"
