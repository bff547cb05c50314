#!/bin/sh
# jb-models: how long answering from each offline tier takes (what a jb-query start pays for
# its catalogue), CPU time and peak memory. Usage: scripts/bench/models.sh BIN_DIR
set -eu
bin="${1:?usage: scripts/bench/models.sh BIN_DIR}"
cd "$(dirname "$0")/../.."
fixture=../shared/fixtures/openrouter/models/models-2026-08-default-414.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command 7 times; prints the median wall time and CPU time (user+sys) in ms and the
# largest peak memory in KiB.
measure() {
  : > "$work/runs"
  for _ in 1 2 3 4 5 6 7; do
    /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >/dev/null 2>&1
    cat "$work/t" >> "$work/runs"
  done
  wall=$(awk '{ printf "%d\n", $1 * 1000 }' "$work/runs" | sort -n | sed -n 4p)
  cpu=$(awk '{ printf "%d\n", ($2 + $3) * 1000 }' "$work/runs" | sort -n | sed -n 4p)
  mem=$(awk '{ print $4 }' "$work/runs" | sort -n | tail -1)
  echo "$wall ms wall, $cpu ms CPU (medians of 7), peak memory $mem KiB"
}

echo "baseline (jb-models --help): $(measure "$bin/jb-models" --help)"
echo "built-in catalogue (414 models), list: $(measure "$bin/jb-models" list --offline --json --cache-dir "$work/none")"

if [ -f "$fixture" ]; then
  mkdir -p "$work/cache"
  { printf '{"format":"jb-models-cache/1","fetched_at":"%s","base_url":"https://openrouter.ai/api/v1","replies":[\n' "$(date -u +%FT%TZ)"
    cat "$fixture"; printf '\n]}\n'; } > "$work/cache/models.json"
  size=$(wc -c < "$work/cache/models.json")
  echo "fresh cache ($size bytes, 414 models), list: $(measure "$bin/jb-models" list --offline --json --cache-dir "$work/cache")"
  echo "fresh cache, info one model: $(measure "$bin/jb-models" info --offline --json --cache-dir "$work/cache" openai/gpt-4o-mini)"
else
  echo "skipping the cache figures: $fixture is absent"
fi
