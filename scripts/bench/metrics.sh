#!/bin/sh
# jb-metrics benchmark: records per second and peak memory on a large synthetic graded file.
#
#   scripts/bench/metrics.sh BIN_DIR            (BIN_DIR: release binaries, e.g. .build/release)
#
# JB_BENCH_RECORDS sets the size (default 500000: 5 models × 100,000 questions, 20,000
# categories). The input is generated once into bench-out/ with python3 (seeded) and reused.
set -eu
bin="${1:?usage: scripts/bench/metrics.sh BIN_DIR}"
bin="$(cd "$bin" && pwd)"
n="${JB_BENCH_RECORDS:-500000}"
cd "$(dirname "$0")/../.."
mkdir -p bench-out
input="bench-out/metrics-input-$n.jsonl"
if ! command -v python3 >/dev/null 2>&1; then
  echo "   skipped: python3 is needed to generate the synthetic input"; exit 0
fi
if [ ! -x /usr/bin/time ]; then
  echo "   skipped: /usr/bin/time is missing (Debian: apt-get install time)"; exit 0
fi
if [ ! -s "$input" ]; then
  python3 - "$n" "$input" <<'PY'
import json, math, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
models = [("sim/a", 0.8, 900), ("sim/b", 0.7, 1500), ("sim/c", 0.6, 2500), ("sim/d", 0.5, 4000), ("sim/e", 0.4, 7000)]
questions = max(1, n // len(models))
rounds = ["Jeopardy!", "Double Jeopardy!", "Final Jeopardy!"]
with open(path, "w") as f:
    for k in range(questions):
        qid = f"{rng.getrandbits(64):016x}"
        rnd = rng.choices(rounds, [45, 45, 10])[0]
        year = rng.randint(1984, 2024)
        row = rng.randint(1, 5)
        value = None if rnd == "Final Jeopardy!" else row * (100 if rnd == "Jeopardy!" else 200) * (2 if year > 2001 else 1)
        q = {"id": qid, "round": rnd, "category": f"CATEGORY {rng.randrange(20000)}",
             "air_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "value": value,
             "daily_double": rng.random() < 0.05, "difficulty": None if value is None else row,
             "clue": "c", "answer": "a"}
        for model, skill, scale in models:
            right = rng.random() < skill
            r = dict(q, model=model, epoch=1, cached=False, error=None,
                     latency_ms=round(rng.lognormvariate(math.log(scale), 0.6)),
                     tokens={"prompt": rng.randint(40, 90), "completion": rng.randint(3, 40)},
                     cost_usd=round(rng.uniform(1e-5, 4e-4), 8),
                     grade={"correct": right, "answered": True, "method": "exact" if right else "fuzzy",
                            "confidence": round(rng.random(), 2) if rng.random() < 0.5 else None})
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
PY
fi
records=$(wc -l < "$input")
bytes=$(wc -c < "$input")
echo "   input: $records graded records, $((bytes / 1048576)) MB ($input)"
echo "   (records/s is wall-clock; records/CPU-s is what one core does when the machine is busy)"

measure() {
  label="$1"; shift
  /usr/bin/time -v "$bin/jb-metrics" -q "$@" "$input" > bench-out/metrics-out.jsonl 2> bench-out/metrics-time.txt || {
    echo "   $label: failed"; cat bench-out/metrics-time.txt; return 0; }
  awk -v label="$label" -v records="$records" -v out="$(wc -l < bench-out/metrics-out.jsonl)" '
    /Elapsed \(wall clock\)/ { split($NF, t, ":"); s = 0; for (i = 1; i in t; i++) s = s * 60 + t[i] }
    /User time \(seconds\)/ { cpu += $NF }
    /System time \(seconds\)/ { cpu += $NF }
    /Maximum resident set size/ { rss = $NF }
    END { printf "   %-42s %7.0f records/s (%6.2f s wall)  %7.0f records/CPU-s (%5.2f s CPU)  peak %6.1f MB  %6d records out\n", label, records / (s > 0 ? s : 1e-9), s, records / (cpu > 0 ? cpu : 1e-9), cpu, rss / 1024, out }
' bench-out/metrics-time.txt
}

measure "all groups, paired comparisons"
measure "--no-compare"                         --no-compare
measure "--by round,decade,difficulty,value"  --by round,decade,difficulty,value
measure "--by category (20,000 groups per model)" --by category
