#!/bin/bash
# Alternating A/B runs of one goal: a base worktree (built in Release) and this checkout, round after round, so
# that this machine's drift falls on both builds alike.
#   git worktree add /work/wt-base <commit> && (cd /work/wt-base && dotnet build bench/TikTokAds.Benchmarks -c Release)
#   bench/ab.sh /work/wt-base P1 3
set -euo pipefail
base=${1:?base worktree}
goal=${2:?goal, for example P1}
rounds=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
# Both builds' load generators collect with a node's gen0 budget (bench/TikTokAds.Benchmarks/GeneratorProcess.cs); a
# base from before that change would otherwise run its generator with the collector's default budget. Such a base still
# lacks P5's collection before each round, which moved P5 by itself (docs/BENCHMARKS.md, thirty-third pass).
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"
for round in $(seq 1 "$rounds"); do
  for tree in "$base" "$here"; do
    echo "=== round $round $tree $(git -C "$tree" rev-parse --short HEAD) $(date +%T)"
    (cd "$tree" && TIKTOKADS_PG_DURABLE=1 scripts/with-postgres.sh dotnet run -c Release --no-build --project bench/TikTokAds.Benchmarks -- goals --only "$goal" --seconds 10)
  done
done
