# Shared helpers for the benchmark scripts: `measure CMD…` runs a command under GNU time,
# discarding stdout, and sets $seconds, $rss_kb, $cpu_seconds, $status and $err (stderr file).
err=$(mktemp)
timing=$(mktemp)
measure() {
  set +e
  /usr/bin/time -f '%e %M %U %S' -o "$timing" "$@" > /dev/null 2> "$err"
  status=$?
  set -e
  read seconds rss_kb user sys < "$timing"
  cpu_seconds=$(echo "$user + $sys" | bc -l)
}
# report LABEL COUNT UNIT: prints the rate and peak memory of the last measure.
report() {
  rate=$(echo "$2 / $seconds" | bc -l)
  printf '   %s: %s %s in %.2f s = %.0f %s/s, CPU %.2f s, peak memory %d MB\n' \
    "$1" "$2" "$3" "$seconds" "$rate" "$3" "$cpu_seconds" "$((rss_kb / 1024))"
}
# peer_setup: sets $peer_py to a Python with the peers' packages (pandas, rapidfuzz,
# sqlite-utils) in a venv outside the repository ($JB_BENCH_VENV, default
# ~/.cache/jb-bench/venv), creating it once; $peers to ../shared/bench/peers. When Python,
# venv or pip is missing (or the peers folder is absent) it says so and leaves $peer_py empty,
# so a bench prints jb's own figure alone.
peer_setup() {
  peer_py=""
  peers="${JB_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}/bench/peers"
  if [ ! -d "$peers" ]; then
    echo "   (peers: $peers is absent; jb's figures only)"; return 0
  fi
  venv="${JB_BENCH_VENV:-$HOME/.cache/jb-bench/venv}"
  if ! command -v python3 >/dev/null 2>&1; then
    echo "   (peers: python3 is missing; jb's figures only)"; return 0
  fi
  mkdir -p "$(dirname "$venv")"
  # One installer at a time: benches may run side by side.
  if ! flock "$(dirname "$venv")/.lock" sh -c '
      v="$1"
      "$v/bin/python" -c "import pandas, rapidfuzz, sqlite_utils" 2>/dev/null && exit 0
      python3 -m venv "$v" >/dev/null 2>&1 || { echo "   (peers: python3 -m venv failed: install python3-venv)"; exit 1; }
      "$v/bin/pip" install -q pandas rapidfuzz sqlite-utils >/dev/null 2>&1 || { echo "   (peers: pip could not install pandas rapidfuzz sqlite-utils)"; exit 1; }' _ "$venv"; then
    echo "   (peers unavailable; jb's figures only)"; return 0
  fi
  peer_py="$venv/bin/python"
}
# ratio A B: prints A/B with one decimal (how many times faster B's time A is).
ratio() { echo "scale=1; $1 / $2" | bc -l; }
