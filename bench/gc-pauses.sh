#!/usr/bin/env bash
# Each garbage collection of the embedded node during P2's half-load run: how long it paused the node, what it
# promoted, how long it marked through the older generations, and the generations' sizes after it. The node's own
# latency histogram puts 99.7 % of those requests within 5 ms; the client's p99 is its pauses.
#   bench/gc-pauses.sh [seconds]       (after: dotnet build TikTokAds.Orleans.sln -c Release)
# dotnet-trace records the runtime's GC events (keyword 0x1, informational) from the node, from the closed loop's
# figure to the half-load figure. Output in artifacts/gc-pauses-<time>/: the goal's log, the trace and the table.
set -euo pipefail
seconds="${1:-10}"
cd "$(dirname "$0")/.."
out="artifacts/gc-pauses-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
dotnet tool restore >/dev/null
dotnet build bench/GcPauses -c Release --nologo -v q >/dev/null
dotnet run -c Release --no-build --project bench/TikTokAds.Benchmarks -- goals --only P2 --seconds "$seconds" >"$out/goal.log" 2>&1 &
bench=$!
# The half-load run starts right after the closed loop's figure is printed, and its own figure follows its window.
until grep -q "single events, closed loop" "$out/goal.log"; do kill -0 "$bench"; sleep 0.2; done
node=$(pgrep -f TikTokAds.Node.dll | head -1)
dotnet tool run dotnet-trace -- collect -p "$node" --providers Microsoft-Windows-DotNETRuntime:0x1:4 -o "$out/node.nettrace" >"$out/trace.log" 2>&1 &
tracer=$!
until grep -q "at half that load" "$out/goal.log"; do kill -0 "$bench"; sleep 0.2; done
kill -INT "$tracer"
wait "$tracer" || true
wait "$bench"
grep -v '^    window' "$out/goal.log"
dotnet bench/GcPauses/bin/Release/net10.0/GcPauses.dll "$out/node.nettrace" | tee "$out/collections.txt"
