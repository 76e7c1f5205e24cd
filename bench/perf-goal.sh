#!/usr/bin/env bash
# A whole-machine CPU profile of one goal's measured windows: the node, the load generator with the sandbox, and
# PostgreSQL, native code included (the garbage collector, the kernel, OpenSSL), which dotnet-trace does not see.
#   bench/perf-goal.sh P3 [seconds]       (after: dotnet build TikTokAds.Orleans.sln -c Release)
# Needs perf (Debian: apt-get install linux-perf) and root or perf_event_paranoid <= 1 for -a. The .NET processes run
# with perf maps and without W^X double mapping, so JIT-compiled frames have names. Samples are stamped on
# CLOCK_MONOTONIC (-k mono), the clock `bench goals` prints each figure's window on (TIKTOKADS_BENCH_WINDOWS=1).
# Output in artifacts/perf-<goal>-<time>/: the goal's log, and one summary (bench/PerfSummary) per measured figure.
set -euo pipefail
goal="${1:-P2}"
seconds="${2:-10}"
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
out="artifacts/perf-$goal-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
dotnet build bench/PerfSummary -c Release --nologo -v q >/dev/null
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 TIKTOKADS_BENCH_WINDOWS=1 TIKTOKADS_PG_DURABLE=1
perf record -k mono -F 499 -g -a -o "$out/perf.data" >"$out/perf-record.log" 2>&1 &
recorder=$!
trap 'kill -INT "$recorder" 2>/dev/null || true' EXIT
# Which process is which: the summaries name each pid by its command line.
( while kill -0 "$recorder" 2>/dev/null; do ps -eo pid,args >>"$out/processes.txt"; sleep 2; done ) &
scripts/with-postgres.sh dotnet run -c Release --no-build --project bench/TikTokAds.Benchmarks -- goals --only "$goal" --seconds "$seconds" | tee "$out/goal.log"
kill -INT "$recorder"
wait "$recorder" || true
# Each figure line is followed by its window; the summary takes its name from the figure line.
n=0
awk '/window \(CLOCK_MONOTONIC\)/ { print $(NF-1), $NF, name } { if ($0 !~ /^    /) name = $0 }' "$out/goal.log" | while read -r from to name; do
  n=$((n + 1))
  file="$out/$(printf %02d "$n")-$(echo "$name" | sed -E 's/^ +//; s/  +.*//; s/[^A-Za-z0-9]+/-/g' | cut -c1-60).txt"
  {
    echo "$name"
    perf script -i "$out/perf.data" --time "$from,$to" -F pid,tid,comm,time,ip,sym,dso 2>/dev/null >"$out/window.txt"
    dotnet bench/PerfSummary/bin/Release/net10.0/PerfSummary.dll "$out/window.txt" "$out/processes.txt" "$from" "$to" 25
  } >"$file"
  rm -f "$out/window.txt"
  echo "profile: $file"
done
