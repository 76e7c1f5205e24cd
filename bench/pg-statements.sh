#!/usr/bin/env bash
# Where PostgreSQL's time goes during one goal of `bench goals`: runs it on a durable private server with
# pg_stat_statements loaded, then prints the statements by total execution time, with plan time and WAL.
#   bench/pg-statements.sh P3        (after: dotnet build TikTokAds.Orleans.sln -c Release)
set -euo pipefail
goal="${1:-P3}"
cd "$(dirname "$0")/.."
if [ -z "${TIKTOKADS_TEST_PSQL:-}" ]; then
  export TIKTOKADS_PG_DURABLE=1
  export TIKTOKADS_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on"
  exec scripts/with-postgres.sh "$0" "$goal"
fi
$TIKTOKADS_TEST_PSQL -d postgres -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
dotnet run -c Release --no-build --project bench/TikTokAds.Benchmarks -- goals --only "$goal" --seconds 10 --warmup 5
$TIKTOKADS_TEST_PSQL -d postgres -P pager=off -c "
  SELECT calls, round(total_exec_time::numeric) AS exec_ms, round((total_exec_time / NULLIF(calls, 0))::numeric, 3) AS ms_per_call,
         rows, round(total_plan_time::numeric) AS plan_ms, round(wal_bytes / 1048576.0, 1) AS wal_mb,
         left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
  FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"
# Which tables and indexes the goal's writes read from outside shared_buffers (blks_read: from the OS cache or the
# disk) and found in it (blks_hit), in each database the bench made: where a write's cost grows with the tables.
for db in $($TIKTOKADS_TEST_PSQL -d postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'bench%' ORDER BY datname"); do
  echo "== $db: blocks read and hit by table and index"
  $TIKTOKADS_TEST_PSQL -d "$db" -P pager=off -c "
    SELECT relname AS relation, NULL AS index, heap_blks_read AS blks_read, heap_blks_hit AS blks_hit,
           pg_size_pretty(pg_relation_size(relid)) AS size
    FROM pg_statio_user_tables WHERE heap_blks_read + heap_blks_hit > 0
    UNION ALL
    SELECT relname, indexrelname, idx_blks_read, idx_blks_hit, pg_size_pretty(pg_relation_size(indexrelid))
    FROM pg_statio_user_indexes WHERE idx_blks_read + idx_blks_hit > 0
    ORDER BY blks_read DESC LIMIT 20"
done
