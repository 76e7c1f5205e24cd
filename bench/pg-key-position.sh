#!/usr/bin/env bash
# What a pixel's place in a shared table costs PostgreSQL: 100,000 rows inserted in 500-row statements for one pixel
# whose key sorts in the middle of 10,000 other pixels' keys, against one whose key sorts after all of them. The table
# has pixel_events' key and per-pixel indexes (sql/0019). B-tree inserts at an index's rightmost leaf take
# PostgreSQL's fast path (no descent from the root); a pixel in the middle never does. P1's and P6's one-pixel rounds
# before the burst have the table to themselves; after it, their pixel is one of many.
#   bench/pg-key-position.sh            (PostgreSQL from scripts/with-postgres.sh, durability off: CPU, not the disk)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${TIKTOKADS_TEST_PSQL:-}" ] || exec scripts/with-postgres.sh "$0"
P="$TIKTOKADS_TEST_PSQL -d postgres -q"
$P <<'SQL'
CREATE TABLE key_position (pixel_key text COLLATE "C" NOT NULL, event_name text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL, seq bigserial NOT NULL, payload text NOT NULL, accepted_at timestamptz NOT NULL,
  event_time bigint NOT NULL, PRIMARY KEY (pixel_key, event_id, event_name));
CREATE INDEX key_position_by_seq ON key_position (pixel_key, seq);
CREATE INDEX key_position_recent ON key_position (pixel_key, accepted_at DESC);
CREATE INDEX key_position_by_time ON key_position (pixel_key, event_time);
INSERT INTO key_position (pixel_key, event_name, event_id, payload, accepted_at, event_time)
SELECT 'org-' || lpad((p % 100)::text, 3, '0') || '/px-' || lpad(p::text, 5, '0'), 'CompletePayment',
       (1000000000 + p * 50 + k)::text, repeat('x', 1000), now(), 1700000000 + k
FROM generate_series(0, 9999) p, generate_series(0, 49) k;
VACUUM ANALYZE key_position;
CREATE FUNCTION key_position_batch(key text, first bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO key_position (pixel_key, event_name, event_id, payload, accepted_at, event_time)
  SELECT key, 'CompletePayment', (first + i)::text, repeat('y', 1000), clock_timestamp(), 1800000000 + first + i
  FROM generate_series(1, 500) i $$;
SQL
echo "10,000 pixels with 50 rows each; then 100,000 rows for one pixel, 500 a statement, three alternating rounds"
for round in 1 2 3; do
  for key in 'org-050/px-05000-bench' 'zzz-bench'; do
    start=$(date +%s.%N)
    for b in $(seq 1 200); do echo "SELECT key_position_batch('$key', $((round * 1000000 + b * 1000)));"; done | $P >/dev/null
    end=$(date +%s.%N)
    printf 'round %d, key %-24s (%s): 100,000 rows in %.3f s\n' "$round" "$key" "$([ "$key" = zzz-bench ] && echo "sorts last" || echo "sorts in the middle")" "$(echo "$end - $start" | bc)"
  done
done
