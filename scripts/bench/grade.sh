#!/bin/sh
# jb-grade benchmarks: agreement of each mode with the hand-labelled dev set, then
# throughput and peak memory on 500k responses built from the real data.
# Usage: scripts/bench/grade.sh BIN_DIR   (BIN_DIR holds release builds of jb-grade and jb-ingest)
set -eu
bin="${1:?usage: scripts/bench/grade.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
shared="${JB_SHARED_DIR:-../shared}"
out=bench-out/grade
mkdir -p "$out"
dev="$shared/data/grading/dev.jsonl"

if [ ! -f "$dev" ]; then
  echo "   skipped: $dev not found (the shared data is absent)"
  exit 0
fi

# The dev set's fields differ from response records (correct_answer, response): convert, and
# keep the labels under label_* so they pass through jb-grade untouched.
python3 - "$dev" > "$out/dev-responses.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    print(json.dumps({
        "id": d["id"], "model": "dev", "epoch": 1, "category": d["category"], "clue": d["clue"],
        "answer": d["correct_answer"], "response_text": d["response"], "error": None,
        "kind": d["kind"], "label_correct": d["correct"], "label_question_form": d["question_form"],
    }, ensure_ascii=False))
PY

lexicon=auto
[ -f /usr/share/wordnet/index.noun ] || echo "   note: WordNet (apt-get install wordnet-base) is absent: aliases and real-word checks are off"

echo "-- agreement with $dev (150 hand-labelled cases)"
echo "   strict/lenient/adaptive are compared with label 'correct'; jeopardy with 'correct AND question_form'"
echo "   (the README's rule: a right answer not phrased as a question does not score in Jeopardy! mode)."
for mode in strict lenient jeopardy adaptive; do
  "$bin/jb-grade" --quiet --mode "$mode" --lexicon "$lexicon" "$out/dev-responses.jsonl" > "$out/dev-$mode.jsonl"
done
"$bin/jb-grade" --quiet --mode lenient --lexicon none "$out/dev-responses.jsonl" > "$out/dev-lenient-nolexicon.jsonl"
"$bin/jb-grade" --quiet --mode lenient --lexicon "$lexicon" --judge sim/judge --no-cache "$out/dev-responses.jsonl" > "$out/dev-lenient-simjudge.jsonl"

python3 - "$out" <<'PY'
import json, sys, collections
out = sys.argv[1]
def load(name):
    return [json.loads(l) for l in open(f"{out}/{name}", encoding="utf-8")]
runs = [("strict", "dev-strict.jsonl"), ("lenient", "dev-lenient.jsonl"), ("jeopardy", "dev-jeopardy.jsonl"),
        ("adaptive", "dev-adaptive.jsonl"), ("lenient, no lexicon", "dev-lenient-nolexicon.jsonl"),
        ("lenient + sim/judge", "dev-lenient-simjudge.jsonl")]
table = {}
kinds = None
for name, f in runs:
    rows = load(f)
    per = collections.defaultdict(lambda: [0, 0])
    ok = 0
    false_accepts = 0
    for r in rows:
        want = r["label_correct"] and (r["label_question_form"] if name == "jeopardy" else True)
        got = bool(r["grade"]["correct"])
        agree = want == got
        ok += agree
        per[r["kind"]][0] += agree
        per[r["kind"]][1] += 1
        if got and not want and r["kind"] in ("hedge", "rejected_mention", "refusal"):
            false_accepts += 1
    table[name] = per
    kinds = sorted(per)
    judged = sum(1 for r in rows if r["grade"]["judge"])
    extra = f"   ({judged} cases sent to the simulated judge, whose verdicts are similarity + seeded noise: a plumbing check, not a quality figure)" if judged else ""
    print(f"   {name:22s} {ok}/{len(rows)} = {100*ok/len(rows):5.1f}%   false accepts among hedge/rejected_mention/refusal: {false_accepts}{extra}")
qf = load("dev-lenient.jsonl")
agree = sum(r["grade"]["question_form"] == r["label_question_form"] for r in qf)
print(f"   question_form detection  {agree}/{len(qf)} = {100*agree/len(qf):5.1f}%")
print("   per kind (agreeing/cases):")
names = [n for n, _ in runs[:4]]
print("   " + f"{'kind':24s}" + "".join(f"{n:>10s}" for n in names))
for k in kinds:
    print("   " + f"{k:24s}" + "".join(f"{table[n][k][0]:>7d}/{table[n][k][1]:<2d}" for n in names))
misses = [r for r in load("dev-lenient.jsonl") if bool(r["grade"]["correct"]) != r["label_correct"]]
for r in misses:
    print(f"   lenient disagrees: {r['id']} {r['kind']}: {r['answer']!r} vs {r['grade']['extracted']!r} ({r['grade']['method']})")
PY

[ "${JB_BENCH_GRADE_DEV_ONLY:-}" = 1 ] && exit 0
echo "-- throughput on 500k responses built from the j-archive TSVs"
tsvs=$(ls "$shared"/data/jeopardy/jarchive_tsv/season*.tsv.gz 2>/dev/null || true)
if [ -z "$tsvs" ]; then
  echo "   skipped: no TSVs under $shared/data/jeopardy/jarchive_tsv"
  exit 0
fi
if [ ! -s "$out/responses-500k.jsonl" ]; then
  # shellcheck disable=SC2086
  "$bin/jb-ingest" --quiet $tsvs 2>/dev/null | head -n 500000 > "$out/questions.jsonl" || true
  if [ "$(wc -l < "$out/questions.jsonl")" -lt 500000 ]; then
    echo "   note: jb-ingest gave $(wc -l < "$out/questions.jsonl") records; building question records with python instead"
    python3 - $tsvs > "$out/questions.jsonl" <<'PY'
import csv, gzip, json, sys
n = 0
for path in sys.argv[1:]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if n >= 500000: break
            print(json.dumps({"id": f"q{n:07d}", "round": "Jeopardy!", "category": row["category"], "clue": row["answer"],
                              "answer": row["question"], "air_date": row["air_date"]}, ensure_ascii=False))
            n += 1
PY
  fi
  # One response per question: a mix of exact, question-form, verbose, misspelt, wrong,
  # refusals and errors, chosen by line number so the file is the same every time.
  python3 - "$out/questions.jsonl" > "$out/responses-500k.jsonl" <<'PY'
import json, sys
wrong = None
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    q = json.loads(line)
    a = q["answer"].replace("\\", "")
    k = i % 10
    if k in (0, 1): text = a
    elif k in (2, 3, 4): text = f"What is {a}?"
    elif k == 5: text = f"Let me think about {q['category'].lower()}.\nFinal answer: What is {a}?"
    elif k == 6: text = f"Who is {a[:-1] + ('e' if a[-1:] != 'e' else 'a')}?"
    elif k == 7: text = f"What is {wrong or 'Paris'}?"
    elif k == 8: text = "I don't know."
    else: text = f"**{a}** (confidence: 80%)"
    q.update({"model": "sim/bench", "epoch": 1, "response_text": text, "error": None})
    if i % 97 == 0:
        q.update({"response_text": None, "error": {"status": 500, "code": None, "message": "server error"}})
    wrong = a
    print(json.dumps(q, ensure_ascii=False))
PY
fi
for n in 100000 500000; do
  head -n "$n" "$out/responses-500k.jsonl" > "$out/responses-$n.jsonl"
  /usr/bin/time -v "$bin/jb-grade" --quiet --mode lenient "$out/responses-$n.jsonl" > "$out/graded-$n.jsonl" 2> "$out/time-$n.txt"
  secs=$(grep "Elapsed (wall clock)" "$out/time-$n.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$out/time-$n.txt" | awk '{print $NF}')
  python3 -c "n=$n; s=$secs; print(f'   {n:>7d} responses (lenient, lexicon auto): {s:.1f} s, {n/s:,.0f} responses/s, peak RSS {int($rss)//1024} MB')"
done
