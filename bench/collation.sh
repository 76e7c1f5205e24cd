#!/usr/bin/env bash
# What a text key's collation costs PostgreSQL: the same rows (a pixel key and a 32-character hex event id, as
# pixel_events' primary key holds them) inserted into three tables that differ only in their key columns'
# collation: "C" (byte order, what sql/0016 gives the service's key columns), the database's default (C.UTF-8
# on this machine's private server) and ICU's root collation (a linguistic order, the kind en_US.UTF-8 gives
# a database created with it, as the postgres Docker image does). Alternating rounds, each on a fresh table;
# prints each round's time and the ratios against "C".
#   bench/collation.sh [rows] [rounds]
set -euo pipefail
rows="${1:-500000}"
rounds="${2:-3}"
cd "$(dirname "$0")/.."
if [ -z "${TIKTOKADS_TEST_PSQL:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$rows" "$rounds"
fi
export PGOPTIONS="-c client_min_messages=warning"
psql_run() { $TIKTOKADS_TEST_PSQL -d postgres -qAtX "$@"; }
echo "collation bench: $rows rows a round, $rounds rounds; PostgreSQL $(psql_run -c 'SHOW server_version'), default collation $(psql_run -c "SELECT datcollate FROM pg_database WHERE datname = current_database()")"
echo "the same machine runs psql and PostgreSQL; figures are the INSERT … SELECT's own time, ms"
psql_run -c "DROP TABLE IF EXISTS collation_source; CREATE TABLE collation_source AS
  SELECT 'org-' || (i % 100) || '/pixel-' || (i % 7) AS pixel_key, md5(i::text || 'event') AS event_id
  FROM generate_series(1, $rows) AS i; ANALYZE collation_source"
declare -A total=()
for round in $(seq 1 "$rounds"); do
  line="round $round:"
  for collation in C default und-x-icu; do
    clause="COLLATE \"$collation\""
    [ "$collation" = default ] && clause=""
    psql_run -c "DROP TABLE IF EXISTS collation_keys; CREATE TABLE collation_keys (pixel_key text $clause NOT NULL, event_id text $clause NOT NULL, PRIMARY KEY (pixel_key, event_id)); CHECKPOINT" >/dev/null
    ms=$(psql_run -c '\timing on' -c "INSERT INTO collation_keys SELECT pixel_key, event_id FROM collation_source" | awk '/^Time:/ { print $2 }')
    total[$collation]=$(echo "${total[$collation]:-0} + $ms" | bc)
    line="$line  $collation $ms"
  done
  echo "$line"
done
echo "total ms: C ${total[C]}, default ${total[default]}, und-x-icu ${total[und-x-icu]}"
echo "ratio to C: default $(echo "scale=2; ${total[default]} / ${total[C]}" | bc), und-x-icu $(echo "scale=2; ${total[und-x-icu]} / ${total[C]}" | bc)"
psql_run -c "DROP TABLE IF EXISTS collation_keys, collation_source" >/dev/null
