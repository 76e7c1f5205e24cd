-- 0004: creates pixel_events, the durable buffer and delivery record of every event. A row is written
-- before the API answers 202 and stays 'accepted' until TikTok confirms it ('delivered') or refuses it
-- ('failed'); 'duplicate' requests leave no row, 'skipped' rows record events kept from TikTok (no
-- consent, or a kind the connection does not track). The key is TikTok's deduplication key, so a
-- second (event, event_id) within 48 h is found here on any node.
CREATE TABLE IF NOT EXISTS pixel_events (
    pixel_key       text        NOT NULL,
    event_name      text        NOT NULL,
    event_id        text        NOT NULL,
    seq             bigserial   NOT NULL,
    event_source    text        NOT NULL,
    test_event_code text,
    payload         jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('accepted', 'delivered', 'failed', 'skipped')),
    reason          text,
    accepted_at     timestamptz NOT NULL,
    delivered_at    timestamptz,
    failed_at       timestamptz,
    request_id      text,
    code            integer,
    message         text,
    attempts        integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (pixel_key, event_name, event_id)
);

CREATE INDEX IF NOT EXISTS pixel_events_pending ON pixel_events (pixel_key, seq) WHERE status = 'accepted';
CREATE INDEX IF NOT EXISTS pixel_events_by_id ON pixel_events (pixel_key, event_id);
CREATE INDEX IF NOT EXISTS pixel_events_recent ON pixel_events (pixel_key, accepted_at DESC);
