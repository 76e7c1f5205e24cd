#!/usr/bin/env bash
# What ON CONFLICT and an index cost PostgreSQL on the append path: 1,000 new rows a statement written into the
# service's own pixel_events (with their pixel_pending rows, as the node's append does) and buyer_facts, each once as
# a plain INSERT and once with the ON CONFLICT clause the node used to send on every write; and buyer_facts once more,
# plain, into a copy without buyer_facts_by_time (the index on event_time alone, which only the hourly retention purge
# reads). No row conflicts, so the clause changes nothing but the work; the rows (a seed-like payload, event_ids that
# rise at one width) are built in SQL.
#   1. Throughput: pgbench, 2 clients (as many as cores), each statement its own durable transaction, rounds
#      alternating the variants; rows/s.
#   2. Own time: one client, each statement timed by psql, alternating; the median ms of each variant.
#   bench/insert-first.sh [seconds per pgbench run] [rounds]
# Needs a durable server for stage 1 to mean anything: TIKTOKADS_PG_DURABLE=1 (set here when this starts one).
set -euo pipefail
seconds="${1:-10}"
rounds="${2:-2}"
cd "$(dirname "$0")/.."
if [ -z "${TIKTOKADS_TEST_PSQL:-}" ]; then
  TIKTOKADS_PG_DURABLE=1 exec scripts/with-postgres.sh "$0" "$seconds" "$rounds"
fi
export PGOPTIONS="-c client_min_messages=warning"
psql_run() { $TIKTOKADS_TEST_PSQL -d postgres -qAtX -v ON_ERROR_STOP=1 "$@"; }
pgbench_bin="$(dirname "$(echo "$TIKTOKADS_TEST_PSQL" | awk '{ print $1 }')")/pgbench"
port="$(echo "$TIKTOKADS_TEST_POSTGRES" | sed 's/.*Port=\([0-9]*\).*/\1/')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for script in sql/*.sql; do psql_run -f "$script" >/dev/null; done
psql_run -c "CREATE SEQUENCE IF NOT EXISTS insert_first_ids"

payload='{"event":"CompletePayment","event_time":1795300000,"event_id":"purchase_1","user":{"email":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","phone":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","external_id":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","ttclid":"E.C.P.1","ip":"203.0.113.9","user_agent":"Mozilla/5.0 (bench)"},"properties":{"contents":[{"content_id":"ticket-ga","price":59.9,"quantity":1}],"content_type":"product","currency":"RON","value":59.9},"page":{"url":"https://tickets.example/checkout?ttclid=E.C.P.1"}}'
events="SELECT 'org_' || :client_id || '/PIX', 'CompletePayment', 'e' || lpad(nextval('insert_first_ids')::text, 12, '0'), 'web', NULL::text,
  '$payload'::jsonb, 'accepted', NULL::text, now(), '0123456789abcdef0123456789abcdef' FROM generate_series(1, 1000)"
returning="RETURNING pixel_key, event_name, event_id, seq, status), waiting AS (
  INSERT INTO pixel_pending (pixel_key, seq) SELECT pixel_key, seq FROM stored WHERE status = 'accepted')
SELECT count(*) FROM stored;"
cat >"$work/events-plain.sql" <<EOF
WITH stored AS (INSERT INTO pixel_events (pixel_key, event_name, event_id, event_source, test_event_code, payload, status, reason, accepted_at, trace_id)
$events
$returning
EOF
cat >"$work/events-on-conflict.sql" <<EOF
WITH stored AS (INSERT INTO pixel_events (pixel_key, event_name, event_id, event_source, test_event_code, payload, status, reason, accepted_at, trace_id)
$events
ON CONFLICT (pixel_key, event_name, event_id) DO UPDATE SET payload = excluded.payload, accepted_at = excluded.accepted_at,
  seq = nextval(pg_get_serial_sequence('pixel_events', 'seq'))
WHERE pixel_events.accepted_at < excluded.accepted_at - interval '48 hours'
$returning
EOF
facts="INSERT INTO buyer_facts (organizer_id, pixel_id, event_name, event_id, event_time, email_sha256, phone_sha256, value, currency, content_ids, accepted_at)
SELECT 'org_' || :client_id, 'PIX', 'CompletePayment', 'f' || lpad(nextval('insert_first_ids')::text, 12, '0'), now(), repeat('a', 64), repeat('b', 64),
  59.9, 'RON', ARRAY['ticket-ga'], now() FROM generate_series(1, 1000)"
echo "$facts;" >"$work/facts-plain.sql"
echo "$facts ON CONFLICT (organizer_id, pixel_id, event_name, event_id) DO NOTHING;" >"$work/facts-on-conflict.sql"
# The same table without the index on event_time alone.
psql_run -c "CREATE TABLE IF NOT EXISTS buyer_facts_lean (LIKE buyer_facts INCLUDING ALL)"
psql_run -c "DO \$\$ DECLARE i text; BEGIN
  FOR i IN SELECT indexname FROM pg_indexes WHERE tablename = 'buyer_facts_lean' AND indexdef LIKE '%(event_time)' LOOP EXECUTE 'DROP INDEX ' || i; END LOOP; END \$\$"
echo "${facts/INTO buyer_facts /INTO buyer_facts_lean };" >"$work/facts-plain-lean.sql"
variants=(events-plain events-on-conflict facts-plain facts-on-conflict facts-plain-lean)

echo "insert-first bench: PostgreSQL $(psql_run -c 'SHOW server_version'), fsync $(psql_run -c 'SHOW fsync'), synchronous_commit $(psql_run -c 'SHOW synchronous_commit'); $(nproc) cores"
echo "pgbench and PostgreSQL share this machine; 1,000 new rows a statement"
echo "1. throughput, 2 clients, ${seconds} s a run, rows/s"
for round in $(seq 1 "$rounds"); do
  line="round $round:"
  for variant in "${variants[@]}"; do
    tps=$("$pgbench_bin" -h 127.0.0.1 -p "$port" -U postgres -n -c 2 -j 2 -T "$seconds" -f "$work/$variant.sql" postgres 2>/dev/null | awk '/^tps/ { print $3 }')
    line="$line  $variant $(printf '%.0f' "$(echo "$tps * 1000" | bc -l)")"
  done
  echo "$line"
done

echo "2. own time, 1 client, ms a statement (median of 9, alternating)"
declare -A times=()
for run in $(seq 1 9); do
  for variant in "${variants[@]}"; do
    ms=$(sed 's/:client_id/1/g' "$work/$variant.sql" | psql_run -c '\timing on' -f - | awk '/^Time:/ { print $2 }')
    times[$variant]="${times[$variant]:-} $ms"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A medians=()
for variant in "${variants[@]}"; do
  medians[$variant]=$(echo "${times[$variant]}" | median)
  echo "$variant: median ${medians[$variant]} ms (${times[$variant]# })"
done
echo "ON CONFLICT over plain: pixel_events $(echo "scale=2; ${medians[events-on-conflict]} / ${medians[events-plain]}" | bc), buyer_facts $(echo "scale=2; ${medians[facts-on-conflict]} / ${medians[facts-plain]}" | bc)"
echo "buyer_facts plain, without over with the index on event_time: $(echo "scale=2; ${medians[facts-plain-lean]} / ${medians[facts-plain]}" | bc)"
echo "ON CONFLICT over plain, events and facts together: $(echo "scale=2; (${medians[events-on-conflict]} + ${medians[facts-on-conflict]}) / (${medians[events-plain]} + ${medians[facts-plain]})" | bc)"
