-- 0009: dead letters and the request inspector. A 'failed' pixel_events row is a dead letter: TikTok
-- refused it for good (or the pixel was disconnected first). It keeps the request_id of the refusal and
-- how often it was replayed; failed rows are kept for Pixels:DeadLetterRetention. pixel_requests logs
-- every request sent to TikTok for a pixel: when, how many events (which rows, so the exact body can be
-- rebuilt from their stored, hashed payloads), TikTok's code, message and request_id, and the latency.
ALTER TABLE pixel_events ADD COLUMN IF NOT EXISTS replays integer NOT NULL DEFAULT 0;

CREATE INDEX IF NOT EXISTS pixel_events_dead_letters ON pixel_events (pixel_key, failed_at DESC) WHERE status = 'failed';

CREATE TABLE IF NOT EXISTS pixel_requests (
    pixel_key       text        NOT NULL,
    id              bigserial   NOT NULL,
    sent_at         timestamptz NOT NULL,
    outcome         text        NOT NULL,
    code            integer     NOT NULL,
    message         text        NOT NULL,
    request_id      text,
    latency_ms      double precision NOT NULL,
    event_count     integer     NOT NULL,
    event_names     text[]      NOT NULL,
    event_source    text        NOT NULL,
    test_event_code text,
    partner_name    text,
    seqs            bigint[]    NOT NULL,
    PRIMARY KEY (pixel_key, id)
);

CREATE INDEX IF NOT EXISTS pixel_requests_sent ON pixel_requests (sent_at);
