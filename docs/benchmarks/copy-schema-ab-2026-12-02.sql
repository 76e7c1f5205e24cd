-- The COPY baseline into pixel_events' schema before sql/0014 (pe_old: fillfactor 100, status in three partial indexes)
-- and after (pe_new: fillfactor 50, the indexes of sql/0014), 200,000 rows from one binary file, alternating, durable server.
-- Run: scripts/with-postgres.sh bash -c '$TIKTOKADS_TEST_PSQL -d postgres -f copy-schema-ab.sql' (needs /tmp/pgcopy writable by postgres)
-- Result 2026-12-02: old 5.31, 6.71, 6.62 s; new 6.83, 7.11, 7.67 s: the new schema's COPY takes 16 % longer on average.
\set QUIET on
DROP TABLE IF EXISTS src; DROP TABLE IF EXISTS pe_old; DROP TABLE IF EXISTS pe_new;
CREATE TABLE src AS SELECT 'org1/px' || (g % 7) AS pixel_key, 'CompletePayment'::text AS event_name, 'evt-' || md5(g::text) AS event_id, 'web'::text AS event_source,
  jsonb_build_object('event','CompletePayment','event_time', 1764600000 + g, 'event_id', 'evt-' || g,
    'user', jsonb_build_object('email', md5(g::text) || md5((g+1)::text), 'phone', md5((g+2)::text) || md5((g+3)::text), 'external_id', md5((g+4)::text) || md5((g+5)::text), 'ip', '203.0.113.' || (g % 250), 'user_agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'),
    'properties', jsonb_build_object('currency','EUR','value', 59.5, 'order_id', 'ord-' || g, 'contents', jsonb_build_array(jsonb_build_object('content_id','tkt-' || (g % 40),'content_name','General admission','price',29.75,'quantity',2))),
    'page', jsonb_build_object('url','https://tickets.example.com/events/summer-festival-2026/checkout?step=confirm')) AS payload,
  'accepted'::text AS status, now() AS accepted_at
FROM generate_series(1, 200000) g;
COPY src TO '/tmp/pgcopy/rows.bin' (FORMAT binary);
CREATE TABLE pe_old (pixel_key text NOT NULL, event_name text NOT NULL, event_id text NOT NULL, seq bigserial NOT NULL, event_source text NOT NULL, test_event_code text, payload jsonb NOT NULL, status text NOT NULL, reason text, accepted_at timestamptz NOT NULL, delivered_at timestamptz, failed_at timestamptz, request_id text, code integer, message text, attempts integer NOT NULL DEFAULT 0, PRIMARY KEY (pixel_key, event_name, event_id));
CREATE TABLE pe_new (LIKE pe_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES) WITH (fillfactor = 50);
CREATE INDEX ON pe_old (pixel_key, seq) WHERE status = 'accepted'; CREATE INDEX ON pe_old (pixel_key, event_id); CREATE INDEX ON pe_old (pixel_key, accepted_at DESC);
CREATE INDEX ON pe_old (pixel_key, failed_at DESC) WHERE status = 'failed'; CREATE INDEX ON pe_old (pixel_key, ((payload->>'event_time')::bigint)) WHERE status = 'delivered' AND test_event_code IS NULL;
CREATE INDEX ON pe_new (pixel_key, seq); CREATE INDEX ON pe_new (pixel_key, event_id); CREATE INDEX ON pe_new (pixel_key, accepted_at DESC);
CREATE INDEX ON pe_new (pixel_key, failed_at DESC) WHERE failed_at IS NOT NULL; CREATE INDEX ON pe_new (pixel_key, ((payload->>'event_time')::bigint)) WHERE test_event_code IS NULL;
\set QUIET off
\timing on
COPY pe_old (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) FROM '/tmp/pgcopy/rows.bin' (FORMAT binary);
COPY pe_new (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) FROM '/tmp/pgcopy/rows.bin' (FORMAT binary);
TRUNCATE pe_old; TRUNCATE pe_new; CHECKPOINT;
COPY pe_new (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) FROM '/tmp/pgcopy/rows.bin' (FORMAT binary);
COPY pe_old (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) FROM '/tmp/pgcopy/rows.bin' (FORMAT binary);
TRUNCATE pe_old; TRUNCATE pe_new; CHECKPOINT;
COPY pe_old (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) FROM '/tmp/pgcopy/rows.bin' (FORMAT binary);
COPY pe_new (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) FROM '/tmp/pgcopy/rows.bin' (FORMAT binary);
