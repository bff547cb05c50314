#!/bin/sh
# jb-grade benchmarks:
#  1. agreement of each mode with hand-labelled cases, overall and per kind, and the false
#     accepts among hedges, rejected mentions and refusals: the shared dev set
#     (../shared/data/grading/dev.jsonl) and this repository's own set
#     (Tests/JBGradeTests/Data: the tune part the rules were tuned on, the validation part they were not);
#  2. speed and peak memory of jb-grade beside ../shared/bench/peers/grade_peer.py (SQuAD
#     normalisation + rapidfuzz) on the same 150,000 responses built from the j-archive data,
#     in the same run, with the ratio.
# Usage: scripts/bench/grade.sh BIN_DIR   (BIN_DIR holds release builds of jb-grade and jb-ingest)
set -eu
bin="${1:?usage: scripts/bench/grade.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
. scripts/bench/lib.sh
shared="${JB_SHARED_DIR:-../shared}"
out=bench-out/grade
mkdir -p "$out"
dev="$shared/data/grading/dev.jsonl"

if ! command -v python3 >/dev/null 2>&1; then
  echo "   (python3 is missing: the agreement tables need it; skipped)"
else
  lexicon=auto
  [ -f /usr/share/wordnet/index.noun ] || echo "   note: WordNet (apt-get install wordnet-base) is absent: WordNet aliases, real-word and place checks are off"
  for set in dev:"$dev" tune:Tests/JBGradeTests/Data/grading-tune.jsonl validation:Tests/JBGradeTests/Data/grading-validation.jsonl; do
    name=${set%%:*}; file=${set#*:}
    if [ ! -f "$file" ]; then echo "   skipped the $name set: $file not found"; continue; fi
    # The labelled sets' fields differ from response records (correct_answer, response):
    # convert, and keep the labels under label_* so they pass through jb-grade untouched.
    python3 - "$file" > "$out/$name-responses.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    print(json.dumps({
        "id": d["id"], "model": "labelled", "epoch": 1, "category": d["category"], "clue": d["clue"],
        "answer": d["correct_answer"], "response_text": d["response"], "error": None,
        "kind": d["kind"], "label_correct": d["correct"], "label_question_form": d["question_form"],
    }, ensure_ascii=False))
PY
    for mode in strict lenient jeopardy adaptive; do
      "$bin/jb-grade" --quiet --mode "$mode" --lexicon "$lexicon" "$out/$name-responses.jsonl" > "$out/$name-$mode.jsonl"
    done
    "$bin/jb-grade" --quiet --mode lenient --lexicon none "$out/$name-responses.jsonl" > "$out/$name-lenient-nolexicon.jsonl"
    "$bin/jb-grade" --quiet --mode lenient --lexicon "$lexicon" --judge sim/judge --no-cache "$out/$name-responses.jsonl" > "$out/$name-lenient-simjudge.jsonl"
    case $name in
      dev) title="the shared dev set ($dev)";;
      tune) title="this repository's tune part (the rules were tuned on it)";;
      validation) title="this repository's validation part (other clues; never tuned on)";;
    esac
    echo "-- agreement with $title"
    python3 - "$out" "$name" <<'PY'
import json, sys, collections
out, name = sys.argv[1], sys.argv[2]
def load(mode):
    return [json.loads(l) for l in open(f"{out}/{name}-{mode}.jsonl", encoding="utf-8")]
runs = [("strict", "strict"), ("lenient", "lenient"), ("jeopardy", "jeopardy"), ("adaptive", "adaptive"),
        ("lenient, no lexicon", "lenient-nolexicon"), ("lenient + sim/judge", "lenient-simjudge")]
table = {}
kinds = set()
for label, f in runs:
    rows = load(f)
    per = collections.defaultdict(lambda: [0, 0])
    ok = 0
    fa = collections.Counter()
    for r in rows:
        want = r["label_correct"] and (r["label_question_form"] if label == "jeopardy" else True)
        got = bool(r["grade"]["correct"])
        ok += want == got
        per[r["kind"]][0] += want == got
        per[r["kind"]][1] += 1
        if got and not want and r["kind"] in ("hedge", "rejected_mention", "refusal"):
            fa[r["kind"]] += 1
    table[label] = per
    kinds |= set(per)
    judged = sum(1 for r in rows if r["grade"]["judge"])
    extra = f"   ({judged} sent to the simulated judge: similarity + seeded noise, a plumbing check, not a quality figure)" if judged else ""
    fas = ", ".join(f"{k} {fa[k]}" for k in ("hedge", "rejected_mention", "refusal"))
    print(f"   {label:21s} {ok:4d}/{len(rows):<4d} = {100*ok/len(rows):5.1f}%   false accepts: {fas}{extra}")
qf = load("lenient")
agree = sum(r["grade"]["question_form"] == r["label_question_form"] for r in qf)
print(f"   question_form detection {agree}/{len(qf)} = {100*agree/len(qf):5.1f}%")
names = [n for n, _ in runs[:4]]
print("   per kind (agreeing/cases):")
print("   " + f"{'kind':24s}" + "".join(f"{n:>12s}" for n in names))
for k in sorted(kinds):
    print("   " + f"{k:24s}" + "".join(f"{table[n][k][0]:>8d}/{table[n][k][1]:<3d}" for n in names))
if name != "validation":
    for r in load("lenient"):
        if bool(r["grade"]["correct"]) != r["label_correct"]:
            print(f"   lenient disagrees: {r['id']} {r['kind']}: {r['answer']!r} vs {r['grade']['extracted']!r} ({r['grade']['method']})")
PY
  done
fi

[ "${JB_BENCH_GRADE_DEV_ONLY:-}" = 1 ] && exit 0
echo "-- speed: jb-grade beside grade_peer.py on the same 150,000 responses"
tsvs=$(ls "$shared"/data/jeopardy/jarchive_tsv/season*.tsv.gz 2>/dev/null | sort -V || true)
if [ -z "$tsvs" ]; then
  echo "   skipped: no TSVs under $shared/data/jeopardy/jarchive_tsv"
  exit 0
fi
peer_setup
n=150000
responses="$out/responses-$n.jsonl"
if [ ! -s "$responses" ]; then
  # As ../shared/bench/peers/README.md builds them: TSV → Kaggle CSV (tsv_to_kaggle.py) →
  # jb-ingest → make_responses.py (a realistic mix of reply shapes).
  if [ -n "$peer_py" ]; then
    { zcat $(echo "$tsvs" | head -1) | head -1; for f in $tsvs; do zcat "$f" | tail -n +2; done; } | head -n 170001 > "$out/src.tsv"
    "$peer_py" "$peers/tsv_to_kaggle.py" "$out/src.tsv" "$out/src.csv" "$out/src.json" > /dev/null
    "$bin/jb-ingest" --quiet "$out/src.csv" | head -n "$n" > "$out/questions.jsonl"
    "$peer_py" "$peers/make_responses.py" < "$out/questions.jsonl" > "$responses"
  else
    # No Python: jb-ingest reads the TSVs itself and awk writes a reply for each question.
    # shellcheck disable=SC2086
    "$bin/jb-ingest" --quiet $tsvs 2>/dev/null | head -n "$n" \
      | awk '{ a = $0; if (match(a, /"answer":"([^"\\]|\\.)*"/)) { ans = substr(a, RSTART + 10, RLENGTH - 11) } else { ans = "" }
              t = (NR % 4 == 0) ? ans : "What is " ans "?"
              sub(/}$/, ",\"model\":\"sim/x\",\"response\":\"" t "\",\"response_text\":\"" t "\",\"error\":null}", a); print a }' > "$responses"
  fi
fi
count=$(wc -l < "$responses")
measure "$bin/jb-grade" --quiet "$responses"
if [ "$status" != 0 ]; then echo "   jb-grade failed (exit $status): $(head -c 300 "$err")"; exit 0; fi
jb_seconds=$seconds
report "jb-grade (lenient, lexicon auto, release)" "$count" responses
"$bin/jb-grade" --quiet "$responses" > "$out/graded-$n.jsonl"
if [ -n "$peer_py" ]; then
  measure "$peer_py" "$peers/grade_peer.py" < "$responses"
  if [ "$status" != 0 ]; then echo "   grade_peer.py failed (exit $status): $(head -c 300 "$err")"; exit 0; fi
  report "grade_peer.py (SQuAD + rapidfuzz)" "$count" responses
  echo "   jb-grade is $(ratio "$seconds" "$jb_seconds") times as fast as grade_peer.py on the same $count responses"
else
  echo "   (the Python peer could not be set up: jb-grade's own figure only)"
fi
# Flat memory: a third of the input takes about the same peak.
head -n $((count / 3)) "$responses" > "$out/responses-third.jsonl"
measure "$bin/jb-grade" --quiet "$out/responses-third.jsonl"
echo "   peak memory: $((rss_kb / 1024)) MB on $((count / 3)) responses"
