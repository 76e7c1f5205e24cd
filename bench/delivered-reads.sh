#!/usr/bin/env bash
# Plans of the reads that derive a delivered event from pixel_pending and pixel_requests (sql/0017), on one
# pixel with 1,000,000 events: 999,000 delivered in 999 requests of 1,000, and 1,000 still waiting.
#   bench/delivered-reads.sh        (after: dotnet build TikTokAds.Orleans.sln -c Release)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TIKTOKADS_TEST_PSQL:-}" ]; then
  exec scripts/with-postgres.sh "$0"
fi
dotnet run -c Release --no-build --project src/TikTokAds.Node -- migrate --ConnectionStrings:Postgres="$TIKTOKADS_TEST_POSTGRES" >/dev/null
$TIKTOKADS_TEST_PSQL -d postgres -q <<'SQL'
INSERT INTO pixel_events (pixel_key, event_name, event_id, event_source, payload, status, accepted_at)
SELECT 'org_x/px', 'CompletePayment', 'e' || g, 'web', jsonb_build_object('event_time', 1795300000 + g / 1000), 'accepted', now() - (1000000 - g) * interval '1 ms' FROM generate_series(1, 1000000) g;
INSERT INTO pixel_requests (pixel_key, sent_at, outcome, code, message, request_id, latency_ms, event_count, event_names, event_source, seqs, first_seq, last_seq, settled_at)
SELECT 'org_x/px', now(), 'success', 0, 'OK', 'req-' || b, 10, 1000, '{CompletePayment}', 'web', array(SELECT generate_series(b * 1000 + 1, b * 1000 + 1000)::bigint), b * 1000 + 1, b * 1000 + 1000, now()
FROM generate_series(0, 998) b;
INSERT INTO pixel_pending (pixel_key, seq) SELECT pixel_key, seq FROM pixel_events WHERE seq > 999000;
VACUUM ANALYZE;
SQL
q() {
  echo "== $1"
  local plan
  plan=$($TIKTOKADS_TEST_PSQL -d postgres -P pager=off -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $2")
  grep -E "Index|Scan|Loop|Join|Sort|Limit|Buffers" <<<"$plan" | head -"${3:-40}"
  grep "Execution Time" <<<"$plan"
}
RECORD="SELECT e.event_name, e.event_id, CASE WHEN w.settled THEN 'delivered' ELSE e.status END, CASE WHEN w.settled THEN d.settled_at ELSE e.delivered_at END, CASE WHEN w.settled THEN d.request_id ELSE e.request_id END
FROM pixel_events e
CROSS JOIN LATERAL (SELECT e.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM pixel_pending p WHERE p.pixel_key = e.pixel_key AND p.seq = e.seq) AS settled) w
LEFT JOIN LATERAL (SELECT coalesce(r.settled_at, r.sent_at) AS settled_at, r.request_id FROM pixel_requests r
  WHERE w.settled AND r.pixel_key = e.pixel_key AND r.outcome = 'success' AND r.first_seq <= e.seq AND r.last_seq >= e.seq AND e.seq = ANY(r.seqs)
  ORDER BY r.first_seq DESC LIMIT 1) d ON true"
q "one event by id (FindAsync)" "$RECORD WHERE e.pixel_key = 'org_x/px' AND e.event_id = 'e500500' ORDER BY e.seq"
q "the newest 100 (LatestAsync)" "$RECORD WHERE e.pixel_key = 'org_x/px' ORDER BY e.accepted_at DESC, e.seq DESC LIMIT 100" 20
q "counts by status (CountByStatusAsync)" "SELECT status, count(*) FROM pixel_events WHERE pixel_key = 'org_x/px' GROUP BY status UNION ALL SELECT 'waiting', count(*) FROM pixel_pending p JOIN pixel_events e ON e.pixel_key = p.pixel_key AND e.seq = p.seq WHERE p.pixel_key = 'org_x/px' AND e.status = 'accepted'"
q "delivered by day (CountDeliveredByDayAsync)" "SELECT (e.payload->>'event_time')::bigint / 86400, e.event_name, count(*) FROM pixel_events e WHERE e.pixel_key = 'org_x/px' AND (e.status = 'delivered' OR (e.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM pixel_pending p WHERE p.pixel_key = e.pixel_key AND p.seq = e.seq))) AND e.test_event_code IS NULL AND (e.payload->>'event_time')::bigint >= 1795300000 AND (e.payload->>'event_time')::bigint < 1795386400 GROUP BY 1, 2"
$TIKTOKADS_TEST_PSQL -d postgres -P pager=off -c "SELECT e.event_id, CASE WHEN NOT EXISTS (SELECT 1 FROM pixel_pending p WHERE p.pixel_key = e.pixel_key AND p.seq = e.seq) THEN 'delivered' ELSE 'accepted' END FROM pixel_events e WHERE e.pixel_key = 'org_x/px' AND e.event_id IN ('e500500', 'e999999')"
