-- 0011: creates buyer_facts, what segments need from accepted events, per organizer: the event's name,
-- time, value, currency and content ids, and the buyer's SHA-256 email and phone (hashes only, never raw
-- data). Rows are purged after the organizer's retention period (default 180 days).
CREATE TABLE IF NOT EXISTS buyer_facts (
    organizer_id text        NOT NULL,
    pixel_id     text        NOT NULL,
    event_name   text        NOT NULL,
    event_id     text        NOT NULL,
    event_time   timestamptz NOT NULL,
    email_sha256 text,
    phone_sha256 text,
    value        numeric,
    currency     text,
    content_ids  text[]      NOT NULL DEFAULT '{}',
    accepted_at  timestamptz NOT NULL,
    PRIMARY KEY (organizer_id, pixel_id, event_name, event_id),
    CHECK (email_sha256 IS NOT NULL OR phone_sha256 IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS buyer_facts_by_organizer_time ON buyer_facts (organizer_id, event_time);
CREATE INDEX IF NOT EXISTS buyer_facts_by_time ON buyer_facts (event_time);
