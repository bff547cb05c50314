#!/bin/sh
# Runs every benchmark script in scripts/bench/ against the release binaries in $1.
set -eu
bin="${1:?usage: scripts/bench.sh BIN_DIR}"
cd "$(dirname "$0")/.."
mkdir -p bench-out
# GNU time (peak memory) and bc (rates) are needed; install them on Debian as root.
for tool in /usr/bin/time bc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time bc >/dev/null
    else
      echo "bench: missing $tool (Debian packages: time, bc)" >&2; exit 1
    fi
  fi
done
for script in scripts/bench/*.sh; do
  [ "$(basename "$script")" = lib.sh ] && continue
  [ -e "$script" ] || continue
  echo "== $(basename "$script" .sh)"
  sh "$script" "$bin" || echo "   (failed: $script exited $?)"
done
