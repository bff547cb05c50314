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
