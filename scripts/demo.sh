#!/bin/sh
# make demo: runs pipelines/demo.yaml (the example questions and simulated models: no key, no
# network) with the tools in BIN_DIR, then shows the terminal report and where the HTML is.
set -eu
bin="${1:?usage: scripts/demo.sh BIN_DIR}"
cd "$(dirname "$0")/.."
bin=$(cd "$bin" && pwd)
PATH="$bin:$PATH"
export PATH
echo "jb run pipelines/demo.yaml" >&2
dir=$(jb run pipelines/demo.yaml)
echo
# The terminal report again, live, so it is coloured on a terminal (run.json is in the
# HTML and Markdown reports; it would make this one long).
jb report --format terminal --graded "$dir/04-grade.jsonl" \
  --title "jb demo: three simulated models on the example questions" "$dir/05-metrics.jsonl"
echo
echo "Run folder:  $dir (every stage's output, run.json, run.log)"
echo "HTML report: $dir/report.html"
