-- 0007: creates leads, every TikTok lead an organizer received (webhook or pull), unique per organizer and
-- lead id so at-least-once deliveries are stored once; answers only as AES-GCM ciphertext (dropped once
-- forwarded), phone and email only as SHA-256. lead_deliveries logs each call-back attempt.
CREATE TABLE IF NOT EXISTS leads (
    organizer_id     text        NOT NULL,
    lead_id          text        NOT NULL,
    advertiser_id    text        NOT NULL,
    page_id          text,
    form_name        text,
    ad_id            text,
    ad_name          text,
    campaign_id      text,
    campaign_name    text,
    adgroup_id       text,
    adgroup_name     text,
    source           text        NOT NULL CHECK (source IN ('webhook', 'pull')),
    created_at       timestamptz NOT NULL,
    received_at      timestamptz NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'forwarded', 'not_forwarded', 'failed')),
    reason           text,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    forwarded_at     timestamptz,
    last_error       text,
    protected_fields text,
    field_names      text[]      NOT NULL,
    phone_sha256     text,
    email_sha256     text,
    PRIMARY KEY (organizer_id, lead_id)
);

CREATE INDEX IF NOT EXISTS leads_pending ON leads (organizer_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS leads_by_received ON leads (organizer_id, received_at DESC);

CREATE TABLE IF NOT EXISTS lead_deliveries (
    organizer_id text        NOT NULL,
    lead_id      text        NOT NULL,
    attempt      integer     NOT NULL,
    at           timestamptz NOT NULL,
    http_status  integer,
    error        text,
    duration_ms  bigint      NOT NULL,
    PRIMARY KEY (organizer_id, lead_id, attempt)
);
