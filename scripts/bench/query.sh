#!/bin/sh
# jb-query: throughput against the fake OpenRouter server at 50 ms latency, at concurrency
# 1, 16, 64 and 256, as a fraction of the ideal (concurrency / latency); then CPU time and
# peak memory per 10,000 requests at zero latency, beside the official OpenAI Python SDK
# doing the same requests (when `python3 -c 'import openai'` works).
#
# The fake server is Tests/FakeOpenRouterServer: the test suite's FakeOpenRouter.swift built
# as a stand-alone executable (no dependencies; built here, in release mode, on first use).
set -eu
bin="$(cd "$1" && pwd)"
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null || true; rm -rf "$work"' EXIT

server_pkg="$root/Tests/FakeOpenRouterServer"
if ! swift build -c release --package-path "$server_pkg" > "$work/build.log" 2>&1; then
  echo "   skipped: cannot build the fake server (see swift build -c release --package-path $server_pkg)"; exit 0
fi
fake="$(swift build -c release --package-path "$server_pkg" --show-bin-path)/fake-openrouter"

# questions N FILE: N distinct question records.
questions() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\":\"%016x\",\"round\":\"Jeopardy!\",\"category\":\"BENCH %d\",\"value\":400,\"clue\":\"Benchmark clue number %d names this thing\",\"answer\":\"thing %d\",\"air_date\":\"2010-01-01\"}\n", i, i % 50, i, i }' > "$2"
}

# start_server LATENCY_MS: starts the fake server; sets $port. Closing fd 3 stops it.
start_server() {
  rm -f "$work/fifo"; mkfifo "$work/fifo"
  "$fake" --latency-ms "$1" < "$work/fifo" > "$work/port" &
  exec 3> "$work/fifo"
  i=0
  while ! grep -q port "$work/port" 2>/dev/null; do sleep 0.05; i=$((i + 1)); [ $i -lt 200 ] || { echo "   fake server did not start"; exit 1; }; done
  port=$(awk '{print $2}' "$work/port")
}
stop_server() { exec 3>&-; wait 2>/dev/null || true; }

query() {
  OPENROUTER_API_KEY=bench measure "$bin/jb-query" --model bench/model --base-url "http://127.0.0.1:$port/api/v1" \
    --api openrouter --no-cache --max-retries 0 --timeout 30 "$@"
  if [ "$status" != 0 ]; then echo "   jb-query exited $status: $(tail -1 "$err")"; fi
}

echo "   throughput at 50 ms server latency (ideal = concurrency / 0.05 s; wall time includes start-up):"
start_server 50
for c in 1 16 64 256; do
  # About 5 s of ideal time each (10 s at 256, where the start-up and the first wave of new
  # connections would otherwise weigh more than they do in real runs).
  case $c in 1) n=100 ;; 16) n=1600 ;; 64) n=6400 ;; 256) n=51200 ;; esac
  questions $n "$work/q.jsonl"
  query --concurrency $c "$work/q.jsonl"
  rate=$(echo "$n / $seconds" | bc -l)
  ideal=$(echo "$c / 0.05" | bc -l)
  printf '   concurrency %3d: %5d requests in %6.2f s = %7.1f req/s of %6.0f ideal = %5.1f%%  (CPU %.2f s, peak %d MB)\n' \
    $c $n "$seconds" "$rate" "$ideal" "$(echo "100 * $rate / $ideal" | bc -l)" "$cpu_seconds" $((rss_kb / 1024))
done
stop_server

echo "   cost per 10,000 requests at zero latency (concurrency 64):"
start_server 0
questions 10000 "$work/q.jsonl"
query --concurrency 64 "$work/q.jsonl"
printf '   jb-query:          %.2f s wall, CPU %.2f s (%.0f µs/request), peak memory %d MB\n' \
  "$seconds" "$cpu_seconds" "$(echo "$cpu_seconds * 100" | bc -l)" $((rss_kb / 1024))
query --concurrency 64 --stream "$work/q.jsonl"
printf '   jb-query --stream: %.2f s wall, CPU %.2f s (%.0f µs/request), peak memory %d MB\n' \
  "$seconds" "$cpu_seconds" "$(echo "$cpu_seconds * 100" | bc -l)" $((rss_kb / 1024))
if python3 -c 'import openai' 2>/dev/null; then
  measure python3 "$root/scripts/bench/openai_sdk.py" "http://127.0.0.1:$port/api/v1" 64 10000
  printf '   OpenAI Python SDK %s: %.2f s wall, CPU %.2f s (%.0f µs/request), peak memory %d MB\n' \
    "$(python3 -c 'import openai; print(openai.__version__)')" "$seconds" "$cpu_seconds" \
    "$(echo "$cpu_seconds * 100" | bc -l)" $((rss_kb / 1024))
else
  echo "   (OpenAI Python SDK not installed: pip install openai, to compare)"
fi
stop_server
