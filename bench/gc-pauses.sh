#!/usr/bin/env bash
# Each garbage collection of the embedded node during P2's half-load run: how long it paused the node, what it
# promoted, how long it marked through the older generations and from stacks, and the generations' sizes after it.
# The node's own latency histogram shows what share of those requests took under 5 ms; this shows the collections
# behind the rest.
#   bench/gc-pauses.sh [seconds]       (after: dotnet build TikTokAds.Orleans.sln -c Release)
# dotnet-trace records the runtime's GC events (keyword 0x1, informational) from the node, starting when the closed
# loop's figure is printed (the half-load run starts right after it) and stopping by itself two seconds before that
# run's window ends, without the rundown of loaded methods (which GcPauses does not need, and which took long enough
# under load that the node exited in the middle of it). A trace cut off by the node's exit ends in a block that
# cannot be read, and loses the collections in it. Output in artifacts/gc-pauses-<time>/: the goal's log, the trace
# and the table.
set -euo pipefail
seconds="${1:-10}"
if (( seconds < 4 )); then
    echo "gc-pauses.sh: the window must be at least 4 s" >&2
    exit 2
fi
cd "$(dirname "$0")/.."
out="artifacts/gc-pauses-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
dotnet tool restore >/dev/null
dotnet build bench/GcPauses -c Release --nologo -v q >/dev/null
bench=""
tracer=""
cleanup() {
    for pid in $tracer $bench; do
        kill "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
wait_for() {
    until grep -q "$1" "$out/goal.log"; do
        if ! kill -0 "$bench" 2>/dev/null; then
            echo "gc-pauses.sh: the benchmark ended before printing \"$1\"; its log is in $out/goal.log" >&2
            exit 1
        fi
        sleep 0.2
    done
}
dotnet run -c Release --no-build --project bench/TikTokAds.Benchmarks -- goals --only P2 --seconds "$seconds" >"$out/goal.log" 2>&1 &
bench=$!
wait_for "single events, closed loop"
# The embedded node is the newest TikTokAds.Node process (the no-op baseline runs in the benchmark's own assembly).
node=$(pgrep -n -f TikTokAds.Node.dll || true)
if [[ -z "$node" ]]; then
    echo "gc-pauses.sh: no node process found" >&2
    exit 1
fi
duration=$(printf '00:00:00:%02d' $((seconds - 2)))
dotnet tool run dotnet-trace -- collect -p "$node" --providers Microsoft-Windows-DotNETRuntime:0x1:4 --duration "$duration" --rundown false -o "$out/node.nettrace" >"$out/trace.log" 2>&1 &
tracer=$!
wait "$tracer" || echo "gc-pauses.sh: dotnet-trace failed; see $out/trace.log" >&2
tracer=""
wait "$bench"
bench=""
grep -v '^    window' "$out/goal.log"
dotnet bench/GcPauses/bin/Release/net10.0/GcPauses.dll "$out/node.nettrace" | tee "$out/collections.txt"
