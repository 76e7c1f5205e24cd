-- The psql experiment behind sql/0014 (2026-12-02): 200,000 CompletePayment-sized rows of one pixel, then
-- 200 UPDATEs of 1,000 rows each to delivered, with the indexes of sql/0004-0010 (variant_current=true,
-- fillfactor 100) or of sql/0014 (variant_current=false, fillfactor 50 or 60, plus the pixel_pending delete).
-- Run: psql -v variant_current=true -v ff=100 -f hot-update-experiment.sql   (on a durable private server)
-- Results on this machine: current schema 24.2-29.5 us a row, 0 HOT; sql/0014 at fillfactor 50 8.6 us a row
-- (13.7 with the pixel_pending delete), every update HOT; at fillfactor 60 16.1 us, 75 % HOT.
\timing off
DROP TABLE IF EXISTS pe; DROP TABLE IF EXISTS pw;
CREATE TABLE pw (pixel_key text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (pixel_key, seq));
CREATE TABLE pe (
    pixel_key text NOT NULL, event_name text NOT NULL, event_id text NOT NULL, seq bigserial NOT NULL,
    event_source text NOT NULL, test_event_code text, payload jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('accepted','delivered','failed','skipped')), reason text,
    accepted_at timestamptz NOT NULL, delivered_at timestamptz, failed_at timestamptz, request_id text, code integer, message text,
    attempts integer NOT NULL DEFAULT 0, replays integer NOT NULL DEFAULT 0, trace_id text,
    PRIMARY KEY (pixel_key, event_name, event_id)) WITH (fillfactor = :ff);
\if :variant_current
CREATE INDEX ON pe (pixel_key, seq) WHERE status = 'accepted';
CREATE INDEX ON pe (pixel_key, event_id);
CREATE INDEX ON pe (pixel_key, accepted_at DESC);
CREATE INDEX ON pe (pixel_key, failed_at DESC) WHERE status = 'failed';
CREATE INDEX ON pe (pixel_key, ((payload->>'event_time')::bigint)) WHERE status = 'delivered' AND test_event_code IS NULL;
\else
CREATE INDEX ON pe (pixel_key, seq);
CREATE INDEX ON pe (pixel_key, event_id);
CREATE INDEX ON pe (pixel_key, accepted_at DESC);
CREATE INDEX ON pe (pixel_key, failed_at DESC) WHERE failed_at IS NOT NULL;
CREATE INDEX ON pe (pixel_key, ((payload->>'event_time')::bigint)) WHERE test_event_code IS NULL;
\endif
\timing on
INSERT INTO pe (pixel_key, event_name, event_id, event_source, payload, status, accepted_at, trace_id)
SELECT 'org1/px1', 'CompletePayment', 'evt-' || g, 'web',
  jsonb_build_object('event','CompletePayment','event_time', 1764600000 + g, 'event_id', 'evt-' || g,
    'user', jsonb_build_object('email', md5(g::text) || md5((g+1)::text), 'phone', md5((g+2)::text) || md5((g+3)::text), 'external_id', md5((g+4)::text) || md5((g+5)::text), 'ip', '203.0.113.' || (g % 250), 'user_agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'),
    'properties', jsonb_build_object('currency','EUR','value', 59.5, 'order_id', 'ord-' || g, 'contents', jsonb_build_array(jsonb_build_object('content_id','tkt-' || (g % 40),'content_name','General admission','price',29.75,'quantity',2))),
    'page', jsonb_build_object('url','https://tickets.example.com/events/summer-festival-2026/checkout?step=confirm','referrer','https://tickets.example.com/events/summer-festival-2026')),
  'accepted', now(), md5(g::text)
FROM generate_series(1, 200000) g;
\timing off
\timing on
\if :variant_current
\else
INSERT INTO pw SELECT pixel_key, seq FROM pe;
\endif
\timing off
CHECKPOINT;
SELECT pg_stat_reset_shared('wal');
SELECT clock_timestamp() AS t0 \gset
DO $$ DECLARE b int; BEGIN
  FOR b IN 0..199 LOOP
    UPDATE pe SET status = 'delivered', delivered_at = now(), request_id = 'req-' || b, code = 0, message = 'OK', attempts = attempts + 1
    WHERE pixel_key = 'org1/px1' AND seq = ANY(ARRAY(SELECT generate_series(b*1000+1, b*1000+1000)::bigint)) AND status = 'accepted';
    IF to_regclass('pe_pixel_key_seq_idx1') IS NULL THEN DELETE FROM pw WHERE pixel_key = 'org1/px1' AND seq = ANY(ARRAY(SELECT generate_series(b*1000+1, b*1000+1000)::bigint)); END IF;
  END LOOP; END $$;
SELECT round(extract(epoch from clock_timestamp() - :'t0') * 1e6 / 200000, 1) AS us_per_row_update;
SELECT round(wal_bytes / 200000.0) AS wal_bytes_per_row, wal_fpi FROM pg_stat_wal;
SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'pe';
SELECT pg_size_pretty(pg_total_relation_size('pe')) AS total, pg_size_pretty(pg_relation_size('pe')) AS heap;
