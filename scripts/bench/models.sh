#!/bin/sh
# jb-models: how long answering from each offline tier takes (what a jb-query start pays for
# its catalogue), and peak memory. Usage: scripts/bench/models.sh BIN_DIR
set -eu
bin="${1:?usage: scripts/bench/models.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
fixture=../shared/fixtures/openrouter/models/models-2026-08-default-414.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Median wall time of 7 runs of a command, in milliseconds.
median_ms() {
  for _ in 1 2 3 4 5 6 7; do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | sort -n | sed -n 4p
}
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

ms=$(median_ms "$bin/jb-models" list --offline --json --cache-dir "$work/none")
kb=$(peak_kb "$bin/jb-models" list --offline --json --cache-dir "$work/none")
echo "built-in catalogue (414 models): list in $ms ms (median of 7), peak memory $kb KiB"

if [ -f "$fixture" ]; then
  mkdir -p "$work/cache"
  { printf '{"format":"jb-models-cache/1","fetched_at":"%s","base_url":"https://openrouter.ai/api/v1","replies":[\n' "$(date -u +%FT%TZ)"
    cat "$fixture"; printf '\n]}\n'; } > "$work/cache/models.json"
  size=$(wc -c < "$work/cache/models.json")
  ms=$(median_ms "$bin/jb-models" list --offline --json --cache-dir "$work/cache")
  kb=$(peak_kb "$bin/jb-models" list --offline --json --cache-dir "$work/cache")
  echo "fresh cache ($size bytes, 414 models): list in $ms ms (median of 7), peak memory $kb KiB"
  ms=$(median_ms "$bin/jb-models" info --offline --json --cache-dir "$work/cache" openai/gpt-4o-mini)
  echo "fresh cache: info one model in $ms ms (median of 7)"
else
  echo "skipping the cache figures: $fixture is absent"
fi
