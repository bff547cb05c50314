#!/bin/sh
# Runs every benchmark script in scripts/bench/ against the release binaries in $1.
set -eu
bin="${1:?usage: scripts/bench.sh BIN_DIR}"
cd "$(dirname "$0")/.."
mkdir -p bench-out
for script in scripts/bench/*.sh; do
  [ -e "$script" ] || continue
  echo "== $(basename "$script" .sh)"
  sh "$script" "$bin" || echo "   (failed: $script exited $?)"
done
